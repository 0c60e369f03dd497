"""The catalogue: golden pages, pagination, catalogue.json, the script, a real strict build."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, check_golden, edit_record, linked_case_ids, load, make_evidence, render
from tools.synthetic import write_evidence

from coprod.model import Library
from coprod.pages import Page
from coprod.pages.catalogue import catalogue_data, catalogue_pages
from coprod.pages.listing import sort_case_studies
from coprod.pages.taxonomy_pages import taxonomy_pages
from coprod.read import urls

GOLDEN = ROOT / "tests" / "golden" / "pages"
SCRIPT = ROOT / "docs" / "assets" / "javascripts" / "catalogue.js"


@pytest.fixture
def evidence(tmp_path: Path) -> Library:
    return load(make_evidence(tmp_path))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """120 valid synthetic case studies with the real taxonomy."""
    real = load(make_evidence(tmp_path_factory.mktemp("real")))
    return load(write_evidence(tmp_path_factory.mktemp("synthetic"), ROOT / "evidence", real.taxonomy, 120, 50))


def listed_ids(page: Page) -> list[str]:
    """The case studies of the page's list, in order (the part before "Browse by")."""
    return linked_case_ids(page.uri, page.content.split('id="browse-by"')[0])


def pager_line(page: Page) -> str:
    return next(line for line in page.content.splitlines() if line.startswith('<p id="catalogue-pager">'))


def test_golden_pages(evidence: Library) -> None:
    pages = catalogue_pages(evidence)
    assert [p.uri for p in pages] == ["case-studies/index.md"]
    (GOLDEN / "case-studies").mkdir(exist_ok=True)
    check_golden(GOLDEN / "case-studies" / "index.md", pages[0].content)
    data = catalogue_data(evidence)
    assert data.uri == "data/catalogue.json"
    (GOLDEN / "data").mkdir(exist_ok=True)
    check_golden(GOLDEN / "data" / "catalogue.json", json.dumps(json.loads(data.content), indent=1) + "\n")


def test_fixture_catalogue(evidence: Library) -> None:
    page = catalogue_pages(evidence)[0]
    assert page.lists == {"peer-researchers", "learning-disability-panel"}
    assert listed_ids(page) == ["learning-disability-panel", "peer-researchers"]  # newest first
    assert ('<div id="catalogue-filters" data-catalogue="../data/catalogue.json" '
            'data-facet-folders="{&quot;principles&quot;:&quot;principle&quot;,') in page.content  # from the schema
    assert 'id="catalogue-pager"' not in page.content  # one page: no pager
    browse = page.content.split('id="browse-by"')[1]
    assert '<li><a href="../principles/reciprocity/">Reciprocity</a> (1)</li>' in browse
    assert '<li><a href="../evidence/author-reflection/">Authors&#x27; reflection</a> (2)</li>' in browse
    assert '<li><a href="../countries/united-kingdom/">United Kingdom</a> (2)</li>' in browse
    assert browse.index('<a href="../years/2020/">2020</a> (1)') < browse.index('<a href="../years/2019/">2019</a> (1)')
    headings = re.findall(r'^<h3 id="[^"]+">(.+?)<a class="headerlink"', browse, re.MULTILINE)
    # the schema's x-facet order; no fixture case study has a key feature, so that facet offers nothing
    assert headings == ["Principle", "Barrier", "Enabler", "Outcome area", "Research stage", "Setting",
                        "Country", "Year started", "Kind of evidence", "Who was involved",
                        "UK Standard for Public Involvement", "How well the outcomes are known",
                        "GRIPP2 short form"]
    # a term no case study uses is not offered as a link to an empty page
    assert "(0)" not in browse and "including-all-perspectives" not in browse


