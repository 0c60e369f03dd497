"""scripts/compare_citations.py's corrections to citeproc-py: on items written to show each
defect, citeproc-py with the corrections renders what citeproc-js (the build's processor)
renders, and without them it does not (so each correction is needed and does its work)."""

from __future__ import annotations

import sys

import pytest
from helpers import ROOT

from coprod.cite.processor import shared_processor

sys.path.insert(0, str(ROOT / "scripts"))
try:
    import compare_citations
finally:
    sys.path.remove(str(ROOT / "scripts"))

SMITH = [{"family": "Smith", "given": "Ann"}, {"family": "Jones", "given": "Bo"}, {"family": "Khan", "given": "Cy"}]
ITEMS = [
    # same authors, same year: 2020a and 2020b, in the order of the titles (the style's sort)
    {"id": "smithB", "type": "article-journal", "title": "Zebra crossings in research", "author": SMITH,
     "container-title": "Health Expectations", "issued": {"date-parts": [[2020]]}},
    {"id": "smithA", "type": "article-journal", "title": "Apples and public involvement", "author": SMITH,
     "container-title": "Health Expectations", "issued": {"date-parts": [[2020]]}},
    # straight quotes and apostrophes in a title: the locale's typographic marks
    {"id": "quoted", "type": "article-journal", "title": "'I'm sure we made it better': the Physicians' view",
     "author": [{"family": "Lee", "given": "Dee"}], "container-title": "BMJ", "issued": {"date-parts": [[2019]]}},
    # a title ending in "?" before the style's "."
    {"id": "question", "type": "article-journal", "title": "Does co-production work?",
     "author": [{"family": "Ode", "given": "Ed"}], "container-title": "BMJ", "issued": {"date-parts": [[2018]]}},
    # no author: APA puts the title first, and prints it once
    {"id": "anonymous", "type": "webpage", "title": "A conference abstract without authors",
     "genre": "Conference abstract", "issued": {"date-parts": [[2023]]}, "URL": "https://example.org/abstract"},
]


def js(items: list[dict]) -> dict[str, str]:
    rendered = shared_processor().bibliography("apa", items)
    return {key: compare_citations.text(entry) for key, entry in rendered.by_id().items()}


def py(items: list[dict]) -> dict[str, str]:
    return {key: compare_citations.text(entry) for key, entry in compare_citations.PyProcessor().render("apa", items).items()}


def test_corrected_citeproc_py_renders_what_citeproc_js_renders() -> None:
    expected = js(ITEMS)
    assert "(2020a). Apples" in expected["smithA"] and "(2020b). Zebra" in expected["smithB"]
    assert "“I’m sure we made it better”: the Physicians’ view" in expected["quoted"]
    assert "work? BMJ" in expected["question"]
    assert expected["anonymous"].count("A conference abstract without authors") == 1
    assert py(ITEMS) == expected


@pytest.mark.parametrize("defect", ["seams", "substitution", "quotes", "suffixes"])
def test_each_correction_is_needed(defect: str, monkeypatch) -> None:
    """With one correction taken out, citeproc-py differs from citeproc-js again."""
    import citeproc.model
    import citeproc.string

    expected = js(ITEMS)
    compare_citations.PyProcessor()  # the patches are in place
    if defect == "seams":
        plain = citeproc.string.normalize_seam.__closure__[0].cell_contents  # the function the patch wraps
        monkeypatch.setattr(citeproc.string, "normalize_seam", plain)
        monkeypatch.setattr(citeproc.model, "normalize_seam", plain)
        monkeypatch.setattr(compare_citations, "_patch_seams", lambda: None)
        key = "question"
    elif defect == "substitution":
        monkeypatch.setattr(compare_citations, "_RENDERED", _NeverLogs())
        key = "anonymous"
    elif defect == "quotes":
        monkeypatch.setattr(compare_citations, "typographic", lambda text, quotes: text)
        key = "quoted"
    else:
        monkeypatch.setattr(compare_citations.PyProcessor, "year_suffixes", lambda self, style, items: {})
        key = "smithA"
    assert py(ITEMS)[key] != expected[key]


class _NeverLogs(list):
    """A log that keeps nothing: the substitute then represses only what citeproc-py itself does."""

    def append(self, value) -> None:
        super().append([])

    def __bool__(self) -> bool:
        return False


def test_typographic_marks() -> None:
    quotes = ("“", "”", "‘", "’")
    assert compare_citations.typographic("'Getting our voices heard in research", quotes) == \
        "’Getting our voices heard in research"  # unmatched: no quotation, as citeproc-js prints it
    assert compare_citations.typographic('a "quoted \'inner\' bit" end', quotes) == "a “quoted ‘inner’ bit” end"
    assert compare_citations.typographic("Ireland's team", quotes) == "Ireland’s team"
