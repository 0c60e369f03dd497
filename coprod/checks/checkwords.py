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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..read.kinds import KINDS
from ..read.needles import required
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


def _branches(pattern: str) -> list[str]:
    """``pattern`` cut at each ``|`` outside a group or a character class: its alternatives."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            i += 1 + (pattern[i + 1:i + 2] == "^")
            i += pattern[i:i + 1] == "]"  # a "]" right after "[" or "[^" is in the class
            continue
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


_ALTERNATIVES: tuple[tuple[int, str], ...] = tuple(
    (index, branch) for index, (pattern, _) in enumerate(_PATTERNS) for branch in _branches(pattern))
"""Each pattern's alternatives, in order, with the pattern's index: group ``a{n}`` of the
regexes below is alternative n. Trying them one after another at each place is what trying
each pattern's alternation there does."""
_RE = re.compile("|".join(rf"\b(?P<a{n}>{branch})" for n, (_, branch) in enumerate(_ALTERNATIVES)), re.IGNORECASE)

HINT = (f"write published text for readers; keep how a fact was checked, and what is still unsure, "
        f"in the reference's {PRIVATE_FIELD} field, which is never published")


@dataclass(frozen=True)
class Found:
    """One word of checking: the line (1-based, within the text), the words and why."""

    line: int
    words: str
    why: str


_WORDS = tuple(required(branch, re.IGNORECASE) for _, branch in _ALTERNATIVES)
"""For each alternative, words one of which every match of it holds (worked out from the
patterns themselves, so a new pattern brings its own; None: none known). An ASCII text
is searched only for the alternatives whose words it holds (most hold a few common ones,
such as "read" in "already"), which gives the same matches at the same places: an
alternative left out could match nowhere in it. Text that is not ASCII is searched for all
(case-insensitive matching also folds letters such as the long s into ASCII ones)."""
_ALL_WORDS = tuple(sorted(set().union(*(words for words in _WORDS if words))))
_LOWER = not re.search(r"\\[A-Z]", _RE.pattern)
"""Whether :data:`_RE` for lower-cased ASCII text, matched case-sensitively, is its
pattern lower-cased (no upper-case escape such as ``\\S``): the same matches, at the same
places, about three times faster."""


def _close(pattern: str, at: int) -> int | None:
    """Where the group opened at ``pattern[at]`` closes (None if it does not)."""
    depth, i = 0, at
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i += 1 + (pattern[i + 1:i + 2] == "^")
            i += pattern[i:i + 1] == "]"
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


_LETTERS = re.compile(r"[a-z]+")


def _word_led(branch: str) -> list[str] | None:
    """``branch`` (lower-cased) as alternatives that each start with letters, in the order
    its own alternation tries them: a leading ``(?:a|b)`` spread over ``a...`` and ``b...``,
    a leading ``(?:a)?`` made ``a...`` then ``...``. None if it cannot be."""
    if branch.startswith("(?:"):
        close = _close(branch, 0)
        if close is None:
            return None
        inner, rest = branch[3:close], branch[close + 1:]
        optional = rest[:1] == "?"
        rest = rest[1:] if optional else rest
        if rest[:1] in ("?", "*", "+", "{"):
            return None
        out: list[str] = []
        for part in [*(alternative + rest for alternative in _branches(inner)), *([rest] if optional else [])]:
            led = _word_led(part)
            if led is None:
                return None
            out += led
        return out
    word = _LETTERS.match(branch)
    if word is None or branch[word.end():word.end() + 1] in ("?", "*", "+", "{") and word.end() < 2:
        return None
    return [branch]


def _led_regex(n: int, k: int, branch: str) -> str:
    """Alternative ``n``'s ``k``-th word-led form: its first letters, then a look back that
    they start a word (what ``\\b`` before them asks), then the rest, then an empty group
    named for it. A search for alternatives that all start with a letter looks only at the
    places that hold one of their first letters."""
    word = _LETTERS.match(branch).group()
    if branch[len(word):len(word) + 1] in ("?", "*", "+", "{"):
        word = word[:-1]  # the last letter is repeated: not part of the run every match starts with
    return rf"{word}(?<=\b{word}){branch[len(word):]}(?P<a{n}_{k}>)"


