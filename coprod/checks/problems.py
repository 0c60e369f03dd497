"""Problems found in the evidence: one shape for every check, errors and warnings apart.

Every message a contributor sees is a :class:`Problem` printed as
``path:line: field: message`` (plus a hint where there is one). Checks never raise for bad
input; they add problems to a :class:`Report` and carry on, so one run reports everything.
"""

from __future__ import annotations

import json
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
        """``path:line: field: message`` followed by the hint, as a contributor reads it."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.field or '-'}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def format_github(self) -> str:
        """A GitHub Actions workflow command that annotates the line in the pull request."""
        kind = {"error": "error", "warning": "warning"}.get(self.severity, "notice")
        text = f"{self.field or '-'}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        props = f"file={_gh_escape_property(self.path)}"
        if self.line:
            props += f",line={self.line}"
        props += f",title={_gh_escape_property(kind + ' in ' + (self.field or 'file'))}"
        return f"::{kind} {props}::{_gh_escape_data(text)}"


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
        return json.dumps([asdict(p) for p in self.errors + self.warnings + self.notes], indent=2)
