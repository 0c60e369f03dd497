"""The catalogue of case studies at /case-studies/: static, paginated lists that work
without JavaScript, with "Browse by" links to the term, country and year pages as filters,
and ``data/catalogue.json`` for the script that filters the list in place. The filters are
the schema's facets (:class:`coprod.model.fieldmap.Facet`), whatever they are named.
"""

from __future__ import annotations

import json

from ..model import CaseStudy, Library
from ..model.fieldmap import Facet
from ..read import urls
from ..read.kinds import CASE_STUDY
from ..render import templates
from . import Page, html_page
from .listing import card_list, case_study_item, sort_case_studies, template_card
from .taxonomy_pages import TermIndex, index_evidence

CATALOGUE_DATA = "data/catalogue.json"
SCRIPT_MARKER_ID = "catalogue-filters"
PAGER_ID = "catalogue-pager"
CARD_TEMPLATE_ID = "catalogue-card"  # the <template> card the script fills for each result
PAGER_WINDOW = 2  # page numbers shown either side of the current page before "…"


# ---------------------------------------------------------------------------------------
# The static pages.

def catalogue_pages(library: Library, index: TermIndex | None = None, kept=None) -> list[Page]:
    """Page 1 at /case-studies/, then /case-studies/page/<n>/: CATALOGUE_PAGE_SIZE case
    studies each, newest first, with a pager and the "Browse by" links. ``kept``
    (coprod.pagecache.CaseStudyPages, while serving) gives each page from the last build when
    its records and its links' counts are the same."""
    index = index if index is not None else index_evidence(library)
    records = sort_case_studies(library.published(CASE_STUDY.key))
    size = urls.CATALOGUE_PAGE_SIZE
    chunks = [records[start:start + size] for start in range(0, len(records), size)] or [[]]
    if kept is None:
        return [catalogue_page(number, len(chunks), chunk, len(records), library, index)
                for number, chunk in enumerate(chunks, start=1)]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        uri = urls.catalogue_page(number)
        browse = repr([facet_links(facet, uri, library, index) for facet in library.fields.facets])
        pages.append(kept.listing(("catalogue", str(number), str(len(chunks)), str(len(records)), browse,
                                   *(kept.digest(record) for record in chunk)),
                                  lambda number=number, chunk=chunk: catalogue_page(number, len(chunks), chunk,
                                                                                    len(records), library, index),
                                  Page(uri, "", frozenset(r.id for r in chunk), catalogue_title(number))))
    return pages


def catalogue_title(number: int) -> str:
    return "Case studies" if number == 1 else f"Case studies, page {number}"


def catalogue_page(number: int, count: int, records: list[CaseStudy], total: int, library: Library,
                   index: TermIndex) -> Page:
    uri = urls.catalogue_page(number)
    title = catalogue_title(number)
    # the script puts its controls in this element and hides what follows up to "Browse by"
    marker = {"id": SCRIPT_MARKER_ID, "data": data_address_from(uri),
              "folders": json.dumps(library.fields.folder_facets(), separators=(",", ":")),
              "keywords": json.dumps([f.name for f in library.fields.facets if f.keywords], separators=(",", ":")),
              "template_id": CARD_TEMPLATE_ID}
    where = f" This is page {number} of {count}." if count > 1 else ""
    cards = card_list(case_study_item(record, library, uri) for record in records) if records else ""
    browse = [{"label": facet.label, "entries": entries} for facet in library.fields.facets
              if (entries := facet_links(facet, uri, library, index))]
    return html_page(uri, "catalogue.html", title, frozenset(r.id for r in records), marker=marker,
                     template_card=templates.raw(template_card(library)), total=total,
                     intro=f"{CASE_STUDY.counted(total)} of co-produced research, newest first.{where}",
                     cards=templates.raw(cards), pager=pager(number, count) if count > 1 else None, browse=browse)


def data_address_from(uri: str) -> str:
    """The URL of data/catalogue.json relative to the page's address (not its .md path):
    from /case-studies/ it is ../data/catalogue.json, wherever the site is hosted."""
    return urls.href(uri, CATALOGUE_DATA)


def pager(number: int, count: int) -> dict:
    """'Previous · 1 · 2 · … · Next' with the current page in bold and not linked (the
    parts catalogue.html writes)."""
    uri = urls.catalogue_page(number)

    def to(target: int) -> str:
        return urls.href(uri, urls.catalogue_page(target))

    parts: list[dict] = []

    def part(text: str, href: str = "", label: str = "", current: bool = False) -> dict:
        return {"text": text, "href": href, "label": label, "current": current}

    if number > 1:
        parts.append(part("\u2190 Previous", to(number - 1)))
    previous = 0
    for target in page_numbers(number, count):
        if target > previous + 1:
            parts.append(part("\u2026"))
        if target == number:
            parts.append(part(str(target), current=True))
        else:
            parts.append(part(str(target), to(target), f"Page {target}"))
        previous = target
    if number < count:
        parts.append(part("Next \u2192", to(number + 1)))
    return {"id": PAGER_ID, "parts": parts}


