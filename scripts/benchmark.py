#!/usr/bin/env python3
"""Benchmarks (not tests): print figures and ratios measured in one run.

    python scripts/benchmark.py validate [--cases 10000] [--references 900]
    python scripts/benchmark.py build [--cases 1000] [--references 500] [--repeat 3]
    python scripts/benchmark.py memory [--cases 10000]
    python scripts/benchmark.py phases [--cases 1000]
    python scripts/benchmark.py serve [...]          (scripts/benchmark_serve.py)

``validate`` generates a synthetic evidence folder of N case studies and M references in a
temporary folder, times the full validation of N and of 2N in the same run, cold (no cache), beside bare
libyaml parsing the same front matter, and prints the times and the ratio (target:
N=10,000 in at most 10 s; 2N at most 2.2 times N).

``build`` makes, for N and 2N synthetic case studies each citing 6 of M references, three
projects of the same bodies and builds them in turn, ``--repeat`` rounds, each build a
fresh ``mkdocs build`` process:

- full: this project (the real mkdocs.yml, hooks, every generated page, search, PDF);
- plain: MkDocs + Material with its search plugin, the bodies as pages out of the nav,
  the project's markdown extensions; citations stay as ``[@key]``;
- bibtex: plain + mkdocs-bibtex (``pip install .[bench]``) on the same references.bib,
  citations as footnotes (so the ``footnotes`` extension too).

It prints each one's median wall time and peak memory, and every ratio issue 16 sets
(full/plain at most 2.0 at N = 1,000; 2N/N at most 2.1). Memory is the peak resident set of
the build's process tree: ``largest`` is the largest single process (``getrusage`` of the
waited-for build, as ``/usr/bin/time -v`` reports it), ``tree`` the largest sum over the
build and its children (the validation workers, Pagefind), sampled every 50 ms.

``memory`` builds the full project once at N = 10,000 (target: at most 1 GB).

``phases`` runs one full build in a process that times each phase (validation, page
generation, MkDocs' markdown and templates, each hook's work, the search index, the PDF)
and prints where the time goes; it also profiles validation's per-file work serially.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))  # tools/: the synthetic data, outside the core package

from tools.synthetic import write_evidence

from coprod.checks.evidence import load_evidence
from coprod.read.problems import Report

KINDS = ("full", "plain", "bibtex")
MB = 1024 * 1024


def _taxonomy():
    report = Report()
    evidence = load_evidence(ROOT / "evidence", report)
    return evidence.taxonomy


# --------------------------------------------------------------------------- validate

@dataclasses.dataclass
class Validation:
    """Medians of ``repeat`` cold validations of one folder, and of bare libyaml reading it."""

    wall: float  # load_evidence, in this process (imports done, schemas compiled: see bench_validate)
    cpu: float  # of this process and its workers
    main_cpu: float  # of this process alone: what the workers do not share (the checks across files, ...)
    warnings: int
    bare: float  # libyaml's CSafeLoader reading the same front matter, in this process


def time_validation(cases: int, references: int, workers: int | None, repeat: int) -> Validation:
    """``repeat`` full validations of one synthetic folder (cold: no cache), alternating
    with bare libyaml parsing the same front matter in this process (the floor of reading
    the files)."""
    import yaml

    with tempfile.TemporaryDirectory() as tmp:
        evidence = write_evidence(Path(tmp), ROOT / "evidence", _taxonomy(), cases, references)
        times, bare, cpus, own = [], [], [], []
        for _ in range(repeat):
            start = time.perf_counter()
            for path in sorted((evidence / "case-studies").glob("*.md")):
                yaml.load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0][4:], Loader=yaml.CSafeLoader)
            bare.append(time.perf_counter() - start)
            report = Report()
            start, cpu, main_cpu = time.perf_counter(), _cpu(), time.process_time()
            load_evidence(evidence, report, workers=workers)
            times.append(time.perf_counter() - start)
            cpus.append(_cpu() - cpu)
            own.append(time.process_time() - main_cpu)
            if report.errors:
                print("\n".join(p.format() for p in report.errors[:10]), file=sys.stderr)
                raise SystemExit("the synthetic evidence has errors; the benchmark is void")
        median = statistics.median
        return Validation(median(times), median(cpus), median(own), len(report.warnings), median(bare))


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the workers)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bench_validate(args: argparse.Namespace) -> None:
    """Cold means no cache: every file is read and checked. Timed from load_evidence's call
    to its return in this process, so the interpreter's start, the imports and compiling
    the schemas (done once per process, for the real evidence the synthetic folder copies)
    are not in it; starting the worker processes (forked) is."""
    n, m = args.cases, args.references
    print(f"validate: N={n} case studies, M={m} references (workers={args.workers or 'auto'}, "
          f"median of {args.repeat} runs)")
    os.environ["COPROD_NO_CACHE"] = "1"  # cold: every file checked
    one = time_validation(n, m, args.workers, args.repeat)
    for label, size, run in (("N ", n, one), ("2N", 2 * n, None)):
        run = run or time_validation(2 * n, m, args.workers, args.repeat)
        print(f"  {label} = {size:>6}: {run.wall:6.2f} s, {run.cpu:.1f} s CPU, {run.main_cpu:.1f} s of it in the main "
              f"process ({1000 * run.wall / size:.2f} ms per case study; {run.warnings} warnings); bare libyaml "
              f"{run.bare:.2f} s in one process (x{run.wall / run.bare:.1f}); load {os.getloadavg()[0]:.1f}", flush=True)
        if label == "2N":
            print(f"  ratio 2N/N = {run.wall / one.wall:.2f} (target <= 2.2); N time "
                  f"{'meets' if one.wall <= 10 else 'MISSES'} the 10 s target")


# --------------------------------------------------------------------------- projects

def _project(target: Path, cases: int, references: int, kind: str) -> Path:
    """A project folder of ``kind`` (see :data:`KINDS`) with the same synthetic bodies."""
    evidence = write_evidence(target, ROOT / "evidence", _taxonomy(), cases, references)
    docs = target / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Synthetic library\n\n<!-- library-stats -->\n", encoding="utf-8")
    (docs / "about.md").write_text("# About\n\nA synthetic library for benchmarks.\n", encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    shutil.copytree(ROOT / "overrides", target / "overrides")
    if kind == "full":
        shutil.copytree(ROOT / "hooks", target / "hooks")
        shutil.copytree(ROOT / "docs" / "assets", docs / "assets", dirs_exist_ok=True)
        (target / "mkdocs.yml").write_text(config, encoding="utf-8")
        return target
    # the same bodies as ordinary pages, out of the navigation; no hooks
    (docs / "cases").mkdir()
    for path in sorted((evidence / "case-studies").glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        (docs / "cases" / path.name).write_text(f"# {path.stem}\n{body}", encoding="utf-8")
    plugins = "plugins:\n  - search\n"
    if kind == "bibtex":
        shutil.copy(evidence / "references.bib", target / "references.bib")
        plugins += "  - bibtex:\n      bib_file: references.bib\n"
    shutil.rmtree(evidence)
    head = config.split("hooks:")[0]
    assert "plugins: []" in head, "mkdocs.yml's plugins line changed; update the benchmark"
    head = "\n".join(plugins.rstrip("\n") if line.startswith("plugins: []") else line for line in head.split("\n"))
    extensions = config.split("markdown_extensions:")[1].split("\n\n")[0]
    if kind == "bibtex":
        extensions += "\n  - footnotes"  # mkdocs-bibtex writes its citations as footnotes
    config = (head + "markdown_extensions:" + extensions + "\n\nnot_in_nav: |\n  /cases/\n\n"
              "nav:\n  - Home: index.md\n  - About: about.md\n")
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    return target


# --------------------------------------------------------------------------- one build

def _children(pid: int) -> list[int]:
    """Every live descendant of ``pid`` (read from /proc; empty where there is none)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


