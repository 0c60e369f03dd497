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
import hashlib
import io
import json
import re
from collections import Counter
from typing import Any, NamedTuple

from markupsafe import Markup

from ..cite.bibtex import write_bibtex
from ..cite.csl import bibliography_to_csl
from ..model import Library, Record
from ..model.fieldmap import computed_fields
from ..read import urls
from ..read.fields import REQUIRED_NOTE, Field, every_field, example_text, field_name
from ..read.kinds import CASE_STUDY, CLAIM, DEFAULT_LICENCE, KINDS
from ..read.schema import SCHEMA_FILES, WILDCARD, Schema
from ..read.words import counted
from ..render import markup, templates
from . import Page, html_page
from .catalogue import CATALOGUE_DATA

CASE_STUDIES_JSON = "data/case-studies.json"
CASE_STUDIES_CSV = "data/case-studies.csv"
CLAIMS_JSON = "data/claims.json"
REFERENCES_BIB = "data/references.bib"
REFERENCES_JSON = "data/references.json"
TAXONOMY_JSON = "data/taxonomy.json"
SCHEMA_FOLDER = "data/schema"
DATA_PACKAGE = "data/datapackage.json"

RECORD_FILES = {CASE_STUDY.key: CASE_STUDIES_JSON, CLAIM.key: CLAIMS_JSON}
LIST_SEPARATOR = "; "
INNER_SEPARATOR = ", "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP: cells a spreadsheet may run as a formula
EXTRA_COLUMNS = ("url",)


# ---------------------------------------------------------------------------------------
# The files.

def data_files(evidence: Library) -> list[Page]:
    """Every file of ``/data/``, as UTF-8 bytes."""
    pages = [
        _file(CASE_STUDIES_JSON, records_json(evidence, CASE_STUDY.key)),
        _file(CASE_STUDIES_CSV, case_studies_csv(evidence)),
        _file(CLAIMS_JSON, records_json(evidence, CLAIM.key)),
        _file(REFERENCES_BIB, references_bib(evidence)),
        _file(REFERENCES_JSON, _json_bytes(bibliography_to_csl(evidence.bibliography.entries))),
        _file(TAXONOMY_JSON, taxonomy_json(evidence)),
    ]
    pages += [_file(f"{SCHEMA_FOLDER}/{name}", content) for name, content in schema_files(evidence)]
    pages.append(_file(DATA_PACKAGE, datapackage(evidence, pages)))
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
    return urls.address(urls.RECORD_ADDRESS[kind](record_id))


def default_licence(schema: Schema) -> str:
    return (schema.field_schema(("licence",)) or {}).get("default", DEFAULT_LICENCE)


def record_object(schema: Schema, record: Record) -> dict[str, Any]:
    """A record's front matter in schema order, with its ``url`` and Markdown ``body``."""
    data = ordered(schema, dict(record.front_matter), ())
    for name in computed_fields(schema):  # worked out from the record (the outcome rating, GRIPP2 reporting)
        data[name] = getattr(record, "computed", {}).get(name, "")
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


RECORD_KINDS = tuple(KINDS)  # the kinds exported as records (case-studies.json, claims.json)


def record_schema_name(kind: str) -> str:
    """``case-study.schema.json`` -> ``case-study.record.schema.json``: the schema of an exported record."""
    return SCHEMA_FILES[kind].removesuffix(".schema.json") + ".record.schema.json"


def record_schema(evidence: Library, kind: str) -> bytes:
    """The JSON Schema of one record as ``/data/`` publishes it: the evidence's schema of its
    front matter (same fields, same ``$ref``s to the schemas beside it) with the fields the
    export adds: the worked-out ``x-computed`` fields, ``url`` and ``body``. So every exported record validates against the
    schema its file names."""
    name = SCHEMA_FILES[kind]
    data = json.loads((evidence.root / "schema" / name).read_bytes())
    if isinstance(data.get("$id"), str):
        data["$id"] = data["$id"].removesuffix(name) + record_schema_name(kind)
    data["title"] = f"{data.get('title', kind)}, as published in /data/"
    data["description"] = (f"One record of /data/: the front matter described by {name}, without its private "
                           "fields, with the values worked out from it (x-computed), its page's address (url) and its "
                           "Markdown text (body).")
    properties = data.setdefault("properties", {})
    for name, notes in data.get("x-computed", {}).items():  # worked out and exported beside the front matter
        properties[name] = {"type": "string", "description": notes.get("description", "")}
    properties["url"] = {"type": "string", "pattern": "^/", "description": "The address of the record's page on "
                         "this site, from the site's root."}
    properties["body"] = {"type": "string", "description": "The record's text in Markdown; a citation is written "
                          "[@key] with a key of references.bib."}
    return _json_bytes(data)


