"""What the tests share: the repository's folders, a fixture evidence folder, golden files,
a fixture MkDocs project and its build, and small readers of built pages. Every test
module imports from here (``from helpers import ...``); ``conftest.py`` holds only pytest's
fixtures and hooks."""

from __future__ import annotations

import contextlib
import difflib
import os
import posixpath
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import markdown
import pytest

from coprod.checks.library import load as load_library
from coprod.cite.references import References
from coprod.model import Library
from coprod.read import buildcache, urls
from coprod.read.problems import Report

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


FIXTURES = TESTS / "fixtures"


UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


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

    from coprod.checks.library import with_front_matter

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


def make_project(tmp_path: Path, overlay: Path | None = None) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "hooks", project / "hooks")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(ROOT / "tests" / "fixtures" / "docs", project / "docs")
    make_evidence(project, overlay)
    return project


def forbid_rendering(monkeypatch, who: str) -> None:
    """From here on this process renders no citation and no PDF: the citation processor
    cannot start (and nothing is answered from its memory), and WeasyPrint cannot be
    imported; with CI set, a PDF that cannot be made is an error (coprod/finish.py). What
    ``who`` needs must come from the build's cache."""
    from coprod.cite import processor
    from coprod.pages import pdf

    def no_process(self):
        raise AssertionError(f"{who} started the citation processor")

    monkeypatch.setattr(processor, "_MEMO", {})
    monkeypatch.setattr(processor, "_SHARED", [])
    monkeypatch.setattr(processor.Processor, "_start", no_process)
    monkeypatch.setattr(pdf, "_cache", {})
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # importing it raises ImportError
    monkeypatch.setenv("CI", "true")


