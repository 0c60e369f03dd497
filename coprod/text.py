"""Escaping text from front matter for the page formats it is written into."""

from __future__ import annotations

import html
import re

# Python-Markdown's backslash-escapable characters, plus '|' (the tables extension).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()>#+\-.!|])")


def md_escape(value: object) -> str:
    """Text safe inside a markdown paragraph, list item or table cell.

    HTML-escaped first (so ``<`` and ``&`` cannot start a tag or an entity), then every
    character markdown could read as syntax is backslash-escaped; newlines become spaces.
    """
    text = html.escape(str(value), quote=True).replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)