def records_json(evidence: Library, kind: str) -> bytes:
    schema = evidence.schemas[kind]
    records = [record_object(schema, record) for record in exported(evidence, kind)]
    document = {
        "title": schema.schema.get("title", kind),
        "schema": f"schema/{record_schema_name(kind)}",
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
    optional = {"note": term.note, "symbol": term.symbol, "requires": term.requires, "kinds": list(term.kinds),
                "counts": list(term.counts)}
    data.update({key: value for key, value in optional.items() if value})
    return data


def schema_files(evidence: Library) -> list[tuple[str, bytes]]:
    """Every ``*.schema.json`` of the evidence folder, byte for byte, by name, and the
    schema of each exported record (:func:`record_schema`)."""
    folder = evidence.root / "schema"
    files = [(path.name, path.read_bytes()) for path in folder.glob("*.schema.json")]
    files += [(record_schema_name(kind), record_schema(evidence, kind)) for kind in RECORD_KINDS]
    return sorted(files)


# ---------------------------------------------------------------------------------------
# The CSV of case studies.

def csv_columns(schema: Schema) -> list[tuple[str, Field]]:
    """(column name, field) for every field that holds a value or a plain list."""
    return [(column_name(f.pattern), f) for f in every_field(schema) if is_column(f)]


def is_column(f: Field) -> bool:
    """A value or a list of values (not a group, nor a list of groups), and not private."""
    return not f.is_group and not (f.is_list and f.values.is_group) and not f.private


def column_name(pattern: tuple) -> str:
    """``('outcomes', '*', 'area')`` -> ``outcomes.area``."""
    return ".".join(part for part in pattern if part != WILDCARD)


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
    columns = csv_columns(evidence.schemas[CASE_STUDY.key])
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    computed = list(computed_fields(evidence.schemas[CASE_STUDY.key]))
    writer.writerow([guard(name) for name, _ in columns] + computed + list(EXTRA_COLUMNS))
    for record in exported(evidence, CASE_STUDY.key):
        row = ([cell(dict(record.front_matter), f.pattern) for _, f in columns]
               + [record.computed.get(name, "") for name in computed] + [record_url(record.kind, record.id)])
        writer.writerow([guard(value) for value in row])
    return buffer.getvalue().encode("utf-8")


# ---------------------------------------------------------------------------------------
# The Frictionless Data Package: datapackage.json describes every file and the CSV's columns.

PACKAGE_NAME = "coproduction-evidence-library"
PACKAGE_TITLE = "Co-production Evidence Library: open data"
PACKAGE_KEYWORDS = ("co-production", "coproduction", "patient and public involvement", "health research",
                    "social care research", "case studies", "evidence")
TABLE_TYPES = {"integer": "integer", "number": "number", "boolean": "boolean"}  # and text: string (or date)
TABLE_FORMATS = {"date": ("date", None), "uri": ("string", "uri"), "email": ("string", "email")}


def datapackage(evidence: Library, files: list[Page]) -> bytes:
    """``datapackage.json`` (Frictionless Data Package 1.0) for ``files``: each file with
    its description, format, size and SHA-256, and the CSV with a Table Schema made from the
    case-study schema. Deterministic: no dates, nothing from outside the evidence."""
    content = {page.uri: page.content for page in files}
    licence = default_licence(evidence.schemas[CASE_STUDY.key])
    resources = [_resource(evidence, described, content.get(described.uri)) for described in described_files(evidence)]
    package = {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": " ".join(INTRO.split()),
        "keywords": list(PACKAGE_KEYWORDS),
        "licenses": [{"name": licence, "path": f"https://spdx.org/licenses/{_spdx_path(licence)}.html",
                      "title": f"{licence}, the library's default; each record names its own licence "
                               "in its licence field"}],
        "resources": resources,
    }
    return _json_bytes(package)


def _resource(evidence: Library, described: DataFile, content: bytes | None) -> dict[str, Any]:
    """One file as a Data Resource; with its size and hash unless it is made elsewhere
    (``catalogue.json``, by the catalogue's pages)."""
    path = described.uri.removeprefix("data/")
    resource: dict[str, Any] = {
        "name": "".join(ch if ch.isalnum() else "-" for ch in path.lower()),
        "path": path,
        "profile": "tabular-data-resource" if described.uri == CASE_STUDIES_CSV else "data-resource",
        # said outright: frictionless would take a file named *.schema.json for a Table Schema
        "type": "table" if described.uri == CASE_STUDIES_CSV else ("json" if described.format == "json" else "file"),
        "title": path,
        "description": described.description + ".",
        "format": described.format,
        "mediatype": described.mediatype,
        "encoding": "utf-8",
    }
    if content is not None:
        resource.update({"bytes": len(content), "hash": "sha256:" + hashlib.sha256(content).hexdigest()})
    if described.uri == CASE_STUDIES_CSV:
        resource["description"] += " " + CSV_NOTE
        resource["dialect"] = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True,
                               "header": True}
        resource["schema"] = table_schema(evidence)
    return resource


