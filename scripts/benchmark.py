#!/usr/bin/env python3
"""Benchmarks (not tests): print figures and ratios measured in one run.

    python scripts/benchmark.py validate [--cases 10000] [--references 5000]
    python scripts/benchmark.py build [--cases 1000] [--references 500]

``validate`` generates a synthetic evidence folder of N case studies and M references in a
temporary folder, times the full validation of N and of 2N in the same run, and prints the
times and the ratio (target: N=10,000 with M=5,000 in at most 10 s; 2N at most 2.2 times N).

``build`` makes a synthetic project of N case studies, each citing 6 of M references, and
times the full ``mkdocs build`` (hooks, every generated page) against a plain ``mkdocs
build`` of the same bodies as ordinary pages kept out of the navigation, for N and 2N, in
the same run (targets: full at N=1,000 at most 1.15 times plain; 2N at most 2.2 times N).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coprod.checks.evidence import load_evidence
from coprod.checks.problems import Report
from coprod.synthetic import write_evidence


def _taxonomy():
    report = Report()
    evidence = load_evidence(ROOT / "evidence", report)
    return evidence.taxonomy


def time_validation(cases: int, references: int, workers: int | None, repeat: int) -> tuple[float, int]:
    """The median time of ``repeat`` full validations of one synthetic folder."""
    with tempfile.TemporaryDirectory() as tmp:
        evidence = write_evidence(Path(tmp), ROOT / "evidence", _taxonomy(), cases, references)
        times = []
        for _ in range(repeat):
            report = Report()
            start = time.perf_counter()
            load_evidence(evidence, report, workers=workers)
            times.append(time.perf_counter() - start)
            if report.errors:
                print("\n".join(p.format() for p in report.errors[:10]), file=sys.stderr)
                raise SystemExit("the synthetic evidence has errors; the benchmark is void")
        return statistics.median(times), len(report.warnings)


def bench_validate(args: argparse.Namespace) -> None:
    n, m = args.cases, args.references
    print(f"validate: N={n} case studies, M={m} references (workers={args.workers or 'auto'}, "
          f"median of {args.repeat} runs)")
    t1, w1 = time_validation(n, m, args.workers, args.repeat)
    print(f"  N  = {n:>6}: {t1:6.2f} s  ({1000 * t1 / n:.2f} ms per case study; {w1} warnings)")
    t2, w2 = time_validation(2 * n, m, args.workers, args.repeat)
    print(f"  2N = {2 * n:>6}: {t2:6.2f} s  ({1000 * t2 / (2 * n):.2f} ms per case study; {w2} warnings)")
    print(f"  ratio 2N/N = {t2 / t1:.2f} (target <= 2.2); N time {'meets' if t1 <= 10 else 'MISSES'} the 10 s target")


def _project(target: Path, cases: int, references: int, full: bool) -> Path:
    """A project folder: the real mkdocs.yml and hooks (full) or Material alone (plain)."""
    evidence = write_evidence(target, ROOT / "evidence", _taxonomy(), cases, references)
    docs = target / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Synthetic library\n\n<!-- library-stats -->\n", encoding="utf-8")
    (docs / "about.md").write_text("# About\n\nA synthetic library for benchmarks.\n", encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    shutil.copytree(ROOT / "overrides", target / "overrides")
    if full:
        shutil.copytree(ROOT / "hooks", target / "hooks")
        shutil.copytree(ROOT / "docs" / "assets", docs / "assets", dirs_exist_ok=True)
    else:
        # the same bodies as ordinary pages, out of the navigation; no hooks
        (docs / "cases").mkdir()
        for path in sorted((evidence / "case-studies").glob("*.md")):
            body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
            (docs / "cases" / path.name).write_text(f"# {path.stem}\n{body}", encoding="utf-8")
        shutil.rmtree(evidence)
        config = config.split("hooks:")[0] + "nav:\n  - Home: index.md\n"
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    return target


def time_build(project: Path) -> float:
    """Wall-clock seconds of one quiet ``mkdocs build`` of ``project``; exits if it fails."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet"], cwd=project, env=env,
                            capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"the build in {project} failed; the benchmark is void")
    return elapsed


def bench_build(args: argparse.Namespace) -> None:
    n, m = args.cases, args.references
    print(f"build: N={n} case studies citing 6 of M={m} references (median of {args.repeat} runs)")
    results = {}
    for size in (n, 2 * n):
        for full in (False, True):
            with tempfile.TemporaryDirectory() as tmp:
                project = _project(Path(tmp), size, m, full)
                results[size, full] = statistics.median(time_build(project) for _ in range(args.repeat))
        plain, full_time = results[size, False], results[size, True]
        print(f"  N = {size:>5}: plain {plain:6.2f} s, full {full_time:6.2f} s, full/plain = {full_time / plain:.2f}")
    print(f"  full build 2N/N = {results[2 * n, True] / results[n, True]:.2f} (target <= 2.2); "
          f"full/plain at N = {results[n, True] / results[n, False]:.2f} (target <= 1.15)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    validate = sub.add_parser("validate", help="time the validator on synthetic evidence")
    validate.add_argument("--cases", type=int, default=10_000)
    validate.add_argument("--references", type=int, default=5_000)
    validate.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    validate.add_argument("--repeat", type=int, default=3, help="runs per size; the median is shown")
    build = sub.add_parser("build", help="time the full site build against a plain MkDocs build")
    build.add_argument("--cases", type=int, default=1_000)
    build.add_argument("--references", type=int, default=500)
    build.add_argument("--repeat", type=int, default=1, help="runs per size; the median is shown")
    args = parser.parse_args()
    if args.what == "validate":
        bench_validate(args)
    else:
        bench_build(args)


if __name__ == "__main__":
    main()
