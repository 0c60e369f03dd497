"""A case study's or claim's body rendered once: by the validator, and reused by its page.

The validator renders every body with Python-Markdown to check it against the sanitiser
(:func:`coprod.checks.body.check_body`). For a case study it renders the body as its page
will: the headings one level down, the site's extensions and settings (:data:`EXTENSIONS`,
the ones MkDocs adds and mkdocs.yml's, a test checks), and each citation replaced by a
token, since the validator does not know yet how the bibliography writes it. When that
HTML can stand for what MkDocs would make of the body inside its page, it is kept
(:class:`Prerendered`, plain data in the build's cache).

The page around the body is made from its template (overrides/partials/coprod/case-study.html,
claim.html) and never goes through Markdown; the body sits in it as a :class:`Body`, in a
slot (:data:`BODY_SLOT`). When MkDocs asks for the page (:func:`place_body`), the slot takes
the validator's HTML with the citations' HTML in place of the tokens (:func:`body_for_page`);
or, where that cannot stand for it, the body alone rendered by MkDocs' own Markdown, with
the site's configuration, so its links are resolved and checked as in any page. Either way
its headings join the page's table of contents with the ids Python-Markdown's ``toc`` gives
a whole page rendered in order, and the page's own headings are numbered around them.

The validator's HTML is kept only where nothing around the body could change it: every
citation between spaces or punctuation, never in a link, heading, code or attribute; no link
MkDocs would rewrite or check (only links with a scheme or a host, and the headings' own
permalinks); no id the page's own headings have. A test builds the site both ways
(``COPROD_NO_PRERENDER=1`` has MkDocs render every body) and compares them byte for byte.
"""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import nest_toc_tokens, unique
from markdown.preprocessors import HtmlBlockPreprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString

from ..read.needles import required
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
    return quick(markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=EXTENSION_CONFIGS))


def quick(md: markdown.Markdown) -> markdown.Markdown:
    """``md`` with its inline pass replaced by :class:`QuickInline` and its raw HTML pass by
    :class:`QuickHtmlBlock` (the validator's converters), each in its place: same name,
    same priority."""
    for registry, name, quicker in ((md.treeprocessors, "inline", QuickInline),
                                    (md.preprocessors, "html_block", QuickHtmlBlock)):
        priority = next(item.priority for item in registry._priority if item.name == name)
        registry.register(quicker(md), name, priority)
    return md


class QuickHtmlBlock(HtmlBlockPreprocessor):
    """Python-Markdown's raw HTML pass, which reads the whole text with an HTML parser to
    take its raw HTML out, except on text holding neither ``<`` nor ``&``: the parser then
    meets one run of text and gives back the lines it was given, which this does without
    reading them (with a ``&`` it may write an entity written without its semicolon with
    one, so such text is read)."""

    def run(self, lines: list[str]) -> list[str]:
        if not any("<" in line or "&" in line for line in lines):
            return lines
        return super().run(lines)


@lru_cache(maxsize=64)
def _needles(pattern: str, flags: int) -> frozenset[str] | None:
    return None if flags & re.IGNORECASE else required(pattern, flags)


