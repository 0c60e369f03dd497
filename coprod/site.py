"""What the build makes from the evidence: generated pages as markdown strings.

Plain functions, no MkDocs: the hooks register these strings as pages, and tests and the
export script call the same functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .evidence import Evidence, load_evidence
from .problems import Report
from .text import md_escape


@dataclass
class Build:
    evidence: Evidence | None
    report: Report


def load(evidence_dir: Path, docs_dir: Path | None = None, display_root: Path | None = None) -> Build:
    report = Report()
    citing = [docs_dir] if docs_dir is not None and docs_dir.is_dir() else []
    evidence = load_evidence(evidence_dir, report, citing_dirs=citing, display_root=display_root)
    return Build(evidence, report)


def generated_pages(build: Build) -> dict[str, str]:
    """Every generated page: URI (relative to docs/) -> markdown."""
    assert build.evidence is not None
    return {
        "case-studies/index.md": case_study_list(build.evidence),
        "business-case/index.md": claim_list(build.evidence),
    }


def case_study_list(evidence: Evidence) -> str:
    records = sorted(evidence.published("case-study"), key=lambda r: str(r.data.get("title", "")).lower())
    lines = ["# Case studies", "", f"{len(records)} case studies of co-produced research.", ""]
    for record in records:
        lines.append(f"- **{md_escape(record.data.get('title', record.id))}**: {md_escape(record.data.get('summary', ''))}")
    return "\n".join(lines) + "\n"


def claim_list(evidence: Evidence) -> str:
    strengths = evidence.taxonomy.get("strengths")
    records = sorted(evidence.published("claim"), key=lambda r: str(r.data.get("title", "")).lower())
    lines = ["# The business case", "", f"{len(records)} claims, each graded on the published rubric.", ""]
    for record in records:
        term = strengths.terms.get(record.data.get("strength")) if strengths else None
        grade = f"{term.symbol} {term.label}" if term else ""
        lines.append(f"- **{md_escape(record.data.get('title', record.id))}**: {md_escape(grade)}")
    return "\n".join(lines) + "\n"