class TreeMemory(threading.Thread):
    """Samples the summed resident memory of a process and its descendants."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak = pid, every, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            total = _rss(self.pid) + sum(_rss(p) for p in _children(self.pid))
            self.peak = max(self.peak, total)
            self.done.wait(self.every)


def run_build(project: Path, command: list[str] | None = None) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, largest process's peak RSS, process tree's peak RSS) of
    one quiet ``mkdocs build`` of ``project`` in a fresh process; exits if it fails. CPU
    time counts the build and every child it waited for (workers, Pagefind): on a shared
    machine it moves less than wall time."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    command = command or [sys.executable, "-m", "mkdocs", "build", "--quiet"]
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeMemory(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.done.set()
        sampler.join()
        if process.returncode != 0:
            out.seek(0)
            print(out.read().decode("utf-8", "replace")[-4000:], file=sys.stderr)
            raise SystemExit(f"the build in {project} failed; the benchmark is void")
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss * 1024, max(sampler.peak, usage.ru_maxrss * 1024)


def _check_bibtex() -> None:
    try:
        import mkdocs_bibtex  # noqa: F401
    except ImportError:
        raise SystemExit("the bibtex peer needs mkdocs-bibtex: pip install -e '.[bench]' (or pass --peers plain)")


# --------------------------------------------------------------------------- build

NAMES = {"full": "this project, full", "plain": "MkDocs + Material, search on, pages out of the nav",
         "bibtex": "the same + mkdocs-bibtex 4.4.0"}


def bench_build(args: argparse.Namespace) -> None:
    n, m, kinds = args.cases, args.references, args.peers
    double_kinds = tuple(k for k in args.double_peers if k in kinds) if args.double_peers else kinds
    double_repeat = args.double_repeat or args.repeat
    if "bibtex" in kinds:
        _check_bibtex()
    print(f"build: N={n} and 2N={2 * n} synthetic case studies citing 6 of M={m} references; at N "
          f"{', '.join(kinds)} built in turn, {args.repeat} round(s); at 2N {', '.join(double_kinds)}, "
          f"{double_repeat} round(s); medians shown; cpus={os.cpu_count()}, load average before "
          f"{os.getloadavg()[0]:.1f} (a shared machine: compare ratios from one run)", flush=True)
    results: dict[tuple[int, str], tuple[float, ...]] = {}
    for size, size_kinds, repeat in ((n, kinds, args.repeat), (2 * n, double_kinds, double_repeat)):
        with tempfile.TemporaryDirectory() as tmp:
            projects = {kind: _project(Path(tmp) / kind, size, m, kind) for kind in size_kinds}
            runs: dict[str, list[tuple[float, float, int, int]]] = {kind: [] for kind in size_kinds}
            for round_ in range(repeat):
                order = size_kinds if round_ % 2 == 0 else tuple(reversed(size_kinds))  # alternate who goes first
                for kind in order:
                    runs[kind].append(run_build(projects[kind]))
                    w, cpu, big, tree = runs[kind][-1]
                    print(f"    N={size} round {round_ + 1} {kind:>6}: {w:6.2f} s wall, {cpu:6.2f} s CPU, "
                          f"largest {big / MB:5.0f} MB, tree {tree / MB:5.0f} MB", flush=True)
        for kind in size_kinds:
            results[size, kind] = tuple(statistics.median(r[i] for r in runs[kind]) for i in range(4))
        _print_size(results, size, size_kinds, n)
    for kind in double_kinds:
        ratio = results[2 * n, kind][0] / results[n, kind][0]
        goal = f" (target <= 2.1: {'meets' if ratio <= 2.1 else 'MISSES'})" if kind == "full" else ""
        print(f"  {kind:>6} 2N/N wall = {ratio:.2f}{goal}; CPU = {results[2 * n, kind][1] / results[n, kind][1]:.2f}; "
              f"peak RSS (largest) = {results[2 * n, kind][2] / results[n, kind][2]:.2f}")


def _print_size(results: dict, size: int, kinds: tuple[str, ...], n: int) -> None:
    """The table's rows and the ratios between the builds at one size."""
    print(f"\n| build of the same bodies (N = {size:,}) | wall s | CPU s | peak RSS, largest process | "
          "peak RSS, process tree |")
    print("|---|---|---|---|---|")
    for kind in kinds:
        w, cpu, big, tree = results[size, kind]
        print(f"| {NAMES[kind]} | {w:.2f} | {cpu:.2f} | {big / MB:.0f} MB | {tree / MB:.0f} MB |")
    for a, b, target in (("full", "plain", 2.0), ("full", "bibtex", None), ("bibtex", "plain", None)):
        if (size, a) in results and (size, b) in results:
            ratio = results[size, a][0] / results[size, b][0]
            goal = f" (target <= {target}: {'meets' if ratio <= target else 'MISSES'})" if target and size == n else ""
            print(f"  N = {size:>5}: {a}/{b} wall = {ratio:.2f}{goal}; CPU = "
                  f"{results[size, a][1] / results[size, b][1]:.2f}; peak RSS (largest) = "
                  f"{results[size, a][2] / results[size, b][2]:.2f}")
    print(flush=True)


