"""The business case cannot be misquoted: its summary's words come from the counts, a
claim graded as an evidence gap says so in its title, and the grading rules are worded
once (on the business case page) and linked from every claim."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from helpers import ROOT, make_evidence

from coprod import site
from coprod.pages.business_case import RUBRIC_ANCHOR, business_case_page
from coprod.pages.listing import claim_title, strength_tally


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    root = tmp_path_factory.mktemp("fixture")
    make_evidence(root)
    loaded = site.load(root / "evidence", display_root=root)
    assert not loaded.report.errors
    return loaded


@pytest.mark.parametrize("source", ["fixture", "shipped"])
def test_the_summary_says_the_counts(build, source: str) -> None:
    library = build.evidence if source == "fixture" else site.load(ROOT / "evidence", display_root=ROOT).evidence
    claims = library.published("claim")
    counts = Counter(record.strength for record in claims)
    said = strength_tally(claims, library)
    assert said.startswith(f"Of the {len(claims)} claim")
    for key, term in library.taxonomy["strengths"].terms.items():
        if counts[key]:
            word = "evidence gap" if key == "gap" else term.label.lower()
            assert re.search(rf"\b{counts[key]} (is |are )?(an )?{word}", said), (key, said)
        elif key == "strong":
            assert said.endswith("none is yet strong.")
    intro = business_case_page(library).content.split("<p>", 1)[1].split("</p>", 1)[0]
    assert said in intro and "most evidence" not in intro.lower()


def test_a_gap_claim_says_so_in_its_title(build) -> None:
    library = build.evidence
    for record in library.published("claim"):
        shown = claim_title(record, library)
        assert shown.startswith("Evidence gap: ") == (record.strength == "gap")
        page = site.generate(build, None)[record.uri]
        assert page.content.startswith("<h1 ") and f">{shown}<a class=\"headerlink\"" in page.content.split("\n", 1)[0]
        assert page.shown_title == shown  # the title MkDocs and other engines take
    listing = business_case_page(library).content
    gap = next(r for r in library.published("claim") if r.strength == "gap")
    assert f">Evidence gap: {gap.title}</a>" in listing


def test_one_rubric_linked_from_every_claim(build) -> None:
    about = (ROOT / "docs" / "about.md").read_text(encoding="utf-8")
    assert "| Rating |" not in about and "●●●" not in about  # no second wording of the rules
    assert f"business-case/index.md#{RUBRIC_ANCHOR}" in about
    pages = site.generate(build, None)
    for uri, page in pages.items():
        if uri.startswith("business-case/") and uri != "business-case/index.md" and uri.endswith(".md"):
            text = page if isinstance(page, str) else page.content
            assert f"#{RUBRIC_ANCHOR}" in text, uri
