"""A one-off build makes each case study's page and each listing only when it is read
(coprod.pages.LazyPage, issue 25: memory at 10,000 case studies).

The real fixture project, built by coprod.site.build as mkdocs serve builds it (every page
made up front, kept for the next build) and as mkdocs build does (pages made when MkDocs
asks for them): the same pages, each made the same; the key a lazy page's file is rebuilt
by changes with every record it is made from and with nothing else; a page made into
something other than what was registered is an error, never a silent change.
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import make_project

from coprod import pagecache, site
from coprod.pages import LazyPage, OnDisk, Page, Scratch, versions
from coprod.read import urls

RETITLED = "Retitled for the lazy pages test, zqxlazy"
RECORD = "evidence/case-studies/peer-researchers.md"
V11 = ('published: 2026-01-15\nupdated: 2026-04-02\nversion: "1.1"\nchanges:\n  - version: "1.1"\n'
       "    date: 2026-04-02\n    summary: Said how the peer researchers were paid.\n")


def with_an_earlier_version(project: Path) -> Path:
    """The fixture committed, then a 1.1 of one case study: its 1.0 has a page of its own,
    and the current page's cite box lists it."""
    env = dict(os.environ, GIT_AUTHOR_NAME="T", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="T",
               GIT_COMMITTER_EMAIL="t@example.org", GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    path = project / RECORD
    text = path.read_text(encoding="utf-8")
    assert 'published: 2026-01-15\nversion: "1.0"\n' in text
    for args, edit in ((["init", "-q", "-b", "main"], None), (["add", "."], None), (["commit", "-q", "-m", "1.0"], None),
                       (["commit", "-q", "-am", "1.1"], text.replace('published: 2026-01-15\nversion: "1.0"\n', V11, 1))):
        if edit is not None:
            path.write_text(edit, encoding="utf-8")
        subprocess.run(["git", "-C", str(project), *args], env=env, check=True, capture_output=True, timeout=60)
    return project


@pytest.fixture
def one_off():
    pagecache.keep_in_memory(False)  # as mkdocs build's on_startup sets it
    yield
    pagecache.keep_in_memory(True)


def built(project: Path, lazy: bool) -> site.SiteBuild:
    pagecache.keep_in_memory(not lazy)
    result = site.build(project, site.read_site_config(project))
    assert result.ok, [p.format() for p in result.report.errors]
    return result


def facts(page: Page) -> tuple:
    body = page.body
    return (page.uri, page.content, page.toc, page.title, page.heading, page.lists, tuple(page.cites),
            None if body is None else (body.markdown, body.html, body.toc, body.ids, body.at))


@pytest.mark.skipif(shutil.which("git") is None, reason="earlier versions come from real git")
def test_a_one_off_build_makes_the_same_pages_when_they_are_read(tmp_path: Path, one_off) -> None:
    project = with_an_earlier_version(make_project(tmp_path))
    eager = built(project, lazy=False)
    versions._KEPT.clear()  # as in a new process
    lazy = built(project, lazy=True)
    assert "case-studies/peer-researchers/1.0.md" in lazy.pages  # with its earlier version
    assert not versions._KEPT  # which a one-off build keeps for no next build
    assert list(lazy.pages) == list(eager.pages)
    made_late = {uri for uri, page in lazy.pages.items() if isinstance(page, LazyPage)}
    library = lazy.evidence
    records = {r.uri for r in library.published("case-study")}
    assert records <= made_late and urls.CATALOGUE in made_late
    assert any(uri.startswith(f"{folder}/") for uri in made_late for folder in library.fields.folders.values())
    assert not any(isinstance(page, LazyPage) for page in eager.pages.values())
    for uri, page in lazy.pages.items():
        whole = page.made() if isinstance(page, LazyPage) else page
        assert facts(whole) == facts(eager.pages[uri]), uri
    assert lazy.citables == eager.citables  # what each page's citation says, from what was registered
    some = lazy.pages[next(iter(sorted(records)))]
    assert some.made().content is not some.made().content  # made afresh each time: held by nobody


def test_a_lazy_page_key_changes_with_what_it_is_made_of(tmp_path: Path, one_off) -> None:
    project = make_project(tmp_path)
    before = built(project, lazy=True)
    path = project / "evidence" / "case-studies" / "peer-researchers.md"
    record = next(r for r in before.evidence.published("case-study") if r.path.endswith("peer-researchers.md"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"\ntitle: {record.title}\n", f"\ntitle: {RETITLED}\n", 1), encoding="utf-8")
    after = built(project, lazy=True)
    keys = {uri: page.key for uri, page in before.pages.items() if isinstance(page, LazyPage)}
    changed = {uri for uri, page in after.pages.items() if isinstance(page, LazyPage) and page.key != keys[uri]}
    showing = {uri for uri, page in after.pages.items() if isinstance(page, LazyPage) and RETITLED in page.content}
    assert record.uri in changed and showing
    assert changed == showing | {record.uri}  # the page itself, and each page that lists it; no other


def test_a_page_made_otherwise_than_registered_is_an_error() -> None:
    shell = Page("topics/x.md", "", frozenset({"a"}), "X")
    same = LazyPage(shell, lambda: Page("topics/x.md", "<p>x</p>", frozenset({"a"}), "X", toc=[]), "key")
    assert same.made().content == "<p>x</p>" and same.is_html
    other = LazyPage(shell, lambda: Page("topics/x.md", "<p>x</p>", frozenset({"a", "b"}), "X", toc=[]), "key")
    with pytest.raises(ValueError, match="topics/x.md: the page made is not the one registered"):
        other.made()
    step = LazyPage(shell, lambda: Page("topics/x.md", "<p>x</p>", frozenset({"a"}), "X", toc=[]), "key")
    step.then(lambda page: setattr(page, "content", page.content + "<p>cite</p>"), "what the step adds")
    assert step.content == "<p>x</p><p>cite</p>" and step.key != same.key


def test_a_file_waits_on_disk_and_comes_back_the_same() -> None:
    scratch = Scratch()
    text, raw = OnDisk(Page("data/a.json", '{"é": 1}\n'), scratch), OnDisk(Page("urls.txt", b"/a/\n"), scratch)
    assert (text.content, raw.content, text.size, raw.size) == ('{"é": 1}\n', b"/a/\n", 10, 4)
    assert text.path.parent == scratch.folder and text.path.read_bytes() == '{"é": 1}\n'.encode()
    folder = scratch.folder
    del text, raw, scratch
    gc.collect()
    assert not folder.exists()  # removed once no file of it is held
