"""Tests for coprod.cite.bibtex: golden bad inputs, the real JabRef export, and fuzzing."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pybtex.errors
import pytest
from helpers import FIXTURES, ROOT, TESTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pybtex.database.input.bibtex import Parser

from coprod.cite.bibtex import (
    DOI_RE,
    REQUIRED_FIELDS,
    Bibliography,
    load_bibliography,
)
from coprod.read.problems import Report

GOLDEN = TESTS / "golden" / "bib"
JABREF = FIXTURES / "bib" / "jabref-participation-studies.bib"
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
    "macro_budget_entry": ["Small2020"],
    "macro_budget_file": [f"Use{i:02d}" for i in range(11)] + ["NoMacros2020"],
    "too_many_fields": ["Fine2020"],
    "control_characters": ["Wrapped2020"],
    "names_with_commas": ["Suffixes2022"],
    "unpublished_fields": ["Ahmed2021", "Baker2022", "Dunn2020"],
}


def load(path: Path) -> tuple[Bibliography, Report]:
    report = Report()
    return load_bibliography(path, report, display_path="references.bib"), report


def formatted(report: Report) -> str:
    return "".join(p.format() + "\n" for p in report.errors + report.warnings + report.notes)


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
    how = ("UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/cite/test_bibliography.py, then review the diff "
           f"(git diff {expected_path.relative_to(ROOT)})")
    assert expected_path.exists(), f"no {expected_path.name}: run {how}"
    assert actual == expected_path.read_text(encoding="utf-8"), f"the messages changed; if that is intended run {how}"
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
    import coprod.cite.bibtex as module

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
    assert any(":1114: references: @Book entry has no key" in m for m in messages)
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


# --------------------------------------------------------------------------- budgets (issue 12.3)

_MACRO = "@string{M = {" + "m" * 10_000 + "}}\n"
_NINE = " # ".join(["M"] * 9)  # 90,000 characters once expanded, under the limit for one field


def _peak_bytes(path: Path) -> tuple[int, Bibliography, Report]:
    import tracemalloc

    tracemalloc.start()
    try:
        bib, report = load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, bib, report


@pytest.mark.parametrize("shape", ["one entry", "one field per entry"])
def test_macro_amplification_is_refused_in_little_memory(tmp_path: Path, shape: str) -> None:
    """The issue's attack: one @string of 10,000 characters used in 2,000 fields. Before the
    budgets it was accepted and took about 200 MB; now it is an error and stays small."""
    if shape == "one entry":
        fields = ",\n".join(f"  f{i} = {_NINE}" for i in range(2000))
        text = _MACRO + f"@misc{{A,\n  title = {{T}},\n  year = {{2020}},\n{fields}\n}}\n"
    else:
        text = _MACRO + "".join(f"@misc{{K{i}, title = {{T}}, year = {{2020}}, note = {_NINE}}}\n" for i in range(2000))
    path = tmp_path / "attack.bib"
    path.write_text(text, encoding="utf-8")
    peak, bib, report = _peak_bytes(path)
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert report.errors
    expanded = sum(len(value) for entry in bib.entries.values() for value in entry.fields.values())
    assert expanded <= 1_000_000 + len(text)
    if shape == "one entry":
        assert [p.format() for p in report.errors] == [(
            "references.bib:2: references[A]: entry has more than 100 fields (a reference needs a few dozen "
            "fields at most; remove the ones it does not need)")]
    else:
        first = report.errors[0]
        assert (first.line, first.field) == (13, "references[K11]")
        assert "more than 1000000 characters in all" in first.message
        from coprod.cite.bibtex import MAX_ENTRIES

        # one error for each entry read past the budget, and one for the entries past MAX_ENTRIES
        assert len(report.errors) == MAX_ENTRIES - 11 + 1
        assert "entries, the limit" in report.errors[-1].message
        assert len(bib.entries) == 11


def test_budgets_count_at_least_what_pybtex_expands(tmp_path: Path) -> None:
    """Text this reader cannot follow (here a syntax error) is counted generously, so pybtex
    can never expand more than the budgets allowed."""
    fields = ", ".join(f"f{i} = M # M" for i in range(15))
    path = tmp_path / "x.bib"
    path.write_text(_MACRO + "@misc{A, title = {T}, year = {2020}, broken = {x} {y}, " + fields + "}\n",
                    encoding="utf-8")
    bib, report = load(path)
    assert not bib.entries
    assert any("for one entry" in p.message for p in report.errors)


def test_chained_strings_count_against_the_file(tmp_path: Path) -> None:
    """@string S1 = H # H, S2 = H # H, ...: each small, together millions of characters."""
    half = "@string{H = {" + "h" * 5_000 + "}}\n"
    path = tmp_path / "chain.bib"
    path.write_text(half + "".join(f"@string{{S{i} = H # H}}\n" for i in range(300)), encoding="utf-8")
    peak, _, report = _peak_bytes(path)
    assert peak < 40 * 1024 * 1024
    assert report.errors[0].line == 102 and report.errors[0].field == "references.@string[S100]"


