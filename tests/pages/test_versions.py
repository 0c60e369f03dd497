"""Every published version keeps its address: earlier versions rebuilt from the git history
(coprod/read/history.py, coprod/pages/versions.py), with real git in a temporary folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import rispy
from helpers import make_project, mkdocs_build
from pybtex.database import parse_string

from coprod import site
from coprod.read import history

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="these tests run real git")

RECORD = "evidence/case-studies/peer-researchers.md"
SITE_URL = "https://coproduction-evidence.example/"
V11 = ('published: 2026-01-15\nupdated: 2026-04-02\nversion: "1.1"\nchanges:\n  - version: "1.1"\n'
       "    date: 2026-04-02\n    summary: Said how the peer researchers were paid.\n")


def git(project: Path, *args: str) -> str:
    env = dict(os.environ, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@example.org", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    return subprocess.run(["git", "-C", str(project), *args], env=env, check=True, capture_output=True,
                          text=True, timeout=60).stdout


def two_versions(project: Path) -> Path:
    """Commit the fixture (peer-researchers 1.0), then a 1.1 of it with a new date."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "version 1.0")
    path = project / RECORD
    text = path.read_text(encoding="utf-8")
    text = text.replace('published: 2026-01-15\nversion: "1.0"\n', V11, 1)
    text = text.replace("They ran\ninterviews", "They were paid, and ran\ninterviews", 1)
    assert "2026-04-02" in text
    path.write_text(text, encoding="utf-8")
    git(project, "commit", "-q", "-am", "version 1.1")
    return project


def load(project: Path) -> site.Build:
    loaded = site.load(project / "evidence", display_root=project)
    assert not loaded.report.errors, [p.format() for p in loaded.report.errors]
    site.generate(loaded, None, SITE_URL)
    return loaded


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = two_versions(make_project(tmp_path_factory.mktemp("versions")))
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout
    assert "Earlier versions" not in result.stdout  # the history was read: nothing to say
    return project / "site"


def test_both_versions_have_their_address(built: Path) -> None:
    current = (built / "case-studies/peer-researchers/index.html").read_text(encoding="utf-8")
    old = (built / "case-studies/peer-researchers/1.0/index.html").read_text(encoding="utf-8")
    assert "They were paid, and ran" in current and "This is version 1.0" not in current
    assert "They were paid" not in old and "They ran" in old
    notice = re.search(r'<div class="admonition note">(.*?)</div>', old, re.DOTALL).group(1)
    assert "This is version 1.0 of this case study, of 2026-01-15" in notice
    link = re.search(r'<a href="([^"]+)">read the current version, 1.1 of 2026-04-02</a>', notice)
    assert link and link.group(1) == "../", notice  # MkDocs' strict build has checked it resolves
    assert f'<link rel="canonical" href="{SITE_URL}case-studies/peer-researchers/1.0/">' in old
    # and the current page names it, beside its own citation
    assert ("Earlier versions stay at their own addresses, to cite as they were: "
            '<a href="1.0/">version 1.0 of 2026-01-15</a>.') in current
    assert "Earlier versions stay" not in old
    assert "/case-studies/peer-researchers/1.0/" in (built / "urls.txt").read_text(encoding="utf-8").splitlines()
    # lists name the current version only: an earlier one is reached from its citation or the current page's notice
    for listing in ("references/index.html", "case-studies/index.html"):
        assert "peer-researchers/1.0/" not in (built / listing).read_text(encoding="utf-8"), listing


def test_each_version_cites_itself(built: Path) -> None:
    keys = set()
    for folder, version, date, day in (("peer-researchers", "1.1", "2026-04-02", "April 2"),
                                       ("peer-researchers/1.0", "1.0", "2026-01-15", "January 15")):
        page = (built / "case-studies" / folder / "index.html").read_text(encoding="utf-8")
        url = f"{SITE_URL}case-studies/{folder}/"
        assert f"This page is version {version} of {date}." in page
        apa = re.search(r'<p class="coprod-cite__text" id="cite-0"[^>]*>(.*?)</p>', page).group(1)
        assert f"(2026, {day})" in apa and f'href="{url}"' in apa, apa  # rendered from this version's own item
        assert f'<meta name="citation_publication_date" content="{date.replace("-", "/")}">' in page, folder
        (entry,) = parse_string((built / "case-studies" / folder / "cite.bib").read_text(encoding="utf-8"),
                                "bibtex").entries.values()
        assert entry.fields["version"] == version and entry.fields["date"] == date and entry.fields["url"] == url
        keys.add(entry.key)
        (ris,) = rispy.loads((built / "case-studies" / folder / "cite.ris").read_text(encoding="utf-8"))
        assert ris["urls"] == [url] and ris["edition"] == version, ris
        assert ris["date"] == date.replace("-", "/") and ris["year"] == date[:4], ris
    assert keys == {"coprod-peer-researchers", "coprod-peer-researchers-1.0"}


def test_without_history_the_current_versions_build_and_it_is_said_once(tmp_path: Path) -> None:
    project = make_project(tmp_path)  # a copy: no .git, as from a tarball
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout
    said = [line for line in result.stdout.splitlines() if "Earlier versions" in line]
    assert len(said) == 1 and "not a git repository" in said[0], said
    assert (project / "site/case-studies/peer-researchers/index.html").exists()
    assert not (project / "site/case-studies/peer-researchers/1.0").exists()


