"""The field map: which fields hold which vocabulary's keys, which of them are browsed and
filtered, under what names, labels and folders, read from the JSON Schema's annotations.

The schema is the only place this is written. A field whose values are keys of a
vocabulary carries ``x-vocabulary``; one the site browses carries ``x-folder`` (the folder
of its term pages: ``/principles/<key>/``); one the catalogue filters on carries
``x-facet`` (the filter's name in the URL and in Pagefind, its label, and its place among
the filters). Countries and the start year are facets with no vocabulary: their browse
pages are made from the values themselves.

A case study's ``x-computed`` fields (at the schema's top level) are values worked out from
its other fields by rules in ``taxonomy.yml`` (the outcome rating, GRIPP2 reporting), never
written by hand; they carry the same annotations and so are browsed and filtered the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..read.kinds import KINDS
from ..read.schema import Schema

COUNTRY, YEAR = "country", "year"  # the facets without a vocabulary


@dataclass(frozen=True)
class TermField:
    """A field whose values are keys of ``vocabulary``: ``pattern`` is its place in a record,
    like ``("principles", "*", "principle")`` (a key inside each entry) or
    ``("settings", "*")`` (a list of keys) or ``("category",)`` (one key)."""

    vocabulary: str
    pattern: tuple


@dataclass(frozen=True)
class Facet:
    """A filter of the catalogue and its "Browse by" list."""

    name: str  # the URL query parameter and the Pagefind filter, like "principle"
    label: str  # the control's and the "Browse by" heading's label
    vocabulary: str | None  # None for country and year
    folder: str  # where its browse pages are: principles/, countries/, years/
    pattern: tuple  # where a case study holds its values


@dataclass(frozen=True)
class FieldMap:
    term_fields: dict  # kind -> tuple[TermField, ...], in facet order, then schema order
    folders: dict  # vocabulary -> folder of its term pages, in facet order
    facets: tuple  # tuple[Facet, ...], in the order the catalogue shows them
    computed: dict = field(default_factory=dict)  # computed field -> its vocabulary (x-computed)

    def terms_of(self, kind: str) -> tuple[TermField, ...]:
        return self.term_fields.get(kind, ())

    def browsed(self, kind: str) -> tuple[str, ...]:
        """The vocabularies with term pages that records of ``kind`` list."""
        return tuple(dict.fromkeys(f.vocabulary for f in self.terms_of(kind) if f.vocabulary in self.folders))

    def facet_of(self, vocabulary: str) -> Facet | None:
        return next((f for f in self.facets if f.vocabulary == vocabulary), None)

    def folder_facets(self) -> dict[str, str]:
        """Folder of browse pages -> facet name (the catalogue's script reads links with it)."""
        return {f.folder: f.name for f in self.facets}


class FieldMapError(ValueError):
    """The schema's annotations contradict each other (a maintainer's mistake)."""


def field_map(schemas: dict[str, Schema], kinds: tuple[str, ...] = tuple(KINDS)) -> FieldMap:
    """Read the field map from the record schemas' ``x-vocabulary``, ``x-folder`` and
    ``x-facet`` annotations."""
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
            if vocabulary is not None and folder is not None and folders.setdefault(vocabulary, folder) != folder:
                raise FieldMapError(f"{kind} {'.'.join(pattern)}: x-folder '{folder}' differs from "
                                    f"'{folders[vocabulary]}' given for {vocabulary} elsewhere")
            facet = notes.get("x-facet")
            order = position + 1000
            if isinstance(facet, dict):
                order = int(facet.get("order", order))
                if kind == "case-study":
                    placed.append((order, position, Facet(facet["name"], facet["label"], vocabulary,
                                                          folder or facet["name"], pattern)))
            if vocabulary is not None:
                fields.setdefault(kind, []).append((order, position, TermField(vocabulary, pattern)))
    facets = tuple(f for _, _, f in sorted(placed, key=lambda p: (p[0], p[1])))
    computed = {name: notes["x-vocabulary"] for name, notes in computed_fields(schemas.get("case-study")).items()
                if isinstance(notes.get("x-vocabulary"), str)}
    names = [f.name for f in facets]
    if len(set(names)) != len(names):
        raise FieldMapError(f"two x-facet annotations share a name: {names}")
    ordered_folders = {f.vocabulary: folders[f.vocabulary] for f in facets if f.vocabulary in folders}
    ordered_folders |= folders
    return FieldMap({kind: tuple(f for _, _, f in sorted(found, key=lambda p: (p[0], p[1])))
                     for kind, found in fields.items()}, ordered_folders, facets, computed)


def computed_fields(schema: Schema | None) -> dict[str, dict]:
    """The schema's ``x-computed`` fields: name -> annotations (x-vocabulary, x-folder, x-facet)."""
    found = schema.schema.get("x-computed") if schema is not None else None
    return {name: notes for name, notes in found.items() if isinstance(notes, dict)} if isinstance(found, dict) else {}
