"""Logs carry no commands (issue 26, item 6): a YAML key holding line breaks and workflow
commands (``::notice``, ``::add-mask::``, ``##vso[``) is printed by every output format of
scripts/validate.py on one line, and no printed line is read by a CI system as a command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, make_evidence

KEY = "x\n::notice title=Approved::approved by the editors\r\n::add-mask::secret\u2028##vso[task.complete]done\n##[group]y"


def _evidence(tmp_path: Path) -> Path:
    source = (FIXTURES / "evidence" / "case-studies" / "peer-researchers.md").read_text(encoding="utf-8")
    key = json.dumps(KEY)  # a double-quoted YAML key: its escapes are the line breaks
    overlay = tmp_path / "overlay" / "case-studies"
    overlay.mkdir(parents=True)
    (overlay / "peer-researchers.md").write_text(source.replace("licence: CC-BY-4.0\n", f"licence: CC-BY-4.0\n{key}: 1\n"),
                                                 encoding="utf-8")
    make_evidence(tmp_path / "project", tmp_path / "overlay")
    return tmp_path / "project"


def _run(fmt: str, cwd: Path) -> str:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), "--format", fmt], cwd=cwd,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr == ""
    return result.stdout


COMMAND = re.compile(r"\s*(?:::|##)")


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_contributed_text_never_starts_a_command_line(tmp_path: Path, fmt: str) -> None:
    out = _run(fmt, _evidence(tmp_path))
    # a log reader splits at any of these; Python's splitlines knows them all
    lines = out.splitlines()
    assert any("add-mask" in line for line in lines), out  # the key is reported
    if fmt == "github":
        assert all(re.match(r"::(error|warning|notice) file=", line) for line in lines), lines
        errors = [line for line in lines if line.startswith("::error ")]  # the fixture's GRIPP2 note is a ::notice
        assert len(errors) == 1, lines  # one problem, one command
        assert "\\n::notice title=Approved::approved by the editors\\r\\n::add-mask::secret\\u2028" in errors[0]
    else:
        assert [line for line in lines if COMMAND.match(line)] == []
    if fmt == "text":
        assert ("x\\n::notice title=Approved::approved by the editors\\r\\n::add-mask::secret\\u2028##vso\\[task.complete]"
                "done\\n##[group]y: unknown field") in out
    if fmt == "json":
        assert json.loads(out)[0]["field"] == KEY  # JSON keeps the text; its escapes keep it on one line
        assert "##vso[" not in out
