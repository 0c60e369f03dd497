"""``/data/``: the library as open data, with a codebook generated from the schemas.

:func:`data_files` makes the files (JSON and CSV of the records, the references as BibTeX
and CSL-JSON, the vocabularies, the schemas themselves) and :func:`data_page` the page that
lists them and describes every field. Only published and retracted records are exported:
drafts never leave the repository. Everything is generated from the schemas, so a new
field appears in the JSON, the CSV and the codebook without a change here, and the same
evidence always gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from ..cite.bibtex import write_bibtex
from ..cite.csl import bibliography_to_csl
from ..model import Library, Record
from ..read.schema import SCHEMA_FILES, WILDCARD, Schema
from ..render.text import md_escape
from . import Page, urls

CASE_STUDIES_JSON = "data/case-studies.json"
CASE_STUDIES_CSV = "data/case-studies.csv"
CLAIMS_JSON = "data/claims.json"
REFERENCES_BIB = "data/references.bib"
REFERENCES_JSON = "data/references.json"
TAXONOMY_JSON = "data/taxonomy.json"
SCHEMA_FOLDER = "data/schema"

RECORD_FILES = {"case-study": CASE_STUDIES_JSON, "claim": CLAIMS_JSON}
RECORD_URLS: dict[str, Callable[[str], str]] = {"case-study": urls.case_study, "claim": urls.claim}
RECORD_NAMES = {"case-study": ("case study", "case studies"), "claim": ("claim", "claims")}
DEFAULT_LICENCE = "CC-BY-4.0"
LIST_SEPARATOR = "; "
INNER_SEPARATOR = ", "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP: cells a spreadsheet may run as a formula
EXTRA_COLUMNS = ("url",)


# ---------------------------------------------------------------------------------------
# The files.

def data_files(evidence: Library) -> list[Page]:
    """Every file of ``/data/``, as UTF-8 bytes."""
    pages = [
        _file(CASE_STUDIES_JSON, records_json(evidence, "case-study")),
        _file(CASE_STUDIES_CSV, case_studies_csv(evidence)),
        _file(CLAIMS_JSON, records_json(evidence, "claim")),
        _file(REFERENCES_BIB, references_bib(evidence)),
        _file(REFERENCES_JSON, _json_bytes(bibliography_to_csl(evidence.bibliography.entries))),
        _file(TAXONOMY_JSON, taxonomy_json(evidence)),
    ]
    pages += [_file(f"{SCHEMA_FOLDER}/{name}", content) for name, content in schema_files(evidence)]
    return pages


def _file(uri: str, content: bytes) -> Page:
    return Page(uri, content, title=uri.rsplit("/", 1)[-1])


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def exported(evidence: Library, kind: str) -> list[Record]:
    """The records that leave the repository: published and retracted, sorted by id."""
    return sorted(evidence.published(kind), key=lambda record: record.id)


def record_url(kind: str, record_id: str) -> str:
    """A record's public address, relative to the site's root (``/case-studies/<id>/``)."""
    return urls.address(RECORD_URLS[kind](record_id))


def default_licence(schema: Schema) -> str:
    return (schema.field_schema(("licence",)) or {}).get("default", DEFAULT_LICENCE)


def record_object(schema: Schema, record: Record) -> dict[str, Any]:
    """A record's front matter in schema order, with its ``url`` and Markdown ``body``."""
    data = ordered(schema, dict(record.front_matter), ())
    data["url"] = record_url(record.kind, record.id)
    data["body"] = record.body.strip("\n")
    return data


def ordered(schema: Schema, value: Any, pattern: tuple) -> Any:
    """``value`` with the keys of every mapping in the order the schema lists them
    (any unknown key after them, sorted)."""
    if isinstance(value, list):
        return [ordered(schema, item, pattern + (WILDCARD,)) for item in value]
    if not isinstance(value, dict):
        return value
    known = list((schema.field_schema(pattern) or {}).get("properties", {}))
    keys = [k for k in known if k in value] + sorted(k for k in value if k not in known)
    return {key: ordered(schema, value[key], pattern + (key,)) for key in keys
            if not is_private(schema, pattern + (key,))}


def is_private(schema: Schema, pattern: tuple) -> bool:
    """Fields marked ``x-private`` in the schema stay in the repository (consent records)."""
    return bool((schema.field_schema(pattern) or {}).get("x-private"))