class QuickInline(InlineProcessor):
    """Python-Markdown's inline pass, which tries each inline pattern on each text in turn
    (with the text's placeholders of what earlier patterns made), except that a pattern is
    not tried on a text that holds none of the strings every match of its expression holds
    (:func:`coprod.read.needles.required`). Python-Markdown finds no match in such a text
    and goes on to the next pattern from the text's start: this does the same without
    searching, so the tree and the HTML are the same (a test renders the shipped, fixture
    and hostile bodies both ways). Most of a body's text holds no ``[``, ``*``, ``<``, ``&``
    or backtick, and the search was most of the pass."""

    def run(self, tree, ancestors=None):
        self.quick = [(pattern, _needles(pattern.getCompiledRegExp().pattern, pattern.getCompiledRegExp().flags))
                      for pattern in self.inlinePatterns]
        return super().run(tree, ancestors)

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        # Python-Markdown's InlineProcessor.__handleInline with the look before each pattern
        if not isinstance(data, AtomicString):
            start, patterns = 0, self.quick
            while patternIndex < len(patterns):
                pattern, needles = patterns[patternIndex]
                if needles is not None and not any(needle in data for needle in needles):
                    patternIndex, start = patternIndex + 1, 0  # what __applyPattern returns when nothing matches
                    continue
                data, matched, start = self._InlineProcessor__applyPattern(pattern, data, patternIndex, start)
                if not matched:
                    patternIndex += 1
        return data


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
        self.tokens: list[tuple] | None = None  # the HTML's :func:`tokens`, when it was read from them
        self.items: list = []  # (tag, attrs) of each start tag, or "<!--", "<!", "<?"
        self.open: list[str] = []
        self.ok = True
        self.ids: list[str] = []
        self.permalinks: list[str] = []
        self.found = 0

    def replay(self, tokens: list[tuple]) -> None:
        """What HTMLParser's reading of the HTML of ``tokens`` calls, called."""
        for token in tokens:
            if token[0] is TEXT:
                self.handle_data(unescape(token[1]))
            elif token[0] is START:
                attrs = [(name, unescape(value)) for name, value in token[2]]
                (self.handle_startendtag if token[3] else self.handle_starttag)(token[1], attrs)
            else:
                self.handle_endtag(token[1])

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



# --------------------------------------------------------------------------- reading the HTML

TEXT, START, END = "text", "start", "end"
"""The kinds of :func:`tokens`: (TEXT, text as written), (START, tag, ((name, value as written), ...), written
``/>``), (END, tag)."""

READ_TAGS = frozenset({
    "p", "a", "img", "code", "pre", "em", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "blockquote", "hr", "br", "div", "sup", "table", "thead", "tbody", "tr", "th", "td",
})
"""The tags :func:`tokens` reads: the ones Python-Markdown makes of a body. Any other goes to
HTMLParser (``script`` or ``style``, say, change how it reads what follows)."""

_TAG = re.compile(r'<(/?)([a-z][a-z0-9]*+)((?: [a-z][a-z0-9_.:-]*+="[^"<>]*+")*+)( /)?>')
_ATTRIBUTE = re.compile(r' ([a-z][a-z0-9_.:-]*+)="([^"<>]*+)"')


def tokens(html: str) -> list[tuple] | None:
    """``html`` cut into text, start tags and end tags, where it holds only what Python-Markdown's
    serialiser writes of its own tree: each ``<`` opens a tag of :data:`READ_TAGS` with
    lower-case ``name="value"`` attributes (``"``, ``<`` and ``>`` escaped in values, as the
    serialiser does). None for anything else (raw HTML, a comment, a declaration, an
    attribute without a value...), which HTMLParser then reads. On such HTML, HTMLParser
    calls its handlers with exactly these tags, each attribute's value unescaped, and each
    text unescaped (:meth:`Read.replay`; a test compares the two)."""
    out: list[tuple] = []
    pos, find, match = 0, html.find, _TAG.match
    while True:
        at = find("<", pos)
        if at < 0:
            if pos < len(html):
                out.append((TEXT, html[pos:]))
            return out
        if at > pos:
            out.append((TEXT, html[pos:at]))
        found = match(html, at)
        if found is None:
            return None
        end, tag, attributes, closed = found.groups()
        if tag not in READ_TAGS or end and (attributes or closed):
            return None
        out.append((END, tag) if end else (START, tag, tuple(_ATTRIBUTE.findall(attributes)), bool(closed)))
        pos = found.end()


def read(html: str, token: str | None) -> Read:
    """:class:`Read` of ``html``: from its :func:`tokens` where it has them (``read.tokens``),
    else by HTMLParser (``read.tokens`` None)."""
    reader = Read(token)
    reader.tokens = tokens(html)
    if reader.tokens is None:
        reader.feed(html)
        reader.close()
    else:
        reader.replay(reader.tokens)
    return reader


