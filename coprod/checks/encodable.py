"""Text that XML or JSON cannot carry is refused wherever it is (issue 26, item 5).

A noncharacter (``U+FFFF``, ``U+FFFE``, ...) or a lone surrogate (which a YAML escape such as
``"\\ud800"`` can make) in a title passed every check and ended the build in a traceback:
lxml refuses it in the feed. The C0 control characters but tab and line breaks are just as
unwritable in XML, and a body may hold them. Every key and text value of the front matter
and the whole body are scanned once (:data:`NOT_XML`, a character class), and each such
character is an error at its line; at most :data:`MAX_REPORTED` a file.
"""

from __future__ import annotations

import re
from typing import Any

from ..read.controls import UNENCODABLE, describe
from ..read.problems import Report
from ..read.source import SourceFile, dotted

NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f" + UNENCODABLE.pattern[1:-1] + "]")
"""What XML 1.0 cannot hold: the C0 controls but tab and line breaks, and
:data:`~coprod.read.controls.UNENCODABLE` (noncharacters, lone surrogates)."""

NOT_XML_ASCII = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
""":data:`NOT_XML`'s ASCII characters: all an ASCII text can hold of it (a test compares the
two), searched about fifteen times faster than the whole class."""

MAX_REPORTED = 20
HINT = "delete it or retype the text: the site's XML (its feed) or JSON files cannot carry this character"


def check_encodable(source: SourceFile, report: Report, checked: frozenset = frozenset()) -> None:
    """Report every character of ``source`` (front matter and body) that XML or JSON cannot
    carry, except in the values at ``checked`` (plain-text fields, whose check reports them
    with the other invisible characters)."""
    if not _holds_any("\n".join(_texts(source.data, []))) and not _holds_any(source.body):
        return  # one look at every key and text, and the body (most files)
    found = 0
    stack: list[tuple[tuple, Any]] = [((), source.data)]
    while stack and found < MAX_REPORTED:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                if isinstance(key, str) and NOT_XML.search(key):
                    found += _report(source, report, path + (key,), key, "the key")
                stack.append((path + (key,), item))
        elif isinstance(value, list):
            stack.extend(reversed([(path + (index,), item) for index, item in enumerate(value)]))
        elif isinstance(value, str) and path not in checked:
            found += _report(source, report, path, value, "")
    for match in NOT_XML.finditer(source.body) if found < MAX_REPORTED else ():
        line = source.body_line + source.body.count("\n", 0, match.start())
        report.error(source.path, line, "body", f"{describe(match.group())} cannot be published", HINT)
        found += 1
        if found >= MAX_REPORTED:
            break


def _holds_any(text: str) -> bool:
    """Whether ``text`` holds a character of :data:`NOT_XML`."""
    return (NOT_XML_ASCII if text.isascii() else NOT_XML).search(text) is not None


def _texts(value: Any, out: list[str]) -> list[str]:
    """Every key and text in ``value`` ("\n", which XML carries, joins them for one search)."""
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str):
                out.append(key)
            _texts(item, out)
    elif isinstance(value, list):
        for item in value:
            _texts(item, out)
    return out


def _report(source: SourceFile, report: Report, path: tuple, value: str, what: str) -> int:
    match = NOT_XML.search(value)
    if match is None:
        return 0
    where = f" in {what}" if what else ""
    report.error(source.path, source.line_of(path), dotted(path) or "front matter",
                 f"{describe(match.group())}{where} at character {match.start() + 1:,} cannot be published", HINT)
    return 1
