"""The one LaTeX-to-Unicode decoder: every text a reference shows (on the page, in
CSL-JSON, in the JSON-LD and Highwire tags, in the downloads) comes through :func:`latex_text`.

A bare ``%`` is a comment in LaTeX, but a ``.bib`` file is not typeset here, and reference
managers write it as typed: JabRef and Zotero's plain BibTeX export write "Reaching 50% of
services" with a bare ``%``. It is read as the per cent sign it is meant to be, everywhere;
the ``.bib`` download writes it ``\\%`` again (:func:`coprod.cite.bibtex.write_bibtex`),
so a reader's LaTeX does not cut the title either.
"""

from __future__ import annotations

import codecs
import re

import latexcodec  # noqa: F401 - registers the "ulatex" codec
from pybtex.backends.plaintext import Backend as PlainText
from pybtex.richtext import Text

# Font and markup commands whose argument is kept as plain text.
_FORMAT_COMMAND_RE = re.compile(
    r"\\(?:emph|textit|textbf|textsc|textrm|textsf|texttt|textup|textmd|textsl|textnormal|text|mbox|hbox|"
    r"url|textsuperscript|textsubscript|enquote|mkbibquote|mkbibemph|mkbibitalic|mkbibbold|nolinkurl)\s*(?=\{)"
)
_DOTLESS_RE = re.compile(r"\\([ij])(?![A-Za-z])")
BARE_PERCENT_RE = re.compile(r"(?<!\\)%")  # a comment in LaTeX, but meant as "per cent" in a .bib
_LEFTOVER_RE = re.compile(r"\\([A-Za-z]+|[^A-Za-z])|\\$|\$")
_LATEX_CHARS = frozenset("\\{}~$%-`'")
_PLAIN_TEXT = PlainText()  # one instance: render_as() looks the backend plugin up on every call

# Text commands for the characters LaTeX gives a meaning to (what coprod.cite.formats writes),
# and escaped braces: decoded to the character itself, which then survives the brace parser
# (it is held as a noncharacter placeholder meanwhile; real noncharacters are dropped first).
_SYMBOLS = {"textbraceleft": "{", "textbraceright": "}", "textbackslash": "\\", "textasciitilde": "~",
            "textasciicircum": "^", "textbar": "|", "textless": "<", "textgreater": ">", "textunderscore": "_",
            "textdollar": "$", "textpercent": "%", "{": "{", "}": "}"}
_SYMBOL_RE = re.compile(r"\\(?:(" + "|".join(k for k in _SYMBOLS if k.isalpha()) + r")(?![A-Za-z])(?:\s*\{\})?|([{}]))")
_PLACEHOLDERS = {char: chr(0xFDD0 + i) for i, char in enumerate(dict.fromkeys(_SYMBOLS.values()))}
_NONCHARACTER_RE = re.compile("[\ufdd0-\ufdef]")


def latex_text(value: str) -> str:
    """Plain Unicode text for a LaTeX field value: accents and dashes decoded, braces and
    markup commands gone, no backslash left, whitespace collapsed, a bare ``%`` kept as a
    per cent sign. Escaped characters (``\\{``, ``\\textbraceright{}``,
    ``\\textbackslash{}`` ...) are kept as the character."""
    if "\\" not in value:
        return _latex_text(value)
    held = _SYMBOL_RE.sub(lambda m: _PLACEHOLDERS[_SYMBOLS[m.group(1) or m.group(2)]], _NONCHARACTER_RE.sub("", value))
    text = _latex_text(held)
    if held != value:
        for char, placeholder in _PLACEHOLDERS.items():
            text = text.replace(placeholder, char)
    return text


def _latex_text(value: str) -> str:
    if _LATEX_CHARS.isdisjoint(value):
        return " ".join(value.split())
    value = BARE_PERCENT_RE.sub(r"\\%", value)
    value = _DOTLESS_RE.sub(r"\1", _FORMAT_COMMAND_RE.sub("", value))
    try:
        text = Text.from_latex(value).render(_PLAIN_TEXT)
    except Exception:  # noqa: BLE001 - unbalanced braces: decode without pybtex's brace parser
        text = codecs.decode(value, "ulatex").replace("{", "").replace("}", "")
    text = _LEFTOVER_RE.sub(lambda m: m.group(1) or "", text)
    return " ".join(text.split())


def escape_bare_percent(value: str) -> str:
    """``value`` (LaTeX) with each bare ``%`` written ``\\%``: what LaTeX reads as a per cent sign."""
    return BARE_PERCENT_RE.sub(r"\\%", value) if "%" in value else value
