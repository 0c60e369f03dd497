"""The business case: /business-case/ and a page per claim at /business-case/<id>/."""

from __future__ import annotations

from ..cite.references import References
from ..model import Claim, EvidenceLinks, Library
from ..read import urls
from ..read.kinds import CLAIM, PUBLIC_STATUSES
from ..render.markup import block, bullet_list, esc
from ..render.text import md_escape
from . import Page
from .case_study import CITE_BUTTON
from .common import contributed, demote_headings, record_history, retraction_notice, term_link
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


def claim_page(record: Claim, library: Library, refs: References, edit_url: str | None) -> Page:
    uri = record.uri
    body, cited = refs.render_body(record.body)
    supporting, contrary = record.supporting, record.contrary
    keys = list(dict.fromkeys(cited + list(supporting.references) + list(contrary.references)))
    listed = set(supporting.case_studies) | set(contrary.case_studies)
    parts = [
        f"# {md_escape(claim_title(record, library))}",
        retraction_notice(record, "claim"),
        strength_badge(record, library, uri),
        CITE_BUTTON,
        md_escape(record.summary),
        "## Why we say this\n\n" + contributed(demote_headings(body.strip())),
        _evidence_list("Evidence for the claim", supporting, library, refs, uri),
        _evidence_list("Evidence against, or where it does not hold", contrary, library, refs, uri),
        _research_needed(record),
        _related(record, library, uri),
        refs.section(keys, uri),
        record_history(record, edit_url, "claim"),
    ]
    ids = frozenset(i for i in listed if i in library.case_studies)
    return Page(uri, "\n\n".join(p.strip() for p in parts if p.strip()) + "\n", ids, record.title, tuple(keys))


def _evidence_list(heading: str, block: EvidenceLinks, library: Library, refs: References, uri: str) -> str:
    items = [refs.link_or_text(k) for k in block.references]
    cards = []
    for case_id in block.case_studies:
        record = library.case_studies.get(case_id)
        if record is not None and record.status in PUBLIC_STATUSES:
            cards.append(case_study_item(record, library, uri))
    parts = [bullet_list(items)] if items else []
    if cards:
        parts.append(card_list(cards))
    return f"## {heading}\n\n" + ("\n\n".join(parts) if parts else "None found yet.")


def _research_needed(record: Claim) -> str:
    needed = record.research_needed
    if not needed:
        return ""
    return "## Research still needed\n\n" + "\n".join(f"- {md_escape(n)}" for n in needed)


def _related(record: Claim, library: Library, uri: str) -> str:
    lines = []
    for keys, name, label in ((record.principles, "principles", "Principles"), (record.barriers, "barriers", "Barriers"),
                              (record.enablers, "enablers", "Enablers"), (record.outcomes, "outcomes", "Outcome areas")):
        vocab = library.vocabulary_of(name, kind=record.kind)  # the claim's field, its vocabulary from the schema
        if keys:
            lines.append(f"{label}: " + ", ".join(term_link(library, vocab, k, uri) for k in keys))
    return "## Related\n\n" + bullet_list(lines) if lines else ""


def business_case_page(library: Library, chart: str = "") -> Page:
    uri = urls.BUSINESS_CASE
    claims = library.published("claim")
    categories = library.taxonomy.get(library.vocabulary_of("category", kind=CLAIM.key))
    strengths = library.taxonomy.get(library.vocabulary_of("strength", kind=CLAIM.key))
    tally = strength_tally(claims, library)
    parts = [
        "# The business case for co-production",
        ("The roundtable on co-production asked for a business case: a clear account, built from different kinds "
         "of evidence, of why co-production is worth doing, and honest about where evidence is missing. Each claim "
         f"below is graded on [one published rubric](#{RUBRIC_ANCHOR}). " + md_escape(tally)
         + " The gaps are findings too, and show the research that is still needed."),
    ]
    parts.append(block("div", [('<a class="md-button" href="business-case.pdf" type="application/pdf">'
                               "Download the business case as a PDF</a>"),
                               ("<span>For printing or attaching to guidance: it carries this page's version, date and "
                               "permanent address.</span>")], ' class="coprod-page-actions coprod-pdf-link"'))
    if chart:
        parts.append(chart)
    ids: set[str] = set()
    by_category: dict[str, list[Claim]] = {}
    for record in claims:
        by_category.setdefault(record.category, []).append(record)
    order = list(categories.terms) if categories else []
    for key in order + sorted(set(by_category) - set(order)):
        records = sorted(by_category.get(key, []), key=_strength_order(library))
        if not records:
            continue
        term = categories.terms.get(key) if categories else None
        section = [f"## {md_escape(term.label if term else key)} {{: .coprod-category }}", "",
                   md_escape(term.definition) if term else ""]
        cards = []
        for record in records:
            cards.append(_claim_card(record, library, uri))
            ids.update(i for i in record.supporting.case_studies if i in library.case_studies)
        section += ["", block("ul", cards, ' class="coprod-claims"')]
        parts.append("\n".join(section))
    parts.append(_rubric(library) if strengths else "")
    return Page(uri, "\n\n".join(p for p in parts if p) + "\n", frozenset(), "The business case for co-production")


