"""The evidence gap map page and the build-time SVG charts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import markdown
import pytest
from helpers import ROOT, TESTS, check_golden, make_evidence

from coprod.checks.evidence import load_evidence
from coprod.checks.library import load as load_library
from coprod.export import as_markdown
from coprod.model import Library, library
from coprod.pages.catalogue import catalogue_data
from coprod.pages.charts import (
    bar_chart,
    case_study_charts,
    claims_by_strength_chart,
    counted_case_studies,
)
from coprod.pages.evidence_map import (
    ENABLERS,
    EVIDENCE,
    PRINCIPLES,
    VIEWS,
    Grid,
    _radius,
    build_grid,
    catalogue_filter,
    cell_anchor,
    evidence_map_page,
    findings,
)
from coprod.read import urls
from coprod.read.problems import Report

GOLDEN = TESTS / "golden" / "evidence_map"
SVG = "{http://www.w3.org/2000/svg}"


def load(folder: Path) -> Library:
    evidence = load_library(folder, Report())
    assert evidence is not None
    return evidence


def write_case(folder: Path, case_id: str, *, principles: list[str], outcomes: list[tuple[str, str]],
               enablers: list[str] = (), status: str = "published", start_year: int | None = None,
               settings: tuple[str, ...] = ("public-health",)) -> None:
    """A valid case study in the fixture evidence ``folder``; outcomes are (area, kind of evidence)."""
    lines = [
        "---", f"id: {case_id}", f"title: A hand-made case study called {case_id}",
        "summary: A case study written for a test of the evidence gap map.",
        "plain_english_summary: >-",
        "  People who use services joined the team. They helped plan the study. They said it went well.",
        f"status: {status}", "published: 2026-01-15", 'version: "1.0"',
    ]
    if status == "retracted":
        lines += ["retraction:", "  date: 2026-02-01", "  reason: The source was withdrawn by its authors."]
    lines += ["project:", "  name: Test project"] + ([f"  start_year: {start_year}"] if start_year else [])
    lines += [f"settings: [{', '.join(settings)}]", "research_stages: [design]", "involved:", "  - role: peer researchers"]
    lines += ["principles:"] + [f"  - principle: {p}\n    how: They shared the decisions." for p in principles]
    if enablers:
        lines += ["enablers:"] + [f"  - enabler: {e}\n    detail: It helped them take part." for e in enablers]
    lines += ["outcomes:"] + [f"  - area: {area}\n    description: Something changed for the better.\n"
                              f"    evidence: {kind}\n    sources: [Example2021peer]" for area, kind in outcomes]
    lines += ["sources: [Example2021peer]", "licence: CC-BY-4.0", "---", "", "A short story [@Example2021peer].", ""]
    (folder / "case-studies" / f"{case_id}.md").write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def fixture_evidence(tmp_path: Path) -> Library:
    return load(make_evidence(tmp_path))


# ---------------------------------------------------------------------------------------
# The page.

def test_page_matches_golden(fixture_evidence: Library) -> None:
    page = evidence_map_page(fixture_evidence)
    assert page.uri == urls.EVIDENCE_MAP == "evidence-map/index.md"
    assert page.title == "Evidence gap map"
    assert page.lists == {"peer-researchers", "learning-disability-panel"}
    check_golden(GOLDEN / "fixture.md", page.content)


def test_claims_chart_matches_golden(fixture_evidence: Library) -> None:
    check_golden(GOLDEN / "claims-by-strength.html", claims_by_strength_chart(fixture_evidence, urls.BUSINESS_CASE) + "\n")


def test_counts_only_published_combinations(tmp_path: Path) -> None:
    folder = make_evidence(tmp_path)
    write_case(folder, "case-a", principles=["sharing-power", "reciprocity"], enablers=["glue-money"],
               outcomes=[("research-relevance", "measured"), ("recognition", "external-recognition")])
    write_case(folder, "case-b", principles=["sharing-power"], outcomes=[("research-relevance", "author-reflection")])
    write_case(folder, "case-draft", principles=["sharing-power"], outcomes=[("research-relevance", "measured")],
               status="draft")
    write_case(folder, "case-gone", principles=["sharing-power"], outcomes=[("research-relevance", "measured")],
               status="retracted")
    report = Report()
    evidence = load_library(folder, report)
    assert evidence is not None and not report.errors, [p.format() for p in report.errors]
    records = counted_case_studies(evidence)
    grid = build_grid(evidence, PRINCIPLES, records)
    assert [r.id for r in grid.cell("sharing-power", "research-relevance")] == ["case-a", "case-b"]
    assert [r.id for r in grid.cell("reciprocity", "recognition")] == ["case-a"]
    assert grid.cell("reciprocity", "research-conduct") == [r for r in records if r.id == "peer-researchers"]
    assert grid.cell("including-all-perspectives", "research-relevance") == []
    enablers = build_grid(evidence, ENABLERS, records)
    assert [r.id for r in enablers.cell("glue-money", "recognition")] == ["case-a"]

    page = evidence_map_page(evidence)
    assert "case-draft" not in page.lists and "case-gone" not in page.lists
    assert {"case-a", "case-b"} <= page.lists
    anchor = cell_anchor(PRINCIPLES, "sharing-power", "research-relevance")
    assert anchor == "p-sharing-power--o-research-relevance"
    # the cell links to the catalogue filtered to it: the catalogue is the list
    cell = re.search(r'<td class="coprod-map-count"><a class="coprod-map-d\d+" href="../case-studies/\?'
                     r'principle=sharing-power&amp;outcome=research-relevance" .*?</td>', page.content)
    assert cell, page.content
    assert 'aria-label="2 case studies">2</a>' in cell.group(0)
    assert "case-a" not in page.content  # no titles repeated under the cells


def test_circle_area_is_proportional_to_the_count(fixture_evidence: Library) -> None:
    grid = build_grid(fixture_evidence, EVIDENCE, counted_case_studies(fixture_evidence))
    largest = grid.largest()
    assert largest >= 1
    for count in range(1, largest + 1):
        area = _radius(count, largest) ** 2
        assert area / _radius(largest, largest) ** 2 == pytest.approx(count / largest)


def listed_by(data: dict, address: str) -> set[str]:
    """The case studies the catalogue's data gives a filtered address, as its script reads it:
    every facet's terms (AND), and with ``same=a,b`` one outcome holding a term of both."""
    query = parse_qs(urlsplit(address).query)
    same = query.pop("same", [""])[0].split(",")
    listed = set()
    for case in data["case_studies"]:
        if not all(set(keys) <= set(case["facets"].get(name, [])) for name, keys in query.items()):
            continue
        if len(same) == 2 and not any(o.get(same[0]) in query[same[0]] and o.get(same[1]) in query[same[1]]
                                      for o in case.get("outcomes", [])):
            continue
        listed.add(case["id"])
    return listed


