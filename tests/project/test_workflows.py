"""The GitHub Actions workflows pass zizmor's security audit, run offline."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def _zizmor(*paths: Path) -> subprocess.CompletedProcess:
    tool = Path(sys.executable).parent / "zizmor"
    if not tool.exists():
        found = shutil.which("zizmor")
        if found is None:
            pytest.fail("zizmor is not installed: it is in the test extras of pyproject.toml "
                        "(python3 scripts/dev.py test installs it)", pytrace=False)
        tool = Path(found)
    return subprocess.run([str(tool), "--offline", "--no-progress", *map(str, paths)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    result = _zizmor(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_zizmor_catches_an_unpinned_action_and_persisted_credentials(tmp_path: Path) -> None:
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text(
        "name: bad\non: push\npermissions: {}\njobs:\n  a:\n    name: a\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n", encoding="utf-8")
    result = _zizmor(workflows)
    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout and "artipacked" in result.stdout, result.stdout


USES = re.compile(r"^\s*(?:- )?uses:\s*(\S+)(.*)$", re.MULTILINE)


def test_every_action_is_pinned_to_a_commit_with_its_version_named() -> None:
    found = 0
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for action, rest in USES.findall(path.read_text(encoding="utf-8")):
            found += 1
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), f"{path.name}: {action} is not pinned"
            assert re.fullmatch(r"\s+# v\d+(\.\d+)*", rest), f"{path.name}: {action} needs '# vX.Y.Z' after it"
    assert found >= 10


def test_every_checkout_drops_its_credentials() -> None:
    checkouts = 0
    for path in sorted(WORKFLOWS.glob("*.yml")):
        for job in yaml.safe_load(path.read_text(encoding="utf-8"))["jobs"].values():
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/checkout@"):
                    checkouts += 1
                    assert step.get("with", {}).get("persist-credentials") is False, path.name
    assert checkouts >= 4
