"""coprod.read.controls: the class of control and invisible characters, found and named."""

from __future__ import annotations

import time

import pytest

from coprod.read.controls import CONTROL_CHARACTERS, describe, find_controls, has_controls

FORBIDDEN = ["\x00", "\t", "\n", "\r", "\x0b", "\x1f", "\x7f", "\x85", "\x9f", "\u061c", "\u2028", "\u2029",
             *(chr(c) for c in range(0x200B, 0x2010)), *(chr(c) for c in range(0x202A, 0x202F)),
             *(chr(c) for c in range(0x2066, 0x206A)), "\u2060", "\ufeff", "\U000e0041"]
ALLOWED = ["a", " ", "\u00a0", "é", "–", "’", "\u00ad", "中", "😀", "\u2010", "\u2030", "\u206a", "\u202f"]


@pytest.mark.parametrize("char", FORBIDDEN, ids=[f"U+{ord(c):04X}" for c in FORBIDDEN])
def test_forbidden_characters_are_found(char: str) -> None:
    assert find_controls(f"ab{char}cd{char}") == [(2, char), (5, char)]
    assert has_controls(char)
    assert CONTROL_CHARACTERS.fullmatch(char)


@pytest.mark.parametrize("char", ALLOWED, ids=[f"U+{ord(c):04X}" for c in ALLOWED])
def test_ordinary_characters_are_not(char: str) -> None:
    assert find_controls(f"x{char}y") == []
    assert not has_controls(char)


def test_allow_leaves_out_the_given_characters() -> None:
    assert find_controls("a\nb\tc\u202e", allow="\n\t") == [(5, "\u202e")]
    assert not has_controls("a\nb", allow="\n")
    assert has_controls("a\nb\r", allow="\n")


def test_describe_names_every_character() -> None:
    assert describe("\u202e") == "U+202E RIGHT-TO-LEFT OVERRIDE"
    assert describe("\u200b") == "U+200B ZERO WIDTH SPACE"
    assert describe("\n") == "U+000A LINE FEED (a line break)"
    assert describe("\t") == "U+0009 CHARACTER TABULATION (a tab)"
    assert describe("\x01") == "U+0001 CONTROL CHARACTER"
    assert describe("\U000e0041") == "U+E0041 TAG LATIN CAPITAL LETTER A"
    for char in FORBIDDEN:
        assert describe(char).startswith(f"U+{ord(char):04X} ") and len(describe(char)) > 7


def test_linear_on_a_long_value() -> None:
    value = "a" * 2_000_000 + "\u2066" + "b\u200b" * 100_000
    start = time.monotonic()
    found = find_controls(value)
    assert len(found) == 100_001
    assert time.monotonic() - start < 30  # a generous bound: a hang, not speed
