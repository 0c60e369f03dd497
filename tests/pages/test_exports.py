"""/data/: the open data files and the codebook generated from the schemas."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from helpers import INJECTION, ROOT, check_golden, make_export_evidence
from pybtex.database import Entry, Person, parse_string

from coprod.checks.library import load as load_library
from coprod.cite.csl import entry_to_csl, person_to_csl
from coprod.cite.latex import latex_text as decode_latex
from coprod.model import Library
from coprod.model.fieldmap import computed_fields
from coprod.pages.exports import CASE_STUDIES_CSV, data_files, data_page, guard
from coprod.read import strictyaml
from coprod.read.fields import field_name
from coprod.read.problems import Report

GOLDEN = ROOT / "tests" / "golden" / "exports"
CSL_SCHEMA = GOLDEN / "csl-data.schema.json"  # the CSL project's schema, copied (MIT)






@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> Library:
    report = Report()
    loaded = load_library(make_export_evidence(tmp_path_factory.mktemp("exports")), report)
    assert loaded is not None
    errors = [p for p in report.problems if p.severity == "error"]
    assert not errors, errors
    return loaded


@pytest.fixture(scope="module")
def files(evidence: Library) -> dict[str, bytes]:
    return {page.uri: page.content for page in data_files(evidence)}


def test_file_list(files: dict[str, bytes]) -> None:
    assert list(files) == [
        "data/case-studies.json", "data/case-studies.csv", "data/claims.json", "data/references.bib",
        "data/references.json", "data/taxonomy.json", "data/schema/case-study.record.schema.json",
        "data/schema/case-study.schema.json", "data/schema/claim.record.schema.json",
        "data/schema/claim.schema.json", "data/schema/common.schema.json", "data/schema/taxonomy.schema.json",
        "data/datapackage.json",
    ]
    assert all(isinstance(content, bytes) for content in files.values())


@pytest.mark.parametrize("name", ["case-studies.json", "claims.json", "references.bib", "references.json",
                                  "datapackage.json"])
def test_golden_files(files: dict[str, bytes], name: str) -> None:
    check_golden(GOLDEN / name, files[f"data/{name}"].decode("utf-8"))


def test_golden_csv(files: dict[str, bytes]) -> None:
    text = files[CASE_STUDIES_CSV].decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    check_golden(GOLDEN / "case-studies.csv", text.replace("\r\n", "\n"))


def test_golden_data_page(evidence: Library) -> None:
    page = data_page(evidence)
    assert page.uri == "data/index.md" and page.title == "Open data"
    check_golden(GOLDEN / "data-page.md", page.content)


def test_deterministic(evidence: Library, tmp_path: Path) -> None:
    again = load_library(make_export_evidence(tmp_path), Report())
    assert again is not None
    first = [(p.uri, p.content) for p in data_files(evidence)] + [(data_page(evidence).uri, data_page(evidence).content)]
    second = [(p.uri, p.content) for p in data_files(again)] + [(data_page(again).uri, data_page(again).content)]
    assert first == second


def test_json_is_utf8_indented_with_trailing_newline(files: dict[str, bytes]) -> None:
    for uri in ("data/case-studies.json", "data/claims.json", "data/references.json", "data/taxonomy.json"):
        text = files[uri].decode("utf-8")
        assert text.endswith(("}\n", "]\n"))
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert "Müller" in files["data/references.json"].decode("utf-8")


# ---------------------------------------------------------------------------------------
# Records

@pytest.mark.parametrize(("kind", "uri"), [("case-study", "data/case-studies.json"), ("claim", "data/claims.json")])
def test_records_validate_against_their_schema(evidence: Library, files: dict[str, bytes], kind: str,
                                               uri: str) -> None:
    document = json.loads(files[uri])
    records = document["records"]
    assert document["count"] == len(records) == len(evidence.published(kind))
    assert [r["id"] for r in records] == sorted(r["id"] for r in records)
    for record in records:
        assert record.pop("url").endswith(f"/{record['id']}/")
        assert isinstance(record.pop("body"), str)
        for name, notes in computed_fields(evidence.schemas[kind]).items():  # worked out, not front matter
            assert record.pop(name) in evidence.taxonomy[notes["x-vocabulary"]].terms
        errors = list(evidence.schemas[kind].validator.iter_errors(record))
        assert not errors, errors


def test_drafts_excluded_retracted_included(evidence: Library, files: dict[str, bytes]) -> None:
    assert evidence.case_studies["draft-study"].status == "draft"
    records = {r["id"]: r for r in json.loads(files["data/case-studies.json"])["records"]}
    assert set(records) == {"learning-disability-panel", "peer-researchers", "retracted-study"}
    retracted = records["retracted-study"]
    assert retracted["status"] == "retracted"
    assert retracted["retraction"] == {"date": "2026-04-01", "reason": "The case study mixed up two different projects."}
    assert retracted["url"] == "/case-studies/retracted-study/"
    assert retracted["body"] == "The panel is described in a book [@Muller2019voices] and a chapter [@Lee2020chapter]."
    for content in files.values():
        assert b"draft-study" not in content


def test_record_keys_follow_the_schema(evidence: Library, files: dict[str, bytes]) -> None:
    record = json.loads(files["data/case-studies.json"])["records"][0]
    order = list(evidence.schemas["case-study"].schema["properties"])
    keys = [key for key in record if key not in ("outcome_rating", "gripp2_reporting", "url", "body")]
    assert keys == sorted(keys, key=order.index)
    assert list(record)[-4:] == ["outcome_rating", "gripp2_reporting", "url", "body"]


# ---------------------------------------------------------------------------------------
# CSV

def read_csv(files: dict[str, bytes]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[CASE_STUDIES_CSV].decode("utf-8"), newline="")))


def test_csv_one_row_per_case_study(evidence: Library, files: dict[str, bytes]) -> None:
    rows = read_csv(files)
    assert [row["id"] for row in rows] == sorted(r.id for r in evidence.published("case-study"))
    peer = next(row for row in rows if row["id"] == "peer-researchers")
    assert peer["project.name"] == "Community health peer research"
    assert peer["principles.principle"] == "sharing-power; reciprocity"
    assert peer["outcomes.area"] == "research-conduct; benefits-to-contributors"
    assert peer["outcomes.evidence"] == "author-reflection; participant-reported"
    assert peer["settings"] == "public-health; mental-health"
    assert peer["project.start_year"] == "2019"
    assert peer["url"] == "/case-studies/peer-researchers/"
    retracted = next(row for row in rows if row["id"] == "retracted-study")
    assert retracted["outcomes.sources"] == "Muller2019voices, Lee2020chapter"
    assert retracted["retraction.reason"] == "The case study mixed up two different projects."


def test_a_new_schema_field_appears_everywhere(tmp_path: Path) -> None:
    folder = make_export_evidence(tmp_path)
    path = folder / "schema" / "case-study.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["project"]["properties"]["ethics_body"] = {
        "type": "string", "description": "Who approved the ethics of the project."}
    path.write_text(json.dumps(schema), encoding="utf-8")
    evidence = load_library(folder, Report())
    assert evidence is not None
    files = {page.uri: page.content for page in data_files(evidence)}
    header = next(csv.reader(io.StringIO(files[CASE_STUDIES_CSV].decode("utf-8"))))
    assert header[header.index("project.url") + 1] == "project.ethics_body"
    assert table_rows(data_page(evidence).content, "case-study")["project.ethics_body"][1:3] == ["text", "no"]


def test_csv_injection_guard(files: dict[str, bytes]) -> None:
    retracted = next(row for row in read_csv(files) if row["id"] == "retracted-study")
    assert retracted["title"] == "'" + INJECTION
    for row in read_csv(files):
        assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in row.values())


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_guard(text: str) -> None:
    assert guard(text) == "'" + text
    assert guard("a" + text) == "a" + text


# ---------------------------------------------------------------------------------------
# References, vocabularies, schemas

def test_references_bib_round_trips(evidence: Library, files: dict[str, bytes]) -> None:
    parsed = parse_string(files["data/references.bib"].decode("utf-8"), "bibtex")
    assert sorted(parsed.entries) == sorted(evidence.bibliography.entries)
    for key, entry in parsed.entries.items():
        original = evidence.bibliography.entries[key]
        assert dict(entry.fields) == dict(original.fields)
        assert {role: [str(p) for p in people] for role, people in entry.persons.items()} == \
               {role: [str(p) for p in people] for role, people in original.persons.items()}


def test_references_json_is_csl(evidence: Library, files: dict[str, bytes]) -> None:
    items = json.loads(files["data/references.json"])
    jsonschema.Draft7Validator(json.loads(CSL_SCHEMA.read_text(encoding="utf-8"))).validate(items)
    assert [item["id"] for item in items] == sorted(evidence.bibliography.entries)
    for item in items:
        assert item["type"] and item["title"]
        fields = evidence.bibliography.entries[item["id"]].fields
        if "year" in fields:
            assert item["issued"]["date-parts"][0][0] == int(fields["year"])
        else:  # an undated web page (the groups terms' sources include several): no date is made up
            assert "issued" not in item


def test_csl_items(evidence: Library) -> None:
    entries = evidence.bibliography.entries
    book = entry_to_csl("Muller2019voices", entries["Muller2019voices"])
    assert book["type"] == "book"
    assert book["title"] == "Voices in Research: a guide"
    assert book["author"] == [{"family": "Müller", "given": "Jörg"},
                              {"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"},
                              {"family": "Smith", "given": "John", "suffix": "Jr."}]
    assert book["issued"] == {"date-parts": [[2019, 3]]}
    assert book["publisher"] == "Example Press" and book["publisher-place"] == "London"
    chapter = entry_to_csl("Lee2020chapter", entries["Lee2020chapter"])
    assert chapter["type"] == "chapter" and chapter["container-title"] == "Handbook of Involvement"
    assert chapter["page"] == "10-25" and chapter["editor"] == [{"family": "Ng", "given": "Ada"}]
    report = entry_to_csl("Hickey2018guidance", entries["Hickey2018guidance"])
    assert report["type"] == "report" and report["publisher"] == "INVOLVE"
    assert report["author"][0] == {"family": "Hickey", "given": "Gary"} and len(report["author"]) == 3
    corporate = entry_to_csl("PARTNERS22020exploring", entries["PARTNERS22020exploring"])
    assert corporate["author"] == [{"literal": "The PARTNERS2 writing collective"}]
    assert corporate["type"] == "article-journal" and corporate["DOI"] == "10.1186/s40900-020-00224-3"
    assert entry_to_csl("Example2021peer", entries["Example2021peer"])["type"] == "webpage"


@pytest.mark.parametrize(("latex", "text"), [
    (r"Caf{\'e} na{\"\i}ve", "Café naïve"),
    (r"{\"O}sterreich \& Co", "Österreich & Co"),
    (r"\textit{Nature}  50\% of {PPI}", "Nature 50% of PPI"),
    ("already Ünicode", "already Ünicode"),
])
def test_decode_latex(latex: str, text: str) -> None:
    assert decode_latex(latex) == text


def test_person_to_csl_literal_and_others() -> None:
    assert person_to_csl(Person("{World Health Organization}")) == {"literal": "World Health Organization"}
    assert person_to_csl(Person("others")) is None


def test_taxonomy_json_is_the_taxonomy(evidence: Library, files: dict[str, bytes]) -> None:
    data = json.loads(files["data/taxonomy.json"])
    evidence.schemas["taxonomy"].validator.validate(data)
    source = strictyaml.load((evidence.root / "taxonomy.yml").read_text(encoding="utf-8")).data
    assert data == source


@pytest.mark.parametrize("uri", ["data/case-studies.json", "data/claims.json"])
def test_records_validate_as_published_against_the_schema_their_file_names(files: dict[str, bytes], uri: str) -> None:
    """Issue 21: a reuser validates each record, url and body included, with nothing but
    the published schemas (their $refs resolved among themselves)."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    schemas = [json.loads(content) for name, content in files.items() if name.startswith("data/schema/")]
    registry = Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in schemas)
    document = json.loads(files[uri])
    named = json.loads(files["data/" + document["schema"]])
    validator = Draft202012Validator(named, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert document["records"]
    for record in document["records"]:
        assert "url" in record and "body" in record
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(record)]
        assert not errors, (record["id"], errors)
    broken = dict(document["records"][0], unknown_field=1)
    assert list(validator.iter_errors(broken)), "the schema still refuses a field it does not describe"


