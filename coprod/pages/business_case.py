"""The business case: /business-case/ and a page per claim at /business-case/<id>/."""

from __future__ import annotations

from .. import urls
from ..cite.references import References
from ..evidence import Evidence, Record
from ..markup import block, bullet_list, esc
from ..text import md_escape
from . import Page
from .case_study import CITE_BUTTON
from .common import contributed, demote_headings, record_history, retraction_notice, term_link
from .listing import card_list, case_study_item, strength_badge_html, strength_symbol

RUBRIC_ANCHOR = "how-we-grade-the-evidence"


def strength_badge(record: Record, evidence: Evidence, from_uri: str) -> str:
    """The claim's strength as a labelled scale, weakest step first, its own step marked
    (by weight, border and the words "this claim", never by colour alone), then what the
    step means and a link to the rubric."""
    strengths = evidence.taxonomy.get("strengths")
    term = strengths.terms.get(record.data.get("strength")) if strengths else None
    if term is None:
        return ""
    rubric = esc(urls.href(from_uri, urls.BUSINESS_CASE, RUBRIC_ANCHOR))
    steps = []
    for step in reversed(list(strengths.terms.values())):
        current = step.key == term.key
        mark = ' aria-current="true"' if current else ""
        here = '<span class="coprod-scale__here">this claim</span>' if current else ""
        steps.append(f'<li class="coprod-scale__step coprod-badge--{esc(step.key)}'
                     f'{" coprod-scale__step--current" if current else ""}"{mark}>'
                     f"{strength_symbol(step)} <span>{esc(step.label)}</span>{here}</li>")
    return block("div", [
        f'<p class="coprod-scale__title"><strong>Strength of evidence: {esc(term.label)}</strong></p>',
        f'<ol class="coprod-scale" aria-label="The scale, from no evidence to strong">{"".join(steps)}</ol>',
        f'<p>{esc(term.definition)} <a href="{rubric}">How we grade</a></p>',
    ], f' class="coprod-strength-scale coprod-strength-scale--{esc(term.key)}"')


def claim_page(record: Record, evidence: Evidence, refs: References, edit_url: str | None) -> Page:
    uri = urls.claim(record.id)
    data = record.data
    body, cited = refs.render_body(record.source.body, uri)
    supporting = data.get("supporting") or {}
    contrary = data.get("contrary") or {}
    keys = list(dict.fromkeys(cited + list(supporting.get("references", [])) + list(contrary.get("references", []))))
    listed = set(supporting.get("case_studies", [])) | set(contrary.get("case_studies", []))
    parts = [
        f"# {md_escape(data.get('title', record.id))}",
        retraction_notice(record, "claim"),
        strength_badge(record, evidence, uri),
        CITE_BUTTON,
        md_escape(data.get("summary", "")),
        "## Why we say this\n\n" + contributed(demote_headings(body.strip())),
        _evidence_list("Evidence for the claim", supporting, evidence, refs, uri),
        _evidence_list("Evidence against, or where it does not hold", contrary, evidence, refs, uri),
        _research_needed(record),
        _related(record, evidence, uri),
        refs.section(keys, uri),
        record_history(record, edit_url, "claim"),
    ]
    ids = frozenset(i for i in listed if i in evidence.case_studies)
    return Page(uri, "\n\n".join(p.strip() for p in parts if p.strip()) + "\n", ids, data.get("title", ""), tuple(keys))


def _evidence_list(heading: str, block: dict, evidence: Evidence, refs: References, uri: str) -> str:
    items = [refs.link_or_text(k) for k in block.get("references", [])]
    cards = []
    for case_id in block.get("case_studies", []):
        record = evidence.case_studies.get(case_id)
        if record is not None and record.status in ("published", "retracted"):
            cards.append(case_study_item(record, evidence, uri))
    parts = [bullet_list(items)] if items else []
    if cards:
        parts.append(card_list(cards))
    return f"## {heading}\n\n" + ("\n\n".join(parts) if parts else "None found yet.")


def _research_needed(record: Record) -> str:
    needed = record.data.get("research_needed") or []
    if not needed:
        return ""
    return "## Research still needed\n\n" + "\n".join(f"- {md_escape(n)}" for n in needed)


def _related(record: Record, evidence: Evidence, uri: str) -> str:
    lines = []
    for field, vocab, label in (("principles", "principles", "Principles"), ("barriers", "barriers", "Barriers"),
                                ("enablers", "enablers", "Enablers"), ("outcomes", "outcomes", "Outcome areas")):
        keys = record.data.get(field) or []
        if keys:
            lines.append(f"{label}: " + ", ".join(term_link(evidence, vocab, k, uri) for k in keys))
    return "## Related\n\n" + bullet_list(lines) if lines else ""


