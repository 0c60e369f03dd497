"""Search with Pagefind: the attributes pages carry, the index and its checks, the header
override and the scripts' safety. No browser here (tests/browser/test_search.py)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from helpers import ROOT

from coprod import search, site
from coprod.model import Library
from coprod.read import urls

SCRIPTS = ROOT / "docs" / "assets" / "javascripts"


@pytest.fixture(scope="module")
def evidence() -> Library:
    build = site.load(ROOT / "evidence")
    assert build.evidence is not None and not build.report.errors
    return build.evidence


def test_case_study_markup(evidence: Library) -> None:
    record = evidence.case_studies["partners2-mental-health"]
    markup = search.pagefind_markup(record, evidence)
    assert markup.startswith('<div hidden data-pagefind-ignore data-pagefind-sort="order:')
    assert '<span data-pagefind-filter="kind">case-study</span>' in markup
    assert '<span data-pagefind-filter="principle">reciprocity</span>' in markup
    assert '<span data-pagefind-filter="setting">mental-health</span>' in markup
    assert '<span data-pagefind-filter="country">united-kingdom</span>' in markup
    assert re.search(r'<span data-pagefind-filter="year">\d{4}</span>', markup)
    assert '<span data-pagefind-meta="title">PARTNERS2' in markup
    assert '<span data-pagefind-meta="principles">Sharing power; ' in markup


def test_every_catalogue_facet_is_a_filter(evidence: Library) -> None:
    names = set()
    for record in evidence.published("case-study"):
        names |= set(re.findall(r'data-pagefind-filter="([a-z0-9]+)"', search.pagefind_markup(record, evidence)))
    assert names >= {"principle", "barrier", "enabler", "outcome", "stage", "setting", "country", "year",
                     "evidence", "kind"}
    assert {"rating", "gripp2"} <= names  # worked out for every case study
    # no shipped case study names a feature, a group or a standard yet
    assert {f.name for f in evidence.fields.facets} - {"feature", "group", "standard"} <= names


def test_markup_escapes_what_contributors_wrote(evidence: Library) -> None:
    record = dataclasses.replace(evidence.case_studies["partners2-mental-health"],
                                 title='<img src=x onerror=alert(1)>"quoted"', summary="a </span><script>alert(1)</script>")
    markup = search.pagefind_markup(record, evidence)
    assert "<img" not in markup and "<script>" not in markup and "</span><script" not in markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in markup


def test_sort_key_is_the_catalogue_order(evidence: Library) -> None:
    from coprod.pages.listing import sort_case_studies

    records = evidence.published("case-study")
    assert sorted(records, key=search.sort_key) == sort_case_studies(records)


def test_only_records_topic_pages_and_hand_written_pages_are_searchable(evidence: Library) -> None:
    from coprod.pages.citing import HOW_TO_CITE

    markups = search.markup_for_records(evidence)
    topics = {evidence.term_page(name, key) for name in evidence.fields.folders
              for key in (evidence.taxonomy.get(name).terms if evidence.taxonomy.get(name) else ())}
    countries = {f"countries/{urls.slug(c)}.md" for r in evidence.published("case-study") for c in r.countries}
    assert set(markups) == ({urls.case_study(r.id) for r in evidence.published("case-study")}
                            | {urls.claim(r.id) for r in evidence.published("claim")} | topics | countries
                            | {HOW_TO_CITE})  # "reciprocity", "Canada", "how to cite" find their own pages
    html, indexed = search.mark_page("<h1>x</h1>", urls.case_study("partners2-mental-health"), "x", True, markups)
    assert indexed and html.startswith("<div data-pagefind-body><h1>x</h1><div hidden data-pagefind-ignore")
    for uri in (urls.CATALOGUE, "case-studies/page/2.md", "years/2019.md", urls.REFERENCES, urls.EVIDENCE_MAP):
        assert search.mark_page("<p>list</p>", uri, "List", True, markups) == ("<p>list</p>", False)
    html, indexed = search.mark_page("<p>a</p>", "about.md", 'About "us"', False, markups)
    assert indexed and '<span data-pagefind-meta="title">About &quot;us&quot;</span>' in html
    assert '<span data-pagefind-filter="kind">page</span>' in html


def _page(title: str, body: bool) -> str:
    content = f"<h1>{title}</h1><p>Reciprocity and trust in {title}.</p>"
    if body:
        content = f"<div data-pagefind-body>{content}</div>"
    return f"<!doctype html><html lang=en><head><title>{title}</title></head><body><nav>menu</nav>{content}</body></html>"


def test_streaming_index_counts_the_pages(tmp_path: Path) -> None:
    index = search.start_index()
    index.add(_page("one", True), "/one/")
    index.add(_page("two", True), "/two/")
    result = search.finish_index(index, tmp_path, ["one.md", "two.md"])
    assert result.pages == 2
    assert (tmp_path / search.BUNDLE / "pagefind.js").is_file()
    assert len(list((tmp_path / search.BUNDLE / "fragment").iterdir())) == 2


def test_streaming_index_names_a_page_missing_from_the_index(tmp_path: Path) -> None:
    index = search.start_index()
    index.add(_page("one", True), "/one/")  # two.md was marked searchable but never sent
    with pytest.raises(search.SearchIndexError) as raised:
        search.finish_index(index, tmp_path, ["one.md", "two.md"])
    assert str(raised.value) == ("the search index has 1 pages, expected 2; pages missing from it:\n  /two/")


def test_streaming_index_names_a_page_the_service_could_not_read(tmp_path: Path) -> None:
    """Pagefind answers a request it cannot parse without its id; the answer is matched
    to the page through the request it quotes back, so the build names the page."""
    index = search.start_index()
    index.add(_page("one", True), "/one/")
    index.add(_page("bad\ud800", True), "/bad/")  # a lone surrogate: not valid JSON text for Pagefind
    with pytest.raises(search.SearchIndexError) as raised:
        search.finish_index(index, tmp_path, ["one.md"])
    assert "/bad/: " in str(raised.value)


def test_streaming_index_reports_a_service_that_stopped(tmp_path: Path) -> None:
    index = search.start_index()
    index.add(_page("one", True), "/one/")
    index._process.kill()  # as if it crashed
    index._process.wait()
    with pytest.raises(search.SearchIndexError, match="Pagefind failed: the Pagefind service stopped"):
        search.finish_index(index, tmp_path, ["one.md"])


def test_header_override_is_materials_header_with_our_search() -> None:
    import material

    ours = (ROOT / "overrides" / "partials" / "header.html").read_text(encoding="utf-8")
    theirs = (Path(material.__file__).parent / "templates" / "partials" / "header.html").read_text(encoding="utf-8")
    strip = lambda text: re.sub(r"\{#-.*?-#\}", "", text, count=1, flags=re.DOTALL)
    start = theirs.index('    {% if "material/search" in config.plugins %}')
    end = theirs.index("    {% if config.repo_url %}")
    before, after = strip(theirs[:start]), theirs[end:]
    ours = strip(ours)
    assert ours.startswith(before) and ours.endswith(after), "Material's header changed: update the override"
    assert '{% include "partials/search.html" %}' in ours[len(before):-len(after)]
    partial = (ROOT / "overrides" / "partials" / "search.html").read_text(encoding="utf-8")
    assert 'data-md-component="search"' not in strip(partial)  # Material's own search code stays out
    assert 'data-site-root="{{ base_url }}/"' in partial


@pytest.mark.parametrize("name", ["search.js", "catalogue.js"])
def test_scripts_write_text_safely(name: str) -> None:
    source = (SCRIPTS / name).read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.DOTALL)
    for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                   "DOMParser", "createContextualFragment"):
        assert banned not in code
    assert "https://" not in source and "http://" not in source
    if name == "search.js":  # the catalogue shows no excerpt (it repeated the summary)
        assert 'split(/(<mark>|<\\/mark>)/)' in code  # the excerpt is rebuilt from text and <mark>


def test_site_config_uses_pagefind_not_materials_search() -> None:
    config = site.read_site_config(ROOT)
    assert config.get("plugins") == []  # left out, MkDocs would add its search plugin
    assert "assets/javascripts/search.js" in config.get("extra_javascript", [])
    assert "assets/stylesheets/search.css" in config.get("extra_css", [])


@pytest.mark.parametrize("name", ["search.js"])
def test_scripts_hide_the_catalogues_word_from_excerpts(name: str) -> None:
    from coprod.pages.catalogue import EVERY_CASE_STUDY_WORD

    script = (ROOT / "docs" / "assets" / "javascripts" / name).read_text(encoding="utf-8")
    assert f"var HIDDEN_WORD = /\\s*\\b{EVERY_CASE_STUDY_WORD}\\b\\.?/g;" in script
