"""The field map: which fields hold which vocabulary's keys, which of them are browsed and
filtered, under what names, labels and folders, read from the JSON Schema's annotations.

The schema is the only place this is written. A field whose values are keys of a
vocabulary carries ``x-vocabulary``; one the site browses carries ``x-folder`` (the folder
of its term pages: ``/principles/<key>/``); one the catalogue filters on carries
``x-facet`` (the filter's name in the URL and in Pagefind, its label, and its place among
the filters; ``keywords`` when its labels are a case study's keywords in the catalogue's
RIS export). A facet with no vocabulary (the countries, the start year) is browsed by its
values themselves; its ``x-facet`` also holds the words of its browse pages (``pages``) and
the order of its values (``sort``).

Each browsable field is one :class:`Facet`, which every reader of facets uses (the term and
browse pages, the catalogue and its data, the search filters, the exports, the record page):
no code names a facet, a folder or a vocabulary, so renaming one in the schema renames it
on the whole site.

A case study's ``x-computed`` fields (at the schema's top level) are values worked out from
its other fields by rules in ``taxonomy.yml`` (the outcome rating, GRIPP2 reporting), never
written by hand; they carry the same annotations and so are browsed and filtered the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..read import urls
from ..read.kinds import CASE_STUDY, KINDS
from ..read.schema import WILDCARD, Schema


@dataclass(frozen=True)
class TermField:
    """A field whose values are keys of ``vocabulary``: ``pattern`` is its place in a record,
    like ``("principles", "*", "principle")`` (a key inside each entry) or
    ``("settings", "*")`` (a list of keys) or ``("category",)`` (one key)."""

    vocabulary: str
    pattern: tuple


@dataclass(frozen=True)
class ValuePages:
    """The words of a value facet's browse pages, from its ``x-facet.pages`` in the schema.
    ``{value}`` stands for the value (a country's name, a year), ``{count}`` for the counted
    case studies ("3 case studies")."""

    title: str = ""  # the index page's title and heading: "Countries"
    about: str = ""  # the index page's first line
    none: str = ""  # the index page's line when no case study has a value
    heading: str = "{value}"  # a value's page: its heading and title, "Started in {value}"
    intro: str = ""  # a value's page: its first line, "{count} of work that took place in {value}."
    up: str = ""  # a value's page: the link back to the index, "All countries"
    search: str = ""  # a value's page in search results ("Case studies in {value}"); '' keeps it out

    @classmethod
    def of(cls, notes: Any) -> ValuePages:
        if not isinstance(notes, Mapping):
            return cls()
        return cls(**{name: str(notes[name]) for name in cls.__dataclass_fields__ if isinstance(notes.get(name), str)})


@dataclass(frozen=True)
class Facet:
    """One browsable field: a filter of the catalogue and of search, a "Browse by" list, a
    folder of browse pages, a column of the exports. Made from the schema's annotations by
    :func:`field_map`; the readers ask it, never a fixed name, what it holds and where."""

    name: str  # the URL query parameter and the Pagefind filter, like "principle"
    label: str  # the control's and the "Browse by" heading's label
    vocabulary: str | None  # None for a facet browsed by its values (countries, years)
    folder: str  # where its browse pages are: principles/, countries/, years/
    pattern: tuple  # where a case study holds its values
    pages: ValuePages = ValuePages()  # a value facet's page words (unused with a vocabulary)
    descending: bool = False  # a value facet's values, newest or largest first
    keywords: bool = False  # its labels are a case study's keywords in a reference manager's file (RIS)

    @property
    def by_value(self) -> bool:
        """Browsed by the values themselves (no vocabulary): countries, years."""
        return self.vocabulary is None

    def key_of(self, value: Any) -> str:
        """A value's key: its page's name and its filter value ("United Kingdom" ->
        "united-kingdom", 2014 -> "2014"); a vocabulary's key as it is."""
        if self.vocabulary is not None:
            return str(value)
        return urls.slug(value) if isinstance(value, str) else str(value)

    def values(self, record) -> dict[str, Any]:
        """key -> value for each value the record holds, each key once, in the record's order
        (a vocabulary facet's keys map to themselves)."""
        if self.vocabulary is not None:
            return {key: key for key in record.keys_of(self.vocabulary)}
        found: dict[str, Any] = {}
        for value in _walk(record.front_matter, self.pattern):
            if isinstance(value, (str, int)) and not isinstance(value, bool):
                found.setdefault(self.key_of(value), value)
        return found

    def sort_values(self, pairs) -> list:
        """(key, value, ...) tuples of a value facet in its order: text by its letters,
        numbers by size, as the schema's ``sort`` says."""
        def order(pair) -> tuple:
            value = pair[1]
            return (value.casefold(), pair[0]) if isinstance(value, str) else (value, pair[0])
        return sorted(pairs, key=order, reverse=self.descending)

    def page(self, key: str) -> str:
        """The docs/ path of the browse page of one key."""
        return urls.term_in(self.folder, key)

    @property
    def index_page(self) -> str:
        return urls.vocabulary_in(self.folder)

    @staticmethod
    def words(template: str, value: Any = "", count: str = "", escape=str) -> str:
        """One of the ``pages`` words with its value and count put in: ``escape`` (for the
        page's format) applies to the schema's words, not to the value and count, which the
        caller gives ready. No formatting language: any other brace is only a brace."""
        parts = _PLACEHOLDER.split(template)
        filled = {"{value}": str(value), "{count}": count}
        return "".join(filled[part] if part in filled else escape(part) for part in parts)


_PLACEHOLDER = re.compile(r"(\{value\}|\{count\})")


def _walk(data: Any, pattern: tuple) -> Iterator[Any]:
    if not pattern:
        yield data
        return
    head, rest = pattern[0], pattern[1:]
    if head == WILDCARD:
        if isinstance(data, (list, tuple)):
            for item in data:
                yield from _walk(item, rest)
    elif isinstance(data, Mapping) and head in data:
        yield from _walk(data[head], rest)


@dataclass(frozen=True)
class FieldMap:
    term_fields: dict  # kind -> tuple[TermField, ...], in facet order, then schema order
    folders: dict  # vocabulary -> folder of its term pages, in facet order
    facets: tuple  # tuple[Facet, ...], in the order the catalogue shows them
    computed: dict = field(default_factory=dict)  # computed field -> its vocabulary (x-computed)

    def terms_of(self, kind: str) -> tuple[TermField, ...]:
        return self.term_fields.get(kind, ())

    def vocabulary_at(self, kind: str, *fields: str) -> str:
        """The vocabulary of the field at ``fields`` (wildcards left out), read from its
        ``x-vocabulary``: ``vocabulary_at(CASE_STUDY.key, "principles", "principle")``. Code
        names the model's fields, never a vocabulary; '' for a field with none."""
        return next((f.vocabulary for f in self.terms_of(kind)
                     if tuple(p for p in f.pattern if p != WILDCARD) == fields), "")

    def browsed(self, kind: str) -> tuple[str, ...]:
        """The vocabularies with term pages that records of ``kind`` list."""
        return tuple(dict.fromkeys(f.vocabulary for f in self.terms_of(kind) if f.vocabulary in self.folders))

    def facet_of(self, vocabulary: str) -> Facet | None:
        return next((f for f in self.facets if f.vocabulary == vocabulary), None)

    @property
    def value_facets(self) -> tuple[Facet, ...]:
        """The facets browsed by their values (countries, years), in the catalogue's order."""
        return tuple(f for f in self.facets if f.by_value)

    def facet_at(self, *fields: str) -> Facet | None:
        """The facet of the case-study field at ``fields`` (wildcards left out):
        ``facet_at("project", "countries")``. The model's field names, never a facet's."""
        return next((f for f in self.facets if tuple(p for p in f.pattern if p != WILDCARD) == fields), None)

    def folder_facets(self) -> dict[str, str]:
        """Folder of browse pages -> facet name (the catalogue's script reads links with it)."""
        return {f.folder: f.name for f in self.facets}


def field_map(schemas: dict[str, Schema], kinds: tuple[str, ...] = tuple(KINDS)) -> FieldMap:
    """Read the field map from the record schemas' ``x-vocabulary``, ``x-folder`` and
    ``x-facet`` annotations (checked when the schemas were read, by
    :func:`coprod.read.schema.annotation_problems`: their shape, one folder for a vocabulary
    and one facet for a name)."""
    placed: list[tuple[int, int, Facet]] = []
    folders: dict[str, str] = {}
    fields: dict[str, list[tuple[int, int, TermField]]] = {}
    for kind in kinds:
        schema = schemas.get(kind)
        if schema is None:
            continue
        annotated_fields = [(a.annotations, a.pattern) for a in schema.annotated]
        annotated_fields += [(notes, (name,)) for name, notes in computed_fields(schema).items()]
        for position, (notes, pattern) in enumerate(annotated_fields):
            vocabulary = notes.get("x-vocabulary")
            folder = notes.get("x-folder")
            if vocabulary is not None and folder is not None:
                folders.setdefault(vocabulary, folder)
            facet = notes.get("x-facet")
            order = position + 1000
            if isinstance(facet, dict):
                order = int(facet.get("order", order))
                if kind == CASE_STUDY.key:
                    placed.append((order, position, Facet(facet["name"], facet["label"], vocabulary,
                                                          folder or facet["name"], pattern,
                                                          ValuePages.of(facet.get("pages")),
                                                          facet.get("sort") == "descending",
                                                          facet.get("keywords") is True)))
            if vocabulary is not None:
                fields.setdefault(kind, []).append((order, position, TermField(vocabulary, pattern)))
    facets = tuple(f for _, _, f in sorted(placed, key=lambda p: (p[0], p[1])))
    computed = {name: notes["x-vocabulary"] for name, notes in computed_fields(schemas.get(CASE_STUDY.key)).items()
                if isinstance(notes.get("x-vocabulary"), str)}
    ordered_folders = {f.vocabulary: folders[f.vocabulary] for f in facets if f.vocabulary in folders}
    ordered_folders |= folders
    return FieldMap({kind: tuple(f for _, _, f in sorted(found, key=lambda p: (p[0], p[1])))
                     for kind, found in fields.items()}, ordered_folders, facets, computed)


def computed_fields(schema: Schema | None) -> dict[str, dict]:
    """The schema's ``x-computed`` fields: name -> annotations (x-vocabulary, x-folder, x-facet)."""
    found = schema.schema.get("x-computed") if schema is not None else None
    return {name: notes for name, notes in found.items() if isinstance(notes, dict)} if isinstance(found, dict) else {}
