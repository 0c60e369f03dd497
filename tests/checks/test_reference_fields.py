"""The rules for a reference's fields are a unit of the checks (coprod/checks/reference_fields.py):
the BibTeX reader alone cuts, parses and screens the file, and the checks' reader adds the rules."""

from __future__ import annotations

from pathlib import Path

from coprod.checks.reference_fields import load_references
from coprod.cite.bibtex import load_bibliography
from coprod.read.problems import Report

BIB = ("@article{Good2020, author = {Ann Lee}, title = {A study}, journal = {J}, year = {2020}}\n"
       "@article{BadDoi2020, author = {Ann Lee}, title = {A study}, journal = {J}, year = {2020},\n"
       "  doi = {https://doi.org/10.1234/abc}}\n"
       "@misc{Control2020, title = {A\u200bstudy}, year = {2020}}\n")


def test_the_reader_alone_screens_characters_and_the_checks_add_the_field_rules(tmp_path: Path) -> None:
    path = tmp_path / "references.bib"
    path.write_text(BIB, encoding="utf-8")
    read_report = Report()
    read = load_bibliography(path, read_report, "references.bib")
    assert list(read.entries) == ["Good2020", "BadDoi2020"]  # no rules: the DOI's prefix is not the reader's concern
    assert [(p.line, p.field) for p in read_report.errors] == [(4, "references[Control2020].title")]
    checked_report = Report()
    checked = load_references(path, checked_report, "references.bib")
    assert list(checked.entries) == ["Good2020"]
    assert [(p.line, p.field, p.message) for p in checked_report.errors] == [
        (2, "references[BadDoi2020].doi", "DOI 'https://doi.org/10.1234/abc' includes a resolver prefix"),
        (4, "references[Control2020].title", read_report.errors[0].message),
    ]
