"""scripts/new_case_study.py as a contributor meets it: driven through a pseudo-terminal
(Python's pty module), without a terminal, and stopped at a prompt."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, make_evidence

from coprod.checks.evidence import load_evidence
from coprod.checks.guidance import guidance_blocks, remove_guidance
from coprod.read.new_case_study import MAX_ID_LENGTH, slug_id
from coprod.read.problems import Report

SCRIPT = ROOT / "scripts" / "new_case_study.py"
NEW_ID = "peer-researchers-shaping-a-housing-study"
ESSENTIAL_OPTIONS = (  # every essential but the sources
    "--title", "Peer researchers shaping a housing study",
    "--summary", "Tenants worked as peer researchers and changed the questions a study asked.",
    "--plain-english-summary", "Tenants helped run a study about homes and health. They chose the questions.",
    "--project", "Homes and Health", "--country", "United Kingdom", "--setting", "public-health", "--stage", "design",
    "--role", "tenants",
    "--principle", "sharing-power", "They chose the questions together.",
    "--outcome", "research-relevance", "author-reflection", "The questions were closer to their lives.")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The fixture project's evidence (the real schemas and taxonomy) and docs: the
    scaffold reads the taxonomy and references, and a contributor's new case study or
    reference in the shipped evidence changes nothing here."""
    make_evidence(tmp_path)
    shutil.copytree(FIXTURES / "docs", tmp_path / "docs")
    return tmp_path


