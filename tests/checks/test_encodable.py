"""What XML and JSON cannot carry: the quick class for ASCII text is the whole class's share of it."""

from __future__ import annotations

from coprod.checks.encodable import NOT_XML, NOT_XML_ASCII


def test_the_ascii_class_matches_what_the_whole_class_matches_of_ascii() -> None:
    for code in range(128):
        char = chr(code)
        assert (NOT_XML_ASCII.match(char) is None) == (NOT_XML.match(char) is None), repr(char)
    assert NOT_XML_ASCII.search("tab\tline\nbreak\r") is None and NOT_XML_ASCII.search("a\x1fb") is not None
