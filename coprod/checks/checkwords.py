"""The words of checking: fact-checkers' notes that must not reach a reader.

How a fact was checked, and what is still unsure about it, is kept in the repository
(in a reference's ``x-private-note`` field, which is never published). What the site shows
is written for readers. A reader does not know what "the brief" or "the stored text" is,
and "candidate for" tells them we are unsure which document we cite. So the validator
warns when published text uses these words:

- in ``evidence/references.bib``: the ``note`` and ``howpublished`` fields, which the
  site prints with each reference;
- in ``evidence/taxonomy.yml``: each term's ``note`` (shown as a caveat) and definition;
- the hand-written pages under ``docs/``;
- published case studies and claims: the body and every text field (a claim's body, where
  its evidence is described, included).

Besides the words of uncertainty, the reading notes a fact-checker writes about their own
reading ("this case study draws on the article's abstract", "the full text was not
available", "we could not access the report") are caught: a reader needs to know what the
source says and what it leaves out, not which parts of it we reached.

:func:`find_checkwords` finds the words in one text; :func:`check_published_text` turns
them into warnings (file, line, field and a hint) for the whole evidence folder, and
:func:`check_reference_text` for each entry of ``references.bib`` as the reader cuts it. Every
pattern is a plain alternation of words, so a check is linear in the size of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..read.kinds import KINDS
from ..read.problems import Report
from .records import Evidence, Record

PRIVATE_FIELD = "x-private-note"

# "abstract" as a noun (an article's summary), not the adjective in "abstract ideas".
_NOUN = r"(?!\s+(?:ideas?|concepts?|art|arts|thinking|thoughts?|notions?|shapes?|paintings?|terms|reasoning)\b)"

# (pattern, what a reader cannot know). Words that also have an everyday meaning
# ("candidate", "stored", "brief") are matched only in the phrases fact-checkers use, so
# "candidate vaccines", "data stored securely" or "a brief survey" pass.
_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"unconfirmed|unverified", "says that a detail is unsure"),
    (r"inferred", "says how a detail was worked out"),
    (r"(?:alternative\s+)?candidates?\s+(?:for|reference|references|source|sources|document)\b|alternative\s+candidate",
     "says we are unsure which document is meant"),
    (r"stored\s+(?:(?:NIHR|web|landing)\s+)*(?:text|texts|cop(?:y|ies)|versions?|pages?|record)",
     "refers to our own copy of a source"),
    (r"the\s+brief(?:'s)?(?!\s+(?:survey|summary|interview|intervention|version|guide|period|report|description))\b",
     "refers to an internal document readers cannot see"),
    (r"seed\s+(?:paper|references?)", "refers to an internal document readers cannot see"),
    (r"verification\s+line|not\s+captured\s+in|taken\s+from\s+the\s+page\s+address|vary\s+between\s+sources",
     "describes how a source was read"),
    (r"likely\s+but\s+not\s+confirmed|(?:is|are)\s+not\s+(?:yet\s+)?confirmed|(?:is|was)\s+the\s+likely\s+source",
     "says that a detail is unsure"),
    # What was read of a source: "this case study draws on the article's abstract", "only the
    # abstract", "the full text was not available", "we could not access". Each phrase is one a
    # fact-checker writes about their own reading; "abstract", "full text" or "could not" alone
    # pass ("titles and abstracts were screened", "people who could not travel"). At most a few
    # words between the parts, so a check stays linear.
    (r"draws\s+on\s+(?:the|its|an|two|both|several)\s+(?:[\w'’-]+\s+){0,3}?abstracts?\b" + _NOUN +
     r"|(?:only|just)\s+the\s+(?:[\w'’-]+\s+){0,2}?abstract\b" + _NOUN +
     r"|abstracts?\s+(?:alone|only)\b"
     r"|(?:rests?|rested|relies|relied)\s+(?:only\s+|mainly\s+|entirely\s+)?on\s+(?:the|an|its)\s+"
     r"(?:[\w'’-]+\s+){0,2}?abstract\b" + _NOUN +
     r"|full\s+texts?\s+(?:was|were|is|are|could)\s+not\b|full\s+texts?\s+(?:was|were|is|are)\s+unavailable\b"
     r"|we\s+(?:could\s*not|couldn['’]t|can\s*not|can['’]t|were\s+unable\s+to)\s+(?:check|access|read|find|verify)\b"
     r"|we\s+(?:did\s+not|didn['’]t)\s+(?:check|access|read)\b"
     r"|not\s+summari[sz]ed\s+here\b|(?:itself|themselves)\s+(?:was|were)\s+not\s+read\b"
     r"|(?:was|were)\s+not\s+(?:itself|themselves)\s+read\b|in\s+the\s+parts\s+(?:we\s+)?(?:read|summari[sz]ed)\b",
     "says what was read of a source, not what the source says"),
)
_RE = re.compile("|".join(rf"\b(?P<p{i}>{p})" for i, (p, _) in enumerate(_PATTERNS)), re.IGNORECASE)

HINT = (f"write published text for readers; keep how a fact was checked, and what is still unsure, "
        f"in the reference's {PRIVATE_FIELD} field, which is never published")


@dataclass(frozen=True)
class Found:
    """One word of checking: the line (1-based, within the text), the words and why."""

    line: int
    words: str
    why: str


def _required(items) -> set[str] | None:
    """Strings one of which (lower-cased) any match of the parsed regex ``items`` must
    contain, or None if none can be named. Conservative: only literal runs every match goes
    through (never inside an optional part), alternatives only if each names some."""
    from re import _constants as c

    options: list[set[str]] = []
    run = ""
    for op, arg in list(items) + [(None, None)]:
        if op is c.LITERAL:
            run += chr(arg).lower()
            continue
        if run:
            options.append({run})
            run = ""
        if op is c.SUBPATTERN:
            found = _required(arg[-1])
        elif op is c.BRANCH:
            branches = [_required(branch) for branch in arg[1]]
            found = None if any(b is None for b in branches) else set().union(*branches)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)) and arg[0] >= 1:
            found = _required(arg[2])
        else:
            found = None
        if found:
            options.append(found)
    # the most telling: the choice whose shortest string is longest
    return max(options, key=lambda strings: min(map(len, strings)), default=None)


def _quick_words(pattern: re.Pattern) -> frozenset[str] | None:
    from re import _parser

    return frozenset(found) if (found := _required(_parser.parse(pattern.pattern, pattern.flags))) else None


_WORDS = _quick_words(_RE)
"""Every match of :data:`_RE` holds one of these (worked out from the patterns themselves,
so a new pattern brings its own): ASCII text without any of them needs no regex pass. Text
that is not ASCII always gets one (case-insensitive matching also folds letters such as
the long s into ASCII ones)."""
_RE_LOWER = re.compile(_RE.pattern.lower().replace("(?p<", "(?P<")) if not re.search(r"\\[A-Z]", _RE.pattern) else None
""":data:`_RE` for lower-cased ASCII text, matched case-sensitively: the same matches, at the
same places, about three times faster (None if a pattern used an upper-case escape)."""


def _matches(text: str):
    """:data:`_RE`'s matches in ``text`` (an ASCII text is lower-cased first and searched
    with :data:`_RE_LOWER`; the words are then read from ``text``)."""
    if text.isascii():
        lower = text.lower()
        if _WORDS is not None and not any(word in lower for word in _WORDS):
            return []
        if _RE_LOWER is not None:
            return list(_RE_LOWER.finditer(lower))
    return list(_RE.finditer(text))


def _may_hold_checkwords(text: str) -> bool:
    if not text.isascii() or _WORDS is None:
        return True
    lower = text.lower()
    return any(word in lower for word in _WORDS)


def find_checkwords(text: str) -> list[Found]:
    """Every word of checking in ``text``, in order, with the line it is on."""
    found: list[Found] = []
    line, counted = 1, 0
    for match in _matches(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        index = int(next(name for name, value in match.groupdict().items() if value is not None)[1:])
        found.append(Found(line, " ".join(text[match.start():match.end()].split()), _PATTERNS[index][1]))
    return found


def _warn(report: Report, path: str, line: int, field: str, found: Found) -> None:
    report.warning(path, line, field, f"published text uses the words of checking ('{found.words}': it {found.why})",
                   HINT)


# --------------------------------------------------------------------------- references

PUBLISHED_BIB_FIELDS = ("note", "howpublished")


def check_reference_text(key: str, fields: Iterable[tuple[str, int, str]], report: Report, path: str) -> None:
    """Warn on words of checking in the published fields of one good entry of a .bib file,
    as written: the BibTeX reader hands each entry's fields over as it cuts them
    (:func:`coprod.checks.reference_fields.load_references`), so the file is read once.
    Unpublished fields (such as ``x-private-note``) are skipped."""
    for name, line, value in fields:
        if name in PUBLISHED_BIB_FIELDS:
            for found in find_checkwords(value):
                _warn(report, path, line + found.line - 1, f"references[{key}].{name}", found)


# --------------------------------------------------------------------------- records and pages

def _strings(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def check_record(record: Record, report: Report) -> None:
    """Warn on words of checking in a published case study or claim: its text fields and body."""
    source = record.source
    strings = list(_strings(source.data, ()))
    if not _may_hold_checkwords("\n".join([source.body, *(value for _, value in strings)])):
        return  # one quick look at all its text (most records)
    for path, value in strings:
        if path and path[-1] == "consent_reference":
            continue  # private: never published
        for found in find_checkwords(value):
            _warn(report, source.path, source.line_of(path), _dotted(path), found)
    for found in find_checkwords(source.body):
        _warn(report, source.path, source.body_line + found.line - 1, "body", found)


def check_page(text: str, path: str, report: Report) -> None:
    """Warn on words of checking in a hand-written page."""
    for found in find_checkwords(text):
        _warn(report, path, found.line, "page", found)


def check_published_text(evidence: Evidence, report: Report, citing_dirs: Iterable[Path] = (),
                         citing_names: Iterable[str] = ()) -> None:
    """Every warning for the whole evidence folder and the hand-written pages (references.bib's
    are given as it is read: :func:`check_reference_text`)."""
    taxonomy = evidence.taxonomy
    for vocab in taxonomy.vocabularies.values():
        for term in vocab.terms.values():
            for name in ("note", "definition"):
                for found in find_checkwords(getattr(term, name)):
                    _warn(report, taxonomy.path, term.line, f"{vocab.name}.{term.key}.{name}", found)
    for kind in KINDS:
        for record in evidence.published(kind):
            check_record(record, report)
    for directory, name in zip(citing_dirs, citing_names):
        for page in sorted(Path(directory).rglob("*.md")):
            if page.is_symlink():
                continue
            display = f"{name}/{page.relative_to(directory).as_posix()}"
            check_page(page.read_text(encoding="utf-8", errors="replace"), display, report)
