"""The JSON Schemas in ``evidence/schema/``: the one description of every field.

This module loads them, validates front matter against them and turns each jsonschema
error into a message a contributor can act on, at the line of the field. It also reads the
library's own annotations on fields, so other checks need no list of fields of their own:

- ``x-vocabulary``: the value is a key of that vocabulary in ``taxonomy.yml``;
- ``x-reference``: ``bibtex`` (a key in references.bib) or ``case-study`` (an id);
- ``x-plain-text``: text shown as is, so no markup;
- ``x-readability``: plain English, so its reading grade is checked;
- ``x-folder``, ``x-facet`` and ``x-computed``: how the site browses and filters a field
  (read by :mod:`coprod.model.fieldmap`).

What each annotation holds is written once, in :data:`ANNOTATION_SCHEMA`, and checked when
the schemas are read: a misspelt key or a value of the wrong type is an error naming the
file, line and key, never a setting silently ignored.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

import fastjsonschema
import jsonschema
from referencing import Registry, Resource

from . import strictyaml
from .kinds import CASE_STUDY, CLAIM, KINDS
from .problems import Problem, Report
from .source import SourceFile, dotted
from .strictyaml import kind_of

SCHEMA_FILES = {**{kind.key: kind.schema for kind in KINDS.values()}, "taxonomy": "taxonomy.schema.json"}
ANNOTATIONS = ("x-vocabulary", "x-reference", "x-plain-text", "x-readability", "x-folder", "x-facet")
WILDCARD = "*"
# Files of one kind checked by jsonschema before the compiled validator is made: compiling
# costs about as much as checking 50 case studies with jsonschema (37 ms against 0.8 ms
# each; the taxonomy's schema takes 154 ms against 4 ms), so a build that checks a few
# files (a warm build checks only the taxonomy) never pays for it, and one that checks
# thousands pays it once.
COMPILE_AFTER = 50


@dataclass(frozen=True)
class Annotated:
    """A field pattern like ('outcomes', '*', 'area') and its annotations."""

    pattern: tuple
    annotations: dict

    def values(self, data: Any) -> list[tuple[tuple, Any]]:
        """Every (path, value) in ``data`` that the pattern matches, in the order of the data
        (made a step of the pattern at a time: every file's fields go through here several
        times)."""
        found: list[tuple[tuple, Any]] = [((), data)]
        for head in self.pattern:
            if not found:
                break
            if head == WILDCARD:
                found = [(path + (index,), item) for path, value in found if isinstance(value, list)
                         for index, item in enumerate(value)]
            else:
                found = [(path + (head,), value[head]) for path, value in found
                         if isinstance(value, dict) and head in value]
        return found


class Schema:
    """One record type's schema, with its validator and field annotations."""

    def __init__(self, kind: str, schema: dict, registry: Registry) -> None:
        self.kind = kind
        self.schema = schema
        self.registry = registry
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        # The validator gets a copy with every $ref inlined (the schemas have no recursion):
        # the same rules, without a registry lookup per field per file.
        inlined = _end_anchors(self._inline(schema, registry.resolver(schema["$id"])))
        self.validator = cls(inlined, format_checker=cls.FORMAT_CHECKER)
        self._inlined = inlined
        self._checked = 0

    @cached_property
    def _fast(self):
        """The compiled validator (:func:`_compile_fast`), made once :data:`COMPILE_AFTER`
        files were checked without it."""
        return _compile_fast(self._inlined)

    def _inline(self, node: Any, resolver, depth: int = 0) -> Any:
        if depth > 30:
            raise ValueError("schema nesting too deep (a recursive $ref?)")
        if isinstance(node, list):
            return [self._inline(item, resolver, depth + 1) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            node, resolver = self._resolve(node, resolver)
        return {key: (value if key in ("enum", "const", "examples", "default", "required")
                      else self._inline(value, resolver, depth + 1)) for key, value in node.items()}

    def _resolve(self, node: dict, resolver) -> tuple[dict, object]:
        """Follow ``$ref`` (the sibling keywords win), keeping the base URI for nested refs."""
        for _ in range(20):
            if "$ref" not in node:
                break
            resolved = resolver.lookup(node["$ref"])
            resolver = resolved.resolver
            node = {**resolved.contents, **{k: v for k, v in node.items() if k != "$ref"}}
        return node, resolver

    def _walk(self, visit, with_items_only_if_object: bool) -> None:
        """Call ``visit(pattern, node)`` for the schema and every property and item under it."""

        def walk(node: dict, resolver, pattern: tuple, depth: int) -> None:
            node, resolver = self._resolve(node, resolver)
            visit(pattern, node)
            if depth > 12:
                return
            for name, child in node.get("properties", {}).items():
                walk(child, resolver, pattern + (name,), depth + 1)
            items = node.get("items")
            if isinstance(items, dict):
                if with_items_only_if_object and not self._resolve(items, resolver)[0].get("properties"):
                    return
                walk(items, resolver, pattern + (WILDCARD,), depth + 1)

        walk(self.schema, self.registry.resolver(self.schema["$id"]), (), 0)

    def resolve_root(self) -> dict:
        """The top of the schema, with any ``$ref`` followed."""
        return self._resolve(self.schema, self.registry.resolver(self.schema["$id"]))[0]

    @cached_property
    def _by_pattern(self) -> dict[tuple, dict]:
        found: dict[tuple, dict] = {}
        self._walk(lambda pattern, node: found.setdefault(pattern, node), False)
        return found

    def field_schema(self, path: tuple) -> dict | None:
        """The (resolved) schema of the field at ``path`` (indexes or '*' for items)."""
        return self._by_pattern.get(_pattern(path))

    @cached_property
    def annotated(self) -> list[Annotated]:
        """Every field that carries one of :data:`ANNOTATIONS`, found by walking the schema."""
        return [Annotated(pattern, {k: node[k] for k in ANNOTATIONS if k in node})
                for pattern, node in self._by_pattern.items() if any(k in node for k in ANNOTATIONS)]

    def vocabulary_at(self, *fields: str) -> str:
        """The ``x-vocabulary`` of the field at ``fields`` (wildcards left out), or of the
        computed field ``fields[0]`` (``x-computed``); '' for none. Code names the model's
        fields, never a vocabulary: ``vocabulary_at("outcomes", "evidence")``."""
        for annotated in self.annotated:
            if tuple(p for p in annotated.pattern if p != WILDCARD) == fields:
                found = annotated.annotations.get("x-vocabulary")
                return found if isinstance(found, str) else ""
        computed = self.schema.get("x-computed")
        notes = computed.get(fields[0]) if isinstance(computed, dict) and len(fields) == 1 else None
        found = notes.get("x-vocabulary") if isinstance(notes, dict) else None
        return found if isinstance(found, str) else ""

    def fields(self) -> list[tuple[tuple, dict]]:
        """Every field as (pattern, resolved schema), in schema order, for docs and forms
        (items of plain lists are described by the list itself). Walked once per schema:
        the URL check asks for every file, and each walk resolves every ``$ref`` again."""
        return list(self._fields)

    @cached_property
    def _fields(self) -> tuple[tuple[tuple, dict], ...]:
        out: list[tuple[tuple, dict]] = []
        self._walk(lambda pattern, node: out.append((pattern, node)) if pattern else None, True)
        return tuple(out)

    @cached_property
    def uri_fields(self) -> tuple[Annotated, ...]:
        """The fields (or the items of list fields) the schema gives ``format: uri``."""
        found = []
        for pattern, node in self._fields:
            items = node.get("items") if isinstance(node.get("items"), dict) else {}
            if node.get("format") == "uri":
                found.append(Annotated(pattern, {}))
            elif items.get("format") == "uri":
                found.append(Annotated(pattern + (WILDCARD,), {}))
        return tuple(found)

    def check(self, source: SourceFile, report: Report) -> bool:
        """Validate ``source.data``; report each error at its field's line. True when valid."""
        self._checked += 1
        if self._checked > COMPILE_AFTER and self._fast is not None:
            try:
                self._fast(source.data)
                return True
            except fastjsonschema.JsonSchemaException:
                pass  # jsonschema finds and explains every error below
        valid = True
        for error in self.validator.iter_errors(source.data):
            for path, message, hint in self._explain(error, source):
                valid = False
                if source.broken and source.is_broken(path):
                    continue  # the YAML problem there says it better
                line = source.line_of(path)
                if path not in source.lines:  # a missing field
                    line, hint = self.where_it_belongs(path, source, line, hint)
                report.error(source.path, line, dotted(path) or "front matter", message, hint)
        return valid

    def where_it_belongs(self, path: tuple, source: SourceFile, line: int, hint: str) -> tuple[int, str]:
        """For a field that is missing: the line where it belongs (after the field before it
        in the schema's order that the file has), and the hint saying so. Unchanged when the
        file has none of the fields before it."""
        if not path or path in source.lines:
            return line, hint
        parent, missing = path[:-1], path[-1]
        order = list((self.field_schema(_pattern(parent)) or {}).get("properties", {}))
        if missing not in order:
            return line, hint
        before = [name for name in order[:order.index(missing)] if parent + (name,) in source.lines]
        if not before:
            return line, hint
        after = parent + (before[-1],)
        start = source.lines[after]
        depth = len(parent)
        nested = [at for p, at in source.lines.items() if p[:depth + 1] == after]
        later = [at for p, at in source.lines.items()
                 if len(p) > depth and p[:depth] == parent and p[:depth + 1] != after and at > start]
        where = min(later) if later else max(nested + [start]) + 1
        place = f"add it after '{before[-1]}'"
        return where, f"{hint}; {place}" if hint else place

    def _explain(self, error: jsonschema.ValidationError, source: SourceFile) -> Iterator[tuple[tuple, str, str]]:
        path = tuple(error.absolute_path)
        keyword = error.validator
        instance = error.instance
        if keyword in ("allOf", "anyOf", "oneOf", "if", "then") and error.context:
            for sub in error.context:
                yield from self._explain(sub, source)
            return
        if keyword == "required":
            missing = error.message.split("'")[1] if "'" in error.message else str(error.message)
            described = self.field_schema(_pattern(path) + (missing,)) or {}
            hint = _first_sentence(described.get("description", ""))
            if missing == "retraction":
                hint = "a retracted record needs 'retraction' with its date and reason"
            yield path + (missing,), f"missing required field '{missing}'", hint
        elif keyword == "additionalProperties":
            known = list((self.field_schema(_pattern(path)) or {}).get("properties", {}))
            for extra in sorted(set(instance) - set(known)) if isinstance(instance, dict) else []:
                yield path + (extra,), f"unknown field '{extra}'", did_you_mean(extra, known, "allowed fields: " + ", ".join(known))
        elif keyword == "type":
            expected = _expected_type(error.validator_value)
            found = kind_of(instance)
            hint = ""
            written = source.plain.get(path)
            if written is not None and expected == "text":
                hint = f"YAML reads the unquoted {written} as {found}; write it in quotes: \"{written}\""
            elif instance is None:
                hint = "the field is there but has no value; fill it in or remove it"
            yield path, f"expected {expected}, found {found}", hint
        elif keyword == "enum":
            options = [str(o) for o in error.validator_value]
            yield path, f"'{instance}' is not one of: {', '.join(options)}", did_you_mean(str(instance), options)
        elif keyword == "dependentRequired":
            needed = [n for n in error.validator_value.get(_dependency(error), []) if n not in instance]
            yield path, f"'{_dependency(error)}' needs '{', '.join(needed)}'", (
                "a person is named only with a recorded consent reference; remove the name or add consent_reference"
                if "consent_reference" in needed else "")
        elif keyword == "not" and isinstance(error.validator_value, dict) and "enum" in error.validator_value:
            taken = ", ".join(str(v) for v in error.validator_value["enum"])
            yield path, f"'{instance}' is reserved ({taken} are taken by the site)", "choose another value"
        elif keyword == "format" and error.validator_value == "date":
            yield path, f"'{instance}' is not a real date", "write a real date as YYYY-MM-DD"
        elif keyword == "format":
            yield path, f"'{instance}' is not a valid {error.validator_value}", ""
        elif keyword == "pattern":
            described = self.field_schema(_pattern(path)) or error.schema
            yield path, f"'{_short(instance)}' is not in the expected form", _first_sentence(described.get("description", ""))
        elif keyword in ("minLength", "maxLength"):
            limit = error.validator_value
            size = len(instance)
            word = "at least" if keyword == "minLength" else "at most"
            yield path, f"is {size} characters long; it must be {word} {limit}", ""
        elif keyword in ("minItems", "maxItems"):
            word = "at least" if keyword == "minItems" else "at most"
            yield path, f"has {len(instance)} items; it needs {word} {error.validator_value}", ""
        elif keyword == "uniqueItems":
            yield path, "lists the same item more than once", "remove the repeated item"
        elif keyword in ("minimum", "maximum"):
            word = "at least" if keyword == "minimum" else "at most"
            yield path, f"{instance} is out of range; it must be {word} {error.validator_value}", ""
        else:
            yield path, error.message, ""


def python_pattern(pattern: str) -> str:
    """A schema ``pattern`` as Python's ``re`` must read it to mean what JSON Schema (ECMA
    262) says: ``$`` ends the text, where in Python it also matches before a final line
    break (an alias ``"old-name\\n"`` matched ``^[a-z0-9-]+$`` and made a folder whose name
    holds a line break). Each ``$`` outside a character class becomes ``\\Z``; one pass."""
    out, in_class, escaped = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            char = "\\Z"
        out.append(char)
    return "".join(out)


def _end_anchors(node: Any) -> Any:
    """``node`` (an inlined schema) with every ``pattern`` read by :func:`python_pattern`."""
    if isinstance(node, list):
        return [_end_anchors(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {key: (python_pattern(value) if key == "pattern" and isinstance(value, str) else _end_anchors(value))
            for key, value in node.items()}


def _compile_fast(schema: dict):
    """A compiled validator for the common case, a valid file (about 50 times faster).

    fastjsonschema knows draft 7, so the one 2019-09 keyword used here is translated
    (``dependentRequired`` is draft 7's array form of ``dependencies``), and ``date`` is
    checked as a real date as jsonschema does. It is only ever trusted to say "valid": the
    tests check it never accepts what jsonschema rejects. None if it cannot compile.
    """

    def translate(node: Any) -> Any:
        if isinstance(node, list):
            return [translate(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {("dependencies" if k == "dependentRequired" else k): translate(v) for k, v in node.items()
               if k not in ("$schema", "$id", "$defs")}
        return out

    draft7 = {"$schema": "http://json-schema.org/draft-07/schema#", **translate(schema)}
    try:
        return fastjsonschema.compile(draft7, formats={"date": _is_date}, use_default=False)
    except Exception:  # noqa: BLE001 - the slow path is always there
        return None


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _pattern(path: tuple) -> tuple:
    return tuple(WILDCARD if isinstance(p, int) else p for p in path)


def _dependency(error: jsonschema.ValidationError) -> str:
    return next((name for name in error.validator_value if name in error.instance), "")


class TypeName(NamedTuple):
    """What a reader calls a type: ``name`` in a table, ``plural`` after "list of",
    ``phrase`` in a message ("expected a whole number")."""

    name: str
    plural: str
    phrase: str


# The one table of type names, by JSON Schema type or string format: the validator's
# messages, the field reference and the codebook (through coprod.read.fields) all use it.
TYPE_NAMES: dict[str | None, TypeName] = {
    "string": TypeName("text", "text", "text"),
    "integer": TypeName("whole number", "whole numbers", "a whole number"),
    "number": TypeName("number", "numbers", "a number"),
    "boolean": TypeName("true or false", "true or false values", "true or false"),
    "array": TypeName("list", "lists", "a list"),
    "object": TypeName("group of fields", "groups of fields", "a set of fields (a mapping)"),
    "null": TypeName("nothing", "nothing", "nothing"),
    "date": TypeName("date (YYYY-MM-DD)", "dates (YYYY-MM-DD)", "a date (YYYY-MM-DD)"),
    "uri": TypeName("web address", "web addresses", "a web address"),
    "email": TypeName("e-mail address", "e-mail addresses", "an e-mail address"),
    None: TypeName("any value", "any values", "any value"),
}


def _expected_type(value: Any) -> str:
    if isinstance(value, list):
        return " or ".join(_expected_type(v) for v in value)
    return TYPE_NAMES[value].phrase if value in TYPE_NAMES else str(value)


def _first_sentence(text: str) -> str:
    return text.split(". ")[0].rstrip(".") if text else ""


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def did_you_mean(word: str, options: list[str], otherwise: str = "") -> str:
    match = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else otherwise




def load_schemas(schema_dir: Path, shown: str | None = None) -> dict[str, Schema]:
    """Every schema in ``schema_dir``, keyed by record kind. Raises on a broken schema:
    schemas are maintained by the editors, not contributors. Wrong annotations raise
    :class:`AnnotationError`, with every problem at its file and line (``shown``: the folder
    as messages show it)."""
    resources = []
    documents = {}
    texts = {}
    for file in sorted(schema_dir.glob("*.schema.json")):
        texts[file.name] = file.read_text(encoding="utf-8")
        document = json.loads(texts[file.name])
        documents[file.name] = document
        resources.append((document["$id"], Resource.from_contents(document)))
    problems = annotation_problems(documents, texts, shown if shown is not None else schema_dir.as_posix())
    if problems:
        raise AnnotationError(problems)
    registry = Registry().with_resources(resources)
    return {kind: Schema(kind, documents[name], registry) for kind, name in SCHEMA_FILES.items()}


# ---------------------------------------------------------------------------------------
# The annotations: what each holds, checked when the schemas are read.

_TEXT = {"type": "string", "minLength": 1}
_WORDS = {"type": "string", "description": "the words as readers see them"}
ANNOTATION_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "x-vocabulary": {**_TEXT, "description": "the name of a vocabulary in taxonomy.yml, like \"principles\""},
        "x-reference": {"enum": ["bibtex", CASE_STUDY.key],
                        "description": "what the value names: a key in references.bib (bibtex) or a case study's id"},
        "x-plain-text": {"type": "boolean", "description": "true: text shown as is, so no markup"},
        "x-readability": {"type": "boolean", "description": "true: plain English, its reading grade checked"},
        "x-private": {"type": "boolean", "description": "true: never shown on the site or in the open data"},
        "x-folder": {"$ref": "#/$defs/folder"},
        "x-facet": {"$ref": "#/$defs/facet"},
        "x-computed": {
            "type": "object", "description": "the fields worked out by rules in taxonomy.yml, each with its annotations",
            "additionalProperties": {
                "type": "object", "additionalProperties": False,
                "description": "a computed field: x-vocabulary, x-folder, x-facet and a description",
                "properties": {"x-vocabulary": {**_TEXT, "description": "the name of a vocabulary in taxonomy.yml"},
                               "x-folder": {"$ref": "#/$defs/folder"}, "x-facet": {"$ref": "#/$defs/facet"},
                               "description": {"type": "string", "description": "what the field holds"}}}},
    },
    "$defs": {
        "folder": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
                   "description": "the folder of the field's browse pages: lower-case words joined by hyphens, "
                                  "like \"outcome-ratings\""},
        "facet": {
            "type": "object", "additionalProperties": False, "required": ["name", "label"],
            "description": "the field's filter in the catalogue and in search: name, label, order (and for a "
                           "facet with no vocabulary, sort and pages)",
            "properties": {
                "name": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$",
                         "description": "the filter's name in the address and in search: one lower-case word, "
                                        "like \"country\""},
                "label": {**_TEXT, "description": "the filter's label, like \"Country\""},
                "order": {"type": "integer", "description": "the filter's place among the filters, a whole number "
                                                            "like 3"},
                "sort": {"enum": ["ascending", "descending"],
                         "description": "the order of a facet's values on its browse pages"},
                "keywords": {"type": "boolean",
                             "description": "true: its labels are a case study's keywords in the RIS export"},
                "pages": {
                    "type": "object", "additionalProperties": False,
                    "description": "the words of the browse pages of a facet with no vocabulary",
                    "properties": {"title": _WORDS, "about": _WORDS, "none": _WORDS, "heading": _WORDS,
                                   "intro": _WORDS, "up": _WORDS, "search": _WORDS}},
            },
        },
    },
}
_ANNOTATION_VALIDATOR = jsonschema.Draft202012Validator(ANNOTATION_SCHEMA)
_DATA_KEYWORDS = frozenset({"enum", "const", "examples", "default", "required", "dependentRequired"})
_NAMED_SCHEMAS = frozenset({"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"})


class AnnotationError(ValueError):
    """The schemas' annotations are wrong: every problem, each at its file and line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


def annotation_problems(documents: dict[str, dict], texts: dict[str, str], shown: str) -> list[Problem]:
    """What is wrong with the annotations of every schema (file name -> parsed document,
    and its text for the lines): each annotation against :data:`ANNOTATION_SCHEMA`, then
    across fields: one folder for a vocabulary, and a facet's name used once. One walk."""
    problems: list[Problem] = []
    folders: dict[str, tuple[str, str, tuple]] = {}  # vocabulary -> (folder, file, place), the first given
    facets: dict[str, tuple[str, tuple]] = {}  # facet name -> (file, place), the first given
    lines = {name: _Lines(texts.get(name, "")) for name in documents}

    def at(name: str, place: tuple) -> str:
        return f"{name}:{lines[name].of(place)} ({_where(place)})"

    for name, document in documents.items():
        def report(place: tuple, message: str, hint: str) -> None:
            problems.append(Problem(f"{shown}/{name}", lines[name].of(place), _where(place),  # noqa: B023 - used at once
                                    message, "error", hint))

        for place, notes in _annotations(document):
            for error in _ANNOTATION_VALIDATOR.iter_errors(notes):
                for inner, message, hint in _explain_annotation(error):
                    report(place + inner, message, hint)
            if "x-facet" in notes and name in (CLAIM.schema, SCHEMA_FILES["taxonomy"]):
                report(place + ("x-facet",), "x-facet is read only on a case study's fields (the catalogue and "
                       "search filter case studies), so it does nothing here", "remove it")
            if "x-computed" in notes and (place or name != CASE_STUDY.schema):
                report(place + ("x-computed",), "x-computed is read only at the top of the case-study schema, so "
                       "it does nothing here", f"remove it, or move it to the top of {CASE_STUDY.schema}")
            fields = [(place, notes)]
            computed = notes.get("x-computed")
            fields += [(place + ("x-computed", field_name), value)
                       for field_name, value in (computed.items() if isinstance(computed, dict) else ())
                       if isinstance(value, dict)]
            for field_place, field_notes in fields:
                vocabulary, folder = field_notes.get("x-vocabulary"), field_notes.get("x-folder")
                if isinstance(vocabulary, str) and isinstance(folder, str):
                    first = folders.setdefault(vocabulary, (folder, name, field_place))
                    if first[0] != folder:
                        report(field_place + ("x-folder",), f"x-folder '{folder}' differs from '{first[0]}', given "
                               f"for the vocabulary '{vocabulary}' at {at(first[1], first[2])}",
                               "a vocabulary has one folder of pages: give the same x-folder, or leave it out here")
                facet = field_notes.get("x-facet")
                facet_name = facet.get("name") if isinstance(facet, dict) else None
                if isinstance(facet_name, str) and name == CASE_STUDY.schema:
                    first_facet = facets.setdefault(facet_name, (name, field_place))
                    if first_facet != (name, field_place):
                        report(field_place + ("x-facet", "name"), f"the facet name '{facet_name}' is already used "
                               f"at {at(*first_facet)}", "each filter needs a name of its own")
    return problems


def _annotations(node: Any, at: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """(place, its annotations: every key starting ``x-``) for each place in a schema that
    has any; the names under ``properties`` are field names, and ``enum`` and the like hold
    data, not schemas."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _annotations(item, at + (index,))
        return
    if not isinstance(node, dict):
        return
    notes = {key: value for key, value in node.items() if isinstance(key, str) and key.startswith("x-")}
    if notes:
        yield at, notes
    for key, value in node.items():
        if key in notes or key in _DATA_KEYWORDS:
            continue
        if key in _NAMED_SCHEMAS and isinstance(value, dict):
            for field_name, sub in value.items():
                yield from _annotations(sub, at + (key, field_name))
        else:
            yield from _annotations(value, at + (key,))


def _explain_annotation(error: jsonschema.ValidationError) -> Iterator[tuple[tuple, str, str]]:
    """(path inside the annotations, message, hint) for one error against ANNOTATION_SCHEMA."""
    path = tuple(error.absolute_path)
    keyword, instance, rule = error.validator, error.instance, error.schema
    owner = ".".join(str(p) for p in path) or "the annotations"
    if keyword == "additionalProperties":
        known = list(rule.get("properties", {}))
        takes = f"the annotations are {', '.join(known)}" if not path else f"{owner} takes {', '.join(known)}"
        for extra in sorted(set(instance) - set(known)) if isinstance(instance, dict) else []:
            guess = did_you_mean(extra, known)
            yield (path + (extra,), f"unknown annotation '{extra}'" if not path else f"unknown key '{extra}' in {owner}",
                   f"{guess} {takes}" if guess else f"remove it, or correct it: {takes}")
    elif keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else str(error.message)
        described = rule.get("properties", {}).get(missing, {})
        yield path, f"{owner} needs '{missing}'", f"add {missing}: {described.get('description', '')}".rstrip(": ")
    elif keyword == "type":
        yield path, f"expected {_expected_type(error.validator_value)}, found {kind_of(instance)}", \
            rule.get("description", "")
    elif keyword == "enum":
        options = [str(o) for o in error.validator_value]
        yield path, f"'{instance}' is not one of: {', '.join(options)}", did_you_mean(str(instance), options,
                                                                                   rule.get("description", ""))
    elif keyword in ("pattern", "minLength"):
        yield path, f"'{_short(instance)}' is not in the expected form", rule.get("description", "")
    else:
        yield path, error.message, rule.get("description", "")


def _where(at: tuple) -> str:
    """A place in a schema as the field it describes: ('properties', 'project', 'properties',
    'countries', 'items', 'x-facet') -> 'project.countries[].x-facet'."""
    out = ""
    parts = list(at)
    index = 0
    while index < len(parts):
        part = parts[index]
        if part == "properties" and index + 1 < len(parts):
            part, index = str(parts[index + 1]), index + 1
            out += f".{part}" if out else part
        elif part == "items":
            out += "[]"
        else:
            out += f".{part}" if out else str(part)
        index += 1
    return out


class _Lines:
    """The line of each place in a schema's text (read only when there is a problem)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: dict | None = None

    def of(self, at: tuple) -> int:
        if self._lines is None:
            document = strictyaml.load(self.text)  # JSON is YAML: its reader keeps every value's line
            self._lines = document.lines if not document.problems else {}
        for length in range(len(at), 0, -1):  # the place, or the nearest place around it
            if at[:length] in self._lines:
                return self._lines[at[:length]]
        return 1
