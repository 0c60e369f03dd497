"""A build holds only what it still needs (issue 25: peak memory at 10,000 case studies).

MkDocs renders every page before it writes any, so whatever the hooks keep of a page is
held for every page at once. One real MkDocs build of the fixture site, in this process,
then what the build still holds: each case study's page and each listing made only when
MkDocs asked for it (coprod.pages.LazyPage, none held since), each other generated page's
source and markdown let go once rendered, the search documents packed on disk
(coprod/render/packed.py) and written beside the rebuild state as bytes, not as JSON
text, and no case-study page kept for a next build.
scripts/benchmark.py memory measures what this saves; the site stays byte for byte the
same (tests/site/test_rebuild.py compares builds from the cache with clean ones).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from helpers import make_project, mkdocs_build

from coprod import pagecache, rebuild
from coprod.pages import LazyPage, OnDisk
from coprod.pages.taxonomy_pages import index_evidence
from coprod.read import buildcache, urls
from coprod.render.packed import Spilled, unpack


def test_a_build_lets_go_of_each_page_once_rendered(tmp_path: Path, monkeypatch) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project, site_dir = make_project(tmp_path), tmp_path / "site"
    monkeypatch.setenv("COPROD_CACHE_HOME", str(tmp_path / "cache"))
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
    cwd = os.getcwd()
    os.chdir(project)
    try:
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        run = config.plugins["hooks/evidence.py"].BUILD.run
        pages = run.site.pages
        made = {uri for uri in pages if uri.endswith(".md")}
        # each case study's page and each page that lists case studies made only when MkDocs asked
        # for it, and held by nobody once rendered; never all at once from on_config on
        library = run.site.evidence
        listings = {library.term_page(name, key) for name in library.fields.folders if name in library.taxonomy.vocabularies
                    for key in library.taxonomy[name].terms}
        listings |= {facet.page(key) for facet in library.fields.value_facets
                     for key in index_evidence(library).values.get(facet.name, {})}
        listings |= {uri for uri in made if uri == urls.CATALOGUE or uri.startswith("case-studies/page/")}
        lazy = {uri for uri in made if isinstance(pages[uri], LazyPage)}
        assert lazy == listings | {r.uri for r in library.published("case-study")}
        assert not run.making
        assert all(pages[uri].content == "" for uri in made - lazy)  # the source, let go once rendered
        # data files: MkDocs copies them later, from the temporary files they wait in
        assert all(isinstance(pages[uri], OnDisk) and pages[uri].content for uri in pages if uri not in made)
        files = run.mkdocs[1]
        assert all(files.get_file_from_path(uri).abs_src_path == str(pages[uri].path) for uri in pages if uri not in made)
        assert all(files.get_file_from_path(uri).content_string == "" for uri in made)
        assert all(pages[uri].body is None for uri in made - lazy)  # a contributor's text, placed in its page
        # a page made as HTML was registered with its front matter only, its whole source's digest in its key
        assert run.sources and set(run.sources) == {uri for uri in made if pages[uri].is_html}
        record = run.site.evidence.published("case-study")[0].uri
        assert files.get_file_from_path(record).page.markdown == ""  # its title is the rendered heading's
        # the search documents: packed while the build runs, whole when unpacked
        assert isinstance(run.documents, Spilled) and run.documents._file is not None  # on disk, not in memory
        assert set(run.documents) >= set(run.searchable) and all(type(d) is bytes for d in run.documents.values())
        assert b"data-pagefind-body" not in run.documents[record] and "data-pagefind-body" in unpack(run.documents[record])
        assert not pagecache._PAGES and not pagecache._USED  # a one-off build keeps no page for a next one
        # the record of the build: its documents in a file of their own, not in the JSON
        cache_dir = buildcache.folder(project)
        entry = buildcache.Store(cache_dir, "sites").get(rebuild._name(site_dir))
        assert entry is not None and b"pagefind" not in entry
        state = rebuild.recall(site_dir, cache_dir)
        assert state is not None and state.documents == {uri: run.documents[uri] for uri in state.documents}
        assert set(state.documents) == set(run.searchable) | set(run.hand_written)
    finally:
        os.chdir(cwd)
        config.plugins.on_shutdown()  # conftest puts the process's serve mode back


def test_a_plugin_reading_each_page_still_finds_it(tmp_path: Path) -> None:
    """What the build holds packed is unpacked before any plugin's on_page_context (MkDocs
    calls hooks after plugins): a project that adds Material's search plugin builds, and its
    index has each case study's page with the page's own words."""
    project = make_project(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nplugins: []" in text
    config.write_text(text.replace("\nplugins: []", "\nplugins:\n  - search\n#", 1), encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    index = json.loads((project / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    page = [doc for doc in index["docs"] if doc["location"].startswith("case-studies/peer-researchers/")]
    assert page and page[0]["title"] == "Peer researchers shaping a community health study", page[:1]
    assert any("interview" in doc["text"] for doc in page), page  # its sections, as Material cuts them
