"""Generated pages from the templates in overrides/partials/coprod/ (coprod/render/templates.py):
headings and contents as Python-Markdown would make them, values escaped, the sandbox, and
the project's own templates read first."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest
from helpers import ROOT
from jinja2.exceptions import SecurityError
from mkdocs.structure.toc import get_toc

from coprod.pages import html_page
from coprod.render import templates

HEADINGS = [(1, "Sharing power"), (2, "Case studies"), (3, "A & B 'q' \"x\""), (2, "Case studies"),
            (3, "Ça marche — déjà vu"), (2, "Cite this page"), (2, "Case studies_1"), (1, "Second title")]


def test_headings_and_contents_are_python_markdowns() -> None:
    """The same headings written by the outline and by Python-Markdown's toc extension (the
    site's settings): the same HTML, the same ids made unique, the same contents tokens."""
    md = markdown.Markdown(extensions=["toc"], extension_configs={"toc": {"permalink": True}})
    theirs = md.convert("\n\n".join("#" * level + " " + text.replace("&", "&amp;") for level, text in HEADINGS))
    outline = templates.Outline()
    ours = "\n".join(str(outline.heading(level, text)) for level, text in HEADINGS)
    # the one difference: quotes in text are escaped here (as every value), not by Python-Markdown
    assert ours.replace("&#x27;", "'").replace("&quot;", '"') == theirs
    assert outline.tokens == md.toc_tokens
    assert [a.id for a in get_toc(outline.tokens)] == ["sharing-power", "second-title"]


def test_a_section_added_later_goes_on_from_the_headings() -> None:
    outline = templates.Outline()
    content = f"{outline.heading(1, 'Term')}\n{outline.heading(2, 'Cite this page')}\n"
    more, tokens = templates.add_section(content, outline.tokens, "Cite this page", "<div>box</div>\n")
    assert more.endswith('<h2 id="cite-this-page_1">Cite this page<a class="headerlink" href="#cite-this-page_1" '
                         'title="Permanent link">&para;</a></h2>\n<div>box</div>\n')
    assert [child["id"] for child in tokens[0]["children"]] == ["cite-this-page", "cite-this-page_1"]
    assert [child["id"] for child in outline.tokens[0]["children"]] == ["cite-this-page"]  # not changed


def test_values_are_escaped_and_made_html_is_kept() -> None:
    hostile = '<script>alert(1)</script> "q" & \'x\'\nnext'
    page = html_page("countries/x.md", "browse.html", hostile, heading=hostile, intro=hostile,
                     cards=templates.raw("<ul class=\"coprod-cards\">\n</ul>"), up={"href": 'a"b', "text": hostile})
    assert "<script" not in page.content and "\n" not in page.content.split("<p>")[1].split("</p>")[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &amp; &#x27;x&#x27; next" in page.content
    assert 'href="a&quot;b"' in page.content and '<ul class="coprod-cards">' in page.content
    assert page.is_html and page.toc[0]["name"] == "&lt;script&gt;alert(1)&lt;/script&gt; \"q\" &amp; 'x' next"


@pytest.fixture
def theme(tmp_path: Path):
    overrides = tmp_path / "overrides"
    shutil.copytree(ROOT / "overrides", overrides)
    templates.use_theme(overrides)
    yield overrides / "partials" / "coprod"
    templates.use_theme(None)


def test_the_projects_own_templates_are_read_first(theme: Path) -> None:
    (theme / "browse.html").write_text("{{ outline.heading(1, heading) }}\n<p>Our own look: {{ intro }}</p>\n",
                                       encoding="utf-8")
    page = html_page("years/2020.md", "browse.html", "Started in 2020", heading="Started in 2020", intro="1 case study",
                     cards="", up={"href": "", "text": ""})
    assert "<p>Our own look: 1 case study</p>" in page.content
    templates.use_theme(None)
    again = html_page("years/2020.md", "browse.html", "Started in 2020", heading="Started in 2020", intro="x",
                      cards="", up={"href": "../", "text": "All years"})
    assert "Our own look" not in again.content


def test_a_template_cannot_reach_python(theme: Path) -> None:
    """A pull request can change the templates: they run in Jinja's sandbox, so a template
    cannot reach Python's internals (and through them, run code at build time)."""
    (theme / "browse.html").write_text("{{ heading.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    with pytest.raises(SecurityError):
        html_page("years/2020.md", "browse.html", "x", heading="x", intro="", cards="", up={"href": "", "text": ""})