CSV_NOTE = (f"A list is one cell, its items joined by '{LIST_SEPARATOR}'; a field of each item of a list is one "
            f"column with one place per item, in order (empty where an item does not give it); a list inside an "
            f"item is joined by '{INNER_SEPARATOR}'. A cell that a spreadsheet could run as a formula (starting "
            "with =, +, -, @, a tab or a carriage return) starts with an extra '.")


def table_schema(evidence: Library) -> dict[str, Any]:
    """The Table Schema of ``case-studies.csv``: a field per column, from the describer."""
    schema = evidence.schemas[CASE_STUDY.key]
    by_pattern = {f.pattern: f for f in every_field(schema)}
    fields = [_table_field(evidence, column, f, by_pattern) for column, f in csv_columns(schema)]
    for name, notes in computed_fields(schema).items():
        keys = _keys_of(evidence, notes.get("x-vocabulary"))
        fields.append({"name": name, "type": "string", "title": name, "description": str(notes.get("description", "")),
                       "constraints": {"required": True, "enum": keys} if keys else {"required": True}})
    fields.append({"name": "url", "type": "string", "title": "url",
                   "description": "The address of the case study's page on this site, from the site's root.",
                   "constraints": {"required": True, "unique": True}})
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}


def _table_field(evidence: Library, column: str, f: Field, by_pattern: dict[tuple, Field]) -> dict[str, Any]:
    lists = f.pattern.count(WILDCARD) + (1 if f.is_list else 0)  # list levels joined into the cell
    out: dict[str, Any] = {"name": column, "type": "string", "title": f.name}
    if lists == 0:
        out["type"] = TABLE_TYPES.get(f.type, "string")
        table_type, table_format = TABLE_FORMATS.get(f.format or "", (out["type"], None))
        out["type"] = table_type
        if table_format:
            out["format"] = table_format
    out["description"] = f.description + (f" {_cell_text(f)}" if lists else "")
    constraints: dict[str, Any] = {}
    chain = [by_pattern.get(f.pattern[:end]) for end in range(1, len(f.pattern) + 1)]
    if all(part is None or part.required for part in chain) and (not f.is_list or (f.min_items or 0) >= 1):
        constraints["required"] = True
    if f.pattern == ("id",):
        constraints["unique"] = True
    keys = _keys(evidence, f.values)
    if keys and lists == 0:
        constraints["enum"] = keys
    elif keys:
        after = chain[f.pattern.index(WILDCARD) + 1:] if WILDCARD in f.pattern else []
        # a place is empty where an item lacks the field (or, inside an item, has an empty list)
        always = all(part is None or part.required for part in after) and (
            WILDCARD not in f.pattern or not f.is_list or (f.min_items or 0) >= 1)
        constraints["pattern"] = _list_pattern(keys, lists, may_be_empty=not always)
    if lists == 0 and f.type in ("integer", "number"):
        constraints.update({k: v for k, v in (("minimum", f.minimum), ("maximum", f.maximum)) if v is not None})
    if constraints:
        out["constraints"] = constraints
    if lists == 0 and f.examples:
        out["example"] = example_text(f)
    return out


def _cell_text(f: Field) -> str:
    if WILDCARD in f.pattern:
        owner = field_name(f.pattern[:f.pattern.index(WILDCARD) + 1])
        inner = f" (each value a list separated by '{INNER_SEPARATOR}')" if f.is_list else ""
        return f"One value for each item of {owner[:-2]}, separated by '{LIST_SEPARATOR}'{inner}."
    return f"A list, its items separated by '{LIST_SEPARATOR}'."


def _keys(evidence: Library, values: Field) -> list[str]:
    """The values a field may take when they are listed: its vocabulary's keys or its enum."""
    if values.vocabulary:
        return _keys_of(evidence, values.vocabulary)
    return [str(value) for value in values.enum]


