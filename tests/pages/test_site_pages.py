"""The generated pages about the library as a whole, made from templates as HTML:
references (references.html), open data (open-data.html), how to cite (how-to-cite.html),
what's new (whats-new.html), and the contribute pages (contribute.html, fields.html). Each escapes every value it is given (only the CSL
processor's HTML goes in as it is), has the headings and ids its markdown page had, and
gives another engine those headings as markdown (coprod/export.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import edit_record, load, make_evidence, make_project

from coprod import site
from coprod.cite.bibtex import load_bibliography
from coprod.cite.references import References
from coprod.export import page_source
from coprod.model import Library
from coprod.pages import contribute
from coprod.pages.citing import how_to_cite_page, whats_new_page
from coprod.pages.exports import data_page
from coprod.pages.references import references_page
from coprod.read.problems import Report
from coprod.render.templates import anchor_ids

HOSTILE = "<script>alert(1)</script> \"q\" & 'x' *not em* [not](javascript:alert(1)) `not code`"
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &amp; &#x27;x&#x27; *not em* "
           "[not](javascript:alert(1)) `not code`")


def outline(page) -> list[tuple[int, str, str, list]]:
    """The page's table of contents as (level, id, name, children)."""
    def walk(tokens: list[dict]) -> list:
        return [(t["level"], t["id"], t["name"], walk(t["children"])) for t in tokens]
    return walk(page.toc)


def assert_safe(content: str) -> None:
    """The hostile text is on the page, escaped, and none of it became markup."""
    assert ESCAPED in content
    assert "<script" not in content and "javascript:alert(1)\"" not in content
    assert "<em>not em</em>" not in content and "<code>not code</code>" not in content


def assert_headings_exported(page) -> None:
    """Another engine gets each heading as markdown with the page's id (its own contents)."""
    source = page_source(page)
    for level, ident, name, children in outline(page):
        assert f"{'#' * level} " in source and f"{{ #{ident} }}" in source, ident
        for child in children:
            assert f"{{ #{child[1]} }}" in source, child


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return load(make_evidence(tmp_path_factory.mktemp("site-pages")))


def test_whats_new_escapes_titles_and_changes(tmp_path: Path) -> None:
    library = load(make_evidence(tmp_path))

    def hostile(data: dict) -> None:
        data["title"] = HOSTILE
        data["changes"] = [{"version": "1.1", "date": "2026-02-01", "summary": HOSTILE}]

    edit_record(library, "case-study", "peer-researchers", hostile)
    page = whats_new_page(library)
    assert page.uri == "whats-new.md" and page.title == "What's new" and page.is_html
    assert_safe(page.content)
    line = next(line for line in page.content.splitlines() if "peer-researchers/\">&lt;script" in line)
    assert line == (f'<li>2026-02-01: case study <a href="../case-studies/peer-researchers/">{ESCAPED}</a>, '
                    f"version 1.1: {ESCAPED}</li>")
    assert page.content.startswith('<h1 id="whats-new">What&#x27;s new<a class="headerlink" href="#whats-new" ')
    assert '<a href="../feed.xml">Subscribe to the feed</a>' in page.content
    assert outline(page) == [(1, "whats-new", "What's new", [])]
    assert "\n# What's new { #whats-new }\n" in page_source(page)


def test_whats_new_without_records_has_no_list(tmp_path: Path) -> None:
    evidence = make_evidence(tmp_path)
    for path in [*(evidence / "case-studies").glob("*.md"), *(evidence / "claims").glob("*.md")]:
        path.unlink()
    page = whats_new_page(load(evidence))
    assert "<ul>" not in page.content and page.content.count("<p>") == 1


def test_references_escape_the_citing_titles_and_keep_the_processors_html(tmp_path: Path) -> None:
    bib = tmp_path / "references.bib"
    bib.write_text("@misc{Hostile2024,\n  author = {Doe, Jane},\n  title = {A <script>x</script> & \"odd\" title},\n"
                   "  year = {2024},\n  note = {A note.}\n}\n"
                   "@misc{Quiet2020,\n  author = {Roe, Ann},\n  title = {Quiet},\n  year = {2020}\n}\n",
                   encoding="utf-8")
    report = Report()
    refs = References(load_bibliography(bib, report))
    assert not report.errors, report.problems
    page = references_page(refs, {"Hostile2024": [("case-studies/b.md", HOSTILE), ("case-studies/a.md", "")]})
    assert page.is_html and page.title == "References"
    assert_safe(page.content)
    assert "<i>A &#60;script&#62;x&#60;/script&#62; &#38; “odd” title</i>" in page.content  # the processor's HTML, as it is
    assert (f'Cited by: <a href="../case-studies/a/">case-studies/a.md</a>, '
            f'<a href="../case-studies/b/">{ESCAPED}</a>.</p>') in page.content
    assert "<p>Not cited by any page yet.</p>" in page.content
    assert "<p>2 references, with a note.</p>" not in page.content and "<p>2 references, 1 of them with a note.</p>" in page.content
    assert outline(page) == [(1, "references", "References", [])]
    assert {"ref-Hostile2024", "ref-Quiet2020", "references"} <= anchor_ids(page.content)
    assert_headings_exported(page)


