"""How a case study or claim appears in any list: the same few lines on every page."""

from __future__ import annotations

import html

from .. import urls
from ..evidence import Evidence, Record
from ..text import md_escape


def years(record: Record) -> str:
    """'2014-2021', '2014', 'from 2014' or '' from the project's years."""
    project = record.data.get("project") or {}
    start, end = project.get("start_year"), project.get("end_year")
    if start and end:
        return f"{start}–{end}" if end != start else str(start)
    if start:
        return str(start)
    return f"until {end}" if end else ""


def case_study_item(record: Record, evidence: Evidence, from_uri: str) -> str:
    """A markdown list item: linked title, then summary, then settings and years."""
    data = record.data
    link = urls.rel(from_uri, urls.case_study(record.id))
    settings = evidence.taxonomy.get("settings")
    labels = [settings.terms[key].label for key in data.get("settings", []) if settings and key in settings.terms]
    facts = "; ".join(filter(None, [", ".join(labels), years(record)]))
    retracted = " (retracted)" if record.status == "retracted" else ""
    item = f"- [{md_escape(data.get('title', record.id))}]({link}){retracted}  \n  {md_escape(data.get('summary', ''))}"
    return item + (f"  \n  *{md_escape(facts)}*" if facts else "")


def claim_item(record: Record, evidence: Evidence, from_uri: str) -> str:
    """A markdown list item: the strength symbol and label, then the linked claim."""
    strengths = evidence.taxonomy.get("strengths")
    term = strengths.terms.get(record.data.get("strength")) if strengths else None
    grade = f"{strength_symbol(term)} {md_escape(term.label)}: " if term else ""
    link = urls.rel(from_uri, urls.claim(record.id))
    retracted = " (retracted)" if record.status == "retracted" else ""
    return f"- {grade}[{md_escape(record.data.get('title', record.id))}]({link}){retracted}"


def strength_symbol(term) -> str:
    """The at-a-glance rating (●●○), hidden from screen readers, which read the label."""
    return f'<span class="coprod-strength" aria-hidden="true">{html.escape(term.symbol)}</span>'


def sort_case_studies(records: list[Record]) -> list[Record]:
    """Newest first (by start year, then title), the order lists use."""
    return sorted(records, key=lambda r: (-(r.data.get("project", {}).get("start_year") or 0),
                                          str(r.data.get("title", "")).lower()))
