"""A case study's body rendered once: by the validator, and reused by its page.

The validator renders every body with Python-Markdown to check it against the sanitiser
(:func:`coprod.checks.body.check_body`). For a case study it renders the body as its page
will: the headings one level down, the site's extensions and settings (:data:`EXTENSIONS`,
the ones MkDocs adds and mkdocs.yml's, a test checks), and each citation replaced by a
token, since the validator does not know yet how the bibliography writes it. When that
HTML can stand for what MkDocs would make of the body inside its page, it is kept
(:class:`Prerendered`, plain data in the build's cache) and the page uses it: the citations'
HTML goes in place of the tokens (:func:`body_for_page`), and the hook puts the body into
the page MkDocs rendered without it (:func:`stash_body`, :func:`insert_body`), with its
headings in the page's table of contents.

It is kept only where nothing around the body could change it: every citation between
spaces or punctuation, never in a link, heading, code or attribute; no link MkDocs would
rewrite or check (only links with a scheme or a host, and the headings' own permalinks).
Anything else is left to MkDocs, as before; so is a page whose own ids meet the body's (the
table of contents would number them in another order). A test builds the site both ways
(``COPROD_NO_PRERENDER=1``) and compares them byte for byte.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
from markdown.extensions.toc import nest_toc_tokens

from .sanitize import BODY_END, BODY_START

# MkDocs puts its built-in extensions first (mkdocs/config/defaults.py), then mkdocs.yml's
EXTENSIONS = ("toc", "tables", "fenced_code", "admonition", "attr_list")
EXTENSION_CONFIGS = {"toc": {"permalink": True}}
"""What the site's pages are rendered with (a test reads mkdocs.yml and MkDocs' defaults)."""

_HEADING = re.compile(r"(?m)^(#{1,5})(?=[ \t])")


def demote_headings(markdown_text: str) -> str:
    """A contributed body's headings one level down, so they sit under the page's own
    section heading (## becomes ###). Lines in code blocks never start with '#'."""
    return _HEADING.sub(r"#\1", markdown_text)


@dataclass(frozen=True)
class Prerendered:
    """A body's HTML as its page renders it, with a token where each citation goes."""

    html: str
    token: str  # citation i is f"{token}N{i}X" in html
    citations: int
    toc: tuple[tuple[int, str, str], ...]  # (level, id, name) of each heading, in order
    ids: tuple[str, ...]  # every id in html

    def placeholder(self, index: int) -> str:
        return f"{self.token}N{index}X"


@lru_cache(maxsize=1)
def renderer() -> markdown.Markdown:
    """One converter with the site's settings, reset before each body."""
    return markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=EXTENSION_CONFIGS)


_BEFORE_OK = frozenset(" \t\n(")
_AFTER_OK = frozenset(" \t\n.,;:!?)")


def page_text(body: str, citations, token: str | None = None, render=None) -> str:
    """The body as its page gives it to Python-Markdown: each citation replaced by
    ``render(citation)`` (by a token when ``render`` is None), stripped, headings demoted."""
    pieces, pos = [], 0
    for index, citation in enumerate(citations):
        pieces.append(body[pos:citation.start])
        pieces.append(render(citation) if render is not None else f"{token}N{index}X")
        pos = citation.end
    pieces.append(body[pos:])
    return demote_headings("".join(pieces).strip())


def token_for(body: str) -> str | None:
    """A token no body text holds (made from the body, so the same body gets the same one)."""
    token = "CPRDCITE" + hashlib.blake2b(body.encode("utf-8", "replace"), digest_size=5).hexdigest().upper()
    return None if token in body else token


def citations_stand_alone(body: str, citations) -> bool:
    """Whether each citation sits between spaces or punctuation, where what replaces it
    cannot join the text around it (a link after ``]``, attributes after ``{``)."""
    for citation in citations:
        before = body[citation.start - 1] if citation.start > 0 else " "
        after = body[citation.end] if citation.end < len(body) else " "
        if before not in _BEFORE_OK or after not in _AFTER_OK:
            return False
    return True


