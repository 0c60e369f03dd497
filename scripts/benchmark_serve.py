#!/usr/bin/env python3
"""Benchmark (not a test): edit to page through a real ``mkdocs serve``.

    python scripts/benchmark_serve.py [--cases 1000] [--references 500] [--edits 5] [--limit S] [-- serve options]
    python scripts/benchmark.py serve ...   (the same, from the benchmark script)

Makes a synthetic project of N case studies (tests/tools/synthetic.py), starts ``mkdocs serve``
on a free loopback port, waits for the first build, then for each edit: saves one case
study with a new sentence in its body and polls that case study's page until the sentence
is served, and prints the seconds from the save to that answer. Then the same for an edit
of ``references.bib`` (a reference's title, polled on a page that cites it) and of
``taxonomy.yml`` (a principle's label, polled on a page that lists it). Prints the median
of the case-study edits against the target (1.0 s) and the other two against the cold
build (the first build's time, measured the same way: from starting the server to the
first page served). With ``--dirty`` the search index is written after the pages are
served; the time until it is (Pagefind's entry file changed) is shown too.

The run is void if the first build, or an edit, is not served within ``--limit`` seconds
(default 600 + 1 s per case study: enough for a loaded machine). The server's cache starts
empty, beside the project, and goes with it.

The figures include MkDocs' own wait for a change: its watcher polls the files every
0.5 s, then waits 0.1 s for more changes before it rebuilds.

``--peer plain`` measures MkDocs' own floor in the same run: a second server, plain MkDocs +
Material with its search on the same bodies as pages (scripts/benchmark.py's ``plain``
project), started beside the first; each case-study edit is followed by the same edit of
the same body in the plain project, so each pair is timed under the same load. It is
served with the same options (so ``-- --dirty`` times MkDocs' own dirty rebuild).

``--floor`` times MkDocs' own per-build work without a server or a watcher: in one process,
the plain project is built once, then one page is edited before each of ``--edits`` rounds
of two rebuilds, MkDocs' ``build()`` as its server calls it, alternating which goes first:
a dirty one (only the edited page is rendered again) and a whole one (every page is, as
``mkdocs serve`` does without ``--dirty``).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))  # tools/: the synthetic data, outside the core package

from tools.synthetic import write_evidence

from coprod.checks.evidence import load_evidence
from coprod.read.problems import Report

TARGET_EDIT = 1.0
POLL = 0.02  # seconds between requests while waiting for the new text


def default_limit(cases: int) -> float:
    """Seconds to wait for the first build, and for each edit to show, before the run is
    void: generous for a slow or shared machine (a first build of 1,000 case studies took
    over 15 minutes at load 25), growing with the size."""
    return 600 + 1.0 * cases


def make_project(target: Path, cases: int, references: int) -> Path:
    """A project with the real mkdocs.yml, hooks and theme, and synthetic evidence."""
    taxonomy = load_evidence(ROOT / "evidence", Report()).taxonomy
    write_evidence(target, ROOT / "evidence", taxonomy, cases, references)
    docs = target / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Synthetic library\n\n<!-- library-stats -->\n", encoding="utf-8")
    (docs / "about.md").write_text("# About\n\nA synthetic library for benchmarks.\n", encoding="utf-8")
    shutil.copytree(ROOT / "overrides", target / "overrides")
    shutil.copytree(ROOT / "hooks", target / "hooks")
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets", dirs_exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port: int, path: str) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=600) as response:
            return response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.read().decode("utf-8", "replace")
    except (ConnectionError, urllib.error.URLError):
        return None


def wait_for(port: int, path: str, text: str, server: subprocess.Popen, since: float, timeout: float) -> float:
    """Seconds from ``since`` until ``path`` is served with ``text`` in it."""
    while time.perf_counter() - since < timeout:
        if server.poll() is not None:
            raise SystemExit(f"mkdocs serve stopped (exit {server.returncode}); the benchmark is void")
        page = fetch(port, path)
        if page is not None and text in page:
            return time.perf_counter() - since
        time.sleep(POLL)
    raise SystemExit(f"{path} never showed {text!r} within {timeout:.0f} s; the benchmark is void")


def wait_for_change(port: int, path: str, old: str | None, server: subprocess.Popen, since: float,
                    timeout: float) -> float:
    """Seconds from ``since`` until ``path`` is served and differs from ``old``."""
    while time.perf_counter() - since < timeout:
        if server.poll() is not None:
            raise SystemExit(f"mkdocs serve stopped (exit {server.returncode}); the benchmark is void")
        page = fetch(port, path)
        if page is not None and page != old and '"page_count"' in page:
            return time.perf_counter() - since
        time.sleep(POLL)
    raise SystemExit(f"{path} never changed within {timeout:.0f} s; the benchmark is void")


ENTRY = "/pagefind/pagefind-entry.json"  # names the index's metadata by its hash: any page changed, it changes


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"{path.name} has no {old!r}; the benchmark is void")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def start_server(project: Path, serve_args: list[str], log) -> tuple[subprocess.Popen, int]:
    """``mkdocs serve`` of ``project`` on a free port, with a cache of its own beside the
    project (empty at first: the first build is cold)."""
    port = free_port()
    cache = project.parent / f"{project.name}-cache"
    cache.mkdir(mode=0o700, exist_ok=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", COPROD_CACHE_HOME=str(cache))
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}",
                             *serve_args], cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT), port


def stop_server(server: subprocess.Popen | None) -> None:
    if server is not None and server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def plain_project(target: Path, cases: int, references: int) -> Path:
    """scripts/benchmark.py's plain peer: MkDocs + Material + search, the same bodies as pages."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import benchmark  # a module in sys.modules (its dataclasses look it up there)

    return benchmark._project(target, cases, references, "plain")


