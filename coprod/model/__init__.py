"""The typed model of a checked evidence folder: what every page, chart, export and search
record reads.

Validation (:mod:`coprod.checks.evidence`) works on the raw files, whose every value keeps its
line for messages. Once the folder is clean, :func:`library` builds the model once:
frozen dataclasses whose fields are the schema's, with the values the schema guarantees
(so no reader guards against a missing or mistyped value), and derived values (the start
year, the years shown, the terms a record uses with their labels, its address) as
properties written once here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

from ..cite.bibtex import Bibliography
from ..cite.syntax import Citation
from ..read import urls
from ..read.kinds import CASE_STUDY, CLAIM, DEFAULT_LICENCE, Records
from ..read.schema import WILDCARD, Schema
from ..read.taxonomy import Taxonomy, Term
from .fieldmap import FieldMap, TermField, field_map


@dataclass(frozen=True)
class Change:
    version: str
    date: str
    summary: str


@dataclass(frozen=True)
class Retraction:
    date: str
    reason: str


@dataclass(frozen=True)
class Person:
    name: str
    orcid: str = ""


@dataclass(frozen=True)
class Project:
    name: str
    start_year: int | None = None
    end_year: int | None = None
    countries: tuple[str, ...] = ()
    places: str = ""
    funders: tuple[str, ...] = ()
    url: str = ""

    @property
    def years(self) -> str:
        """'2014–2021', '2014', 'until 2021' or ''."""
        start, end = self.start_year, self.end_year
        if start and end:
            return f"{start}–{end}" if end != start else str(start)
        if start:
            return str(start)
        return f"until {end}" if end else ""


@dataclass(frozen=True)
class Involved:
    role: str
    number: int | None = None
    name: str = ""


@dataclass(frozen=True)
class PrincipleUse:
    principle: str
    how: str


@dataclass(frozen=True)
class Note:
    """A barrier or enabler met, with what happened."""

    key: str
    detail: str


@dataclass(frozen=True)
class Outcome:
    area: str
    description: str
    evidence: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class StandardUse:
    """A UK Standard for Public Involvement the sources show, and how."""

    standard: str
    how: str


@dataclass(frozen=True)
class Gripp2:
    """The five items of the GRIPP2 short form, each as written ('' where the sources do not
    report it). The items' headings are the ``title`` of each field in the schema."""

    aim: str = ""
    methods: str = ""
    results: str = ""
    discussion: str = ""
    reflections: str = ""

    ITEMS: ClassVar[tuple[str, ...]] = ("aim", "methods", "results", "discussion", "reflections")

    def items(self) -> list[tuple[str, str]]:
        """(item, text) for all five, in GRIPP2's order; text '' where not reported."""
        return [(name, getattr(self, name)) for name in self.ITEMS]

    @property
    def reported(self) -> tuple[str, ...]:
        return tuple(name for name, text in self.items() if text)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(name for name, text in self.items() if not text)


@dataclass(frozen=True)
class Resources:
    time: str = ""
    payment: str = ""
    budget: str = ""


@dataclass(frozen=True)
class TermUse:
    """One term a record uses: its vocabulary, its key and the entry that names it (a
    :class:`PrincipleUse`, :class:`Note` or :class:`Outcome`), or None for a plain key."""

    vocabulary: str
    key: str
    entry: Any = None


@dataclass(frozen=True)
class EvidenceLinks:
    """A claim's supporting or contrary evidence."""

    references: tuple[str, ...] = ()
    case_studies: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.references or self.case_studies)