def _claim_card(record: Claim, library: Library, uri: str) -> str:
    """A claim as a card: its strength badge, the claim (its link covers the card), the
    summary, and how much evidence there is for and against it."""
    term = library.term(library.vocabulary_of("strength", kind=CLAIM.key), record.strength)
    href = esc(urls.href(uri, record.uri))
    parts = [strength_badge_html(term) if term else "",
             f'<a class="coprod-card__link coprod-card__title" href="{href}">{esc(claim_title(record, library))}</a>']
    if record.retracted:
        parts.append('<span class="coprod-tag coprod-tag--retracted">Retracted</span>')
    if record.summary:
        parts.append(f'<p class="coprod-card__summary">{esc(record.summary)}</p>')
    support, contrary = record.supporting, record.contrary
    count_for = len(support.references) + len(support.case_studies)
    count_against = len(contrary.references) + len(contrary.case_studies)
    needed = len(record.research_needed)
    facts = [f"{count_for} source{'s' if count_for != 1 else ''} for",
             f"{count_against} against" if count_against else "none against found yet",
             f"{needed} research question{'s' if needed != 1 else ''} open"]
    against = " coprod-claim--contested" if count_against else ""
    parts.append('<p class="coprod-card__facts">'
                 + "".join(f'<span class="coprod-card__fact">{esc(f)}</span>' for f in facts) + "</p>")
    return f'<li class="coprod-card coprod-claim{against}">{"".join(parts)}</li>'


def _strength_order(library: Library):
    strengths = library.taxonomy.get(library.vocabulary_of("strength", kind=CLAIM.key))
    order = {key: i for i, key in enumerate(strengths.terms)} if strengths else {}
    return lambda r: (order.get(r.strength, 99), r.title.lower())


def _rubric(library: Library) -> str:
    strengths = library.taxonomy[library.vocabulary_of("strength", kind=CLAIM.key)]
    kinds = library.taxonomy.get(library.vocabulary_of("outcomes", "evidence"))
    rows = ["| Grade | What it means | What it needs, at least |", "|---|---|---|"]
    for term in strengths.terms.values():
        needs = _needs(term.requires, kinds)
        rows.append(f"| {strength_symbol(term)} {md_escape(term.label)} | {md_escape(term.definition)} | {needs} |")
    return (f"## How we grade the evidence {{#{RUBRIC_ANCHOR}}}\n\n"
            + md_escape(strengths.description) + "\n\n" + "\n".join(rows)
            + "\n\nThe library's checks enforce this rubric: a claim graded higher than its evidence allows "
              "cannot be published.")


def _needs(requires: dict, kinds) -> str:
    """What a grade needs, at least, in words from the taxonomy's rules (the one wording)."""
    parts = []
    if "max_supporting" in requires and requires["max_supporting"] == 0:
        parts.append("no supporting evidence")
    elif requires.get("min_supporting"):
        n = requires["min_supporting"]
        parts.append(f"{n} supporting source{'s' if n > 1 else ''} or case stud{'ies' if n > 1 else 'y'}")
    if requires.get("min_strong_items"):
        n = requires["min_strong_items"]
        labels = [f"\u201c{kinds.terms[k].label}\u201d" for k in requires.get("kinds", []) if kinds and k in kinds.terms]
        either = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
        parts.append(f"{n} case stud{'ies' if n > 1 else 'y'} with an outcome whose evidence is {either}")
    if requires.get("research_needed"):
        parts.append("a list of the research still needed")
    return md_escape("; ".join(parts))
