#!/usr/bin/env python3
"""Benchmarks (not tests): print figures and ratios measured in one run.

    python scripts/benchmark.py validate [--cases 10000] [--references 900]
    python scripts/benchmark.py build [--cases 1000] [--references 500] [--repeat 3]
    python scripts/benchmark.py memory [--cases 10000]
    python scripts/benchmark.py phases [--cases 1000]
    python scripts/benchmark.py serve [...]          (scripts/benchmark_serve.py)
    python scripts/benchmark.py all [...]            (scripts/benchmark_all.py: every row, one run)

``validate`` generates a synthetic evidence folder of N case studies and M references in a
temporary folder, times the full validation of N and of 2N in the same run, cold (no cache), beside bare
libyaml parsing the same front matter, and prints the times and the ratio (target:
N=10,000 in at most 10 s; 2N at most 2.2 times N).

``build`` makes, for N and 2N synthetic case studies each citing 6 of M references, three
projects of the same bodies and builds them in turn, ``--repeat`` rounds, each build a
fresh ``mkdocs build`` process with a cache of its own that starts empty (every build cold;
the cache is keyed by the project's folder, so before, every round after the first was warm):

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

``memory`` builds the full project at N/10 and N = 10,000 and prints the build process's
own peak (target: at most 1 GB) and each kind of child's (Pagefind, Node's citation
processor, the validation workers) apart: each process's high-water mark, sampled. (A
forked worker's resident memory counts the pages it still shares with the build, as the
tree's sum does.)

``phases`` runs one full build in a process that times each phase (validation, page
generation, MkDocs' markdown and templates, each hook's work, the search index, the PDF)
and prints where the time goes; it also profiles validation's per-file work serially.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
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

def _project(target: Path, cases: int, references: int, kind: str, words=None) -> Path:
    """A project folder of ``kind`` (see :data:`KINDS`) with the same synthetic bodies (text
    from ``words``: tools.synthetic's Words by default, or tools.synthetic_text's Sentences)."""
    evidence = write_evidence(target, ROOT / "evidence", _taxonomy(), cases, references, words=words)
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


def _program(pid: int) -> tuple[str, bytes]:
    """(the file name of the program ``pid`` runs, its command line); empty if it is gone.
    (Not its ``comm``: Node names its main thread, and so its process, "MainThread".)"""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return os.path.basename(os.readlink(f"/proc/{pid}/exe")), f.read()
    except OSError:
        return "", b""


def _high_water(pid: int) -> int:
    """The peak resident memory of ``pid`` so far: the kernel's own high-water mark
    (VmHWM), so a peak between two samples is not missed; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the summed resident memory of a process and its descendants, and each
    process's own peak (its high-water mark at the last sample before it ended)."""

    def __init__(self, pid: int, every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.every, self.peak = pid, every, 0
        self.own: dict[int, tuple[str, int]] = {}  # pid: (name, peak), the build process and each child
        self.done = threading.Event()

    def run(self) -> None:
        root = _program(self.pid)
        while not self.done.is_set():
            children = _children(self.pid)
            total = _rss(self.pid) + sum(_rss(p) for p in children)
            self.peak = max(self.peak, total)
            for pid in (self.pid, *children):
                peak = _high_water(pid)
                if not peak:
                    continue
                # each time: a child is a copy of its parent until it runs its own program, whose
                # memory (and high-water mark) starts afresh
                name, line = _program(pid)
                if not name:
                    continue
                if pid != self.pid and (name, line) == root:  # forked and running on: the validation workers
                    name = f"{name}, forked from the build"
                before = self.own.get(pid)
                self.own[pid] = (name, peak if before is None or before[0] != name else max(peak, before[1]))
            self.done.wait(self.every)


@dataclasses.dataclass
class Build:
    """One build's figures (see :func:`run_build`)."""

    wall: float
    cpu: float  # the build and every child it waited for
    largest: int  # the largest single process's peak RSS (getrusage of the waited-for build)
    tree: int  # the largest sum of the tree's RSS, sampled
    own: int  # the build process's own peak RSS (its high-water mark, sampled)
    children: dict[str, tuple[int, int]]  # a child's name: (largest peak RSS among them, how many)


def run_build(project: Path, command: list[str] | None = None) -> Build:
    """One quiet ``mkdocs build`` of ``project`` in a fresh process, with a cache of its own
    that starts empty (a cold build: the cache a build writes is keyed by the project's path,
    so a second build of the same folder would otherwise be warm); exits if it fails. CPU
    time counts the build and every child it waited for (workers, Pagefind): on a shared
    machine it moves less than wall time. Memory is sampled every 50 ms."""
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryFile() as out:
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", COPROD_CACHE_HOME=cache)
        command = command or [sys.executable, "-m", "mkdocs", "build", "--quiet"]
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeMemory(process.pid)
        sampler.start()
        status = None
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            if status is None:  # this process was stopped (a time limit): stop the build too
                process.terminate()
                process.wait()
            sampler.done.set()
            sampler.join()
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            out.seek(0)
            print(out.read().decode("utf-8", "replace")[-4000:], file=sys.stderr)
            raise SystemExit(f"the build in {project} failed; the benchmark is void")
    children: dict[str, tuple[int, int]] = {}
    for pid, (name, peak) in sampler.own.items():
        if pid != process.pid:
            big, count = children.get(name, (0, 0))
            children[name] = (max(big, peak), count + 1)
    largest = usage.ru_maxrss * 1024
    return Build(elapsed, usage.ru_utime + usage.ru_stime, largest, max(sampler.peak, largest),
                 sampler.own.get(process.pid, ("", 0))[1], children)


def _check_bibtex() -> None:
    try:
        import mkdocs_bibtex  # noqa: F401
    except ImportError:
        raise SystemExit("the bibtex peer needs mkdocs-bibtex: pip install -e '.[bench]' (or pass --peers plain)")


# --------------------------------------------------------------------------- build

NAMES = {"full": "this project, full", "plain": "MkDocs + Material, search on, pages out of the nav",
         "bibtex": "the same + mkdocs-bibtex 4.4.0"}


def build_pairs(n: int, m: int, kinds: tuple[str, ...], double_kinds: tuple[str, ...], repeat: int,
                double_repeat: int) -> dict[tuple[int, str], Build]:
    """Each of ``kinds`` built ``repeat`` rounds at N (alternating who goes first), then each
    of ``double_kinds`` at 2N: the medians of each field, by (size, kind); every build cold."""
    results: dict[tuple[int, str], Build] = {}
    for size, size_kinds, rounds in ((n, kinds, repeat), (2 * n, double_kinds, double_repeat)):
        with tempfile.TemporaryDirectory() as tmp:
            projects = {kind: _project(Path(tmp) / kind, size, m, kind) for kind in size_kinds}
            runs: dict[str, list[Build]] = {kind: [] for kind in size_kinds}
            for round_ in range(rounds):
                order = size_kinds if round_ % 2 == 0 else tuple(reversed(size_kinds))  # alternate who goes first
                for kind in order:
                    one = run_build(projects[kind])
                    runs[kind].append(one)
                    print(f"    N={size} round {round_ + 1} {kind:>6}: {one.wall:6.2f} s wall, {one.cpu:6.2f} s CPU, "
                          f"largest {one.largest / MB:5.0f} MB, tree {one.tree / MB:5.0f} MB; load "
                          f"{os.getloadavg()[0]:.1f}", flush=True)
        for kind in size_kinds:
            results[size, kind] = median_build(runs[kind])
        _print_size(results, size, size_kinds, n)
    return results


def median_build(runs: list[Build]) -> Build:
    """Each number's median over ``runs``; the children of the run whose wall time is the median's."""
    median = statistics.median
    middle = sorted(runs, key=lambda r: r.wall)[(len(runs) - 1) // 2]
    return Build(median(r.wall for r in runs), median(r.cpu for r in runs), median(r.largest for r in runs),
                 median(r.tree for r in runs), median(r.own for r in runs), middle.children)


def bench_build(args: argparse.Namespace) -> None:
    n, m, kinds = args.cases, args.references, args.peers
    double_kinds = tuple(k for k in args.double_peers if k in kinds) if args.double_peers else kinds
    double_repeat = args.double_repeat or args.repeat
    if "bibtex" in kinds:
        _check_bibtex()
    print(f"build: N={n} and 2N={2 * n} synthetic case studies citing 6 of M={m} references; at N "
          f"{', '.join(kinds)} built in turn, {args.repeat} round(s); at 2N {', '.join(double_kinds)}, "
          f"{double_repeat} round(s); medians shown; every build cold (a cache of its own, empty); "
          f"cpus={os.cpu_count()}, load average before {os.getloadavg()[0]:.1f} (a shared machine: compare "
          "ratios from one run)", flush=True)
    results = build_pairs(n, m, kinds, double_kinds, args.repeat, double_repeat)
    for kind in double_kinds:
        ratio = results[2 * n, kind].wall / results[n, kind].wall
        goal = f" (target <= 2.1: {'meets' if ratio <= 2.1 else 'MISSES'})" if kind == "full" else ""
        print(f"  {kind:>6} 2N/N wall = {ratio:.2f}{goal}; CPU = {results[2 * n, kind].cpu / results[n, kind].cpu:.2f}; "
              f"peak RSS (largest) = {results[2 * n, kind].largest / results[n, kind].largest:.2f}")


def _print_size(results: dict, size: int, kinds: tuple[str, ...], n: int) -> None:
    """The table's rows and the ratios between the builds at one size."""
    print(f"\n| build of the same bodies (N = {size:,}) | wall s | CPU s | peak RSS, largest process | "
          "peak RSS, process tree |")
    print("|---|---|---|---|---|")
    for kind in kinds:
        one = results[size, kind]
        print(f"| {NAMES[kind]} | {one.wall:.2f} | {one.cpu:.2f} | {one.largest / MB:.0f} MB | {one.tree / MB:.0f} MB |")
    for a, b, target in (("full", "plain", 2.0), ("full", "bibtex", None), ("bibtex", "plain", None)):
        if (size, a) in results and (size, b) in results:
            ratio = results[size, a].wall / results[size, b].wall
            goal = f" (target <= {target}: {'meets' if ratio <= target else 'MISSES'})" if target and size == n else ""
            print(f"  N = {size:>5}: {a}/{b} wall = {ratio:.2f}{goal}; CPU = "
                  f"{results[size, a].cpu / results[size, b].cpu:.2f}; peak RSS (largest) = "
                  f"{results[size, a].largest / results[size, b].largest:.2f}")
    print(flush=True)


def print_memory(size: int, one: Build) -> None:
    """A build's memory: its own process, each kind of child, the tree."""
    print(f"  N = {size:>6,}: {one.wall:6.1f} s wall, {one.cpu:6.1f} s CPU; peak RSS: the build process "
          f"{one.own / MB:6.0f} MB, largest process {one.largest / MB:6.0f} MB, process tree {one.tree / MB:6.0f} MB",
          flush=True)
    for name, (peak, count) in sorted(one.children.items(), key=lambda item: -item[1][0]):
        print(f"      child {name or '?'}: {peak / MB:6.0f} MB" + (f" (the largest of {count})" if count > 1 else ""))


# --------------------------------------------------------------------------- memory

def bench_memory(args: argparse.Namespace) -> None:
    sizes = sorted({args.cases // 10, args.cases})
    print(f"memory: the full build at N = {', '.join(f'{s:,}' for s in sizes)} (M={args.references} references; "
          f"target <= 1 GB at 10,000; every build cold)")
    peaks = {}
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            project = _project(Path(tmp) / "full", size, args.references, "full")
            one = run_build(project)
            peaks[size] = one.own
            print_memory(size, one)
    big, last = peaks[sizes[-1]], sizes[-1]
    if len(sizes) == 2:
        a, b = sizes
        per = (peaks[b] - peaks[a]) / (b - a)
        print(f"  growth of the build process: {per * 1000 / MB:.0f} MB per 1,000 case studies")
        if last < 10_000:  # a smaller run: say where the line it draws reaches
            big, last = peaks[b] + per * (10_000 - b), 10_000
            print(f"  extrapolated linearly to N = 10,000: {big / MB:.0f} MB (measure it: memory --cases 10000)")
    print(f"  at N = {last:,}: the build process {big / MB:.0f} MB: {'meets' if big <= 1024 * MB else 'MISSES'} "
          "the 1 GB target (its children apart, above)")


# --------------------------------------------------------------------------- phases

def bench_phases(args: argparse.Namespace) -> None:
    phases(args.cases, args.references)


def phases(cases: int, references: int) -> dict:
    """The phase table of one full build at ``cases`` (printed), and validation's serially;
    returns both as data."""
    with tempfile.TemporaryDirectory() as tmp:
        project = _project(Path(tmp) / "full", cases, references, "full")
        command = [sys.executable, str(Path(__file__).resolve()), "_phases", str(project)]
        one = run_build(project, command)
        sys.stdout.write((project / "phases.txt").read_text(encoding="utf-8"))
        print(f"  (the timed process: {one.wall:.2f} s wall, {one.cpu:.2f} s CPU, peak RSS {one.largest / MB:.0f} MB)")
        build = json.loads((project / "phases.json").read_text(encoding="utf-8"))
        os.environ["COPROD_CACHE_HOME"] = str(Path(tmp) / "cache")  # cold, as the build was, and gone with tmp
        validation = _validation_phases(project / "evidence")
    return {"build": build, "build_process": {"wall": one.wall, "cpu": one.cpu}, "validation": validation}


def _validation_phases(evidence: Path) -> dict:
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
    total = (time.perf_counter() - wall, time.process_time() - cpu)
    timer.show("validation serially (one process; inclusive times)", total)
    return timer.data(total)


class _Timer:
    """Wall and CPU time (of this process) spent in the wrapped functions. On a shared
    machine the CPU column is the steadier one; phases that wait for other processes
    (validation's workers, Pagefind) show their waiting as wall time only."""

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = {}
        self.calls: dict[str, int] = {}
        self.missing: list[str] = []

    def wrap(self, owner, name: str, label: str) -> None:
        """Time ``owner.name``; a name this version of the code does not have is listed as
        missing (so the same table can be made before and after a change that removes one)."""
        if owner is None or not hasattr(owner, name):
            self.missing.append(label)
            return
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
        for label in self.missing:
            print(f"  {label:<58} (not in this version of the code)", file=out)

    def data(self, total: tuple[float, float]) -> dict:
        return {"wall": total[0], "cpu": total[1], "missing": self.missing,
                "phases": [{"phase": label.strip(), "wall": wall, "cpu": cpu, "calls": self.calls[label]}
                           for label, (wall, cpu) in self.spent.items()]}


def _optional(module: str):
    """``module``, or None where this version of the code has none."""
    import importlib

    try:
        return importlib.import_module(module)
    except ModuleNotFoundError:
        return None


def _phases_child(project: Path) -> None:
    """One full build of ``project`` in this process with timers on each phase."""
    os.chdir(project)
    sys.path.insert(0, str(project))
    import jinja2
    from mkdocs.commands import build as mkbuild
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    # the project's modules as this version of the code has them (a phase whose function or
    # module is gone is listed as such: the same table before and after a change)
    coprod_export, search, site = (_optional(f"coprod.{name}") for name in ("export", "search", "site"))
    metadata, pdf = _optional("coprod.cite.head"), _optional("coprod.pages.pdf")
    csp, sanitize = (_optional(f"coprod.render.{name}") for name in ("csp", "sanitize"))
    streaming = getattr(_optional("coprod.search.pagefind_stream"), "StreamingIndex", None)

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
        (streaming, "add", "hook: send to Pagefind"),
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
    (project / "phases.json").write_text(json.dumps(t.data(total)), encoding="utf-8")


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


def bench_all(argv: list[str]) -> None:
    """Every row of issue 25's table from one run: scripts/benchmark_all.py."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import benchmark_all

    raise SystemExit(benchmark_all.main(argv))


def main() -> None:
    if sys.argv[1:2] == ["_phases"]:
        return _phases_child(Path(sys.argv[2]))
    if sys.argv[1:2] == ["serve"]:  # its options are its own
        return bench_serve(sys.argv[2:])
    if sys.argv[1:2] == ["all"]:  # so are these
        return bench_all(sys.argv[2:])
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
    sub.add_parser("all", help="every row of issue 25's table from one run (scripts/benchmark_all.py; own options)")
    return parser


if __name__ == "__main__":
    main()
