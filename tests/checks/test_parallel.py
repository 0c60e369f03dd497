"""Files checked in worker processes come back as they were checked: the compact form a
worker's result travels in (coprod.checks.evidence) gives back equal records and problems."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import TESTS, make_evidence

from coprod.checks import evidence as ev
from coprod.checks.evidence import _check_packed, _unpack, check_record_file, load_evidence
from coprod.read.problems import Report


class Text(str):
    """Text of a type of its own."""


GOLDEN = sorted(p for p in (TESTS / "golden" / "evidence").iterdir() if p.is_dir())


def _record_files(evidence: Path):
    for kind, folder in ev.KIND_FOLDERS.items():
        for path in sorted((evidence / folder).glob("*.md")):
            yield kind, path, f"evidence/{folder}/{path.name}"


@pytest.mark.parametrize("case", [None, *GOLDEN], ids=lambda case: case.name if case else "fixture")
def test_a_result_comes_back_equal(tmp_path: Path, case: Path | None) -> None:
    """Every record file of the fixture and of each bad input: the record and problems read
    back from a worker's bytes equal the ones checked here."""
    evidence = make_evidence(tmp_path, case)
    load_evidence(evidence, Report(), workers=1)  # the context the workers have (schemas, vocabularies)
    ways = set()
    for job in _record_files(evidence):
        packed = _check_packed(*job)
        record, problems = check_record_file(*job)
        assert _unpack(packed) == (record, problems)
        assert _unpack(packed)[0].checkwords == record.checkwords  # not compared by ==
        ways.add(packed[:1])
    assert ways == {ev._MARSHALLED} or case is not None  # the fixture's files all travel the quick way


def test_what_marshal_cannot_write_goes_pickled(tmp_path: Path) -> None:
    """A value of a type marshal refuses (the reader never makes one for a record, but a
    result is not assumed to be plain) travels pickled, and comes back equal."""
    evidence = make_evidence(tmp_path)
    load_evidence(evidence, Report(), workers=1)
    kind, path, display = next(_record_files(evidence))
    record, problems = check_record_file(kind, path, display)
    record.source.data["title"] = Text(record.source.data["title"])
    packed = ev._to_bytes((record, problems))
    assert packed[:1] == ev._PICKLED
    assert _unpack(packed) == (record, problems)


def test_worker_processes_report_as_one_process(tmp_path: Path, monkeypatch) -> None:
    """The same problems, in the same order, and the same records, checked in two worker
    processes as in this one."""
    monkeypatch.setenv("COPROD_NO_CACHE", "1")  # each load checks every file
    evidence = make_evidence(tmp_path, TESTS / "golden" / "evidence" / "yaml-duplicate-key")

    def load(workers: int):
        report = Report()
        loaded = load_evidence(evidence, report, workers=workers)
        return [p.format() for p in report.problems], loaded.case_studies, loaded.claims

    assert load(2) == load(1)