def _with_hostile_field(tmp_path: Path, **extra) -> Path:
    """The fixture evidence with a case-study field whose schema text is hostile."""
    evidence = make_evidence(tmp_path)
    path = evidence / "schema" / "case-study.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["project"]["properties"]["ethics_body"] = {"type": "string", "description": HOSTILE, **extra}
    path.write_text(json.dumps(schema), encoding="utf-8")
    return evidence


def test_open_data_escapes_schema_text_and_keeps_its_headings(tmp_path: Path) -> None:
    page = data_page(load(_with_hostile_field(tmp_path)))
    assert page.uri == "data/index.md" and page.title == "Open data" and page.is_html
    assert_safe(page.content)
    assert f"<td>project.ethics_body</td>\n<td>text</td>\n<td>no</td>\n<td></td>\n<td>{ESCAPED}</td>" in page.content
    assert outline(page) == [(1, "open-data", "Open data", [
        (2, "licence", "Licence", []),
        (2, "files", "Files", []),
        (2, "one-file-that-describes-all-the-others", "One file that describes all the others", []),
        (2, "how-the-files-are-laid-out", "How the files are laid out", [
            (3, "json", "JSON", []), (3, "csv", "CSV", []), (3, "references", "References", []),
            (3, "vocabularies", "Vocabularies", [])]),
        (2, "codebook", "Codebook", [(3, "case-study", "Case study", []),
                                     (3, "business-case-claim", "Business-case claim", [])]),
    ])]
    assert_headings_exported(page)


def test_how_to_cite_has_the_librarys_cite_box(library: Library) -> None:
    page = how_to_cite_page(library, 'https://example.org/"><script>alert(1)</script>/')
    assert page.uri == "how-to-cite.md" and page.is_html
    assert "<script" not in page.content and "&quot;&gt;&lt;script&gt;" in page.content
    assert '<div class="coprod-cite">' in page.content and '<pre><code id="cite-3">@online{coprod-library,' in page.content
    assert "<i>Co-production Evidence Library</i>" in page.content  # the processor's HTML, kept
    assert outline(page) == [(1, "how-to-cite", "How to cite", [
        (2, "cite-the-library-as-a-whole", "Cite the library as a whole", [])])]
    assert {"how-to-cite", "cite-the-library-as-a-whole", "cite-0"} <= anchor_ids(page.content)
    assert_headings_exported(page)


def test_the_field_reference_escapes_schema_text_and_keeps_its_headings(tmp_path: Path) -> None:
    evidence = _with_hostile_field(tmp_path, examples=[HOSTILE])
    page = contribute.fields_page(load(evidence))
    assert page.uri == "contribute/fields.md" and page.title == "Field reference" and page.is_html
    assert_safe(page.content)
    assert (f"<td><code>project.ethics_body</code></td>\n<td>no</td>\n<td>{ESCAPED} For example: "
            f"<code>{ESCAPED}</code>.</td>") in page.content
    assert 'Terms from <a href="../../settings/">Settings</a>: <code>' in page.content
    assert outline(page) == [(1, "field-reference", "Field reference", [(2, "case-study", "Case study", []),
                                                                        (2, "claim", "Claim", [])])]
    assert_headings_exported(page)


def test_the_form_page_keeps_its_heading_and_its_guide_link(library: Library) -> None:
    page = contribute.form_page(library, "https://github.com/o/r")
    assert page.uri == "contribute/index.md" and page.is_html
    assert outline(page) == [(1, "propose-a-case-study", "Propose a case study", [])]  # the form's own h2s are not contents
    assert '<p>Before you start, read <a href="guide/">what makes a good case study</a>' in page.content
    assert '</div>\n\n<details class="cf-editors">' in page.content
    assert_headings_exported(page)


def test_every_generated_page_is_made_as_html(tmp_path: Path) -> None:
    """Python-Markdown reads only what people wrote: every page the build makes is HTML."""
    project = make_project(tmp_path)
    built = site.build(project, {**site.read_site_config(project), "repo_url": "https://github.com/o/r"})
    assert built.ok, [p.format() for p in built.problems]
    pages = [uri for uri in built.pages if uri.endswith(".md")]
    assert {"references/index.md", "data/index.md", "how-to-cite.md", "whats-new.md", "contribute/index.md",
            "contribute/fields.md"} <= set(pages)
    assert [uri for uri in pages if not built.pages[uri].is_html] == []