class Read(HTMLParser):
    """The rendered body read once: every start tag with its attributes and every comment,
    declaration or processing instruction (``items``, for the validator's checks); where
    the tokens landed, the ids, and whether a link is one MkDocs would touch."""

    _INLINE_OK = ("a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre")

    def __init__(self, token: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.token = token
        self.items: list = []  # (tag, attrs) of each start tag, or "<!--", "<!", "<?"
        self.open: list[str] = []
        self.ok = True
        self.ids: list[str] = []
        self.permalinks: list[str] = []
        self.found = 0

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.items.append("<!--")

    def handle_decl(self, decl: str) -> None:
        self.items.append("<!")

    def handle_pi(self, data: str) -> None:
        self.items.append("<?")

    def handle_starttag(self, tag: str, attrs) -> None:
        self.items.append((tag, attrs))
        values = dict(attrs)
        if self.token and any(self.token in (v or "") for _, v in attrs):
            self.ok = False
        if values.get("id"):
            self.ids.append(values["id"])
        for name in ("href", "src"):
            value = values.get(name)
            if value is None or name == "src" and tag != "img" or name == "href" and tag != "a":
                continue
            parts = urlsplit(unescape(value))
            if parts.scheme or parts.netloc:
                continue
            if tag == "a" and values.get("class") == "headerlink" and value.startswith("#"):
                self.permalinks.append(value[1:])
                continue
            self.ok = False  # a link MkDocs resolves or checks: MkDocs renders this body
        if tag not in ("img", "br", "hr"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.token and self.token in data:
            if any(tag in self._INLINE_OK for tag in self.open):
                self.ok = False
            self.found += data.count(self.token)


def prerender(body: str, citations) -> tuple[str, Prerendered | None, Read]:
    """The body rendered as its page renders it (citations as tokens), what the page may
    reuse of it (None where MkDocs must render it in place), and the HTML as read."""
    token = token_for(body)
    usable = token is not None and citations_stand_alone(body, citations)
    text = page_text(body, citations, token or "CPRDCITE")
    md = renderer().reset()
    html = md.convert(text)
    reader = Read(token if usable else None)
    reader.feed(html)
    reader.close()
    if not usable:
        return html, None, reader
    headings = _flatten(getattr(md, "toc_tokens", []))
    heading_ids = {h[1] for h in headings}
    if not reader.ok or reader.found != len(citations) or not set(reader.permalinks) <= heading_ids:
        return html, None, reader
    if any(html.count(f"{token}N{i}X") != 1 for i in range(len(citations))):
        return html, None, reader
    return html, Prerendered(html, token, len(citations), headings, tuple(reader.ids)), reader


def _flatten(tokens) -> tuple[tuple[int, str, str], ...]:
    out = []
    for item in tokens:
        out.append((item["level"], item["id"], item["name"]))
        out.extend(_flatten(item.get("children", ())))
    return tuple(out)


# --------------------------------------------------------------------------- the page


def body_for_page(pre: Prerendered, citations, render_citation) -> str | None:
    """The body's HTML with each citation as the page writes it (``render_citation`` gives
    its markdown), or None if a citation's markdown is not one line of inline text."""
    html = pre.html
    if len(citations) != pre.citations:
        return None
    for index, citation in enumerate(citations):
        inline = _inline(render_citation(citation))
        if inline is None:
            return None
        html = html.replace(pre.placeholder(index), inline, 1)
    return html


@lru_cache(maxsize=4096)
def _inline(text: str) -> str | None:
    """A citation's markdown as HTML inside a paragraph (its own text only)."""
    if "\n" in text:
        return None
    html = renderer().reset().convert(text)
    if not (html.startswith("<p>") and html.endswith("</p>")) or html.count("<p>") != 1:
        return None
    return html[3:-4]


@dataclass
class BodySlot:
    """A page whose body was taken out before MkDocs rendered it."""

    placeholder: str
    html: str
    pre: Prerendered
    markdown: str = ""  # the page's markdown with the body in it, should MkDocs have to render it after all


def take_body(text: str, record, refs) -> tuple[str, BodySlot | None]:
    """A case study page's markdown without its body, when the validator's HTML of the
    body (``record.body_html``) can stand in for it; else ``text`` as it is."""
    pre = getattr(record, "body_html", None)
    if pre is None:
        return text, None
    html = body_for_page(pre, record.citations, refs.render_citation)
    if html is None:
        return text, None
    taken, slot = stash_body(text, pre, html)
    if slot is not None:
        slot.markdown = text
    return taken, slot


def put_body(html: str, slot: BodySlot, page, config, files) -> str:
    """The page's HTML with its body back (:func:`insert_body`); where that cannot be
    done, the page rendered by MkDocs with its body, as without this module."""
    done = insert_body(html, slot, page)
    if done is not None:
        return done
    page.markdown = slot.markdown
    page.render(config, files)
    return page.content


def stash_body(text: str, pre: Prerendered, html: str) -> tuple[str, BodySlot | None]:
    """``text`` (a page's markdown) with its contributed region, from the first body
    marker to the last, replaced by a placeholder paragraph."""
    start, end = text.find(BODY_START), text.rfind(BODY_END)
    if not 0 <= start < end:
        return text, None
    end += len(BODY_END)
    if text[max(0, start - 2):start] != "\n\n" or text[end:end + 2] not in ("\n\n", "\n"):
        return text, None
    slot = BodySlot("CPRDBODY" + pre.token[8:] + "B", html, pre)
    return text[:start] + slot.placeholder + text[end:], slot


def insert_body(html: str, slot: BodySlot, page) -> str | None:
    """The page's HTML with the body in place of its placeholder, its headings in
    ``page.toc`` and its ids among the page's anchors; None if MkDocs must render it (the
    placeholder moved, or the page's own ids meet the body's)."""
    from mkdocs.structure.toc import get_toc

    placeholder = f"<p>{slot.placeholder}</p>"
    at = html.find(placeholder)
    if at < 0 or html.count(placeholder) != 1:
        return None
    own = set(page.present_anchor_ids or ())
    if own & set(slot.pre.ids):
        return None
    flat = _flat_toc(page.toc)
    before = sum(1 for _, anchor, _ in flat if 0 <= html.find(f' id="{anchor}"') < at)
    body = [(level, anchor, name) for level, anchor, name in slot.pre.toc]
    merged = flat[:before] + body + flat[before:]
    page.toc = get_toc(nest_toc_tokens([{"level": lv, "id": i, "name": n} for lv, i, n in merged]))
    page.present_anchor_ids = own | set(slot.pre.ids)
    # as Python-Markdown writes the markers (blocks of HTML): a blank line after each
    end = at + len(placeholder)
    after = "\n\n" if html.startswith("\n", end) else ""
    return html[:at] + f"{BODY_START}\n\n{slot.html}\n{BODY_END}{after}" + html[end + len(after) // 2:]


def _flat_toc(items) -> list[tuple[int, str, str]]:
    out = []
    for item in items:
        out.append((item.level, item.id, item.title))
        out.extend(_flat_toc(item.children))
    return out