def test_cells_link_to_a_catalogue_view_holding_their_case_studies(fixture_evidence: Library) -> None:
    """Every filled cell's link filters the catalogue to its row and column terms, and the
    catalogue's data gives that filter exactly the cell's case studies."""
    data = json.loads(catalogue_data(fixture_evidence).content)
    for view in VIEWS:
        grid = build_grid(fixture_evidence, view, counted_case_studies(fixture_evidence))
        for (row_key, column_key), records in grid.cells.items():
            row = fixture_evidence.taxonomy.term(view.vocabulary(fixture_evidence), row_key)
            column = fixture_evidence.taxonomy.term(view.column_vocabulary(fixture_evidence), column_key)
            address = catalogue_filter(fixture_evidence, grid, row, column)
            assert len(parse_qs(urlsplit(address).query)) == (3 if view is EVIDENCE else 2)
            assert listed_by(data, address) == {r.id for r in records}


def test_a_first_view_cell_counts_the_same_outcome(tmp_path: Path) -> None:
    """A case study with one outcome in an area known by one kind, and another outcome in
    another area known by another kind, is in neither crossed cell, and the catalogue the
    cell links to does not list it there either."""
    folder = make_evidence(tmp_path)
    write_case(folder, "case-a", principles=["sharing-power"],
               outcomes=[("research-relevance", "measured"), ("research-conduct", "author-reflection")])
    evidence = load(folder)
    grid = build_grid(evidence, EVIDENCE, counted_case_studies(evidence))
    data = json.loads(catalogue_data(evidence).content)
    area = evidence.taxonomy.term("outcomes", "research-relevance")
    crossed = evidence.taxonomy.term("evidence_kinds", "author-reflection")
    assert "case-a" not in {r.id for r in grid.cell("research-relevance", "author-reflection")}
    assert "case-a" not in listed_by(data, catalogue_filter(evidence, grid, area, crossed))
    own = evidence.taxonomy.term("evidence_kinds", "measured")
    assert "case-a" in listed_by(data, catalogue_filter(evidence, grid, area, own))


