"""The words of checking: published text is written for readers, working notes stay private."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import ROOT, make_evidence

from coprod.checks.checkwords import find_checkwords
from coprod.checks.evidence import load_evidence
from coprod.checks.reference_fields import load_references
from coprod.read.problems import Report


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
    # notes about what was read of a source, which reached "What we do not know" (issue 23)
    ("This case study draws on the article's abstract and its background.", ["draws on the article's abstract"]),
    ("It draws on the abstracts of both articles.", ["draws on the abstracts"]),
    ("This case study draws on the council members' article abstract, a funder's page.",
     ["draws on the council members' article abstract"]),
    ("The case rests on the paper's abstract alone.", ["rests on the paper's abstract"]),
    ("Only the abstract was available; the full text was not.", ["Only the abstract", "full text was not"]),
    ("We could not access the report, and we did not read\nits appendix.", ["We could not access", "we did not read"]),
    ("We couldn\u2019t find the volume.", ["We couldn\u2019t find"]),
    ("Those parts are not summarised here; the report itself was not read.",
     ["not summarised here", "itself was not read"]),
    ("It does not say, in the parts read, who was paid.", ["in the parts read"]),
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
    # the same words in everyday use
    "Titles and abstracts were screened by two reviewers.",
    "The design draws on the abstract ideas of play, and on the team's own experience.",
    "Only the abstract concepts were hard to explain.",
    "The conference abstract reports 58 participants.",
    "We did not find a difference between the groups.",
    "We leave out what we could not confirm.",
    "Children who could not read took part with support; I could not read the forms.",
    "The full text of the guide is on the charity's web site.",
])
def test_everyday_words_pass(text: str) -> None:
    assert find_checkwords(text) == []


def test_lines_are_counted_within_the_text() -> None:
    found = find_checkwords("first line\nsecond line\nthird: inferred\nfourth: unconfirmed")
    assert [(f.line, f.words) for f in found] == [(3, "inferred"), (4, "unconfirmed")]


def bib_warnings(folder: Path, text: str) -> list:
    """The words-of-checking warnings for a .bib file of ``text``, as the validator reads it."""
    path = folder / "refs.bib"
    path.write_text(text, encoding="utf-8")
    report = Report()
    load_references(path, report, "refs.bib")
    return [p for p in report.problems if "words of checking" in p.message]


def test_bib_warns_on_published_fields_only(tmp_path: Path) -> None:
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
    got = [(p.path, p.line, p.field, p.severity) for p in bib_warnings(tmp_path, text)]
    assert got == [("refs.bib", 5, "references[Key2020].howpublished", "warning"),
                   ("refs.bib", 7, "references[Key2020].note", "warning"),
                   ("refs.bib", 10, "references[Other2021].note", "warning")]
    assert all("x-private-note" in p.hint for p in bib_warnings(tmp_path, text))


def test_bib_check_skips_entries_with_errors(tmp_path: Path) -> None:
    """An entry the reader rejects (here: no year) is reported for that, not for its words."""
    warned = bib_warnings(tmp_path, "@misc{Bad, title = {T}, note = {inferred}}\n"
                                    "@misc{Good, title = {T}, year = {2020}, note = {inferred}}\n")
    assert [p.field for p in warned] == ["references[Good].note"]


def test_bib_check_reads_fields_as_the_bibliography_reader_cuts_them(tmp_path: Path) -> None:
    """A quoted value holding a comma is one field, and an entry in parentheses is an entry,
    as load_bibliography reads them (the check once had its own cutter, which split the
    first at the comma and skipped the second); lines are counted on across fields."""
    warned = bib_warnings(tmp_path, '@misc{Quoted, title = {T}, year = {2020}, note = "Dated 2020, volume inferred"}\n'
                                    "@misc(Parens, title = {T},\n  year = {2021},\n\n  note = {Unconfirmed.})\n")
    assert [(p.line, p.field) for p in warned] == [(1, "references[Quoted].note"), (5, "references[Parens].note")]


def test_references_bib_is_read_once(tmp_path: Path, monkeypatch) -> None:
    """The words of checking in references.bib come from the one reading of the file: the
    validator opens it once (it once read it a second time, with a cutter of its own)."""
    evidence = make_evidence(tmp_path)
    opened: list[Path] = []
    real = Path.read_bytes, Path.read_text

    def read_bytes(self: Path) -> bytes:
        opened.append(self) if self.name == "references.bib" else None
        return real[0](self)

    def read_text(self: Path, *args, **kwargs) -> str:
        opened.append(self) if self.name == "references.bib" else None
        return real[1](self, *args, **kwargs)

    monkeypatch.setenv("COPROD_NO_CACHE", "1")
    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "read_text", read_text)
    load_evidence(evidence, Report())
    assert len(opened) == 1, opened


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


def test_reading_notes_in_a_case_study_are_warned(tmp_path: Path) -> None:
    """A note about what was read, left under "What we do not know", is a warning naming the
    file, the line and the field; the same words in a private note are not."""
    evidence = make_evidence(tmp_path)
    case = next(p for p in sorted((evidence / "case-studies").glob("*.md")) if "status: published" in p.read_text())
    case.write_text(case.read_text(encoding="utf-8") + (
        "\n## What we do not know\n\nThis case study draws on the paper's abstract; the full text was not available.\n"
    ), encoding="utf-8")
    bib = evidence / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + (
        "\n@misc{Read2020,\n  title = {Read},\n  year = {2020},\n"
        "  x-private-note = {Only the abstract was read; we could not access the full text.}\n}\n"
    ), encoding="utf-8")
    report = Report()
    load_evidence(evidence, report)
    line = len(case.read_text(encoding="utf-8").split("\n")) - 1
    warned = [(Path(p.path).name, p.line, p.field, p.severity) for p in report.problems if "words of checking" in p.message]
    assert warned == [(case.name, line, "body", "warning"), (case.name, line, "body", "warning")]
    assert all("says what was read of a source" in p.message for p in report.problems if "words of checking" in p.message)


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
    text = (("stored " * 200_000) + ("candidate " * 200_000) + ("the " * 200_000)
            + ("draws on the " * 100_000) + ("only the " * 100_000) + ("we could not " * 100_000))
    start = time.process_time()  # this process's CPU: a busy machine does not slow it, a backtracking regex does
    assert find_checkwords(text) == []
    assert time.process_time() - start < 10  # a hang guard, not a benchmark


def test_words_found_where_each_file_is_checked_are_warned_the_same(tmp_path: Path, monkeypatch) -> None:
    """A file's words of checking are looked for where the file is checked (a worker process
    in a large folder) and warned of with the checks across files: in worker processes, in
    this process and from the cache (which keeps no findings) the warnings are the same."""
    monkeypatch.delenv("COPROD_NO_CACHE", raising=False)
    evidence = make_evidence(tmp_path)
    case = evidence / "case-studies" / "learning-disability-panel.md"
    text = case.read_text(encoding="utf-8")
    assert "status: published" in text
    case.write_text(text.replace("    how: The panel met over two years with the same researchers.",
                                 "    how: The panel met over two years (volume inferred).")
                    + "\nOnly the abstract was read; the stored text is unconfirmed.\n", encoding="utf-8")

    def warned(**options) -> list[str]:
        report = Report()
        load_evidence(evidence, report, **options)
        return [p.format() for p in report.problems if "words of checking" in p.message]

    one = warned(workers=1)
    assert [w.split(": ")[0:2] for w in one] == [[f"evidence/case-studies/{case.name}:31", "principles[0].how"]] + [
        [f"evidence/case-studies/{case.name}:{len(case.read_text(encoding='utf-8').split(chr(10))) - 1}", "body"]] * 3
    assert warned(workers=2) == one
    assert warned(workers=1, cache_dir=tmp_path / "cache") == one  # checked and stored
    assert warned(workers=1, cache_dir=tmp_path / "cache") == one  # read from the cache


def _each_text_alone(record) -> list:
    """What record_findings finds, found the plain way: each field, then the body, on its own."""
    from coprod.checks.checkwords import _strings

    found = [(path, f) for path, value in _strings(record.source.data, ())
             if path[-1:] != ("consent_reference",) for f in find_checkwords(value)]
    return found + [(None, f) for f in find_checkwords(record.source.body)]


def _record(data: dict, body: str):
    from coprod.checks.records import Record
    from coprod.read.source import SourceFile

    source = SourceFile("x.md")
    source.data, source.body = data, body
    return Record("case-study", source)


@pytest.mark.parametrize("data, body", [
    # a phrase cut in two by the end of a field is no phrase; a whole one at a field's end or start is
    ({"a": "we could not", "b": "access the report"}, "verify it"),
    ({"a": "only the abstract", "b": "ideas came first"}, "abstract\nideas"),
    ({"a": ["the", "brief"], "b": "stored"}, "text was inferred"),
    ({"a": "Full text", "b": "was not"}, "found Stored\nCopies here"),
    # a lookahead at a field's end sees no space: "only the abstract" then "ideas" is still found
    ({"how": "Only the Abstract"}, "ideas"),
    # the private field is never searched, the body always last
    ({"involved": [{"name": "A", "consent_reference": "inferred from the brief"}], "x": "unverified"}, "unconfirmed"),
    # not ASCII in one text: every text searched case-insensitively, ſ read as s; a NUL in a value
    ({"a": "ſtored text", "b": "Unverified", "c": "a\x00inferred\x00b"}, "Zoë: the brief\nsays so"),
    ({}, ""),
])
def test_one_search_of_a_record_finds_what_a_search_of_each_text_finds(data: dict, body: str) -> None:
    from coprod.checks.checkwords import record_findings

    record = _record(data, body)
    assert record_findings(record) == _each_text_alone(record)


def test_one_search_of_random_records_finds_what_each_text_finds() -> None:
    """Random records of phrase pieces, line breaks and joints: the joined search and the
    search of each text alone agree on every finding, its field, line and words."""
    import random

    from coprod.checks.checkwords import record_findings

    pieces = ["the", "brief", "stored", "text", "only", "abstract", "ideas", "we", "could", "not", "access",
              "full", "was", "inferred", "Unconfirmed", "candidate", "for", "is", "likely", "source", "\n", " ",
              "’", "couldn’t", "find", "draws", "on", "its", "abstracts", "itself", "read", "ſeed", "paper", "-"]
    rng = random.Random(25)

    def text() -> str:
        return " ".join(rng.choice(pieces) for _ in range(rng.randrange(0, 8)))

    found = 0
    for _ in range(3000):
        data = {f"f{i}": (text() if rng.random() < 0.7 else [text(), text()]) for i in range(rng.randrange(0, 5))}
        record = _record(data, text())
        expected = _each_text_alone(record)
        assert record_findings(record) == expected, (data, record.source.body)
        found += len(expected)
    assert found > 500  # the random texts do hold words of checking


def test_each_pattern_is_the_alternation_of_its_alternatives() -> None:
    import re

    from coprod.checks.checkwords import _PATTERNS, _branches

    for pattern, _ in _PATTERNS:
        branches = _branches(pattern)
        assert "|".join(branches) == pattern
        for branch in branches:
            re.compile(branch)  # each a whole regex: no group or class cut open
    assert _branches(r"a(?:b|[)|\]])|[^]|]|\||c") == [r"a(?:b|[)|\]])", "[^]|]", r"\|", "c"]


def test_the_quick_search_finds_what_the_patterns_find_in_random_text() -> None:
    """The search of an ASCII text for the alternatives whose words it holds, lower-cased,
    finds what each pattern, case-insensitive, finds: the same words at the same places, for
    the same reason."""
    import random
    import re

    from coprod.checks.checkwords import _PATTERNS

    whole = re.compile("|".join(rf"\b(?P<p{i}>{p})" for i, (p, _) in enumerate(_PATTERNS)), re.IGNORECASE)
    pieces = ["The", "brief", "BRIEF's", "survey", "stored", "Text", "only", "abstract", "ideas", "we", "could", "not",
              "couldn't", "access", "full", "texts", "were", "unavailable", "inferred", "Unconfirmed", "candidate",
              "for", "is", "are", "yet", "confirmed", "likely", "source", "\n", "  ", "draws", "on", "its", "article's",
              "abstracts", "alone", "itself", "themselves", "was", "read", "seed", "paper", "references", "vary",
              "between", "sources", "in", "the", "parts", "summarized", "here", "taken", "from", "page", "address",
              "did", "check", "relied", "mainly", "an", "already", "findings", "-", ".", "Zoë", "ſtored", "’"]
    rng = random.Random(2025)
    found = 0
    for _ in range(4000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12)))
        expected = [(m.start(), " ".join(m.group().split()), _PATTERNS[int(m.lastgroup[1:])][1])
                    for m in whole.finditer(text)]
        lines = [text.count("\n", 0, start) + 1 for start, _, _ in expected]
        assert [(f.line, f.words, f.why) for f in find_checkwords(text)] == \
            [(line, words, why) for line, (_, words, why) in zip(lines, expected)], text
        found += len(expected)
    assert found > 500  # the random texts do hold words of checking


def test_each_alternative_led_by_its_words_finds_what_it_finds() -> None:
    """Each alternative searched in its word-led forms (first letters, a look back for the
    word's start, the rest) finds what the alternative after ``\\b`` finds, in random text."""
    import random
    import re

    from coprod.checks.checkwords import _ALTERNATIVES, _lower_search, _word_led

    rng = random.Random(11)
    words = ["the", "brief", "is", "are", "not", "yet", "confirmed", "was", "were", "itself", "themselves", "read",
             "rests", "rest", "rested", "relies", "on", "its", "abstract", "abstracts", "alone", "only", "just",
             "alternative", "candidate", "candidates", "for", "we", "could", "couldn't", "access", "full", "text",
             "texts", "in", "parts", "summarised", "here", "x", "thebrief", "unrest", "-", "'", "\n", "  ",
             # a phrase after letters that are not its word's start: found only with the look back dropped
             "this not confirmed", "unrest on the abstract", "awe could not access", "bin the parts read",
             "scandidate for", "breeds on the abstract"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 10))) for _ in range(3000)]
    for n, (_, branch) in enumerate(_ALTERNATIVES):
        assert _word_led(branch.lower()) is not None, branch  # every alternative has them
        plain = re.compile(rf"\b(?:{branch.lower()})")
        led = _lower_search((n,))
        for text in texts:
            assert [m.span() for m in led.finditer(text)] == [m.span() for m in plain.finditer(text)], (branch, text)
