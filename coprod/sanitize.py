"""The second line of defence: rendered HTML of contributed pages passes through nh3.

The validator rejects raw HTML and bad links in bodies; if one slipped through, this
removes it from the page after rendering, keeping what Markdown, the citation links and
Material need (ids for anchors, classes, permalinks, tables, admonitions).
"""

from __future__ import annotations

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol",
    "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "role", "aria-label", "aria-hidden", "aria-describedby"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "th": {"scope", "colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start"},
    "details": {"open"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize(html: str) -> str:
    """``html`` with every tag, attribute and URL scheme outside the allow-lists removed."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None,
                     strip_comments=True)


BODY_START = "<!-- coprod:body -->"
BODY_END = "<!-- /coprod:body -->"


def sanitize_contributed(html: str) -> str:
    """Sanitise the part of a page a contributor wrote: from the first body marker to the
    last (a marker written inside the body cannot shorten the region), leaving the
    page's own escaped parts, such as the cite box and its buttons, as they are."""
    start, end = html.find(BODY_START), html.rfind(BODY_END)
    if start < 0 or end < start:
        return sanitize(html)  # no markers: sanitise everything rather than nothing
    inner = html[start + len(BODY_START):end]
    return html[:start] + sanitize(inner) + html[end + len(BODY_END):]
