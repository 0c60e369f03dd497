"""Plain text: the markup, control and invisible characters a one-line field may not hold.

Titles, summaries and reference fields are shown as written, copied into reference managers
and written into citation files, so markup in them is a mistake or a trick. The rules sit
beside the reader because the reader of ``references.bib`` applies them too (to the text a
field shows, where LaTeX quotes and braces are normal: :func:`html_or_links`); the checker
applies all of them to the front matter's plain-text fields (:func:`check_plain_text`).
Every scan is one pass (see ``_PLAIN_CHECKS``).
"""

from __future__ import annotations

import re

from .controls import CONTROL_CHARACTERS, describe, find_controls
from .problems import Report

_PLAIN_CHECKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"</?[A-Za-z!?][^<>]*>?"), "HTML tag"),
    (re.compile(r"&(?:#[0-9]+;?|#[xX][0-9A-Fa-f]+;?|[A-Za-z][A-Za-z0-9]*;)"), "HTML entity"),
    (re.compile(r"!?\[[^\[\]]*\][(\[]"), "link or image"),
    (re.compile(r"(?<![\w*])(\*{1,3})(?=[^\s*])[^*]*?(?<=[^\s*])\1(?![\w*])"), "emphasis"),
    (re.compile(r"(?<![\w_])(_{1,3})(?=[^\s_])[^_]*?(?<=[^\s_])\1(?![\w_])"), "emphasis"),
    (re.compile(r"(?<!`)(`++)[^`]*+\1(?!`)|`++"), "backticks"),
    (re.compile(r"\{\s*+[:#.][^{}]*+\}?|\{[^{}]*?\bon\w*+\s*+=[^{}]*+\}?"), "attribute list"),
    (re.compile(r"-+8<-+|\{\{|\{%"), "include or template tag"),
)
"""Every pattern stops at the next delimiter of its own kind (``{`` at the next brace,
``[`` at the next bracket), so the scans are linear; values are also capped at
:data:`PLAIN_TEXT_SCAN_LIMIT` first."""

PLAIN_TEXT_SCAN_LIMIT = 5_000
"""Longer than any plain-text field's ``maxLength``: a longer value gets the schema's
length error and is not scanned for markup (a test checks every field's limit)."""


# Every pattern above needs one of these characters: text without them is plain.
_PLAIN_SUSPECT = re.compile("[<&\\[*_`{" + CONTROL_CHARACTERS.pattern[1:])
_PLAIN_SUSPECT_ASCII = re.compile("[<&\\[*_`{\x00-\x1f\x7f]")
"""The ASCII characters of :data:`_PLAIN_SUSPECT`: all an ASCII text can hold of it (a test
compares the two), searched many times faster than the whole class."""


def html_or_links(value: str) -> list[str]:
    """The HTML tags, entities and markdown links or images in ``value`` (the markup that
    matters in text that is not plain by design, such as BibTeX fields, where LaTeX quotes
    and braces are normal)."""
    found = []
    for pattern, what in _PLAIN_CHECKS[:3]:
        found += [f"{what} {show(m.group())}" for m in pattern.finditer(value)]
    return found


def has_markup_characters(value: str) -> bool:
    """False when ``value`` cannot hold any markup :func:`check_plain_text` looks for."""
    return (_PLAIN_SUSPECT_ASCII if value.isascii() else _PLAIN_SUSPECT).search(value) is not None


def check_plain_text(value: str, report: Report, path: str, line: int, field: str) -> None:
    """Titles and summaries are plain text: report any markup, control or invisible
    character found in them (line breaks only at the end, as YAML's ``>`` leaves one)."""
    if len(value) > PLAIN_TEXT_SCAN_LIMIT or not has_markup_characters(value):
        return
    for char, offset in {c: o for o, c in reversed(find_controls(value.rstrip("\n")))}.items():
        report.error(path, line, field, f"plain-text field: no control or invisible characters ({describe(char)}"
                     f" at character {offset + 1:,})",
                     "retype the text or paste it as plain text: such a character can split or reorder the field"
                     " when a reader copies it")
    for pattern, what in _PLAIN_CHECKS:
        for m in pattern.finditer(value):
            report.error(path, line, field, f"plain-text field: no markup ({what} {show(m.group())})",
                         "write plain words; formatting is added by the site")


def show(found: str) -> str:
    found = short(found).encode("unicode_escape").decode("ascii") if not found.isprintable() else short(found)
    return f"`{found}`" if "`" not in found else f"'{found}'"


def short(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"
