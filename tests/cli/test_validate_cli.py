"""scripts/validate.py as a contributor and as CI run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers import ROOT, make_evidence

GOLDEN = ROOT / "tests" / "golden" / "evidence"


def run_script(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, check=False)


def test_no_arguments_checks_evidence_in_the_current_folder(tmp_path: Path) -> None:
    make_evidence(tmp_path, GOLDEN / "taxonomy-unknown-principle")
    result = run_script(cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "Errors (1):"
    assert lines[1].startswith("evidence/case-studies/peer-researchers.md:27: principles[1].principle: unknown term "
                               "'reciprocty' in principles (did you mean 'reciprocity' (Reciprocity)?")
    assert result.stderr == ""


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    make_evidence(tmp_path, GOLDEN / "bib-unused-reference")
    assert run_script(cwd=tmp_path).returncode == 0
    strict = run_script("--strict", cwd=tmp_path)
    assert strict.returncode == 1
    assert "Warnings (1) (fatal with --strict):" in strict.stdout


def test_github_annotations(tmp_path: Path) -> None:
    make_evidence(tmp_path, GOLDEN / "cross-alias-used-twice")
    make_evidence(tmp_path / "w", GOLDEN / "bib-unused-reference")
    result = run_script("--format", "github", cwd=tmp_path)
    assert result.returncode == 1
    error, *notices = result.stdout.splitlines(keepends=True)
    assert error == (
        "::error file=evidence/case-studies/peer-researchers.md,line=9,title=error in aliases[0]::aliases[0]: "
        "alias 'old-name' is also an alias of evidence/case-studies/learning-disability-panel.md "
        "(each old id can point to one record only)\n")
    # the overlay's case studies give no GRIPP2 items: a notice each, after the error
    assert len(notices) == 2 and all(n.startswith("::notice file=evidence/case-studies/") for n in notices)
    warning = run_script("--format", "github", cwd=tmp_path / "w").stdout
    assert warning.startswith("::warning file=evidence/references.bib,line=36,title=warning in references[Unused2020]::")


def test_json_output_is_a_list_of_problems(tmp_path: Path) -> None:
    make_evidence(tmp_path, GOLDEN / "schema-status-not-in-list")
    result = run_script("--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert [p for p in problems if p["severity"] != "note"] == [{
        "path": "evidence/case-studies/peer-researchers.md", "line": 9, "field": "status",
        "message": "'publshed' is not one of: published, draft, retracted", "severity": "error",
        "hint": "did you mean 'published'?",
    }]
    assert {p["field"] for p in problems if p["severity"] == "note"} == {"gripp2"}


def test_clean_folder_exits_zero(tmp_path: Path) -> None:
    make_evidence(tmp_path)
    result = run_script("--strict", cwd=tmp_path)
    assert result.returncode == 0
    # a GRIPP2 item the sources do not report is a note, which --strict does not count
    assert result.stdout == ("Notes (1), for information only:\n"
                             "evidence/case-studies/peer-researchers.md:41: gripp2: GRIPP2 short form: 4 of 5 items "
                             "reported; not reported: reflections (if the sources report an item, add it; if they do "
                             "not, leaving it out is right)\nNo problems found.\n")


def test_missing_folder_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    result = run_script("nowhere", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("Errors (1):\nnowhere: evidence: no such folder")
    assert "Traceback" not in result.stdout + result.stderr


def test_internal_failure_names_the_file(tmp_path: Path) -> None:
    evidence = make_evidence(tmp_path)
    # a schema the editors broke: the validator reports it and does not crash
    (evidence / "schema" / "claim.schema.json").write_text("{ not json", encoding="utf-8")
    result = run_script(cwd=tmp_path)
    assert result.returncode == 1
    assert "evidence/schema:1: schema: the schemas cannot be loaded: JSONDecodeError" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_symbolic_links_are_refused(tmp_path: Path) -> None:
    """A link could publish any file of the build machine, such as a key."""
    evidence = make_evidence(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text("---\nid: secret\n---\n", encoding="utf-8")
    (evidence / "case-studies" / "secret.md").symlink_to(secret)
    result = run_script(cwd=tmp_path)
    assert result.returncode == 1
    assert (f"evidence/case-studies/secret.md: file: a symbolic link (to \"{secret}\") is not allowed: the build "
            "neither reads nor copies what a link points to (commit the file itself, not a symbolic link)") in result.stdout


def test_help_describes_every_option() -> None:
    result = run_script("--help", cwd=ROOT)
    assert result.returncode == 0
    for option in ("--strict", "--format", "{text,github,json}", "--docs"):
        assert option in result.stdout
