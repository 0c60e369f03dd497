"""What the build's cache holds of the checks, as plain data: one encoder and one checking decoder per kind.

An entry of the cache (coprod.read.buildcache) is JSON. Each kind of result is written here as
lists, dicts with text keys, text, numbers and booleans, and read back by a decoder that
checks the shape of every value it rebuilds an object from. A decoder returns None for
anything it does not expect (a torn file, another format, a value of the wrong type, an
entry written by hand): the caller then treats it as a miss and makes the result again.
Nothing here imports, calls or evaluates a name found in an entry.

The kinds:

- a checked file: :func:`checked_to_data` / :func:`checked_from_data` (the record and its problems);
- the bibliography: :func:`bibliography_to_data` / :func:`bibliography_from_data`.

(The record of a build of a site folder has its own encoder and decoder in coprod.rebuild.)
"""

from __future__ import annotations

import json
from typing import Any

from pybtex.database import Entry, Person
from pybtex.utils import OrderedCaseInsensitiveDict

from ..cite.bibtex import Bibliography
from ..cite.syntax import Citation, CiteItem
from ..read.kinds import KINDS
from ..read.problems import Problem
from ..read.source import SourceFile
from ..render.body_html import Prerendered
from .records import Record

_SEVERITIES = ("error", "warning", "note")
_PERSON_PARTS = ("first_names", "middle_names", "prelast_names", "last_names", "lineage_names")


class _Bad(Exception):
    """The entry is not what its encoder writes."""


def _text(value: Any) -> str:
    if type(value) is not str:
        raise _Bad
    return value


def _number(value: Any) -> int:
    if type(value) is not int:
        raise _Bad
    return value


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise _Bad
    return value


def _list(value: Any, length: int | None = None) -> list:
    if type(value) is not list or (length is not None and len(value) != length):
        raise _Bad
    return value


def _mapping(value: Any) -> dict:
    if type(value) is not dict:
        raise _Bad
    return value


def _texts(value: Any) -> list[str]:
    return [_text(item) for item in _list(value)]


def _text_map(value: Any) -> dict[str, str]:
    return {key: _text(item) for key, item in _mapping(value).items()}


def _number_map(value: Any) -> dict[str, int]:
    return {key: _number(item) for key, item in _mapping(value).items()}


def _path(value: Any) -> tuple:
    """A path into front matter: keys (text) and list indexes (numbers)."""
    path = tuple(_list(value))
    if any(type(part) not in (str, int) for part in path):
        raise _Bad
    return path


_MISSING = object()


def _plain_copy(value: Any) -> Any:
    """A copy of ``value`` if JSON carries it exactly (text keys only, no tuples, sets or
    dates), else _MISSING: made by writing and reading it, at C speed."""
    try:
        copy = json.loads(json.dumps(value, allow_nan=False))
    except (TypeError, ValueError, RecursionError):
        return _MISSING
    return copy if copy == value else _MISSING


def _decoded(decode):
    """``decode`` returning None for any entry it does not expect."""
    def safe(value: Any):
        try:
            return decode(value)
        except (_Bad, ValueError, TypeError, RecursionError):
            return None
    safe.__doc__ = decode.__doc__
    return safe


# ---------------------------------------------------------------------------------------
# Problems

def _problem_to_data(problem: Problem) -> list:
    return [problem.path, problem.line, problem.field, problem.message, problem.severity, problem.hint]


def _problem_from_data(value: Any) -> Problem:
    path, line, field, message, severity, hint = _list(value, 6)
    if severity not in _SEVERITIES:
        raise _Bad
    return Problem(_text(path), _number(line), _text(field), _text(message), severity, _text(hint))


def _problems(value: Any) -> list[Problem]:
    return [_problem_from_data(item) for item in _list(value)]


# ---------------------------------------------------------------------------------------
# A checked case study or claim

def checked_to_data(result: tuple[Record, list[Problem]]) -> list | None:
    """A file's record and problems as plain data; None if its front matter is not plain
    data (then it is not cached, and checked again next time)."""
    record, problems = result
    source = record.source
    data = _plain_copy(source.data)  # a copy: what the build does to the record is not kept
    if data is _MISSING:
        return None
    return [
        record.kind, record.valid,
        [source.path, data, [[list(path), line] for path, line in source.lines.items()],
         [[list(path), text] for path, text in source.plain.items()], [list(path) for path in source.broken],
         source.body, source.body_line, source.readable],
        [[c.start, c.end, [[i.key, i.prefix, i.locator] for i in c.items], c.bracketed, c.line] for c in record.citations],
        [_problem_to_data(p) for p in problems],
        _prerendered_to_data(record.body_html),
    ]


