"""The schemas' own annotations (x-vocabulary, x-folder, x-facet, x-computed, ...) are
checked when the schemas are read: a misspelt key or a value of the wrong type is an error
at its file, line and key, with what was expected, never a setting silently ignored."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from helpers import ROOT, make_evidence

from coprod.checks.evidence import load_evidence
from coprod.model.fieldmap import ValuePages
from coprod.read.problems import Report
from coprod.read.schema import ANNOTATION_SCHEMA, AnnotationError, load_schemas

CASE_STUDY = "evidence/schema/case-study.schema.json"


def edited(tmp_path: Path, name: str, *changes: tuple[str, str]) -> tuple[Path, str]:
    """A fixture evidence folder whose schema ``name`` has each (old, new) text replaced once."""
    evidence = make_evidence(tmp_path)
    path = evidence / "schema" / name
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return evidence, text


def line_of(text: str, words: str) -> int:
    return text[:text.index(words)].count("\n") + 1


def problems_of(evidence: Path) -> list[str]:
    report = Report()
    assert load_evidence(evidence, report) is None  # no record is checked against wrong annotations
    return [p.format() for p in report.errors]


def test_the_shipped_schemas_annotations_are_right() -> None:
    assert set(load_schemas(ROOT / "evidence" / "schema")) == {"case-study", "claim", "taxonomy"}


def test_a_misspelt_key_is_an_error_at_its_line(tmp_path: Path) -> None:
    evidence, text = edited(tmp_path, "case-study.schema.json",
                            ('"pages": {"title": "Countries"', '"pages": {"titel": "Countries"'))
    assert problems_of(evidence) == [
        (f"{CASE_STUDY}:{line_of(text, 'titel')}: project.countries[].x-facet.pages.titel: unknown key 'titel' in "
        "x-facet.pages (did you mean 'title'? x-facet.pages takes title, about, none, heading, intro, up, search)")]


def test_a_value_of_the_wrong_type_is_an_error_saying_what_is_expected(tmp_path: Path) -> None:
    evidence, text = edited(tmp_path, "case-study.schema.json",
                            ('"order": 9, "sort": "descending"', '"order": "9", "sort": "newest"'),
                            ('"order": 7, "keywords": true', '"order": 7, "keywords": "yes"'),
                            ('"x-facet": {"name": "feature", "label": "Key feature", "order": 2}', '"x-facet": "feature"'))
    year, setting, feature = (line_of(text, words) for words in ('"9"', '"yes"', '"x-facet": "feature"'))
    assert problems_of(evidence) == [
        (f"{CASE_STUDY}:{year}: project.start_year.x-facet.order: expected a whole number, found text "
        "(the filter's place among the filters, a whole number like 3)"),
        (f"{CASE_STUDY}:{year}: project.start_year.x-facet.sort: 'newest' is not one of: ascending, descending "
        "(the order of a facet's values on its browse pages)"),
        (f"{CASE_STUDY}:{setting}: settings[].x-facet.keywords: expected true or false, found text "
        "(true: its labels are a case study's keywords in the RIS export)"),
        (f"{CASE_STUDY}:{feature}: features[].x-facet: expected a set of fields (a mapping), found text "
        "(the field's filter in the catalogue and in search: name, label, order (and for a facet with no "
        "vocabulary, sort and pages))"),
    ]


def test_a_misspelt_annotation_and_a_missing_name_are_errors(tmp_path: Path) -> None:
    evidence, text = edited(tmp_path, "case-study.schema.json",
                            ('"x-vocabulary": "features"', '"x-vocabluary": "features"'),
                            ('"x-facet": {"name": "barrier", "label"', '"x-facet": {"label"'),
                            ('"x-folder": "outcome-ratings"', '"x-folder": "Outcome ratings"'))
    features, barrier, rating = (line_of(text, words) for words in ("x-vocabluary", '"Barrier"', "Outcome ratings"))
    problems = problems_of(evidence)
    assert problems[0].startswith(f"{CASE_STUDY}:{features}: features[].x-vocabluary: unknown annotation "
                                  "'x-vocabluary' (did you mean 'x-vocabulary'? the annotations are x-vocabulary,")
    assert problems[1:] == [
        (f"{CASE_STUDY}:{barrier}: barriers[].barrier.x-facet: x-facet needs 'name' (add name: the filter's name in "
        "the address and in search: one lower-case word, like \"country\")"),
        (f"{CASE_STUDY}:{rating}: x-computed.outcome_rating.x-folder: 'Outcome ratings' is not in the expected form "
        "(the folder of the field's browse pages: lower-case words joined by hyphens, like \"outcome-ratings\")"),
    ]


def test_one_folder_for_a_vocabulary_and_one_facet_for_a_name(tmp_path: Path) -> None:
    evidence = make_evidence(tmp_path)
    claim = evidence / "schema" / "claim.schema.json"
    schema = json.loads(claim.read_text(encoding="utf-8"))
    schema["properties"]["principles"]["items"]["x-folder"] = "values"
    claim.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    case_study = evidence / "schema" / "case-study.schema.json"
    text = case_study.read_text(encoding="utf-8").replace('"name": "gripp2"', '"name": "rating"')
    case_study.write_text(text, encoding="utf-8")
    with pytest.raises(AnnotationError) as raised:
        load_schemas(evidence / "schema", "evidence/schema")
    claim_line = line_of(claim.read_text(encoding="utf-8"), '"values"')
    principle = line_of(text, '"x-vocabulary": "principles"')
    assert [p.format() for p in raised.value.problems] == [
        (f"{CASE_STUDY}:{line_of(text, 'gripp2_reporting')}: x-computed.gripp2_reporting.x-facet.name: the facet name "
        f"'rating' is already used at case-study.schema.json:{line_of(text, 'outcome_rating')} "
        "(x-computed.outcome_rating) (each filter needs a name of its own)"),
        (f"evidence/schema/claim.schema.json:{claim_line}: principles[].x-folder: x-folder 'values' differs from "
        f"'principles', given for the vocabulary 'principles' at case-study.schema.json:{principle} "
        "(principles[].principle) (a vocabulary has one folder of pages: give the same x-folder, or leave it out here)"),
    ]


def test_the_words_of_a_facets_pages_are_the_models() -> None:
    """The keys x-facet.pages may hold are the words the browse pages read (ValuePages)."""
    pages = ANNOTATION_SCHEMA["$defs"]["facet"]["properties"]["pages"]["properties"]
    assert list(pages) == [f.name for f in dataclasses.fields(ValuePages)]


def test_an_annotation_where_it_is_never_read_is_an_error(tmp_path: Path) -> None:
    """x-facet on a claim's field and x-computed inside a field would be ignored: each is
    reported where it is written."""
    evidence, text = edited(tmp_path, "claim.schema.json",
                            ('"x-vocabulary": "barriers"}', ('"x-vocabulary": "barriers", "x-facet": {"name": "b", '
                             '"label": "B"}, "x-computed": {}}')))
    line = line_of(text, '"x-facet"')
    assert problems_of(evidence) == [
        (f"evidence/schema/claim.schema.json:{line}: barriers[].x-computed: x-computed is read only at the top of "
        "the case-study schema, so it does nothing here (remove it, or move it to the top of case-study.schema.json)"),
        (f"evidence/schema/claim.schema.json:{line}: barriers[].x-facet: x-facet is read only on a case study's "
        "fields (the catalogue and search filter case studies), so it does nothing here (remove it)"),
    ]
