"""A record's id is its file's name: the id is its page's address, the file name is where a
contributor finds it."""

from __future__ import annotations

from pathlib import Path

from ..read.problems import Report
from .subject import Subject


def check_file_name(subject: Subject, report: Report) -> None:
    record, source = subject.record, subject.source
    expected = Path(source.path).stem
    if record.id and record.id != expected:
        report.error(source.path, source.line_of(("id",)), "id",
                     f"id '{record.id}' must equal the file name '{expected}'",
                     f"rename the file to {record.id}.md or set id: {expected}")
