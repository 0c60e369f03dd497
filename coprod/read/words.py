"""Counted nouns: the one plural rule, here at the lowest layer so every module can use it."""

from __future__ import annotations


def plural(number: int, one: str, many: str = "") -> str:
    """The word that agrees with ``number``: ``one`` for 1, else ``many`` (by default ``one``
    + "s"): 'case study' / 'case studies', 'has' / 'have'."""
    return one if number == 1 else many or one + "s"


def counted(number: int, one: str, many: str = "") -> str:
    """``number`` and the noun that agrees with it: '1 reference', '3 references',
    '2 case studies' (``many`` when the plural is not ``one`` + "s")."""
    return f"{number} {plural(number, one, many)}"
