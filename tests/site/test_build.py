"""The real MkDocs build: the hook checks the evidence and stops on errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from helpers import ROOT, make_project, mkdocs_build


def test_fixture_site_builds(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    catalogue = (project / "site" / "case-studies" / "index.html").read_text(encoding="utf-8")
    assert "Peer researchers shaping a community health study" in catalogue
    assert "An advisory panel of people with a learning disability" in catalogue
    assert not list((project / "docs").rglob("case-studies")), "generated pages must not be written into docs/"


def test_errors_stop_the_build_with_the_validators_messages(tmp_path: Path) -> None:
    overlay = ROOT / "tests" / "golden" / "evidence" / "taxonomy-unknown-principle"
    result = mkdocs_build(make_project(tmp_path, overlay))
    assert result.returncode != 0
    assert ("evidence/case-studies/peer-researchers.md:27: principles[1].principle: unknown term 'reciprocty' "
            "in principles (did you mean 'reciprocity' (Reciprocity)?") in result.stderr
    assert "Traceback" not in result.stderr


def test_warnings_fail_a_strict_build(tmp_path: Path) -> None:
    overlay = ROOT / "tests" / "golden" / "evidence" / "bib-unused-reference"
    result = mkdocs_build(make_project(tmp_path, overlay))
    assert result.returncode != 0
    assert "reference 'Unused2020' is not cited anywhere" in result.stderr


def test_shipped_evidence_passes_strict_validation() -> None:
    result = subprocess.run([sys.executable, "scripts/validate.py", "--strict"], cwd=ROOT, capture_output=True,
                            text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout
    assert result.stdout.endswith("No problems found.\n"), result.stdout  # notes (for information) may come first


def test_shipped_site_builds(tmp_path: Path) -> None:
    result = mkdocs_build(ROOT, "--site-dir", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").exists()


FORK_SITE = "https://fork.example.org/library"
FORK_REPO = "https://github.com/someone/their-fork"


def test_a_fork_publishes_its_own_addresses(tmp_path: Path) -> None:
    """SITE_URL and REPO_URL (set by the Pages workflow) replace mkdocs.yml's placeholders in
    every address a build publishes, and the build says which it used."""
    project = make_project(tmp_path)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL=FORK_SITE, REPO_URL=FORK_REPO,
               EDITORS_EMAIL="editors@fork.example.org")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout
    assert (f"Addresses: site {FORK_SITE}/ (from SITE_URL), repository {FORK_REPO} (from REPO_URL), "
            "editors editors@fork.example.org (from EDITORS_EMAIL)" in result.stdout), result.stdout
    site = project / "site"
    page = (site / "case-studies" / "peer-researchers" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{FORK_SITE}/case-studies/peer-researchers/">' in page
    assert f'href="{FORK_REPO}/edit/main/evidence/case-studies/peer-researchers.md"' in page
    assert f'href="{FORK_REPO}"' in page  # the header's link to the repository
    address = f"{FORK_SITE}/case-studies/peer-researchers/"
    assert f"url = {{{address}}}" in (site / "case-studies" / "peer-researchers" / "cite.bib").read_text("utf-8")
    assert f"UR  - {address}" in (site / "case-studies" / "peer-researchers" / "cite.ris").read_text("utf-8")
    assert f"<id>{address}</id>" in (site / "feed.xml").read_text(encoding="utf-8")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{address}</loc>" in sitemap and "<loc>https://coproduction-evidence" not in sitemap
    contribute = (site / "contribute" / "index.html").read_text(encoding="utf-8")
    assert FORK_REPO in contribute and "mailto:editors@fork.example.org?" in contribute
    # nothing published points at the placeholders (the JSON Schemas' $id are names, not links)
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".bib", ".ris", ".json", ".txt") \
                and path.parent.name != "schema":
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "coproduction-evidence.example" not in text, path
            assert "github.com/coproduction-evidence" not in text, path


def test_a_local_build_says_which_address_it_used(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "REPO_URL")}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=make_project(tmp_path),
                            env=dict(env, NO_MKDOCS_2_WARNING="1"), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout
    assert ("Addresses: site https://coproduction-evidence.example/ (from mkdocs.yml; set SITE_URL to change it), "
            "repository https://github.com/coproduction-evidence/library (from mkdocs.yml; set REPO_URL to change it)"
            in result.stdout), result.stdout


def test_an_address_that_is_not_a_web_address_stops_the_build(tmp_path: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="fork.example.org/library")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=make_project(tmp_path),
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600,
                            check=False)
    assert result.returncode != 0
    assert ("SITE_URL='fork.example.org/library' is not a web address; expected one like "
            "'https://example.org/library/' (or unset SITE_URL to use mkdocs.yml's)") in result.stdout
    assert "Traceback" not in result.stdout


SUMMARY = re.compile(r"INFO    -  (Addresses: .*|Cleaning site directory|Building documentation to directory: .*"
                     r"|Search: Pagefind indexed \d+ pages in [\d.]+ s|Documentation built in [\d.]+ seconds)")


def test_a_clean_build_prints_only_the_summary(tmp_path: Path) -> None:
    result = mkdocs_build(make_project(tmp_path))
    assert result.returncode == 0, result.stdout
    lines = result.stdout.strip().split("\n")
    assert [line for line in lines if not SUMMARY.fullmatch(line)] == [], result.stdout
    assert len(lines) == 5, result.stdout


def test_real_problems_still_print(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "docs" / "stray.md").write_text("# A page no menu reaches\n", encoding="utf-8")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nSee [the missing page](missing.md).\n", encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0  # strict: the broken link is a warning, fatal
    assert ('The following pages exist in the docs directory, but are not included in the "nav" configuration:\n'
            "  - stray.md\n") in result.stdout
    assert "WARNING -  Doc file 'about.md' contains a link 'missing.md'" in result.stdout, result.stdout
