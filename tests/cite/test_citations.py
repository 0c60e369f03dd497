"""Citation syntax: what is a citation, where exactly, and what never is."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coprod.cite.syntax import Citation, CiteItem, find_citations, replace_citations


def keys(text: str) -> list[str]:
    return [item.key for c in find_citations(text) for item in c.items]


def only(text: str) -> Citation:
    (citation,) = find_citations(text)
    return citation


def test_single_bracketed() -> None:
    c = only("As shown [@smith2020].")
    assert c.bracketed and c.items == (CiteItem("smith2020", "", ""),)
    assert (c.start, c.end, c.line) == (9, 21, 1)


def test_several_items() -> None:
    c = only("[@a; @b]")
    assert c.items == (CiteItem("a", "", ""), CiteItem("b", "", ""))


def test_prefix_and_locator() -> None:
    assert only("[see @key, p. 12]").items == (CiteItem("key", "see", "p. 12"),)


def test_locator_and_prefix_in_second_item() -> None:
    c = only("[@key, pp. 3-4; also @other]")
    assert c.items == (CiteItem("key", "", "pp. 3-4"), CiteItem("other", "also", ""))


def test_narrative() -> None:
    c = only("As @smith2020 found, it works.")
    assert not c.bracketed and c.items == (CiteItem("smith2020", "", ""),)
    assert "As @smith2020 found"[c.start : c.end] == "@smith2020"


@pytest.mark.parametrize(
    ("text", "key"),
    [("@smith.", "smith"), ("@smith:", "smith"), ("@smith-", "smith"), ("@a.b:c-d_1.", "a.b:c-d_1"),
     ("(@x2)", "x2"), ("@_k", "_k"), ("@doe2020a, and", "doe2020a")],
)
def test_key_edges(text: str, key: str) -> None:
    assert keys(text) == [key]


def test_bracket_spanning_lines_and_whitespace_normalised() -> None:
    c = only("text [see\n@key,\n  p. 4] more")
    assert c.items == (CiteItem("key", "see", "p. 4"),) and c.line == 1


def test_line_numbers() -> None:
    text = "one\ntwo @a\n\nfour [@b; @c]\n"
    assert [c.line for c in find_citations(text)] == [2, 4]


@pytest.mark.parametrize(
    "text",
    [
        "mail ann@example.org now",
        "mail <ann@example.org> now",
        "see https://x.org/@user now",
        "see <https://x.org/@user> now",
        "[text](https://mastodon.social/@bob)",
        "[text](<https://mastodon.social/@bob> \"t\")",
        "inline `@code` and ``@more``",
        "escaped \\@key",
        "```\n@fenced [@x]\n```\n",
        "~~~~python\n@decorator\n~~~~\n",
        "para\n\n    @indented code\n",
        "[ref]: https://x.org/@bob\n",
        "www.x.org/@bob and mailto:a@b.org",
        "![a picture of @bob](x.png)",
        "[link by @bob](https://x.org)",
        "[text][@ref]",
    ],
)
def test_never_a_citation(text: str) -> None:
    assert find_citations(text) == []


def test_citation_next_to_excluded_things() -> None:
    text = "`@no` then @yes; ann@example.org [@also](x) [@a] https://x/@u @b"
    assert keys(text) == ["yes", "a", "b"]


def test_list_item_indented_text_is_not_code() -> None:
    assert keys("- item\n\n    continued by @smith\n") == ["smith"]


def test_bracket_without_key_in_every_item_is_not_bracketed() -> None:
    (c,) = find_citations("[@a; no key here]")
    assert not c.bracketed and c.items[0].key == "a"


def test_footnote_text_is_searched() -> None:
    assert keys("Text.[^1]\n\n[^1]: As @smith said.\n") == ["smith"]


def test_replace_renders_and_keeps_rest() -> None:
    text = "A [@a, p. 2] and @b; `@c`."
    out = replace_citations(text, lambda c: "<" + ",".join(i.key for i in c.items) + ">")
    assert out == "A <a> and <b>; `@c`."


SAMPLE = """# Title {#t}

As @smith2020 showed [see @jones, p. 3; @lee2019], co-production works.
Write to ann@example.org or <https://x.org/@bob>.

```python
@decorator  # [@not]
```

- item [@c1]
- [link @no](https://x.org/@no) and `@no`
"""


def test_replace_round_trip_offsets() -> None:
    assert replace_citations(SAMPLE, lambda c: SAMPLE[c.start : c.end]) == SAMPLE
    assert [SAMPLE[c.start : c.end] for c in find_citations(SAMPLE)] == [
        "@smith2020", "[see @jones, p. 3; @lee2019]", "[@c1]"
    ]
    assert [c.line for c in find_citations(SAMPLE)] == [3, 3, 10]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab1 @[];,.:-_`~\n\t\\<>()!#/p")) | st.characters()))
def test_never_raises_and_round_trips(text: str) -> None:
    cites = find_citations(text)
    assert replace_citations(text, lambda c: text[c.start : c.end]) == text
    for c in cites:
        assert 0 <= c.start < c.end <= len(text)
        assert c.line == text.count("\n", 0, c.start) + 1
        assert all(item.key and f"@{item.key}" in text[c.start : c.end] for item in c.items)
    assert all(a.end <= b.start for a, b in itertools.pairwise(cites))
