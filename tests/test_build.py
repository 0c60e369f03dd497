"""The real MkDocs build: the hook checks the evidence and stops on errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, make_evidence


def make_project(tmp_path: Path, overlay: Path | None = None) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "hooks", project / "hooks")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(ROOT / "tests" / "fixtures" / "docs", project / "docs")
    make_evidence(project, overlay)
    return project


def mkdocs_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", *args], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, check=False)
    result.stderr = result.stdout  # MkDocs prints its log and an Abort's message to different streams
    return result


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
            "in principles (did you mean 'reciprocity'?)") in result.stderr
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
