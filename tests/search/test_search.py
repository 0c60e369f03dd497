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
    assert markup.startswith('<div hidden data-pagefind-ignore>')
    assert '<span data-pagefind-meta="title">PARTNERS2' in markup
    assert '<span data-pagefind-meta="principles">Sharing power; ' in markup


def test_a_case_study_gives_pagefind_its_kind_and_no_facets_or_order(evidence: Library) -> None:
    """The catalogue's facets, counts and order come from data/catalogue.json: a Pagefind
    filter per facet would only make every fragment larger, and a sort key puts a list of
    every page into the metadata every first search loads. The one filter is the kind."""
    for record in evidence.published("case-study"):
        markup = search.pagefind_markup(record, evidence)
        assert re.findall(r'data-pagefind-filter="([^"]*)"', markup) == ["kind"], record.id
        assert '<span data-pagefind-filter="kind">case-study</span>' in markup
        assert "data-pagefind-sort" not in markup
        assert markup.count("<span") + 1 == markup.count("data-pagefind-"), record.id  # no indexed word outside


def test_markup_escapes_what_contributors_wrote(evidence: Library) -> None:
    record = dataclasses.replace(evidence.case_studies["partners2-mental-health"],
                                 title='<img src=x onerror=alert(1)>"quoted"', summary="a </span><script>alert(1)</script>")
    markup = search.pagefind_markup(record, evidence)
    assert "<img" not in markup and "<script>" not in markup and "</span><script" not in markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in markup


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


def _wordy_page(title: str) -> str:
    """A page of 4,000 words, 400 different ones ten times each: 12,000 locations in three."""
    words = " ".join(f"word{n:03d}" for n in range(400))
    return _page(title, True).replace("</p>", " ".join([words] * 10) + "</p>")


@pytest.mark.parametrize("how", ["streaming", "command"])
def test_pagefind_gets_the_smaller_index_chunks(tmp_path: Path, how: str) -> None:
    """Pagefind's default chunk (20,000 locations) would hold the three pages' words in one
    file; at INDEX_CHUNK_SIZE each file holds at most that many locations, plus one word."""
    assert search.INDEX_CHUNK_SIZE < 12000
    if how == "streaming":
        index = search.start_index()
        for name in ("one", "two", "three"):
            index.add(_wordy_page(name), f"/{name}/")
        search.finish_index(index, tmp_path, ["one.md", "two.md", "three.md"])
    else:
        for name in ("one", "two", "three"):
            (tmp_path / name).mkdir()
            (tmp_path / name / "index.html").write_text(_wordy_page(name), encoding="utf-8")
        assert search.run_pagefind(tmp_path).pages == 3
    chunks = list((tmp_path / search.BUNDLE / "index").glob("*.pf_index"))
    assert len(chunks) >= 12000 // (search.INDEX_CHUNK_SIZE + 33), chunks


def _kind_page(title: str, kind: str) -> str:
    return _page(title, True).replace("</p>", f'</p><div hidden data-pagefind-ignore>'
                                               f'<span data-pagefind-filter="kind">{kind}</span></div>')


@pytest.mark.parametrize("how", ["streaming", "command"])
def test_the_index_names_each_case_studys_fragment(tmp_path: Path, how: str) -> None:
    """The catalogue maps Pagefind's results to case studies with this file, not with a
    fragment fetched per result; only case studies are in it."""
    import gzip
    import json

    pages = {"/case-studies/one/": _kind_page("one", "case-study"), "/case-studies/two/": _kind_page("two", "case-study"),
             "/about/": _kind_page("about", "page")}
    if how == "streaming":
        index = search.start_index()
        for url, html in pages.items():
            index.add(html, url)
        search.finish_index(index, tmp_path, ["case-studies/one.md", "case-studies/two.md", "about.md"])
    else:
        for url, html in pages.items():
            (tmp_path / url.strip("/")).mkdir(parents=True)
            (tmp_path / url.strip("/") / "index.html").write_text(html, encoding="utf-8")
        search.run_pagefind(tmp_path)
    bundle = tmp_path / search.BUNDLE
    addresses = json.loads((bundle / search.ADDRESSES).read_text(encoding="utf-8"))
    urls = {}
    for path in (bundle / "fragment").glob("*.pf_fragment"):
        urls[path.stem] = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
    assert addresses == {stem: url for stem, url in urls.items() if url.startswith("/case-studies/")}
    assert sorted(addresses.values()) == ["/case-studies/one/", "/case-studies/two/"]


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
