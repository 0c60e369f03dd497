"""The newest entry of a record's ``changes`` is its current ``version`` (a warning)."""

from __future__ import annotations

from ..read.problems import Report
from .subject import Subject


def check_versions(subject: Subject, report: Report) -> None:
    source = subject.source
    data = source.data
    changes = data.get("changes")
    if isinstance(changes, list) and changes and isinstance(changes[0], dict):
        latest = changes[0].get("version")
        if isinstance(latest, str) and isinstance(data.get("version"), str) and latest != data["version"]:
            report.warning(source.path, source.line_of(("changes", 0, "version")), "changes[0].version",
                           f"the newest change is version {latest} but the record is version {data['version']}",
                           "list the newest change first, with the current version")
