"""How a case study or claim appears in any list: the same few lines on every page."""

from __future__ import annotations

import html
from collections.abc import Iterable

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


def case_study_item(record: Record, evidence: Evidence, from_uri: str, detail: str = "") -> str:
    """A case study's card (the inside of its ``<li>``; :func:`card_list` makes the list):
    the linked title, the one-line summary, setting, years and country, the principles as
    small tags, the kinds of evidence, then ``detail`` (HTML: how a term page's term shows
    in it). The title's link covers the whole card (CSS), so the card is one large target
    while a screen reader hears only the title as the link's name."""
    data = record.data
    esc = markup.esc
    retracted = ' <span class="coprod-tag coprod-tag--retracted">Retracted</span>' if record.status == "retracted" else ""
    href = esc(urls.href(from_uri, urls.case_study(record.id)))
    title = f'<a class="coprod-card__link coprod-card__title" href="{href}">{esc(data.get("title", record.id))}</a>'
    parts = [title + retracted]
    if data.get("summary"):
        parts.append(f'<p class="coprod-card__summary">{esc(data["summary"])}</p>')
    facts = [", ".join(labels_of(evidence, "settings", data.get("settings"))), years(record),
             ", ".join(c for c in (data.get("project") or {}).get("countries") or [] if isinstance(c, str))]
    names = ("Setting", "Years", "Country")
    shown = [f'<span class="coprod-card__fact"><span class="coprod-sr-only">{name}: </span>{esc(value)}</span>'
             for name, value in zip(names, facts) if value]
    if shown:
        parts.append('<p class="coprod-card__facts">' + "".join(shown) + "</p>")
    principles = labels_of(evidence, "principles", [p.get("principle") for p in data.get("principles") or []
                                                    if isinstance(p, dict)])
    if principles:
        parts.append('<p class="coprod-card__principles"><span class="coprod-sr-only">Principles: </span>'
                     + markup.tags(esc(label) for label in principles) + "</p>")
    kinds = evidence_kinds(record, evidence)
    if kinds:
        parts.append(f'<p class="coprod-card__evidence">Evidence: {esc(", ".join(kinds))}</p>')
    if detail:
        parts.append(f'<div class="coprod-card__detail">{detail}</div>')
    return "".join(parts)


def card_list(cards: Iterable[str]) -> str:
    """A list of case-study cards (each from :func:`case_study_item`)."""
    return markup.block("ul", (f'<li class="coprod-card">{card}</li>' for card in cards), ' class="coprod-cards"')


def labels_of(evidence: Evidence, vocabulary: str, keys: object) -> list[str]:
    """The labels of the known terms among ``keys``, each once, in the record's order."""
    vocab = evidence.taxonomy.get(vocabulary)
    if vocab is None or not isinstance(keys, list):
        return []
    return [vocab.terms[k].label for k in dict.fromkeys(k for k in keys if isinstance(k, str)) if k in vocab.terms]


def evidence_kinds(record: Record, evidence: Evidence) -> list[str]:
    """The kinds of evidence behind a case study's outcomes, in the taxonomy's order (strongest first)."""
    outcomes = record.data.get("outcomes")
    used = {o.get("evidence") for o in outcomes if isinstance(o, dict)} if isinstance(outcomes, list) else set()
    vocab = evidence.taxonomy.get("evidence_kinds")
    return [term.label for key, term in vocab.terms.items() if key in used] if vocab else []


def claim_item(record: Record, evidence: Evidence, from_uri: str) -> str:
    """A list item's HTML (for markup.bullet_list): the strength badge, then the linked claim."""
    strengths = evidence.taxonomy.get("strengths")
    term = strengths.terms.get(record.data.get("strength")) if strengths else None
    grade = strength_badge_html(term) + " " if term else ""
    retracted = " (retracted)" if record.status == "retracted" else ""
    return (grade + markup.link(urls.href(from_uri, urls.claim(record.id)),
                                markup.esc(record.data.get("title", record.id))) + retracted)


def strength_symbol(term) -> str:
    """The at-a-glance rating (●●○), hidden from screen readers, which read the label."""
    return f'<span class="coprod-strength" aria-hidden="true">{html.escape(term.symbol)}</span>'


def strength_badge_html(term) -> str:
    """A claim's strength as a badge: the symbol of its step on the scale and its word
    (never colour alone: the word is always there, and the symbol differs by step).
    Screen readers hear "Strength of evidence: Moderate"."""
    key = markup.esc(term.key)
    return (f'<span class="coprod-badge coprod-badge--{key}">'
            f'<span class="coprod-sr-only">Strength of evidence: </span>{strength_symbol(term)} '
            f'<span class="coprod-badge__word">{markup.esc(term.label)}</span></span>')


def sort_case_studies(records: list[Record]) -> list[Record]:
    """Newest first (by start year, then title), the order lists use."""
    return sorted(records, key=lambda r: (-(r.data.get("project", {}).get("start_year") or 0),
                                          str(r.data.get("title", "")).lower()))