@dataclass(frozen=True)
class _Common:
    kind: str
    id: str
    title: str
    summary: str
    status: str
    published: str
    version: str
    licence: str
    path: str  # the source file, as shown in messages (evidence/case-studies/x.md)
    body: str  # the markdown after the front matter, as written
    citations: tuple[Citation, ...]
    aliases: tuple[str, ...]
    updated: str
    changes: tuple[Change, ...]
    authors: tuple[Person, ...]
    retraction: Retraction | None
    terms: tuple[TermUse, ...]  # every term used, in the field map's order
    front_matter: MappingProxyType  # as validated, for the open-data exports

    @property
    def retracted(self) -> bool:
        return self.status == "retracted"

    @property
    def last_changed(self) -> str:
        return self.updated or self.published

    def keys_of(self, vocabulary: str) -> list[str]:
        """The record's keys of ``vocabulary``, each once, in its own order."""
        return list(dict.fromkeys(use.key for use in self.terms if use.vocabulary == vocabulary))


@dataclass(frozen=True)
class CaseStudy(_Common):
    plain_english_summary: str
    project: Project
    settings: tuple[str, ...]
    research_stages: tuple[str, ...]
    involved: tuple[Involved, ...]
    principles: tuple[PrincipleUse, ...]
    features: tuple[str, ...]
    barriers: tuple[Note, ...]
    enablers: tuple[Note, ...]
    outcomes: tuple[Outcome, ...]
    resources: Resources | None
    sources: tuple[str, ...]
    groups: tuple[str, ...] = ()
    standards: tuple[StandardUse, ...] = ()
    gripp2: Gripp2 = Gripp2()  # all five items empty when the record has no gripp2
    computed: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))  # field -> key: computed_terms
    # the body as its page renders it, from the validator, where the page may use it (coprod.render.body_html)
    body_html: object | None = field(default=None, compare=False)  # a coprod.render.body_html.Prerendered

    @property
    def uri(self) -> str:
        return urls.case_study(self.id)

    @property
    def outcome_rating(self) -> str:
        """The key in ``outcome_ratings`` worked out from the outcomes' kinds of evidence."""
        return self.computed.get("outcome_rating", "")

    @property
    def gripp2_reporting(self) -> str:
        """The key in ``gripp2_reporting``: how many of the five GRIPP2 items are reported."""
        return self.computed.get("gripp2_reporting", "")

    @property
    def start_year(self) -> int | None:
        return self.project.start_year

    @property
    def years(self) -> str:
        return self.project.years

    @property
    def countries(self) -> tuple[str, ...]:
        return self.project.countries

    @property
    def evidence_used(self) -> set[str]:
        return {o.evidence for o in self.outcomes}


@dataclass(frozen=True)
class Claim(_Common):
    category: str
    strength: str
    supporting: EvidenceLinks
    contrary: EvidenceLinks
    research_needed: tuple[str, ...]
    principles: tuple[str, ...]
    barriers: tuple[str, ...]
    enablers: tuple[str, ...]
    outcomes: tuple[str, ...]

    @property
    def uri(self) -> str:
        return urls.claim(self.id)


Record = CaseStudy | Claim


@dataclass(frozen=True)
class Library(Records):
    """The checked evidence: the model the site is built from."""

    root: Path
    schemas: dict[str, Schema]
    taxonomy: Taxonomy
    bibliography: Bibliography
    fields: FieldMap
    case_studies: dict[str, CaseStudy]  # every case study, drafts included, by id
    claims: dict[str, Claim]

    def term(self, vocabulary: str, key: str) -> Term | None:
        return self.taxonomy.term(vocabulary, key)

    def vocabulary_of(self, *fields: str, kind: str = CASE_STUDY.key) -> str:
        """The vocabulary of a field of ``kind``'s records, from the schema's x-vocabulary:
        ``vocabulary_of("outcomes", "evidence")`` (the model's field names, never a
        vocabulary's name, so a vocabulary renamed in the schema is followed here)."""
        return self.fields.vocabulary_at(kind, *fields)

    def labels(self, vocabulary: str, keys) -> list[str]:
        """The labels of the known terms among ``keys``, each once, in the given order."""
        vocab = self.taxonomy.get(vocabulary)
        if vocab is None:
            return []
        return [vocab.terms[k].label for k in dict.fromkeys(keys) if k in vocab.terms]

    def term_page(self, vocabulary: str, key: str) -> str | None:
        """The docs/ path of a term's page, or None for a vocabulary that is not browsed."""
        folder = self.fields.folders.get(vocabulary)
        return urls.term_in(folder, key) if folder else None

    def vocabulary_page(self, vocabulary: str) -> str | None:
        folder = self.fields.folders.get(vocabulary)
        return urls.vocabulary_in(folder) if folder else None