def test_pagination_of_120_case_studies(synthetic: Library) -> None:
    pages = catalogue_pages(synthetic)
    assert [p.uri for p in pages] == ["case-studies/index.md", "case-studies/page/2.md", "case-studies/page/3.md"]
    assert [len(p.lists) for p in pages] == [50, 50, 20]
    assert [len(listed_ids(p)) for p in pages] == [50, 50, 20]
    assert [set(listed_ids(p)) for p in pages] == [p.lists for p in pages]
    # every published id in exactly one page, in the newest-first order across pages
    order = [r.id for r in sort_case_studies(synthetic.published("case-study"))]
    assert [i for p in pages for i in listed_ids(p)] == order
    assert len(order) == 120

    first, second, third = (pager_line(p) for p in pages)
    assert "Previous" not in first and '<a href="page/2/">Next →</a>' in first
    assert '<strong aria-current="page">1</strong>' in first and '<a aria-label="Page 3" href="page/3/">3</a>' in first
    assert '<a href="../../">← Previous</a>' in second and '<a href="../3/">Next →</a>' in second
    assert '<a aria-label="Page 1" href="../../">1</a>' in second and '<strong aria-current="page">2</strong>' in second
    assert '<a href="../2/">← Previous</a>' in third and "Next" not in third
    assert "This is page 2 of 3." in pages[1].content
    assert pages[1].title == "Case studies, page 2"
    assert 'data-catalogue="../../../data/catalogue.json"' in pages[2].content
    html = render(pages[1])
    assert '<p id="catalogue-pager">' in html


def test_pager_elides_long_runs() -> None:
    from coprod.pages.catalogue import page_numbers

    assert page_numbers(1, 3) == [1, 2, 3]
    assert page_numbers(10, 200) == [1, 8, 9, 10, 11, 12, 200]
    assert page_numbers(200, 200) == [1, 198, 199, 200]


def test_catalogue_data_shape(evidence: Library) -> None:
    edit_record(evidence, "case-study", "learning-disability-panel", lambda data: data.update(
        status="retracted", retraction={"date": "2026-01-01", "reason": "A test retraction."}))
    data = json.loads(catalogue_data(evidence).content)
    assert set(data) == {"facets", "case_studies"}
    assert [f["name"] for f in data["facets"]] == [f.name for f in evidence.fields.facets]
    assert [f.name for f in evidence.fields.facets] == ["principle", "feature", "barrier", "enabler", "outcome", "stage",
                                                       "setting", "country", "year", "evidence", "group", "standard",
                                                       "rating", "gripp2"]
    facets = {f["name"]: f for f in data["facets"]}
    assert ["reciprocity", "Reciprocity"] in facets["principle"]["terms"]
    assert facets["country"]["terms"] == [["united-kingdom", "United Kingdom"]]
    assert facets["year"]["terms"] == [["2020", "2020"], ["2019", "2019"]]
    cases = {c["id"]: c for c in data["case_studies"]}
    assert list(cases) == ["learning-disability-panel", "peer-researchers"]
    peer = cases["peer-researchers"]
    assert peer["url"] == "/case-studies/peer-researchers/"
    assert peer["title"] == "Peer researchers shaping a community health study"
    assert peer["years"] == "2019–2021" and "retracted" not in peer
    assert peer["facets"] == {
        "principle": ["sharing-power", "reciprocity"], "barrier": ["bureaucracy"], "enabler": ["training-and-support"],
        "outcome": ["research-conduct", "benefits-to-contributors"], "stage": ["design", "data-collection"],
        "setting": ["public-health", "mental-health"], "country": ["united-kingdom"], "year": ["2019"],
        "evidence": ["author-reflection", "participant-reported"],
        "group": ["mental-health-lived-experience", "community-members"],
        "standard": ["working-together", "support-and-learning"],
        # computed: the strongest kind among its outcomes, and 4 of the 5 GRIPP2 items
        "rating": ["participant-reported"], "gripp2": ["three-or-four"]}
    assert cases["learning-disability-panel"]["retracted"] is True
    for case in data["case_studies"]:
        for name, keys in case["facets"].items():
            assert set(keys) <= {key for key, _label in facets[name]["terms"]}


def test_catalogue_data_leaves_out_drafts_and_is_compact(synthetic: Library) -> None:
    page = catalogue_data(synthetic)
    assert "\n" not in page.content.rstrip("\n") and ", " not in page.content[:200]
    assert len(json.loads(page.content)["case_studies"]) == 120
    published = synthetic.case_studies["case-00000"]
    edit_record(synthetic, "case-study", "case-00000", lambda data: data.update(status="draft"))
    try:
        data = json.loads(catalogue_data(synthetic).content)
        pages = catalogue_pages(synthetic)
    finally:
        synthetic.case_studies["case-00000"] = published
    assert "case-00000" not in {c["id"] for c in data["case_studies"]}
    assert sum(len(p.lists) for p in pages) == 119


def test_no_case_studies(tmp_path: Path) -> None:
    evidence = load(make_evidence(tmp_path))
    evidence.case_studies.clear()
    pages = catalogue_pages(evidence)
    assert len(pages) == 1 and pages[0].lists == frozenset()
    assert "No case studies are published yet." in pages[0].content
    assert json.loads(catalogue_data(evidence).content)["case_studies"] == []
    assert "No case study records a country yet." in {p.uri: p for p in taxonomy_pages(evidence)}["countries/index.md"].content


