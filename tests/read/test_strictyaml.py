"""The strict YAML reader: its fast path agrees with its thorough path, and no input raises."""

from __future__ import annotations

import string

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from coprod.read import strictyaml
from coprod.read.problems import Report
from coprod.read.source import SourceFile, parse_front_matter

SAMPLES = [
    "a: 1\nb: NO\nc:\n  - x\n  - y: 2\n    z: 2024-02-30\n",
    "a: 1\na: 2\n",
    "1: x\n",
    "? [a]\n: b\nc: d\n",
    "<<: {a: 1}\nb: 2\n",
    "a:\n  b:\n    c: 1\n  d: [1, 2, {e: f}]\n",
    "t: 'quoted: yes'\nu: \"NO\"\nv: |\n  block\n  text\nw: >-\n  folded\n  text\n",
    "empty:\nnull_value: null\ntilde: ~\nfloat: 1.5\nhex: 0x1F\nsexagesimal: 1:30\n",
]


def as_tuple(doc: strictyaml.Document):
    return doc.data, doc.lines, doc.plain, [(p.line, p.path, p.message, p.hint) for p in doc.problems]


def test_fast_and_thorough_paths_agree_on_samples() -> None:
    for text in SAMPLES:
        fast = strictyaml._load_nodes(text)
        assert fast is not None, text
        assert as_tuple(fast) == as_tuple(strictyaml._load_events(text)), text


def test_properties_take_the_thorough_path() -> None:
    doc = strictyaml.load("a: &x 1\nb: *x\nc: !!python/object:os.system x\n")
    messages = [p.message for p in doc.problems]
    assert messages == [
        "YAML anchor '&x' is not allowed",
        "YAML alias '*x' is not allowed",
        "YAML tag '!!python/object:os.system' is not allowed",
    ]


def test_ampersand_in_prose_is_not_an_anchor() -> None:
    doc = strictyaml.load("title: Patients & carers in R&D\n")
    assert doc.problems == []
    assert doc.data == {"title": "Patients & carers in R&D"}


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    text = "a: " + "[" * 200 + "]" * 200 + "\n"
    doc = strictyaml.load(text)
    assert any("nested more than" in p.message for p in doc.problems)


def test_billion_laughs_is_refused_without_expanding() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    doc = strictyaml.load("\n".join(lines) + "\n")
    assert len(doc.problems) >= 10
    assert any("YAML alias '*a'" in p.message for p in doc.problems)


yaml_texts = st.text(alphabet=string.printable + "äé€\t", max_size=300)


@settings(max_examples=300, deadline=None)
@given(yaml_texts)
def test_random_text_never_raises(text: str) -> None:
    strictyaml.load(text)


plain_values = st.one_of(
    st.integers(-1000, 1000).map(str), st.sampled_from(["NO", "yes", "on", "~", "null", "1.0", "2024-02-30", "x: y"]),
    st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=12).map(str.strip).filter(bool),
)


@st.composite
def front_matter(draw) -> str:
    keys = draw(st.lists(st.sampled_from(["id", "title", "status", "version", "settings", "project", "x"]),
                         min_size=1, max_size=6))
    lines = []
    for key in keys:
        if draw(st.booleans()):
            lines.append(f"{key}: {draw(plain_values)}")
        else:
            lines.append(f"{key}:")
            for _ in range(draw(st.integers(0, 3))):
                lines.append(f"  - {draw(plain_values)}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(front_matter(), st.integers(0, 200), st.sampled_from(["", "\t", "&", "*", "!", ":", "---", "\ufeff", "\x00", "{", "'"]))
def test_mutated_front_matter_never_raises(text: str, position: int, insert: str) -> None:
    position = min(position, len(text))
    mutated = "---\n" + text[:position] + insert + text[position:] + "---\nBody [@key].\n"
    source = SourceFile("case.md")
    parse_front_matter(mutated, source, Report())
    if "&" not in insert and "*" not in insert and "!" not in insert:
        fast = strictyaml._load_nodes(text)
        if fast is not None:
            assert as_tuple(fast) == as_tuple(strictyaml._load_events(text))


MISPLACED = [
    ("title: x\n  summary: y\nstatus: z\n", 2,
     ("the key 'summary' is out of line with the keys above it: it is indented further than 'title', which already "
     "has a value"), "move 'summary' to the start of the line, like 'title'"),
    ("project:\n  name: P\n countries: [UK]\nsettings: [a]\n", 3,
     "the key 'countries' is out of line with the keys above it: it is indented 1 space, which matches no key above it",
     "indent 'countries' by 2 spaces to go with 'name', or move it to the start of the line to go with 'project'"),
    ("involved:\n  - role: a\n     number: 6\n", 3,
     ("the key 'number' is out of line with the keys above it: it is indented further than 'role', which already has "
     "a value"), "indent 'number' by 4 spaces, like 'role'"),
    ("project:\n  name: P\n  countries:\n  - UK\n funders: [x]\n", 5,
     "the key 'funders' is out of line with the keys above it: it is indented 1 space, which matches no key above it",
     "indent 'funders' by 2 spaces to go with 'countries', or move it to the start of the line to go with 'project'"),
]


def test_a_misplaced_key_is_named_at_its_own_line() -> None:
    for text, line, message, hint in MISPLACED:
        problems = [(p.line, p.message, p.hint) for p in strictyaml.load(text).problems]
        assert problems == [(line, f"YAML syntax error: {message}", hint)], text


def test_a_colon_in_a_value_still_says_to_quote_it() -> None:
    for text in ("title: Co-production: a kind revolution\n", "title: x\nsummary: Tenants: they ran it\n",
                 "notes: |\n  text\n    more: text\nx: y: z\n"):
        problems = strictyaml.load(text).problems
        assert [p.hint for p in problems] == ["a value containing ': ' must be in quotes"], (text, problems)


def test_the_misplaced_key_check_is_linear_in_the_text() -> None:
    """A syntax error after 20,000 keys is explained from one pass over the lines above it."""
    import time

    text = "".join(f"k{i}: v\n" for i in range(20_000)) + "  late: x\n"
    start = time.process_time()
    problems = strictyaml.load(text).problems
    assert [p.line for p in problems] == [20_001]
    assert "the key 'late' is out of line" in problems[0].message
    assert time.process_time() - start < 30  # a hang bound, not a speed test


@pytest.mark.parametrize("value", [
    "", "~", "null", "Null", "NULL", "yes", "No", "on", "OFF", "y", "true", "False", "1", "-1", "+12", "0x1F",
    "0o17", "017", "1_000", "0b101", "190:20:30", "1.5", "-.5", ".inf", "-.Inf", ".NaN", "6.8523015e+5", "1e3",
    "2020-01-01", "2001-12-14t21:59:43.10-05:00", "<<", "=", "text", "Working researchers", "- not a list", ":",
])
def test_the_node_parser_resolves_as_pyyaml(value: str) -> None:
    """The fast path's shortcut through tag resolution gives every scalar the tag PyYAML's
    own resolver gives it, plain or quoted, and collections their default tags."""
    reference = yaml.resolver.Resolver()
    parser = strictyaml._NodeParser("")
    try:
        for implicit in ((True, False), (False, True), (False, False)):
            assert parser.resolve(yaml.ScalarNode, value, implicit) == reference.resolve(yaml.ScalarNode, value, implicit)
        for kind in (yaml.SequenceNode, yaml.MappingNode):
            assert parser.resolve(kind, None, True) == reference.resolve(kind, None, True)
    finally:
        parser.dispose()
