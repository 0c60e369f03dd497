"""BibTeX entries (as pybtex reads them) to CSL-JSON items, the format reference managers
and citeproc read (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html).

LaTeX in text fields is decoded to Unicode by the pages' own decoder
(:func:`coprod.cite.latex.latex_text`), so a title reads the same on the page, in CSL-JSON,
in the JSON-LD and in every cite file (a bare ``%`` included); DOIs and URLs
are copied as they are. A name in double braces (``{{The PARTNERS2 writing collective}}``,
read by pybtex as one braced last name) is a corporate author and becomes ``{"literal": ...}``.
BibTeX's ``and others`` has no CSL-JSON form: the validator asks for every name instead
(:meth:`coprod.checks.reference_fields._Fields.check_others`). ``howpublished`` (or a report's
``type``) is the item's ``genre``, which styles show as a description ("[Blog post]").
"""

from __future__ import annotations

import re
from typing import Any

from pybtex.database import Entry, Person

from .latex import latex_text
from .names import Name, month_number

# BibTeX/BibLaTeX entry type -> CSL type; anything else is a "document". A misc or
# unpublished entry with a url is a "webpage".
TYPES = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "manual": "report",
    "techreport": "report",
    "report": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "unpublished": "manuscript",
    "misc": "document",
    "online": "webpage",
    "webpage": "webpage",
    "electronic": "webpage",
    "dataset": "dataset",
    "software": "software",
}
GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
# Text fields copied (decoded) under their CSL names, in output order.
TEXT_FIELDS = (
    ("title", "title"),
    ("edition", "edition"),
    ("volume", "volume"),
    ("series", "collection-title"),
    ("address", "publisher-place"),
    ("isbn", "ISBN"),
    ("issn", "ISSN"),
    ("note", "note"),
    ("language", "language"),
)
# Fields outside coprod.cite.bibtex.PUBLISHED_FIELDS (abstract, keywords, file, ...) never
# reach here: they are set aside when the .bib file is read.
# Fields copied exactly (identifiers, not prose).
VERBATIM_FIELDS = (("doi", "DOI"), ("url", "URL"))


def entry_to_csl(key: str, entry: Entry) -> dict[str, Any]:
    """One CSL-JSON item for the BibTeX ``entry`` with ``key``."""
    kind = entry.type.lower()
    fields = {name.lower(): value for name, value in entry.fields.items()}
    item: dict[str, Any] = {"id": key, "type": _csl_type(kind, fields)}
    genre = _first(fields, ("type", "howpublished")) or GENRES.get(kind, "")
    if genre:
        item["genre"] = genre  # what the page shows as a description: "[Blog post]", "[Report of ...]"
    for role in ("author", "editor"):
        names = [name for person in entry.persons.get(role, []) if (name := person_to_csl(person))]
        if names:
            item[role] = names
    for bibtex, csl in TEXT_FIELDS:
        if fields.get(bibtex):
            item[csl] = latex_text(fields[bibtex])
    container = _first(fields, ("journal", "journaltitle", "booktitle"))
    if container:
        item["container-title"] = container
    number = fields.get("number")
    if number:
        item["issue" if kind == "article" else "number"] = latex_text(number)
    if fields.get("pages"):
        item["page"] = _pages(fields["pages"])
    publisher = _first(fields, ("publisher", "institution", "school", "organization"))
    if publisher:
        item["publisher"] = publisher
    issued = _issued(fields)
    if issued:
        item["issued"] = issued
    for bibtex, csl in VERBATIM_FIELDS:
        if fields.get(bibtex):
            item[csl] = fields[bibtex].strip()
    return item


def bibliography_to_csl(entries: dict[str, Entry]) -> list[dict[str, Any]]:
    """CSL-JSON items for ``entries``, sorted by key."""
    return [entry_to_csl(key, entries[key]) for key in sorted(entries)]


def person_to_csl(person: Person) -> dict[str, str] | None:
    """``{"family", "given", ...}``, ``{"literal"}`` for a corporate name, or None for "others"."""
    name = Name.from_person(person)
    return None if name.others else name.csl()


def _csl_type(kind: str, fields: dict[str, str]) -> str:
    if kind in ("misc", "unpublished") and fields.get("url"):
        return "webpage"  # in this library, an undated news item or page online
    if kind == "article" and not fields.get("journal"):
        return "article"
    return TYPES.get(kind, "document")


def _first(fields: dict[str, str], names: tuple[str, ...]) -> str:
    return next((latex_text(fields[name]) for name in names if fields.get(name)), "")


def _pages(pages: str) -> str:
    return re.sub(r"\s*-+\s*", "-", latex_text(pages.replace("--", "-")))


def _issued(fields: dict[str, str]) -> dict[str, Any] | None:
    year = latex_text(fields.get("year", ""))
    if not year:
        return None
    if not year.isdigit():
        return {"literal": year}
    parts = [int(year)]
    month = _month(fields.get("month", ""))
    if month:
        parts.append(month)
        day = latex_text(fields.get("day", "")).strip()
        if day.isdigit() and 1 <= int(day) <= 31:
            parts.append(int(day))
    return {"date-parts": [parts]}


def _month(value: str) -> int | None:
    return month_number(latex_text(value))