def test_hostile_titles_in_the_catalogue(evidence: Library) -> None:
    hostile = "<script>alert(1)</script> [x](javascript:alert(1)) *star*"
    edit_record(evidence, "case-study", "peer-researchers", lambda data: data.update(title=hostile))
    terms = evidence.taxonomy["settings"].terms
    terms["public-health"] = dataclasses.replace(terms["public-health"], label=hostile)
    html = render(catalogue_pages(evidence)[0])
    assert "<script" not in html and 'href="javascript' not in html and "<em>star</em>" not in html
    assert json.loads(catalogue_data(evidence).content)["case_studies"][1]["title"] == hostile


# ---------------------------------------------------------------------------------------
# The script.

def test_script_parses() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    result = subprocess.run([node, "--check", str(SCRIPT)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_script_writes_text_safely() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.DOTALL)  # the comments may name what is banned
    for banned in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert banned not in code
    assert "https://" not in source and "http://" not in source  # no external requests
    assert 'SAFE_URL = /^\\/case-studies\\/' in code
    assert '"aria-live": "polite"' in code
    assert "DOMContentLoaded" in code


# ---------------------------------------------------------------------------------------
# A real strict MkDocs build of the pages.

MKDOCS_YML = """\
site_name: Catalogue test
site_url: https://example.org/library/
theme:
  name: material
  font: false
extra_javascript:
  - assets/javascripts/catalogue.js
markdown_extensions:
  - attr_list
  - tables
  - toc
validation:
  nav:
    omitted_files: info
    not_found: warn
  links:
    not_found: warn
    anchors: warn
    absolute_links: warn
    unrecognized_links: warn
"""


def write_pages(docs: Path, pages: list[Page]) -> None:
    for page in pages:
        path = docs / page.uri
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(page.content, bytes):
            path.write_bytes(page.content)
        else:
            path.write_text(page.content, encoding="utf-8")


def write_stubs(docs: Path, evidence: Library) -> None:
    """The pages other modules make, as stubs, so every link of ours can be checked."""
    sources = sorted({t.source for v in evidence.taxonomy.vocabularies.values() for t in v.terms.values() if t.source})
    references = ["# References", ""] + [f"## {key} {{: #{urls.reference_anchor(key)} }}\n" for key in sources]
    write_pages(docs, [Page(urls.REFERENCES, "\n".join(references))])
    write_pages(docs, [Page(urls.case_study(r.id), f"# {r.id}\n") for r in evidence.published("case-study")])
    write_pages(docs, [Page(urls.claim(r.id), f"# {r.id}\n") for r in evidence.published("claim")])


def test_strict_mkdocs_build(tmp_path: Path, evidence: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(urls, "CATALOGUE_PAGE_SIZE", 1)  # two catalogue pages: the pager's links are checked
    project = tmp_path / "project"
    docs = project / "docs"
    docs.mkdir(parents=True)
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (docs / "assets" / "javascripts").mkdir(parents=True)
    shutil.copy(SCRIPT, docs / "assets" / "javascripts" / "catalogue.js")
    write_stubs(docs, evidence)
    pages = [*taxonomy_pages(evidence), *catalogue_pages(evidence), catalogue_data(evidence)]
    assert len(pages) > 80
    write_pages(docs, pages)

    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout
    assert "WARNING" not in result.stdout, result.stdout

    site = project / "site"
    first = (site / "case-studies" / "index.html").read_text(encoding="utf-8")
    assert '<div id="catalogue-filters" data-catalogue="../data/catalogue.json" ' in first
    assert '<p id="catalogue-pager">' in first and 'href="page/2/"' in first
    assert "assets/javascripts/catalogue.js" in first
    second = (site / "case-studies" / "page" / "2" / "index.html").read_text(encoding="utf-8")
    assert 'data-catalogue="../../../data/catalogue.json"' in second and 'href="../../"' in second
    # the relative data address resolves to the data file from both pages
    assert (site / "case-studies" / "../data/catalogue.json").resolve().is_file()
    assert (site / "case-studies" / "page" / "2" / "../../../data/catalogue.json").resolve().is_file()
    term = (site / "principles" / "reciprocity" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../references/#ref-Hickey2018guidance"' in term
    assert 'href="../../case-studies/peer-researchers/"' in term
