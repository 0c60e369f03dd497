#!/usr/bin/env python3
"""Every row of issue 25's table from one run (a benchmark, not a test).

    python scripts/benchmark.py all [--cases 1000] [--large 10000] [--json PATH]
    python scripts/benchmark.py all --quick        # small sizes, to try it
    python scripts/benchmark_all.py ...            # the same

Runs each row in turn, each in a process of its own with a time limit: a row that fails
or runs past its limit prints why, and the run goes on to the next. At the end it prints a
table shaped like the issue's: each figure with its target and whether it is reached, the
load average (1 minute) at the start and the end of its row, and the row's time; ``--json
PATH`` writes the same, with every row's detail, as JSON (after each row, so a run that is
stopped keeps what it measured). It exits 1 if a row failed or ran past its limit.

The rows (the sizes are options):

- ``build``: cold builds of the full site and of plain MkDocs + Material with its search on
  the same bodies (``benchmark.py build``'s peers) at N = ``--cases``, ``--repeat`` rounds
  alternating which goes first, then the full site at 2N: full / plain at N (target at
  most 2.0) and 2N / N (at most 2.1); wall time is judged, CPU shown beside it.
- ``serve``: ``mkdocs serve --dirty`` of N case studies (``benchmark_serve.py``): each of
  ``--edits`` edits of one case study timed from the save to its page served (median:
  target at most 1.0 s) and to the search index written; ``--serve-peer`` times the same
  edits in plain MkDocs + Material served beside it, edit by edit.
- ``validate``: cold validation (no cache) of ``--large`` case studies, ``--repeat`` runs
  alternating with bare libyaml reading the same front matter (``benchmark.py validate``):
  the median, target at most 10 s.
- ``memory``: one cold build of the large library: the build process's own peak resident
  memory (target at most 1 GB), each kind of child's (Pagefind, Node's citation
  processor, the validation workers) apart, and the whole tree's.
- ``search``: the site the memory row built (built once for both), with the index that
  build wrote, in Chromium (``benchmark_search.py``): typing to results (median: target at
  most 100 ms) against Pagefind's own ``search()`` on the same index in the same run (at
  most 1.2 times it), and the first search's bytes for each query (at most 300 KB each).
- ``phases``: where one full build's time goes at N, phase by phase, and validation's
  serially (``benchmark.py phases``); no target.

The large library (memory, search) has the search benchmark's text (real sentences mixed
with new ones: ``tools.synthetic_text``) and ``--large-references`` references, and is
built without Material's search plugin (``benchmark_search.py`` alone adds it, to compare
index sizes; it would add to the memory measured). The build, serve and phases rows use
``benchmark.py``'s words and ``--references``, and validation a folder of its own as
``benchmark.py validate`` makes it, so each figure compares with its subcommand's.

Every build has a cache of its own that starts empty, in the run's folder (removed at the
end unless ``--keep``), and every row's temporary folders are in one folder the run
removes at the end, so nothing is left in the user's cache or in /tmp, even by a row
stopped at its limit.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

ROWS = ("build", "serve", "validate", "memory", "search", "phases")
MB = 1024 * 1024
GRACE = 90  # seconds a row stopped at its limit has to clean up (stop its servers) before it is killed

# each row's lines in the table: (key, figure, target); {n}, {double}, {large}, {queries} are filled in
FIGURES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "build": (("full_plain", "cold build, full / plain at {n:,}", "≤ 2.0×"),
              ("double", "{double:,} / {n:,}", "≤ 2.1")),
    "serve": (("edit", "edit one case study → page served (`serve --dirty`, {n:,})", "≤ 1.0 s"),),
    "validate": (("cold", "validation of {large:,} copies, cold", "≤ 10 s"),),
    "memory": (("own", "peak RSS at {large:,}, build process", "≤ 1,024 MB"),
               ("children", "peak RSS at {large:,}, children (each process)", "–")),
    "search": (("typing", "search at {large:,}, typing to results (median)", "≤ 100 ms"),
               ("ratio", "typing to results / Pagefind's own `search()` (medians)", "≤ 1.2×"),
               ("bytes", "first search, largest of {queries} queries", "≤ 300 KB each"),
               ("pagefind", "Pagefind's own `search()` at {large:,} (median)", "(≤ 100 ms)")),
    "phases": (("phases", "where a full build's time goes at {n:,} (CPU of the build process)", "–"),),
}


# --------------------------------------------------------------------------- the rows (each in its own process)

def figure(text: str, value: float | None = None, reached: bool | None = None) -> dict:
    return {"value": value, "text": text, "reached": reached}


def row_build(o: dict, work: Path) -> dict:
    import benchmark

    n, m = o["cases"], o["references"]
    kinds = ("full", "plain", "bibtex") if o["bibtex"] else ("full", "plain")
    if o["bibtex"]:
        benchmark._check_bibtex()
    print(f"build: N={n:,} ({', '.join(kinds)}) and 2N={2 * n:,} (full), {o['repeat']} round(s) each, every build "
          f"cold; M={m} references", flush=True)
    results = benchmark.build_pairs(n, m, kinds, ("full",), o["repeat"], o["repeat"])
    full, plain, double = results[n, "full"], results[n, "plain"], results[2 * n, "full"]
    ratio, cpu = full.wall / plain.wall, full.cpu / plain.cpu
    twice, twice_cpu = double.wall / full.wall, double.cpu / full.cpu
    return {
        "figures": {
            "full_plain": figure(f"{ratio:.2f}× (CPU {cpu:.2f}×; {full.wall:.1f} s / {plain.wall:.1f} s wall)",
                                 ratio, ratio <= 2.0),
            "double": figure(f"{twice:.2f} (CPU {twice_cpu:.2f}; {double.wall:.1f} s / {full.wall:.1f} s wall)",
                             twice, twice <= 2.1),
        },
        "detail": {f"{kind} at {size}": dataclasses.asdict(build) for (size, kind), build in results.items()},
    }


def row_serve(o: dict, work: Path) -> dict:
    import statistics

    import benchmark_serve

    n, edits = o["cases"], o["edits"]
    peer = "plain" if o["serve_peer"] else None
    print(f"serve: mkdocs serve --dirty, N={n:,} case studies, {edits} edit(s) of one case study"
          f"{', plain MkDocs + Material served beside it' if peer else ''}", flush=True)
    result = benchmark_serve.run(n, o["references"], edits, ["--dirty"], peer, others=False)
    times, searched = result["edits"], result["searched"]
    median = statistics.median(times)
    print(f"  first build (start to first page served): {result['cold']:.2f} s; edits: "
          f"{', '.join(f'{t:.2f}' for t in times)} s to the page, {', '.join(f'{t:.2f}' for t in searched)} s to "
          "the search index", flush=True)
    text = (f"{median:.2f} s median of {len(times)} ({min(times):.2f}–{max(times):.2f}); search index written "
            f"after {statistics.median(searched):.1f} s; first build {result['cold']:.1f} s")
    if result["plain"]:
        text += f"; plain MkDocs + Material {statistics.median(result['plain']):.2f} s"
    return {"figures": {"edit": figure(text, median, median <= 1.0)},
            "detail": {key: value for key, value in result.items() if key != "log"}}


def row_validate(o: dict, work: Path) -> dict:
    import benchmark

    large, m = o["large"], o["large_references"]
    os.environ["COPROD_NO_CACHE"] = "1"  # cold: every file checked
    print(f"validate: {large:,} case studies, M={m} references, cold, median of {o['repeat']} run(s), each after "
          "bare libyaml reading the same front matter", flush=True)
    v = benchmark.time_validation(large, m, None, o["repeat"])
    text = (f"{v.wall:.2f} s ({v.cpu:.1f} s CPU, {v.main_cpu:.1f} s of it in the main process; bare libyaml "
            f"{v.bare:.2f} s, ×{v.wall / v.bare:.1f})")
    print(f"  {text}", flush=True)
    return {"figures": {"cold": figure(text, v.wall, v.wall <= 10)}, "detail": dataclasses.asdict(v)}


def large_project(o: dict, work: Path) -> Path:
    """The large library (see the module's docstring), made once for the memory and search rows."""
    import benchmark
    from tools.synthetic_text import Sentences

    target = work / "large"
    if (work / "large.made").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)  # a row stopped while making it
    start = time.perf_counter()
    benchmark._project(target, o["large"], o["large_references"], "full", words=Sentences(ROOT))
    (work / "large.made").touch()
    print(f"  made the large library ({o['large']:,} case studies) in {time.perf_counter() - start:.0f} s", flush=True)
    return target