class Terminal:
    """The scaffold running on a pseudo-terminal that is its controlling terminal, so Ctrl-C
    and Ctrl-D reach it as they do from a keyboard."""

    def __init__(self, cwd: Path, *args: str) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: become the scaffold
            os.chdir(cwd)
            os.execv(sys.executable, [sys.executable, str(SCRIPT), *args])
        self.seen = ""
        self.pos = 0  # what the test has read so far: each wait looks only at what came after

    def read_until(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.seen[self.pos:]:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"waited {timeout} s for {text!r}; the terminal shows:\n{self.seen}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the child has gone
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"the scaffold ended before {text!r}:\n{self.seen}")
                self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        self.pos = self.seen.index(text, self.pos) + len(text)
        return self.seen

    def answer(self, prompt: str, text: str) -> None:
        self.read_until(prompt)
        os.write(self.fd, text.encode("utf-8") + b"\r")

    def send(self, raw: bytes) -> None:
        os.write(self.fd, raw)

    def finish(self, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        raise AssertionError(f"the scaffold did not end within {timeout} s:\n{self.seen}")


def validate(project: Path) -> Report:
    report = Report()
    load_evidence(project / "evidence", report, citing_dirs=[project / "docs"], display_root=project)
    return report


def test_a_contributor_answers_and_each_misspelling_is_caught_as_it_is_typed(project: Path) -> None:
    t = Terminal(project)
    t.answer("Title (what was co-produced, with whom): ", "")  # a title is needed for the id
    t.answer("Title is needed", "Peer researchers shaping a housing study")
    t.answer("One-sentence summary: ", "Tenants worked as peer researchers and changed the questions a study asked.")
    t.answer("Plain English summary: ", "Tenants helped run a study about homes and health. They chose the "
             "questions. They talked to other tenants.")
    t.answer("Project name: ", "Homes and Health")
    t.answer("Countries, in English", "United Kingdom")
    t.answer("Settings (", "publichealth")
    t.read_until("unknown term 'publichealth' in settings (did you mean 'public-health' (Public health)?")
    t.answer("Settings (", "public-health")
    t.answer("Research stages (", "design, data-colection")
    t.read_until("unknown term 'data-colection' in stages (did you mean 'data-collection' (Collecting data)?")
    t.answer("Research stages (", "design, data-collection")
    t.answer("Roles of the people involved", "tenants working as peer researchers")
    t.answer("Principles (", "sharing-powr")
    t.read_until("unknown term 'sharing-powr' in principles (did you mean 'sharing-power' (Sharing power)?")
    t.answer("Principles (", "sharing-power")
    t.answer("How does it show sharing-power?", "Tenants and researchers chose the questions together.")
    t.answer("An outcome area (", "research-relevance")
    t.answer("Its kind of evidence (", "author-reflexion")
    t.read_until("unknown term 'author-reflexion' in evidence_kinds (did you mean 'author-reflection' (Authors' reflection)?")
    t.answer("Its kind of evidence (", "author-reflection")
    t.answer("What happened?", "The team said the questions were closer to tenants' lives.")
    t.answer("Sources (keys in evidence/references.bib)", "partners22020exploring")
    t.read_until("unknown reference 'partners22020exploring' (keys are case-sensitive: did you mean "
                 "'PARTNERS22020exploring'?)")
    t.answer("Sources (keys in evidence/references.bib)", "PARTNERS22020exploring")
    t.read_until(f"Its id, the permanent address /case-studies/{NEW_ID}/, is: {NEW_ID}")
    t.answer(f"Id (Enter keeps {NEW_ID}, or type a shorter one): ", "")
    assert t.finish() == 0, t.seen
    path = f"evidence/case-studies/{NEW_ID}.md"
    assert (f"Wrote {path} (id {NEW_ID}, status: draft). Next:\n  1. fill it in, following the GUIDANCE lines;\n"
            f"  2. remove them all: python3 scripts/new_case_study.py --remove-guidance {path}\n"
            "  3. check it: python3 scripts/validate.py\n"
            "  4. when it is ready, change status: draft to status: published\n") in t.seen
    assert "Traceback" not in t.seen
    report = validate(project)
    assert report.errors == [], "\n".join(p.format() for p in report.errors)
    assert {p.field for p in report.warnings} == {"guidance"}
    text = (project / path).read_text(encoding="utf-8")
    guidance_lines = len(text.splitlines()) - len(remove_guidance(text)[0].splitlines())
    assert len(guidance_blocks(text)) <= 12 and guidance_lines <= 40, text  # it was 28 blocks, 110 lines


NEW_ENTRY = """
@book{Tenants2026homes,
  author    = {Homes and Health Tenants' Panel},
  title     = {What tenants asked: a housing study's questions},
  year      = {2026},
  publisher = {Homes and Health},
}
"""


def test_a_reference_added_while_the_prompt_waits_counts_and_the_id_can_be_changed(project: Path) -> None:
    """references.bib is read again at each answer; the id is shown, a wrong one is asked
    again, and the contributor's own is used. The file starts as a draft."""
    t = Terminal(project, *ESSENTIAL_OPTIONS)
    t.answer("Sources (keys in evidence/references.bib)", "Tenants2026homes")
    t.read_until("unknown reference 'Tenants2026homes' (add its entry to evidence/references.bib first")
    with open(project / "evidence" / "references.bib", "a", encoding="utf-8") as bib:  # in another window
        bib.write(NEW_ENTRY)
    t.answer("Sources (keys in evidence/references.bib)", "Tenants2026homes")
    t.answer(f"Id (Enter keeps {NEW_ID}, or type a shorter one): ", "Homes & Health")
    t.read_until("'Homes & Health' is not an id: use lower-case words and digits joined by hyphens, 3 to 80")
    t.answer("or type a shorter one): ", "peer-researchers")
    t.read_until("'peer-researchers' is taken")
    t.answer("or type a shorter one): ", "homes-and-health")
    assert t.finish() == 0, t.seen
    text = (project / "evidence" / "case-studies" / "homes-and-health.md").read_text(encoding="utf-8")
    assert "\nid: homes-and-health\n" in text and "\nstatus: draft\n" in text
    assert "- Tenants2026homes" in text
    assert not (project / "evidence" / "case-studies" / f"{NEW_ID}.md").exists()


def test_the_printed_commands_work_outside_the_virtual_environment(project: Path) -> None:
    """The scaffold's closing lines, run as printed with the system's python3 (no markdown,
    no pybtex): guidance out in one command, then the validator passes."""
    subprocess.run([sys.executable, str(SCRIPT), "--no-input", "--title", "Peer researchers shaping a housing study",
                    "--summary", "Tenants worked as peer researchers and changed the questions a study asked.",
                    "--plain-english-summary", ("Tenants helped run a study about homes and health. They chose "
                                              "the questions. They talked to other tenants."), "--project", "Homes and Health",
                    "--setting", "public-health", "--stage", "design", "--role", "tenants",
                    "--principle", "sharing-power", "They chose the questions together.",
                    "--outcome", "research-relevance", "author-reflection", "The questions were closer to their lives.",
                    "--source", "PARTNERS22020exploring"], cwd=project, check=True, capture_output=True)
    # the checkout's scripts beside a copy of its evidence (a link, so they find the checkout's .venv)
    (project / "scripts").symlink_to(ROOT / "scripts", target_is_directory=True)
    outside = Path(getattr(sys, "_base_executable", "") or shutil.which("python3") or "")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    path = f"evidence/case-studies/{NEW_ID}.md"
    removed = subprocess.run([str(outside), "scripts/new_case_study.py", "--remove-guidance", path], cwd=project,
                             env=env, capture_output=True, text=True, timeout=120, check=False)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert re.fullmatch(rf"Removed 1[0-2] guidance blocks from {path}\. Check it with: python3 scripts/validate.py\n",
                        removed.stdout), removed.stdout
    text = (project / path).read_text(encoding="utf-8")
    assert "GUIDANCE" not in text and "\n\n\n" not in text
    assert "## What the project was\n\n## How people were involved" in text
    checked = subprocess.run([str(outside), "scripts/validate.py"], cwd=project, env=env, capture_output=True,
                             text=True, timeout=300, check=False)
    # notes (such as GRIPP2 items a case study does not report) inform and are allowed
    assert checked.returncode == 0 and checked.stdout.endswith("No problems found.\n"), checked.stdout + checked.stderr
    assert "Errors" not in checked.stdout and "Warnings" not in checked.stdout, checked.stdout


@pytest.mark.parametrize(("key", "name"), [(b"\x03", "Ctrl-C"), (b"\x04", "Ctrl-D")])
def test_stopping_at_a_prompt_writes_nothing_and_prints_no_traceback(project: Path, key: bytes, name: str) -> None:
    before = sorted((project / "evidence" / "case-studies").iterdir())
    t = Terminal(project)
    t.answer("Title (what was co-produced, with whom): ", "Peer researchers shaping a housing study")
    t.read_until("One-sentence summary: ")
    # a person presses the key while the prompt waits; Python prints the prompt just before it
    # starts reading, and a Ctrl-C in that gap is only noticed at the next key (CPython's input())
    time.sleep(0.5)
    t.send(key)
    code = t.finish()
    assert "Stopped: nothing was written." in t.seen, (name, t.seen)
    assert "Traceback" not in t.seen and "KeyboardInterrupt" not in t.seen and "EOFError" not in t.seen
    assert code == 130
    assert sorted((project / "evidence" / "case-studies").iterdir()) == before


def test_without_a_terminal_it_says_which_options_are_missing(project: Path) -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--title", "Peer researchers shaping a housing study",
                             "--setting", "public-health"], cwd=project, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert result.stderr == (
        "new_case_study.py: there is no terminal to ask at, so give every essential as an option; missing: "
        "--summary, --plain-english-summary, --project, --stage, --role, --principle, --outcome, --source. Or add "
        "--no-input to write the file with them left empty for the validator to flag. Nothing was written.\n")
    assert not (project / "evidence" / "case-studies" / f"{NEW_ID}.md").exists()


