"""The page of one case study: /case-studies/<id>/."""

from __future__ import annotations

from ..cite.references import References
from ..model import CaseStudy, Library
from ..read import urls
from ..read.words import counted
from ..render.markup import block, bullet_list, esc, link, table, tag_list
from ..render.text import md_escape, safe_url
from . import Page
from .common import contributed, demote_headings, record_history, retraction_notice, term_link
from .listing import evidence_kinds
from .reporting import (
    GRIPP2_NAME,
    gripp2_completeness,
    gripp2_section,
    other_vocabulary_rows,
    rating_badge,
    standards_section,
    term_tag,
)


def case_study_page(record: CaseStudy, library: Library, refs: References, edit_url: str | None, *,
                    uri: str = "", notice: str = "") -> Page:
    """The page at ``uri`` (default: the record's own address; an earlier version's is
    another, coprod.pages.versions), with ``notice`` (markdown) under its title."""
    uri = uri or record.uri
    body, cited = refs.render_body(record.body)
    outcome_sources = [k for o in record.outcomes for k in o.sources]
    keys = list(dict.fromkeys(cited + outcome_sources + list(record.sources)))
    parts = [
        f"# {md_escape(record.title)}",
        notice,
        retraction_notice(record, "case study"),
        f"**{md_escape(record.summary)}**",
        CITE_BUTTON,
        _panel(record, library, uri),
        "## In plain English\n\n" + md_escape(record.plain_english_summary),
        _principles(record, library, uri),
        _barriers_enablers(record, library, uri),
        standards_section(record, library, uri),
        _outcomes(record, library, refs, uri),
        gripp2_section(record, library, uri),
        _resources(record),
        "## The story\n\n" + contributed(demote_headings(body.strip())),
        collapsed(refs.section(keys, uri), f"Show the {counted(len(keys), 'reference')}"),
        record_history(record, edit_url, "case study"),
    ]
    return Page(uri, "\n\n".join(p.strip() for p in parts if p.strip()) + "\n", frozenset(), record.title,
                tuple(keys))


# Near the title: the way to the "Cite this page" section the site adds at the end (coprod.site).
CITE_BUTTON = block("div", ['<a class="md-button coprod-cite-button" href="#cite-this-page">Cite this page</a>'],
                    ' class="coprod-page-actions"')


def collapsed(section: str, summary: str) -> str:
    """A "## Heading" section whose HTML list is folded into a <details> (closed; a link to
    an entry inside opens it: assets/javascripts/details.js, and browsers that open
    details on fragment navigation). The heading stays, for the table of contents."""
    if not section.strip():
        return ""
    heading, _, rest = section.partition("\n\n")
    return (f"{heading}\n\n" + block("div", ["<details>", f"<summary data-pagefind-ignore>{esc(summary)}</summary>", rest.strip(),
                                             "</details>"], ' class="coprod-collapsed"'))


def _panel(record: CaseStudy, library: Library, uri: str) -> str:
    """'At a glance': a summary list (key, value), principles and barriers as tags that
    link to their pages."""
    project = record.project
    name = esc(project.name)
    url = safe_url(project.url)
    rows = [("Project", link(url, name) if url else name)]
    if project.years:
        rows.append(("Years", esc(project.years)))
    countries = library.fields.facet_at("project", "countries")
    if project.countries:
        rows.append(("Country", ", ".join(link(urls.href(uri, countries.page(countries.key_of(c))), esc(c)) if countries
                                          else esc(c) for c in project.countries)))
    if project.places:
        rows.append(("Places", esc(project.places)))
    settings, stages = library.vocabulary_of("settings"), library.vocabulary_of("research_stages")
    rows.append(("Setting", ", ".join(term_link(library, settings, k, uri) for k in record.settings)))
    rows.append(("Public involved in", ", ".join(term_link(library, stages, k, uri) for k in record.research_stages)))
    if project.funders:
        rows.append(("Funders", "; ".join(esc(f) for f in project.funders)))
    who = []
    for person in record.involved:
        text = esc(person.role)
        if person.number:
            text += f" ({esc(person.number)})"
        if person.name:
            text = f"{esc(person.name)}, {text}"
        who.append(text)
    rows += other_vocabulary_rows(record, library, uri)  # groups, and any vocabulary added to the schema
    rows.append(("Roles", "<br>".join(who)))
    for fields, label in ((("principles", "principle"), "Principles"), (("barriers", "barrier"), "Barriers"),
                          (("enablers", "enabler"), "What helped")):
        vocab = library.vocabulary_of(*fields)
        tags = [term_tag(library, vocab, k, uri) for k in record.keys_of(vocab)]
        if tags:
            rows.append((label, tag_list(tags, label)))
    if record.features:
        features = library.vocabulary_of("features")
        rows.append(("Key features", ", ".join(term_link(library, features, k, uri) for k in record.features)))
    kinds = evidence_kinds(record, library)
    if kinds:
        rows.append(("Kinds of evidence", esc(", ".join(kinds))))
    badge = rating_badge(record, library, uri)
    if badge:
        rows.append(("Outcome rating", badge))
    rows.append((GRIPP2_NAME, esc(gripp2_completeness(record, library, named=False))))
    items = [f'<div class="coprod-summary-list__row"><dt>{esc(label)}</dt><dd>{value}</dd></div>'
             for label, value in rows]
    return "## At a glance\n\n" + block("dl", items, ' class="coprod-summary-list"')


def _principles(record: CaseStudy, library: Library, uri: str) -> str:
    vocab = library.vocabulary_of("principles", "principle")
    items = [f"<strong>{term_link(library, vocab, p.principle, uri)}</strong>: {esc(p.how)}" for p in record.principles]
    return "## Principles it shows\n\n" + bullet_list(items)


def _barriers_enablers(record: CaseStudy, library: Library, uri: str) -> str:
    out = []
    for notes, vocab, heading in ((record.barriers, library.vocabulary_of("barriers", "barrier"), "Barriers met"),
                                  (record.enablers, library.vocabulary_of("enablers", "enabler"), "What helped")):
        items = [f"<strong>{term_link(library, vocab, note.key, uri)}</strong>: {esc(note.detail)}" for note in notes]
        if items:
            out.append(f"## {heading}\n\n" + bullet_list(items))
    return "\n\n".join(out)


def _outcomes(record: CaseStudy, library: Library, refs: References, uri: str) -> str:
    rows = []
    areas, kinds = library.vocabulary_of("outcomes", "area"), library.vocabulary_of("outcomes", "evidence")
    for outcome in record.outcomes:
        rows.append([term_link(library, areas, outcome.area, uri), esc(outcome.description),
                     term_link(library, kinds, outcome.evidence, uri),
                     "; ".join(refs.link_or_text(k) for k in outcome.sources)])
    badge = rating_badge(record, library, uri)
    rating = f"<p>How well the outcomes are known: {badge}</p>\n\n" if badge else ""
    return "## Outcomes\n\n" + rating + table(["Outcome area", "What changed", "Kind of evidence", "Sources"], rows, label="Outcomes")


def _resources(record: CaseStudy) -> str:
    resources = record.resources
    if resources is None:
        return ""
    labels = (("Time", resources.time), ("Payment to public contributors", resources.payment), ("Budget", resources.budget))
    items = [f"<strong>{label}</strong>: {esc(value)}" for label, value in labels if value]
    return "## Resources\n\n" + bullet_list(items) if items else ""