def test_a_shallow_clone_builds_the_current_versions(tmp_path: Path) -> None:
    source = two_versions(make_project(tmp_path))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{source}", str(clone))
    loaded = load(clone)
    assert "case-studies/peer-researchers.md" in loaded.pages
    assert not [uri for uri in loaded.pages if "/1.0" in uri]
    (message,) = loaded.versions.messages
    assert "shallow clone" in message and "fetch-depth: 0" in message
    published = clone / "evidence" / "published-urls.txt"  # a version published earlier is not an error here
    published.write_text("/case-studies/peer-researchers/1.0/\n", encoding="utf-8")
    assert not load(clone).unpublished


def test_without_git_installed(tmp_path: Path, monkeypatch) -> None:
    project = two_versions(make_project(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-folder"))
    assert history.read_history(project / "evidence", ("case-studies",)).skipped == "git is not installed"


def test_a_version_that_no_longer_validates_is_skipped_with_one_line(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    path = project / RECORD
    path.write_text(path.read_text(encoding="utf-8").replace("[@Example2021peer]. They", "[@Gone2019]. They", 1),
                    encoding="utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "1.0 cites a reference removed since")
    text = path.read_text(encoding="utf-8").replace("[@Gone2019]. They", "[@Example2021peer]. They", 1)
    path.write_text(text.replace('published: 2026-01-15\nversion: "1.0"\n', V11, 1), encoding="utf-8")
    git(project, "commit", "-q", "-am", "1.1")
    loaded = load(project)
    (message,) = loaded.versions.messages
    assert message.startswith(f"{RECORD} (version 1.0, commit ")
    assert "no longer passes the checks" in message and "reference 'Gone2019' is no longer in references.bib" in message
    assert "case-studies/peer-researchers.md" in loaded.pages
    assert "case-studies/peer-researchers/1.0.md" not in loaded.pages


def test_a_draft_state_is_not_a_published_version(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    path = project / RECORD
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: published", "status: draft", 1), encoding="utf-8")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", ".")
    git(project, "commit", "-q", "-m", "a draft 1.0")
    path.write_text(text.replace('published: 2026-01-15\nversion: "1.0"\n', V11, 1), encoding="utf-8")
    git(project, "commit", "-q", "-am", "published as 1.1")
    loaded = load(project)
    assert not loaded.versions.messages and not loaded.versions.old


def test_the_repositorys_configuration_runs_nothing(tmp_path: Path) -> None:
    """A repository whose config names programs (hooks, fsmonitor, an external diff, a
    pager, signature checks): reading the history runs none of them."""
    project = two_versions(make_project(tmp_path))
    marker = tmp_path / "ran"
    script = tmp_path / "tool.sh"
    script.write_text(f"#!/bin/sh\necho \"$0 $*\" >> {marker}\n", encoding="utf-8")
    script.chmod(0o755)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for name in ("post-checkout", "pre-auto-gc", "reference-transaction", "post-index-change"):
        shutil.copy(script, hooks / name)
    # the newest commit (it changed the record) carries a signature, which log.showSignature would check with gpg.program
    head, _, message = git(project, "cat-file", "commit", "HEAD").partition("\n\n")
    signed = head + "\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\n" + message
    (tmp_path / "signed").write_text(signed, encoding="utf-8")
    commit = git(project, "hash-object", "-t", "commit", "-w", str(tmp_path / "signed")).strip()
    git(project, "update-ref", "refs/heads/main", commit)
    for key, value in (("core.hooksPath", str(hooks)), ("core.fsmonitor", str(script)), ("diff.external", str(script)),
                       ("core.pager", str(script)), ("log.showSignature", "true"), ("gpg.program", str(script))):
        git(project, "config", key, value)
    read = history.read_history(project / "evidence", ("case-studies", "claims"))
    assert not read.skipped and len(read.states["case-studies/peer-researchers.md"]) == 2
    assert not marker.exists(), marker.read_text(encoding="utf-8")


def test_history_is_bounded(tmp_path: Path, monkeypatch) -> None:
    """At most MAX_COMMITS commits are read, and a file state larger than MAX_FILE_BYTES is passed over."""
    project = two_versions(make_project(tmp_path))
    monkeypatch.setattr(history, "MAX_COMMITS", 1)
    read = history.read_history(project / "evidence", ("case-studies", "claims"))
    assert len(read.states["case-studies/peer-researchers.md"]) == 1
    monkeypatch.setattr(history, "MAX_COMMITS", 100)
    size = len((project / RECORD).read_bytes())
    monkeypatch.setattr(history, "MAX_FILE_BYTES", size - 1)
    read = history.read_history(project / "evidence", ("case-studies", "claims"))
    assert "case-studies/peer-researchers.md" not in read.states or \
        all(len(state.text.encode()) < size for state in read.states["case-studies/peer-researchers.md"])


def test_a_rebuild_reuses_each_version_until_its_inputs_change(tmp_path: Path, monkeypatch) -> None:
    """mkdocs serve builds again on every save: an earlier version (an immutable file
    state) is not checked and rendered again while what its page is made from is the same."""
    from coprod.pages import versions

    project = two_versions(make_project(tmp_path))
    first = load(project).pages["case-studies/peer-researchers/1.0.md"].content

    def not_again(*args, **kwargs):
        raise AssertionError("made again")

    monkeypatch.setattr(versions, "_one_version", not_again)
    assert load(project).pages["case-studies/peer-researchers/1.0.md"].content == first
    path = project / RECORD  # the current version changes: the notice links to a new one
    path.write_text(path.read_text(encoding="utf-8").replace("2026-04-02", "2026-04-03"), encoding="utf-8")
    with pytest.raises(AssertionError, match="made again"):
        load(project)
