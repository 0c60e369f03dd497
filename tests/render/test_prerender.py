"""HTML blocks that skip Python-Markdown: the page must be the same as when it parses them."""

from __future__ import annotations

import markdown

from coprod.read import urls
from coprod.render.markup import bullet_list, esc, table
from coprod.render.prerender import stash, unstash

EXTENSIONS = ["admonition", "attr_list", "tables", "toc"]


def rendered(text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(text)


def both_ways(text: str) -> tuple[str, str, int]:
    stashed, store = stash(text)
    return rendered(text), unstash(rendered(stashed), store), len(store.blocks)


def test_a_page_is_the_same_with_its_blocks_stashed() -> None:
    awkward = "tab\there, carriage\rreturn, \x02stx\x03, <b>&amp;</b> *not emphasis* [not](a link)"
    page = "\n\n".join([
        "# Title",
        "## A list\n\n" + bullet_list([esc(awkward), esc("two")]),
        "## A table\n\n" + table(["a", "b"], [[esc(awkward), "1"]], numeric=frozenset({1})),
        "Last paragraph.",
    ]) + "\n"
    plain, fast, blocks = both_ways(page)
    assert blocks == 2  # the list and the table
    assert fast == plain
    assert "\t" not in fast and "\r" not in fast and "&lt;b&gt;" in fast


def test_a_block_not_alone_between_blank_lines_is_left_to_mkdocs() -> None:
    page = f"Text right above\n{bullet_list(['x'])}\n\nafter\n"
    plain, fast, blocks = both_ways(page)
    assert blocks == 0 and fast == plain


def test_a_block_that_closes_a_nested_tag_first_is_left_to_mkdocs() -> None:
    page = "# T\n\n<div class=\"outer\">\n<div class=\"inner\">\n</div>\n</div>\n\nafter\n"
    plain, fast, blocks = both_ways(page)
    assert blocks == 0 and fast == plain


def test_href_never_starts_with_a_scheme() -> None:
    assert urls.href("case-studies/index.md", "case-studies/x.md") == "x/"
    assert urls.href("case-studies/index.md", "case-studies/javascript:alert(1).md") == "./javascript:alert(1)/"
    assert urls.href("case-studies/x.md", "case-studies/x.md", "ref-a") == "#ref-a"
    assert urls.href("index.md", "index.md") == "./"