def records_json(evidence: Library, kind: str) -> bytes:
    schema = evidence.schemas[kind]
    records = [record_object(schema, record) for record in exported(evidence, kind)]
    document = {
        "title": schema.schema.get("title", kind),
        "schema": f"schema/{SCHEMA_FILES[kind]}",
        "default_licence": default_licence(schema),
        "count": len(records),
        "records": records,
    }
    return _json_bytes(document)


def references_bib(evidence: Library) -> bytes:
    """The checked entries only, sorted by key, written again by pybtex."""
    entries = evidence.bibliography.entries
    if not entries:
        return b""
    return write_bibtex({key: entries[key] for key in sorted(entries)}).encode("utf-8")


def taxonomy_json(evidence: Library) -> bytes:
    """The vocabularies as in taxonomy.yml (so they validate against its schema)."""
    schema = evidence.schemas["taxonomy"]
    vocabularies = {}
    for name, vocabulary in evidence.taxonomy.vocabularies.items():
        terms = [_term_object(term) for term in vocabulary.terms.values()]
        raw = {"title": vocabulary.title, "description": vocabulary.description, "terms": terms}
        vocabularies[name] = ordered(schema, raw, (name,))
    return _json_bytes(vocabularies)


def _term_object(term: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"key": term.key, "label": term.label, "definition": term.definition,
                            "source": term.source}
    optional = {"note": term.note, "symbol": term.symbol, "requires": term.requires}
    data.update({key: value for key, value in optional.items() if value})
    return data


def schema_files(evidence: Library) -> list[tuple[str, bytes]]:
    """Every ``*.schema.json`` of the evidence folder, byte for byte, by name."""
    folder = evidence.root / "schema"
    return [(path.name, path.read_bytes()) for path in sorted(folder.glob("*.schema.json"))]


# ---------------------------------------------------------------------------------------
# The CSV of case studies.

def csv_columns(schema: Schema) -> list[tuple[str, tuple]]:
    """(column name, field pattern) for every field that holds a value or a plain list."""
    return [(column_name(pattern), pattern) for pattern, node in schema.fields()
            if _is_leaf(schema, pattern, node) and not node.get("x-private")]


def column_name(pattern: tuple) -> str:
    """``('outcomes', '*', 'area')`` -> ``outcomes.area``."""
    return ".".join(part for part in pattern if part != WILDCARD)


def _is_leaf(schema: Schema, pattern: tuple, node: dict) -> bool:
    if node.get("type") == "object" or "properties" in node:
        return False
    if node.get("type") == "array":
        items = schema.field_schema(pattern + (WILDCARD,)) or {}
        return items.get("type") != "object" and "properties" not in items
    return True


def cell(data: dict, pattern: tuple) -> str:
    """The text of one CSV cell: a value, or a list's items joined with '; '. A field of
    each item of a list has one place per item (empty where an item lacks it), so the
    values line up with the items' other columns."""
    if WILDCARD not in pattern:
        value = _get(data, pattern)
        return LIST_SEPARATOR.join(_scalar(v) for v in value) if isinstance(value, list) else _scalar(value)
    index = pattern.index(WILDCARD)
    items = _get(data, pattern[:index])
    if not isinstance(items, list):
        return ""
    values = [_scalar(_get(item, pattern[index + 1:])) for item in items]
    return LIST_SEPARATOR.join(values) if any(values) else ""


