"""The contribute form, filled in as a new contributor would: the file it makes passes the validator.

Until the lead wires ``contribute_pages`` into the build, this module builds its own small
site: a copy of the project with the generated pages written into its docs/.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from coprod.checks.library import load as load_library
from coprod.pages.contribute import FIELDS, FORM, contribute_pages
from coprod.read.problems import Report
from coprod.site import read_site_config

from .conftest import ROOT, _QuietHandler

COPIED = ("mkdocs.yml", "hooks", "overrides", "docs", "evidence", "coprod")


def _wired() -> bool:
    return "contribute_pages" in (ROOT / "coprod" / "site.py").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project, with the contribute pages in docs/ unless the build makes them."""
    root = tmp_path_factory.mktemp("project")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, root / name)
    if not _wired():
        evidence = load_library(root / "evidence", Report())
        for page in contribute_pages(evidence, read_site_config(ROOT)["repo_url"]):
            (root / "docs" / page.uri).parent.mkdir(parents=True, exist_ok=True)
            (root / "docs" / page.uri).write_text(page.content, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def base_url(project: Path):
    site = project / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                            cwd=project, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _type(page, selector: str, text: str) -> None:
    page.click(selector)
    page.keyboard.type(text)


PLAIN = ("Young carers look after someone at home. A team of young carers and researchers planned a study about "
         "help at school. The young carers chose what to ask. They also helped share what the study found. "
         "The team said the study was better because of them.")


def test_a_new_contributor_makes_a_valid_file(page, base_url, project: Path, tmp_path: Path) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"/{FORM[:-len('index.md')]}")
    page.click("details.cf-editors > summary")  # the file-writing form is for editors, folded
    page.wait_for_selector("#cf-form")

    page.click("#cf-make")  # nothing filled in yet: the form says what is missing
    assert page.locator("#cf-errors").is_visible()
    assert "fill this in" in page.locator("#cf-errors").inner_text()
    assert page.locator("#cf-result").is_hidden()

    _type(page, "#cf-title", "Young carers co-designing a school support study")
    assert page.input_value("#cf-id") == "young-carers-co-designing-a-school-support-study"
    _type(page, "#cf-summary", "Young carers and researchers designed a study of school support together.")
    _type(page, "#cf-plain_english_summary", PLAIN)
    grade = page.locator("#cf-plain_english_summary-grade").inner_text()
    assert grade.startswith("Reading grade ") and "plain English" in grade
    _type(page, "#cf-project-name", "Carers at School")
    _type(page, "#cf-project-countries", "United Kingdom")
    page.click('input[name="cf-settings"][value="children-and-young-people"]')
    page.click('input[name="cf-research_stages"][value="design"]')
    _type(page, "#cf-involved-item-role-1", "young carers aged 14 to 18")
    page.click("#cf-involved .cf-add")  # a second role, added by keyboard after the click
    page.keyboard.type("university researchers")
    page.select_option("#cf-principles-item-principle-1", "sharing-power")
    _type(page, "#cf-principles-item-how-1", "Young carers and researchers chose the questions together.")
    page.select_option("#cf-outcomes-item-area-1", "research-relevance")
    page.select_option("#cf-outcomes-item-evidence-1", "author-reflection")
    _type(page, "#cf-outcomes-item-description-1", "The team said the questions fitted young carers' lives better.")
    page.select_option("#cf-outcomes-item-sources-1", ["PARTNERS22020exploring"])
    page.select_option("#cf-sources", ["PARTNERS22020exploring"])
    page.click("#cf-body")
    page.keyboard.press("Control+End")
    page.keyboard.type("A study of support at school for young carers [@PARTNERS22020exploring].")
    page.click("#cf-make")

    assert page.locator("#cf-errors").is_hidden(), page.locator("#cf-errors").inner_text()
    text = page.input_value("#cf-output")
    name = page.locator("#cf-filename").inner_text()
    assert name == "evidence/case-studies/young-carers-co-designing-a-school-support-study.md"
    github = page.get_attribute("#cf-github", "href")
    repo = read_site_config(ROOT)["repo_url"]
    assert github.startswith(f"{repo}/new/main/evidence/case-studies?filename=young-carers-co-designing")
    assert page.get_attribute("#cf-download", "href").startswith("blob:")

    copy = tmp_path / "copy"
    shutil.copytree(project / "evidence", copy / "evidence")
    shutil.copytree(ROOT / "docs", copy / "docs")
    (copy / name).write_text(text, encoding="utf-8")
    report = Report()
    evidence = load_library(copy / "evidence", report, citing_dirs=[copy / "docs"])
    assert report.errors == [], "\n".join(p.format() for p in report.errors)
    assert [i.role for i in evidence.case_studies["young-carers-co-designing-a-school-support-study"].involved] == [
        "young carers aged 14 to 18", "university researchers"]

    assert page.console_errors == [] and page.failed_requests == []
    assert all(url.startswith(base_url) for url in requests), "the form must send nothing elsewhere"


def test_the_field_reference_opens(page, base_url) -> None:
    page.goto(f"/{FIELDS[:-3]}/")
    assert page.locator("h1").first.inner_text().startswith("Field reference")
    assert page.locator("code", has_text="outcomes[].evidence").count() == 1
    assert page.console_errors == [] and page.failed_requests == []
