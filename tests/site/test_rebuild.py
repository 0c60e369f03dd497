"""The build's cache (coprod/read/buildcache.py, coprod/rebuild.py) never changes what is built.

The real MkDocs build of the fixture site: built clean, one case study edited, built again
with ``--dirty`` from the cache, then built clean from the edited files without any cache:
the two sites are the same, byte for byte, Pagefind's index included. And the cached
checks of the evidence give the same report and records as checking every file.
"""

from __future__ import annotations

import base64
import gzip
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, forbid_rendering, make_evidence, make_project

from coprod import search
from coprod.checks import evidence
from coprod.checks.evidence import load_evidence
from coprod.checks.library import load as load_library
from coprod.read import buildcache
from coprod.read.problems import Report
from coprod.search.pagefind_stream import StreamingIndex, _cbor_dump, _cbor_load, canonical_bundle

CASE = "evidence/case-studies/peer-researchers.md"
OLD = "## What happened\n\n"
NEW_SENTENCE = "A sentence written after the first build, zqxrebuilt."


def build(project: Path, *args: str, cache: bool = True) -> str:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if not cache:
        env["COPROD_NO_CACHE"] = "1"
    strict = [] if "--dirty" in args else ["--strict"]  # MkDocs warns of every dirty build
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", *strict, *args], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout
    return result.stdout


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def fragments(site: Path) -> dict[str, bytes]:
    return {p.name: gzip.decompress(p.read_bytes()) for p in (site / "pagefind" / "fragment").glob("*.pf_fragment")}


def first_paragraph_of_body(project: Path) -> str:
    text = (project / CASE).read_text(encoding="utf-8")
    return text.split(OLD, 1)[1].split("\n\n", 1)[0]


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> tuple[Path, str, str, dict[str, bytes]]:
    """The fixture project built clean, then edited and built with --dirty (twice)."""
    project = make_project(tmp_path_factory.mktemp("rebuild"))
    build(project)
    before = fragments(project / "site")
    old_text = first_paragraph_of_body(project)
    case = project / CASE
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace(OLD, OLD + NEW_SENTENCE + " ", 1), encoding="utf-8")
    build(project, "--dirty")
    log = build(project, "--dirty")  # again: nothing changed since
    return project, old_text, log, before


def test_a_dirty_build_from_the_cache_equals_a_clean_build_without_it(rebuilt, tmp_path: Path) -> None:
    project, _, log, _ = rebuilt
    cache = buildcache.folder(project)  # the user's own cache folder for this tree, outside it
    assert cache is not None and (cache / "sites").is_dir()
    shared = buildcache.shared(project)  # what every tree shares: the checks by each file's content
    assert shared is not None and (shared / "packs" / "checks").is_file()
    assert not (project / ".cache").exists(), "the cache must not be written into the working tree"
    assert "Rebuild: 0 of " in log  # the second dirty build left every file as it was
    warm = tree(project / "site")
    build(project, "--clean", "--site-dir", str(tmp_path / "cold"), cache=False)
    cold = tree(tmp_path / "cold")
    assert sorted(warm) == sorted(cold)
    assert any(name.startswith("pagefind/filter/") for name in cold)
    different = [name for name in cold if warm[name] != cold[name]]
    assert not different, f"the dirty build differs from a clean one in {different}"
    page = warm["case-studies/peer-researchers/index.html"].decode("utf-8")
    assert NEW_SENTENCE in page


