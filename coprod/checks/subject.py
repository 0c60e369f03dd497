"""What a check of one file is given: the file, its record as read, its kind's schema and the
taxonomy's terms (see :mod:`coprod.checks.registry`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..read.schema import Schema
from ..read.source import SourceFile
from .records import Record
from .vocabulary import Term


@dataclass
class Subject:
    record: Record  # what was read from the file; a check may add to it (the body check: its citations)
    schema: Schema  # the schema of the record's kind
    vocabularies: dict[str, list[Term]]  # vocabulary -> (key, label, definition) of each term
    path: Path | None = None  # the file on disk, or
    text: str | None = None  # its text as written: when already read (read.source.as_written), or not a file (an earlier version, from git)

    def file_text(self) -> str:
        """The file's text as written (comments included)."""
        if self.text is None:
            assert self.path is not None
            self.text = self.path.read_text(encoding="utf-8", errors="replace")
        return self.text

    @property
    def kind(self) -> str:
        return self.record.kind

    @property
    def source(self) -> SourceFile:
        return self.record.source