def test_the_finding_is_said_in_words_from_the_counts(tmp_path: Path) -> None:
    folder = make_evidence(tmp_path)
    write_case(folder, "case-a", principles=["sharing-power"], outcomes=[("research-relevance", "measured")])
    evidence = load(folder)
    grids = {view: build_grid(evidence, view, counted_case_studies(evidence)) for view in VIEWS}
    said = " ".join(findings(grids[EVIDENCE]))
    assert "No case study has any outcome known by \u201cIndependent evaluation\u201d" in said
    assert "Measured" not in said.split("known by")[1].split(".")[0]  # measured has one now
    page = evidence_map_page(evidence).content
    section = page.split('id="map-evidence"')[1]
    assert section.index('<p class="coprod-finding">No case study has any outcome') < section.index("<table")
    # a view with no gaps says so in one line, its numbers folded away
    full = Grid(PRINCIPLES, grids[PRINCIPLES].rows[:1], grids[PRINCIPLES].columns[:1],
                {(grids[PRINCIPLES].rows[0].key, grids[PRINCIPLES].columns[0].key): [evidence.case_studies["case-a"]]})
    assert findings(full) == [("Every principle goes with every outcome area in at least one case study: "
                               "this view has no gaps.")]


def test_every_cell_is_a_count_or_a_gap(fixture_evidence: Library) -> None:
    content = evidence_map_page(fixture_evidence).content
    assert VIEWS[0] is EVIDENCE  # the first view is the one that shows gaps
    principles = content.split('id="map-principles"')[1]
    table = principles.split("<tbody>")[1].split("</tbody>")[0]
    rows = table.strip().splitlines()
    assert len(rows) == 5  # one per principle
    for row in rows:
        assert row.startswith('<tr><th scope="row"><a href="../principles/')
        cells = re.findall(r"<td[^>]*>.*?</td>", row)
        assert len(cells) == 8  # one per outcome area
        for cell in cells:
            assert cell.startswith(('<td class="coprod-map-gap">', '<td class="coprod-map-count">'))
    gaps = table.count('<span class="coprod-sr-only">Gap</span>')
    assert gaps == 5 * 8 - 5
    assert "5 of the 40 combinations have at least one case study; 35 are gaps." in content
    assert content.count('<ul class="coprod-map-key" aria-label="Key">') == len(VIEWS)  # a key above every grid


def test_hostile_labels_are_escaped(tmp_path: Path) -> None:
    folder = make_evidence(tmp_path)
    taxonomy = folder / "taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    hostile = '<script>alert(1)</script> [x](javascript:alert) *power* "q" & co'
    text = text.replace("label: Sharing power", f"label: '{hostile}'", 1)
    text = text.replace("label: Mental health", "label: '<img src=x onerror=alert(1)>'", 1)
    taxonomy.write_text(text, encoding="utf-8")
    # the validator refuses these labels: the model is built anyway, to test the escaping itself
    evidence = library(load_evidence(folder, Report()))
    assert evidence.taxonomy.term("principles", "sharing-power").label == hostile
    content = evidence_map_page(evidence).content
    assert "<script" not in content and "<img" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert) *power* &quot;q&quot; &amp; co" in content
    rendered = markdown.markdown(content, extensions=["attr_list", "tables", "toc"])
    assert "<script" not in rendered and "<img" not in rendered
    assert 'href="javascript' not in rendered
    assert "<em>power</em>" not in rendered


# ---------------------------------------------------------------------------------------
# Relative URLs for raw HTML.

@pytest.mark.parametrize(("from_uri", "to_uri", "anchor", "expected"), [
    ("evidence-map/index.md", "principles/sharing-power.md", "", "../principles/sharing-power/"),
    ("evidence-map/index.md", "evidence-map/index.md", "p-a--o-b", "#p-a--o-b"),
    ("evidence-map/index.md", "evidence-map/index.md", "", "./"),
    ("evidence-map/index.md", "index.md", "", "../"),
    ("evidence-map/index.md", "years/2019.md", "", "../years/2019/"),
    ("evidence-map/index.md", "case-studies/index.md", "top", "../case-studies/#top"),
    ("business-case/index.md", "business-case/some-claim.md", "", "some-claim/"),
    ("case-studies/x.md", "case-studies/index.md", "", "../"),
    ("case-studies/x.md", "case-studies/y.md", "", "../y/"),
    ("case-studies/page/2.md", "principles/reciprocity.md", "", "../../../principles/reciprocity/"),
    ("index.md", "evidence-map/index.md", "", "evidence-map/"),
    ("evidence-map/index.md", "data/case-studies.json", "", "../data/case-studies.json"),
])
def test_relative_url(from_uri: str, to_uri: str, anchor: str, expected: str) -> None:
    assert urls.href(from_uri, to_uri, anchor) == expected
    # and it resolves to the target's address from the page's address
    target = urljoin("https://example.org" + urls.address(from_uri), expected)
    assert urlsplit(target).path == urls.address(to_uri)


