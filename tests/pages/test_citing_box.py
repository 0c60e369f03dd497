"""The "Cite this page" box (coprod/pages/citing.py) from its template,
overrides/partials/coprod/cite-box.html: the processor's citations kept as HTML, every other
value escaped, the file formats' line breaks kept."""

from __future__ import annotations

from coprod.cite.formats import Citable
from coprod.pages.citing import cite_box_html

HOSTILE = '<script>alert(1)</script> "q" & \'x\''


def _citable() -> Citable:
    return Citable(uri="case-studies/x.md", key="coprod-x", title=HOSTILE, url="https://example.org/case-studies/x/",
                   kind="case study", published="2026-01-02", updated="2026-03-04", version="1.2")


def test_the_box_keeps_the_citations_html_and_escapes_the_rest() -> None:
    styles = {"APA 7": "Library. (2026). <i>Title</i>.", HOSTILE: "<b>made</b>"}
    box = cite_box_html(_citable(), styles, earlier=(("1.0", "2025-12-01", 'old"/'), ("0.9", "2025-11-01", "older/")))
    assert "<i>Title</i>" in box and "<b>made</b>" in box  # the processor's HTML, as it is
    assert "<script" not in box and box.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4  # label, button, 2 files
    assert "This page is version 1.2 of 2026-03-04." in box
    assert ('to cite as they were: <a href="old&quot;/">version 1.0 of 2025-12-01</a>, '
            '<a href="older/">version 0.9 of 2025-11-01</a>.</p>') in box
    assert "Show the citation in 5 formats, and the files" in box  # two styles and three files
    assert [f'id="cite-{n}"' in box for n in range(5)] == [True] * 5
    bibtex = box.split('<pre><code id="cite-2">', 1)[1].split("</code></pre>", 1)[0]
    assert bibtex.startswith("@online{coprod-x,\n") and "\n}" in bibtex  # line breaks kept
    assert box.endswith("</details>\n</div>\n") and 'href="cite.bib" download' in box


def test_without_downloads_or_earlier_versions() -> None:
    box = cite_box_html(_citable(), {"APA 7": "x"}, downloads=False)
    assert "cite.bib" not in box and "Earlier versions" not in box