def mkdocs_build(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", *args], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, check=False)
    result.stderr = result.stdout  # MkDocs prints its log and an Abort's message to different streams
    return result


class Built(NamedTuple):
    """A project built by MkDocs: its folder and the build's log (stdout and stderr)."""

    project: Path
    log: str

    @property
    def site(self) -> Path:
        return self.project / "site"


def check_bibliography_invariants(refs: References) -> None:
    """What must hold of any valid bibliography, whatever its entries: every entry formats
    (with a year, no LaTeX left), every label is unique, every entry is listed once."""
    keys = refs.ordered_keys()
    assert sorted(keys) == sorted(refs.bibliography.entries)
    assert len(keys) == len(set(keys))
    labels: dict[str, str] = {}
    for key in keys:
        entry = refs.entry(key)
        assert entry.strip(), key
        assert "{" not in entry and "}" not in entry and "\\" not in entry, (key, entry)
        assert re.fullmatch(r"(?:[^<>]|<(?:i|/i|em|/em|/a|a href=\"https?://[^\"<>]+\")>)*", entry), (key, entry)
        listed = entry.split(" <em>Note:</em>")[0]  # the entry as rendered, without its note
        assert "et al" not in listed and "others" not in listed, (key, entry)  # the validator asks for every author
        label = refs.label(key)
        assert "--" not in label and refs.year(key) in label, (key, label)
        assert label not in labels, f"{key} and {labels.get(label)} share the label {label!r}"
        labels[label] = key
        assert refs.narrative(key)
    assert refs.section(keys, "case-studies/x.md").count("<li") == len(keys)


INJECTION = '=HYPERLINK("https://example.org","Click") and a peer panel'


RETRACTED = f"""\
---
id: retracted-study
title: '{INJECTION}'
summary: A peer panel advised a study; the account was later found to mix up two projects.
plain_english_summary: >-
  A group of people who use services gave advice to a study. We later found that this
  page mixed up two projects. So we took it back.
status: retracted
retraction:
  date: 2026-04-01
  reason: The case study mixed up two different projects.
published: 2026-02-10
version: "1.0"
project:
  name: Peer panel study
  countries: [United Kingdom]
settings: [health-services]
research_stages: [design]
involved:
  - role: service users on a panel
principles:
  - principle: sharing-power
    how: The panel decided which questions to ask first.
outcomes:
  - area: research-relevance
    description: The questions changed after the panel met.
    evidence: author-reflection
    sources: [Muller2019voices, Lee2020chapter]
sources: [Muller2019voices, Lee2020chapter]
licence: CC-BY-SA-4.0
---

The panel is described in a book [@Muller2019voices] and a chapter [@Lee2020chapter].
"""


EXTRA_REFERENCES = r"""
@book{Muller2019voices,
  author    = {M{\"u}ller, J{\"o}rg and van der Berg, Anna and Smith, Jr., John},
  title     = {Voices in {R}esearch: \emph{a} guide},
  publisher = {Example Press},
  address   = {London},
  year      = {2019},
  month     = mar
}

@incollection{Lee2020chapter,
  author    = {Lee, Kim},
  editor    = {Ng, Ada},
  title     = {Working together},
  booktitle = {Handbook of Involvement},
  publisher = {Example Press},
  year      = {2020},
  pages     = {10--25}
}
"""


def make_export_evidence(target: Path) -> Path:
    """The fixture evidence plus a draft, a retracted case study whose title is a spreadsheet
    formula, and two references with LaTeX in them."""
    folder = make_evidence(target)
    cases = folder / "case-studies"
    draft = (cases / "learning-disability-panel.md").read_text(encoding="utf-8")
    draft = draft.replace("id: learning-disability-panel", "id: draft-study").replace("status: published",
                                                                                     "status: draft")
    (cases / "draft-study.md").write_text(draft, encoding="utf-8")
    (cases / "retracted-study.md").write_text(RETRACTED, encoding="utf-8")
    with (folder / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(EXTRA_REFERENCES)
    return folder


LINK = re.compile(r"\]\(([^()\s]+)\)")  # a markdown link to a .md page


HREF = re.compile(r'href="([^"]+)"')  # a link in an HTML block: the page's final address


CASE_PAGE = re.compile(r"case-studies/([a-z0-9-]+)\.md")


CASE_ADDRESS = re.compile(r"/case-studies/([a-z0-9-]+)/")


def linked_case_ids(uri: str, text: str) -> list[str]:
    """The case-study pages ``text`` (the page ``uri``) links to, in order, whether by a
    markdown link to the .md file or by an HTML link to the page's address."""
    found = []
    for match in re.finditer(f"{LINK.pattern}|{HREF.pattern}", text):
        if match.group(1):
            case = CASE_PAGE.fullmatch(posixpath.normpath(posixpath.join(posixpath.dirname(uri), match.group(1))))
        else:
            case = CASE_ADDRESS.fullmatch(posixpath.normpath(posixpath.join(urls.address(uri), match.group(2))) + "/")
        if case and case.group(1) not in ("index", "page"):
            found.append(case.group(1))
    return found


def load(folder: Path) -> Library:
    report = Report()
    library = load_library(folder, report)
    assert not report.errors, [p.format() for p in report.errors]
    assert library is not None
    return library


def render(page) -> str:
    """A generated page's HTML as the reader gets it: a page made as HTML as it is (MkDocs
    does not read it as markdown), markdown (a page, or text) through Python-Markdown."""
    if getattr(page, "is_html", False):
        return page.content
    text = getattr(page, "content", page)
    return markdown.markdown(text, extensions=["attr_list", "tables", "toc"])


@contextlib.contextmanager
def served_in_process(project: Path, site_dir: Path, url: str = "http://127.0.0.1:8000/"):
    """``project`` built once as ``mkdocs serve --dirty`` builds it, in this process, from its
    own folder. Yields the hook module MkDocs loaded (the same object lasts the serve) and a
    function that makes the next dirty build, as the serve does after an edit."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def config():
        loaded = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
        loaded.site_url = url
        return loaded

    first = config()
    first.plugins.on_startup(command="serve", dirty=True)
    cwd = os.getcwd()
    os.chdir(project)
    try:
        build(first, serve_url=url, dirty=True)
        yield first.plugins["hooks/evidence.py"], lambda: build(config(), serve_url=url, dirty=True)
    finally:
        os.chdir(cwd)
        first.plugins.on_shutdown()


class Once:
    """Each result made once by its key and kept for every test that needs it; an error in
    making it is kept too, and raised for each of those tests (a page that fails to open
    fails every test that judges it)."""

    def __init__(self) -> None:
        self.made: dict = {}

    def get(self, key, make):
        if key not in self.made:
            try:
                self.made[key] = make()
            except Exception as error:  # noqa: BLE001 - kept, and raised for every test that needs it
                self.made[key] = error
        found = self.made[key]
        if isinstance(found, Exception):
            raise found
        return found


# Seconds per test file of a run on this project's 2-core machine: conftest orders a parallel
# run's files by them, slowest first, when .pytest_cache holds no figures of an earlier run
# (a fresh clone).
FIRST_RUN_SECONDS = {
    "tests/site/test_serve.py": 66, "tests/project/test_benchmark.py": 58, "tests/browser/test_accessibility.py": 56,
    "tests/browser/test_lighthouse.py": 40, "tests/browser/test_hostile.py": 31, "tests/site/test_untrusted_build.py": 26,
    "tests/checks/test_untrusted_files.py": 25, "tests/browser/test_csp.py": 24, "tests/site/test_export_pages.py": 22,
    "tests/site/test_rebuild.py": 21, "tests/site/test_engines.py": 18, "tests/site/test_contributor_change.py": 16,
}


# ----------------------------------------------------------------------------- the build cache kept between runs

KEPT_BETWEEN_RUNS = buildcache.user_cache_root() / "coprod-tests" / "kept"
"""Beside the user's own cache folder (``coprod``), never in it: test projects' results."""
KEPT_LIMIT = 200 * 2**20
"""Bytes: a kept folder larger than this (keys of old code pile up) is emptied, not used."""


def copy_files(source: Path, target: Path, limit: int | None = None) -> bool:
    """Copy the regular files under ``source`` into ``target``: only from a folder the build
    would trust as its cache (``buildcache.private``: a real folder of this user's that no
    one else may write, outside this checkout), and not when they add up to more than
    ``limit`` (then ``source`` is removed). False when nothing was copied for either reason."""
    if not buildcache.private(source, ROOT):
        return False
    files = [(path, entry) for path in source.rglob("*")  # rglob does not go into linked folders
             if stat.S_ISREG((entry := os.lstat(path)).st_mode)]
    if limit is not None and sum(entry.st_size for _, entry in files) > limit:
        shutil.rmtree(source, ignore_errors=True)
        return False
    for path, _ in files:
        copy = target / path.relative_to(source)
        copy.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    return True


def keep_for_the_next_run(made: Path, kept: Path = KEPT_BETWEEN_RUNS) -> None:
    """This run's results (``made``) become the kept ones, whole (a run that stopped half way
    leaves what it made); another run's at the same moment is replaced, which costs only
    the time its results would have saved."""
    fresh = kept.with_name(f"{kept.name}.new-{os.getpid()}")
    old = kept.with_name(f"{kept.name}.old-{os.getpid()}")
    try:
        fresh.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(mode=0o700)
        if not copy_files(made, fresh):
            shutil.rmtree(fresh, ignore_errors=True)
            return
        if kept.exists():
            kept.rename(old)
        fresh.rename(kept)
    except OSError:
        shutil.rmtree(fresh, ignore_errors=True)  # kept no more: the next run starts cold
    shutil.rmtree(old, ignore_errors=True)