def _keys_of(evidence: Library, vocabulary_name: object) -> list[str]:
    vocabulary = evidence.taxonomy.get(vocabulary_name) if isinstance(vocabulary_name, str) else None
    return list(vocabulary.keys()) if vocabulary else []


def _list_pattern(keys: list[str], levels: int, may_be_empty: bool) -> str:
    """A regular expression for a cell of ``levels`` joined lists of ``keys``."""
    one = "(?:" + "|".join(re.escape(key) for key in keys) + ")"
    if levels >= 2:
        one = f"{one}(?:{re.escape(INNER_SEPARATOR)}{one})*"
    place = f"(?:{one})?" if may_be_empty else one
    return f"{place}(?:{re.escape(LIST_SEPARATOR)}{place})*"


# ---------------------------------------------------------------------------------------
# The page: what the files are, their licence, and the codebook.

def data_page(evidence: Library) -> Page:
    """/data/ (overrides/partials/coprod/open-data.html): the files, how they are laid out,
    and the codebook of each record type."""
    return html_page(urls.DATA, "open-data.html", "Open data", intro=templates.raw(markup.inline(INTRO.strip())),
                     default_licence=default_licence(evidence.schemas[CASE_STUDY.key]),
                     licences=_licences(evidence), files=_file_rows(evidence),
                     package_href=urls.href(urls.DATA, DATA_PACKAGE),
                     list_separator=LIST_SEPARATOR.strip(), inner_separator=INNER_SEPARATOR.strip(),
                     vocabularies=[{"name": name, "address": urls.address(urls.term_in(folder, "KEY"))}
                                   for name, folder in evidence.fields.folders.items()],
                     required_note=templates.raw(markup.inline(REQUIRED_NOTE)),
                     codebooks=[_codebook(evidence, kind) for kind in RECORD_FILES])


def _link(text: str, data_uri: str) -> Markup:
    """A link from the data page to ``data_uri`` (a docs/ path), ``text`` escaped."""
    return templates.raw(markup.link(urls.href(urls.DATA, data_uri), markup.esc(text)))


INTRO = """\
What this library publishes is open data. The files below are made from the same evidence
as the pages of this site, each time the site is built, so they always match it. They hold
the published case studies and claims of the business case, the references they are
written from and the vocabularies they use. Drafts are not included. Retracted records are
included, with their `retraction` (its date and reason), so anyone who used them can see
what changed.
"""


def _licences(evidence: Library) -> list[dict[str, str]]:
    """Each licence the exported records use, with how many of each kind."""
    default = default_licence(evidence.schemas[CASE_STUDY.key])
    counts: dict[str, Counter[str]] = {}
    for kind in RECORD_FILES:
        for record in exported(evidence, kind):
            licence = record.front_matter.get("licence", default)
            counts.setdefault(str(licence), Counter())[kind] += 1
    return [{"name": licence, "path": _spdx_path(licence), "counts": _count_text(counts[licence])}
            for licence in sorted(counts)]


def _spdx_path(licence: str) -> str:
    return "".join(ch for ch in licence if ch.isalnum() or ch in ".-+")


def _count_text(counts: Counter[str]) -> str:
    return ", ".join(KINDS[kind].counted(counts[kind]) for kind in RECORD_FILES if counts[kind])


class DataFile(NamedTuple):
    """What the data page and the data package say about one file of ``/data/``."""

    uri: str
    description: str  # plain text
    kind: str  # the format, as a reader names it
    format: str  # the file's extension, as a data package names it
    mediatype: str