def page_numbers(number: int, count: int) -> list[int]:
    """The page numbers the pager shows: the first, the last and a window round ``number``."""
    shown = {1, count, *range(number - PAGER_WINDOW, number + PAGER_WINDOW + 1)}
    return sorted(n for n in shown if 1 <= n <= count)


def facet_links(facet: Facet, uri: str, library: Library, index: TermIndex) -> list[dict]:
    """The no-JavaScript filters of one facet: its terms, with counts, linking to their
    pages; a term no case study uses is not offered (its page would list nothing)."""
    def item(text: str, target: str, count: int) -> dict:
        return {"text": text, "href": urls.href(uri, target), "count": count}

    if facet.by_value:
        return [item(group.label, facet.page(group.key), len(group.records)) for group in index.groups(facet)]
    vocab = library.taxonomy.get(facet.vocabulary or "")
    if vocab is None:
        return []
    counted = ((key, term, index.case_count(vocab.name, key)) for key, term in vocab.terms.items())
    return [item(term.label, library.term_page(vocab.name, key), count) for key, term, count in counted if count]


# ---------------------------------------------------------------------------------------
# The data the script filters.

def catalogue_data(library: Library) -> Page:
    """data/catalogue.json: the facets (name, label, terms as [key, label] pairs) and, per
    published case study, its id, title, summary, address, years, facet keys and its
    outcomes' keys."""
    records = sort_case_studies(library.published(CASE_STUDY.key))
    cases = [case_data(record, library) for record in records]
    data = {"facets": facet_data(library, records), "case_studies": cases}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Page(CATALOGUE_DATA, text + "\n", frozenset(), "Case study catalogue data")


def case_data(record: CaseStudy, library: Library) -> dict:
    entry: dict = {"id": record.id, "title": record.title, "summary": record.summary,
                   "url": urls.address(record.uri)}
    if record.years:
        entry["years"] = record.years
    if record.retracted:
        entry["retracted"] = True
    entry["facets"] = case_facets(record, library)
    outcomes = outcome_facets(record, library)
    if outcomes:
        entry["outcomes"] = outcomes
    return entry


def outcome_facets(record: CaseStudy, library: Library) -> list[dict[str, str]]:
    """Each outcome as its facet keys (its area, its kind of evidence): the catalogue can then
    keep the case studies whose *same* outcome has both (the evidence map's first view)."""
    facets = [(facet.name, field) for field in ("area", "evidence")
              if (facet := library.fields.facet_at("outcomes", field)) is not None]
    if len(facets) < 2:
        return []
    seen: dict[tuple, dict[str, str]] = {}
    for outcome in record.outcomes:
        keys = {name: getattr(outcome, field) for name, field in facets}
        if all(isinstance(value, str) for value in keys.values()):
            seen.setdefault(tuple(keys.values()), keys)
    return list(seen.values())


def case_facets(record: CaseStudy, library: Library) -> dict[str, list[str]]:
    """Facet name -> the case study's keys (each once, in its own order); empty facets left out."""
    facets: dict[str, dict[str, None]] = {}
    for use in record.terms:
        facet = library.fields.facet_of(use.vocabulary)
        if facet is not None:
            facets.setdefault(facet.name, {})[use.key] = None
    for facet in library.fields.value_facets:
        keys = facet.values(record)
        if keys:
            facets[facet.name] = dict.fromkeys(keys)
    return {f.name: list(facets[f.name]) for f in library.fields.facets if f.name in facets}


def facet_data(library: Library, records: list[CaseStudy]) -> list[dict]:
    """Each facet's name, label and terms in display order, as [key, label] pairs."""
    facets = []
    for facet in library.fields.facets:
        if facet.by_value:
            seen: dict[str, object] = {}
            for record in records:
                for key, value in facet.values(record).items():
                    seen.setdefault(key, value)
            terms = [[key, str(value)] for key, value in facet.sort_values(seen.items())]
        else:
            vocab = library.taxonomy.get(facet.vocabulary or "")
            terms = [[key, term.label] for key, term in vocab.terms.items()] if vocab else []
        entry = {"name": facet.name, "label": facet.label, "terms": terms}
        if facet.keywords:
            entry["keywords"] = True  # the script's RIS export lists its labels as keywords (KW)
        facets.append(entry)
    return facets
