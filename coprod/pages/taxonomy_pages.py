"""A page per taxonomy term, an index page per vocabulary, and browse pages per value of
each facet with no vocabulary (per country, per start year): the static, citable way to
find every case study showing a principle, a barrier, a setting and so on, with or without
JavaScript. Which facets there are, their folders and their pages' words come from the
schema (:class:`coprod.model.fieldmap.Facet`).

All pages come from one :class:`TermIndex`, built in one pass over the published records.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from ..cite.references import References
from ..model import CaseStudy, Claim, Library, Note, Outcome, PrincipleUse, StandardUse
from ..model.fieldmap import Facet
from ..read import urls
from ..read.kinds import CASE_STUDY, CLAIM
from ..read.taxonomy import Term, Vocabulary
from ..render import templates
from ..render.markup import esc
from . import Page, html_page
from .listing import card_list, case_study_item, claim_item, sort_case_studies, strength_symbol

NO_CASE_STUDIES = "No case study in the library reports this yet."
NO_CLAIMS = "No claim in the business case refers to this yet."


@dataclass
class Use:
    """One case study's use of one term, with the entries that say how (principle,
    barrier, enabler or outcome entries; empty for plain lists of keys)."""

    record: CaseStudy
    entries: list = field(default_factory=list)


@dataclass
class Group:
    """The case studies with one value of a value facet (one country, one start year)."""

    key: str
    value: object  # the value as the first case study wrote it ("United Kingdom", 2014)
    records: list[CaseStudy] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(self.value)


@dataclass
class TermIndex:
    """Every published record filed under each term and each value of a value facet,
    newest first."""

    cases: dict[tuple[str, str], list[Use]] = field(default_factory=dict)  # (vocabulary, key) -> uses
    claims: dict[tuple[str, str], list[Claim]] = field(default_factory=dict)
    values: dict[str, dict[str, Group]] = field(default_factory=dict)  # facet name -> key -> group

    def case_count(self, vocabulary: str, key: str) -> int:
        return len(self.cases.get((vocabulary, key), ()))

    def groups(self, facet: Facet) -> list[Group]:
        """A value facet's groups in its order (the schema's ``sort``)."""
        found = self.values.get(facet.name, {})
        return [group for _, _, group in facet.sort_values((g.key, g.value, g) for g in found.values())]


# ---------------------------------------------------------------------------------------
# Indexing: one pass over the records.

def index_evidence(library: Library) -> TermIndex:
    """File every published (and retracted) record under its terms and its values of each
    value facet."""
    index = TermIndex()
    value_facets = library.fields.value_facets
    for record in sort_case_studies(library.published(CASE_STUDY.key)):
        for use in record.terms:
            vocabulary, key, entry = use.vocabulary, use.key, use.entry
            uses = index.cases.setdefault((vocabulary, key), [])
            if not uses or uses[-1].record is not record:
                uses.append(Use(record))
            if entry is not None:
                uses[-1].entries.append(entry)
        for facet in value_facets:
            groups = index.values.setdefault(facet.name, {})
            for key, value in facet.values(record).items():
                groups.setdefault(key, Group(key, value)).records.append(record)
    browsed = library.fields.browsed(CLAIM.key)
    for record in sort_claims(library.published(CLAIM.key)):
        for vocabulary in browsed:
            for key in record.keys_of(vocabulary):
                index.claims.setdefault((vocabulary, key), []).append(record)
    return index


def sort_claims(records: list[Claim]) -> list[Claim]:
    return sorted(records, key=lambda r: (r.title.lower(), r.id))


# ---------------------------------------------------------------------------------------
# Pages.

class CaseItems:
    """``case_study_item`` made once per case study and relative address of the catalogue:
    every term page is the same depth down, so a case study's item is the same text on all
    of them (making it afresh for each term it uses cost large builds dearly)."""

    def __init__(self, library: Library) -> None:
        self.evidence = library
        self._bases: dict[str, str] = {}  # page folder -> relative path to case-studies/
        self._items: dict[tuple[str, str], str] = {}

    def __call__(self, record: CaseStudy, uri: str, detail: str = "") -> str:
        folder = posixpath.dirname(urls.address(uri).rstrip("/"))
        base = self._bases.get(folder)
        if base is None:
            base = self._bases[folder] = urls.href(uri, urls.CATALOGUE)
        key = (record.id, base)
        item = self._items.get(key)
        if item is None:
            item = self._items[key] = case_study_item(record, self.evidence, uri)
        if detail:  # the detail goes last in the card, so it is added to the shared part
            return item + f'<div class="coprod-card__detail">{detail}</div>'
        return item


def taxonomy_pages(library: Library, index: TermIndex | None = None, kept=None) -> list[Page]:
    """Every vocabulary index and term page, then each value facet's browse pages.

    ``kept`` (coprod.pagecache.CaseStudyPages, while serving) gives each term and value page
    from the last build when what it lists is the same: the key names every record on it."""
    index = index if index is not None else index_evidence(library)
    items = CaseItems(library)
    refs = References(library.bibliography)  # for the short names of sources ("Hickey et al., 2018")
    pages: list[Page] = []

    def listing(parts: tuple, records, make, shell: Page) -> Page:
        if kept is None:
            return make()
        return kept.listing((*parts, *(kept.digest(r) for r in records)), make, shell)

    for name in library.fields.folders:
        vocab = library.taxonomy.get(name)
        if vocab is None:
            continue
        pages.append(vocabulary_page(vocab, library, index))
        for term in vocab.terms.values():
            at = (term.vocabulary, term.key)
            claims, uses = index.claims.get(at, []), index.cases.get(at, [])
            shell = Page(library.term_page(*at), "", frozenset(use.record.id for use in uses), term.label)
            pages.append(listing(("term", *at, str(len(claims))), [*claims, *(use.record for use in uses)],
                                 lambda term=term: term_page(term, library, index, items, refs), shell))
    for facet in library.fields.value_facets:
        pages.append(values_index(facet, index))
        for group in index.values.get(facet.name, {}).values():
            shell = Page(facet.page(group.key), "", frozenset(r.id for r in group.records),
                         facet.words(facet.pages.heading, group.label))
            pages.append(listing(("value", facet.name, group.key, repr(group.value)), group.records,
                                 lambda group=group, facet=facet: value_page(facet, group, library, items), shell))
    return pages


def term_page(term: Term, library: Library, index: TermIndex, items: CaseItems | None = None,
              refs: References | None = None) -> Page:
    uri = library.term_page(term.vocabulary, term.key)
    items = items or CaseItems(library)
    vocab = library.taxonomy[term.vocabulary]
    source = None
    if term.source:
        refs = refs if refs is not None else References(library.bibliography)
        name = refs.label(term.source) if term.source in refs else term.source  # "Hickey et al., 2018", not the key
        source = {"href": urls.href(uri, urls.REFERENCES) + "#" + urls.reference_anchor(term.source), "name": name}
    uses = index.cases.get((term.vocabulary, term.key), [])
    cards = card_list(items(use.record, uri, "".join(f"<p>{detail}</p>" for detail in
                                                     use_details(term.vocabulary, use, library)))
                      for use in uses) if uses else ""
    claims = None
    if term.vocabulary in library.fields.browsed(CLAIM.key):
        claims = [templates.raw(claim_item(record, library, uri))
                  for record in index.claims.get((term.vocabulary, term.key), [])]
    count_line = f"{CASE_STUDY.counted(len(uses))} {'reports' if len(uses) == 1 else 'report'} this."
    return html_page(uri, "term.html", term.label, frozenset(use.record.id for use in uses), term=term,
                     vocabulary_title=vocab.title, vocabulary_href=urls.href(uri, library.vocabulary_page(term.vocabulary)),
                     source=source, cards=templates.raw(cards), count_line=count_line,
                     no_case_studies=NO_CASE_STUDIES, claims=claims, no_claims=NO_CLAIMS)


def use_details(vocabulary: str, use: Use, library: Library) -> list[str]:
    """The lines under a case study on a term page: how it shows the term (HTML)."""
    taxonomy = library.taxonomy
    areas, kinds = library.vocabulary_of("outcomes", "area"), library.vocabulary_of("outcomes", "evidence")
    details = []
    for entry in use.entries:
        if isinstance(entry, (PrincipleUse, StandardUse)):
            details.append(f"<strong>How:</strong> {esc(entry.how)}")
        elif isinstance(entry, Note):
            what = "What happened" if vocabulary == library.vocabulary_of("barriers", "barrier") else "What helped"
            details.append(f"<strong>{what}:</strong> {esc(entry.detail)}")
        elif isinstance(entry, Outcome) and vocabulary == kinds:
            area = label_of(taxonomy.get(areas), entry.area)
            details.append(f"<strong>Outcome:</strong> {esc(entry.description)}"
                           + (f" (area: {esc(area)})" if area else ""))
        elif isinstance(entry, Outcome):
            kind = label_of(taxonomy.get(kinds), entry.evidence)
            details.append(f"<strong>Outcome:</strong> {esc(entry.description)}"
                           + (f" (evidence: {esc(kind)})" if kind else ""))
    return details


def label_of(vocab: Vocabulary | None, key: object) -> str:
    if vocab is None or not isinstance(key, str):
        return ""
    term = vocab.terms.get(key)
    return term.label if term else key


def vocabulary_page(vocab: Vocabulary, library: Library, index: TermIndex) -> Page:
    uri = library.vocabulary_page(vocab.name)
    with_claims = vocab.name in library.fields.browsed(CLAIM.key)
    rows = [{"symbol": templates.raw(strength_symbol(term)) if term.symbol else "",  # a rating's symbol, as shown elsewhere
             "href": urls.href(uri, library.term_page(vocab.name, term.key)), "label": term.label,
             "definition": term.definition, "cases": index.case_count(vocab.name, term.key),
             "claims": len(index.claims.get((vocab.name, term.key), ()))}
            for term in vocab.terms.values()]
    return html_page(uri, "vocabulary.html", vocab.title, frozenset(), vocabulary=vocab, rows=rows,
                     with_claims=with_claims)


def values_index(facet: Facet, index: TermIndex) -> Page:
    """A value facet's index (countries, years): each value, linking to its page, with its
    count, in the schema's words (``x-facet.pages``)."""
    uri = facet.index_page
    words = facet.pages
    entries = [{"href": urls.href(uri, facet.page(group.key)), "text": group.label,
                "count": CASE_STUDY.counted(len(group.records))} for group in index.groups(facet)]
    return html_page(uri, "browse-index.html", words.title, frozenset(), intro=words.about, entries=entries,
                     empty=words.none)


def value_page(facet: Facet, group: Group, library: Library, items: CaseItems | None = None) -> Page:
    """One value's page: the case studies with it, newest first."""
    words = facet.pages
    count = CASE_STUDY.counted(len(group.records))
    heading = facet.words(words.heading, group.label)
    intro = facet.words(words.intro, group.label, count)
    return _browse_page(facet.page(group.key), heading, intro, words.up, facet.index_page, group.records,
                        items or CaseItems(library), heading)


def _browse_page(uri: str, heading: str, intro: str, up_text: str, up_uri: str, records: list[CaseStudy],
                 items: CaseItems, title: str) -> Page:
    cards = card_list(items(r, uri) for r in records) if records else ""
    return html_page(uri, "browse.html", title, frozenset(r.id for r in records), heading=heading, intro=intro,
                     cards=templates.raw(cards), up={"href": urls.href(uri, up_uri), "text": up_text})
