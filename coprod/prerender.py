"""Faster builds: render the lists the site repeats once, not once per page.

A case study appears in the lists of a dozen term pages, the catalogue and the evidence
map, and a reference is listed on every page that cites it. MkDocs would run
Python-Markdown over each copy. The hook hands each generated page to :func:`stash` first:
every run of list items outside a contributed body is rendered here (each distinct item
once per build, memoised) and replaced by a placeholder that :func:`unstash` swaps for the
HTML after MkDocs has rendered the rest. Links to ``.md`` pages are rewritten to the
addresses MkDocs would give them, relative to the page's address.

The exported markdown and the registered page content stay the same plain markdown: this
only changes who renders those lists, not what they say.
"""

from __future__ import annotations

import posixpath
import re
import secrets
from dataclasses import dataclass, field
from functools import cache, lru_cache

import markdown

REFERENCE_ITEM = '- <span id="ref-'
from .sanitize import BODY_END, BODY_START

_LIST_RUN = re.compile(r"(?m)^- .*(?:\n(?:- |  ).*)*")
_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'href="([^"#:?]*\.md)((?:#[^"]*)?)"')
_EXTENSIONS = ("admonition", "attr_list", "tables", "toc")


@dataclass
class Stash:
    token: str = field(default_factory=lambda: "COPRODLIST" + secrets.token_hex(6))
    blocks: list[str] = field(default_factory=list)

    def placeholder(self, html: str) -> str:
        self.blocks.append(html)
        return f"{self.token}N{len(self.blocks) - 1}X"


    def anchor_ids(self) -> set[str]:
        """Every id in the rendered lists (link targets MkDocs did not see)."""
        return {m.group(1) for block in self.blocks for m in _ID.finditer(block)}


def stash(text: str, page_uri: str, repeated_only: bool = False) -> tuple[str, Stash]:
    """``text`` with list runs outside any contributed body replaced by placeholders.

    ``repeated_only`` limits this to reference lists, the one part of a case study or
    claim page that repeats across pages (its other lists are its own, and rendering
    them apart from the page would cost more than it saves)."""
    store = Stash()
    is_index = page_uri == "index.md" or page_uri.endswith("/index.md")
    pieces = re.split(f"({re.escape(BODY_START)}.*?{re.escape(BODY_END)})", text, flags=re.DOTALL)
    out = []
    for piece in pieces:
        if piece.startswith(BODY_START):
            out.append(piece)  # contributed text: MkDocs renders it in context
        else:
            out.append(_LIST_RUN.sub(lambda m: _replace(m, store, is_index, repeated_only), piece))
    return "".join(out), store


def _replace(match: re.Match, store: Stash, is_index: bool, repeated_only: bool) -> str:
    """A list run stands alone only between blank lines; anywhere else markdown would read
    it differently (as a paragraph's continuation, or a lazy line joining the last item),
    so it is left for MkDocs."""
    text, start, end = match.string, match.start(), match.end()
    before = text[:start].rstrip("\n")
    previous_line = before[before.rfind("\n") + 1:]
    alone_before = start == 0 or (text[max(0, start - 2):start] == "\n\n"
                                  and not previous_line.startswith(("- ", " ", "\t")))
    following = text[end:].lstrip("\n")
    alone_after = not following or (text[end:end + 2] == "\n\n" and not following.startswith((" ", "\t", "- ")))
    if not (alone_before and alone_after) or (repeated_only and not match.group().startswith(REFERENCE_ITEM)):
        return match.group()
    return store.placeholder(_render_run(match.group(), is_index))


def unstash(html: str, store: Stash) -> str:
    """Put the rendered lists back where their placeholders ended up."""
    if not store.blocks:
        return html
    pattern = re.compile(rf"<p>{store.token}N(\d+)X</p>")
    return pattern.sub(lambda m: store.blocks[int(m.group(1))], html)


def _render_run(run: str, is_index: bool) -> str:
    items = re.split(r"(?m)^(?=- )", run)
    return "<ul>\n" + "\n".join(_render_item(item.rstrip("\n"), is_index) for item in items if item) + "\n</ul>"


@cache
def _render_item(item: str, is_index: bool) -> str:
    html = _converter().reset().convert(item)
    inner = html.removeprefix("<ul>\n").removesuffix("\n</ul>")
    return _HREF.sub(lambda m: f'href="{md_to_url(m.group(1), is_index)}{m.group(2)}"', inner)


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=list(_EXTENSIONS))


def md_to_url(path: str, page_is_index: bool) -> str:
    """A relative link to a .md file, as MkDocs writes it with directory URLs:
    ``../x/y.md`` from ``a/b.md`` (address /a/b/) becomes ``../../x/y/``."""
    if path.endswith("index.md"):
        path = path[: -len("index.md")]
    else:
        path = path[:-3] + "/"
    if not page_is_index:
        path = "../" + path
    normal = posixpath.normpath(path) if path else "."
    return ("./" if normal == "." else normal + "/")
