"""Tests for coprod.bibliography: golden bad inputs, the real JabRef export, and fuzzing."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pybtex.errors
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex.database.input.bibtex import Parser

from coprod.bibliography import (
    DOI_RE,
    REQUIRED_FIELDS,
    Bibliography,
    load_bibliography,
)
from coprod.problems import Report

GOLDEN = Path(__file__).parent / "golden" / "bib"
JABREF = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "jabref-participation-studies.bib"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# Keys each golden case must keep, in file order.
KEPT: dict[str, list[str]] = {
    "markup-in-fields": ["Good2020"],
    "bad_doi": ["GoodDoi2020"],
    "bad_key": ["Good:key-1.2_x"],
    "billion_laughs": ["Small2020"],
    "bom": ["Bom2020"],
    "comments_and_parens": ["Paren2020", "Brace2020"],
    "data_url": [],
    "doi_prefix": [],
    "duplicate_key": ["Smith2020"],
    "duplicate_key_case": ["Smith2020", "Jones2021"],
    "anchor_collision": ["Smith2020.a", "Jones2021"],
    "empty": [],
    "javascript_url": ["Good2020"],
    "missing_required": ["Edited2020"],
    "non_utf8": ["Fine2020"],
    "string_self_reference": ["Fine2020"],
    "syntax_error": ["Fine2020"],
    "undefined_macro": ["Good2020"],
    "unknown_type": ["Fine2020"],
    "unterminated": ["After2020", "Last2020"],
    "url_tricks": ["Upper2020"],
    "utf16": [],
}


def load(path: Path) -> tuple[Bibliography, Report]:
    report = Report()
    return load_bibliography(path, report, display_path="references.bib"), report


def formatted(report: Report) -> str:
    return "".join(p.format() + "\n" for p in report.errors + report.warnings)


def golden_cases() -> list[str]:
    return sorted(p.stem for p in GOLDEN.glob("*.bib"))


def test_every_golden_case_has_kept_keys() -> None:
    assert set(golden_cases()) == set(KEPT)
    bad = [name for name in golden_cases() if name != "empty"]
    assert len(bad) >= 16


@pytest.mark.parametrize("name", golden_cases())
def test_golden(name: str) -> None:
    bib, report = load(GOLDEN / f"{name}.bib")
    actual = formatted(report)
    expected_path = GOLDEN / f"{name}.expected"
    if UPDATE:
        expected_path.write_text(actual, encoding="utf-8")
    assert expected_path.exists(), f"no {expected_path.name}: run with UPDATE_GOLDEN=1"
    assert actual == expected_path.read_text(encoding="utf-8")
    assert list(bib.entries) == KEPT[name]
    assert list(bib.lines) == KEPT[name]
    if name not in ("empty", "bom", "comments_and_parens"):
        assert report.errors, "a bad input must produce at least one error"


def test_lines_point_at_entry_start() -> None:
    bib, _ = load(GOLDEN / "unterminated.bib")
    assert bib.lines == {"After2020": 4, "Last2020": 11}


def test_get_and_lookup_folded() -> None:
    bib, _ = load(GOLDEN / "duplicate_key_case.bib")
    assert bib.get("Smith2020") is not None
    assert bib.get("smith2020") is None
    assert bib.lookup_folded("SMITH2020") == "Smith2020"
    assert bib.lookup_folded("Nobody") is None


def test_macros_are_expanded() -> None:
    bib, _ = load(GOLDEN / "undefined_macro.bib")
    entry = bib.get("Good2020")
    assert entry is not None
    assert entry.fields["journal"] == "Journal of Autism"
    assert entry.fields["month"] == "October"


def test_required_fields_and_doi_re_are_public() -> None:
    assert ("author", "editor") in REQUIRED_FIELDS["book"]
    assert DOI_RE.match("10.1234/abc")
    assert not DOI_RE.match("https://doi.org/10.1234/abc")


def test_missing_file_is_reported(tmp_path: Path) -> None:
    bib, report = load(tmp_path / "nope.bib")
    assert not bib.entries
    assert report.errors


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import coprod.bibliography as module

    monkeypatch.setattr(module, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.bib"
    path.write_text("@misc{A, title = {T}, year = {2020}}\n", encoding="utf-8")
    bib, report = load(path)
    assert not bib.entries
    assert "more than the limit" in report.errors[0].message


def test_default_display_path_is_the_path(tmp_path: Path) -> None:
    path = tmp_path / "x.bib"
    path.write_text("@misc{A, year = {2020}}\n", encoding="utf-8")
    report = Report()
    load_bibliography(path, report)
    assert report.errors[0].path == str(path)


# --------------------------------------------------------------------------- JabRef


def _entry_chunks(text: str) -> list[tuple[int, str]]:
    """(line, text) of each non-comment entry, cut independently at lines starting with '@'."""
    starts = [m.start() for m in re.finditer(r"^@", text, re.MULTILINE)]
    chunks = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        chunk = text[start:end]
        if not chunk.lower().startswith(("@comment", "@string", "@preamble")):
            chunks.append((text.count("\n", 0, start) + 1, chunk))
    return chunks


def _pybtex_alone(chunk: str) -> str | None:
    """The key if plain pybtex parses this one entry without complaint, else None."""
    with pybtex.errors.capture() as captured:
        try:
            data = Parser().parse_string(chunk)
        except Exception:  # noqa: BLE001
            return None
    if captured or len(data.entries) != 1:
        return None
    return next(iter(data.entries))


@pytest.fixture(scope="module")
def jabref() -> tuple[str, Bibliography, Report]:
    if not JABREF.exists():
        pytest.fail(f"the JabRef corpus is missing: expected it at {JABREF}")
    bib, report = load(JABREF)
    return JABREF.read_text(encoding="utf-8"), bib, report


def test_jabref_good_entries_are_the_ones_pybtex_parses_minus_rule_failures(
    jabref: tuple[str, Bibliography, Report],
) -> None:
    text, bib, report = jabref
    chunks = _entry_chunks(text)
    problem_lines = {p.line for p in report.errors}
    parseable = {}
    for line, chunk in chunks:
        key = _pybtex_alone(chunk)
        if key is None:
            assert line in problem_lines, f"entry at line {line} fails pybtex but was not reported"
        else:
            parseable[key] = line
    # Everything kept is something pybtex parses alone, at the same line.
    for key, line in bib.lines.items():
        assert parseable.get(key) == line
    # Everything pybtex parses but was not kept broke one of our rules, reported at its line.
    for key, line in parseable.items():
        if key not in bib.entries:
            assert line in problem_lines, f"{key} (line {line}) dropped without a problem"
    rejected_by_rules = [k for k in parseable if k not in bib.entries]
    assert len(bib.entries) == len(parseable) - len(rejected_by_rules)
    # 68 pass pybtex and the field rules; two of those carry JabRef's "&amp;" in a journal name
    assert (len(chunks), len(parseable), len(bib.entries)) == (96, 95, 66)


def test_jabref_every_problem_points_into_its_entry(jabref: tuple[str, Bibliography, Report]) -> None:
    text, _, report = jabref
    lines = text.split("\n")
    assert report.errors
    for problem in report.errors + report.warnings:
        assert problem.line >= 1
        start = problem.line
        while start > 1 and not lines[start - 1].startswith("@"):
            start -= 1
        assert lines[start - 1].startswith("@"), problem.format()
        if problem.line != start:
            # inside the entry: no closing line between its start and the problem
            assert not any(line.startswith("}") for line in lines[start - 1 : problem.line - 1])


def test_jabref_expected_kinds_of_trouble(jabref: tuple[str, Bibliography, Report]) -> None:
    _, bib, report = jabref
    messages = [p.format() for p in report.errors]
    assert any(":1195: references: @Book entry has no key" in m for m in messages)
    assert any("Fletcher‐Watson2021]" in m and "characters that are not allowed" in m for m in messages)
    assert any("references[Lewis2023].journal" in m for m in messages)
    assert any("references[DesormeauxMoreau2024].booktitle" in m for m in messages)
    assert "2018" in bib.entries  # month = oct is a standard macro
    assert bib.get("2018").fields["month"] == "October"  # type: ignore[union-attr]


# --------------------------------------------------------------------------- fuzzing

VALID = (GOLDEN / "undefined_macro.bib").read_text(encoding="utf-8") + (GOLDEN / "comments_and_parens.bib").read_text(
    encoding="utf-8"
)
BIB_TOKENS = st.sampled_from(list('@{}()"#=,%\n \t\\abcxyzAZ019-:.') + ["string", "article", "misc", "doi", "url"])


def bib_text(max_tokens: int) -> st.SearchStrategy[str]:
    return st.lists(BIB_TOKENS, max_size=max_tokens).map("".join)


def _check_never_raises(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.bib"
    path.write_bytes(data)
    report = Report()
    bib = load_bibliography(path, report, display_path="references.bib")
    assert isinstance(bib, Bibliography)
    for problem in report.problems:
        problem.format()
        assert "internal error" not in problem.message, problem.format()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bib_text(300) | st.text(max_size=200))
def test_random_text_never_raises(tmp_path: Path, text: str) -> None:
    _check_never_raises(tmp_path, text.encode("utf-8", errors="surrogatepass"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.integers(0, len(VALID)), st.integers(0, 5), bib_text(5)),
        min_size=1,
        max_size=6,
    )
)
def test_mutated_valid_bib_never_raises(tmp_path: Path, edits: list[tuple[int, int, str]]) -> None:
    text = VALID
    for pos, cut, insert in edits:
        pos = min(pos, len(text))
        text = text[:pos] + insert + text[pos + cut :]
    _check_never_raises(tmp_path, text.encode("utf-8"))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200))
def test_random_bytes_never_raise(tmp_path: Path, data: bytes) -> None:
    _check_never_raises(tmp_path, data)