def _edit_others(evidence: Path, port: int, server: subprocess.Popen, limit: float) -> tuple[float, float]:
    """Seconds from saving to served: a new title for the first reference case-00000 cites
    (references.bib), then a new label for a principle a case study lists (taxonomy.yml)."""
    # references.bib: a new title for the first reference case-00000 cites
    first = evidence / "case-studies" / "case-00000.md"
    key = re.search(r"\[@(Ref\d+)\]", first.read_text(encoding="utf-8")).group(1)
    bib = evidence / "references.bib"
    text = bib.read_text(encoding="utf-8")
    entry = text.index(f"@article{{{key},")
    title = text.index("title = {", entry) + len("title = {")
    since = time.perf_counter()
    bib.write_text(text[:title] + "Retitled zqxbib " + text[title:], encoding="utf-8")
    bib_time = wait_for(port, "/case-studies/case-00000/", "Retitled zqxbib", server, since, limit)
    time.sleep(0.7)
    # taxonomy.yml: a new label for a principle case-00000 lists
    tax = evidence / "taxonomy.yml"
    since = time.perf_counter()
    replace_in(tax, "label: Reciprocity", "label: Reciprocity zqxtax")
    principled = next(p.stem for p in sorted((evidence / "case-studies").glob("*.md"))
                      if "principle: reciprocity" in p.read_text(encoding="utf-8"))
    tax_time = wait_for(port, f"/case-studies/{principled}/", "Reciprocity zqxtax", server, since, limit)
    return bib_time, tax_time