def business_case_page(evidence: Evidence, chart: str = "") -> Page:
    uri = urls.BUSINESS_CASE
    claims = evidence.published("claim")
    categories = evidence.taxonomy.get("claim_categories")
    strengths = evidence.taxonomy.get("strengths")
    parts = [
        "# The business case for co-production",
        ("The roundtable on co-production asked for a business case: a clear account, built from different kinds "
        "of evidence, of why co-production is worth doing, and honest about where evidence is missing. Each claim "
        "below is graded on the rubric at the end of this page. Most evidence so far is emerging: the gaps are "
        "findings too, and show the research that is still needed."),
    ]
    parts.append(block("div", [('<a class="md-button" href="business-case.pdf" type="application/pdf">'
                               "Download the business case as a PDF</a>"),
                               ("<span>For printing or attaching to guidance: it carries this page's version, date and "
                               "permanent address.</span>")], ' class="coprod-page-actions coprod-pdf-link"'))
    if chart:
        parts.append(chart)
    ids: set[str] = set()
    by_category: dict[str, list[Record]] = {}
    for record in claims:
        by_category.setdefault(record.data.get("category", ""), []).append(record)
    order = list(categories.terms) if categories else []
    for key in order + sorted(set(by_category) - set(order)):
        records = sorted(by_category.get(key, []), key=_strength_order(evidence))
        if not records:
            continue
        term = categories.terms.get(key) if categories else None
        section = [f"## {md_escape(term.label if term else key)} {{: .coprod-category }}", "",
                   md_escape(term.definition) if term else ""]
        cards = []
        for record in records:
            cards.append(_claim_card(record, evidence, uri))
            support = record.data.get("supporting") or {}
            ids.update(i for i in support.get("case_studies", []) if i in evidence.case_studies)
        section += ["", block("ul", cards, ' class="coprod-claims"')]
        parts.append("\n".join(section))
    parts.append(_rubric(evidence) if strengths else "")
    return Page(uri, "\n\n".join(p for p in parts if p) + "\n", frozenset(), "The business case for co-production")


def _claim_card(record: Record, evidence: Evidence, uri: str) -> str:
    """A claim as a card: its strength badge, the claim (its link covers the card), the
    summary, and how much evidence there is for and against it."""
    strengths = evidence.taxonomy.get("strengths")
    term = strengths.terms.get(record.data.get("strength")) if strengths else None
    data = record.data
    href = esc(urls.href(uri, urls.claim(record.id)))
    parts = [strength_badge_html(term) if term else "",
             f'<a class="coprod-card__link coprod-card__title" href="{href}">{esc(data.get("title", record.id))}</a>']
    if record.status == "retracted":
        parts.append('<span class="coprod-tag coprod-tag--retracted">Retracted</span>')
    if data.get("summary"):
        parts.append(f'<p class="coprod-card__summary">{esc(data["summary"])}</p>')
    support, contrary = data.get("supporting") or {}, data.get("contrary") or {}
    count_for = len(support.get("references", [])) + len(support.get("case_studies", []))
    count_against = len(contrary.get("references", [])) + len(contrary.get("case_studies", []))
    needed = len(data.get("research_needed") or [])
    facts = [f"{count_for} source{'s' if count_for != 1 else ''} for",
             f"{count_against} against" if count_against else "none against found yet",
             f"{needed} research question{'s' if needed != 1 else ''} open"]
    against = " coprod-claim--contested" if count_against else ""
    parts.append('<p class="coprod-card__facts">'
                 + "".join(f'<span class="coprod-card__fact">{esc(f)}</span>' for f in facts) + "</p>")
    return f'<li class="coprod-card coprod-claim{against}">{"".join(parts)}</li>'


def _strength_order(evidence: Evidence):
    strengths = evidence.taxonomy.get("strengths")
    order = {key: i for i, key in enumerate(strengths.terms)} if strengths else {}
    return lambda r: (order.get(r.data.get("strength"), 99), str(r.data.get("title", "")).lower())


def _rubric(evidence: Evidence) -> str:
    strengths = evidence.taxonomy["strengths"]
    kinds = evidence.taxonomy.get("evidence_kinds")
    rows = ["| Grade | What it means | What it needs |", "|---|---|---|"]
    for term in strengths.terms.values():
        needs = _needs(term.requires, kinds)
        rows.append(f"| {strength_symbol(term)} {md_escape(term.label)} | {md_escape(term.definition)} | {needs} |")
    return (f"## How we grade the evidence {{#{RUBRIC_ANCHOR}}}\n\n"
            + md_escape(strengths.description) + "\n\n" + "\n".join(rows)
            + "\n\nThe library's checks enforce this rubric: a claim graded higher than its evidence allows "
              "cannot be published.")


def _needs(requires: dict, kinds) -> str:
    parts = []
    if "max_supporting" in requires and requires["max_supporting"] == 0:
        parts.append("no supporting source found")
    elif requires.get("min_supporting"):
        parts.append(f"at least {requires['min_supporting']} supporting source(s)")
    if requires.get("min_strong_items"):
        labels = [kinds.terms[k].label.lower() for k in requires.get("kinds", []) if kinds and k in kinds.terms]
        parts.append(f"at least {requires['min_strong_items']} case stud{'ies' if requires['min_strong_items'] > 1 else 'y'} "
                     f"with outcomes that are {' or '.join(labels)}")
    if requires.get("research_needed"):
        parts.append("the research still needed")
    return md_escape("; ".join(parts))