# --------------------------------------------------------------------------- memory

def bench_memory(args: argparse.Namespace) -> None:
    sizes = sorted({args.cases // 10, args.cases})
    print(f"memory: the full build at N = {', '.join(f'{s:,}' for s in sizes)} (M={args.references} references; "
          f"target <= 1 GB at 10,000)")
    peaks = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = _project(Path(tmp) / "full", size, args.references, "full")
            w, cpu, big, tree = run_build(project)
            peaks[size] = (big, tree)
            print(f"  N = {size:>6,}: {w:6.1f} s wall, {cpu:6.1f} s CPU, peak RSS largest process {big / MB:6.0f} MB, "
                  f"process tree {tree / MB:6.0f} MB", flush=True)
    big, last = peaks[sizes[-1]][0], sizes[-1]
    if len(sizes) == 2:
        a, b = sizes
        per = (peaks[b][0] - peaks[a][0]) / (b - a)
        print(f"  growth of the largest process: {per * 1000 / MB:.0f} MB per 1,000 case studies")
        if last < 10_000:  # a smaller run: say where the line it draws reaches
            big, last = peaks[b][0] + per * (10_000 - b), 10_000
            print(f"  extrapolated linearly to N = 10,000: {big / MB:.0f} MB (measure it: memory --cases 10000)")
    print(f"  at N = {last:,}: largest process {big / MB:.0f} MB: {'meets' if big <= 1024 * MB else 'MISSES'} "
          "the 1 GB target")


# --------------------------------------------------------------------------- phases

def bench_phases(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = _project(Path(tmp) / "full", args.cases, args.references, "full")
        command = [sys.executable, str(Path(__file__).resolve()), "_phases", str(project)]
        w, cpu, big, _ = run_build(project, command)
        sys.stdout.write((project / "phases.txt").read_text(encoding="utf-8"))
        print(f"  (the timed process: {w:.2f} s wall, {cpu:.2f} s CPU, peak RSS {big / MB:.0f} MB)")
        _validation_phases(project / "evidence")


def _validation_phases(evidence: Path) -> None:
    """Validation's per-file work, serially in this process, split by check."""
    from coprod.checks import body, registry
    from coprod.checks import evidence as ev

    timer = _Timer()
    timer.wrap(ev, "read_source", "read + parse YAML (read_source)")
    registry.FILE_CHECKS = tuple(dataclasses.replace(check, run=timer.timed(check.run, f"check: {check.name}"))
                                 for check in registry.FILE_CHECKS)  # each declared check of one file
    registry.LIBRARY_CHECKS = tuple(dataclasses.replace(check, run=timer.timed(check.run, f"across: {check.name}"))
                                    for check in registry.LIBRARY_CHECKS)  # each declared check across files
    for owner, name, label in (
        (body, "check_shape", "  body: shape"),
        (body, "_Body", "  body: masks"),
        (body, "_check_rendered", "  body: render + sanitise + compare"),
        (body.markdown.Markdown, "convert", "    of which Python-Markdown"),
        (body, "sanitize", "    of which nh3"),
        (registry, "find_citations", "  body: citations found"),
        (body, "find_citations", "  body: citations found"),  # a case study's, found while its body is checked
        (ev, "load_references", "references.bib (pybtex + checks)"),
    ):
        timer.wrap(owner, name, label)
    report = Report()
    wall, cpu = time.perf_counter(), time.process_time()
    load_evidence(evidence, report, workers=1)
    timer.show("validation serially (one process; inclusive times)",
               (time.perf_counter() - wall, time.process_time() - cpu))


class _Timer:
    """Wall and CPU time (of this process) spent in the wrapped functions. On a shared
    machine the CPU column is the steadier one; phases that wait for other processes
    (validation's workers, Pagefind) show their waiting as wall time only."""

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = {}
        self.calls: dict[str, int] = {}

    def wrap(self, owner, name: str, label: str) -> None:
        setattr(owner, name, self.timed(getattr(owner, name), label))

    def timed(self, original, label: str):
        """``original``, counting its time under ``label``."""
        spent, calls = self.spent, self.calls
        spent.setdefault(label, [0.0, 0.0])
        calls.setdefault(label, 0)

        def timed(*a, **k):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return original(*a, **k)
            finally:
                spent[label][0] += time.perf_counter() - wall
                spent[label][1] += time.process_time() - cpu
                calls[label] += 1

        return timed

    def show(self, title: str, total: tuple[float, float], out=None) -> None:
        out = out or sys.stdout
        print(f"\n{title}: {total[0]:.2f} s wall, {total[1]:.2f} s CPU of this process", file=out)
        print(f"  {'phase':<58} {'wall s':>7} {'CPU s':>7} {'CPU %':>6}  calls", file=out)
        for label, (wall, cpu) in self.spent.items():
            print(f"  {label:<58} {wall:7.2f} {cpu:7.2f} {100 * cpu / total[1]:5.1f} %  {self.calls[label]}", file=out)


def _phases_child(project: Path) -> None:
    """One full build of ``project`` in this process with timers on each phase."""
    os.chdir(project)
    sys.path.insert(0, str(project))
    import jinja2
    from mkdocs.commands import build as mkbuild
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    from coprod import export as coprod_export
    from coprod import search, site
    from coprod.cite import head as metadata
    from coprod.pages import pdf
    from coprod.render import csp, sanitize
    from coprod.search import pagefind_stream

    t = _Timer()
    for owner, name, label in (
        (site, "load", "validation (site.load: workers + bibliography)"),
        (site, "generate", "page generation (site.generate)"),
        (search, "markup_for_records", "search markup for records"),
        (site, "missing_from_site", "completeness check"),
        (mkbuild, "get_files", "MkDocs: find files"),
        (mkbuild, "get_navigation", "MkDocs: navigation"),
        (coprod_export, "render_docs_page", "hook: hand-written pages' markdown"),
        (Page, "render", "MkDocs: Python-Markdown (Page.render)"),
        (sanitize, "sanitize_contributed", "hook: sanitise contributed bodies (nh3)"),
        (search, "mark_page", "hook: search marking"),
        (search, "document_for_index", "hook: document for the index"),
        (pagefind_stream.StreamingIndex, "add", "hook: send to Pagefind"),
        (jinja2.Template, "render", "MkDocs: Material's templates (jinja)"),
        (metadata, "head_tags", "hook: citation metadata in <head>"),
        (csp, "harden", "hook: CSP hashing (csp.harden)"),
        (mkbuild.utils, "write_file", "MkDocs: write files"),
        (mkbuild.Files, "copy_static_files", "MkDocs: copy static files"),
        (search, "finish_index", "post-build: Pagefind finish + write"),
        (pdf, "write_business_case", "post-build: PDF (WeasyPrint)"),
    ):
        t.wrap(owner, name, label)
    config = load_config(str(project / "mkdocs.yml"))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    wall, cpu = time.perf_counter(), time.process_time()
    config.plugins.on_startup(command="build", dirty=False)
    mkbuild.build(config)
    config.plugins.on_shutdown()
    total = (time.perf_counter() - wall, time.process_time() - cpu)
    with open(project / "phases.txt", "w", encoding="utf-8") as out:
        t.show("full build, phase by phase (inclusive times; hooks run inside MkDocs' loops)", total, out)


# --------------------------------------------------------------------------- serve

def bench_serve(argv: list[str]) -> None:
    """Edit-to-page through a real ``mkdocs serve``: scripts/benchmark_serve.py."""
    import importlib.util

    path = Path(__file__).resolve().parent / "benchmark_serve.py"
    if not path.exists():
        raise SystemExit(f"the serve benchmark is {path.relative_to(ROOT)}, which this checkout does not have yet")
    spec = importlib.util.spec_from_file_location("benchmark_serve", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.argv = [str(path), *argv]
    module.main()


def main() -> None:
    if sys.argv[1:2] == ["_phases"]:
        return _phases_child(Path(sys.argv[2]))
    if sys.argv[1:2] == ["serve"]:  # its options are its own
        return bench_serve(sys.argv[2:])
    args = arguments().parse_args()
    if args.what == "build":
        args.peers = tuple(dict.fromkeys(args.peers))
    {"validate": bench_validate, "build": bench_build, "memory": bench_memory, "phases": bench_phases}[args.what](args)


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    validate = sub.add_parser("validate", help="time the validator on synthetic evidence")
    validate.add_argument("--cases", type=int, default=10_000)
    validate.add_argument("--references", type=int, default=900,
                          help="at most 980: references.bib holds at most 1,000 entries (coprod/cite/bibtex.py)")
    validate.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    validate.add_argument("--repeat", type=int, default=3, help="runs per size; the median is shown")
    build = sub.add_parser("build", help="the full build against plain MkDocs and mkdocs-bibtex, N and 2N")
    build.add_argument("--cases", type=int, default=1_000)
    build.add_argument("--references", type=int, default=500)
    build.add_argument("--repeat", type=int, default=3, help="rounds; the median is shown")
    build.add_argument("--peers", nargs="+", choices=KINDS, default=list(KINDS), help="which builds (full first)")
    build.add_argument("--double-peers", nargs="+", choices=KINDS, default=None,
                       help="which builds at 2N (default: the same; fewer when time is short)")
    build.add_argument("--double-repeat", type=int, default=None, help="rounds at 2N (default: --repeat)")
    memory = sub.add_parser("memory", help="peak memory of the full build at N/10 and N")
    memory.add_argument("--cases", type=int, default=10_000)
    memory.add_argument("--references", type=int, default=500)
    phases = sub.add_parser("phases", help="where the full build's time goes")
    phases.add_argument("--cases", type=int, default=1_000)
    phases.add_argument("--references", type=int, default=500)
    sub.add_parser("serve", help="edit-to-page through mkdocs serve (scripts/benchmark_serve.py; own options)")
    return parser


if __name__ == "__main__":
    main()
