"""The navigation's "Browse" menu: mkdocs.yml orders it as the editors choose, and every
browse page the schema makes (each browsed vocabulary's, each value facet's) is in it, so
a new vocabulary never needs an edit here, and a folder renamed in the schema takes the old
folder's page out of the menu rather than leave a link to nothing."""

from __future__ import annotations

from pathlib import Path

from ..model import Library

BROWSE = "Browse"


def browse_pages(library: Library) -> dict[str, str]:
    """docs/ path -> title of every index page of a browsed field, in the field map's order."""
    pages: dict[str, str] = {}
    for vocabulary in library.fields.folders:
        page, vocab = library.vocabulary_page(vocabulary), library.taxonomy.get(vocabulary)
        if page is not None and vocab is not None:
            pages.setdefault(page, vocab.title)
    for facet in library.fields.value_facets:
        pages.setdefault(facet.index_page, facet.pages.title or facet.label)
    return pages


def complete_browse(nav: list | None, library: Library, docs_dir: str | Path | None = None) -> list | None:
    """``nav`` (mkdocs.yml's ``nav``) with each browse page that the Browse menu lacks added
    at its end, titled as in taxonomy.yml (or the facet's pages in the schema); with
    ``docs_dir``, an entry of the menu that is neither a browse page nor a file of docs/ (a
    folder the schema no longer has) is left out. Unchanged when there is no nav or no Browse
    menu (MkDocs then lists every page itself)."""
    if not nav:
        return nav
    pages = browse_pages(library)
    for position, item in enumerate(nav):
        if isinstance(item, dict) and isinstance(item.get(BROWSE), list):
            entries = [entry for entry in item[BROWSE] if _kept(entry, pages, docs_dir)]
            listed = {value for entry in entries if isinstance(entry, dict) for value in entry.values()}
            entries += [{title: page} for page, title in pages.items() if page not in listed]
            return [*nav[:position], {BROWSE: entries}, *nav[position + 1:]]
    return nav


def _kept(entry: object, pages: dict[str, str], docs_dir: str | Path | None) -> bool:
    if docs_dir is None or not isinstance(entry, dict) or len(entry) != 1:
        return True
    target = next(iter(entry.values()))
    if not isinstance(target, str) or "://" in target or target in pages:
        return True
    return (Path(docs_dir) / target).is_file()
