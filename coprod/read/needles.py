"""Strings every match of a regular expression holds, worked out from the expression.

A text that holds none of them cannot match, so a search of it can be skipped: the words of
checking (:mod:`coprod.checks.checkwords`) look only for the patterns whose words a text
holds, and the validator's Markdown converter (:mod:`coprod.render.body_html`) tries an
inline pattern only on text that holds its strings.
"""

from __future__ import annotations

import re
from re import _constants as _c
from re import _parser

_REPEATS = tuple(op for op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) if op)


def required(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Strings one of which every match of ``pattern`` holds, or None if none can be named.

    Conservative: only runs of literal characters that every match goes through (never an
    optional part, a range or category of characters, a lookaround or a back-reference),
    alternatives only if each names some. With ``re.IGNORECASE`` the strings are lower-cased, and hold only for
    lower-cased ASCII text (case-insensitive matching also folds letters such as the long s
    or the Kelvin sign into ASCII ones)."""
    found = _required(_parser.parse(pattern, flags), bool(flags & re.IGNORECASE))
    return frozenset(found) if found else None


def _required(items, lower: bool) -> set[str] | None:
    options: list[set[str]] = []
    run = ""
    for op, arg in list(items) + [(None, None)]:
        if op is _c.LITERAL:
            run += chr(arg).lower() if lower else chr(arg)
            continue
        if run:
            options.append({run})
            run = ""
        if op is _c.SUBPATTERN:
            found = _required(arg[-1], lower)
        elif op is _c.BRANCH:
            branches = [_required(branch, lower) for branch in arg[1]]
            found = None if any(b is None for b in branches) else set().union(*branches)
        elif op in _REPEATS and arg[0] >= 1:
            found = _required(arg[2], lower)
        elif op is _c.IN and all(kind is _c.LITERAL for kind, _ in arg):  # a class of characters named one by one
            found = {chr(char).lower() if lower else chr(char) for _, char in arg}
        else:
            found = None
        if found:
            options.append(found)
    # the most telling: the choice whose shortest string is longest
    return max(options, key=lambda strings: min(map(len, strings)), default=None)