def test_a_dirty_build_writes_only_what_changed(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    build(project)
    stamp = {name: p.stat().st_mtime_ns for name, p in
             ((p.relative_to(project / "site").as_posix(), p) for p in (project / "site").rglob("*.html"))}
    case = project / CASE
    case.write_text(case.read_text(encoding="utf-8").replace(OLD, OLD + NEW_SENTENCE + " ", 1), encoding="utf-8")
    log = build(project, "--dirty")
    changed = int(log.split("Rebuild: ", 1)[1].split(" of ", 1)[0])
    rewritten = [name for name, ns in stamp.items() if (project / "site" / name).stat().st_mtime_ns != ns]
    assert "case-studies/peer-researchers/index.html" in rewritten
    assert "about/index.html" not in rewritten and "references/index.html" not in rewritten
    assert len(rewritten) <= changed + 2, rewritten  # the pages, and MkDocs' 404 page and sitemap


def test_a_dirty_build_leaves_no_stale_search_fragment(rebuilt) -> None:
    project, old_text, _, before = rebuilt
    after = fragments(project / "site")
    assert len(after) == len(before)  # one fragment a page, however often it is rebuilt
    assert not any(old_text.encode("utf-8") in data and NEW_SENTENCE.encode("utf-8") not in data
                   for data in after.values()), "the edited page's old fragment is still in the index"
    assert any(NEW_SENTENCE.encode("utf-8") in data for data in after.values())


def test_indexing_the_written_site_again_replaces_the_old_fragments(rebuilt, tmp_path: Path) -> None:
    """The fallback for a build without the documents (search.index_built_site): the
    pagefind command adds to the folder, so each run left the changed pages' old fragments."""
    project = rebuilt[0]
    site = tmp_path / "site"
    shutil.copytree(project / "site", site)
    records = load_library(project / "evidence", Report())
    marked = [*search.markup_for_records(records), *(p.relative_to(project / "docs").as_posix()
                                                     for p in sorted((project / "docs").rglob("*.md")))]
    count = len(fragments(site))
    page = site / "case-studies" / "peer-researchers" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(NEW_SENTENCE, "Replaced zqxagain."), encoding="utf-8")
    for _ in range(2):
        search.index_built_site(site, marked)
    found = fragments(site)
    assert len(found) == count
    assert not any(NEW_SENTENCE.encode("utf-8") in data for data in found.values())


# ---- the checks of the evidence, cached


def test_cached_checks_give_the_same_report_and_records(tmp_path: Path) -> None:
    folder = make_evidence(tmp_path, ROOT / "tests" / "golden" / "evidence" / "taxonomy-unknown-principle")
    cache = tmp_path / "cache"
    evidence._MEMORY.clear()
    runs = []
    for _ in range(3):  # checked, from memory, from disk
        report = Report()
        loaded = load_evidence(folder, report, cache_dir=cache)
        runs.append((sorted(report.problems), {k: (r.data, r.citations, r.valid) for k, r in loaded.case_studies.items()}))
        evidence._MEMORY.clear() if len(runs) == 2 else None
    assert runs[0] == runs[1] == runs[2]
    assert any("reciprocty" in p.message for p in runs[0][0])
    assert (cache / "packs" / "checks").is_file()


def test_a_changed_file_or_schema_is_checked_again(tmp_path: Path) -> None:
    folder = make_evidence(tmp_path)
    cache = tmp_path / "cache"
    load_evidence(folder, Report(), cache_dir=cache)
    case = folder / "case-studies" / "peer-researchers.md"
    case.write_text(case.read_text(encoding="utf-8").replace("principle: reciprocity", "principle: reciprocty"),
                    encoding="utf-8")
    report = Report()
    load_evidence(folder, report, cache_dir=cache)
    assert any("reciprocty" in p.message for p in report.errors)
    case.write_text(case.read_text(encoding="utf-8").replace("principle: reciprocty", "principle: reciprocity"),
                    encoding="utf-8")
    schema = folder / "schema" / "case-study.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace('"minLength": 10,', '"minLength": 1000,', 1),
                      encoding="utf-8")
    report = Report()
    load_evidence(folder, report, cache_dir=cache)
    assert report.errors, "a stricter schema was not applied to a file checked before"


def test_a_torn_cache_entry_is_a_miss(tmp_path: Path) -> None:
    folder = make_evidence(tmp_path)
    cache = tmp_path / "cache"
    first = Report()
    load_evidence(folder, first, cache_dir=cache)
    for entry in (cache / "packs").iterdir():
        entry.write_bytes(entry.read_bytes()[:10])
    evidence._MEMORY.clear()
    again = Report()
    loaded = load_evidence(folder, again, cache_dir=cache)
    assert sorted(again.problems) == sorted(first.problems)
    assert loaded.case_studies


def test_code_version_covers_this_package() -> None:
    assert buildcache.code_version() == buildcache.code_version()
    assert buildcache.digest("ab", "c") != buildcache.digest("a", "bc")


# ---- Pagefind's index: the same pages give the same files


