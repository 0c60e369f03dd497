"""Golden tests of the generated case-study, claim and business-case pages (HTML from the
templates in overrides/partials/coprod/, a case study's body as markdown in its slot, as
another engine is given it: coprod/export.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from helpers import TESTS, check_golden, make_evidence

from coprod import site
from coprod.pages.home import home_stats
from coprod.render import body_html

GOLDEN = TESTS / "golden" / "records"
EDIT = "https://github.com/example/library/edit/main/"


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("fixture")
    make_evidence(root)
    build = site.load(root / "evidence", display_root=root)
    assert not build.report.errors
    generated = site.generate(build, EDIT)
    generated["index.md"] = home_stats(build.evidence)
    return generated


@pytest.mark.parametrize("uri", [
    "case-studies/peer-researchers.md",
    "case-studies/learning-disability-panel.md",
    "business-case/relationships-are-core.md",
    "business-case/impact-evidence-gap.md",
    "business-case/index.md",
])
def test_page_matches_golden(pages, uri: str) -> None:
    GOLDEN.mkdir(exist_ok=True)
    check_golden(GOLDEN / (uri.replace("/", "__")), body_html.as_markdown(pages[uri].content, pages[uri].body))


def test_home_stats_matches_golden(pages) -> None:
    check_golden(GOLDEN / "home-stats.md", pages["index.md"] + "\n")


def test_case_study_page_has_its_parts(pages) -> None:
    page = pages["case-studies/peer-researchers.md"]
    text = page.content
    for heading in ("At a glance", "Principles it shows", "Outcomes", "The story", "References", "About this page"):
        ident = heading.lower().replace(" ", "-")
        assert f'<h2 id="{ident}">{heading}<a class="headerlink" href="#{ident}"' in text
    assert [token["name"] for token in page.toc[0]["children"]][:2] == ["At a glance", "In plain English"]
    assert f"<a href=\"{EDIT}evidence/case-studies/peer-researchers.md\">Suggest a change" in text
    # the body: the validator's HTML of it, with the citations in, and its markdown for other engines
    assert page.body.html is not None and '<a href="#ref-Example2021peer">' in page.body.html
    assert "](#ref-Example2021peer)" in page.body.markdown and "(#ref-" not in text


def test_every_published_case_study_is_everywhere_it_should_be(tmp_path: Path) -> None:
    make_evidence(tmp_path)
    build = site.load(tmp_path / "evidence", display_root=tmp_path)
    pages = site.generate(build)
    assert site.missing_from_site(build.evidence, pages) == []
    # take one case study out of a term page: the check names it
    page = pages["principles/reciprocity.md"]
    page.lists = frozenset()
    assert site.missing_from_site(build.evidence, pages) == [
        ("evidence/case-studies/peer-researchers.md: case study 'peer-researchers' is missing from the principles "
        "page /principles/reciprocity/")]


def test_hostile_values_are_escaped(tmp_path: Path) -> None:
    evidence = make_evidence(tmp_path)
    path = evidence / "case-studies" / "peer-researchers.md"
    text = path.read_text(encoding="utf-8")
    # values the validator would reject, written straight into the model to test the escaping itself
    build = site.load(evidence, display_root=tmp_path)
    record = build.evidence.case_studies["peer-researchers"]
    project = dataclasses.replace(record.project, name="*bold* <img src=x onerror=alert(1)>", url="javascript:alert(1)")
    build.evidence.case_studies["peer-researchers"] = dataclasses.replace(
        record, title="<script>alert(1)</script> [x](javascript:alert(1))", project=project)
    content = site.generate(build)["case-studies/peer-researchers.md"].content
    content, cite_box = content.split('id="cite-this-page">Cite this page')
    assert "<script>" not in cite_box and "&lt;script&gt;" in cite_box  # inside <pre>, as text
    assert "<script>" not in content and "<img" not in content
    assert "&lt;script&gt;" in content
    # the page is HTML that no Markdown pass reads: link syntax in a value stays text, never a link
    assert 'href="javascript:' not in content and "[x](javascript:alert(1))" in content
    assert text  # the file itself was not touched
