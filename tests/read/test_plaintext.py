"""Plain text: the quick look for ASCII text is the whole look's share of it."""

from __future__ import annotations

from coprod.read import plaintext


def test_the_ascii_class_matches_what_the_whole_class_matches_of_ascii() -> None:
    for code in range(128):
        char = chr(code)
        assert ((plaintext._PLAIN_SUSPECT_ASCII.match(char) is None)
                == (plaintext._PLAIN_SUSPECT.match(char) is None)), repr(char)
    assert not plaintext.has_markup_characters("A plain title, with punctuation: (yes) - 100%!")
    assert plaintext.has_markup_characters("a *word*") and plaintext.has_markup_characters("caf\u00e9 \u202e")
