"""The edit preview of ``mkdocs serve --dirty`` (coprod/serve_preview.py, MkDocsBuild.preview)
for a case study whose page is made from its template and whose cite box lists earlier
versions: the page written first is byte for byte the page the whole build then writes.
In one process, as the serve runs it, on a project with a git history (real git)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import make_project, served_in_process

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="the earlier version comes from real git")

RECORD = "evidence/case-studies/peer-researchers.md"


def git(project: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@example.org", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", "-C", str(project), *args], env=env, check=True, capture_output=True, timeout=60)


def test_a_page_with_earlier_versions_is_shown_first_as_the_whole_build_writes_it(tmp_path: Path) -> None:
    project, site_dir = make_project(tmp_path), tmp_path / "site"
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "version 1.0")
    case = project / RECORD
    v11 = case.read_text(encoding="utf-8").replace(
        'published: 2026-01-15\nversion: "1.0"\n',
        'published: 2026-01-15\nupdated: 2026-04-02\nversion: "1.1"\nchanges:\n  - version: "1.1"\n'
        "    date: 2026-04-02\n    summary: Said how the peer researchers were paid.\n", 1)
    case.write_text(v11, encoding="utf-8")
    git(project, "commit", "-q", "-am", "version 1.1")

    with served_in_process(project, site_dir) as (hooks, rebuild):
        page = site_dir / "case-studies" / "peer-researchers" / "index.html"
        assert 'href="1.0/">version 1.0 of 2026-01-15</a>' in page.read_text(encoding="utf-8")
        case.write_text(v11.replace('version: "1.1"\nchanges', 'version: "1.2"\nchanges'), encoding="utf-8")
        assert not hooks.BUILD.preview([case])  # a new version number: which versions it lists may change
        case.write_text(v11.replace("## What happened\n\n", "## What happened\n\nShown first, zqxversions. "),
                        encoding="utf-8")
        assert hooks.BUILD.preview([case])
        shown = page.read_text(encoding="utf-8")
        assert "Shown first, zqxversions." in shown and 'href="1.0/">version 1.0 of 2026-01-15</a>' in shown
        rebuild()
        hooks.BUILD.wait_for_search()
        assert page.read_text(encoding="utf-8") == shown
