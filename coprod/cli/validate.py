"""``scripts/validate.py``: check the evidence folder and print every problem.

Output formats: ``text`` (``path:line: field: message``, errors, warnings, notes (never fatal), then a
summary), ``github`` (workflow commands that annotate the pull request) and ``json``.
Exit status: 0 when clean (warnings allowed unless ``--strict``), 1 when not, 2 on a bad
command line. No input produces a traceback: an internal failure is reported as such.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..checks import tree
from ..checks.evidence import load_evidence
from ..read.problems import Report

DESCRIPTION = "Check the library's evidence folder: every problem in every file, in one run."


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="validate.py", description=DESCRIPTION)
    parser.add_argument("evidence", nargs="?", default="evidence",
                        help="the evidence folder to check (default: evidence)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--format", choices=("text", "github", "json"), default="text",
                        help="text for people, github for GitHub Actions annotations, json for programs")
    parser.add_argument("--docs", default=None,
                        help="folder of hand-written pages whose citations count (default: docs beside the evidence folder)")
    return parser


def run(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    root = Path(args.evidence)
    report = Report()
    if not root.is_dir():
        report.error(str(root), 0, "evidence", "no such folder", "run from the repository root or give the folder")
    else:
        docs = Path(args.docs) if args.docs else root.resolve().parent / "docs"
        try:
            project = root.resolve().parent
            # the files beside the evidence: links, file types, hand-written pages, a committed cache
            walkable = tree.check_project(project, tree.site_config(project), report, docs=docs)
            load_evidence(root, report, citing_dirs=[docs] if docs.is_dir() and walkable else [],
                          display_root=root.parent if not root.is_absolute() else None)
        except Exception as exc:  # noqa: BLE001 - never show a contributor a traceback
            report.error(str(root), 0, "validator", f"internal error: {type(exc).__name__}: {exc}",
                         "please report this to the library's maintainers")
    print_report(report, args.format, args.strict, out)
    return 1 if report.failed(args.strict) else 0


def print_report(report: Report, fmt: str, strict: bool, out) -> None:
    errors, warnings = report.errors, report.warnings
    if fmt == "json":
        out.write(report.to_json() + "\n")
        return
    if fmt == "github":
        for problem in errors + warnings + report.notes:
            out.write(problem.format_github() + "\n")
        return
    if errors:
        out.write(f"Errors ({len(errors)}):\n")
        for problem in errors:
            out.write(problem.format() + "\n")
    if warnings:
        out.write(f"Warnings ({len(warnings)}){' (fatal with --strict)' if strict else ''}:\n")
        for problem in warnings:
            out.write(problem.format() + "\n")
    if report.notes:
        out.write(f"Notes ({len(report.notes)}), for information only:\n")
        for problem in report.notes:
            out.write(problem.format() + "\n")
    if not errors and not warnings:
        out.write("No problems found.\n")
    else:
        out.write(f"{len(errors)} error(s), {len(warnings)} warning(s).\n")


def main() -> None:
    try:
        code = run()
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)
