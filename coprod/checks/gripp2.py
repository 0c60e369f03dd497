"""The GRIPP2 short form's items a case study leaves out: a note, never an error."""

from __future__ import annotations

from ..read.problems import Report
from .subject import Subject


def note_gripp2(subject: Subject, report: Report) -> None:
    """A notice (never fatal, even with --strict) naming the GRIPP2 short-form items a case
    study does not report: sources often leave items out, and saying so is honest."""
    source, schema = subject.source, subject.schema
    items = (schema.field_schema(("gripp2",)) or {}).get("properties", {})
    gripp2 = source.data.get("gripp2")
    given = gripp2 if isinstance(gripp2, dict) else {}
    missing = [name for name in items if not given.get(name)]
    if not missing:
        return
    where = ("gripp2",)  # a case study without the block: the note is where the block belongs
    line = source.line_of(where) if where in source.lines else schema.where_it_belongs(where, source, 1, "")[0]
    report.note(source.path, line, "gripp2",
                f"GRIPP2 short form: {len(items) - len(missing)} of {len(items)} items reported; not reported: "
                + ", ".join(missing),
                "if the sources report an item, add it; if they do not, leaving it out is right")