def row_memory(o: dict, work: Path) -> dict:
    import benchmark

    print(f"memory: one cold build of {o['large']:,} case studies (M={o['large_references']} references), every "
          "process's resident memory sampled every 50 ms", flush=True)
    project = large_project(o, work)
    (work / "large.built").unlink(missing_ok=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    one = benchmark.run_build(project)
    (work / "large.built").touch()  # the search row measures this site
    benchmark.print_memory(o["large"], one)
    big = [(name, peak, count) for name, (peak, count) in one.children.items() if peak >= 10 * MB]  # not gcc, git
    children = ", ".join(f"{name or '?'} {peak / MB:,.0f} MB" + (f" (the largest of {count})" if count > 1 else "")
                         for name, peak, count in sorted(big, key=lambda item: -item[1]))
    return {
        "figures": {
            "own": figure(f"{one.own / MB:,.0f} MB (largest process {one.largest / MB:,.0f} MB, tree "
                          f"{one.tree / MB:,.0f} MB; build {one.wall:.0f} s wall, {one.cpu:.0f} s CPU)",
                          one.own / MB, one.own <= 1024 * MB),
            "children": figure(children or "none over 10 MB"),
        },
        "detail": dataclasses.asdict(one),
    }


def row_search(o: dict, work: Path) -> dict:
    import benchmark
    import benchmark_search

    queries = benchmark_search.QUERIES[:o["queries"]]
    print(f"search: {o['large']:,} case studies, {len(queries)} queries, in Chromium", flush=True)
    project = large_project(o, work)
    if not (work / "large.built").exists():
        print("  the memory row did not build the large library: building it here", flush=True)
        shutil.rmtree(project / "site", ignore_errors=True)
        benchmark.run_build(project)
        (work / "large.built").touch()
    args = argparse.Namespace(cases=o["large"], reuse_index=True)
    figures = benchmark_search.report(args, project / "site", None, queries)
    s = benchmark_search.summary(figures)
    largest, over = s["first_bytes_largest"], s["over_300_kb"]
    return {
        "figures": {
            "typing": figure(f"{s['typing_ms']:.0f} ms (searching again {s['again_ms']:.0f} ms)", s["typing_ms"],
                             s["typing_ms"] <= 100),
            "ratio": figure(f"{s['ratio']:.2f}× ({s['typing_ms']:.0f} ms / {s['pagefind_search_ms']:.0f} ms)",
                            s["ratio"], s["ratio"] <= 1.2),
            "bytes": figure(f"{largest / 1024:,.0f} KB ({s['largest_query']}); {len(over)} of {s['queries']} over "
                            f"300 KB; median {s['first_bytes_median'] / 1024:,.0f} KB", largest / 1024,
                            largest <= 300 * 1024),
            "pagefind": figure(f"{s['pagefind_search_ms']:.0f} ms (its init {s['pagefind_init_ms']:.0f} ms)",
                               s["pagefind_search_ms"]),
        },
        "detail": {"summary": s, "first_search": [{key: f[key] for key in ("query", "ms", "bytes", "matches", "by_kind")}
                                                  for f in figures["first"]],
                   **{key: value for key, value in figures.items() if key != "first"}},
    }


def row_phases(o: dict, work: Path) -> dict:
    import benchmark

    print(f"phases: one full build at N={o['cases']:,}, timed phase by phase; then validation serially", flush=True)
    data = benchmark.phases(o["cases"], o["references"])
    build = data["build"]
    top = sorted(build["phases"], key=lambda p: -p["cpu"])[:4]
    text = f"{build['cpu']:.1f} s CPU: " + ", ".join(f"{p['phase']} {100 * p['cpu'] / build['cpu']:.0f}%" for p in top)
    return {"figures": {"phases": figure(text)}, "detail": data}


RUN = {"build": row_build, "serve": row_serve, "validate": row_validate, "memory": row_memory,
       "search": row_search, "phases": row_phases}


def _stopped(signum, frame) -> None:
    raise SystemExit("stopped at its time limit")


def run_row_here(name: str, work: Path) -> int:
    """The row ``name`` in this process: its figures to ``work``/rows/NAME.json, or why it
    failed to NAME.error."""
    signal.signal(signal.SIGTERM, _stopped)  # so servers and temporary folders are cleaned up
    options = json.loads((work / "options.json").read_text(encoding="utf-8"))
    rows = work / "rows"
    try:
        result = RUN[name](options, work)
    except SystemExit as stop:
        if stop.code in (None, 0):
            raise
        (rows / f"{name}.error").write_text(str(stop.code), encoding="utf-8")
        print(f"  {name}: {stop.code}", file=sys.stderr, flush=True)
        return 1
    except BaseException as error:  # noqa: BLE001 - a benchmark row: say why, and let the run go on
        traceback.print_exc()
        (rows / f"{name}.error").write_text(f"{type(error).__name__}: {error}", encoding="utf-8")
        return 1
    (rows / f"{name}.json").write_text(json.dumps(result, default=str), encoding="utf-8")
    return 0


# --------------------------------------------------------------------------- the run

def default_limits(o: dict) -> dict[str, float]:
    """Seconds each row may take: generous for a slow or shared machine (a 1,000 and 2,000
    build pair once took 25 minutes at load 29), and growing with the sizes."""
    n, large, repeat = o["cases"], o["large"], o["repeat"]
    full = lambda size: 120 + 0.6 * size  # one cold full build
    plain = lambda size: 30 + 0.06 * size
    return {
        "build": 60 + repeat * (full(n) + plain(n) * (2 if o["bibtex"] else 1) + full(2 * n)),
        "serve": 120 + 1.5 * full(n) + o["edits"] * (60 + 0.1 * n) * (2 if o["serve_peer"] else 1),
        "validate": 60 + 0.002 * large + repeat * (60 + 0.03 * large),
        "memory": 60 + 0.003 * large + full(large),
        "search": 300 + 0.003 * large + o["queries"] * 3 * (5 + 0.002 * large) + full(large),  # may build the site
        "phases": 60 + 1.5 * full(n) + 0.01 * n,
    }


def duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def _started(pid: int) -> str | None:
    """A process's start time (field 22 of /proc/PID/stat): with the id, it names one process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
        return stat[stat.rfind(b")") + 2:].split()[19].decode()
    except (OSError, IndexError):
        return None


def stop_row(process: subprocess.Popen) -> None:
    """Stop a row past its limit: its process group asked to stop (the row cleans up: it
    stops its servers, removes its folders), then, after GRACE seconds, every process of
    the row's tree still running, by its id (Chromium runs in a process group of its own)."""
    import benchmark

    family = [(pid, _started(pid)) for pid in (process.pid, *benchmark._children(process.pid))]
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        process.wait(GRACE)
    except subprocess.TimeoutExpired:  # and what it started while cleaning up
        family += [(pid, _started(pid)) for pid in benchmark._children(process.pid)]
    for pid, started in family:
        if started is not None and _started(pid) == started:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    process.wait()


def run_row(name: str, work: Path, tmp: Path, limit: float) -> tuple[str, str | None, dict | None]:
    """(status, why it failed, result) of the row ``name`` in a process of its own, whose
    temporary folders are made in ``tmp``."""
    command = [sys.executable, str(Path(__file__).resolve()), "_row", name, str(work)]
    env = dict(os.environ, PYTHONUNBUFFERED="1", COPROD_CACHE_HOME=str(work / "cache"), TMPDIR=str(tmp))
    process = subprocess.Popen(command, env=env, start_new_session=True)
    try:
        code = process.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        stop_row(process)
        return "over its limit", f"stopped after {duration(limit)}", None
    except BaseException:  # this run is stopped (Ctrl-C): the row too
        stop_row(process)
        raise
    result, error = work / "rows" / f"{name}.json", work / "rows" / f"{name}.error"
    if code == 0 and result.exists():
        return "ok", None, json.loads(result.read_text(encoding="utf-8"))
    why = error.read_text(encoding="utf-8") if error.exists() else f"its process exited with {code}"
    return "failed", why, None


def titles(o: dict) -> dict[str, list[tuple[str, str, str]]]:
    fill = {"n": o["cases"], "double": 2 * o["cases"], "large": o["large"], "queries": o["queries"]}
    return {row: [(key, title.format(**fill), target) for key, title, target in lines]
            for row, lines in FIGURES.items()}


def table(o: dict, rows: list[dict]) -> str:
    """The issue's table, from this run's rows."""
    lines = ["| figure | now | target | reached | load (1 min) at the row's start → end | row's time |",
             "|---|---|---|---|---|---|"]
    named = titles(o)
    for row in rows:
        load = f"{row['load_start'][0]:.1f} → {row['load_end'][0]:.1f}"
        for key, title, target in named[row["row"]]:
            if row["status"] == "ok":
                one = row["figures"][key]
                now = one["text"]
                reached = {True: "yes", False: "no", None: "–"}[one["reached"]]
            else:
                now, reached = f"{row['status']}: {row['why'].strip().splitlines()[0]}", "–"
            lines.append(f"| {title} | {now.replace('|', '/')} | {target} | {reached} | {load} | "
                         f"{duration(row['elapsed'])} |")
    return "\n".join(lines)


def options(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="benchmark.py all", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="small sizes to try it: --cases 50 --large 500 --repeat 1 --edits 2 (each can be given)")
    parser.add_argument("--cases", type=int, help="N for the build, serve and phases rows (default 1000)")
    parser.add_argument("--large", type=int, help="the size of the validate, memory and search rows (default 10000)")
    parser.add_argument("--references", type=int, default=500, help="references at N (as benchmark.py build)")
    parser.add_argument("--large-references", type=int, default=900,
                        help="references at the large size (at most 980: references.bib holds at most 1,000)")
    parser.add_argument("--repeat", type=int, help="build rounds and validation runs; medians shown (default 3)")
    parser.add_argument("--edits", type=int, help="case-study edits while serving (default 5)")
    parser.add_argument("--queries", type=int, default=20, help="how many of the search benchmark's 20 queries, from the first (default 20)")
    parser.add_argument("--serve-peer", action="store_true",
                        help="time the same edits in plain MkDocs + Material served beside it")
    parser.add_argument("--bibtex", action="store_true", help="mkdocs-bibtex as a third peer in the build row")
    parser.add_argument("--rows", nargs="+", choices=ROWS, default=list(ROWS), help="which rows (in the table's order)")
    parser.add_argument("--limit", action="append", default=[], metavar="ROW=SECONDS",
                        help="a row's time limit (default: generous, growing with the sizes; shown as each row starts)")
    parser.add_argument("--limit-factor", type=float, default=1.0, help="every default limit times this")
    parser.add_argument("--json", type=Path, help="write the figures and every row's detail here")
    parser.add_argument("--keep", type=Path, help="work in this new folder and keep it (the large site among it)")
    args = parser.parse_args(argv)
    sizes = (50, 500, 1, 2) if args.quick else (1000, 10_000, 3, 5)
    for name, value in zip(("cases", "large", "repeat", "edits"), sizes):
        if getattr(args, name) is None:
            setattr(args, name, value)
    args.queries = max(1, min(args.queries, 20))
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_row"]:
        return run_row_here(argv[1], Path(argv[2]))
    args = options(argv)
    o = {key: getattr(args, key) for key in ("cases", "large", "references", "large_references", "repeat", "edits",
                                             "queries", "serve_peer", "bibtex")}
    limits = {row: seconds * args.limit_factor for row, seconds in default_limits(o).items()}
    for given in args.limit:
        row, _, seconds = given.partition("=")
        if row not in ROWS or not seconds.replace(".", "", 1).isdigit():
            raise SystemExit(f"--limit {given}: expected ROW=SECONDS with ROW one of {', '.join(ROWS)}")
        limits[row] = float(seconds)
    if args.keep:
        try:
            args.keep.mkdir(parents=True)  # a new folder: the run must not mix with an older one's files
        except FileExistsError:
            raise SystemExit(f"--keep {args.keep}: the folder exists; name a new one") from None
        work = args.keep.resolve()
    else:
        work = Path(tempfile.mkdtemp(prefix="benchmark-all-"))
    (work / "rows").mkdir()
    (work / "cache").mkdir(mode=0o700)
    # every row's temporary folders (a row stopped at its limit may leave some): a short path,
    # as Chromium's socket in it must be (at most 107 characters)
    tmp = Path(tempfile.mkdtemp(prefix="benchmark-all-tmp-"))
    (work / "options.json").write_text(json.dumps(o), encoding="utf-8")
    rows = [row for row in ROWS if row in args.rows]
    run = {"command": ["scripts/benchmark.py", "all", *argv], "options": o, "cpus": os.cpu_count(), "tmp": str(tmp),
           "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "load_start": os.getloadavg(), "rows": []}
    print(f"all: {len(rows)} rows ({', '.join(rows)}): N={o['cases']:,}, 2N={2 * o['cases']:,}, large={o['large']:,}; "
          f"{o['repeat']} round(s), {o['edits']} edit(s), {o['queries']} queries; cpus={os.cpu_count()}; load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; working in {work}", flush=True)
    start = time.perf_counter()
    try:
        for number, name in enumerate(rows, 1):
            load_start, begun = os.getloadavg(), time.perf_counter()
            print(f"\n== row {number}/{len(rows)}: {name} (limit {duration(limits[name])}; load {load_start[0]:.1f})",
                  flush=True)
            status, why, result = run_row(name, work, tmp, limits[name])
            row = {"row": name, "status": status, "why": why, "limit": limits[name], "load_start": load_start,
                   "load_end": os.getloadavg(), "elapsed": time.perf_counter() - begun,
                   "figures": (result or {}).get("figures"), "detail": (result or {}).get("detail")}
            run["rows"].append(row)
            print(f"== {name}: {status}" + (f" ({why})" if why else "") + f"; {duration(row['elapsed'])}; load "
                  f"{row['load_start'][0]:.1f} → {row['load_end'][0]:.1f}", flush=True)
            run.update(elapsed=time.perf_counter() - start, load_end=os.getloadavg())
            if args.json:
                args.json.write_text(json.dumps(run, indent=1, default=str), encoding="utf-8")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nissue 25's table from one run ({run['started']}, {duration(run['elapsed'])} in all; cpus={os.cpu_count()}; "
          f"load average (1 min) {run['load_start'][0]:.1f} at the start, {run['load_end'][0]:.1f} at the end):\n")
    print(table(o, run["rows"]))
    failed = [row["row"] for row in run["rows"] if row["status"] != "ok"]
    if failed:
        print(f"\nnot measured: {', '.join(failed)} (the reasons are in the table)")
    if args.json:
        print(f"\nwritten to {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
