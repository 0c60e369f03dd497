"""A case study's body on its page made from a template (coprod/render/body_html.py): its
headings, and the page's own around them, get the ids Python-Markdown's ``toc`` gives a
whole page rendered in order (the page as it was before it came from a template), whether
the body is the validator's HTML or MkDocs renders it alone; links in it are resolved and
checked by MkDocs as in any page. A real ``mkdocs build --strict`` of the fixture project."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import make_project, mkdocs_build

# its ids meet the page's own before it (Outcomes, an explicit id), after it (References), and
# it links to a page of the site and to a section of its own page: MkDocs renders it
PEER = """
## Outcomes

A body heading named like the page's own section.

## References

Another [@Example2021peer; @Staniszewska2022coproduction].

## In brief {#in-plain-english}

See [the panel](learning-disability-panel.md) and [the story](#the-story).
"""
# nothing MkDocs must resolve, and no id the page had before it: the validator's HTML is used,
# and the page's headings after it are numbered after its ids
PANEL = """
The panel met over two years [@PARTNERS22020exploring].

## About this page

Words of its own.
"""


def _heading_ids(html: str) -> list[str]:
    return re.findall(r'<h[1-6][^>]* id="([^"]+)"', html.split("data-pagefind-body", 1)[1])


def _toc_links(html: str) -> list[str]:
    toc = html.split('data-md-component="toc"', 1)[1].split('class="md-content"', 1)[0]
    return re.findall(r'href="#([^"]+)"', toc)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("bodies"))
    for name, body in (("peer-researchers", PEER), ("learning-disability-panel", PANEL)):
        path = project / "evidence" / "case-studies" / f"{name}.md"
        text = path.read_text(encoding="utf-8")
        path.write_text(text[:text.index("\n---\n", 4) + 5] + body, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_a_body_mkdocs_renders_gets_the_ids_of_the_whole_page(built: Path) -> None:
    html = (built / "case-studies" / "peer-researchers" / "index.html").read_text(encoding="utf-8")
    ids = _heading_ids(html)
    # the page's own: "In plain English" yields to the body's explicit id, "References" comes after the body's
    assert ids[:3] == ["peer-researchers-shaping-a-community-health-study", "at-a-glance", "in-plain-english_1"]
    assert "outcomes" in ids and "references_1" in ids and "about-this-page" in ids
    # the body's (namespaced by the sanitiser): "Outcomes" after the page's, its own explicit id kept
    body = ids[ids.index("the-story") + 1:ids.index("references_1")]
    assert body == ["body-outcomes_1", "body-references", "body-in-plain-english"]
    assert ids.index("outcomes") < ids.index("the-story")
    # the contents list every heading with its id, in the page's order
    assert [link for link in _toc_links(html) if link in ids] == ids[1:]
    # its links resolved by MkDocs as in any page
    assert 'href="../learning-disability-panel/"' in html and 'href="#the-story"' in html
    for ident in ids:  # every permalink points at its own heading
        assert f'id="{ident}"' in html and f'href="#{ident}"' in html


def test_a_body_from_the_validator_numbers_the_headings_after_it(built: Path) -> None:
    html = (built / "case-studies" / "learning-disability-panel" / "index.html").read_text(encoding="utf-8")
    ids = _heading_ids(html)
    body = ids[ids.index("the-story") + 1:]
    assert body[0] == "body-about-this-page" and "about-this-page_1" in body and "about-this-page" not in ids
    assert [link for link in _toc_links(html) if link in ids] == ids[1:]
    assert "Words of its own." in html
