"""How a case study reports its involvement (issue 23): the outcome rating worked out by the
published rule, the GRIPP2 short form and its completeness on the page, and the rules'
own checks in taxonomy.yml."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import edit_record, make_evidence

from coprod.checks.evidence import load_evidence
from coprod.checks.library import load as load_library
from coprod.cite.references import References
from coprod.model import Library
from coprod.pages.case_study import case_study_page
from coprod.read.problems import Report


@pytest.fixture
def evidence(tmp_path: Path) -> Library:
    library = load_library(make_evidence(tmp_path), Report())
    assert library is not None
    return library


def page_of(evidence: Library, record_id: str) -> str:
    record = evidence.case_studies[record_id]
    return case_study_page(record, evidence, References(evidence.bibliography), None).content


def with_evidence(evidence: Library, kinds: list[str]) -> str:
    """The rating of peer-researchers once its outcomes have these kinds of evidence."""
    def edit(data: dict) -> None:
        first = data["outcomes"][0]
        data["outcomes"] = [{**first, "evidence": kind} for kind in kinds]
    edit_record(evidence, "case-study", "peer-researchers", edit)
    return evidence.case_studies["peer-researchers"].outcome_rating


@pytest.mark.parametrize(("kinds", "rating"), [
    (["author-reflection", "independent-evaluation", "measured"], "independent-evaluation"),
    (["participant-reported", "measured"], "measured"),
    (["author-reflection", "participant-reported"], "participant-reported"),
    (["author-reflection"], "author-reflection"),
    (["external-recognition"], "author-reflection"),  # an award shows others valued it, not how well it is known
    (["external-recognition", "participant-reported"], "participant-reported"),
])
def test_the_rating_is_the_strongest_kind_by_the_published_rule(evidence: Library, kinds, rating) -> None:
    assert with_evidence(evidence, kinds) == rating


def test_the_rating_is_shown_as_symbol_and_word_linking_to_its_rule(evidence: Library) -> None:
    with_evidence(evidence, ["measured", "author-reflection"])
    page = page_of(evidence, "peer-researchers")
    badge = ('<a class="coprod-badge coprod-badge--rating coprod-badge--rating-measured" href="../../outcome-ratings/" '
             'title="How this rating is worked out"><span class="coprod-sr-only">How well the outcomes are known: </span>'
             '<span class="coprod-strength" aria-hidden="true">●●●○</span> <span class="coprod-badge__word">Measured</span></a>')
    assert page.count(badge) == 2  # in "At a glance" and above the outcomes


def test_gripp2_items_under_their_headings_and_what_is_missing(evidence: Library) -> None:
    page = page_of(evidence, "peer-researchers")
    section = page.split(">Involvement, as GRIPP2 reports it<", 1)[1].split("\n<h2 ", 1)[0]
    assert ("GRIPP2 short form: 4 of 5 items reported; not reported: reflections/critical perspective."
            in section)
    headings = ["1. Aim", "2. Methods", "3. Study results", "4. Discussion and conclusions",
                "5. Reflections/critical perspective"]
    assert [section.index(f"<dt>{h}</dt>") for h in headings] == sorted(section.index(f"<dt>{h}</dt>") for h in headings)
    assert section.count("Not reported in the sources.") == 1
    assert "<dt>5. Reflections/critical perspective</dt><dd><span class=\"coprod-gripp2__missing\">" in section
    complete = page_of(evidence, "learning-disability-panel")
    assert "GRIPP2 short form: 5 of 5 items reported." in complete and "Not reported in the sources." not in complete


def test_a_case_study_without_gripp2_reports_none_of_the_items(evidence: Library) -> None:
    edit_record(evidence, "case-study", "learning-disability-panel", lambda data: data.pop("gripp2"))
    record = evidence.case_studies["learning-disability-panel"]
    assert record.gripp2_reporting == "two-or-fewer"
    page = page_of(evidence, "learning-disability-panel")
    assert ("GRIPP2 short form: 0 of 5 items reported; not reported: aim, methods, study results, discussion and "
            "conclusions, reflections/critical perspective." in page)
    assert page.count("Not reported in the sources.") == 5


@pytest.mark.parametrize(("old", "new", "message"), [
    ("      kinds: [author-reflection, external-recognition]\n", "      kinds: [author-reflection]\n",
     "evidence_kinds.external-recognition: the kind of evidence 'external-recognition' gives no outcome rating"),
    ("      kinds: [measured]\n", "      kinds: [measurd]\n",
     "outcome_ratings.measured.kinds: unknown evidence kind 'measurd' (did you mean 'measured'?)"),
    ("      counts: [3, 4]\n", "      counts: [3]\n", "gripp2_reporting: 4 items reported is under 0 terms"),
])
def test_the_rules_give_every_case_study_one_value(tmp_path: Path, old: str, new: str, message: str) -> None:
    evidence = make_evidence(tmp_path)
    taxonomy = evidence / "taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    assert text.count(old) == 1
    taxonomy.write_text(text.replace(old, new), encoding="utf-8")
    report = Report()
    load_evidence(evidence, report)
    assert any(message in p.format() for p in report.errors), [p.format() for p in report.errors]