# ---------------------------------------------------------------------------------------
# Building the model from validated front matter.

def library(evidence) -> Library:
    """The model of a checked :class:`coprod.checks.evidence.Evidence` (built once per build)."""
    fields = field_map(evidence.schemas)
    cases = {key: case_study(record, fields, evidence.taxonomy) for key, record in evidence.case_studies.items()}
    claims = {key: claim(record, fields) for key, record in evidence.claims.items()}
    return Library(evidence.root, evidence.schemas, evidence.taxonomy, evidence.bibliography, fields, cases, claims)


def _tuple(values: Any) -> tuple:
    return tuple(values) if isinstance(values, list) else ()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _common(record) -> dict:
    data = record.source.data
    retraction = data.get("retraction")
    return {
        "kind": record.kind, "id": record.id, "title": _text(data.get("title")) or record.id, "summary": _text(data.get("summary")),
        "status": _text(data.get("status")), "published": _text(data.get("published")), "version": _text(data.get("version")),
        "licence": _text(data.get("licence")) or DEFAULT_LICENCE, "path": record.source.path, "body": record.source.body,
        "citations": tuple(record.citations), "aliases": _tuple(data.get("aliases")), "updated": _text(data.get("updated")),
        "changes": tuple(Change(_text(c.get("version")), _text(c.get("date")), _text(c.get("summary")))
                      for c in _tuple(data.get("changes"))),
        "authors": tuple(Person(_text(a.get("name")), _text(a.get("orcid"))) for a in _tuple(data.get("authors"))),
        "retraction": (Retraction(_text(retraction.get("date")), _text(retraction.get("reason")))
                    if isinstance(retraction, dict) else None),
        "front_matter": MappingProxyType(data)}


def case_study(record, fields: FieldMap, taxonomy: Taxonomy | None = None) -> CaseStudy:
    data = record.source.data
    raw = data.get("project") if isinstance(data.get("project"), dict) else {}
    project = Project(_text(raw.get("name")), raw.get("start_year"), raw.get("end_year"), _tuple(raw.get("countries")),
                      _text(raw.get("places")), _tuple(raw.get("funders")), _text(raw.get("url")))
    principles = tuple(PrincipleUse(p["principle"], _text(p.get("how"))) for p in _tuple(data.get("principles")))
    barriers = tuple(Note(b["barrier"], _text(b.get("detail"))) for b in _tuple(data.get("barriers")))
    enablers = tuple(Note(e["enabler"], _text(e.get("detail"))) for e in _tuple(data.get("enablers")))
    outcomes = tuple(Outcome(o["area"], _text(o.get("description")), o["evidence"], _tuple(o.get("sources")))
                     for o in _tuple(data.get("outcomes")))
    standards = tuple(StandardUse(s["standard"], _text(s.get("how"))) for s in _tuple(data.get("standards")))
    raw_gripp2 = data.get("gripp2") if isinstance(data.get("gripp2"), dict) else {}
    gripp2 = Gripp2(**{name: _text(raw_gripp2.get(name)) for name in Gripp2.ITEMS})
    computed = computed_terms(outcomes, gripp2, fields, taxonomy)
    typed = {"principles": principles, "barriers": barriers, "enablers": enablers, "outcomes": outcomes,
             "standards": standards}
    resources = data.get("resources")
    return CaseStudy(
        **_common(record),
        terms=_terms({**data, **computed}, fields.terms_of(CASE_STUDY.key), typed),
        plain_english_summary=_text(data.get("plain_english_summary")), project=project,
        settings=_tuple(data.get("settings")), research_stages=_tuple(data.get("research_stages")),
        involved=tuple(Involved(_text(i.get("role")), i.get("number"), _text(i.get("name")))
                       for i in _tuple(data.get("involved"))),
        principles=principles, features=_tuple(data.get("features")), barriers=barriers, enablers=enablers,
        outcomes=outcomes,
        resources=(Resources(_text(resources.get("time")), _text(resources.get("payment")), _text(resources.get("budget")))
                   if isinstance(resources, dict) else None),
        sources=_tuple(data.get("sources")), groups=_tuple(data.get("groups")), standards=standards, gripp2=gripp2,
        computed=MappingProxyType(computed), body_html=getattr(record, "body_html", None))


