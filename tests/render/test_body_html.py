"""Each body rendered once: the validator's HTML of a case study's body is what its page shows.

The validator renders a case study's body as its page will (coprod/render/body_html.py) and
the page reuses that HTML. These tests hold the two to each other: the HTML kept equals what
MkDocs' own Markdown (the site's real configuration) makes of the page's text of the body,
it is kept only where nothing around the body could change it, and the build's cache holds
it as checked data. The whole site, built with and without the reuse, is compared byte for
byte in tests/test_site_build.py (test_prerendered_lists_give_the_same_site).
"""

from __future__ import annotations

import json
from pathlib import Path

import markdown
import pytest
from helpers import ROOT, make_evidence
from mkdocs.config import load_config

from coprod.checks import body as bodycheck
from coprod.checks import cachedata
from coprod.checks.checkwords import _RE, find_checkwords
from coprod.checks.evidence import check_record_file, load_evidence
from coprod.cite.references import References
from coprod.cite.syntax import find_citations
from coprod.read import buildcache
from coprod.read.problems import Report
from coprod.render import body_html


def _site_markdown() -> markdown.Markdown:
    """Python-Markdown as MkDocs sets it up for the site's pages (mkdocs.yml and MkDocs' defaults)."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})


def test_the_validator_renders_with_the_sites_extensions_and_settings() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    names = [e for e in config["markdown_extensions"] if isinstance(e, str)]
    assert names == list(body_html.EXTENSIONS)
    assert {k: v for k, v in (config["mdx_configs"] or {}).items() if v} == body_html.EXTENSION_CONFIGS


@pytest.fixture(scope="module")
def evidence(tmp_path_factory):
    report = Report()
    loaded = load_evidence(make_evidence(tmp_path_factory.mktemp("ev")), report, workers=1)
    assert not report.errors
    return loaded


def test_the_page_body_is_the_validators_html(evidence) -> None:
    """For every case study whose HTML is kept: the HTML with the citations put in equals
    what the site's Markdown makes of the body as the page writes it."""
    refs = References(evidence.bibliography)
    site = _site_markdown()
    kept = 0
    for record in evidence.case_studies.values():
        pre = record.body_html
        if pre is None:
            continue
        kept += 1
        page_text = body_html.page_text(record.source.body, record.citations, render=refs.render_citation)
        assert body_html.body_for_page(pre, record.citations, refs.render_citation) == site.reset().convert(page_text)
    assert kept == len(evidence.case_studies) > 0


BIB = """@article{Doe2020,
  author = {Doe, Jane},
  title = {A study},
  journal = {Journal},
  year = {2020}
}
"""


@pytest.mark.parametrize("text", [
    "Plain words (@Doe2020 says so) and [@Doe2020].\n\n## A heading\n\nMore *words* [@Doe2020, p. 4].\n",
    "- a list item [@Doe2020]\n- another; see @Doe2020.\n\n> a quote [@Doe2020]\n",
    "| a | b |\n|---|---|\n| one [@Doe2020] | two |\n\n!!! note \"A box\"\n    inside [@Doe2020]\n",
    "## Twice\n\n## Twice\n\ntext {: #own-id }\n\n[a link](https://example.org/x) and <https://example.org>\n",
])
def test_what_is_kept_equals_the_sites_rendering(text: str, tmp_path: Path) -> None:
    from coprod.cite.bibtex import load_bibliography

    (tmp_path / "references.bib").write_text(BIB, encoding="utf-8")
    refs = References(load_bibliography(tmp_path / "references.bib", Report(), "references.bib"))
    citations = find_citations(text)
    html, pre, _ = body_html.prerender(text, citations)
    assert pre is not None and pre.html == html
    page_text = body_html.page_text(text, citations, render=refs.render_citation)
    assert body_html.body_for_page(pre, citations, refs.render_citation) == _site_markdown().convert(page_text)


@pytest.mark.parametrize("text", [
    "## A heading with a citation [@Doe2020]\n",  # its id and table of contents entry hold the citation
    "[a link with a citation [@Doe2020]](https://example.org)\n",
    "See [this] [@Doe2020] and text[@Doe2020]\n",  # a citation joined to a word
    "A citation [@Doe2020]{: #x } with attributes\n",
    "*emphasis around*[@Doe2020]\n",
    "[a page of the site](../other.md) that MkDocs resolves\n",
    "[a section](#somewhere) that MkDocs checks\n",
    "![an image](../assets/images/x.png)\n",
])
def test_anything_the_page_could_render_otherwise_is_left_to_mkdocs(text: str) -> None:
    _, pre, _ = body_html.prerender(text, find_citations(text))
    assert pre is None


