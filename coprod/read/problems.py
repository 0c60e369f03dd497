"""Problems found in the evidence: one shape for every check, errors and warnings apart.

Every message a contributor sees is a :class:`Problem` printed as
``path:line: field: message`` (plus a hint where there is one). Checks never raise for bad
input; they add problems to a :class:`Report` and carry on, so one run reports everything.

A problem quotes what a contributor wrote (a key, a value, a file name), and it is printed
into CI logs that read some lines as commands (GitHub's ``::error``/``::add-mask::``,
Azure's ``##vso[``, ``##[group]``). So every format here prints a problem on one line:
line breaks and other control characters in its text are written as escapes (``\\n``), and
no line starts, after spaces, with ``::`` or ``##`` (:func:`one_line`). ``--format json``
keeps the text: JSON escapes line breaks itself, and ``##vso[`` is written with an escape
that reads back as the same text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "note"]  # a note informs; it never fails a run


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = "error"
    hint: str = ""

    def format(self) -> str:
        """``path:line: field: message`` followed by the hint, as a contributor reads it:
        one line, whatever the text quoted in it holds (see :func:`one_line`)."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.field or '-'}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return one_line(text)

    def format_github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in the pull request."""
        kind = {"error": "error", "warning": "warning"}.get(self.severity, "notice")
        field_name = _escape_breaks(self.field)
        text = f"{field_name or '-'}: {_escape_breaks(self.message)}"
        if self.hint:
            text += f" ({_escape_breaks(self.hint)})"
        props = f"file={_gh_escape_property(_escape_breaks(self.path))}"
        if self.line:
            props += f",line={self.line}"
        props += f",title={_gh_escape_property(kind + ' in ' + (field_name or 'file'))}"
        return f"::{kind} {props}::{_gh_escape_data(text)}"


_BREAKS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
"""Control characters (tab aside), including every line break a log reader may split at."""

_COMMAND_START = re.compile(r"\s*(?:::|##)")
"""What a CI system reads as a command at the start of a line (after spaces)."""

_AZURE_COMMAND = re.compile(r"##vso\[", re.IGNORECASE)
"""Azure Pipelines reads ``##vso[`` wherever it is in a line."""


def _escape_breaks(text: str) -> str:
    return _BREAKS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def one_line(text: str) -> str:
    """``text`` as one log line no CI system reads as a command: line breaks and other
    control characters escaped (``\\n``, ``\\x1b``), ``##vso[`` written ``##vso\\[``, and a
    line that would start with ``::`` or ``##`` started with ``> ``."""
    text = _AZURE_COMMAND.sub(lambda m: m.group()[:-1] + "\\[", _escape_breaks(text))
    return "> " + text if _COMMAND_START.match(text) else text


def _gh_escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_property(text: str) -> str:
    return _gh_escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass
class Report:
    """Every problem of one run, kept in the order found and printed sorted."""

    problems: list[Problem] = field(default_factory=list)
    info: list[Problem] = field(default_factory=list)  # notes, see note()

    def error(self, path: str, line: int, field: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(path, line, field, message, "error", hint))

    def warning(self, path: str, line: int, field: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(path, line, field, message, "warning", hint))

    def note(self, path: str, line: int, field: str, message: str, hint: str = "") -> None:
        """Something a contributor may like to know that needs no change (kept apart from
        ``problems``: a note never fails a run, even with --strict)."""
        self.info.append(Problem(path, line, field, message, "note", hint))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Add problems found elsewhere (a worker's check of one file); notes go with the notes."""
        for problem in problems:
            (self.info if problem.severity == "note" else self.problems).append(problem)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.problems if p.severity == "warning")

    @property
    def notes(self) -> list[Problem]:
        return sorted(self.info)

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def to_json(self) -> str:
        """Every problem as JSON: one string per line (JSON escapes line breaks), and Azure's
        ``##vso[`` written ``##vso\\u005b``, which reads back as the same text."""
        text = json.dumps([asdict(p) for p in self.errors + self.warnings + self.notes], indent=2)
        return _AZURE_COMMAND.sub(lambda m: m.group()[:-1] + "\\u005b", text)
