"""The bibliography page (/references/): every entry of references.bib in APA order, each
with its anchor (``/references/#ref-<key>``) and the pages that cite it."""

from __future__ import annotations

from ..cite.references import References
from ..read import urls
from ..read.words import counted
from ..render import markup
from . import Page

TITLE = "References"
INTRO = (
    "Every source the library cites, in APA style (7th edition) and alphabetical order. "
    "Each entry links to the case studies and claims that cite it. Where it helps, a short note "
    "follows the entry, for example to say that a web page is undated."
)


def cited_by_line(refs_page_uri: str, citing: list[tuple[str, str]]) -> str:
    """"Cited by: <a href="../x/">Title</a>, ..." (HTML) for one entry: each page once,
    sorted by title."""
    pages = sorted(dict(citing).items(), key=lambda page: (page[1].casefold(), page[0]))
    if not pages:
        return "Not cited by any page yet."
    links = [markup.link(urls.href(refs_page_uri, uri), markup.esc(title or uri)) for uri, title in pages]
    return "Cited by: " + ", ".join(links) + "."


def summary(refs: References, keys: list[str]) -> str:
    """"47 references, 46 of them with a note."."""
    if not keys:
        return "No references yet."
    noted = sum(1 for key in keys if refs.note(key))
    text = counted(len(keys), "reference")
    if noted:
        text += ", with a note" if len(keys) == 1 else f", {noted} of them with a note"
    return text + "."


def references_page(refs: References, cited_by: dict[str, list[tuple[str, str]]]) -> Page:
    """The bibliography page. ``cited_by`` maps a key to the (page uri, page title) of
    every page that cites it."""
    keys = refs.ordered_keys()
    lines = [f"# {TITLE}", "", INTRO, "", summary(refs, keys), ""]
    if keys:
        items = (f"<p>{refs.item(key)}</p><p>{cited_by_line(urls.REFERENCES, cited_by.get(key, []))}</p>"
                 for key in keys)
        lines += [markup.bullet_list(items, "coprod-references"), ""]
    return Page(urls.REFERENCES, "\n".join(lines), title=TITLE)
