"""Random mutations of a valid case study and of references.bib (issue 26, item 8): the
validator reports every one as problems, never a traceback or a crash, and its time grows
linearly with the size of what a mutation repeats.

Each mutation inserts a unit from the shapes the hostile reviews used (brackets, anchors,
emphasis, LaTeX commands, line breaks, noncharacters, workflow commands...), repeated up to
thousands of times, nests one up to 50,000 deep (anywhere, or as a new field or paragraph),
or deletes or doubles a stretch of the file. Hypothesis draws 150
of each (about a minute in all on the 2-core machine); a failure prints the mutation.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from helpers import FIXTURES, make_evidence
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coprod.checks.evidence import load_evidence
from coprod.cite.bibtex import load_bibliography
from coprod.read.problems import Report

UNITS = [
    "[", "]", "{", "}", "[[", "{a: ", "- ", "? ", ": ", "&a ", "*a ", "!!python/object ", "<<: ", "---\n", "\n", "\t",
    "\r", " ", "'", '"', "#", "%", "@", "\\", "`", "*", "_", "*a _b ", "~", "|", ">", "<", "<script>", "&#x3c;",
    "\x00", "\x1b", "\u2028", "\ufffe", "\uffff", "\U0010ffff", "\ufeff", "\u202e", "::notice::x\n", "##vso[x]",
    "[@Example2021peer]", "[@Zz", "](javascript:x)", "](http://169.254.169.254/)", "](https://ex\u0430mple.org)",
    "\\textless{}script\\textgreater{}", "\\url{", "@string{a = {", "@misc{k,", "title = {", "url = {http://0x7f.1/}",
    " and ", "{\\\"o}", "$", "\\emph{", "index", "page", "é", "例",
]

NESTS = [("[", "]", ""), ("{a: ", "}", ""), ("- ", "", ""), ("*a _b ", " c_ d*", "\n"), ("> ", "", "\n"),
         ("{", "}", ""), ("[", "](x)", "\n")]
"""Nesting shapes: ``open * n + close * n``, a line break every 100 units where the third
part says so (to stay within the body's line limit)."""

mutations = st.lists(
    st.one_of(
        st.tuples(st.just("insert"), st.floats(0, 1), st.sampled_from(UNITS), st.integers(1, 3000)),
        st.tuples(st.just("nest"), st.floats(0, 1), st.sampled_from(NESTS), st.integers(1, 50_000)),
        st.tuples(st.just("field"), st.floats(0, 1), st.sampled_from(NESTS), st.integers(1, 50_000)),
        st.tuples(st.just("delete"), st.floats(0, 1), st.floats(0, 1), st.just(0)),
        st.tuples(st.just("double"), st.floats(0, 1), st.floats(0, 1), st.integers(1, 8)),
    ),
    min_size=1, max_size=4,
)


def nested(opening: str, closing: str, separator: str, count: int) -> str:
    def run(unit: str) -> str:
        if not separator:
            return unit * count
        return separator.join(unit * min(100, count - i) for i in range(0, count, 100))

    return run(opening) + "x" + run(closing)


def mutate(text: str, steps: list) -> str:
    for kind, where, what, count in steps:
        at = int(where * len(text))
        if kind == "insert":
            text = text[:at] + what * count + text[at:]
        elif kind == "nest":
            text = text[:at] + nested(*what, count) + text[at:]
        elif kind == "field":  # a new front-matter field, or a new paragraph, holding the nesting
            value = nested(*what, count)
            if "\nlicence:" in text and not what[2]:
                at = text.index("\nlicence:") + 1
                text = text[:at] + f"extra: {value}\n" + text[at:]
            else:
                text = text + "\n\n" + value + "\n"
        elif kind == "delete":
            text = text[:at] + text[at + int(what * 200):]
        else:
            end = at + int(what * 400)
            text = text[:end] + text[at:end] * count + text[end:]
    return text


def _no_internal_error(report: Report) -> None:
    internal = [p.format() for p in report.problems if "internal error" in p.message]
    assert internal == []


@pytest.fixture(scope="module")
def evidence(tmp_path_factory) -> Path:
    return make_evidence(tmp_path_factory.mktemp("fuzz"))


CASE = (FIXTURES / "evidence" / "case-studies" / "peer-researchers.md").read_text(encoding="utf-8")
BIB = (FIXTURES / "evidence" / "references.bib").read_text(encoding="utf-8")


def _validate(evidence: Path, name: str, text: str) -> Report:
    (evidence / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    report = Report()
    load_evidence(evidence, report, workers=1)
    _no_internal_error(report)
    return report


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(mutations)
def test_a_mutated_case_study_is_reported_never_raised(evidence: Path, steps: list) -> None:
    text = mutate(CASE, steps)
    start = time.process_time()
    _validate(evidence, "case-studies/peer-researchers.md", text)
    assert time.process_time() - start < 20, f"{len(text):,} characters took over 20 s"  # a hang bound


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations)
def test_a_mutated_bibliography_is_reported_never_raised(tmp_path_factory, steps: list) -> None:
    folder = tmp_path_factory.mktemp("bib")
    path = folder / "references.bib"
    text = mutate(BIB, steps)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    report = Report()
    start = time.process_time()
    load_bibliography(path, report, "evidence/references.bib")
    assert time.process_time() - start < 20, f"{len(text):,} characters took over 20 s"  # a hang bound
    _no_internal_error(report)
    shutil.rmtree(folder)


def _at_licence(text: str) -> str:
    return CASE.replace("licence: CC-BY-4.0\n", "licence: CC-BY-4.0\n" + text + "\n")


def _in_body(text: str) -> str:
    return CASE.replace("Six peer researchers", text + " Six peer researchers")


def _bib(text: str) -> str:
    return BIB + "\n" + text + "\n"


GROWTH = {
    "yaml nested lists": lambda n: {"case-studies/peer-researchers.md": _at_licence("extra: " + nested("[", "]", "", n))},
    "yaml nested lists after an anchor": lambda n: {"case-studies/peer-researchers.md": _at_licence("x: &a 1\nextra: " + nested("[", "]", "", n))},
    "yaml nested mappings": lambda n: {"case-studies/peer-researchers.md": _at_licence("extra: " + nested("{a: ", "}", "", n))},
    "yaml compact lists": lambda n: {"case-studies/peer-researchers.md": _at_licence("extra:\n" + "- " * n + "x")},
    "yaml unknown keys": lambda n: {"case-studies/peer-researchers.md": _at_licence("".join(f"k{i}x: 1\n" for i in range(n // 10)))},
    "body nested emphasis": lambda n: {"case-studies/peer-researchers.md": _in_body(nested("*a _b ", " c_ d*", "\n", n // 10))},
    "unknown citations against look-alike references": lambda n: {
        "case-studies/peer-researchers.md": _in_body("\n\n".join(
            " ".join(f"[@Look{i + j:05d}alikx]" for j in range(20)) for i in range(0, n // 20, 20))),
        "references.bib": _bib("".join(f"@misc{{Look{i:05d}alike, title = {{T}}, author = {{A, B}}, year = {{2020}}}}\n"
                                       for i in range(n // 20)))},
    "bib braces": lambda n: {"references.bib": _bib("@misc{Brace, title = {" + "{" * n + "}" * n + "}}")},
    "bib entries": lambda n: {"references.bib": _bib("".join(f"@misc{{K{i}, title = {{T}}}}\n" for i in range(n // 10)))},
    "bib latex commands": lambda n: {"references.bib": _bib("@misc{Cmd, title = {" + "\\textless{}" * (n // 10) + "}}")},
    "bib macros": lambda n: {"references.bib": _bib("".join(f"@string{{m{i} = {{x}}}}\n" for i in range(n // 10)))},
}


@pytest.mark.parametrize("shape", GROWTH)
def test_time_grows_linearly_with_what_a_mutation_repeats(evidence: Path, shape: str) -> None:
    """The same shape at 2,000 and at 32,000 units: 16 times the input may take at most 64
    times as long (with half a second of slack for small times); a quadratic check takes
    256 times. A hang bound with room, not a speed test."""
    build = GROWTH[shape]
    originals = {name: (evidence / name).read_text(encoding="utf-8") for name in build(1)}

    def seconds(count: int) -> float:
        files = build(count)
        for name, text in files.items():
            (evidence / name).write_text(text, encoding="utf-8")
        best = float("inf")
        for _ in range(2):
            report = Report()
            start = time.process_time()
            load_evidence(evidence, report, workers=1)
            best = min(best, time.process_time() - start)
            _no_internal_error(report)
        return best

    try:
        small, large = seconds(2_000), seconds(32_000)
    finally:
        for name, text in originals.items():
            (evidence / name).write_text(text, encoding="utf-8")
    assert large <= 64 * small + 0.5, f"{shape}: {small:.3f} s at 2,000 units, {large:.3f} s at 32,000"