def prerender(body: str, citations) -> tuple[str, Prerendered | None, Read]:
    """The body rendered as its page renders it (citations as tokens), what the page may
    reuse of it (None where MkDocs must render it in place), and the HTML as read."""
    token = token_for(body)
    usable = token is not None and citations_stand_alone(body, citations)
    text = page_text(body, citations, token or "CPRDCITE")
    md = renderer().reset()
    html = md.convert(text)
    reader = read(html, token if usable else None)
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


# The place of a contributor's body on a page made from a template (coprod/render/templates.py,
# ``outline.contributed``): the two markers the sanitiser reads, side by side, which no
# escaped value can write.
BODY_SLOT = f"{BODY_START}\n{BODY_END}"


@dataclass(frozen=True)
class Body:
    """A contributor's text on a page made as HTML: its markdown as the page gives it to
    Markdown (citations rendered, headings demoted), and the validator's HTML of it with
    the citations in, where that can stand for what MkDocs would make of it (else None)."""

    markdown: str
    html: str | None = None
    toc: tuple[tuple[int, str, str], ...] = ()  # (level, id, name) of its headings, when html
    ids: tuple[str, ...] = ()  # every id in html
    at: int = 0  # how many of the page's own headings come before it (set by the template)


def body_of(record, refs, rendered: str) -> Body:
    """``record``'s body for its page: its markdown (``rendered``: the body with its citations
    rendered, coprod.cite.references.References.render_body) as the page gives it to Markdown,
    and the validator's HTML of it (``record.body_html``) with the citations in, where that
    stands for it."""
    markdown_text = demote_headings(rendered.strip())
    pre = getattr(record, "body_html", None)
    html = None if pre is None else body_for_page(pre, record.citations, refs.render_citation)
    if html is None:
        return Body(markdown_text)
    return Body(markdown_text, html, pre.toc, pre.ids)


def wrapped(html: str) -> str:
    """The body between its markers, as Python-Markdown wrote them in a page (blocks of HTML)."""
    return f"{BODY_START}\n\n{html}\n{BODY_END}"


def as_markdown(content: str, body: Body | None) -> str:
    """A page made as HTML with its body as markdown in its slot (what another engine, or a
    rebuild's key, reads)."""
    if body is None:
        return content
    return content.replace(BODY_SLOT, f"\n{BODY_START}\n\n{body.markdown}\n\n{BODY_END}\n", 1)


def place_body(page, made, config, files) -> None:
    """MkDocs' ``page`` (given the HTML of ``made`` by templates.hand_to_mkdocs) with the body
    in its slot: the validator's HTML, or, where that cannot stand for it (a link MkDocs
    resolves or checks, a citation in a heading or link, ids that meet the page's,
    ``COPROD_NO_PRERENDER=1``), the body alone rendered by MkDocs with the site's Markdown
    settings, its links resolved and checked as in any page. Either way the body's headings
    join the page's table of contents with the ids the whole page rendered by Python-Markdown
    would give them, and the page's own headings are numbered around them the same way."""
    import os

    from mkdocs.structure.toc import get_toc

    body: Body = made.body
    flat = _flat_tokens(made.toc)
    if body.html is not None and not os.environ.get("COPROD_NO_PRERENDER"):
        own = {ident for _, ident, _ in flat[:body.at] + flat[body.at + len(body.toc):]}
        if not own & (set(body.ids) - {ident for _, ident, _ in body.toc}):
            page.content = page.content.replace(BODY_SLOT, wrapped(body.html), 1)
            page.present_anchor_ids = page.present_anchor_ids | set(body.ids)
            return
    if body.html is not None:  # its headings are in the contents: the page's own are the others
        flat = flat[:body.at] + flat[body.at + len(body.toc):]
    before, after = flat[:body.at], flat[body.at:]
    seed = _Seed([_base(ident, [i for _, i, _ in before[:n]]) for n, (_, ident, _) in enumerate(before)])
    content, anchors, title = page.content, page.present_anchor_ids, page._title_from_render
    extensions = config["markdown_extensions"]
    page.markdown = body.markdown
    extensions.append(seed)
    try:
        type(page).render(page, config, files)  # MkDocs' own: its extensions, link resolution and checks
    finally:
        extensions.remove(seed)
    rendered, body_toc = page.content, _flat_toc(page.toc)
    page._title_from_render = title
    used = set(seed.planted) | set(page.present_anchor_ids)
    bases = [i for _, i, _ in before]
    renamed_after = []
    for n, (_, ident, _) in enumerate(after):
        renamed_after.append(unique(_base(ident, bases + [i for _, i, _ in after[:n]]), used))
    new_ids = list(seed.planted) + renamed_after
    content = _rename_headings(content, [i for _, i, _ in before + after], new_ids)
    page.content = content.replace(BODY_SLOT, wrapped(rendered), 1)
    own = [(level, new, name) for (level, _, name), new in zip(before + after, new_ids)]
    merged = own[:len(before)] + body_toc + own[len(before):]
    page.toc = get_toc(nest_toc_tokens([{"level": lv, "id": i, "name": n} for lv, i, n in merged]))
    page.present_anchor_ids = ((anchors - {i for _, i, _ in before + after}) | set(new_ids)
                               | (set(page.present_anchor_ids) - set(seed.planted)))


