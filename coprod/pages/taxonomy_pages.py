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
from ..read.kinds import CASE_STUDY
from ..read.taxonomy import Term, Vocabulary
from ..render.markup import bullet_list, esc, link, table
from ..render.text import md_escape, md_words
from . import Page
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
    for record in sort_case_studies(library.published("case-study")):
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
    browsed = library.fields.browsed("claim")
    for record in sort_claims(library.published("claim")):
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


def taxonomy_pages(library: Library, index: TermIndex | None = None) -> list[Page]:
    """Every vocabulary index and term page, then each value facet's browse pages."""
    index = index if index is not None else index_evidence(library)
    items = CaseItems(library)
    refs = References(library.bibliography)  # for the short names of sources ("Hickey et al., 2018")
    pages: list[Page] = []
    for name in library.fields.folders:
        vocab = library.taxonomy.get(name)
        if vocab is None:
            continue
        pages.append(vocabulary_page(vocab, library, index))
        pages.extend(term_page(term, library, index, items, refs) for term in vocab.terms.values())
    for facet in library.fields.value_facets:
        pages.append(values_index(facet, index))
        pages.extend(value_page(facet, group, library, items) for group in index.values.get(facet.name, {}).values())
    return pages


def term_page(term: Term, library: Library, index: TermIndex, items: CaseItems | None = None,
              refs: References | None = None) -> Page:
    uri = library.term_page(term.vocabulary, term.key)
    items = items or CaseItems(library)
    vocab = library.taxonomy[term.vocabulary]
    lines = [f"# {md_escape(term.label)}", "",
             f"A term in [{md_escape(vocab.title)}]({urls.rel(uri, library.vocabulary_page(term.vocabulary))}).", ""]
    if term.definition:
        lines += [md_escape(term.definition), ""]
    if term.source:
        link = urls.rel(uri, urls.REFERENCES, urls.reference_anchor(term.source))
        refs = refs if refs is not None else References(library.bibliography)
        name = refs.label(term.source) if term.source in refs else term.source  # "Hickey et al., 2018", not the key
        lines += [f"Source: [{md_escape(name)}]({link})", ""]
    if term.note:
        lines += [f"> **Caveat:** {md_escape(term.note)}", ""]
    uses = index.cases.get((term.vocabulary, term.key), [])
    lines += ["## Case studies", ""]
    if uses:
        verb = "reports" if len(uses) == 1 else "report"
        lines += [f"{CASE_STUDY.counted(len(uses))} {verb} this.", ""]
        lines.append(card_list(items(use.record, uri, "".join(f"<p>{detail}</p>" for detail in
                                                             use_details(term.vocabulary, use, library)))
                               for use in uses))
    else:
        lines.append(NO_CASE_STUDIES)
    lines.append("")
    if term.vocabulary in library.fields.browsed("claim"):
        claims = index.claims.get((term.vocabulary, term.key), [])
        lines += ["## Claims", ""]
        lines.append(bullet_list(claim_item(record, library, uri) for record in claims) if claims else NO_CLAIMS)
        lines.append("")
    return Page(uri, markdown(lines), frozenset(use.record.id for use in uses), term.label)


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
    with_claims = vocab.name in library.fields.browsed("claim")
    lines = [f"# {md_escape(vocab.title)}", ""]
    if vocab.description:
        lines += [md_escape(vocab.description), ""]
    if not vocab.terms:
        lines += ["This list has no terms yet.", ""]
        return Page(uri, markdown(lines), frozenset(), vocab.title)
    header = ["Term", "Definition", "Case studies"] + (["Claims"] if with_claims else [])
    rows = []
    for term in vocab.terms.values():
        symbol = strength_symbol(term) + " " if term.symbol else ""  # a rating's symbol, as it is shown elsewhere
        row = [symbol + link(urls.href(uri, library.term_page(vocab.name, term.key)), esc(term.label)), esc(term.definition),
               str(index.case_count(vocab.name, term.key))]
        if with_claims:
            row.append(str(len(index.claims.get((vocab.name, term.key), ()))))
        rows.append(row)
    lines.append(table(header, rows, frozenset(range(2, len(header))), label=vocab.title))
    lines.append("")
    return Page(uri, markdown(lines), frozenset(), vocab.title)


def values_index(facet: Facet, index: TermIndex) -> Page:
    """A value facet's index: each value, linking to its page, with its count."""
    uri = facet.index_page
    words = facet.pages
    lines = [f"# {md_words(words.title)}", "", md_words(words.about), ""]
    groups = index.groups(facet)
    if not groups:
        lines += [md_words(words.none), ""]
    for group in groups:
        lines.append(f"- [{md_escape(group.label)}]({urls.rel(uri, facet.page(group.key))}): "
                     f"{CASE_STUDY.counted(len(group.records))}")
    return Page(uri, markdown(lines), frozenset(), words.title)


def value_page(facet: Facet, group: Group, library: Library, items: CaseItems | None = None) -> Page:
    """One value's page: the case studies with it, newest first."""
    words = facet.pages
    count = CASE_STUDY.counted(len(group.records))
    value = md_escape(group.label)
    heading = facet.words(words.heading, value, escape=md_words)
    intro = facet.words(words.intro, value, count, escape=md_words)
    return _browse_page(facet.page(group.key), heading, intro, md_words(words.up), facet.index_page, group.records,
                        items or CaseItems(library), facet.words(words.heading, group.label))


def _browse_page(uri: str, heading: str, intro: str, up_text: str, up_uri: str, records: list[CaseStudy],
                 items: CaseItems, title: str) -> Page:
    lines = [f"# {heading}", "", intro, ""]
    if records:
        lines += [card_list(items(r, uri) for r in records), ""]
    lines += [f"[{up_text}]({urls.rel(uri, up_uri)})", ""]
    return Page(uri, markdown(lines), frozenset(r.id for r in records), title)


def markdown(lines: list[str]) -> str:
    """The page's text: the lines, ending with exactly one newline."""
    return "\n".join(lines).rstrip("\n") + "\n"