def _get(data: Any, pattern: tuple) -> Any:
    """The value at ``pattern`` (a list of values under a further wildcard), None if missing."""
    for position, part in enumerate(pattern):
        if part == WILDCARD:
            return [_get(item, pattern[position + 1:]) for item in data] if isinstance(data, list) else None
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _scalar(value: Any) -> str:
    if isinstance(value, list):
        return INNER_SEPARATOR.join(_scalar(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def guard(text: str) -> str:
    """A leading ' on a cell a spreadsheet could read as a formula (CSV injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def case_studies_csv(evidence: Library) -> bytes:
    """One row per exported case study, one column per field (RFC 4180, CRLF, UTF-8)."""
    columns = csv_columns(evidence.schemas["case-study"])
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([guard(name) for name, _ in columns] + list(EXTRA_COLUMNS))
    for record in exported(evidence, "case-study"):
        row = [cell(dict(record.front_matter), pattern) for _, pattern in columns] + [record_url(record.kind, record.id)]
        writer.writerow([guard(value) for value in row])
    return buffer.getvalue().encode("utf-8")


# ---------------------------------------------------------------------------------------
# The page: what the files are, their licence, and the codebook.

def data_page(evidence: Library) -> Page:
    parts = [
        "# Open data\n",
        _INTRO,
        _licence_section(evidence),
        _files_section(evidence),
        _FORMATS,
        _taxonomy_section(evidence),
        "## Codebook\n",
        ("Every field of the records, from their schemas. *Required* means the field is always there "
        "when the part it belongs to is there. A field name with `[]` is a field of each item of a list.\n"),
    ]
    parts += [_codebook(evidence, kind) for kind in RECORD_FILES]
    return Page(urls.DATA, "\n".join(parts), title="Open data")


def _link(text: str, data_uri: str) -> str:
    return f"[{text}]({urls.rel(urls.DATA, data_uri)})"


_INTRO = """\
What this library publishes is open data. The files below are made from the same evidence
as the pages of this site, each time the site is built, so they always match it. They hold
the published case studies and claims of the business case, the references they are
written from and the vocabularies they use. Drafts are not included. Retracted records are
included, with their `retraction` (its date and reason), so anyone who used them can see
what changed.
"""


def _licence_section(evidence: Library) -> str:
    default = default_licence(evidence.schemas["case-study"])
    counts: dict[str, Counter[str]] = {}
    for kind in RECORD_FILES:
        for record in exported(evidence, kind):
            licence = record.front_matter.get("licence", default)
            counts.setdefault(str(licence), Counter())[kind] += 1
    lines = [
        "## Licence\n",
        ("Each case study and claim is published under the licence in its `licence` field (an "
        f"[SPDX](https://spdx.org/licenses/) identifier). The library's default is {md_escape(default)}. "
        "When you reuse a record, credit the Co-production Evidence Library and link to the record's `url`. "
        "The references describe published works; the works themselves keep their own licences.\n"),
    ]
    if counts:
        lines.append("The records published now use:\n")
        lines += [f"- [{md_escape(licence)}](https://spdx.org/licenses/{_spdx_path(licence)}.html): "
                  f"{_count_text(counts[licence])}" for licence in sorted(counts)]
        lines.append("")
    return "\n".join(lines)


def _spdx_path(licence: str) -> str:
    return "".join(ch for ch in licence if ch.isalnum() or ch in ".-+")


def _count_text(counts: Counter[str]) -> str:
    return ", ".join(_plural(counts[kind], kind) for kind in RECORD_FILES if counts[kind])


def _plural(number: int, kind: str) -> str:
    one, many = RECORD_NAMES[kind]
    return f"{number} {one if number == 1 else many}"


def _files_section(evidence: Library) -> str:
    cases = len(exported(evidence, "case-study"))
    claims = len(exported(evidence, "claim"))
    references = len(evidence.bibliography.entries)
    rows = [
        (CASE_STUDIES_JSON, f"The {_plural(cases, 'case-study')} (published and retracted): every field and the text", "JSON"),
        (CASE_STUDIES_CSV, "The same case studies, one row each, for spreadsheets (without the text)", "CSV"),
        (CLAIMS_JSON, f"The {_plural(claims, 'claim')} of the business case (published and retracted): every field and the text", "JSON"),
        (REFERENCES_BIB, f"The {references} reference{'' if references == 1 else 's'} of the library's bibliography", "BibTeX"),
        (REFERENCES_JSON, "The same references, for reference managers", "CSL-JSON"),
        (TAXONOMY_JSON, "The vocabularies: each term's key, label, definition and source", "JSON"),
    ]
    for name, content in schema_files(evidence):
        title = _schema_title(content, name)
        rows.append((f"{SCHEMA_FOLDER}/{name}", f"JSON Schema: {md_escape(title)}", "JSON Schema"))
    lines = ["## Files\n", "| File | What it holds | Format |", "| --- | --- | --- |"]
    lines += [f"| {_link(md_escape(uri.removeprefix('data/')), uri)} | {text} | {kind} |" for uri, text, kind in rows]
    return "\n".join(lines) + "\n"


def _schema_title(content: bytes, name: str) -> str:
    try:
        title = json.loads(content).get("title")
    except (ValueError, AttributeError):
        title = None
    return title if isinstance(title, str) else name


_FORMATS = f"""\
## How the files are laid out

All files are UTF-8. The records are sorted by `id` and the references by key.

### JSON

`case-studies.json` and `claims.json` each hold one object:

- `title`: what the records are;
- `schema`: the JSON Schema the records follow, relative to this folder;
- `default_licence`: the licence of a record that does not name one;
- `count`: the number of records;
- `records`: the records. Each has the fields described in the codebook below, named and
  nested as there, in the same order, and two more: `url`, the address of its page on this
  site (from the site's root), and `body`, its text in Markdown, where a citation is written
  `[@key]` with a key of `references.bib`.

Each record validates against its schema once `url` and `body` are taken out.

### CSV

`case-studies.csv` has one row per case study and a first row of column names. Values are
separated by commas and quoted as in RFC 4180; lines end with CR LF. There is no byte order
mark.

- A column is named after its field, with the parts joined by a dot (`project.name`).
- A list is one cell, its items joined by `{LIST_SEPARATOR.strip()}` and a space. A field of each item
  of a list (`outcomes[].area`) is one column (`outcomes.area`), with one value per item in the
  list's order; where an item does not give the field, its place is left empty (`6; `), so the
  values line up with the items. A list inside an item (`outcomes[].sources`) is joined by `{INNER_SEPARATOR.strip()}`
  and a space within its item. Some texts contain `;` themselves: for the exact structure,
  use the JSON.
- An empty cell means the field is not given.
- The last column, `url`, is the address of the case study's page. The text of the case
  study is only in the JSON.
- So that a spreadsheet cannot run a cell as a formula, a cell that starts with `=`, `+`, `-`,
  `@`, a tab or a carriage return starts with an extra `'` (as OWASP advises against CSV
  injection). Remove it when you read the values with a program.

### References

`references.bib` holds the entries of the library's bibliography that passed its checks,
written out again in BibTeX. `references.json` holds the same references in CSL-JSON, with
LaTeX turned into plain text. The keys are the `id`s there, the keys in `[@key]` citations
and in the records' `sources`.
"""


def _taxonomy_section(evidence: Library) -> str:
    lines = [
        "### Vocabularies\n",
        ("`taxonomy.json` holds the vocabularies of `evidence/taxonomy.yml`, by name, each with its "
        "`title`, `description` and `terms` (in the site's order), and validates against "
        "`schema/taxonomy.schema.json`. Records use the terms' keys. These vocabularies have a page "
        "for each term:\n"),
    ]
    lines += [f"- {md_escape(name)}: `{urls.address(urls.term_in(folder, 'KEY'))}`"
              for name, folder in evidence.fields.folders.items()]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------
# The codebook of one record type.

def _codebook(evidence: Library, kind: str) -> str:
    schema = evidence.schemas[kind]
    title = md_escape(schema.schema.get("title", kind))
    schema_uri = f"{SCHEMA_FOLDER}/{SCHEMA_FILES[kind]}"
    lines = [
        f"### {title}\n",
        (f"The fields of each record in {_link(RECORD_FILES[kind].removeprefix('data/'), RECORD_FILES[kind])}, "
        f"from {_link(SCHEMA_FILES[kind], schema_uri)}.\n"),
        "| Field | Type | Required | Allowed values | Description |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [_field_row(evidence, schema, pattern, node) for pattern, node in schema.fields()]
    if kind == "case-study":
        columns = [name for name, _ in csv_columns(schema)] + list(EXTRA_COLUMNS)
        lines += ["", f"The columns of {_link('case-studies.csv', CASE_STUDIES_CSV)}, in order: "
                  + ", ".join(md_escape(name) for name in columns) + "."]
    return "\n".join(lines) + "\n"


def field_name(pattern: tuple) -> str:
    """``('outcomes', '*', 'area')`` -> ``outcomes[].area``."""
    name = ""
    for part in pattern:
        name += "[]" if part == WILDCARD else (f".{part}" if name else part)
    return name


def _field_row(evidence: Library, schema: Schema, pattern: tuple, node: dict) -> str:
    cells = [
        md_escape(field_name(pattern)),
        type_name(schema, pattern, node),
        _required(schema, pattern),
        "; ".join(_allowed(evidence, schema, pattern, node)),
        md_escape(node.get("description") or _item_description(pattern)),
    ]
    return "| " + " | ".join(cells) + " |"


def _item_description(pattern: tuple) -> str:
    return f"One item of {field_name(pattern[:-1])}." if pattern[-1] == WILDCARD else ""


_TYPE_NAMES = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true or false",
               "null": "nothing", "object": "group of fields"}
_FORMAT_NAMES = {"date": "date (YYYY-MM-DD)", "uri": "web address", "email": "e-mail address"}


def type_name(schema: Schema, pattern: tuple, node: dict) -> str:
    kind = node.get("type")
    if kind == "array":
        items = schema.field_schema(pattern + (WILDCARD,)) or {}
        return "list of " + _single_type(items).replace("group of fields", "groups of fields")
    return _single_type(node)


def _single_type(node: dict) -> str:
    kind = node.get("type")
    if kind == "string" and node.get("format") in _FORMAT_NAMES:
        return _FORMAT_NAMES[node["format"]]
    if isinstance(kind, list):
        return " or ".join(_TYPE_NAMES.get(k, md_escape(k)) for k in kind)
    if kind == "array":
        return "list"
    return _TYPE_NAMES.get(kind, "any value") if kind is None or isinstance(kind, str) else "any value"


def _required(schema: Schema, pattern: tuple) -> str:
    parent = schema.field_schema(pattern[:-1]) or {}
    name = pattern[-1]
    if name == WILDCARD or name in parent.get("required", []):
        return "yes"
    conditions = [_condition(rule.get("if", {})) for rule in parent.get("allOf", [])
                  if name in rule.get("then", {}).get("required", [])]
    conditions = [c for c in conditions if c]
    return "if " + " or ".join(conditions) if conditions else "no"


def _condition(rule: dict) -> str:
    tests = [f"{md_escape(name)} is {md_escape(test['const'])}" for name, test in rule.get("properties", {}).items()
             if isinstance(test, dict) and "const" in test]
    return " and ".join(tests)


def _allowed(evidence: Library, schema: Schema, pattern: tuple, node: dict) -> list[str]:
    target = (schema.field_schema(pattern + (WILDCARD,)) or {}) if node.get("type") == "array" else node
    allowed = []
    vocabulary = target.get("x-vocabulary")
    if vocabulary:
        allowed.append(_vocabulary_text(evidence, vocabulary))
    if "enum" in target:
        allowed.append("one of: " + ", ".join(md_escape(value) for value in target["enum"]))
    reference = target.get("x-reference")
    if reference == "bibtex":
        allowed.append(f"keys in {_link('references.bib', REFERENCES_BIB)}")
    elif reference == "case-study":
        allowed.append(f"ids in {_link('case-studies.json', CASE_STUDIES_JSON)}")
    allowed += _limits(node, target)
    return allowed


def _vocabulary_text(evidence: Library, name: str) -> str:
    vocabulary = evidence.taxonomy.get(name)
    title = md_escape(vocabulary.title if vocabulary else name)
    page = evidence.vocabulary_page(name)
    if page:
        return f"keys of [{title}]({urls.rel(urls.DATA, page)})"
    return f"keys of {title} ({md_escape(name)} in {_link('taxonomy.json', TAXONOMY_JSON)})"


def _limits(node: dict, target: dict) -> list[str]:
    limits = []
    if "minItems" in node and node.get("type") == "array":
        limits.append(f"at least {node['minItems']} item{'' if node['minItems'] == 1 else 's'}")
    if node.get("uniqueItems"):
        limits.append("no repeats")
    limits += _range(target.get("minLength"), target.get("maxLength"), " characters")
    limits += _range(target.get("minimum"), target.get("maximum"), "")
    return limits


def _range(low: Any, high: Any, unit: str) -> Iterable[str]:
    if low is not None and high is not None:
        return [f"{low} to {high}{unit}"]
    if low is not None:
        return [f"at least {low}{unit}"]
    if high is not None:
        return [f"at most {high}{unit}"]
    return []
