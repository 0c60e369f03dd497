"""Shared test helpers: a fixture evidence folder built from the repository's schemas."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(autouse=True, scope="session")
def _cache_home(tmp_path_factory):
    """The build's cache (coprod/buildcache.py) of every test project in a folder of this
    session, not in the user's own cache folder (a test may replace it with its own)."""
    saved = os.environ.get("COPROD_CACHE_HOME")
    os.environ["COPROD_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache-home"))
    yield
    if saved is None:
        os.environ.pop("COPROD_CACHE_HOME", None)
    else:
        os.environ["COPROD_CACHE_HOME"] = saved


def make_evidence(target: Path, overlay: Path | None = None) -> Path:
    """A fixture evidence folder in ``target``: the real schemas and taxonomy, the fixture
    records and bibliography, then the files of ``overlay`` on top (a file named
    ``<name>.delete`` removes ``<name>``)."""
    evidence = target / "evidence"
    shutil.copytree(FIXTURES / "evidence", evidence)
    shutil.copytree(ROOT / "evidence" / "schema", evidence / "schema")
    shutil.copy(ROOT / "evidence" / "taxonomy.yml", evidence / "taxonomy.yml")
    if overlay is not None:
        for path in sorted(overlay.rglob("*")):
            relative = path.relative_to(overlay)
            if path.is_dir() or relative.name in ("expected.txt", "README"):
                continue
            if relative.suffix == ".delete":
                (evidence / relative.with_suffix("")).unlink()
                continue
            (evidence / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, evidence / relative)
    return evidence


def edit_record(library, kind: str, record_id: str, edit) -> None:
    """Change one record of a loaded model (its records are frozen): ``edit`` changes a copy
    of the record's front matter, and the record is built again from it."""
    import copy

    from coprod.model import with_front_matter

    records = library.case_studies if kind == "case-study" else library.claims
    data = copy.deepcopy(dict(records[record_id].front_matter))
    edit(data)
    records[record_id] = with_front_matter(records[record_id], data, library.fields, library.taxonomy)


def check_golden(path: Path, actual: str) -> None:
    """Compare with a reviewed golden file; UPDATE_GOLDEN=1 rewrites it for review as a diff.

    Golden files snapshot fixtures, never the shipped evidence: a contributor's new case
    study, claim or reference must not change one."""
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    how = (f"if the change is intended, run the test again with UPDATE_GOLDEN=1 (for example "
           f"UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/ -k <test name>), then review the diff "
           f"(git diff {shown}) and commit it")
    assert path.exists(), f"missing golden file {shown}: {how}"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(keepends=True), actual.splitlines(keepends=True),
                                            f"{shown} (golden)", "actual output", n=2))
        pytest.fail(f"output differs from the golden file {shown}; {how}\n{diff}", pytrace=False)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The shipped site, built once (strict) for every test that reads the built pages."""
    out = tmp_path_factory.mktemp("site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture
def evidence_dir(tmp_path: Path) -> Path:
    return make_evidence(tmp_path)
