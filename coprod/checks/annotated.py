"""The checks the schema's ``x-`` annotations ask for, value by value: a term of the named
vocabulary (``x-vocabulary``), plain text (``x-plain-text``), a readable text
(``x-readability``). The schema says which fields; nothing here names one."""

from __future__ import annotations

from ..read.plaintext import check_plain_text, has_markup_characters
from ..read.problems import Report
from ..read.schema import Schema
from ..read.source import SourceFile, dotted
from .body import check_readability
from .vocabulary import Term, unknown_term_hint


def check_annotated(schema: Schema, source: SourceFile, vocabularies: dict[str, list[Term]], report: Report) -> None:
    """The checks the schema's x- annotations ask for: vocabulary terms, plain text, readability."""
    for annotated in schema.annotated:
        notes = annotated.annotations
        vocabulary = notes.get("x-vocabulary")
        terms = vocabularies.get(vocabulary, []) if vocabulary is not None else []
        keys = _keys(terms) if vocabulary is not None else None
        plain = notes.get("x-plain-text")
        readability = notes.get("x-readability")
        for path, value in annotated.values(source.data):
            if not isinstance(value, str):
                continue  # the schema check has reported the type
            # where and which field are worked out only for values that need them
            if keys is not None and value not in keys:
                page = f"/{notes['x-folder']}/" if notes.get("x-folder") else None
                report.error(source.path, source.line_of(path), dotted(path), f"unknown term '{value}' in {vocabulary}",
                             unknown_term_hint(value, vocabulary, terms, page))
            if plain and has_markup_characters(value):
                check_plain_text(value, report, source.path, source.line_of(path), dotted(path))
            if readability:
                check_readability(value, report, source.path, source.line_of(path), dotted(path))


_KEYS: dict[int, tuple[list[Term], frozenset[str]]] = {}  # id of a vocabulary's terms -> (the terms, their keys)


def _keys(terms: list[Term]) -> frozenset[str]:
    """The keys of a vocabulary's terms, made once for the same list (every file is checked
    against the same vocabularies; the list is kept with its keys, so its id is not reused)."""
    found = _KEYS.get(id(terms))
    if found is None or found[0] is not terms:
        if len(_KEYS) > 64:
            _KEYS.clear()
        found = _KEYS[id(terms)] = (terms, frozenset(term[0] for term in terms))
    return found[1]


def plain_text_paths(schema: Schema, source: SourceFile) -> frozenset:
    """The paths of the values :func:`check_annotated` checks as plain text."""
    return frozenset(path for annotated in schema.annotated if annotated.annotations.get("x-plain-text")
                     for path, _ in annotated.values(source.data))
