"""The strings every match of a regular expression holds (coprod/read/needles.py): a text
without them is not searched, so they must be in every match."""

from __future__ import annotations

import random
import re

import pytest

from coprod.read.needles import required


@pytest.mark.parametrize("pattern, flags, strings", [
    ("abc", 0, {"abc"}),
    ("a(?:bc|de)f", 0, {"bc", "de"}),  # the most telling: its shortest string is the longest
    ("x*abc", 0, {"abc"}),
    ("(?:abc)?d", 0, {"d"}),
    ("ab|c", 0, {"ab", "c"}),
    ("ab|c*", 0, None),  # an alternative that names nothing
    (r"\*|_", 0, {"*", "_"}),  # a class of characters named one by one
    ("[a-z]+", 0, None),
    ("[^ab]", 0, None),
    (r"(?<!\\)\[", 0, {"["}),
    ("a(?=b)c", 0, {"a"}),  # a lookaround ends a run: "ac" need not be in a match
    ("AbC", re.IGNORECASE, {"abc"}),
    ("(?:x{2})+y", 0, {"x"}),
    (r"(a)\1", 0, {"a"}),
])
def test_the_strings_named(pattern: str, flags: int, strings: set | None) -> None:
    assert required(pattern, flags) == (None if strings is None else frozenset(strings))


def test_every_match_of_random_expressions_holds_one_of_the_strings() -> None:
    """Random expressions of literals, classes, groups, alternatives, repeats and
    lookarounds, searched in random texts: every match holds one of the strings named."""
    rng = random.Random(7)
    atoms = ["a", "b", "ab", "ba", "[ab]", "[a-c]", "[^a]", ".", r"\*", "_", "(?=a)", "(?!b)", "(?<!a)", r"\b", " "]

    def expression(depth: int = 0) -> str:
        parts = []
        for _ in range(rng.randrange(1, 4)):
            roll = rng.random()
            if roll < 0.2 and depth < 2:
                part = "(?:" + "|".join(expression(depth + 1) for _ in range(rng.randrange(1, 3))) + ")"
            elif roll < 0.3 and depth < 2:
                part = "(" + expression(depth + 1) + ")"
            else:
                part = rng.choice(atoms)
            parts.append(part + rng.choice(["", "", "?", "*", "+", "{2}", "{0,2}", "+?"]))
        return "".join(parts)

    checked = 0
    for _ in range(3000):
        pattern = expression()
        flags = rng.choice([0, re.IGNORECASE])
        try:
            re.compile(pattern, flags)
        except re.error:
            continue  # a repeated lookaround or boundary: not an expression
        strings = required(pattern, flags)
        if strings is None:
            continue
        for _ in range(5):
            text = "".join(rng.choice("aAbBc*_ ") for _ in range(rng.randrange(0, 12)))
            for match in re.finditer(pattern, text, flags):
                found = match.group().lower() if flags else match.group()
                assert any(s in found for s in strings), (pattern, flags, text, strings)
                checked += 1
    assert checked > 2000
