"""How a case study or claim appears in any list: the same few lines on every page."""

from __future__ import annotations

import html

from .. import markup, urls
from ..evidence import Evidence, Record


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
    """A list item's HTML (for markup.bullet_list): linked title, then summary, then
    settings and years, each on its own line."""
    data = record.data
    settings = evidence.taxonomy.get("settings")
    labels = [settings.terms[key].label for key in data.get("settings", []) if settings and key in settings.terms]
    facts = "; ".join(filter(None, [", ".join(labels), years(record)]))
    retracted = " (retracted)" if record.status == "retracted" else ""
    item = (markup.link(urls.href(from_uri, urls.case_study(record.id)), markup.esc(data.get("title", record.id)))
            + f"{retracted}<br>{markup.esc(data.get('summary', ''))}")
    return item + (f"<br><em>{markup.esc(facts)}</em>" if facts else "")


def claim_item(record: Record, evidence: Evidence, from_uri: str) -> str:
    """A list item's HTML (for markup.bullet_list): the strength symbol and label, then
    the linked claim."""
    strengths = evidence.taxonomy.get("strengths")
    term = strengths.terms.get(record.data.get("strength")) if strengths else None
    grade = f"{strength_symbol(term)} {markup.esc(term.label)}: " if term else ""
    retracted = " (retracted)" if record.status == "retracted" else ""
    return (grade + markup.link(urls.href(from_uri, urls.claim(record.id)),
                                markup.esc(record.data.get("title", record.id))) + retracted)


def strength_symbol(term) -> str:
    """The at-a-glance rating (●●○), hidden from screen readers, which read the label."""
    return f'<span class="coprod-strength" aria-hidden="true">{html.escape(term.symbol)}</span>'


def sort_case_studies(records: list[Record]) -> list[Record]:
    """Newest first (by start year, then title), the order lists use."""
    return sorted(records, key=lambda r: (-(r.data.get("project", {}).get("start_year") or 0),
                                          str(r.data.get("title", "")).lower()))
