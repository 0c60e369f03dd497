"""The one field describer: the field reference, the codebook, the form and the CSV's Table
Schema say the same about every field, and all of it comes from the schema."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from helpers import make_evidence

from coprod.checks.library import load as load_library
from coprod.model import Library
from coprod.model.fieldmap import computed_fields
from coprod.pages import contribute, exports
from coprod.read.fields import Field, describe, every_field
from coprod.read.problems import Report
from coprod.read.schema import TYPE_NAMES
from coprod.read.source import read_source


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> Library:
    loaded = load_library(make_evidence(tmp_path_factory.mktemp("fields")), Report())
    assert loaded is not None
    return loaded


def table(content: str, heading_id: str, columns: int) -> dict[str, list[str]]:
    """The rows of the first table after the heading ``heading_id`` of a page made as HTML
    (the field reference, the open-data page), each cell's HTML unescaped, by the field name
    in the first cell (its code tags taken off)."""
    section = content.split(f' id="{heading_id}">', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>\n(.*?)</tr>", section, re.DOTALL):
        cells = [html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", row)]
        if cells:
            assert len(cells) == columns, row
            rows[cells[0].removeprefix("<code>").removesuffix("</code>")] = cells
    return rows


def form_fields(fields: list[dict]) -> dict[str, dict]:
    found = {}
    for f in fields:
        found[f["path"]] = f
        found.update(form_fields(f.get("fields", [])))
    return found


@pytest.mark.parametrize("kind", ["case-study", "claim"])
def test_the_describer_has_every_field_in_schema_order(evidence: Library, kind: str) -> None:
    schema = evidence.schemas[kind]
    assert [f.pattern for f in every_field(schema)] == [pattern for pattern, _ in schema.fields()]
    assert [f.key for f in describe(schema)] == list(schema.resolve_root()["properties"])


def test_required_is_read_from_the_schema(evidence: Library) -> None:
    fields = {f.name: f for f in every_field(evidence.schemas["case-study"])}
    expected = {
        "id": "yes", "aliases": "no", "project": "yes", "project.name": "yes", "project.start_year": "no",
        "retraction": "if status is retracted",  # allOf: if/then
        "retraction.date": "yes",  # required wherever there is a retraction
        "involved[]": "yes",  # the list needs at least one item
        "changes[]": "no",  # an empty list of changes is valid
        "involved[].name": "no",
        "involved[].consent_reference": "if name is given",  # dependentRequired
        "outcomes[].sources": "yes",
    }
    assert {name: fields[name].required_text for name in expected} == expected
    claim = {f.name: f for f in every_field(evidence.schemas["claim"])}
    assert claim["supporting"].required_text == "yes"
    assert claim["retraction"].required_text == "if status is retracted"


def test_the_reference_the_codebook_and_the_form_agree_on_every_field(evidence: Library) -> None:
    reference = contribute.fields_page(evidence).content
    book = exports.data_page(evidence).content
    form = form_fields(contribute.form_model(evidence)["fields"])
    for kind, ref_heading, book_heading in (("case-study", "case-study", "case-study"),
                                            ("claim", "claim", "business-case-claim")):
        in_reference = table(reference, ref_heading, 3)
        in_codebook = table(book, book_heading, 5)
        fields = every_field(evidence.schemas[kind])
        computed = list(computed_fields(evidence.schemas[kind]))  # worked out: in the codebook, not to write
        assert list(in_reference) == [f.name for f in fields]
        assert list(in_codebook) == [f.name for f in fields] + computed
        for f in fields:
            assert in_reference[f.name][1] == f.required_text, f.name
            assert in_codebook[f.name][2] == f.required_text, f.name
            assert in_codebook[f.name][1] == f.type_name, f.name
            if kind == "case-study" and f.name in form:
                assert form[f.name]["required"] is f.required, f.name
    # every case-study field but the items of lists (whose fields the form repeats) is in the form
    assert {f.name for f in every_field(evidence.schemas["case-study"]) if f.key != "*"} <= set(form)


def test_one_table_of_type_names_serves_the_pages_and_the_messages(evidence: Library, tmp_path: Path) -> None:
    fields = {f.name: f for f in every_field(evidence.schemas["case-study"])}
    assert fields["project.start_year"].type_name == TYPE_NAMES["integer"].name == "whole number"
    assert fields["settings"].type_name == "list of " + TYPE_NAMES["string"].plural
    assert fields["published"].type_name == TYPE_NAMES["date"].name
    assert fields["project"].type_name == TYPE_NAMES["object"].name
    assert fields["involved"].type_name == "list of " + TYPE_NAMES["object"].plural
    # the validator says the same type in its message
    case = tmp_path / "case.md"
    original = (Path(evidence.root) / "case-studies" / "peer-researchers.md").read_text(encoding="utf-8")
    case.write_text(original.replace("start_year: 2019", "start_year: soon"), encoding="utf-8")
    assert "start_year: soon" in case.read_text(encoding="utf-8")
    report = Report()
    evidence.schemas["case-study"].check(read_source(case, str(case), report), report)
    messages = [p.message for p in report.problems]
    assert f"expected {TYPE_NAMES['integer'].phrase}, found text" in messages, messages


def test_a_field_added_to_the_schema_only_is_described_everywhere(tmp_path: Path) -> None:
    folder = make_evidence(tmp_path)
    path = folder / "schema" / "case-study.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    project = schema["properties"]["project"]
    project["properties"]["ethics_body"] = {"type": "string", "maxLength": 200,
                                            "description": "Who approved the ethics of the project."}
    project["properties"]["ethics_setting"] = {"type": "string", "x-vocabulary": "settings",
                                               "description": "The setting the ethics approval was for."}
    project["dependentRequired"] = {"ethics_body": ["ethics_setting"]}
    path.write_text(json.dumps(schema), encoding="utf-8")
    evidence = load_library(folder, Report())
    assert evidence is not None

    reference = table(contribute.fields_page(evidence).content, "case-study", 3)
    assert reference["project.ethics_body"][1:] == ["no", "Who approved the ethics of the project. At most 200 characters."]
    assert reference["project.ethics_setting"][1] == "if ethics_body is given"
    assert "<code>mental-health</code>" in reference["project.ethics_setting"][2]
    book = table(exports.data_page(evidence).content, "case-study", 5)
    assert book["project.ethics_setting"][1:4] == ["text", "if ethics_body is given",
                                                   'keys of <a href="../settings/">Settings</a>']
    form = form_fields(contribute.form_model(evidence)["fields"])
    assert form["project.ethics_setting"]["kind"] == "term" and form["project.ethics_setting"]["required"] is False
    assert form["project.ethics_body"]["maxLength"] == 200
    package = json.loads(next(p.content for p in exports.data_files(evidence) if p.uri == exports.DATA_PACKAGE))
    columns = {c["name"]: c for c in package["resources"][1]["schema"]["fields"]}
    assert columns["project.ethics_setting"]["constraints"]["enum"] == list(evidence.taxonomy["settings"].keys())
    assert columns["project.ethics_body"]["description"] == "Who approved the ethics of the project."


def test_an_item_of_a_list_is_required_only_when_the_list_needs_one() -> None:
    item = Field(("changes", "*"), "object", "", False)
    assert item.name == "changes[]" and item.required_text == "no"
    assert Field(("a",), "string", "", False, ("b is given", "c is x")).required_text == "if b is given or c is x"
