"""Escaping text from front matter for the page formats it is written into."""

from __future__ import annotations

import html
import re

from ..read.hosts import WEB_SCHEMES

# Python-Markdown's backslash-escapable characters, plus '|' (the tables extension).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")


def md_escape(value: object) -> str:
    """Text safe inside a markdown paragraph, list item or table cell.

    HTML-escaped first (so ``<`` and ``&`` cannot start a tag or an entity), then every
    character markdown could read as syntax is backslash-escaped; newlines become spaces.
    """
    text = html.escape(str(value), quote=False).replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)


_UNSAFE_URL_CHARS = re.compile(r"[\s<>\"'()\\\[\]`{}|^]")


_WEB_ADDRESS = re.compile(rf"(?i)(?:{'|'.join(WEB_SCHEMES)})://[^\s/]")


def safe_url(url: object) -> str | None:
    """An http(s) URL fit for a markdown link destination, or None if it is not one.

    The schema and the BibTeX reader have checked the scheme already; this is the second
    check where the URL becomes a link, and it percent-encodes the characters that could end
    the destination early.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not _WEB_ADDRESS.match(url):
        return None
    return _UNSAFE_URL_CHARS.sub(lambda m: f"%{ord(m.group()):02X}", url)