def _base(ident: str, earlier: list[str]) -> str:
    """The id a heading had before it was made unique on its page (``x_2`` -> ``x`` when an
    earlier heading of the page took ``x``)."""
    found = _SUFFIX.match(ident)
    return found.group(1) if found and found.group(1) in earlier else ident


_SUFFIX = re.compile(r"^(.*)_([0-9]+)$")
_OWN_HEADING = re.compile(r'(<h[1-6](?: class="[^"]*")? id=")([^"]+)(">.*?<a class="headerlink" href="#)\2(" )')


def _rename_headings(content: str, old: list[str], new: list[str]) -> str:
    """The page's own headings (outside the body slot) with the ids ``new``, in order."""
    if old == new:
        return content
    found = list(_OWN_HEADING.finditer(content))
    if [m.group(2) for m in found] != old:
        return content  # not the headings the template wrote: left as they are
    names = iter(new)

    def rename(match: re.Match) -> str:
        ident = next(names)
        return f"{match.group(1)}{ident}{match.group(3)}{ident}{match.group(4)}"

    return _OWN_HEADING.sub(rename, content)


class _Seed(Extension):
    """The page's own headings before the body, as Python-Markdown's ``toc`` would have met
    them in the whole page: their ids (made unique against the body's own ids) are taken
    before the body's headings are numbered, then dropped from the body's HTML."""

    def __init__(self, bases: list[str]) -> None:
        super().__init__()
        self.bases = bases
        self.planted: list[str] = []  # their ids, unique against the body's own
        self.elements: list = []  # the stand-ins that hold those ids while toc numbers the body

    def extendMarkdown(self, md) -> None:
        md.treeprocessors.register(_Plant(md, self), "coprod_seed", 6)  # after attr_list (8), before toc (5)
        md.treeprocessors.register(_Pull(md, self), "coprod_unseed", 4)


class _Plant(Treeprocessor):
    def __init__(self, md, seed: _Seed) -> None:
        super().__init__(md)
        self.seed = seed

    def run(self, root):
        used = {el.attrib["id"] for el in root.iter() if isinstance(el.tag, str) and "id" in el.attrib}
        self.seed.planted = [unique(base, used) for base in self.seed.bases]
        self.seed.elements = [etree.SubElement(root, "div", {"id": ident}) for ident in self.seed.planted]


class _Pull(Treeprocessor):
    def __init__(self, md, seed: _Seed) -> None:
        super().__init__(md)
        self.seed = seed

    def run(self, root):
        for element in self.seed.elements:
            root.remove(element)
        self.seed.elements = []


def _flat_tokens(tokens) -> list[tuple[int, str, str]]:
    out = []
    for token in tokens:
        out.append((token["level"], token["id"], token["name"]))
        out.extend(_flat_tokens(token.get("children", ())))
    return out


def _flat_toc(items) -> list[tuple[int, str, str]]:
    out = []
    for item in items:
        out.append((item.level, item.id, item.title))
        out.extend(_flat_toc(item.children))
    return out