def run(cases: int, references: int, edits: int, serve_args: list[str], peer: str | None = None,
        limit: float | None = None, others: bool = True) -> dict[str, object]:
    """The edits (see the module's docstring); ``limit`` seconds for the first build and for
    each edit to show (default: :func:`default_limit`); ``others`` False leaves out the edits
    of references.bib and taxonomy.yml."""
    limit = limit or default_limit(cases)
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp) / "full", cases, references)
        evidence = project / "evidence"
        log = open(Path(tmp) / "serve.log", "w+", encoding="utf-8")  # noqa: SIM115 - read at the end
        plain, plain_times, plain_port = None, [], 0
        start = time.perf_counter()
        server, port = start_server(project, serve_args, log)
        try:
            cold = wait_for(port, "/case-studies/case-00000/", "Synthetic case study number 0", server, start, limit)
            if peer == "plain":  # MkDocs' own floor, beside it (see the module's docstring)
                plain_dir = plain_project(Path(tmp) / "plain", cases, references)
                plain_log = open(Path(tmp) / "plain.log", "w+", encoding="utf-8")  # noqa: SIM115 - closed with tmp
                plain, plain_port = start_server(plain_dir, serve_args, plain_log)
                wait_for(plain_port, "/cases/case-00000/", "<h1", plain, time.perf_counter(), limit)
            time.sleep(1.0)  # let the first build's tail (and the watcher's first scan) settle
            times, searched = [], []
            for n in range(edits):
                case = f"case-{(n * 37) % cases:05d}"
                marker = f"Edited sentence number {n} zqx{n}."
                path = evidence / "case-studies" / f"{case}.md"
                entry = fetch(port, ENTRY)
                since = time.perf_counter()
                replace_in(path, "## What happened\n\n", f"## What happened\n\n{marker} ")
                times.append(wait_for(port, f"/case-studies/{case}/", marker, server, since, limit))
                searched.append(wait_for_change(port, ENTRY, entry, server, since, limit))
                time.sleep(0.7)  # past the watcher's next poll, so edits do not overlap
                if plain is not None:  # the same edit of the same body, in the plain project
                    since = time.perf_counter()
                    replace_in(plain_dir / "docs" / "cases" / f"{case}.md", "## What happened\n\n",
                               f"## What happened\n\n{marker} ")
                    plain_times.append(wait_for(plain_port, f"/cases/{case}/", marker, plain, since, limit))
                    time.sleep(0.7)
            bib_time = tax_time = None
            if others:
                bib_time, tax_time = _edit_others(evidence, port, server, limit)
        finally:
            stop_server(server)
            stop_server(plain)
            log.seek(0)
            output = log.read()
            log.close()
        if "Traceback" in output:
            print(output[-4000:], file=sys.stderr)
            raise SystemExit("mkdocs serve raised an error; the benchmark is void")
        return {"cold": cold, "edits": times, "searched": searched, "bib": bib_time, "taxonomy": tax_time,
                "log": output, "plain": plain_times}


