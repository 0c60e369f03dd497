"""Pandoc-like citations in markdown bodies, and the markdown scanning they rest on.

Syntax (as in pandoc):

* ``[@key]``, ``[@a; @b]``, ``[see @key, p. 12]``, ``[@key, pp. 3-4; also @other]``:
  a bracketed (parenthetical) citation; each ``;``-separated item has an optional prefix,
  one ``@key`` and an optional locator after the key (a leading comma is dropped).
* ``@key`` in running text: a narrative (author-year in text) citation.

Keys match ``[A-Za-z0-9_][A-Za-z0-9_:.\\-]*``; a trailing ``.``, ``:`` or ``-`` is
punctuation, not part of the key.

Never a citation: anything in fenced or indented code blocks or inline code spans, an
``@`` inside an e-mail address, a URL, an autolink, a link destination or a reference
definition, an escaped ``\\@``, and ``@`` inside link text (``[text](url)``).

Everything works on a *masked* copy of the text: code, URLs and link destinations are
overwritten with spaces (newlines kept), so offsets and line numbers stay exact and a
single regex pass finds the citations. The code-region helpers are shared with
:mod:`coprod.checks.body`, which must agree with this module on what counts as code.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass

Span = tuple[int, int]

KEY_PATTERN = r"[A-Za-z0-9_](?:[A-Za-z0-9_:.\-]*[A-Za-z0-9_])?"
# An "@" that can start a key: not inside a word/e-mail/URL, not escaped.
_AT = r"@(?<![\w.+%\\/:@]@)"  # lookbehind after the literal "@": fast to scan for

_NARRATIVE_RE = re.compile(_AT + "(" + KEY_PATTERN + ")")
_ITEM_RE = re.compile(r"(?P<prefix>.*?)" + _AT + r"(?P<key>" + KEY_PATTERN + r")(?P<rest>.*)", re.DOTALL)
_BRACKET_RE = re.compile(r"\[([^\[\]]*)\]")
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")


# --------------------------------------------------------------------------- scanning


@dataclass(frozen=True)
class CodeRegions:
    """Where a markdown text is code: fenced/indented blocks and inline code spans."""

    blocks: list[Span]
    spans: list[Span]


_FENCE_OPEN_RE = re.compile(
    # Python-Markdown's fenced_code: the fence at column 0, then {attrs} or an optional
    # (.)lang and hl_lines, nothing else. Anything looser is *not* a fence there, so its
    # content is markdown and must be checked as such.
    r"(?P<fence>`{3,}|~{3,})[ ]*"
    r"(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=(?P<q>[\"'])[^\n]*?(?P=q)[ ]*)?)$"
)
_FENCE_CLOSE_RE = re.compile(r"[ ]{0,3}(`{3,}|~{3,})[ \t]*\Z")
_LIST_ITEM_RE = re.compile(r"[ ]{0,3}(?:[*+-]|\d+[.)])(?:[ \t]|\Z)")


def _indent(line: str) -> int:
    stripped = line.lstrip(" \t")
    return len(line[: len(line) - len(stripped)].expandtabs(4))


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer("\n", text)]


def _close_fence(lines: list[str], i: int, fence: str) -> int | None:
    """Index of the line closing the fence opened on line ``i``, or None if unclosed.

    The earliest line that any common renderer would accept as a closer ends the block
    (same character, at least as long, up to 3 spaces of indent): a shorter code region
    than the renderer's only means more text gets checked.
    """
    for j in range(i + 1, len(lines)):
        m = _FENCE_CLOSE_RE.match(lines[j])
        if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
            return j
    return None


def block_code_regions(text: str, fenced: bool = True) -> list[Span]:
    """Spans of fenced and indented code blocks (conservative: when unsure, not code).

    ``fenced=False`` when the renderer has no fenced-code extension: fences are then just
    backticks (their content is markdown). Otherwise fences follow Python-Markdown's
    ``fenced_code``; an unclosed fence is not code. The
    opening fence's info string (``{ .lang #id }``) is left out of the span, so attribute
    checks still see it. An indented block is code only after a blank line and when the
    previous block is not a list (Python-Markdown makes it part of the list item then).
    """
    lines = text.split("\n")
    starts = _line_starts(text)
    regions: list[Span] = []
    prev_kind = "other"
    at_block_start = True
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE_OPEN_RE.match(line) if fenced else None
        if fence:
            j = _close_fence(lines, i, fence.group("fence"))
            if j is not None:
                regions.append((starts[i], starts[i] + len(fence.group("fence"))))
                regions.append((starts[i] + len(line), starts[j] + len(lines[j])))
                prev_kind, at_block_start, i = "other", False, j + 1
                continue
        if not line.strip() and (i > 0 or not line):
            # Python-Markdown blanks whitespace-only lines, but not the very first one
            at_block_start = True
            i += 1
            continue
        if at_block_start and _indent(line) >= 4 and prev_kind != "list":
            i = _consume_indented(lines, starts, i, regions)
            prev_kind, at_block_start = "code", False
            continue
        if at_block_start:
            prev_kind = "list" if _LIST_ITEM_RE.match(line) or (
                _indent(line) >= 4 and prev_kind == "list") else "other"
        elif _LIST_ITEM_RE.match(line):
            prev_kind = "list"
        at_block_start = False
        i += 1
    return regions


def _consume_indented(lines: list[str], starts: list[int], i: int, regions: list[Span]) -> int:
    last = i
    j = i
    while j < len(lines) and (not lines[j].strip() or _indent(lines[j]) >= 4):
        if lines[j].strip():
            last = j
        j += 1
    regions.append((starts[i], starts[last] + len(lines[last])))
    return last + 1


_TICKS_RE = re.compile(r"`+")
# Where Python-Markdown starts a new inline block without a blank line: before and after
# a heading or horizontal rule line, and before a quote line. (A list item does *not*
# interrupt a paragraph there.)
_HEADING_OR_RULE_RE = re.compile(r"(?:>[ ]?)*(?:#|[ ]{0,3}(?:(?:-[ ]?){3,}|(?:_[ ]?){3,}|(?:\*[ ]?){3,})\Z)")
_QUOTE_RE = re.compile(r"[ ]{0,3}>")


def _segments(text: str, by: str) -> list[Span]:
    """(start, end) of each block of ``text``: ``by`` "line", "blank" (paragraphs between
    blank lines) or "block" (paragraphs also split at headings, rules and quote lines)."""
    segments: list[Span] = []
    seg_start = pos = 0
    previous_heading = False
    for line in text.split("\n"):
        heading = by == "block" and bool(_HEADING_OR_RULE_RE.match(line))
        breaks = (by == "line" or not line.strip() or heading or previous_heading
                  or (by == "block" and bool(_QUOTE_RE.match(line))))
        if breaks and pos > seg_start:
            segments.append((seg_start, pos - 1))
            seg_start = pos
        previous_heading = heading
        pos += len(line) + 1
    segments.append((seg_start, len(text)))
    return segments


def _pair_ticks(text: str, runs: list[Span]) -> list[Span]:
    """Code spans among backtick runs of one block, as Python-Markdown's
    ``BacktickInlineProcessor.find_code_spans`` pairs them: an opening run closes at the
    next run of the same length, else at the first longest later run if that is shorter;
    a run after an odd number of backslashes loses its first (escaped) tick."""
    by_length: dict[int, list[int]] = {}
    for k, (a, b) in enumerate(runs):
        by_length.setdefault(b - a, []).append(k)
    longest_after = _longest_after(runs)
    spans: list[Span] = []
    k = 0
    while k < len(runs):
        start, end = runs[k]
        backslashes = len(text[max(0, start - 64) : start]) - len(text[max(0, start - 64) : start].rstrip("\\"))
        start += backslashes % 2
        ticks = end - start
        same = by_length.get(ticks, [])
        j = same[bisect_right(same, k)] if ticks and bisect_right(same, k) < len(same) else None
        if j is None and ticks and k + 1 < len(runs) and 0 < longest_after[k + 1][0] < ticks:
            j = longest_after[k + 1][1]
        if j is None:
            k += 1
            continue
        spans.append((start, runs[j][1]))
        k = j + 1
    return spans


def _longest_after(runs: list[Span]) -> list[tuple[int, int]]:
    """For each index, (length, index) of the first longest run from there on."""
    best: list[tuple[int, int]] = [(0, -1)] * (len(runs) + 1)
    for k in range(len(runs) - 1, -1, -1):
        length = runs[k][1] - runs[k][0]
        best[k] = (length, k) if length >= best[k + 1][0] else best[k + 1]
    return best


def _pairings(text: str, by: str) -> set[Span]:
    runs = [m.span() for m in _TICKS_RE.finditer(text)]
    spans: set[Span] = set()
    k = 0
    for seg_start, seg_end in _segments(text, by):
        group: list[Span] = []
        while k < len(runs) and runs[k][0] < seg_end:
            if runs[k][0] >= seg_start:
                group.append(runs[k])
            k += 1
        spans.update(_pair_ticks(text, group))
    return spans


def code_span_regions(text: str, multiline: bool = False) -> list[Span]:
    """Spans of inline code in ``text`` (which should already have code blocks masked).

    Backticks pair up as in Python-Markdown, left to right within a block, so a span may
    cross line ends (``multiline=True``, for citations). For safety checks
    (``multiline=False``) a span counts only if pairing within blank-line paragraphs,
    within blocks (split at headings, rules and quotes too) *and* within single lines all
    find it: Python-Markdown extracts raw HTML at line starts before it sees code spans,
    and where its blocks differ from these guesses, a span in doubt must not hide anything.
    """
    if "`" not in text:
        return []
    block = _pairings(text, "block")
    if multiline:
        return sorted(block)
    return sorted(block & _pairings(text, "blank") & _pairings(text, "line"))


def mask(text: str, regions: Iterable[Span]) -> str:
    """``text`` with every region overwritten by spaces, newlines kept (same length)."""
    pieces: list[str] = []
    pos = 0
    for start, end in sorted(regions):
        if end <= pos:
            continue
        start = max(start, pos)
        pieces.append(text[pos:start])
        pieces.append("\n".join(" " * len(part) for part in text[start:end].split("\n")))
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def code_regions(text: str, multiline_spans: bool = False) -> CodeRegions:
    """Code blocks and inline code spans of a markdown text."""
    blocks = block_code_regions(text)
    spans = code_span_regions(mask(text, blocks), multiline_spans)
    return CodeRegions(blocks, spans)


_PAREN_TOKEN_RE = re.compile(r"[()]|\n[ \t]*(?:\n|\Z)")


def paren_matches(text: str, limit: int = 4000) -> dict[int, int]:
    """For each ``(`` in ``text``, the offset just past its matching ``)`` within the same
    paragraph and at most ``limit`` characters on; one pass with a stack (linear), where
    looking for each ``(``'s match on its own would read the text once per ``(``."""
    matches: dict[int, int] = {}
    stack: list[int] = []
    for m in _PAREN_TOKEN_RE.finditer(text):
        token = m.group()
        if token == "(":
            stack.append(m.start())
        elif token == ")":
            if stack:
                start = stack.pop()
                if m.end() - start <= limit:
                    matches[start] = m.end()
        else:
            stack.clear()  # a blank line ends the paragraph: nothing opened before it closes
    return matches


_LINK_OPEN_RE = re.compile(r"\]\(")


def link_destination_spans(text: str) -> list[Span]:
    """Spans inside the parentheses of ``](destination "title")`` (inline links, images)."""
    spans: list[Span] = []
    matches = paren_matches(text)
    for m in _LINK_OPEN_RE.finditer(text):
        end = matches.get(m.end() - 1)
        if end is not None:
            spans.append((m.end(), end - 1))
    return spans


class LineIndex:
    """Offsets to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._starts = _line_starts(text)

    def line(self, offset: int) -> int:
        return bisect_right(self._starts, offset)


# --------------------------------------------------------------------------- citations


@dataclass(frozen=True)
class CiteItem:
    key: str
    prefix: str
    locator: str


@dataclass(frozen=True)
class Citation:
    start: int
    end: int
    items: tuple[CiteItem, ...]
    bracketed: bool
    line: int


_SCHEME_BEFORE_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*\Z")
_URL_REST_RE = re.compile(r"[^\s<>]*")


def _url_spans(text: str) -> list[Span]:
    """Bare URLs (``scheme://...``, ``www....``, ``mailto:...``), found by fast substring
    search for their anchors rather than a regex tried at every position."""
    lower = text.lower()
    spans: list[Span] = []
    for anchor in ("://", "www.", "mailto:"):
        i = lower.find(anchor)
        while i >= 0:
            start = i
            if anchor == "://":
                scheme = _SCHEME_BEFORE_RE.search(text, max(0, i - 32), i)
                start = scheme.start() if scheme else i
            end = _URL_REST_RE.match(text, i).end()
            spans.append((start, end))
            i = lower.find(anchor, max(end, i + 1))
    return spans
_ANGLE_RE = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.\-]*:[^<>\s]*|[^<>\s@]+@[^<>\s]+|[A-Za-z/!?][^<>\n]*)>")
_REF_DEF_RE = re.compile(r"(?m)^[ ]{0,3}\[(?!\^)[^\[\]\n]+\]:[^\n]*")


def _citation_mask(text: str) -> str:
    code = code_regions(text, multiline_spans=True)
    masked = mask(text, code.blocks + code.spans)
    hidden = link_destination_spans(masked)
    if "]:" in masked:
        hidden += [m.span() for m in _REF_DEF_RE.finditer(masked)]
    hidden += [m.span() for m in _ANGLE_RE.finditer(masked)]
    hidden += _url_spans(masked)
    return mask(masked, hidden)


def _clean(value: str) -> str:
    return " ".join(value.split())


def _parse_items(inner: str) -> tuple[CiteItem, ...] | None:
    """The items of a bracket's content, or None if it is not a citation."""
    if "@" not in inner or _BLANK_LINE_RE.search(inner):
        return None
    items: list[CiteItem] = []
    for part in inner.split(";"):
        m = _ITEM_RE.fullmatch(part)
        if not m:
            return None
        locator = m.group("rest").strip()
        locator = locator.removeprefix(",")
        items.append(CiteItem(m.group("key"), _clean(m.group("prefix")), _clean(locator)))
    return tuple(items)


def _is_link_text(masked: str, start: int, end: int) -> bool:
    before = masked[start - 1 : start]
    return before in ("!", "]", "\\") or masked[end : end + 1] in ("(", "[")


def find_citations(text: str) -> list[Citation]:
    """Every citation in a markdown body, in order of position."""
    masked = _citation_mask(text)
    lines = LineIndex(text)
    found: list[Citation] = []
    excluded: list[Span] = []
    for m in _BRACKET_RE.finditer(masked):
        start, end = m.span()
        if "@" not in m.group(1):
            continue
        if _is_link_text(masked, start, end):
            excluded.append((start, end))
            continue
        items = _parse_items(m.group(1))
        if items is not None:
            excluded.append((start, end))
            found.append(Citation(start, end, items, True, lines.line(start)))
    for m in _NARRATIVE_RE.finditer(masked):
        if not in_spans(excluded, m.start()):
            item = CiteItem(m.group(1), "", "")
            found.append(Citation(m.start(), m.end(), (item,), False, lines.line(m.start())))
    return sorted(found, key=lambda c: c.start)


def in_spans(spans: list[Span], offset: int) -> bool:
    """Whether ``offset`` lies in one of ``spans`` (sorted, non-overlapping)."""
    i = bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def replace_citations(text: str, render: Callable[[Citation], str]) -> str:
    """``text`` with each citation replaced by ``render(citation)``; the rest untouched."""
    pieces: list[str] = []
    pos = 0
    for citation in find_citations(text):
        pieces.append(text[pos : citation.start])
        pieces.append(render(citation))
        pos = citation.end
    pieces.append(text[pos:])
    return "".join(pieces)