def test_schemas_are_copied_byte_for_byte(evidence: Library, files: dict[str, bytes]) -> None:
    for path in (evidence.root / "schema").glob("*.schema.json"):
        assert files[f"data/schema/{path.name}"] == path.read_bytes()


# ---------------------------------------------------------------------------------------
# The codebook

def table_rows(content: str, heading_id: str) -> dict[str, list[str]]:
    """The rows of the first table after the heading ``heading_id``, each cell's HTML, by
    their (unescaped) first cell."""
    section = content.split(f' id="{heading_id}">', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>\n(.*?)</tr>", section, re.DOTALL):
        cells = re.findall(r"<td>(.*?)</td>", row)
        if cells:
            rows[html.unescape(cells[0])] = cells
    return rows


@pytest.mark.parametrize(("kind", "heading"), [("case-study", "case-study"), ("claim", "business-case-claim")])
def test_every_schema_field_is_in_the_codebook(evidence: Library, kind: str, heading: str) -> None:
    rows = table_rows(data_page(evidence).content, heading)
    fields = evidence.schemas[kind].fields()
    computed = list(computed_fields(evidence.schemas[kind]))  # then the worked-out fields
    assert list(rows) == [field_name(pattern) for pattern, _ in fields] + computed
    for pattern, node in fields:
        if node.get("description"):
            assert rows[field_name(pattern)][4], pattern


def test_codebook_details(evidence: Library) -> None:
    rows = table_rows(data_page(evidence).content, "case-study")
    assert rows["principles[].principle"][3] == 'keys of <a href="../principles/">Principles</a>'
    assert rows["status"][3] == "one of: published, draft, retracted"
    assert rows["retraction"][2] == "if status is retracted"
    assert rows["project.start_year"][1:3] == ["whole number", "no"]
    assert rows["published"][1] == "date (YYYY-MM-DD)"
    claims = table_rows(data_page(evidence).content, "business-case-claim")
    assert '<a href="taxonomy.json">taxonomy.json</a>' in claims["strength"][3]


def test_data_page_links_every_file(evidence: Library, files: dict[str, bytes]) -> None:
    content = data_page(evidence).content
    for uri in files:
        assert f'<a href="{uri.removeprefix("data/")}">' in content
    assert '<a href="https://spdx.org/licenses/CC-BY-SA-4.0.html">CC-BY-SA-4.0</a>: 1 case study' in content


@pytest.mark.parametrize(("bibtex", "fields", "csl"), [
    ("article", {"journal": "J"}, "article-journal"),
    ("techreport", {}, "report"),
    ("misc", {}, "document"),
    ("misc", {"url": "https://example.org/"}, "webpage"),
    ("unpublished", {}, "manuscript"),
    ("unpublished", {"url": "https://example.org/"}, "webpage"),
    ("inproceedings", {}, "paper-conference"),
    ("phdthesis", {}, "thesis"),
    ("inbook", {}, "chapter"),
])
def test_csl_types(bibtex: str, fields: dict[str, str], csl: str) -> None:
    assert entry_to_csl("k", Entry(bibtex, fields={"title": "T", **fields}))["type"] == csl