# --------------------------------------------------------------------------- unpublished fields (15.10)


def test_unpublished_fields_are_set_aside_not_published() -> None:
    bib, report = load(GOLDEN / "unpublished_fields.bib")
    entry = bib.get("Ahmed2021")
    assert entry is not None
    assert set(entry.fields) == {"title", "journal", "year", "volume", "number", "pages", "doi"}
    assert bib.unpublished["Ahmed2021"]["x-private-note"].startswith("Checked against")
    assert "abstract" in bib.unpublished["Dunn2020"] and "url-date" in bib.unpublished["Dunn2020"]
    assert not report.warnings and [p.field for p in report.errors] == ["references[Chen2023].title"]
    (note,) = report.notes
    assert note.message.startswith("4 entries have fields the site does not use")


def test_unpublished_fields_never_fail_strict_validation(tmp_path: Path) -> None:
    import io

    from helpers import make_evidence

    from coprod.cli.validate import run

    evidence = make_evidence(tmp_path)
    bib = evidence / "references.bib"
    text = bib.read_text(encoding="utf-8").replace(
        "  volume  = {8},", "  volume  = {8},\n  abstract = {<jats:p>A <sup>b</sup></jats:p>},\n"
        "  x-private-note = {fact-checked},\n  file = {:a.pdf:PDF},")
    assert "x-private-note" in text
    bib.write_text(text, encoding="utf-8")
    out = io.StringIO()
    code = run([str(evidence), "--docs", str(evidence / "no-docs"), "--strict"], out=out)
    assert code == 0, out.getvalue()
    assert out.getvalue().endswith("No problems found.\n")
    assert "Notes (2), for information only:" in out.getvalue()  # this one and the fixture's GRIPP2 note
    assert "1 entry has fields the site does not use, left out of every page and download: abstract (1), " \
        "file (1) (nothing to fix; they stay in this file)" in out.getvalue()  # x-... fields are private: no word


def test_jabref_export_kept_count_with_unpublished_fields(jabref: tuple[str, Bibliography, Report]) -> None:
    _, bib, report = jabref
    (note,) = report.notes
    assert note.message.startswith("93 entries have fields the site does not use")
    assert "abstract (66)" in note.message
    assert all(not set(e.fields) - {"title", "author", "editor", "year", "month", "journal", "volume", "number",
                                    "pages", "doi", "url", "publisher", "booktitle", "note", "address", "isbn",
                                    "issn", "language", "edition", "series", "type", "school", "institution"}
               for e in bib.entries.values())


def test_every_field_the_site_reads_is_published() -> None:
    """A field the pages or exports read must not be set aside as unpublished."""
    import inspect

    from coprod.cite import csl
    from coprod.cite import references as cite
    from coprod.cite.bibtex import PUBLISHED_FIELDS

    read = {bib for bib, _ in csl.TEXT_FIELDS + csl.VERBATIM_FIELDS} | {"author", "editor"}
    for module in (cite, csl):  # every "name" in field("name"), fields.get("name"), publisher("a", "b"), _first(...)
        for call in re.findall(r'(?:field|fields\.get|publisher|_first)\(([^()]*(?:\([^()]*\))?)', inspect.getsource(module)):
            read |= set(re.findall(r'"([a-z]+)"', call))
    assert len(read) > 20
    assert read <= PUBLISHED_FIELDS, read - PUBLISHED_FIELDS
    assert "abstract" not in PUBLISHED_FIELDS and "x-private-note" not in PUBLISHED_FIELDS


def test_no_test_reads_outside_the_checkout() -> None:
    """A clone of the repository alone must pass its tests (issue 15): no path to ../shared."""
    tests = TESTS
    offenders = []
    for path in [*tests.rglob("*.py"), tests.parent / ".ci" / "run"]:
        text = path.read_text(encoding="utf-8")
        if re.search(r"""\.\./shared|["']shared["']\s*[/,)]|/\s*["']shared["']|\bSHARED\b|/work/""", text) \
                and path != Path(__file__):
            offenders.append(str(path.relative_to(tests.parent)))
    assert not offenders, offenders


def test_written_bibtex_reads_back_the_same(jabref: tuple[str, Bibliography, Report]) -> None:
    """The references.bib download: every value as read. pybtex's own writer turned the
    DOI 10.1007/978-3-031-66127-3_5 into 10.1007/978-3-031-66127-3\\_5."""
    from pybtex.database import parse_string

    from coprod.cite.bibtex import write_bibtex

    _, bib, _ = jabref
    data = parse_string(write_bibtex(bib.entries), "bibtex")
    assert list(data.entries) == list(bib.entries)
    for key, entry in bib.entries.items():
        assert dict(data.entries[key].fields) == dict(entry.fields), key
        assert {r: [str(p) for p in ps] for r, ps in data.entries[key].persons.items()} == \
            {r: [str(p) for p in ps] for r, ps in entry.persons.items()}
    assert data.entries["Struyf2024"].fields["doi"] == "10.1007/978-3-031-66127-3_5"
    assert write_bibtex({}) == ""