# ---------------------------------------------------------------------------------------
# Charts.

def chart_numbers(figure: str) -> tuple[ET.Element, list[tuple[str, int, float]], list[tuple[str, int]]]:
    """Parse a chart; (bars as label, value, width), (table rows as label, value)."""
    root = ET.fromstring(figure)
    svg = root.find(f"{SVG}svg")
    assert svg is not None
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "coprod-chart__label"]
    values = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "coprod-chart__value"]
    bars = []
    for label, value in zip(labels, values, strict=True):
        rect = next((r for r in svg.iter(f"{SVG}rect") if float(r.get("y")) < float(value.get("y")) <=
                     float(r.get("y")) + float(r.get("height"))), None)
        bars.append((label, int(value.text), float(rect.get("width")) if rect is not None else 0.0))
    table = [("".join(row.find("th").itertext()), int(row.find("td").text)) for row in root.iter("tr")
             if row.find("td") is not None]
    return root, bars, table


def test_bar_chart_is_accessible_svg() -> None:
    rows = [("Sharing power", 4, "../principles/sharing-power/"), ("<b>Odd</b> & \"label\"", 2, None), ("None", 0, None)]
    figure = bar_chart("Case <studies> & more", rows, chart_id="chart-test", note="Two lack a year.")
    root, bars, table = chart_numbers(figure)
    svg = root.find(f"{SVG}svg")
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-test-title chart-test-desc"
    assert svg.find(f"{SVG}title").get("id") == "chart-test-title"
    assert svg.find(f"{SVG}title").text == "Case <studies> & more"
    assert "Sharing power: 4" in svg.find(f"{SVG}desc").text
    assert svg.get("viewBox").startswith("0 0 ") and svg.get("width") is None
    assert "<b>" not in figure and "&lt;b&gt;Odd&lt;/b&gt; &amp; &quot;label&quot;" in figure
    assert "style=" not in figure  # the pages' Content-Security-Policy allows no style attributes
    assert 'class="coprod-chart__bar" fill="#4051b5"' in figure  # extra.css gives the palette's colour
    assert [(label, value) for label, value, _ in bars] == table == [(label, value) for label, value, _ in rows]
    widths = {label: width for label, _, width in bars}
    assert widths["Sharing power"] == 2 * widths["<b>Odd</b> & \"label\""] > 0 == widths["None"]
    assert root.find(".//summary").text == "Data as a table"
    assert root.find(".//tbody/tr/th/a").get("href") == "../principles/sharing-power/"
    assert root.find(".//th").get("scope") == "col"


def test_bar_chart_edge_cases() -> None:
    assert "nothing to show" in bar_chart("Empty", [], chart_id="chart-empty")
    ET.fromstring(bar_chart("Empty", [], chart_id="chart-empty"))
    _, bars, _ = chart_numbers(bar_chart("Zeros", [("a", 0, None)], chart_id="chart-zero"))
    assert bars == [("a", 0, 0.0)]
    long = "word " * 30
    figure = bar_chart("Long", [(long, 1, None)], chart_id="chart-long")
    _, bars, table = chart_numbers(figure)
    assert bars[0][0].endswith("…") and table[0][0] == long.replace("\n", " ")
    with pytest.raises(ValueError):
        bar_chart("Bad id", [], chart_id='x" onload="alert(1)')


def test_case_study_charts_numbers(tmp_path: Path) -> None:
    folder = make_evidence(tmp_path)
    write_case(folder, "case-a", principles=["sharing-power"], outcomes=[("recognition", "measured")], start_year=2019,
               settings=("mental-health", "primary-care"))
    write_case(folder, "case-b", principles=["reciprocity"], outcomes=[("recognition", "measured")])
    write_case(folder, "case-gone", principles=["sharing-power"], outcomes=[("recognition", "measured")],
               start_year=2019, status="retracted")
    evidence = load(folder)
    figures = case_study_charts(evidence, urls.EVIDENCE_MAP).split("\n\n")
    assert len(figures) == 3
    charts = {ET.fromstring(f).get("id"): chart_numbers(f) for f in figures}
    _, _, year_table = charts["chart-case-studies-by-year"]
    assert year_table == [("2019", 2), ("2020", 1)]  # peer-researchers and case-a; learning-disability-panel
    assert "1 case study does not say when the project started, so it is not in this chart." in figures[0]
    assert '<a href="../years/2019/">2019</a>' in figures[0]
    _, _, settings = charts["chart-case-studies-by-setting"]
    assert settings[:2] == [("Mental health", 2), ("Public health", 2)]
    assert ("Primary care", 1) in settings and ("Physical activity", 0) in settings
    _, _, principles = charts["chart-case-studies-by-principle"]
    assert principles[:3] == [("Sharing power", 2), ("Reciprocity", 2), ("Building and maintaining relationships", 1)]
    for _, bars, table in charts.values():
        assert [(label, value) for label, value, _ in bars] == table