def test_misspelt_options_are_refused_with_did_you_mean(project: Path) -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "--no-input", "--title", "A title long enough",
                             "--setting", "publichealth", "--stage", "desing", "--principle", "reciprocty", "how",
                             "--outcome", "recognition", "measurd", "what", "--source", "Nobody1999"],
                            cwd=project, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    expected = [
        ("new_case_study.py: --setting: unknown term 'publichealth' in settings (did you mean 'public-health' "
        "(Public health)?; other terms: mental-health (Mental health), "),
        "new_case_study.py: --stage: unknown term 'desing' in stages (did you mean 'design' (Design)?; ",
        ("new_case_study.py: --principle: unknown term 'reciprocty' in principles (did you mean 'reciprocity' "
        "(Reciprocity)?; "),
        "new_case_study.py: --outcome: unknown term 'measurd' in evidence_kinds (did you mean 'measured' (Measured)?; ",
        ("new_case_study.py: --source: unknown reference 'Nobody1999' (add its entry to evidence/references.bib "
        "first, or leave it out for now)"),
        "new_case_study.py: nothing was written."]
    assert len(lines) == len(expected) and all(line.startswith(e) for line, e in zip(lines, expected)), lines
    assert "each term's meaning: settings in evidence/taxonomy.yml and on the site at /settings/)" in lines[0]
    assert list((project / "evidence" / "case-studies").glob("a-title*")) == []


def test_a_long_title_is_cut_between_phrases() -> None:
    assert slug_id("Older people co-designing a falls prevention service with their local council") == \
        "older-people-co-designing"
    assert slug_id("Young carers: co-producing a school wellbeing programme in three northern English towns") == \
        "young-carers-co-producing"
    assert slug_id("Peer researchers shaping a housing study") == "peer-researchers-shaping-a-housing-study"
    for title in ("word " * 40, "An evaluation of the role of the public in the design of the study of the city",
                  "x" * 80):
        made = slug_id(title)
        assert len(made) <= MAX_ID_LENGTH and not re.search(r"-(a|an|the|of|in|with|and)$", made), made
        assert title.lower().replace(" ", "-").startswith(made) or title == "x" * 80