def test_a_body_with_an_error_keeps_no_html() -> None:
    report = Report()
    citations, pre = bodycheck.check_case_study_body("Some <b>raw</b> HTML [@Doe2020].\n", report, "x.md", 10)
    assert len(citations) == 1 and report.errors and pre is None
    report = Report()
    citations, pre = bodycheck.check_case_study_body("Plain words.\n", report, "x.md", 10)
    assert citations == [] and not report.errors and pre is not None and pre.html == "<p>Plain words.</p>"


def test_the_cache_keeps_the_html_as_checked_data(evidence, tmp_path: Path) -> None:
    path = next(iter(sorted((evidence.root / "case-studies").glob("*.md"))))
    from coprod.checks import evidence as ev

    ev._init_worker(evidence.root, {name: [(t.key, t.label, t.definition) for t in v.terms.values()]
                                    for name, v in evidence.taxonomy.vocabularies.items()})
    record, problems = check_record_file("case-study", path, "evidence/case-studies/" + path.name)
    assert record.body_html is not None
    data = json.loads(buildcache.encode(cachedata.checked_to_data((record, problems))))[1]
    back, _ = cachedata.checked_from_data(data)
    assert back.body_html == record.body_html
    for broken in ({"html": "x"}, [1, 2, 3, 4, 5], ["<p>x</p>", "T", "1", [], []], ["<p>x</p>", "T", 0, [[3, "id"]], []]):
        data[-1] = broken
        assert cachedata.checked_from_data(data) is None  # a miss: checked again, nothing run


@pytest.mark.parametrize("text", [
    "", "plain words only", "an unconfirmed date", "candidates for the source", "the stored text says",
    "The brief says so", "the brief survey", "seed papers", "verification line", "likely but not confirmed",
    "UNVERIFIED", "\u017ftored text", "the \u017feed paper", "Inferred\nfrom", "is not yet confirmed",
    "words on\nmany lines\nwith nothing", "This case study draws on the article's abstract.",
    "only the ABSTRACT", "The full text was not available", "we could not access it", "We couldn\u2019t check",
    "not summarised here", "the report itself was not read", "in the parts we read", "abstract ideas only",
    *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "evidence" / "case-studies").glob("*.md"))),
])
def test_checkwords_found_with_and_without_the_quick_test(text: str) -> None:
    """The quick test (words every match must hold, worked out from the patterns, and a
    lower-cased search of ASCII text) finds what the case-insensitive patterns find."""
    every = [" ".join(m.group(0).split()) for m in _RE.finditer(text)]
    assert every == [f.words for f in find_checkwords(text)]


@pytest.mark.parametrize("text", [
    "Plain [@Doe2020] words.\n\n## Heading\n\n[link](https://example.org/a?b=1&c=2)\n",
    "Some <script>alert(1)</script> and <!-- a comment --> and <?pi?> <!DOCTYPE x>\n",
    "[x](javascript:alert(1)) ![y](data:x) {: onclick=\"x\" style=\"c\" }\n",
])
def test_the_page_form_finds_what_the_html_check_finds(text: str) -> None:
    html, _, read = body_html.prerender(text, find_citations(text))
    assert bodycheck._unsafe_of(read) == bodycheck.unsafe_html(html)


def test_a_page_held_compressed_comes_back_the_same() -> None:
    """coprod/render/packed.py: a page's HTML is packed only once the next page is rendered
    (MkDocs sets it after the hook), and comes back byte for byte before its template."""
    from types import SimpleNamespace

    from coprod.render.packed import PackedPages

    texts = ["<p>one \u00e9 \U0001f600</p>" * 50, "<h2 id=\"x\">two</h2>\ud800", ""]
    pages = [SimpleNamespace(file=SimpleNamespace(src_uri=f"p{i}.md"), content=None) for i in range(3)]
    packed = PackedPages()
    for page, text in zip(pages, texts):
        packed.rendered(page)
        assert page.content is None  # not set yet by MkDocs: nothing to pack
        page.content = text
    assert pages[0].content is None and pages[1].content is None and pages[2].content == texts[2]
    packed.pack_last()
    for page, text in zip(reversed(pages), reversed(texts)):
        packed.unpack(page)
        assert page.content == text