def test_claims_by_strength(fixture_evidence: Library) -> None:
    _, bars, table = chart_numbers(claims_by_strength_chart(fixture_evidence, urls.BUSINESS_CASE))
    assert table == [("Strong", 0), ("Moderate", 0), ("Emerging", 1), ("Evidence gap", 1)]
    assert [(label, value) for label, value, _ in bars] == table


# ---------------------------------------------------------------------------------------
# A real MkDocs build.

MKDOCS_YML = """\
site_name: Test
theme:
  name: material
markdown_extensions:
  - attr_list
  - tables
  - toc
validation:
  nav:
    omitted_files: warn
    not_found: warn
  links:
    not_found: warn
    anchors: warn
    unrecognized_links: warn
"""


def stub_pages(evidence: Library) -> list[str]:
    """Every page the map may link to, so that the tiny site has them."""
    pages = [urls.HOME, urls.BUSINESS_CASE]
    pages += [evidence.term_page(v, key) for v in evidence.fields.folders for key in evidence.taxonomy[v].terms]
    pages += [urls.case_study(case_id) for case_id in evidence.case_studies] + [urls.CATALOGUE]
    pages += [f"years/{year}.md" for year in range(2015, 2027)]
    return pages


def test_mkdocs_strict_build(fixture_evidence: Library, tmp_path: Path) -> None:
    project = tmp_path / "site-project"
    docs = project / "docs"
    for uri in stub_pages(fixture_evidence):
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / uri).write_text(f"# Stub {uri}\n", encoding="utf-8")
    page = evidence_map_page(fixture_evidence)
    (docs / page.uri).parent.mkdir(parents=True, exist_ok=True)
    (docs / page.uri).write_text(as_markdown(page), encoding="utf-8")  # as another engine gets it
    (project / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    command = [str(mkdocs)] if mkdocs.exists() else [sys.executable, "-m", "mkdocs"]
    # no -q: with it MkDocs 1.6 drops the warnings that --strict counts
    result = subprocess.run([*command, "build", "--strict"], check=False, cwd=project, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr

    site = project / "site"
    built = (site / "evidence-map" / "index.html").read_text(encoding="utf-8")
    article = built.split("<article", 1)[1].split("</article>", 1)[0]
    base = "https://example.org/evidence-map/"
    ids = set(re.findall(r'\sid="([^"]+)"', built))
    checked = 0
    for href in re.findall(r'\shref="([^"]+)"', article):
        if href.startswith(("http:", "https:")) and not href.startswith("https://example.org"):
            continue
        target = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        path = site / target.path.lstrip("/")
        path = path / "index.html" if target.path.endswith("/") else path
        assert path.is_file(), f"{href} -> {path} does not exist"
        if target.fragment:
            target_ids = ids if path == site / "evidence-map" / "index.html" else \
                set(re.findall(r'\sid="([^"]+)"', path.read_text(encoding="utf-8")))
            assert target.fragment in target_ids, f"anchor of {href} is missing"
        checked += 1
    assert checked > 50
    assert '<th scope="row"><a href="../principles/sharing-power/">Sharing power</a></th>' in article
    assert 'href="../case-studies/?principle=reciprocity&amp;outcome=research-conduct"' in article


def test_real_evidence_page_builds() -> None:
    """The library's own evidence makes a page whose anchors all exist."""
    evidence = load(ROOT / "evidence")
    page = evidence_map_page(evidence)
    ids = set(re.findall(r'\{: #([^ ]+) \}', page.content)) | set(re.findall(r'\{#([^}]+)\}', page.content))
    ids |= set(re.findall(r'\sid="([^"]+)"', page.content))
    for anchor in re.findall(r'href="#([^"]+)"', page.content) + re.findall(r"\]\(#([^)]+)\)", page.content):
        assert anchor in ids
    assert page.lists <= set(evidence.case_studies)
