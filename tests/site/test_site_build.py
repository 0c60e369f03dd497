"""The real MkDocs build of the shipped evidence: every page, anchor and export is there."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, make_project
from pybtex.database import parse_string

from coprod.checks.library import load as load_library
from coprod.read import urls
from coprod.read.problems import Report


@pytest.fixture(scope="module")
def built(site_dir: Path) -> Path:
    return site_dir


@pytest.fixture(scope="module")
def evidence():
    report = Report()
    loaded = load_library(ROOT / "evidence", report)
    assert not report.errors
    return loaded


def html(site: Path, uri: str) -> str:
    address = urls.address(uri).lstrip("/")
    return (site / address / "index.html").read_text(encoding="utf-8") if address.endswith("/") or not address \
        else (site / address).read_text(encoding="utf-8")


def test_every_record_has_its_page(built: Path, evidence) -> None:
    for record in evidence.published("case-study"):
        page = html(built, urls.case_study(record.id))
        assert "At a glance" in page and "References" in page, record.id
    for record in evidence.published("claim"):
        assert "Strength of evidence" in html(built, urls.claim(record.id)), record.id


def test_bibliography_has_an_anchor_per_entry(built: Path, evidence) -> None:
    page = html(built, urls.REFERENCES)
    for key in evidence.bibliography.entries:
        assert f'id="{urls.reference_anchor(key)}"' in page, key


def test_exports_hold_every_published_record(built: Path, evidence) -> None:
    data = built / "data"
    cases = json.loads((data / "case-studies.json").read_text(encoding="utf-8"))
    ids = {r.id for r in evidence.published("case-study")}
    assert {r["id"] for r in cases["records"]} == ids
    rows = list(csv.DictReader(io.StringIO((data / "case-studies.csv").read_text(encoding="utf-8"))))
    assert {r["id"] for r in rows} == ids
    claims = json.loads((data / "claims.json").read_text(encoding="utf-8"))
    assert {r["id"] for r in claims["records"]} == {r.id for r in evidence.published("claim")}
    bib = parse_string((data / "references.bib").read_text(encoding="utf-8"), "bibtex")
    assert set(bib.entries) == set(evidence.bibliography.entries)
    csl = json.loads((data / "references.json").read_text(encoding="utf-8"))
    assert {item["id"] for item in csl} == set(evidence.bibliography.entries)
    for name in ("case-study", "claim", "common", "taxonomy"):
        assert json.loads((data / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))["$id"]


def test_home_page_shows_live_counts(built: Path, evidence) -> None:
    page = html(built, urls.HOME)
    count = len([r for r in evidence.published("case-study") if r.status == "published"])
    assert f'<span class="coprod-way__count">{count} case studies</span>' in page
    assert "Newest case studies" in page and 'class="coprod-card"' in page
    assert '<input type="search" id="home-search" name="q"' in page


def test_navigation_lists_sections_not_every_case_study(built: Path, evidence) -> None:
    page = (built / "404.html").read_text(encoding="utf-8")  # the navigation and nothing else
    assert "Case studies" in page and "Evidence map" in page
    for record in evidence.published("case-study"):
        assert f"case-studies/{record.id}/" not in page


def test_no_generated_page_is_written_into_docs() -> None:
    tracked = subprocess.run(["git", "status", "--porcelain", "--", "docs"], cwd=ROOT, capture_output=True,
                             text=True, check=False).stdout
    assert "case-studies" not in tracked and not (ROOT / "docs" / "case-studies").exists()


def test_prerendered_lists_give_the_same_site(built: Path, tmp_path: Path) -> None:
    """Each case study's and claim's body is the validator's HTML of it; the site must be
    byte-identical to the one made when MkDocs renders every body (COPROD_NO_PRERENDER=1)."""
    plain = tmp_path / "plain"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", COPROD_NO_PRERENDER="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(plain)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    def files(site: Path) -> list[Path]:  # Pagefind names its index files by content hash
        return sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file() and "pagefind" not in p.parts)

    built_files = files(built)
    assert built_files == files(plain)
    differ = [str(f) for f in built_files if (built / f).read_bytes() != (plain / f).read_bytes()
              and f.suffix == ".html"]
    assert differ == []


def test_a_dirty_rebuild_keeps_every_page_in_the_search_index(tmp_path: Path) -> None:
    """``mkdocs build --dirty`` renders only the pages that changed; the pages it skips
    must stay searchable (the hook then indexes the written site instead). On the fixture
    project: what is tested is the dirty build's index, not the shipped content."""
    from coprod.search import indexed_pages

    project = make_project(tmp_path)
    site = tmp_path / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    counts = []
    for extra in ([], ["--dirty"]):
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site), *extra],
                                cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        counts.append(indexed_pages(site))
    hand_written = len(list((project / "docs").rglob("*.md")))
    assert counts[0] > hand_written and counts[1] == counts[0]


def test_edit_buttons_open_the_file_a_contributor_changes(built: Path, evidence) -> None:
    """Material's edit button (edit_uri plus each file's File.edit_uri): a hand-written page
    opens docs/<page>.md, a record's page opens its evidence file; no other page has one."""
    import re

    def buttons(uri: str) -> list[str]:
        return re.findall(r'<a href="([^"]*)" title="Edit this page" class="md-content__button', html(built, uri))

    assert [b.split("/edit/main/", 1)[1] for b in buttons("about.md")] == ["docs/about.md"]
    record = evidence.published("case-study")[0]
    assert [b.split("/edit/main/", 1)[1] for b in buttons(urls.case_study(record.id))] == [record.path]
    assert buttons(urls.REFERENCES) == [], "a generated list has no file of its own to edit"
