"""Dates in order: a record is updated after it is published, a project ends after it starts."""

from __future__ import annotations

from ..read.problems import Report
from .subject import Subject


def check_dates(subject: Subject, report: Report) -> None:
    source = subject.source
    data = source.data
    published, updated = data.get("published"), data.get("updated")
    if isinstance(published, str) and isinstance(updated, str) and updated < published:
        report.error(source.path, source.line_of(("updated",)), "updated",
                     f"updated ({updated}) is before published ({published})")
    project = data.get("project")
    if isinstance(project, dict):
        start, end = project.get("start_year"), project.get("end_year")
        if isinstance(start, int) and isinstance(end, int) and end < start:
            report.error(source.path, source.line_of(("project", "end_year")), "project.end_year",
                         f"end_year {end} is before start_year {start}")
