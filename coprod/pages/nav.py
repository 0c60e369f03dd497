"""The navigation's "Browse" menu: mkdocs.yml orders it as the editors choose, and every
browsed vocabulary in the schema is in it, so a new vocabulary never needs an edit here."""

from __future__ import annotations

from ..model import Library

BROWSE = "Browse"


def complete_browse(nav: list | None, library: Library) -> list | None:
    """``nav`` (mkdocs.yml's ``nav``) with each browsed vocabulary's index page that the
    Browse menu lacks added at its end, titled as in taxonomy.yml. Unchanged when there is
    no nav or no Browse menu (MkDocs then lists every page itself)."""
    if not nav:
        return nav
    for position, item in enumerate(nav):
        if isinstance(item, dict) and isinstance(item.get(BROWSE), list):
            entries = list(item[BROWSE])
            listed = {value for entry in entries if isinstance(entry, dict) for value in entry.values()}
            for vocabulary in library.fields.folders:
                page = library.vocabulary_page(vocabulary)
                vocab = library.taxonomy.get(vocabulary)
                if vocab is not None and page not in listed:
                    entries.append({vocab.title: page})
            return [*nav[:position], {BROWSE: entries}, *nav[position + 1:]]
    return nav