@lru_cache(maxsize=4096)
def _lower_search(chosen: tuple[int, ...]) -> re.Pattern:
    """:data:`_RE` for lower-cased ASCII text, of the alternatives ``chosen`` only (a few
    hundred sets of them in 10,000 synthetic case studies, each compiled once), each in its
    word-led forms where it has them (:func:`_word_led`)."""
    led = [_word_led(_ALTERNATIVES[n][1].lower()) for n in chosen]
    if any(forms is None for forms in led):
        return re.compile("|".join(rf"\b(?P<a{n}>{_ALTERNATIVES[n][1].lower()})" for n in chosen))
    return re.compile("|".join(_led_regex(n, k, form) for n, forms in zip(chosen, led) for k, form in enumerate(forms)))


def _matches(text: str) -> list[re.Match]:
    """:data:`_RE`'s matches in ``text`` (an ASCII text is lower-cased first and searched for
    the alternatives whose words it holds; the words are then read from ``text``)."""
    if text.isascii() and _LOWER:
        lower = text.lower()
        held = {word for word in _ALL_WORDS if word in lower}
        chosen = tuple(n for n, words in enumerate(_WORDS) if words is None or not words.isdisjoint(held))
        return list(_lower_search(chosen).finditer(lower)) if chosen else []
    return list(_RE.finditer(text))


def _why(match: re.Match) -> str:
    """What a reader cannot know, for a match of :func:`_matches`."""
    return _PATTERNS[_ALTERNATIVES[int(match.lastgroup[1:].split("_")[0])][0]][1]


def find_checkwords(text: str) -> list[Found]:
    """Every word of checking in ``text``, in order, with the line it is on."""
    found: list[Found] = []
    line, counted = 1, 0
    for match in _matches(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        found.append(Found(line, " ".join(text[match.start():match.end()].split()), _why(match)))
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

def _strings(value: Any, path: tuple, out: list | None = None) -> list[tuple[tuple, str]]:
    """Every text in ``value`` with its path, in order."""
    out = [] if out is None else out
    if isinstance(value, str):
        out.append((path, value))
    elif isinstance(value, dict):
        for key, item in value.items():
            _strings(item, (*path, key), out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _strings(item, (*path, index), out)
    return out


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_JOIN = "\x00"
"""Joins a record's ASCII texts for one search. No pattern matches it, none looks past it (a
lookahead meets it as it meets the end of a text) and it is neither a word character nor
a space, so every match in the joined text lies within one text and is the match a search
of that text alone finds (a test compares the two on texts that end and start in a phrase)."""


def record_findings(record: Record) -> list[tuple[tuple | None, Found]]:
    """The words of checking in a case study's or claim's text fields and body: (the
    field's path in the front matter, or None for the body; what was found), in the order
    :func:`check_record` warns of them. It reads only the record, so the process that
    checks the file finds them (a worker: coprod.checks.evidence) and the checks across
    files only warn.

    The ASCII texts are searched at once, joined by :data:`_JOIN` (a record has dozens of
    short fields, and searching each on its own cost more than the search), each other
    text on its own (it is searched for every alternative, case-insensitively)."""
    source = record.source
    paths: list[tuple | None] = []
    texts: list[str] = []
    for path, value in _strings(source.data, ()):
        if path and path[-1] == "consent_reference":
            continue  # private: never published
        paths.append(path)
        texts.append(value)
    paths.append(None)
    texts.append(source.body)
    found: list[list[Found]] = [[] for _ in texts]
    ascii_texts = [index for index, text in enumerate(texts) if text.isascii()]
    text = _JOIN.join(texts[index] for index in ascii_texts)
    at, start = 0, 0  # the ASCII text the next match is in, and where it starts in ``text``
    for match in _matches(text):
        while match.start() >= start + len(texts[ascii_texts[at]]) + 1:  # past this text and its joint
            start += len(texts[ascii_texts[at]]) + 1
            at += 1
        words = " ".join(text[match.start():match.end()].split())  # as written: the search may read it lower-cased
        found[ascii_texts[at]].append(Found(text.count("\n", start, match.start()) + 1, words, _why(match)))
    for index, text in enumerate(texts):
        if not text.isascii():
            found[index] = find_checkwords(text)
    return [(path, each) for path, within in zip(paths, found) for each in within]


def check_record(record: Record, report: Report) -> None:
    """Warn on words of checking in a published case study or claim: its text fields and body
    (found when its file was checked, else now)."""
    source = record.source
    findings = record.checkwords if record.checkwords is not None else record_findings(record)
    for path, found in findings:
        if path is None:
            _warn(report, source.path, source.body_line + found.line - 1, "body", found)
        else:
            _warn(report, source.path, source.line_of(path), _dotted(path), found)


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
