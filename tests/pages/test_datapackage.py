"""/data/datapackage.json: the built open data passes ``frictionless validate`` (PyPI).

The site is the real MkDocs build of the fixture evidence (with a retracted case study
whose title is a spreadsheet formula and references with LaTeX, as in test_exports), never
the shipped content, so adding a case study cannot break this test."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, make_export_evidence

FRICTIONLESS = Path(sys.executable).parent / "frictionless"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("datapackage") / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("hooks", "overrides"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copytree(ROOT / "tests" / "fixtures" / "docs", project / "docs")
    make_export_evidence(project)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site" / "data"


def validate(descriptor: Path) -> dict:
    """``frictionless validate --json`` on ``descriptor``: its report."""
    assert FRICTIONLESS.exists(), "frictionless is in pyproject.toml's test extra; run python3 scripts/dev.py test"
    result = subprocess.run([str(FRICTIONLESS), "validate", "--json", descriptor.name], cwd=descriptor.parent,
                            capture_output=True, text=True, timeout=300, check=False)
    try:
        return json.loads(result.stdout)
    except ValueError:
        pytest.fail(f"frictionless gave no report (exit {result.returncode}): {result.stdout}{result.stderr}")


def errors(report: dict) -> list[str]:
    found = [f"{error['type']}: {error['note']}" for error in report.get("errors", [])]
    for task in report["tasks"]:
        found += [f"{task['name']}: {error['type']}: {error.get('note') or error['message']}"
                  for error in task["errors"]]
    return found


def test_frictionless_validates_the_built_data(data_dir: Path) -> None:
    report = validate(data_dir / "datapackage.json")
    assert errors(report) == [] and report["valid"], errors(report)
    names = {task["name"]: task for task in report["tasks"]}
    table = names["case-studies-csv"]
    assert table["type"] == "table" and table["stats"]["rows"] == 3  # the CSV was read, row by row


def test_every_file_of_data_is_a_described_resource(data_dir: Path) -> None:
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    on_disk = sorted(p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*")
                     if p.is_file() and p.name not in ("datapackage.json", "index.html"))
    resources = package["resources"]
    assert sorted(r["path"] for r in resources) == on_disk
    for resource in resources:
        assert len(resource["description"]) > 20, resource["path"]
        if resource["path"] != "catalogue.json":  # made by the catalogue's pages, described without its size
            assert resource["bytes"] == (data_dir / resource["path"]).stat().st_size
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    page = (data_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="datapackage.json"' in page and "Frictionless Data Package" in page


def test_the_table_schema_checks_the_values(data_dir: Path, tmp_path: Path) -> None:
    """A value outside its vocabulary or range fails, so the schema is not a formality: a
    copy of /data/ with one bad key and one bad year (sizes and hashes taken out)."""
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    csv_path = copy / "case-studies.csv"
    text = csv_path.read_text(encoding="utf-8")
    assert "public-health; mental-health" in text and ",2019," in text
    csv_path.write_text(text.replace("public-health; mental-health", "public-health; mental-wealth")
                        .replace(",2019,", ",1066,"), encoding="utf-8")
    package = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        resource.pop("bytes", None)
        resource.pop("hash", None)
    (copy / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    found = errors(validate(copy / "datapackage.json"))
    assert any("constraint-error" in e and "pattern" in e for e in found), found
    assert any("constraint-error" in e and "minimum" in e for e in found), found
    assert len(found) == 2, found
