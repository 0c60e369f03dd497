"""Body and plain-text safety checks: golden cases plus a few direct tests.

Golden cases live in ``tests/golden/body/<name>.md`` with the exact expected output in
``<name>.expected`` (one formatted problem a line). A body is checked as ``case.md`` with
``first_line=10`` (with fenced code blocks on when the name contains ``fenced_on``, else
the site's setting); ``plain_*.md`` files hold one plain-text field value a line (line n of
the file is reported as line 9 + n, field ``title``). Regenerate with ``UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser

import markdown
import pytest
from helpers import TESTS
from hypothesis import given, settings
from hypothesis import strategies as st

from coprod.checks.body import (
    READABILITY_MAX_GRADE,
    bad_scheme,
    check_body,
    check_readability,
    readability_grade,
    unsafe_html,
)
from coprod.read.plaintext import check_plain_text
from coprod.read.problems import Report

GOLDEN = TESTS / "golden" / "body"
CASES = sorted(p.stem for p in GOLDEN.glob("*.md"))


def run_case(name: str) -> str:
    text = (GOLDEN / f"{name}.md").read_text(encoding="utf-8")
    report = Report()
    if name.startswith("plain_"):
        for n, value in enumerate(text.splitlines(), start=1):
            check_plain_text(value, report, "case.md", 9 + n, "title")
    else:
        check_body(text, report, "case.md", 10, fenced_code=True if "fenced_on" in name else None)
    return "".join(p.format() + "\n" for p in report.errors + report.warnings)


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    actual = run_case(name)
    expected_path = GOLDEN / f"{name}.expected"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_path.write_text(actual, encoding="utf-8")
    assert expected_path.exists(), f"missing {expected_path.name}: run with UPDATE_GOLDEN=1"
    assert actual == expected_path.read_text(encoding="utf-8")


def test_enough_golden_cases() -> None:
    bad = [n for n in CASES if not n.startswith("ok_")]
    good = [n for n in CASES if n.startswith("ok_")]
    assert len(bad) >= 20 and len(good) >= 3


@pytest.mark.parametrize("name", [n for n in CASES if n.startswith("ok_")])
def test_good_bodies_have_no_problems(name: str) -> None:
    assert run_case(name) == ""


@pytest.mark.parametrize("name", [n for n in CASES if not n.startswith("ok_")])
def test_bad_bodies_have_errors(name: str) -> None:
    assert run_case(name) != ""


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)", "JaVaScRiPt:x", " javascript:x", "java\tscript:x", "java\nscript:x",
        "java\x00script:x", "&#106;avascript:x", "&#x6A;avascript:x", "&#106avascript:x",
        "javascript&colon;x", "%6Aavascript:x", "%256Aavascript:x", "&amp;#106;avascript:x",
        "vbscript:x", "data:text/html,x", "<javascript:x>", "`javascript:x`", "file:///etc/passwd",
        "java\u200bscript:x",
    ],
)
def test_bad_schemes(url: str) -> None:
    assert bad_scheme(url)


@pytest.mark.parametrize(
    "url", ["https://example.org/x?a=b#c", "http://x", "mailto:a@b.org", "#top", "../x/", "img/a.png", ""]
)
def test_good_urls(url: str) -> None:
    assert bad_scheme(url) == ""


def test_body_lines_are_file_lines() -> None:
    report = Report()
    check_body("one\n\ntwo <b>x</b>\n", report, "f.md", 7)
    assert [p.line for p in report.errors] == [9]
    assert report.errors[0].field == "body"


def test_plain_text_ok() -> None:
    report = Report()
    for value in ["Patients' & carers' voices", "R&D in 2024: what works?", "5 < 10 and 3 * 4", "snake_case"]:
        check_plain_text(value, report, "f.md", 3, "title")
    assert report.problems == []


def test_plain_text_reports_field_and_thing_found() -> None:
    report = Report()
    check_plain_text("A **bold** claim", report, "f.md", 3, "summary")
    (problem,) = report.errors
    assert problem.field == "summary" and problem.line == 3
    assert "plain-text field: no markup" in problem.message and "**bold**" in problem.message


PLAIN = (
    "We asked people what they needed. They told us. We changed the service with them. "
    "Now more people come back, and they say it feels like their own place. We meet every month."
)
DENSE = (
    "Participatory methodological considerations notwithstanding, institutional stakeholders "
    "systematically underestimated the organisational implications of collaborative "
    "intervention implementation, necessitating comprehensive reconceptualisation of "
    "accountability infrastructures across interdisciplinary governance configurations."
)


def test_readability_grade_orders_texts() -> None:
    assert readability_grade(PLAIN) < READABILITY_MAX_GRADE < readability_grade(DENSE)
    assert readability_grade("") == 0.0
    assert readability_grade("```\ncode only\n```\n") == 0.0


def test_readability_ignores_markup() -> None:
    marked = "We asked **people** what they [needed](https://example.org/a-very-long-address). " + PLAIN
    assert abs(readability_grade(marked) - readability_grade("We asked people what they needed. " + PLAIN)) < 0.5


def test_check_readability_warns_only_above_threshold() -> None:
    report = Report()
    check_readability(PLAIN, report, "f.md", 4, "summary")
    assert report.problems == []
    check_readability(DENSE + " " + DENSE, report, "f.md", 4, "summary")
    (problem,) = report.warnings
    assert problem.field == "summary" and problem.line == 4
    assert f"{READABILITY_MAX_GRADE:g}" in problem.message and "reading grade" in problem.message
    assert report.errors == []


def test_check_readability_skips_short_text() -> None:
    report = Report()
    check_readability("Institutional reconceptualisation.", report, "f.md", 1, "title")
    assert report.problems == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab @<>[](){}!:;`~-_*&#=\"'\n\t\\/.x8%")) | st.characters()))
def test_checks_never_raise(text: str) -> None:
    report = Report()
    check_body(text, report, "f.md", 1)
    check_plain_text(text, report, "f.md", 1, "title")
    readability_grade(text)
    assert all(p.line >= 1 for p in report.problems)


# --------------------------------------------------------------------------- differential
# If check_body finds no error, what Python-Markdown renders must be safe.

_ALLOWED_TAGS = {
    "p", "a", "img", "code", "pre", "em", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
    "li", "blockquote", "hr", "br", "div", "sup", "table", "thead", "tbody", "tr", "th", "td",
}


class _SafetyOracle(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unsafe: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ALLOWED_TAGS:
            self.unsafe.append(f"tag {tag}")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc"):
                self.unsafe.append(f"attr {name}")
            if name in ("href", "src") and bad_scheme(value or ""):
                self.unsafe.append(f"{name}={value!r}")

    def handle_comment(self, data: str) -> None:
        self.unsafe.append("comment")


_PIECES = [
    "<script>x</script>", "<b>", "<img src=x onerror=y>", "<!-- c -->", "[t](javascript:x)",
    "[t](java\tscript:x)", "[t](&#106;avascript:x)", "[t](`javascript:x`)", "<javascript:x>",
    "![](x.png)", "![a](data:x)", "{: onclick=x }", "{ style=x }", "[r]: javascript:x", "[t][r]",
    "`", "```", "~~~", "```{ onclick=x }", "    ", "- ", "> ", "\n", "\n\n", "text", "@k", "\\",
    "<https://ok.org>", "<a@b.org>", "[ok](https://x.org)", "#", " ", "`<script>`", "1. ", "\t",
]


SITE_EXTENSIONS = ["attr_list", "tables", "toc"]  # as in mkdocs.yml


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12), st.booleans())
def test_no_error_means_markdown_output_is_safe(pieces: list[str], fenced: bool) -> None:
    text = "".join(pieces)
    report = Report()
    check_body(text, report, "f.md", 1, fenced_code=fenced)
    if report.errors:
        return
    extensions = SITE_EXTENSIONS + (["fenced_code"] if fenced else [])
    oracle = _SafetyOracle()
    oracle.feed(markdown.markdown(text, extensions=extensions))
    oracle.close()
    assert oracle.unsafe == [], text


def test_render_backstop_catches_what_the_model_misses() -> None:
    # Python-Markdown leaves these backticks unpaired (the regex model pairs them): raw <script>.
    text = "[^1]: ``#```{ onclick=x }\\)<script>x</script> ```) @k"
    report = Report()
    check_body(text, report, "f.md", 5, fenced_code=True, render_check=False)
    assert report.errors == []
    check_body(text, report, "f.md", 5, fenced_code=True)
    assert [p.message.split(":")[0] for p in report.errors] == ["the rendered page would contain unsafe HTML"]
    assert report.errors[0].line == 5
    assert unsafe_html("<p><a href='javascript:x' onclick='y'>t</a><script></script></p>") == [
        "href=javascript:x", "onclick=", "<script>"
    ]
    assert unsafe_html("<p><a href='https://x.org' id='y'>t</a></p>") == []


def test_each_body_is_rendered_on_its_own() -> None:
    """The backstop's renderer is reused between bodies: nothing one body defines (a link
    reference) may reach the next one's rendering."""
    first, second = Report(), Report()
    check_body("![a chart][img]\n\n[img]: https://other.example/x.png\n", first, "a.md", 10)
    check_body("![a chart][img]\n", second, "b.md", 10)
    assert any("not a file of this site" in p.message for p in first.errors)
    assert second.errors == []
