"""The checked evidence as the model the pages read: the one way from a folder to a Library.

The model (:mod:`coprod.model`) is built from checked records and knows nothing of the
checker; this is where the two meet.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Library, Record, case_study, claim, library
from ..model.fieldmap import FieldMap
from ..read.kinds import CASE_STUDY
from ..read.source import SourceFile
from ..read.taxonomy import Taxonomy
from . import evidence  # its load_evidence is looked up when called (a test build replaces it)
from .records import Record as RawRecord


def load(folder: Path, report, **options) -> Library | None:
    """Check the evidence folder and build its model; None if it has errors (all in ``report``).
    ``options`` go to :func:`coprod.checks.evidence.load_evidence`."""
    loaded = evidence.load_evidence(folder, report, **options)
    return library(loaded) if loaded is not None and not report.errors else None


def with_front_matter(record: Record, data: dict, fields: FieldMap, taxonomy: Taxonomy | None = None) -> Record:
    """A copy of ``record`` built from other front matter, as the loader builds it (for
    tools and tests that try a change without writing a file)."""
    raw = RawRecord(record.kind, SourceFile(record.path, data=data, body=record.body), list(record.citations))
    return case_study(raw, fields, taxonomy) if record.kind == CASE_STUDY.key else claim(raw, fields)
