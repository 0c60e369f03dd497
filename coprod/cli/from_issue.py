"""``scripts/from_issue.py``: a case-study file from the body of a case-study issue (the
markdown GitHub makes from the issue form), read by :mod:`coprod.read.new_case_study`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..read.kinds import CASE_STUDY
from ..read.new_case_study import (
    ISSUE_LABELS,
    case_study_from_issue,
    issue_sources,
    parse_issue,
    render_case_study,
    taken_ids,
)
from .command import command_parser


def parser() -> argparse.ArgumentParser:
    p = command_parser("from_issue.py", "Turn the body of a case-study issue (from the issue form) into a "
                       "case-study file.")
    add = p.add_argument
    add("body", help="a file holding the issue body, or - for standard input")
    add("--evidence", default="evidence", metavar="DIR", help="the evidence folder (default: evidence)")
    add("--add-references", action="store_true",
        help="append BibTeX entries pasted in the issue to references.bib")
    add("--force", action="store_true", help="overwrite the file if it exists")
    return p


def _write(path: Path, text: str, force: bool) -> int:
    if path.exists() and not force:
        print(f"{path} already exists; choose another --id or use --force", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return 0


def main(argv: list[str] | None = None, today: date | None = None) -> int:
    args = parser().parse_args(argv)
    folder = Path(args.evidence)
    text = sys.stdin.read() if args.body == "-" else Path(args.body).read_text(encoding="utf-8")
    sections = parse_issue(text)
    case_id, data, body = case_study_from_issue(sections, taken_ids(folder / CASE_STUDY.folder), today or date.today())
    path = folder / CASE_STUDY.folder / f"{case_id}.md"
    code = _write(path, render_case_study(data, body), args.force)
    _, entries = issue_sources(sections.get(ISSUE_LABELS["sources"]) or "")
    if code == 0 and entries and args.add_references:
        with (folder / "references.bib").open("a", encoding="utf-8") as bib:
            bib.write("\n" + "\n\n".join(entries) + "\n")
    elif code == 0 and entries:
        print(f"The issue has {len(entries)} new BibTeX entries; add them to references.bib (or --add-references).")
    if code == 0:
        print(f"Wrote {path}. Now run: python3 scripts/validate.py")
    return code
