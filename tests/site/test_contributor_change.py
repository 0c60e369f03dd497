"""A contributor's ordinary change keeps everything green (issue 15, item 2).

A copy of the shipped evidence gets what the README asks contributors to add: a new
reference (exported from a reference manager, so with an abstract, keywords and a private
fact-checking note the site does not publish), a new case study citing it and a new claim.
The content checks then run on the copy: the validator (strict), the real strict MkDocs
build, and the invariants the shipped-content tests check (every reference formats, every
label is unique, every record has its page).
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from helpers import ROOT, check_bibliography_invariants, mkdocs_build

from coprod.cite.bibtex import load_bibliography
from coprod.cite.references import References
from coprod.cli.validate import run
from coprod.read import urls
from coprod.read.problems import Report

NEW_KEY = "Contributor2026newstudy"
NEW_CASE = "contributor-test-new-case-study"
NEW_CLAIM = "contributor-test-new-claim"
PRIVATE = "PRIVATE-FACT-CHECK-NOTE-7f3a"
ABSTRACT = "ABSTRACT-NEVER-PUBLISHED-91c2"

NEW_REFERENCE = f"""
@article{{{NEW_KEY},
  author = {{Okafor, Chidi and Ahmed, Sana and {{Tenants' Research Panel}}}},
  title = {{Tenants as co-researchers in a housing and health study}},
  journal = {{Research Involvement and Engagement}},
  year = {{2026}},
  volume = {{12}},
  pages = {{1--14}},
  doi = {{10.1186/s40900-026-00001-2}},
  abstract = {{<jats:p>{ABSTRACT} with <sup>tags</sup> and <i>markup</i>.</jats:p>}},
  keywords = {{co-production; housing}},
  file = {{:Okafor2026.pdf:PDF}},
  x-private-note = {{{PRIVATE}: checked against the journal's page}},
}}
"""


def _copy_record(folder: Path, old_id: str, new_id: str, title: str) -> Path:
    """A shipped record under a new id and title, its body citing the new reference."""
    text = (folder / f"{old_id}.md").read_text(encoding="utf-8")
    front, body = text[4:].split("\n---\n", 1)
    front = re.sub(r"(?m)^id: .*$", f"id: {new_id}", front, count=1)
    front = re.sub(r"(?m)^title: .*$", f"title: {title}", front, count=1)
    front = re.sub(r"(?m)^aliases:\n(?:  - .*\n)*", "", front + "\n").rstrip("\n")
    if re.search(r"(?m)^sources:$", front):
        front = re.sub(r"(?m)^sources:$", f"sources:\n  - {NEW_KEY}", front, count=1)
    body = body.rstrip("\n") + f"\n\nA later study of tenants as co-researchers found the same [@{NEW_KEY}].\n"
    path = folder / f"{new_id}.md"
    path.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("contributor") / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("hooks", "overrides", "docs", "evidence"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    evidence = project / "evidence"
    with (evidence / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(NEW_REFERENCE)
    cases = sorted((evidence / "case-studies").glob("*.md"))
    claims = sorted((evidence / "claims").glob("*.md"))
    _copy_record(evidence / "case-studies", cases[0].stem, NEW_CASE, "Tenants researching their own housing and health")
    _copy_record(evidence / "claims", claims[0].stem, NEW_CLAIM, "Tenants who research their housing change the questions asked")
    return project


def test_the_change_passes_strict_validation(project: Path) -> None:
    out = io.StringIO()
    code = run([str(project / "evidence"), "--docs", str(project / "docs"), "--strict"], out=out)
    assert code == 0, out.getvalue()
    assert out.getvalue().endswith("No problems found.\n"), out.getvalue()


def test_the_content_invariants_hold_on_the_change(project: Path) -> None:
    report = Report()
    bibliography = load_bibliography(project / "evidence" / "references.bib", report)
    assert not report.errors and not report.warnings
    assert NEW_KEY in bibliography.entries
    assert bibliography.unpublished[NEW_KEY]["x-private-note"].startswith(PRIVATE)
    check_bibliography_invariants(References(bibliography))


def test_the_change_builds_and_publishes_nothing_private(project: Path) -> None:
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for uri in (urls.case_study(NEW_CASE), urls.claim(NEW_CLAIM)):
        page = site / urls.address(uri).strip("/") / "index.html"
        assert page.exists(), uri
        assert "Okafor" in page.read_text(encoding="utf-8"), uri  # the new reference is cited there
    references = (site / urls.address(urls.REFERENCES).strip("/") / "index.html").read_text(encoding="utf-8")
    assert f'id="{urls.reference_anchor(NEW_KEY)}"' in references
    leaked = [path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()
              and (PRIVATE.encode() in path.read_bytes() or ABSTRACT.encode() in path.read_bytes())]
    assert not leaked, f"unpublished fields reached {leaked}"
    bib = (site / "data" / "references.bib").read_text(encoding="utf-8")
    assert NEW_KEY in bib
    assert not re.search(r"(?im)^\s*(abstract|keywords|file|x-private-note)\s*=", bib)
