"""The HTML the generator writes itself: escaped values, links, lists, tables.

Most of a generated page is ours, not a contributor's: the facts table, the lists of
principles, outcomes, case studies and references. Pages made from templates
(:mod:`coprod.render.templates`) take these parts as ready HTML; the few markdown texts the
build still writes (the home page's figures, the reference list of a hand-written page that
cites) hold them as HTML blocks, which Python-Markdown passes through untouched.

Rules every block follows, so that it stands as one HTML block in markdown:

- it starts with ``<tag`` at the start of a line, where ``tag`` is one of :data:`BLOCK_TAGS`,
  and ends with a line that is exactly ``</tag>``; no line inside it is that line;
- it has a blank line before and after it (the callers join sections with blank lines);
- every value in it went through :func:`esc`, and every link's address through
  :func:`coprod.read.urls.href` (the address MkDocs would have written for a ``.md`` link, since
  MkDocs does not rewrite links inside HTML blocks).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

BLOCK_TAGS = ("ul", "ol", "table", "div", "dl", "figure")


# Python-Markdown turns tabs and carriage returns into spaces and newlines and drops STX and
# ETX everywhere in a page, HTML blocks included; text written here does the same, so a
# block is the same in a markdown page as in a page made as HTML, which Python-Markdown never reads.
_NORMALISED = {"\r": " ", "\t": " ", "\x02": None, "\x03": None}
_WHITESPACE = str.maketrans(_NORMALISED)
_ONE_LINE = str.maketrans({**_NORMALISED, "\n": " "})


# what html.escape or the tables above change: text without any of these is returned as it is
_CHANGED = re.compile("[&<>\"'\r\t\n\x02\x03]")
_CHANGED_LINES = re.compile("[&<>\"'\r\t\x02\x03]")


def esc(value: object) -> str:
    """Text safe as HTML content or a quoted attribute value, on one line."""
    text = str(value)
    return text if _CHANGED.search(text) is None else html.escape(text, quote=True).translate(_ONE_LINE)


def esc_lines(value: object) -> str:
    """Like :func:`esc`, but keeping line breaks (for text in ``<pre>``)."""
    text = str(value)
    return text if _CHANGED_LINES.search(text) is None else html.escape(text, quote=True).translate(_WHITESPACE)


_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_EMPHASIS = re.compile(r"\*([^*\n]+)\*")


def inline(text: str) -> str:
    """One of this package's own sentences that marks code as ```x``` and emphasis as
    ``*x*`` (a constant such as ``coprod.read.fields.REQUIRED_NOTE``, shared with a markdown
    page), as the HTML Python-Markdown makes of it: escaped, line breaks kept, those two marks
    made ``<code>`` and ``<em>``. Never for a contributor's text, which meets Markdown itself."""
    parts = _CODE_SPAN.split(text)  # text, code, text, code, ...
    return "".join(f"<code>{esc(part.strip())}</code>" if index % 2 else _EMPHASIS.sub(r"<em>\1</em>", esc_lines(part))
                   for index, part in enumerate(parts))


def link(address: str, text_html: str) -> str:
    """``<a href="address">text</a>``; ``address`` comes from urls.href or safe_url."""
    return f'<a href="{esc(address)}">{text_html}</a>'


def block(tag: str, lines: Iterable[str], attributes: str = "") -> str:
    """One HTML block: ``<tag attributes>``, the lines, ``</tag>``."""
    assert tag in BLOCK_TAGS, tag
    return "\n".join([f"<{tag}{attributes}>", *lines, f"</{tag}>"])


def bullet_list(items: Iterable[str], css_class: str = "") -> str:
    """A ``<ul>`` of the items (each HTML, without its ``<li>``)."""
    attributes = f' class="{esc(css_class)}"' if css_class else ""
    return block("ul", (f"<li>{item}</li>" for item in items), attributes)


def table(header: list[str], rows: Iterable[list[str]], numeric: frozenset[int] = frozenset(),
          label: str = "") -> str:
    """A table like the one Python-Markdown makes from a pipe table: a header row of
    ``<th>`` and body rows of ``<td>`` (all cells HTML). Columns in ``numeric`` are
    right-aligned by a class (no style attribute: the pages' Content-Security-Policy allows
    none). With ``label`` (plain text), the table sits in a labelled region that scrolls on
    its own when it is wider than the column, so the page never scrolls sideways."""

    right = ' class="coprod-num"'

    def cells(tag: str, values: list[str]) -> str:
        return "".join(f"<{tag}{right if i in numeric else ''}>{v}</{tag}>" for i, v in enumerate(values))

    lines = ["<thead>", f"<tr>{cells('th', header)}</tr>", "</thead>", "<tbody>"]
    lines += [f"<tr>{cells('td', row)}</tr>" for row in rows]
    lines.append("</tbody>")
    if not label:
        return block("table", lines)
    return block("div", ["<table>", *lines, "</table>"], scroll_region(label))


def scroll_region(label: str) -> str:
    """The attributes of a region that scrolls sideways on its own, named for screen readers
    and reachable from the keyboard (WCAG 1.4.10, 2.1.1)."""
    return f' class="coprod-scroll" role="region" aria-label="{esc(label)}" tabindex="0"'


def tags(labels: Iterable[str], css_class: str = "coprod-tag") -> str:
    """Small tags (each label HTML already, escaped or a link) in a line that wraps. Spans,
    not a list: a card is a list item, and its tags are words about it, not items of a list."""
    items = "".join(f'<span class="{css_class}">{label}</span>' for label in labels)
    return f'<span class="coprod-tags">{items}</span>' if items else ""


def tag_list(labels: Iterable[str], label: str) -> str:
    """Tags that are links (a case study's principles, barriers): a labelled list."""
    items = "".join(f"<li>{item}</li>" for item in labels)
    return f'<ul class="coprod-tags" aria-label="{esc(label)}">{items}</ul>' if items else ""
