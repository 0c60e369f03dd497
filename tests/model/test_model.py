"""The typed model and the field map read from the schema's annotations."""

from __future__ import annotations

import dataclasses

import pytest
from helpers import make_evidence

from coprod.checks.library import load
from coprod.model import CaseStudy, Claim, Note, Outcome, PrincipleUse
from coprod.read.problems import Report


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory):
    report = Report()
    loaded = load(make_evidence(tmp_path_factory.mktemp("model")), report)
    assert loaded is not None, [p.format() for p in report.errors]
    return loaded


def test_records_are_typed_and_frozen(library) -> None:
    case = library.case_studies["peer-researchers"]
    assert isinstance(case, CaseStudy)
    assert case.title == "Peer researchers shaping a community health study"
    assert case.project.start_year == 2019 and case.start_year == 2019 and case.years == "2019–2021"
    assert case.countries == ("United Kingdom",)
    assert case.principles[0] == PrincipleUse("sharing-power", case.principles[0].how)
    assert case.barriers == (Note("bureaucracy", "University payment systems were slow to pay peer researchers."),)
    assert all(isinstance(o, Outcome) and o.sources for o in case.outcomes)
    assert case.uri == "case-studies/peer-researchers.md" and case.path == "evidence/case-studies/peer-researchers.md"
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.title = "changed"  # type: ignore[misc]
    claim = next(iter(library.claims.values()))
    assert isinstance(claim, Claim) and claim.strength in library.taxonomy["strengths"].terms


def test_terms_come_from_the_field_map_with_their_entries(library) -> None:
    case = library.case_studies["peer-researchers"]
    uses = {(u.vocabulary, u.key): u.entry for u in case.terms}
    assert ("settings", "public-health") in uses and uses[("settings", "public-health")] is None
    assert uses[("principles", "reciprocity")] == case.principles[1]
    area = case.outcomes[0]
    assert uses[("outcomes", area.area)] is area and uses[("evidence_kinds", area.evidence)] is not None
    assert case.keys_of("principles") == ["sharing-power", "reciprocity"]


def test_the_field_map_is_the_schemas(library) -> None:
    fields = library.fields
    assert [(f.name, f.label, f.folder) for f in fields.facets] == [
        ("principle", "Principle", "principles"), ("feature", "Key feature", "features"),
        ("barrier", "Barrier", "barriers"), ("enabler", "Enabler", "enablers"),
        ("outcome", "Outcome area", "outcomes"), ("stage", "Research stage", "stages"),
        ("setting", "Setting", "settings"), ("country", "Country", "countries"), ("year", "Year started", "years"),
        ("evidence", "Kind of evidence", "evidence"), ("group", "Who was involved", "groups"),
        ("standard", "UK Standard for Public Involvement", "standards"),
        ("rating", "How well the outcomes are known", "outcome-ratings"),
        ("gripp2", "GRIPP2 short form", "gripp2-reporting")]
    assert fields.browsed("claim") == ("principles", "barriers", "enablers", "outcomes")
    assert library.term_page("evidence_kinds", "measured") == "evidence/measured.md"
    assert library.term_page("strengths", "strong") is None  # graded, not browsed: no pages