def computed_terms(outcomes: tuple[Outcome, ...], gripp2: Gripp2, fields: FieldMap,
                   taxonomy: Taxonomy | None) -> dict[str, str]:
    """The values the schema's ``x-computed`` fields take, by the rules in ``taxonomy.yml``:

    - ``outcome_rating``: the first term of ``outcome_ratings`` (strongest first) whose
      ``kinds`` include the kind of evidence of any of the outcomes;
    - ``gripp2_reporting``: the term of ``gripp2_reporting`` whose ``counts`` include the
      number of GRIPP2 items reported.

    A rule whose vocabulary is missing gives no value."""
    if taxonomy is None:
        return {}
    values: dict[str, str] = {}
    for name, vocabulary in fields.computed.items():
        vocab = taxonomy.get(vocabulary)
        if vocab is None:
            continue
        if name == "outcome_rating":
            kinds = {o.evidence for o in outcomes}
            found = next((t.key for t in vocab.terms.values() if kinds & set(t.kinds)), None)
        elif name == "gripp2_reporting":
            count = len(gripp2.reported)
            found = next((t.key for t in vocab.terms.values() if count in t.counts), None)
        else:
            found = None
        if found is not None:
            values[name] = found
    return values


def claim(record, fields: FieldMap) -> Claim:
    data = record.source.data

    def links(name: str) -> EvidenceLinks:
        raw = data.get(name) if isinstance(data.get(name), dict) else {}
        return EvidenceLinks(_tuple(raw.get("references")), _tuple(raw.get("case_studies")))

    return Claim(
        **_common(record), terms=_terms(data, fields.terms_of(CLAIM.key), {}),
        category=_text(data.get("category")), strength=_text(data.get("strength")), supporting=links("supporting"),
        contrary=links("contrary"), research_needed=_tuple(data.get("research_needed")),
        principles=_tuple(data.get("principles")), barriers=_tuple(data.get("barriers")),
        enablers=_tuple(data.get("enablers")), outcomes=_tuple(data.get("outcomes")))


def _terms(data: dict, term_fields: tuple[TermField, ...], typed: dict) -> tuple[TermUse, ...]:
    """Every (vocabulary, key, entry) the front matter holds, read by the field map: a new
    vocabulary in the schema is found here with no code."""
    found: list[TermUse] = []
    for term_field in term_fields:
        pattern = term_field.pattern
        head = data.get(pattern[0])
        if len(pattern) == 1:
            if isinstance(head, str):
                found.append(TermUse(term_field.vocabulary, head))
        elif len(pattern) == 2 and pattern[1] == WILDCARD:
            found += [TermUse(term_field.vocabulary, key) for key in _tuple(head) if isinstance(key, str)]
        elif len(pattern) == 3 and pattern[1] == WILDCARD:
            entries = typed.get(pattern[0])
            for index, item in enumerate(_tuple(head)):
                key = item.get(pattern[2]) if isinstance(item, dict) else None
                if isinstance(key, str):
                    entry = entries[index] if entries is not None else MappingProxyType(item)
                    found.append(TermUse(term_field.vocabulary, key, entry))
    return tuple(found)
