#!/usr/bin/env python3
"""Benchmarks (not tests): print figures and ratios measured in one run.

    python scripts/benchmark.py validate [--cases 10000] [--references 5000]

``validate`` generates a synthetic evidence folder of N case studies and M references in a
temporary folder, times the full validation of N and of 2N in the same run, and prints the
times and the ratio (target: N=10,000 with M=5,000 in at most 10 s; 2N at most 2.2 times N).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coprod.evidence import load_evidence
from coprod.problems import Report
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    validate = sub.add_parser("validate", help="time the validator on synthetic evidence")
    validate.add_argument("--cases", type=int, default=10_000)
    validate.add_argument("--references", type=int, default=5_000)
    validate.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    validate.add_argument("--repeat", type=int, default=3, help="runs per size; the median is shown")
    args = parser.parse_args()
    if args.what == "validate":
        bench_validate(args)


if __name__ == "__main__":
    main()
