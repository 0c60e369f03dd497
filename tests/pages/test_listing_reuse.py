"""While serving, a rebuild after an edit makes again only the listings of the edited case
study (coprod/pagecache.py, issue 25: an edit costs what it changes).

The real fixture evidence, loaded, its term, browse and catalogue pages made; one case
study's file edited and everything loaded and made again: every page that does not list
the edited case study is the last build's (the same text, not made again), every page is
what making it afresh gives, and the pages that list the case study show the edit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import load, make_evidence

from coprod import pagecache
from coprod.cite.references import References
from coprod.pagecache import CaseStudyPages
from coprod.pages.catalogue import catalogue_pages
from coprod.pages.taxonomy_pages import index_evidence, taxonomy_pages
from coprod.read import urls

NEW_TITLE = "Retitled after the first build, zqxlisting"


@pytest.fixture
def serving(monkeypatch):
    monkeypatch.delenv("COPROD_NO_CACHE", raising=False)
    pagecache.keep_in_memory(True)  # as mkdocs serve's on_startup sets it
    yield
    pagecache.keep_in_memory(True)


def made(folder: Path):
    """The listings as a rebuild of mkdocs serve makes them, and the same made afresh."""
    library = load(folder)
    kept = CaseStudyPages(library, References(library.bibliography))
    index = index_evidence(library)
    pages = {p.uri: p for p in [*taxonomy_pages(library, index, kept=kept), *catalogue_pages(library, index, kept=kept)]}
    kept.done()
    fresh = {p.uri: p for p in [*taxonomy_pages(library, index), *catalogue_pages(library, index)]}
    kept_kinds = {library.term_page(name, key) for name in library.fields.folders
                  for key in (library.taxonomy[name].terms if name in library.taxonomy.vocabularies else ())}
    kept_kinds |= {facet.page(key) for facet in library.fields.value_facets for key in index.values.get(facet.name, {})}
    kept_kinds |= {uri for uri in pages if uri == urls.CATALOGUE or uri.startswith("case-studies/page/")}
    return library, pages, fresh, kept_kinds


def test_a_rebuild_makes_again_only_the_listings_of_the_edited_case_study(tmp_path: Path, serving) -> None:
    folder = make_evidence(tmp_path)
    library, first, _, _ = made(folder)
    edited = next(r for r in library.case_studies.values() if r.path.endswith("peer-researchers.md"))
    path = folder / "case-studies" / "peer-researchers.md"
    text = path.read_text(encoding="utf-8")
    assert f"\ntitle: {edited.title}\n" in text
    path.write_text(text.replace(f"\ntitle: {edited.title}\n", f"\ntitle: {NEW_TITLE}\n", 1), encoding="utf-8")
    _, second, fresh, kept_kinds = made(folder)

    assert second.keys() == fresh.keys()
    for uri, page in second.items():  # what making it afresh gives, the edit shown
        assert (page.content, page.lists, page.title, page.toc) == \
            (fresh[uri].content, fresh[uri].lists, fresh[uri].title, fresh[uri].toc), uri
    listing = {uri for uri, page in second.items() if edited.id in page.lists}
    assert listing and all(NEW_TITLE in second[uri].content for uri in listing)
    reused = {uri for uri, page in second.items() if page.content is first[uri].content}
    assert reused == kept_kinds - listing  # every other listing is the last build's
    assert any(first[uri].lists for uri in reused)  # among them, pages that list the other case study


def test_a_one_off_build_keeps_no_listing(tmp_path: Path, serving) -> None:
    pagecache.keep_in_memory(False)
    made(make_evidence(tmp_path))
    assert not pagecache._LISTINGS and not pagecache._PAGES