def _documents(count: int) -> list[tuple[str, str]]:
    rng = random.Random(3)
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "omicron", "sigma"]
    docs = []
    for i in range(count):
        filters = "".join(f'<span data-pagefind-filter="principle">{w}</span>' for w in rng.sample(words, 3))
        body = (f"<div data-pagefind-body><h1>Page {i}</h1><p>{' '.join(rng.choices(words, k=40))}</p>"
                f'<div hidden data-pagefind-ignore>{filters}<span data-pagefind-filter="kind">case-study</span>'
                f'<span data-pagefind-meta="title">T{i}</span></div></div>')
        docs.append((f"/p{i}/", search.document_for_index(body, f"Page {i}", "en")))
    return docs


def _bundle(docs: list[tuple[str, str]], folder: Path) -> dict[str, bytes]:
    index = StreamingIndex(search.executable(), search.EXCLUDE_SELECTORS)
    for url, html in docs:
        index.add(html, url)
    assert index.write(folder) == []
    return tree(folder)


def test_two_pagefind_services_write_the_same_index_for_the_same_pages(tmp_path: Path) -> None:
    """Each service orders filter values by a randomly seeded hash map; the bundle is sorted."""
    docs = _documents(40)
    first, second = _bundle(docs, tmp_path / "a"), _bundle(docs, tmp_path / "b")
    assert first == second
    assert sum(name.startswith("filter/") for name in first) == 2


def test_the_sorted_bundle_reads_as_pagefind_wrote_it(tmp_path: Path) -> None:
    """Every CBOR file survives reading and writing unchanged; sorting keeps each value's pages."""
    index = StreamingIndex(search.executable(), search.EXCLUDE_SELECTORS)
    for url, html in _documents(20):
        index.add(html, url)
    for message_id, _ in index._pending:
        index._wait(message_id)
    files = index._call({"type": "GetFiles", "index_id": index._index_id})["files"]
    index.close()
    raw = {f["path"]: base64.b64decode(f["content"]) for f in files}
    for path, data in raw.items():
        if path.endswith((".pf_filter", ".pf_meta", ".pf_index")):
            body = gzip.decompress(data)[len(b"pagefind_dcd"):]
            assert _cbor_dump(_cbor_load(body)) == body, path
    sorted_bundle = canonical_bundle(raw)

    def filters(bundle: dict[str, bytes]) -> dict[str, dict[str, list[int]]]:
        found = {}
        for path, data in bundle.items():
            if path.endswith(".pf_filter"):
                name, values = _cbor_load(gzip.decompress(data)[len(b"pagefind_dcd"):])
                found[name] = {value: list(pages) for value, pages in values}
        return found

    assert filters(sorted_bundle) == filters(raw)
    for values in filters(sorted_bundle).values():
        assert list(values) == sorted(values)


def test_a_second_working_tree_cites_and_makes_the_pdf_from_what_the_first_made(tmp_path: Path, monkeypatch) -> None:
    """Each file's checks, citations and the business case's PDF depend on their content
    alone, so a second checkout (or a git worktree) of the same project uses what the first
    build made (coprod.read.buildcache.shared): it checks no file again and builds with no
    citation processor and no WeasyPrint, and writes the same site, PDF included."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    monkeypatch.setenv("COPROD_CACHE_HOME", str(tmp_path / "cache-home"))
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    first = make_project(tmp_path / "first")
    build(first)
    second = make_project(tmp_path / "second")
    forbid_rendering(monkeypatch, "the second tree")
    checked: list[str] = []
    run_checks = evidence._run_checks

    def counting(root, vocabularies, jobs, *args):
        checked.extend(str(job[1]) for job in jobs)
        return run_checks(root, vocabularies, jobs, *args)

    monkeypatch.setattr(evidence, "_run_checks", counting)
    monkeypatch.setattr(evidence, "_MEMORY", {})
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    monkeypatch.chdir(second)
    config = load_config(str(second / "mkdocs.yml"), strict=True)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()  # conftest puts the process's serve mode back
    assert checked == []
    for page in ("business-case/business-case.pdf", "case-studies/peer-researchers/index.html",
                 "references/index.html", "case-studies/peer-researchers/cite.ris"):
        assert (second / "site" / page).read_bytes() == (first / "site" / page).read_bytes(), page