# --------------------------------------------------------------------------- the quick inline pass

_INLINE_PIECES = [
    "word", "two words", " ", "  \n", "\n", "\n\n", "*", "**", "_", "__", "`", "``", "\\", "\\\\", "\\`", "\\*", "[",
    "]", "(", ")", "](", "![", "[a](b)", "[a][b]", "[b]: /x", "![i](/a.png)", "<", ">", "<http://a.b/c>",
    "<a@b.c>", "<span>", "</span>", "<!-- c -->", "&amp;", "&", "&#60;", ";", "#", "## h", "{: #i }", "{: .c }", "!",
    "@", "://", "=", '"', "'", "- ", "1. ", "> ", "    ", "```", "!!! note", "é", "\u00a0", "|", "| a |\n|---|",
    "CPRDCITE0000000000N0X",
]


def _corpus() -> list[str]:
    """Bodies of every kind the validator meets: the shipped and fixture records, the
    hand-written pages, the hostile bodies of the golden tests, and random text made of
    the inline patterns' own characters (each piece a trigger of some pattern)."""
    import random

    texts = [p.read_text(encoding="utf-8") for folder in (ROOT / "evidence", ROOT / "docs", ROOT / "tests" / "fixtures",
                                                           ROOT / "tests" / "golden" / "body")
             for p in sorted(folder.rglob("*.md"))]
    rng = random.Random(25)
    texts += ["".join(rng.choice(_INLINE_PIECES) for _ in range(rng.randrange(1, 40))) for _ in range(3000)]
    # entities without their semicolon and no "<": the raw HTML pass writes them with one
    texts += ["a &amp b", "AT&T and R&D", "&copy 2020, &#60 and &#x3c", "x &\n\ny &", "## A &amp B\n\ntext"]
    return texts


def test_the_quick_inline_pass_renders_what_python_markdown_renders() -> None:
    """The validator's converters skip an inline pattern on text that holds none of its
    strings (body_html.QuickInline) and the raw HTML pass on text without ``<`` or ``&``
    (body_html.QuickHtmlBlock): every body comes out as Python-Markdown's own converter with
    the same extensions makes it, HTML and headings."""
    quick = body_html.renderer()
    plain = markdown.Markdown(extensions=list(body_html.EXTENSIONS), extension_configs=body_html.EXTENSION_CONFIGS)
    check_quick = bodycheck._renderer(False)
    check_plain = markdown.Markdown(extensions=list(bodycheck.MARKDOWN_EXTENSIONS))
    assert type(quick.treeprocessors["inline"]) is body_html.QuickInline
    for md, own in ((quick, plain), (check_quick, check_plain)):  # each in the place of Python-Markdown's own
        for kind, name, python_markdowns in (("treeprocessors", "QuickInline", "InlineProcessor"),
                                             ("preprocessors", "QuickHtmlBlock", "HtmlBlockPreprocessor")):
            order = [type(processor).__name__ for processor in getattr(md, kind)]
            assert order.count(name) == 1
            assert [each.replace(name, python_markdowns) for each in order] == \
                [type(processor).__name__ for processor in getattr(own, kind)]
            assert {i.name: i.priority for i in getattr(md, kind)._priority} == \
                {i.name: i.priority for i in getattr(own, kind)._priority}
    for text in _corpus():
        assert quick.reset().convert(text) == plain.reset().convert(text), text
        assert quick.toc_tokens == plain.toc_tokens, text
        assert check_quick.reset().convert(text) == check_plain.reset().convert(text), text


def test_every_inline_pattern_names_its_strings() -> None:
    """Each of the site's inline patterns has strings to look for (else the quick pass would
    try it everywhere, correct but slow); a text without them is not searched."""
    md = body_html.renderer()
    for pattern in md.inlinePatterns:
        regex = pattern.getCompiledRegExp()
        needles = body_html._needles(regex.pattern, regex.flags)
        assert needles, type(pattern).__name__
        assert not any(needle in "Plain words (with a comma, a full stop.)\nAnd a line." for needle in needles)
