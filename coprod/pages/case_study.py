"""The page of one case study: /case-studies/<id>/."""

from __future__ import annotations

from dataclasses import replace

from ..cite.references import References
from ..model import CaseStudy, Library
from ..read import urls
from ..read.kinds import CASE_STUDY
from ..read.words import counted
from ..render import templates
from ..render.body_html import body_of
from ..render.markup import esc, link, table, tag_list
from ..render.text import safe_url
from . import Page, html_page
from .common import term_link
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
                    uri: str = "", notice: dict | None = None) -> Page:
    """The page at ``uri`` (default: the record's own address; an earlier version's is
    another, coprod.pages.versions), with ``notice`` (:func:`coprod.pages.versions.version_notice`)
    under its title, from overrides/partials/coprod/case-study.html."""
    uri = uri or record.uri
    body, cited = refs.render_body(record.body)
    outcome_sources = [k for o in record.outcomes for k in o.sources]
    keys = list(dict.fromkeys(cited + outcome_sources + list(record.sources)))
    principles = library.vocabulary_of("principles", "principle")
    lists = [{"heading": "Principles it shows", "always": True,
              "entries": [_item(term_link(library, principles, p.principle, uri), p.how) for p in record.principles]}]
    for notes, vocab, heading in ((record.barriers, library.vocabulary_of("barriers", "barrier"), "Barriers met"),
                                  (record.enablers, library.vocabulary_of("enablers", "enabler"), "What helped")):
        lists.append({"heading": heading, "always": False,
                      "entries": [_item(term_link(library, vocab, note.key, uri), note.detail) for note in notes]})
    lists.append(standards_section(record, library, uri))
    references = refs.section_list(keys, uri)
    page = html_page(uri, "case-study.html", record.title, frozenset(), record=record, kind_name=CASE_STUDY.singular,
                     version_notice=notice, retraction=retraction_notice(record), glance=_panel(record, library, uri),
                     sections=lists, rating=templates.raw(rating_badge(record, library, uri)),
                     outcomes=templates.raw(_outcomes(record, library, refs, uri)),
                     gripp2=templates.raw(gripp2_section(record, library, uri)),
                     resources=_resources(record),
                     body=body_of(record, refs, body),
                     references=templates.raw(references),
                     references_summary=f"Show the {counted(len(keys), 'reference')}", edit_url=safe_url(edit_url))
    return replace(page, cites=tuple(keys))


def case_study_shell(record: CaseStudy, refs: References) -> Page:
    """What :func:`case_study_page` gives of the record's own page besides its HTML: its
    address, title and the references it cites (those its body cites that the bibliography
    holds, in order, then its outcomes' and its own sources), for registering it before it
    is made (coprod.pages.LazyPage)."""
    cited = [item.key for citation in record.citations for item in citation.items if item.key in refs]
    outcome_sources = [k for o in record.outcomes for k in o.sources]
    return Page(record.uri, "", title=record.title,
                cites=tuple(dict.fromkeys(cited + outcome_sources + list(record.sources))))


def _item(term_html: str, text: str) -> dict:
    return {"term": templates.raw(term_html), "text": text}


def _panel(record: CaseStudy, library: Library, uri: str) -> list[dict]:
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
    return [{"label": label, "value": templates.raw(value)} for label, value in rows]


def _outcomes(record: CaseStudy, library: Library, refs: References, uri: str) -> str:
    rows = []
    areas, kinds = library.vocabulary_of("outcomes", "area"), library.vocabulary_of("outcomes", "evidence")
    for outcome in record.outcomes:
        rows.append([term_link(library, areas, outcome.area, uri), esc(outcome.description),
                     term_link(library, kinds, outcome.evidence, uri),
                     "; ".join(refs.link_or_text(k) for k in outcome.sources)])
    return table(["Outcome area", "What changed", "Kind of evidence", "Sources"], rows, label="Outcomes")


def _resources(record: CaseStudy) -> list[dict]:
    resources = record.resources
    if resources is None:
        return []
    labels = (("Time", resources.time), ("Payment to public contributors", resources.payment), ("Budget", resources.budget))
    return [{"term": label, "text": value} for label, value in labels if value]


def retraction_notice(record) -> dict | None:
    """The retraction's date and reason, for the notice under the title (record-top.html)."""
    retraction = record.retraction
    return None if not record.retracted or retraction is None else {"date": retraction.date, "reason": retraction.reason}
