"""Author-year citations and APA-like references: labels, entries, bodies, sections, and a
real MkDocs build that checks the anchors."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, TESTS, check_bibliography_invariants, check_golden, make_evidence

from coprod.checks.reference_fields import check_entry
from coprod.cite.bibtex import Bibliography, load_bibliography
from coprod.cite.latex import latex_text
from coprod.cite.references import References
from coprod.export import page_source
from coprod.pages.references import references_page
from coprod.read import urls
from coprod.read.problems import Report

GOLDEN = TESTS / "golden" / "cite"


def load(path: Path) -> Bibliography:
    """``path`` read and every entry checked by the reference rules. The words-of-checking
    rule is left out: ``reference-formats.bib`` is a snapshot of the library's references from
    before that rule, whose notes are reading records (tests/checks/test_checkwords.py tests
    the rule, on this file's kind of note among others)."""
    report = Report()
    bibliography = load_bibliography(path, report, rules=check_entry)
    assert not report.problems, report.problems
    return bibliography


def refs_from(tmp_path: Path, bib: str) -> References:
    path = tmp_path / "references.bib"
    path.write_text(textwrap.dedent(bib), encoding="utf-8")
    return References(load(path))


@pytest.fixture(scope="module")
def shipped() -> References:
    return References(load(ROOT / "evidence" / "references.bib"))


@pytest.fixture(scope="module")
def snapshot() -> References:
    """A fixed copy of the shipped bibliography (tests/fixtures/bib/README.md): the goldens'
    input, so a contributor's new reference never changes a golden file."""
    return References(load(FIXTURES / "bib" / "reference-formats.bib"))


@pytest.fixture
def fixture_refs(tmp_path: Path) -> References:
    return References(load(make_evidence(tmp_path) / "references.bib"))


# --------------------------------------------------------------------------- formatting goldens (a fixture)


def test_entries_golden(snapshot: References) -> None:
    text = "".join(f"{key}\n    {snapshot.entry(key)}\n\n" for key in snapshot.ordered_keys())
    check_golden(GOLDEN / "entries.html", text)


def test_labels_golden(snapshot: References) -> None:
    text = "".join(f"{key}: {snapshot.label(key)} | {snapshot.narrative(key)}\n" for key in sorted(snapshot.ordered_keys()))
    check_golden(GOLDEN / "labels.txt", text)


def test_formatting_is_cached(snapshot: References) -> None:
    key = "Kuhn1962structure"
    assert snapshot.entry(key) is snapshot.entry(key)


# --------------------------------------------------------------------------- the shipped bibliography: invariants




def test_shipped_bibliography_invariants(shipped: References) -> None:
    check_bibliography_invariants(shipped)


def test_snapshot_bibliography_invariants(snapshot: References) -> None:
    check_bibliography_invariants(snapshot)


# --------------------------------------------------------------------------- labels


def test_label_forms(tmp_path: Path) -> None:
    """In-text labels are the style's (APA) citations of one item, without its parentheses."""
    refs = refs_from(tmp_path, r"""
        @article{one, author = {Hickey, Gary}, title = {T}, journal = {J}, year = {2018}}
        @article{two, author = {Knowles, Sarah E. and Smith, Jo}, title = {T}, journal = {J}, year = {2021}}
        @article{three, author = {Staniszewska, S. and Hickey, G. and Coutts, P.}, title = {T}, journal = {J},
                 year = {2022}}
        @misc{corporate, author = {{Health Research Authority}}, title = {T}, year = {2020}}
        @unpublished{undated, author = {{McPin Foundation}}, title = {T}, note = {Undated.}}
        @misc{anonymous, title = {Conference abstract on the public views of health inequalities}, year = {2023}}
        @article{accents, author = {G{\'o}mez, Jos{\'e} and M{\"u}ller, J{\"u}rgen}, title = {T}, journal = {J},
                 year = {2019}}
    """)
    assert refs.label("one") == "Hickey, 2018"
    assert refs.narrative("one") == "Hickey (2018)"
    assert refs.label("two") == "Knowles & Smith, 2021"
    assert refs.narrative("two") == "Knowles & Smith (2021)"
    assert refs.label("three") == "Staniszewska et al., 2022"
    assert refs.narrative("three") == "Staniszewska et al. (2022)"
    assert refs.label("corporate") == "Health Research Authority, 2020"
    assert refs.label("undated") == "McPin Foundation, n.d."
    assert refs.label("anonymous") == "Conference Abstract on the Public Views of Health Inequalities, 2023"  # APA: title case
    assert refs.label("accents") == "Gómez & Müller, 2019"
    with pytest.raises(KeyError):
        refs.label("missing")


def test_same_author_year_gets_letters_in_the_styles_order(tmp_path: Path) -> None:
    """Issue 21: the letters follow the style's order (APA: by title), not the keys', so an
    in-text citation points at the entry the list shows with that letter."""
    refs = refs_from(tmp_path, r"""
        @misc{alpha, author = {{Health Research Authority}}, title = {Zebra crossings}, year = {2020}}
        @misc{zeta, author = {{Health Research Authority}}, title = {A guide}, year = {2020}}
        @misc{other, author = {{Health Research Authority}}, title = {O}, year = {2021}}
        @unpublished{u1, author = {{McPin Foundation}}, title = {B}, note = {Undated.}}
        @unpublished{u2, author = {{McPin Foundation}}, title = {A}, note = {Undated.}}
    """)
    assert refs.label("zeta") == "Health Research Authority, 2020a"  # "A guide" before "Zebra crossings"
    assert refs.label("alpha") == "Health Research Authority, 2020b"
    assert refs.label("other") == "Health Research Authority, 2021"
    assert refs.label("u2") == "McPin Foundation, n.d.-a"
    assert refs.narrative("u1") == "McPin Foundation (n.d.-b)"
    assert refs.ordered_keys()[:2] == ["zeta", "alpha"]
    assert "(2020b)" in refs.entry("alpha")  # the reference list shows the same letter
    # a page citing only alpha still says 2020b
    body, _ = refs.render_body("[@alpha]")
    assert "2020b" in body


def test_apa_order(tmp_path: Path) -> None:
    refs = refs_from(tmp_path, r"""
        @article{b2020, author = {Brown, A.}, title = {T}, journal = {J}, year = {2020}}
        @article{a2021, author = {{\"O}berg, K.}, title = {T}, journal = {J}, year = {2021}}
        @article{b2019, author = {Brown, A.}, title = {T}, journal = {J}, year = {2019}}
        @article{bc, author = {Brown, A. and Clark, C.}, title = {T}, journal = {J}, year = {2010}}
        @unpublished{bnd, author = {Brown, A.}, title = {T}, note = {n}}
        @article{a, author = {Adams, Z.}, title = {T}, journal = {J}, year = {2030}}
    """)
    # undated first, then by year; one author before the same author with co-authors; accents ignored
    assert refs.ordered_keys() == ["a", "bnd", "b2019", "b2020", "bc", "a2021"]


# --------------------------------------------------------------------------- entries


def test_latex_decoding() -> None:
    assert latex_text(r"Caf{\'e} {\"u}ber -- \emph{new} {PPI} R\&D 20% {\o}") == "Café über – new PPI R&D 20% ø"
    assert latex_text(r"\textbf{Bold} \unknown{x} \$5 $x$") == "Bold unknown x $5 x"


def test_latex_escaped_characters_are_kept() -> None:
    """What the cite files write for a brace, a backslash, a tilde (coprod.cite.formats) reads back."""
    assert latex_text(r"a \{ b \} c") == "a { b } c"
    assert latex_text(r"x\textbraceright{} y\textbraceleft{}z") == "x} y{z"
    assert latex_text(r"\textbackslash{}input \textasciitilde{}1 2\textasciicircum{}3 \textbar{}") == "\\input ~1 2^3 |"
    assert latex_text(r"\textbraceleftx") == "textbraceleftx"  # not the command: an unknown one
    assert latex_text("noncharacter \ufdd0 dropped \\{") == "noncharacter dropped {"


def test_entry_article(tmp_path: Path) -> None:
    refs = refs_from(tmp_path, r"""
        @article{walker,
          author = {Walker, Lauren and Peckham, Emily J.},
          title = {Co-producing -- the {SPACES} story?},
          journal = {Qualitative Research in Sport, Exercise and Health},
          year = {2023}, volume = {15}, number = {2}, pages = {235--247},
          doi = {10.1080/2159676X.2022.(2161610)},
          url = {https://example.org/ignored-when-there-is-a-doi},
          note = {Volume inferred.}}
    """)
    assert refs.entry("walker") == (
        "Walker, L., &#38; Peckham, E. J. (2023). Co-producing – the SPACES story? "
        "<i>Qualitative Research in Sport, Exercise and Health</i>, <i>15</i>(2), 235–247. "
        '<a href="https://doi.org/10.1080/2159676X.2022.(2161610)">https://doi.org/10.1080/2159676X.2022.(2161610)</a>'
        " <em>Note:</em> Volume inferred."
    )


def test_entry_report_and_book(tmp_path: Path) -> None:
    refs = refs_from(tmp_path, r"""
        @techreport{kef, author = {{Research England}}, title = {Knowledge Exchange Framework},
                    institution = {Research England}, year = {2020}, number = {RE-P-2020-02}}
        @book{kuhn, author = {Kuhn, Thomas S.}, title = {The structure of scientific revolutions},
              publisher = {University of Chicago Press}, address = {Chicago}, year = {1962}, edition = {2}}
    """)
    assert refs.entry("kef").startswith("Research England. (2020). <i>Knowledge Exchange Framework</i> (RE-P-2020-02).")
    assert refs.entry("kuhn") == ("Kuhn, T. S. (1962). <i>The structure of scientific revolutions</i> (2nd ed.). "
                                  "University of Chicago Press.")


def test_entry_text_is_escaped() -> None:
    """The validator rejects such entries; rendering must still be safe without it: the
    processor escapes every tag but its own few of rich text (b, i, sup, sub)."""
    from pybtex.database import parse_string

    from coprod.cite.bibtex import Bibliography

    data = parse_string(r"""
        @misc{x, author = {{A <img src=x onerror=alert(1)> group}}, title = {*Stars* and [links](javascript:x) | pipes},
              year = {2020}, note = {<script>alert(1)</script>}}
    """, "bibtex")
    bibliography = Bibliography()
    bibliography.add("x", data.entries["x"], 2)
    refs = References(bibliography)
    entry = refs.entry("x")
    assert "<img" not in entry and "<script>" not in entry and "javascript:x\"" not in entry
    assert "<img src=x onerror=alert(1)>" in html.unescape(entry) and "&lt;script&gt;alert(1)&lt;/script&gt;" in entry
    assert "<i>*Stars* and [links](javascript:x) | pipes</i>" in entry  # text: never read as markdown


# --------------------------------------------------------------------------- bodies


def test_render_body_every_syntax(fixture_refs: References) -> None:
    body = textwrap.dedent("""\
        Parenthetical [@Staniszewska2022coproduction].
        Two [@Staniszewska2022coproduction; @Hickey2018guidance].
        Prefix and locator [see @Example2021peer, p. 12; @Hickey2018guidance].
        Narrative: @PARTNERS22020exploring showed it.
        Code `[@Hickey2018guidance]` and `@Example2021peer`, mail ann@Example2021peer.org,
        a URL https://example.org/@Example2021peer and [@Hickey2018guidance].
        Unknown [@Nobody2020] and @Nobody2021.

            @Hickey2018guidance in an indented code block
        """)
    out, cited = fixture_refs.render_body(body)
    check_golden(GOLDEN / "render_body.md", out)
    assert cited == ["Staniszewska2022coproduction", "Hickey2018guidance", "Example2021peer", "PARTNERS22020exploring"]
    assert "([Staniszewska et al\\., 2022](#ref-Staniszewska2022coproduction))" in out
    assert ("(see [Example &amp; Sample, 2021](#ref-Example2021peer), p\\. 12; "
            "[Hickey et al\\., 2018](#ref-Hickey2018guidance))") in out
    assert "[The PARTNERS2 writing collective](#ref-PARTNERS22020exploring) (2020) showed it" in out
    assert "`[@Hickey2018guidance]` and `@Example2021peer`, mail ann@Example2021peer.org," in out
    assert "https://example.org/@Example2021peer and" in out
    assert "(@Nobody2020 \\(reference not found\\)) and @Nobody2021 \\(reference not found\\)." in out
    assert "    @Hickey2018guidance in an indented code block" in out
    assert "#ref-Nobody" not in out


def test_render_body_without_citations(fixture_refs: References) -> None:
    assert fixture_refs.render_body("Plain text, a@b.org.") == ("Plain text, a@b.org.", [])


def test_section(fixture_refs: References) -> None:
    keys = ["Staniszewska2022coproduction", "Hickey2018guidance", "Example2021peer", "Nobody"]
    section = fixture_refs.section(keys, "case-studies/x.md")
    check_golden(GOLDEN / "section.md", section)
    lines = section.splitlines()
    assert lines[0] == "## References"
    items = [line for line in lines if line.startswith("<li>")]
    assert [re.search(r'id="([^"]+)"', line).group(1) for line in items] == [
        "ref-Example2021peer", "ref-Hickey2018guidance", "ref-Staniszewska2022coproduction"]
    assert items[0].endswith('<a href="../../references/#ref-Example2021peer">all pages citing this</a></li>')
    assert "<i>Peer researchers in a community health project</i>" in items[0]  # the processor's HTML
    assert fixture_refs.section([], "index.md") == ""


def test_references_page(fixture_refs: References) -> None:
    cited_by = {
        "Hickey2018guidance": [("case-studies/b.md", "B <study>"), ("case-studies/a.md", "A study"),
                               ("case-studies/a.md", "A study")],
    }
    page = references_page(fixture_refs, cited_by)
    check_golden(GOLDEN / "references_page.md", page.content)
    assert page.uri == urls.REFERENCES and page.title == "References"
    assert ('Cited by: <a href="../case-studies/a/">A study</a>, <a href="../case-studies/b/">B &lt;study&gt;</a>.'
            in page.content)
    assert page.content.count('<span id="ref-') == len(fixture_refs.bibliography.entries)


# --------------------------------------------------------------------------- a real MkDocs build


def test_mkdocs_build_accepts_the_anchors(tmp_path: Path, fixture_refs: References) -> None:
    project = tmp_path / "site-project"
    (project / "docs" / "case-studies").mkdir(parents=True)
    (project / "docs" / "references").mkdir()
    (project / "mkdocs.yml").write_text(textwrap.dedent("""\
        site_name: Test
        theme:
          name: material
          font: false
        markdown_extensions:
          - attr_list
          - tables
          - toc:
              permalink: true
        validation:
          links:
            not_found: warn
            anchors: warn
            unrecognized_links: warn
        """), encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    page_uri = "case-studies/x.md"
    body = "# A case study\n\nAs shown [see @Hickey2018guidance, p. 3; @Example2021peer] and by @Staniszewska2022coproduction.\n"
    out, cited = fixture_refs.render_body(body)
    (project / "docs" / page_uri).write_text(out + "\n" + fixture_refs.section(cited, page_uri), encoding="utf-8")
    cited_by = {key: [(page_uri, "A case study")] for key in cited}
    refs_page = references_page(fixture_refs, cited_by)
    (project / "docs" / refs_page.uri).write_text(page_source(refs_page), encoding="utf-8")  # as another engine gets it

    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout
    assert "WARNING" not in result.stdout, result.stdout

    html = (project / "site" / "case-studies" / "x" / "index.html").read_text(encoding="utf-8")
    for key in cited:
        assert f'id="ref-{key}"' in html
        assert f'href="#ref-{key}"' in html
        assert f'href="../../references/#ref-{key}"' in html
    refs_html = (project / "site" / "references" / "index.html").read_text(encoding="utf-8")
    for key in fixture_refs.bibliography.entries:
        assert f'id="ref-{key}"' in refs_html
    assert 'href="../case-studies/x/"' in refs_html
    assert 'href="https://doi.org/10.1186/s40900-022-00340-2"' in refs_html


def test_mkdocs_strict_build_fails_on_a_missing_anchor(tmp_path: Path) -> None:
    """The check above means something: a link to an anchor that is not there fails."""
    project = tmp_path / "broken"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(
        "site_name: Test\ntheme:\n  name: material\n  font: false\nvalidation:\n  anchors: warn\n", encoding="utf-8")
    (project / "docs" / "index.md").write_text("[x](#ref-missing)\n\n- <span id=\"ref-there\"></span>Entry\n",
                                               encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300, check=False)
    assert result.returncode != 0
    assert "ref-missing" in result.stdout


def test_a_bare_percent_and_a_hyphenated_name_read_the_same_everywhere(tmp_path: Path) -> None:
    """Issue 14: many exports write a bare ``%``; the page showed "Reaching 50% of services"
    while CSL-JSON (and so JSON-LD and the downloads) cut it at the %. One decoder now."""
    from coprod.cite.csl import entry_to_csl

    refs = refs_from(tmp_path, """\
        @article{Dupont2020reaching,
          author = {Dupont, Jean-Pierre and Lee, Ann},
          title = {Reaching 50% of services},
          journal = {Journal of Things},
          year = {2020},
        }
        """)
    entry = refs.bibliography.entries["Dupont2020reaching"]
    item = entry_to_csl("Dupont2020reaching", entry)
    assert item["title"] == "Reaching 50% of services"
    assert item["author"][0] == {"family": "Dupont", "given": "Jean-Pierre"}
    page = refs.entry("Dupont2020reaching")
    assert "Reaching 50% of services" in page.replace("\\", ""), page
    assert "Dupont, J.-P." in page.replace("\\", ""), page