def _prerendered_to_data(pre: Prerendered | None) -> list | None:
    if pre is None:
        return None
    return [pre.html, pre.token, pre.citations, [list(item) for item in pre.toc], list(pre.ids)]


def _prerendered_from_data(value: Any) -> Prerendered | None:
    if value is None:
        return None
    html, token, citations, toc, ids = _list(value, 5)
    headings = []
    for item in _list(toc):
        level, anchor, name = _list(item, 3)
        headings.append((_number(level), _text(anchor), _text(name)))
    return Prerendered(_text(html), _text(token), _number(citations), tuple(headings), tuple(_texts(ids)))


@_decoded
def checked_from_data(value: Any) -> tuple[Record, list[Problem]] | None:
    """The record and problems :func:`checked_to_data` wrote, or None."""
    kind, valid, source, citations, problems, body_html = _list(value, 6)
    if kind not in KINDS:
        raise _Bad
    path, data, lines, plain, broken, body, body_line, readable = _list(source, 8)
    # a copy of the front matter: what a build does to a record never reaches the next one's
    read = SourceFile(_text(path), json.loads(json.dumps(_mapping(data))),
                      {_path(p): _number(line) for p, line in (_list(pair, 2) for pair in _list(lines))},
                      {_path(p): _text(text) for p, text in (_list(pair, 2) for pair in _list(plain))},
                      {_path(p) for p in _list(broken)}, _text(body), _number(body_line), _flag(readable))
    cites = []
    for item in _list(citations):
        start, end, items, bracketed, line = _list(item, 5)
        cites.append(Citation(_number(start), _number(end),
                              tuple(CiteItem(_text(k), _text(p), _text(loc)) for k, p, loc in (_list(i, 3) for i in _list(items))),
                              _flag(bracketed), _number(line)))
    return Record(kind, read, cites, _flag(valid), _prerendered_from_data(body_html)), _problems(problems)


# ---------------------------------------------------------------------------------------
# The bibliography: pybtex entries, rebuilt field by field

def _entry_to_data(key: str, entry: Entry) -> list:
    return [key, getattr(entry, "key", key), entry.type, entry.original_type, [[n, v] for n, v in entry.fields.items()],
            [[role, [[getattr(person, part) for part in _PERSON_PARTS] for person in people]]
             for role, people in entry.persons.items()]]


def _entry_from_data(value: Any) -> tuple[str, Entry]:
    key, entry_key, kind, original, fields, persons = _list(value, 6)
    entry = Entry(_text(kind))
    entry.original_type = _text(original)
    entry.key = _text(entry_key)
    entry.fields = OrderedCaseInsensitiveDict([(_text(n), _text(v)) for n, v in (_list(f, 2) for f in _list(fields))])
    people = OrderedCaseInsensitiveDict()
    for role, names in (_list(p, 2) for p in _list(persons)):
        found = []
        for parts in _list(names):
            person = Person()
            for part, words in zip(_PERSON_PARTS, _list(parts, len(_PERSON_PARTS))):
                setattr(person, part, _texts(words))
            found.append(person)
        people[_text(role)] = found
    entry.persons = people
    return _text(key), entry


def bibliography_to_data(bibliography: Bibliography, problems: list[Problem], info: list[Problem]) -> list:
    """A loaded bibliography with the problems and notes its loading reported."""
    bib = bibliography
    return [[_entry_to_data(key, entry) for key, entry in bib.entries.items()], dict(bib.lines), dict(bib.rejected),
            {key: dict(fields) for key, fields in bib.unpublished.items()}, dict(bib.dropped_fields), bib.path,
            [_problem_to_data(p) for p in problems], [_problem_to_data(p) for p in info]]


@_decoded
def bibliography_from_data(value: Any) -> tuple[Bibliography, list[Problem], list[Problem]] | None:
    """What :func:`bibliography_to_data` wrote, or None."""
    entries, lines, rejected, unpublished, dropped, path, problems, info = _list(value, 8)
    bib = Bibliography(lines=_number_map(lines), rejected=_number_map(rejected),
                       unpublished={key: _text_map(fields) for key, fields in _mapping(unpublished).items()},
                       dropped_fields=_number_map(dropped), path=_text(path))
    for item in _list(entries):
        key, entry = _entry_from_data(item)
        bib.entries[key] = entry
    if bib.entries.keys() != bib.lines.keys():
        raise _Bad
    return bib, _problems(problems), _problems(info)
