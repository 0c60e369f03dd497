"""The second line of defence: rendered HTML of contributed pages passes through nh3.

The validator rejects raw HTML and bad links in bodies and, since it runs this same
sanitiser on each rendered body (:func:`coprod.checks.body.check_body`), anything that would be
removed here is an error first. If something slipped through, this removes it from the
page after rendering, keeping what Markdown, the citation links and Material need.

A contributor must not be able to shadow the page's own elements, so in the contributed
region:

- every ``id`` is namespaced with :data:`ID_PREFIX` (``{: #__config }`` becomes
  ``body-__config``), and in-page links to those ids follow; the page's table of
  contents is renamed to match (:func:`rename_toc`);
- classes are limited to the ones Python-Markdown itself writes (admonitions of
  Material's types, permalinks), never the theme's or ours;
- no ``data-`` attribute (``data-pagefind-*`` would hide text from search), no style;
- an image's ``src`` must be the site's own (relative or root-relative): an address on
  another host would make every reader's browser contact it.
"""

from __future__ import annotations

import re
from html import unescape

import nh3

from ..read.hosts import WEB_SCHEMES

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "*": {"id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "th": {"scope", "colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start"},
    "details": {"open"},
}
URL_SCHEMES = {*WEB_SCHEMES, "mailto"}  # the only ones a link may use: the checker reports the rest

ADMONITION_TYPES = frozenset({
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check", "done",
    "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing", "danger", "error",
    "bug", "example", "quote", "cite",
})
"""Material's admonition types and their aliases: the only classes a body's ``!!! type``
may give its box."""

ALLOWED_CLASSES = {
    "div": {"admonition", *ADMONITION_TYPES},
    "p": {"admonition-title"},
    "a": {"headerlink"},
}
"""Classes Python-Markdown writes for what a body may use (admonition, toc permalinks)."""

ID_PREFIX = "body-"
"""Every id in a contributed region starts with this; no id of the theme, the search or
our own pages does (a test checks the built site)."""


def site_image(src: str) -> bool:
    """True if ``src`` is the site's own: relative or root-relative, no scheme, no host.

    Browsers read ``\\`` as ``/`` and drop tabs and newlines in URLs, so ``/\\host`` and
    ``/\\t/host`` are other hosts too."""
    plain = "".join(src.split()).replace("\\", "/")
    if plain.startswith("//"):
        return False
    head = plain.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    return ":" not in head


def _filter(rename: dict[str, str] | None):
    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "src" and tag == "img" and not site_image(value):
            return None
        if rename is None:
            return value
        if attribute == "id":
            return ID_PREFIX + value
        if attribute == "href" and value.startswith("#") and value[1:] in rename:
            return "#" + rename[value[1:]]
        return value
    return attribute_filter


def sanitize(html: str) -> str:
    """``html`` with every tag, attribute, class and URL outside the allow-lists removed."""
    return _clean(html, _KEEP)


def _clean(html: str, attribute_filter) -> str:
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None,
                     strip_comments=True, allowed_classes=ALLOWED_CLASSES, attribute_filter=attribute_filter)


_KEEP = _filter(None)


# --------------------------------------------------------------------------- what it keeps whole

_P_CLOSERS = frozenset({
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p", "search", "section",
    "summary", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form", "plaintext", "table", "hr", "xmp",
    "li", "dd", "dt",
})
"""Start tags that end an open ``<p>`` when an HTML parser meets them (the HTML standard's
"in body" insertion mode)."""
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_VOID = frozenset({"img", "br", "hr"})
_TABLE_PARTS = {"table": {"thead", "tbody"}, "thead": {"tr"}, "tbody": {"tr"}, "tr": {"th", "td"}}
_IN_TABLE = {part: parent for parent, parts in _TABLE_PARTS.items() for part in parts}
_HTML_SPACE = " \t\n\f\r"

_PLAIN_VALUE = re.compile(r"[\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd]*+")
_ESCAPES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"'}
_ESCAPE = re.compile("|".join(_ESCAPES))
_RELATIVE = re.compile(r"(?![A-Za-z][A-Za-z0-9+.-]*+:)[!-~]*+")
_WEB = re.compile(r"https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)++[A-Za-z]{2,63}(?:[/?#][!-~]*+)?")
_MAILTO = re.compile(r"mailto:[A-Za-z0-9._%+-]++@[A-Za-z0-9.-]++")