def described_files(evidence: Library) -> list[DataFile]:
    """Every file of ``/data/`` but the data package itself, in the order of the page's table."""
    cases = len(exported(evidence, CASE_STUDY.key))
    claims = len(exported(evidence, CLAIM.key))
    references = len(evidence.bibliography.entries)
    files = [
        DataFile(CASE_STUDIES_JSON, f"The {CASE_STUDY.counted(cases)} (published and retracted): every field and "
                 "the text", "JSON", "json", "application/json"),
        DataFile(CASE_STUDIES_CSV, "The same case studies, one row each, for spreadsheets (without the text)", "CSV",
                 "csv", "text/csv"),
        DataFile(CLAIMS_JSON, f"The {CLAIM.counted(claims)} of the business case (published and retracted): every "
                 "field and the text", "JSON", "json", "application/json"),
        DataFile(REFERENCES_BIB, f"The {counted(references, 'reference')} of the library's "
                 "bibliography", "BibTeX", "bib", "application/x-bibtex"),
        DataFile(REFERENCES_JSON, "The same references, for reference managers", "CSL-JSON", "json",
                 "application/vnd.citationstyles.csl+json"),
        DataFile(TAXONOMY_JSON, "The vocabularies: each term's key, label, definition and source", "JSON", "json",
                 "application/json"),
    ]
    for name, content in schema_files(evidence):
        files.append(DataFile(f"{SCHEMA_FOLDER}/{name}", f"JSON Schema: {_schema_title(content, name)}", "JSON Schema",
                              "json", "application/schema+json"))
    files.append(DataFile(CATALOGUE_DATA, "What the filters of the case-study catalogue use: each published case "
                          "study's id, title, address and terms. It serves the site and may change; to reuse the "
                          "records, take case-studies.json", "JSON", "json", "application/json"))
    return files


def _file_rows(evidence: Library) -> list[dict[str, str]]:
    """The rows of the page's table of files: every described file, then the data package."""
    rows = [(f.uri, f.description, f.kind) for f in described_files(evidence)]
    rows.append((DATA_PACKAGE, ("A description of every file here and of every column of the CSV, for data tools "
                                "(see below)"), "Frictionless Data Package"))
    return [{"href": urls.href(urls.DATA, uri), "name": uri.removeprefix("data/"), "description": text, "kind": kind}
            for uri, text, kind in rows]


def _schema_title(content: bytes, name: str) -> str:
    try:
        title = json.loads(content).get("title")
    except (ValueError, AttributeError):
        title = None
    return title if isinstance(title, str) else name


# ---------------------------------------------------------------------------------------
# The codebook of one record type.

def _codebook(evidence: Library, kind: str) -> dict:
    """What the codebook of one record type shows (open-data.html): a row for every field of
    its schema, then the worked-out fields; for case studies, the CSV's columns in order."""
    schema = evidence.schemas[kind]
    rows = [{"name": f.name, "type": f.type_name, "required": f.required_text, "allowed": _allowed(evidence, f),
             "description": f.description} for f in every_field(schema)]
    for name, notes in computed_fields(schema).items():  # worked out, in the JSON and the CSV only
        vocabulary = notes.get("x-vocabulary")
        rows.append({"name": name, "type": "text, worked out", "required": "yes",
                     "allowed": [_vocabulary_text(evidence, vocabulary)] if isinstance(vocabulary, str) else [],
                     "description": str(notes.get("description", ""))})
    columns = []
    if kind == CASE_STUDY.key:
        columns = [name for name, _ in csv_columns(schema)] + list(computed_fields(schema)) + list(EXTRA_COLUMNS)
    return {"title": schema.schema.get("title", kind), "rows": rows, "columns": columns,
            "records_href": urls.href(urls.DATA, RECORD_FILES[kind]), "records_name": RECORD_FILES[kind].removeprefix("data/"),
            "schema_href": urls.href(urls.DATA, f"{SCHEMA_FOLDER}/{SCHEMA_FILES[kind]}"), "schema_name": SCHEMA_FILES[kind],
            "csv_href": urls.href(urls.DATA, CASE_STUDIES_CSV), "csv_name": "case-studies.csv"}


def _allowed(evidence: Library, f: Field) -> list[str | Markup]:
    """What a field may hold, in parts the page joins with "; " (links as HTML)."""
    values = f.values
    allowed = [_vocabulary_text(evidence, values.vocabulary)] if values.vocabulary else []
    if values.reference == "bibtex":
        allowed.append(templates.raw(f"keys in {_link('references.bib', REFERENCES_BIB)}"))
    elif values.reference == CASE_STUDY.key:
        allowed.append(templates.raw(f"ids in {_link('case-studies.json', CASE_STUDIES_JSON)}"))
    return allowed + list(f.allowed)


def _vocabulary_text(evidence: Library, name: str) -> Markup:
    """"keys of <the vocabulary's page>", or where it has none, of its list in taxonomy.json (HTML)."""
    vocabulary = evidence.taxonomy.get(name)
    title = markup.esc(vocabulary.title if vocabulary else name)
    page = evidence.vocabulary_page(name)
    if page:
        return templates.raw(f"keys of {markup.link(urls.href(urls.DATA, page), title)}")
    return templates.raw(f"keys of {title} ({markup.esc(name)} in {_link('taxonomy.json', TAXONOMY_JSON)})")
