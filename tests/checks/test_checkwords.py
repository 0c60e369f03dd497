"""The words of checking: published text is written for readers, working notes stay private."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import ROOT, make_evidence

from coprod.checks.checkwords import check_bib_text, find_checkwords
from coprod.checks.evidence import load_evidence
from coprod.checks.problems import Report


@pytest.mark.parametrize("text, words", [
    ("Article number not confirmed in stored text.", ["stored text"]),
    ("Published 2022 (the brief says 2020).", ["the brief"]),
    ("Candidate for the brief's 'HRA note'.", ["Candidate for", "the brief's"]),
    ("Alternative candidate for the HRA reference.", ["Alternative candidate for"]),
    ("Volume inferred from journal numbering.", ["inferred"]),
    ("Presence in the seed paper's reference list unconfirmed.", ["seed paper", "unconfirmed"]),
    ("The stored NIHR web version is dated 2024.", ["stored NIHR web version"]),
    ("The key's 2019 is unverified.", ["unverified"]),
    ("Several stored\nversions differ.", ["stored versions"]),
    ("Title taken from the page address.", ["taken from the page address"]),
    # the checking notes that reached four claim pages (issue 23)
    ("That the report's source is the Carnegie UK report [@Unwin2018kindness] is likely but not confirmed.",
     ["likely but not confirmed"]),
    ("Which HRA document the roundtable report cites is not confirmed.", ["is not confirmed"]),
    (("The Wellcome study [@Wellcome2020researchculture] is the likely source, though which Wellcome document "
      "the report cites is not confirmed."), ["is the likely source", "is not confirmed"]),
    ("That the report cites these exact documents is not\nconfirmed, but both exist.", ["is not confirmed"]),
])
def test_finds_the_words_of_checking(text: str, words: list[str]) -> None:
    assert [found.words for found in find_checkwords(text)] == words


@pytest.mark.parametrize("text", [
    "Undated web page.",
    "Trials of candidate vaccines with community advisers.",
    "Data were stored securely on NHS servers.",
    "A brief survey, then the brief summary was shared.",
    "The link goes to a page about the report, not the report itself.",
    "Article number 45.",
    "The trial's main hypothesis was not confirmed.",
    "A diagnosis confirmed by a doctor; the likely cause of the delay was funding.",
])
def test_everyday_words_pass(text: str) -> None:
    assert find_checkwords(text) == []


def test_lines_are_counted_within_the_text() -> None:
    found = find_checkwords("first line\nsecond line\nthird: inferred\nfourth: unconfirmed")
    assert [(f.line, f.words) for f in found] == [(3, "inferred"), (4, "unconfirmed")]


def test_bib_warns_on_published_fields_only() -> None:
    text = (
        "% a comment: the brief, stored text and candidate for, never published\n"
        "@misc{Key2020,\n"
        "  title        = {A title},\n"
        "  year         = {2020},\n"
        "  howpublished = {Web page (stored copy)},\n"
        "  note         = {Undated. Volume\n"
        "                  inferred.},\n"
        "  x-private-note = {Volume inferred from numbering; unconfirmed in stored text.}\n"
        "}\n"
        "@misc{Other2021, title = {T}, year = {2021}, note = {Unconfirmed.}}\n"
    )
    report = Report()
    check_bib_text(text, "refs.bib", report)
    got = [(p.line, p.field, p.severity) for p in report.problems]
    assert got == [(5, "references[Key2020].howpublished", "warning"),
                   (7, "references[Key2020].note", "warning"),
                   (10, "references[Other2021].note", "warning")]
    assert all("x-private-note" in p.hint for p in report.problems)


def test_bib_check_can_skip_entries_with_errors() -> None:
    report = Report()
    check_bib_text("@misc{Bad, note = {inferred}}\n@misc{Good, note = {inferred}}\n", "r.bib", report, {"Good"})
    assert [p.field for p in report.problems] == ["references[Good].note"]


def test_validator_warns_with_file_line_and_field(tmp_path: Path) -> None:
    """A published note, a case study body and a docs page each get a warning; the
    private field and drafts do not."""
    evidence = make_evidence(tmp_path)
    bib = evidence / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + (
        "\n@misc{Checked2020,\n  title = {Checked},\n  year = {2020},\n"
        "  note = {Volume inferred from numbering.},\n"
        "  x-private-note = {Candidate for the brief's reference; stored text unconfirmed.}\n}\n"
    ), encoding="utf-8")
    case = next(p for p in sorted((evidence / "case-studies").glob("*.md")) if "status: published" in p.read_text())
    case.write_text(case.read_text(encoding="utf-8") + "\nThe stored copy was cut off.\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "about.md").write_text("# About\n\nSome details were only inferred.\n", encoding="utf-8")
    report = Report()
    load_evidence(evidence, report, citing_dirs=[docs])
    lines = bib.read_text(encoding="utf-8").split("\n")
    note_line = next(i for i, line in enumerate(lines, 1) if "Volume inferred" in line)
    case_line = len(case.read_text(encoding="utf-8").split("\n")) - 1
    warned = {(Path(p.path).name, p.line, p.field) for p in report.warnings if "words of checking" in p.message}
    assert warned == {("references.bib", note_line, "references[Checked2020].note"),
                      (case.name, case_line, "body"),
                      ("about.md", 3, "page")}


def test_claim_bodies_are_checked(tmp_path: Path) -> None:
    """A claim's body, where its evidence is described, is published text too."""
    evidence = make_evidence(tmp_path)
    claim = evidence / "claims" / "relationships-are-core.md"
    text = claim.read_text(encoding="utf-8")
    claim.write_text(text + "\nWhich HRA document the roundtable report cites is not confirmed.\n", encoding="utf-8")
    report = Report()
    load_evidence(evidence, report)
    line = len(claim.read_text(encoding="utf-8").split("\n")) - 1
    warned = [(Path(p.path).name, p.line, p.field, p.severity) for p in report.problems if "words of checking" in p.message]
    assert warned == [("relationships-are-core.md", line, "body", "warning")]


def test_shipped_content_uses_no_words_of_checking() -> None:
    report = Report()
    load_evidence(ROOT / "evidence", report, citing_dirs=[ROOT / "docs"])
    found = [p.format() for p in report.problems if "words of checking" in p.message]
    assert found == []


def test_linear_on_large_input() -> None:
    text = ("stored " * 200_000) + ("candidate " * 200_000) + ("the " * 200_000)
    start = time.perf_counter()
    assert find_checkwords(text) == []
    assert time.perf_counter() - start < 10  # a hang guard, not a benchmark
