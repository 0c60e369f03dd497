"""Characters that must never be in one-line text a reader copies: controls and invisibles.

A title, a name or a reference field is shown on a page, copied into a reference manager and
written into citation files. Some characters make that text forge a record or read
differently from what it is:

- control characters (C0 ``U+0000``-``U+001F`` including tab, line feed and carriage
  return, ``DEL``, and the C1 controls ``U+0080``-``U+009F`` including ``NEL``): a line break
  in a title ends an RIS record early and starts a forged one;
- the line and paragraph separators ``U+2028`` and ``U+2029`` (line breaks to many parsers);
- the invisible bidirectional and zero-width controls ``U+200B``-``U+200F``,
  ``U+202A``-``U+202E``, ``U+2066``-``U+2069`` and ``U+061C``, which reorder or hide text;
- other invisible format characters with no business in a title: the word joiner and
  invisible operators ``U+2060``-``U+2064``, the zero-width no-break space (byte order
  mark) ``U+FEFF``, the interlinear annotation marks ``U+FFF9``-``U+FFFB`` and the tag
  characters ``U+E0000``-``U+E007F`` (which can carry hidden text);
- what XML and JSON cannot carry: lone surrogates and noncharacters (``U+FFFE``, ``U+FFFF``,
  ``U+FDD0``-``U+FDEF`` and the last two of every plane). These are refused in every field
  and body too (:func:`coprod.checks.encodable.check_encodable`), not only one-line text.

Fields that may hold several lines (a body, a long description) decide for themselves which
of ``\\t \\n \\r`` they allow: pass them as ``allow``.

Every function here is one pass over the text (a character class, no backtracking).
"""

from __future__ import annotations

import re
import unicodedata

_UNENCODABLE = "\ud800-\udfff\ufdd0-\ufdef" + "".join(
    f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
"""Lone surrogates and the 66 noncharacters (``U+FDD0``-``U+FDEF`` and the last two code
points of every plane, ``U+FFFE``, ``U+FFFF``...), as a character class's contents: XML
cannot hold them (lxml refuses the feed) and a JSON reader may refuse or replace them."""

UNENCODABLE = re.compile(f"[{_UNENCODABLE}]")
"""One character that XML or JSON cannot carry (see ``_UNENCODABLE``)."""

CONTROL_CHARACTERS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f" + _UNENCODABLE + "]"
)
"""One control or invisible character (see the module docstring for the class)."""

# Names for the characters unicodedata has no name for (controls), and short everyday
# words for the ones a contributor is likely to have typed.
_NAMES = {
    "\x00": "NULL",
    "\x07": "BELL",
    "\x08": "BACKSPACE",
    "\t": "CHARACTER TABULATION (a tab)",
    "\n": "LINE FEED (a line break)",
    "\x0b": "LINE TABULATION",
    "\x0c": "FORM FEED",
    "\r": "CARRIAGE RETURN (a line break)",
    "\x1b": "ESCAPE",
    "\x1c": "FILE SEPARATOR",
    "\x1d": "GROUP SEPARATOR",
    "\x1e": "RECORD SEPARATOR",
    "\x1f": "UNIT SEPARATOR",
    "\x7f": "DELETE",
    "\x85": "NEXT LINE (a line break)",
    "\u2028": "LINE SEPARATOR (a line break)",
    "\u2029": "PARAGRAPH SEPARATOR (a line break)",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE (byte order mark)",
}


def describe(char: str) -> str:
    """``"U+202E RIGHT-TO-LEFT OVERRIDE"``: the code point and its name, for messages."""
    code = f"U+{ord(char):04X}"
    name = _NAMES.get(char) or unicodedata.name(char, "")
    if not name:
        category = unicodedata.category(char)
        name = {"Cc": "CONTROL CHARACTER", "Cs": "LONE SURROGATE (half of a character)",
                "Cn": "NONCHARACTER" if UNENCODABLE.match(char) else "UNNAMED CHARACTER"}.get(category, "UNNAMED CHARACTER")
    return f"{code} {name}"


def find_controls(value: str, allow: str = "") -> list[tuple[int, str]]:
    """``(offset, char)`` of every control or invisible character in ``value``, in order,
    leaving out the characters in ``allow`` (e.g. ``"\\n"`` for a multi-line field)."""
    return [(m.start(), m.group()) for m in CONTROL_CHARACTERS.finditer(value) if m.group() not in allow]


def has_controls(value: str, allow: str = "") -> bool:
    """True if :func:`find_controls` would find anything (stops at the first)."""
    if not allow:
        return CONTROL_CHARACTERS.search(value) is not None
    return any(m.group() not in allow for m in CONTROL_CHARACTERS.finditer(value))
