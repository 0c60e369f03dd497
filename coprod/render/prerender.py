"""Faster builds: the HTML blocks the generator wrote skip Python-Markdown entirely.

Generated pages write their own lists and tables as HTML blocks (:mod:`coprod.render.markup`).
Python-Markdown would pass each block through unchanged, but only after reading it with its
HTML parser, character by character. The hook hands each generated page to :func:`stash`
first: every such block outside a contributed body is replaced by a placeholder, and
:func:`unstash` swaps the block back in after MkDocs has rendered the rest.

The registered page content and the exported markdown are unchanged by this: it only
changes who copies those blocks into the page. A test builds the site with and without it
(``COPROD_NO_PRERENDER=1``) and compares the two byte for byte.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from .markup import BLOCK_TAGS
from .sanitize import BODY_END, BODY_START

# a block as coprod.render.markup writes it: a line that opens "<tag ...>" (and closes nothing), up
# to the first line that is "</tag>", with no blank line between
_BLOCK = re.compile(rf"(?m)^<({'|'.join(BLOCK_TAGS)})\b(?:(?!</)[^\n])*\n(?:.+\n)*?</\1>$")
_ID = re.compile(r'\sid="([^"]+)"')


@dataclass
class Stash:
    token: str = field(default_factory=lambda: "COPRODHTML" + secrets.token_hex(6))
    blocks: list[str] = field(default_factory=list)

    def placeholder(self, html: str) -> str:
        self.blocks.append(html)
        return f"{self.token}N{len(self.blocks) - 1}X"

    def anchor_ids(self) -> set[str]:
        """Every id in the stashed blocks (link targets MkDocs did not see)."""
        return {m.group(1) for block in self.blocks for m in _ID.finditer(block)}


def stash(text: str) -> tuple[str, Stash]:
    """``text`` with the HTML blocks outside the contributed body replaced by placeholders.
    The body runs from the first start marker to the last end marker, as
    :func:`coprod.render.sanitize.sanitize_contributed` reads it."""
    store = Stash()
    start, end = text.find(BODY_START), text.rfind(BODY_END)
    body = (start, end + len(BODY_END)) if 0 <= start < end else None

    def replace(match: re.Match) -> str:
        if body is not None and match.start() < body[1] and match.end() > body[0]:
            return match.group()  # contributed text: MkDocs renders it in context
        return _replace(match, store)

    return _BLOCK.sub(replace, text), store


def _replace(match: re.Match, store: Stash) -> str:
    """A block stands alone only between blank lines (or the ends of the text), and only
    if the line that ends it closes its first tag (not one nested inside); anything else is
    left to MkDocs."""
    text, start, end = match.string, match.start(), match.end()
    alone_before = start == 0 or text[max(0, start - 2):start] == "\n\n"
    alone_after = end == len(text) or text[end:end + 2] == "\n\n" or text[end:] == "\n"
    tag, block = match.group(1), match.group()
    balanced = len(re.findall(rf"<{tag}[\s>]", block)) == block.count(f"</{tag}>")
    if not (alone_before and alone_after and balanced):
        return match.group()
    return store.placeholder(match.group())


def unstash(html: str, store: Stash) -> str:
    """Put the blocks back where their placeholders ended up, followed by a blank line
    when more follows, as Python-Markdown writes a block of HTML."""
    if not store.blocks:
        return html
    pattern = re.compile(rf"<p>{store.token}N(\d+)X</p>(\n?)")
    return pattern.sub(lambda m: store.blocks[int(m.group(1))] + m.group(2) * 2, html)
