"""The schemas: every field described, and the compiled first pass never more lenient
than jsonschema."""

from __future__ import annotations

import copy
from pathlib import Path

import fastjsonschema
from helpers import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from coprod.read.problems import Report
from coprod.read.schema import load_schemas
from coprod.read.source import read_source

SCHEMAS = load_schemas(ROOT / "evidence" / "schema")
RECORDS = sorted((ROOT / "evidence").glob("*/*.md")) + sorted((ROOT / "tests").rglob("golden/evidence/**/*.md"))


def kind_of(path: Path) -> str:
    return "claim" if path.parent.name == "claims" else "case-study"


def fast_says_valid(kind: str, data) -> bool:
    try:
        SCHEMAS[kind]._fast(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def test_every_field_has_a_description() -> None:
    for kind, schema in SCHEMAS.items():
        for pattern, node in schema.fields():
            if pattern[-1] == "*":
                continue  # an item of a list is described by the list
            assert node.get("description"), f"{kind}: {'.'.join(map(str, pattern))} has no description"


def test_unknown_fields_are_rejected_everywhere() -> None:
    """Every object rejects unknown fields, but the taxonomy's top level: any name there is a
    vocabulary (each checked as one), and the check that a field of the schemas uses it is
    tests/test_new_vocabulary.py's, so that a new vocabulary is written in two files only."""
    for kind, schema in SCHEMAS.items():
        for pattern, node in [((), schema.resolve_root()), *schema.fields()]:
            if node.get("type") != "object":
                continue
            if kind == "taxonomy" and pattern == ():
                assert node["additionalProperties"]["$ref"] == "#/$defs/vocabulary"
                continue
            assert node.get("additionalProperties") is False, f"{kind}: {pattern} accepts unknown fields"


def test_fast_pass_agrees_on_every_real_and_golden_record() -> None:
    assert SCHEMAS["case-study"]._fast is not None and SCHEMAS["claim"]._fast is not None
    checked = 0
    for path in RECORDS:
        source = read_source(path, str(path), Report())
        if not source.readable:
            continue
        kind = kind_of(path)
        slow_valid = SCHEMAS[kind].validator.is_valid(source.data)
        assert fast_says_valid(kind, source.data) == slow_valid, path
        checked += 1
    assert checked > 50


BASE = read_source(ROOT / "tests" / "fixtures" / "evidence" / "case-studies" / "peer-researchers.md", "x",
                   Report()).data
odd_values = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000), st.floats(allow_nan=False),
                       st.text(max_size=30), st.sampled_from(["2024-02-30", "2024-02-29", "1.0", "x", "", "published"]),
                       st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=5), st.text(max_size=5),
                                                                                 max_size=2))


def paths_of(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths_of(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from paths_of(value, prefix + (index,))


ALL_PATHS = [p for p in paths_of(BASE) if p]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(ALL_PATHS), odd_values, st.booleans()), min_size=1, max_size=3))
def test_fast_pass_is_never_more_lenient(mutations) -> None:
    data = copy.deepcopy(BASE)
    for path, value, delete in mutations:
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            if delete and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    if fast_says_valid("case-study", data):
        assert SCHEMAS["case-study"].validator.is_valid(data), data


def test_the_compiled_pass_is_made_only_once_enough_files_were_checked(monkeypatch) -> None:
    """A build that checks a few files (a warm one checks only the taxonomy) never compiles
    the fast pass; past COMPILE_AFTER files of a kind it is compiled once and used, and a
    file it rejects is still explained by jsonschema."""
    from coprod.read import schema as schema_module

    compiled: list[dict] = []
    compile_fast = schema_module._compile_fast

    def counting(inlined):
        compiled.append(inlined)
        return compile_fast(inlined)

    monkeypatch.setattr(schema_module, "_compile_fast", counting)
    schemas = load_schemas(ROOT / "evidence" / "schema")
    case_study = schemas["case-study"]
    source = read_source(ROOT / "tests" / "fixtures" / "evidence" / "case-studies" / "peer-researchers.md", "x",
                         Report())
    for _ in range(schema_module.COMPILE_AFTER):
        assert case_study.check(source, Report())
    assert compiled == []
    assert case_study.check(source, Report()) and case_study.check(source, Report())
    assert len(compiled) == 1
    broken = copy.copy(source)
    broken.data = {**source.data, "status": "publshed"}
    report = Report()
    assert not case_study.check(broken, report)
    assert [problem.field for problem in report.errors] == ["status"]
