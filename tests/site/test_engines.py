"""Engine independence: the export built by Zensical (which runs no MkDocs hooks), finished
by the pass over its output folder (coprod/finish.py), has every page of the MkDocs site of
the same fixture, with its metadata, its Content-Security-Policy, and in the search index.

Zensical is pinned in pyproject.toml ([tool.coprod] isolated-test-tools) and installed by
scripts/dev.py test in .venv-tools/zensical; the search index is queried offline with
Pagefind's own search script in Node (tests/tools/pagefind_query.mjs).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURES, ROOT, make_project, mkdocs_build

from coprod import finish, search, site
from coprod.render import csp

ZENSICAL = ROOT / ".venv-tools" / "zensical" / "bin" / "zensical"
QUERY = ROOT / "tests" / "tools" / "pagefind_query.mjs"
# a summary (each case study's description) with the characters an attribute must escape
SUMMARY = 'Peer researchers & "lived experience" designed and ran interviews in a community health study.'
ESCAPED = "Peer researchers &amp; &quot;lived experience&quot; designed and ran interviews in a community health study."


def _zensical() -> Path:
    if not ZENSICAL.exists():
        message = "Zensical is installed by scripts/dev.py test in .venv-tools/zensical"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return ZENSICAL


def _export_pages(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "export_pages.py"), "--root", str(project), *args],
                          capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict:
    """The fixture project built twice: by MkDocs with the hooks, and by Zensical from the
    export with a copy of mkdocs.yml without hooks, then finished by the pass."""
    zensical = _zensical()
    tmp = tmp_path_factory.mktemp("engines")
    overlay = tmp / "overlay"
    case = (FIXTURES / "evidence" / "case-studies" / "peer-researchers.md").read_text(encoding="utf-8")
    (overlay / "case-studies").mkdir(parents=True)
    (overlay / "case-studies" / "peer-researchers.md").write_text(
        re.sub(r"(?m)^summary: .*$", "summary: " + json.dumps(SUMMARY), case, count=1), encoding="utf-8")
    project = make_project(tmp, overlay)
    built = mkdocs_build(project, "--site-dir", str(tmp / "mkdocs"))
    assert built.returncode == 0, built.stderr
    exported = _export_pages(project, "--out", str(project / "export"))
    assert exported.returncode == 0, exported.stdout + exported.stderr
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    del config["hooks"]
    config.update(docs_dir="export", site_dir="zensical-site")  # Zensical wants it inside the project
    (project / "zensical.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    start = time.perf_counter()
    result = subprocess.run([str(zensical), "build", "--strict", "-f", "zensical.yml"], cwd=project,
                            capture_output=True, text=True, timeout=600, check=False)
    seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stdout + result.stderr
    # the policy allows the inline code of the templates Zensical built with, and of overrides/
    finished = _export_pages(project, "--finish", str(project / "zensical-site"), "--theme-dir", str(project / "overrides"),
                             "--theme-dir", str(_zensical_templates()))
    assert finished.returncode == 0, finished.stdout + finished.stderr
    print(f"\nZensical built the export in {seconds:.1f} s; {finished.stdout.strip()}")
    return {"project": project, "mkdocs": tmp / "mkdocs", "zensical": project / "zensical-site"}


def _zensical_templates() -> Path:
    return next((ZENSICAL.parent.parent / "lib").glob("python*/site-packages/zensical/templates"))


def _pages(site_dir: Path) -> dict[str, str]:
    return {p.relative_to(site_dir).as_posix(): p.read_text(encoding="utf-8") for p in site_dir.rglob("*.html")
            if "pagefind" not in p.relative_to(site_dir).parts}


def _head(page: str) -> str:
    return page[:page.index("</head>")]


def _metadata(page: str) -> dict:
    head = _head(page)
    tags = re.findall(r'<meta (?:name|property)="((?:citation_|og:|article:)[^"]*|description)" content="([^"]*)"', head)
    ld = [json.loads(text) for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', head, re.DOTALL)]
    return {"tags": sorted(tags), "json-ld": ld}


def _policy(page: str) -> str:
    found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert len(found) == 1
    return found[0]


def test_every_mkdocs_page_is_in_the_zensical_site_with_its_metadata(sites) -> None:
    mkdocs, zensical = _pages(sites["mkdocs"]), _pages(sites["zensical"])
    assert len(mkdocs) > 50
    assert set(mkdocs) <= set(zensical), sorted(set(mkdocs) - set(zensical))
    citable = 0
    for name, page in mkdocs.items():
        theirs = zensical[name]
        assert _metadata(theirs) == _metadata(page), name
        citable += '<meta name="citation_title"' in page
        # the policy allows exactly the inline scripts and style attributes Zensical's page has
        policy = _policy(theirs)
        assert policy == csp.policy(theirs, csp.known_in([sites["project"] / "overrides", _zensical_templates()])), name
        assert _head(theirs).index("Content-Security-Policy") < _head(theirs).find("<script"), name
        _policy(page)
        # what a stranger wrote is sanitised as the hooks do it: its ids namespaced, the sidebar following
        assert _namespaced(theirs) == _namespaced(page) and "coprod:body" not in theirs, name
        assert 'id="__config"' not in theirs or theirs.index('id="__config"') < theirs.index('class="md-content"')
    assert citable > 10
    case = "case-studies/peer-researchers/index.html"
    for page in (mkdocs[case], zensical[case]):  # the page's own description, escaped, once
        assert re.findall(r'<meta name="description" content="([^"]*)">', page) == [ESCAPED]
    # the generated files and the cite files are there as generated
    for uri in ("case-studies/peer-researchers/cite.bib", "data/case-studies.json", "urls.txt", "feed.xml"):
        assert (sites["zensical"] / uri).read_bytes() == (sites["mkdocs"] / uri).read_bytes(), uri
    assert (sites["zensical"] / "business-case" / "business-case.pdf").read_bytes()[:5] == b"%PDF-"


def _namespaced(page: str) -> list[str]:
    return sorted(re.findall(r'(?:id="|href="#)body-[^"]*"', page))


def test_the_pass_sanitises_what_a_stranger_wrote(sites) -> None:
    build = site.build(sites["project"], site.read_site_config(sites["project"]))
    page = ('<!doctype html><html><head><meta charset="utf-8"><title>x</title></head><body>'
            '<nav><a href="#what-happened" class="md-nav__link">What happened</a></nav>'
            '<article class="md-content__inner md-typeset"><h1>x</h1><!-- coprod:body -->'
            '<h2 id="what-happened">What happened</h2><script>alert(1)</script>'
            '<p class="md-header" data-pagefind-ignore style="color:red">words</p><!-- /coprod:body --></article>'
            '</body></html>')
    finished, searchable = finish.finish_page(page, "case-studies/peer-researchers.md", build,
                                              search.markup_for_records(build.evidence))
    assert "alert(1)" not in finished and "color:red" not in finished and 'class="md-header"' not in finished
    assert '<p class="">words</p>' in finished and "coprod:body" not in finished
    assert '<h2 id="body-what-happened">' in finished and '<a href="#body-what-happened" class="md-nav__link">' in finished
    assert searchable and finished.count("data-pagefind-body") == 1 and '<meta name="citation_title"' in finished
    assert finished.count('http-equiv="Content-Security-Policy"') == 1


def _query(site_dir: Path, *queries: str) -> dict:
    if shutil.which("node") is None:
        pytest.fail("node is needed to query the Pagefind index (Debian: nodejs)", pytrace=False)
    result = subprocess.run(["node", str(QUERY), str(site_dir), *queries], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_every_searchable_page_is_found_in_the_zensical_site(sites) -> None:
    mkdocs = _pages(sites["mkdocs"])
    titles = {}
    for name, page in mkdocs.items():
        if "data-pagefind-body" in page:
            title = re.search(r'data-pagefind-meta="title">([^<]*)<', page).group(1)
            titles["/" + name.removesuffix("index.html")] = title.replace("&amp;", "&")
    assert len(titles) >= 7  # the case studies, the claims and the hand-written pages
    theirs, ours = _query(sites["zensical"], *titles.values()), _query(sites["mkdocs"], *titles.values())
    for address, title in titles.items():
        assert address in theirs["results"][title], (address, title)
    assert theirs["filters"] == ours["filters"]  # the catalogue's facets, and kinds, from the same markup
    # two case studies, two claims, and every other searchable page (hand-written and topic pages)
    assert theirs["filters"]["kind"] == {"case-study": 2, "claim": 2, "page": len(titles) - 4}
    assert _query(sites["zensical"], "zzyzxquux")["results"]["zzyzxquux"] == []


def test_the_pass_leaves_a_finished_site_as_it_is(sites, tmp_path: Path) -> None:
    """Run again over Zensical's finished site and over the one the hooks built, it changes
    no page: every step sees its work already done."""
    build = site.build(sites["project"], site.read_site_config(sites["project"]))
    for engine in ("zensical", "mkdocs"):
        copy = tmp_path / engine
        shutil.copytree(sites[engine], copy)
        before = _pages(copy)
        finish.finish_site(copy, build)
        assert _pages(copy) == before, engine


def test_the_pass_names_what_the_engine_left_out(sites, tmp_path: Path) -> None:
    build = site.build(sites["project"], site.read_site_config(sites["project"]))
    copy = tmp_path / "site"
    shutil.copytree(sites["zensical"], copy)
    (copy / "case-studies" / "peer-researchers" / "index.html").unlink()
    (copy / "data" / "case-studies.csv").write_text("id\n", encoding="utf-8")
    with pytest.raises(finish.FinishError) as raised:
        finish.finish_site(copy, build)
    assert str(raised.value).splitlines() == [
        "/case-studies/peer-researchers/: page missing from the built site (from case-studies/peer-researchers.md)",
        "/data/case-studies.csv: the built site's copy differs from the generated file",
    ]


def _contents(page: str) -> list[str]:
    """The links of a page's table of contents (Material's and Zensical's sidebar)."""
    found = re.search(r'<nav class="md-nav md-nav--secondary"[^>]*>(.*?)</nav>', page, re.DOTALL)
    return re.findall(r'<a href="(#[^"]*)" class="md-nav__link"', found.group(1)) if found else []


def test_a_page_made_from_a_template_has_its_contents_in_the_zensical_site(sites) -> None:
    """The export gives a page made as HTML its headings as markdown headings, so Zensical's
    table of contents lists them, as MkDocs' does."""
    build = site.build(sites["project"], site.read_site_config(sites["project"]))
    made = [uri for uri, page in build.pages.items() if page.is_html]
    assert len(made) > 20
    mkdocs, zensical = _pages(sites["mkdocs"]), _pages(sites["zensical"])
    listed = 0
    for uri in made:
        name = "index.html" if uri == "index.md" else uri.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/index.html"
        ours = _contents(mkdocs[name])
        assert _contents(zensical[name]) == ours, name
        listed += bool(ours)
    assert listed > 20  # pages whose contents list headings (a page may hide them, as the country list does)
