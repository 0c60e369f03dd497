"""Each folder in golden/evidence/ is one bad input laid over the valid fixture, with the
validator's exact expected output in expected.txt."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import TESTS, check_golden, make_evidence

from coprod.cli.validate import run

CASES = sorted(p for p in (TESTS / "golden" / "evidence").iterdir() if p.is_dir())


def validate(evidence: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = run([str(evidence), "--docs", str(evidence / "no-docs"), *args], out=out)
    return code, out.getvalue().replace(str(evidence.parent) + "/", "")


def test_fixture_is_valid(tmp_path: Path) -> None:
    """Valid, with one notice: a GRIPP2 item the sources do not report is named, and is not a
    problem, even with --strict (sources often leave items out; saying so is honest)."""
    code, output = validate(make_evidence(tmp_path), "--strict")
    assert output == ("Notes (1), for information only:\n"
                      "evidence/case-studies/peer-researchers.md:41: gripp2: GRIPP2 short form: 4 of 5 items reported; "
                      "not reported: reflections (if the sources report an item, add it; if they do not, leaving it "
                      "out is right)\n"
                      "No problems found.\n")
    assert code == 0
    code, output = validate(make_evidence(tmp_path / "github"), "--strict", "--format", "github")
    assert output.startswith("::notice file=evidence/case-studies/peer-researchers.md,line=41,") and code == 0


def test_there_are_forty_distinct_bad_inputs() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Path, tmp_path: Path) -> None:
    evidence = make_evidence(tmp_path, case)
    code, output = validate(evidence, "--strict")
    check_golden(case / "expected.txt", output)
    assert code == 1, "a bad input must fail validation"
    assert "Traceback" not in output and "internal error" not in output
