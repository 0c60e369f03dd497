"""The bibliography page (/references/): every entry of references.bib in APA order, each
with its anchor (``/references/#ref-<key>``) and the pages that cite it, from
overrides/partials/coprod/references.html."""

from __future__ import annotations

from ..cite.references import References
from ..read import urls
from ..read.words import counted
from ..render import templates
from . import Page, html_page

TITLE = "References"


def cited_by(refs_page_uri: str, citing: list[tuple[str, str]]) -> list[dict[str, str]]:
    """The pages that cite one entry, each once, sorted by title: their link from
    ``refs_page_uri`` and their title (or address, untitled)."""
    pages = sorted(dict(citing).items(), key=lambda page: (page[1].casefold(), page[0]))
    return [{"href": urls.href(refs_page_uri, uri), "title": title or uri} for uri, title in pages]


def summary(refs: References, keys: list[str]) -> str:
    """"47 references, 46 of them with a note."."""
    if not keys:
        return "No references yet."
    noted = sum(1 for key in keys if refs.note(key))
    text = counted(len(keys), "reference")
    if noted:
        text += ", with a note" if len(keys) == 1 else f", {noted} of them with a note"
    return text + "."


def references_page(refs: References, cited_by_pages: dict[str, list[tuple[str, str]]]) -> Page:
    """The bibliography page. ``cited_by_pages`` maps a key to the (page uri, page title) of
    every page that cites it. Each entry's HTML is the CSL processor's (:meth:`References.item`),
    the one value the template takes as it is."""
    keys = refs.ordered_keys()
    entries = [{"html": templates.raw(refs.item(key)), "cited_by": cited_by(urls.REFERENCES, cited_by_pages.get(key, []))}
               for key in keys]
    return html_page(urls.REFERENCES, "references.html", TITLE, summary=summary(refs, keys), entries=entries)