def keeps_whole(tokens) -> bool:
    """True only if :func:`sanitize` would keep every start tag of the HTML of ``tokens``
    (coprod.render.body_html.tokens: text, start and end tags, values as written) with every
    attribute and value, in order: then comparing the HTML with its sanitised form
    (coprod.checks.body) finds nothing taken away, and the sanitiser need not run. False
    whenever that is not certain; the sanitiser then runs as before.

    Why it holds: every tag is one :data:`TAGS` allows; every attribute one :data:`ATTRIBUTES`
    allows on it, or a class of :data:`ALLOWED_CLASSES` (each once, ASCII, one space apart);
    every value printable, with no character reference but ``&amp;``, ``&lt;``, ``&gt;`` and
    ``&quot;`` (which every HTML parser reads alike, so the value nh3 keeps is the value
    written); a link a relative address (no scheme, no space or control character: the URL
    parser nh3 uses calls it relative, which it keeps), an http(s) address whose host is
    plain letters, digits and hyphens ending in letters (which that parser cannot refuse), or
    a plain mailto address; an image's address relative and the site's own
    (:func:`site_image`). And the tags are nested so that html5ever, nh3's HTML parser,
    builds the tree they were written as (the HTML standard's tree construction changes a
    tree only in these cases): every end tag closes the innermost open element; nothing that
    ends a ``<p>`` inside one; no heading in a heading, no link in a link, no ``<li>``
    outside ``<ul>`` or ``<ol>``; tables of thead/tbody, tr and th/td only, with nothing but
    spaces between their parts, and no table in a table. A test draws random HTML of these
    tags and attributes, nested and misnested, and holds every True to nh3's own output."""
    stack: list[str] = []
    for token in tokens:
        kind = token[0]
        if kind == "text":
            if stack and stack[-1] in _TABLE_PARTS and token[1].strip(_HTML_SPACE):
                return False  # text between a table's parts is moved out of the table
            continue
        tag = token[1]
        if kind == "end":
            if not stack or stack[-1] != tag:
                return False
            stack.pop()
            continue
        parent = stack[-1] if stack else None
        if (tag not in TAGS or tag not in _KEEP_TAGS
                or (parent in _TABLE_PARTS or tag in _IN_TABLE) and tag not in _TABLE_PARTS.get(parent, ())
                or tag == "table" and "table" in stack
                or tag in _P_CLOSERS and "p" in stack
                or tag in _HEADINGS and not _HEADINGS.isdisjoint(stack)
                or tag == "li" and parent not in ("ul", "ol")
                or tag == "a" and "a" in stack
                or token[3] and tag not in _VOID
                or not _attributes_kept(tag, token[2])):
            return False
        if tag not in _VOID:
            stack.append(tag)
    return not stack


_KEEP_TAGS = frozenset({
    "p", "a", "img", "code", "pre", "em", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "blockquote", "hr", "br", "div", "sup", "table", "thead", "tbody", "tr", "th", "td",
})
"""The tags :func:`keeps_whole` knows how an HTML parser nests: what Python-Markdown makes."""


def _attributes_kept(tag: str, attributes) -> bool:
    allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
    names = set()
    for name, written in attributes:
        if name in names or not _PLAIN_VALUE.fullmatch(written) or "&" in _ESCAPE.sub("", written):
            return False
        names.add(name)
        value = _ESCAPE.sub(lambda m: _ESCAPES[m.group()], written)
        if name == "class":
            classes = value.split(" ")
            if len(set(classes)) != len(classes) or not set(classes) <= ALLOWED_CLASSES.get(tag, set()):
                return False  # each class once, one space apart (nh3 and the comparison may read others otherwise)
        elif name not in allowed or not _address_kept(tag, name, value):
            return False
    return True


def _address_kept(tag: str, name: str, value: str) -> bool:
    """Whether nh3 keeps ``value`` as the address it is (``href`` and ``src`` are the only
    attributes of :data:`ATTRIBUTES` it reads as addresses)."""
    if tag == "img" and name == "src":
        return bool(_RELATIVE.fullmatch(value)) and site_image(value)
    if name in ("href", "src"):
        return bool(_RELATIVE.fullmatch(value) or _WEB.fullmatch(value) or _MAILTO.fullmatch(value))
    return True


def sanitize_region(html: str) -> tuple[str, dict[str, str]]:
    """Sanitise and namespace a contributed region; returns the HTML and the ids renamed
    (old to new), so that the table of contents can follow.

    One pass of the sanitiser renames every id and collects them; a link may come before
    the id it points to, so the in-page links to those ids are renamed afterwards, in the
    sanitiser's output, whose ``<a>`` tags have a fixed form: ``name="value"`` attributes
    with ``"`` and ``&`` escaped in values (and ``<`` escaped in text)."""
    ids: list[str] = []

    def rename_ids(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            ids.append(value)
            return ID_PREFIX + value
        return _KEEP(tag, attribute, value)

    cleaned = _clean(html, rename_ids)
    if not ids:
        return cleaned, {}
    rename = {old: ID_PREFIX + old for old in ids}

    def link(tag: re.Match) -> str:
        def attribute(m: re.Match) -> str:
            if m.group(1) == "href" and m.group(2).startswith("#") and unescape(m.group(2)[1:]) in rename:
                return f' href="#{ID_PREFIX}{m.group(2)[1:]}"'
            return m.group()
        return _ATTRIBUTE.sub(attribute, tag.group())

    return _A_TAG.sub(link, cleaned), rename


# an <a> start tag as the sanitiser writes it, and each of its attributes
_A_TAG = re.compile(r'<a(?:\s[^\s"\'>/=]+="[^"]*")*>')
_ATTRIBUTE = re.compile(r' ([^\s"\'>/=]+)="([^"]*)"')


BODY_START = "<!-- coprod:body -->"
BODY_END = "<!-- /coprod:body -->"


def sanitize_contributed(html: str) -> tuple[str, dict[str, str]]:
    """Sanitise the part of a page a contributor wrote: from the first body marker to the
    last (a marker written inside the body cannot shorten the region), leaving the
    page's own escaped parts, such as the cite box and its buttons, as they are.

    Returns the page and the ids renamed in the region (see :func:`rename_toc`)."""
    start, end = html.find(BODY_START), html.rfind(BODY_END)
    if start < 0 or end < start:
        return sanitize_region(html)  # no markers: sanitise everything rather than nothing
    inner, renamed = sanitize_region(html[start + len(BODY_START):end])
    return html[:start] + inner + html[end + len(BODY_END):], renamed


def rename_toc(toc, renamed: dict[str, str]) -> None:
    """Give the entries of a MkDocs table of contents (``page.toc``) the namespaced ids,
    so the sidebar's links reach the headings they name."""
    for item in toc:
        if item.id in renamed:
            item.id = renamed[item.id]
        rename_toc(item.children, renamed)
