"""Every check, declared in two lists, each in the order its checks run.

- :data:`FILE_CHECKS`: the checks of one case study or claim, each a function of the file
  being checked (a :class:`~coprod.checks.subject.Subject`) and the report; each runs only
  on a file that could be read.
- :data:`LIBRARY_CHECKS`: the checks across files (ids, references, case studies named,
  aliases, sources, the rubric, hand-written pages, words of checking, addresses), each a
  function of the whole checked evidence (an :class:`~coprod.checks.across.Across`) and the
  report, run after every file is checked (:func:`coprod.checks.evidence.load_evidence`).

A check is a small named unit of this folder. Adding one is writing its unit, adding one
line to its list and adding its golden file under ``tests/golden/evidence/`` (a folder of
files that break it, and the report it gives). The report prints every problem sorted by
file and line, so the order here is the order of work, not of the messages (one thing
follows from the order: whether a reference is cited is known only after every check that
cites).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..cite.syntax import find_citations
from ..read.kinds import CASE_STUDY, KINDS
from ..read.problems import Report
from . import across, body
from .addresses import check_addresses
from .annotated import check_annotated, plain_text_paths
from .dates import check_dates
from .encodable import check_encodable
from .file_name import check_file_name
from .gripp2 import note_gripp2
from .guidance import check_guidance
from .subject import Subject
from .urlfields import check_url_fields
from .versions import check_versions


@dataclass(frozen=True)
class FileCheck:
    name: str
    run: Callable[[Subject, Report], None]
    kinds: tuple[str, ...] = tuple(KINDS)  # the record kinds it checks


def _guidance(subject: Subject, report: Report) -> None:
    """Template guidance left in the file (read as written: comments are guidance too)."""
    check_guidance(subject.file_text(), report, subject.source.path, 1)


def _schema(subject: Subject, report: Report) -> None:
    subject.schema.check(subject.source, report)


def _annotations(subject: Subject, report: Report) -> None:
    check_annotated(subject.schema, subject.source, subject.vocabularies, report)


def _encodable(subject: Subject, report: Report) -> None:
    check_encodable(subject.source, report, plain_text_paths(subject.schema, subject.source))


def _url_hosts(subject: Subject, report: Report) -> None:
    check_url_fields(subject.schema, subject.source, report)


def _body(subject: Subject, report: Report) -> None:
    """The body is rendered and sanitised here as on the site, so what the page would lose is
    an error now; a body whose shape was rejected is read no further (no citations)."""
    source, record = subject.source, subject.record
    if record.kind == CASE_STUDY.key:  # rendered as on its page, and kept for it (coprod.render.body_html)
        citations, record.body_html = body.check_case_study_body(source.body, report, source.path, source.body_line)
        if citations is not None:
            record.citations = citations
    elif body.check_body(source.body, report, source.path, source.body_line):
        record.citations = find_citations(source.body)


FILE_CHECKS: tuple[FileCheck, ...] = (
    FileCheck("template guidance left in", _guidance, (CASE_STUDY.key,)),
    FileCheck("schema", _schema),
    FileCheck("vocabulary terms, plain text, readability", _annotations),
    FileCheck("characters XML and JSON cannot carry", _encodable),
    FileCheck("web addresses go where they read", _url_hosts),
    FileCheck("id is the file name", check_file_name),
    FileCheck("body: safe markdown, citations", _body),
    FileCheck("dates in order", check_dates),
    FileCheck("GRIPP2 items not reported", note_gripp2, (CASE_STUDY.key,)),
    FileCheck("newest change is the version", check_versions),
)


@dataclass(frozen=True)
class LibraryCheck:
    name: str
    run: Callable[[across.Across, Report], None]


def _addresses(found: across.Across, report: Report) -> None:
    check_addresses(found.evidence, report)


LIBRARY_CHECKS: tuple[LibraryCheck, ...] = (
    LibraryCheck("ids are unique", across.unique_ids),
    LibraryCheck("terms' sources are references", across.term_sources),
    LibraryCheck("fields name references and case studies that exist", across.field_references),
    LibraryCheck("bodies cite references that exist", across.body_citations),
    LibraryCheck("aliases are old ids of one record", across.aliases),
    LibraryCheck("a case study's sources are what it cites", across.sources_listed),
    LibraryCheck("a claim's grade meets the rubric", across.rubric),
    LibraryCheck("hand-written pages cite references that exist", across.page_citations),
    LibraryCheck("published text has no words of checking", across.words_of_checking),
    LibraryCheck("every reference is cited", across.references_cited),  # after every check that cites
    LibraryCheck("no record takes a generated address", _addresses),
)
