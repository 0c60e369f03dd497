"""Faster builds: the HTML blocks the generator wrote skip Python-Markdown entirely.

Generated pages write their own lists and tables as HTML blocks (:mod:`coprod.render.markup`).
Python-Markdown would pass each block through unchanged, but only after reading it with its
HTML parser, character by character. The hook hands each generated markdown page (the
references, the open data, how to cite, what's new; pages made from templates never meet
Python-Markdown) to :func:`stash` first: every such block is replaced by a placeholder, and
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
    """``text`` (a generated markdown page, which holds no contributor's text: case studies
    and claims are made from templates, coprod/pages/case_study.py) with its HTML blocks
    replaced by placeholders."""
    store = Stash()
    return _BLOCK.sub(lambda match: _replace(match, store), text), store


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
