"""Counted nouns: the one plural rule, here at the lowest layer so every module can use it."""

from __future__ import annotations


def counted(number: int, one: str, many: str = "") -> str:
    """``number`` and the noun that agrees with it: '1 reference', '3 references',
    '2 case studies' (``many`` when the plural is not ``one`` + "s")."""
    return f"{number} {one if number == 1 else many or one + 's'}"
