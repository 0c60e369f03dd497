"""The business case: /business-case/ and a page per claim at /business-case/<id>/."""

from __future__ import annotations

from dataclasses import replace

from ..cite.references import References
from ..model import Claim, EvidenceLinks, Library
from ..read import urls
from ..read.kinds import CLAIM, PUBLIC_STATUSES
from ..read.words import counted, plural
from ..render import templates
from ..render.body_html import body_of
from ..render.markup import block, esc
from ..render.text import safe_url
from . import Page, html_page
from .case_study import retraction_notice
from .common import term_link
from .listing import card_list, case_study_item, claim_title, strength_badge_html, strength_symbol, strength_tally

RUBRIC_ANCHOR = "how-we-grade-the-evidence"


def strength_badge(record: Claim, library: Library, from_uri: str) -> str:
    """The claim's strength as a labelled scale, weakest step first, its own step marked
    (by weight, border and the words "this claim", never by colour alone), then what the
    step means and a link to the rubric."""
    strengths = library.taxonomy.get(library.vocabulary_of("strength", kind=CLAIM.key))
    term = library.term(library.vocabulary_of("strength", kind=CLAIM.key), record.strength)
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


def claim_page(record: Claim, library: Library, refs: References, edit_url: str | None, *,
               uri: str = "", notice: dict | None = None) -> Page:
    """The page at ``uri`` (default: the record's own address), ``notice`` under its title
    (as :func:`coprod.pages.case_study.case_study_page`), from overrides/partials/coprod/claim.html."""
    uri = uri or record.uri
    body, cited = refs.render_body(record.body)
    supporting, contrary = record.supporting, record.contrary
    keys = list(dict.fromkeys(cited + list(supporting.references) + list(contrary.references)))
    listed = set(supporting.case_studies) | set(contrary.case_studies)
    page = html_page(uri, "claim.html", claim_title(record, library), frozenset(), record=record, kind_name=CLAIM.singular,
                     version_notice=notice, retraction=retraction_notice(record),
                     strength=templates.raw(strength_badge(record, library, uri)), body=body_of(record, refs, body),
                     evidence=[_evidence("Evidence for the claim", supporting, library, refs, uri),
                               _evidence("Evidence against, or where it does not hold", contrary, library, refs, uri)],
                     related=_related(record, library, uri), references=templates.raw(refs.section_list(keys, uri)),
                     edit_url=safe_url(edit_url))
    ids = frozenset(i for i in listed if i in library.case_studies)
    return replace(page, lists=ids, title=record.title, heading=page.title, cites=tuple(keys))


def _evidence(heading: str, block: EvidenceLinks, library: Library, refs: References, uri: str) -> dict:
    cards = []
    for case_id in block.case_studies:
        record = library.case_studies.get(case_id)
        if record is not None and record.status in PUBLIC_STATUSES:
            cards.append(case_study_item(record, library, uri))
    return {"heading": heading, "references": [templates.raw(refs.link_or_text(k)) for k in block.references],
            "cards": templates.raw(card_list(cards)) if cards else ""}


def _related(record: Claim, library: Library, uri: str) -> list[dict]:
    lines = []
    for keys, name, label in ((record.principles, "principles", "Principles"), (record.barriers, "barriers", "Barriers"),
                              (record.enablers, "enablers", "Enablers"), (record.outcomes, "outcomes", "Outcome areas")):
        vocab = library.vocabulary_of(name, kind=record.kind)  # the claim's field, its vocabulary from the schema
        if keys:
            lines.append({"label": label, "terms": templates.raw(", ".join(term_link(library, vocab, k, uri) for k in keys))})
    return lines


def business_case_page(library: Library, chart: str = "") -> Page:
    """/business-case/, from overrides/partials/coprod/business-case.html."""
    uri = urls.BUSINESS_CASE
    claims = library.published(CLAIM.key)
    categories = library.taxonomy.get(library.vocabulary_of("category", kind=CLAIM.key))
    by_category: dict[str, list[Claim]] = {}
    for record in claims:
        by_category.setdefault(record.category, []).append(record)
    order = list(categories.terms) if categories else []
    shown = []
    for key in order + sorted(set(by_category) - set(order)):
        records = sorted(by_category.get(key, []), key=_strength_order(library))
        if not records:
            continue
        term = categories.terms.get(key) if categories else None
        shown.append({"label": term.label if term else key, "definition": term.definition if term else "",
                      "claims": [_claim_card(record, library, uri) for record in records]})
    return html_page(uri, "business-case.html", "The business case for co-production", frozenset(),
                     tally=strength_tally(claims, library), chart=templates.raw(chart), categories=shown,
                     rubric=_rubric(library))


def _claim_card(record: Claim, library: Library, uri: str) -> dict:
    """What a claim's card shows (claim-card.html): its strength badge, the claim, the
    summary, and how much evidence there is for and against it."""
    term = library.term(library.vocabulary_of("strength", kind=CLAIM.key), record.strength)
    support, contrary = record.supporting, record.contrary
    count_for = len(support.references) + len(support.case_studies)
    count_against = len(contrary.references) + len(contrary.case_studies)
    needed = len(record.research_needed)
    return {"badge": templates.raw(strength_badge_html(term)) if term else "", "href": urls.href(uri, record.uri),
            "title": claim_title(record, library), "retracted": record.retracted, "summary": record.summary,
            "contested": bool(count_against),
            "facts": [counted(count_for, "source") + " for",
                      f"{count_against} against" if count_against else "none against found yet",
                      counted(needed, "research question") + " open"]}


def _strength_order(library: Library):
    strengths = library.taxonomy.get(library.vocabulary_of("strength", kind=CLAIM.key))
    order = {key: i for i, key in enumerate(strengths.terms)} if strengths else {}
    return lambda r: (order.get(r.strength, 99), r.title.lower())


def _rubric(library: Library) -> dict:
    """The grading rubric's rows, in the taxonomy's words (the one wording)."""
    strengths = library.taxonomy.get(library.vocabulary_of("strength", kind=CLAIM.key))
    if strengths is None:
        return {"anchor": RUBRIC_ANCHOR, "rows": []}
    kinds = library.taxonomy.get(library.vocabulary_of("outcomes", "evidence"))
    return {"anchor": RUBRIC_ANCHOR, "description": strengths.description,
            "rows": [{"symbol": templates.raw(strength_symbol(term)), "label": term.label, "definition": term.definition,
                      "needs": grade_needs(term.requires, kinds)} for term in strengths.terms.values()]}


def grade_needs(requires: dict, kinds) -> str:
    """What a grade needs, at least, in words from the taxonomy's rules (the one wording)."""
    parts = []
    if "max_supporting" in requires and requires["max_supporting"] == 0:
        parts.append("no supporting evidence")
    elif requires.get("min_supporting"):
        n = requires["min_supporting"]
        parts.append(f"{counted(n, 'supporting source')} or {plural(n, 'case study', 'case studies')}")
    if requires.get("min_strong_items"):
        n = requires["min_strong_items"]
        labels = [f"\u201c{kinds.terms[k].label}\u201d" for k in requires.get("kinds", []) if kinds and k in kinds.terms]
        either = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
        parts.append(f"{counted(n, 'case study', 'case studies')} with an outcome whose evidence is {either}")
    if requires.get("research_needed"):
        parts.append("a list of the research still needed")
    return "; ".join(parts)