def floor(cases: int, references: int, rounds: int) -> None:
    """MkDocs' own rebuild after one edit, dirty and whole (see the module's docstring)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    url = "http://127.0.0.1:8000/"
    with tempfile.TemporaryDirectory() as tmp:
        project = plain_project(Path(tmp) / "plain", cases, references)
        cwd = os.getcwd()
        os.chdir(project)
        logging.getLogger("mkdocs").setLevel(logging.ERROR)

        def rebuild(dirty: bool) -> tuple[float, float]:
            config = load_config(str(project / "mkdocs.yml"), site_dir=str(Path(tmp) / "site"))
            config.site_url = url
            wall, cpu = time.perf_counter(), time.process_time()
            build(config, serve_url=url, dirty=dirty)
            return time.perf_counter() - wall, time.process_time() - cpu

        try:
            load = os.getloadavg()
            first = rebuild(False)
            print(f"  first build: {first[0]:.2f} s wall, {first[1]:.2f} s CPU", flush=True)
            times: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
            page = project / "docs" / "cases" / f"case-{37 % cases:05d}.md"  # any size
            for n in range(rounds):
                for dirty in ((True, False) if n % 2 == 0 else (False, True)):
                    time.sleep(0.02)  # a newer modification time than the page written last
                    replace_in(page, "## What happened\n\n", f"## What happened\n\nFloor edit {n}{dirty}. ")
                    times[dirty].append(rebuild(dirty))
            after = os.getloadavg()
        finally:
            os.chdir(cwd)
    for dirty, label in ((True, "dirty (only the edited page rendered)"), (False, "whole (every page rendered)")):
        walls, cpus = [t[0] for t in times[dirty]], [t[1] for t in times[dirty]]
        print(f"  MkDocs' rebuild, {label}: median {statistics.median(walls):.2f} s wall "
              f"({', '.join(f'{w:.2f}' for w in walls)}), {statistics.median(cpus):.2f} s CPU")
    print(f"  load average (1, 5, 15 min) before {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}; after "
          f"{after[0]:.1f}, {after[1]:.1f}, {after[2]:.1f} (cpus={os.cpu_count()}; a shared machine)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="benchmark serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1_000)
    parser.add_argument("--references", type=int, default=500)
    parser.add_argument("--edits", type=int, default=5, help="case-study edits; the median is shown")
    parser.add_argument("--log", action="store_true", help="print what mkdocs serve said")
    parser.add_argument("--limit", type=float, default=None,
                        help="seconds to wait for the first build and for each edit to show before the run is void "
                             "(default: 600 + 1 s per case study)")
    parser.add_argument("--peer", choices=["plain"], default=None,
                        help="time the same edits in plain MkDocs + Material, served beside it (MkDocs' own floor)")
    parser.add_argument("serve_args", nargs="*", help="options for mkdocs serve (after --), e.g. -- --no-livereload")
    parser.add_argument("--floor", action="store_true",
                        help="MkDocs' own rebuild of the plain project after one edit, dirty and whole, in one process")
    args = parser.parse_args(argv)
    if args.floor:
        print(f"floor: plain MkDocs + Material, N={args.cases} pages, {args.edits} rounds of a dirty and a whole "
              "rebuild after one edit", flush=True)
        return floor(args.cases, args.references, args.edits)
    print(f"serve: N={args.cases} case studies citing 6 of M={args.references} references, "
          f"{args.edits} edits (mkdocs serve {' '.join(args.serve_args)})".rstrip(" ()") + ")", flush=True)
    load = os.getloadavg()
    result = run(args.cases, args.references, args.edits, args.serve_args, args.peer, args.limit)
    if args.log:
        print(result["log"])
    edits, cold = result["edits"], result["cold"]
    median = statistics.median(edits)
    print(f"  first build (start to first page served): {cold:6.2f} s")
    print(f"  edit one case study: median {median:5.2f} s over {len(edits)} "
          f"({', '.join(f'{t:.2f}' for t in edits)}); target <= {TARGET_EDIT:.1f} s: "
          f"{'meets' if median <= TARGET_EDIT else 'MISSES'}")
    if result["plain"]:
        plain = result["plain"]
        print(f"  the same edit in plain MkDocs + Material (served beside it, edits alternating): median "
              f"{statistics.median(plain):5.2f} s ({', '.join(f'{t:.2f}' for t in plain)}); "
              f"ours / plain, pair by pair: {', '.join(f'{a / b:.2f}' for a, b in zip(edits, plain))}")
    searched = result["searched"]
    print(f"  edit one case study, to the search index written: median {statistics.median(searched):5.2f} s "
          f"({', '.join(f'{t:.2f}' for t in searched)})")
    for name in ("bib", "taxonomy"):
        label = "references.bib" if name == "bib" else "taxonomy.yml"
        print(f"  edit {label}: {result[name]:6.2f} s; target <= the first build ({cold:.2f} s): "
              f"{'meets' if result[name] <= cold else 'MISSES'}")
    after = os.getloadavg()
    print(f"  load average (1, 5, 15 min) before {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}; after "
          f"{after[0]:.1f}, {after[1]:.1f}, {after[2]:.1f} (cpus={os.cpu_count()}; a shared machine)")


if __name__ == "__main__":
    main()
