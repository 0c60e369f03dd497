"""'Cite this page': what a citation of one page says (:class:`Citable`), the page as one
CSL-JSON item (:func:`citable_item`, which a CSL processor renders in each style of the
cite box, see :mod:`coprod.cite.processor`), and the files reference managers import
(BibTeX, RIS, CSL-JSON), written from the same facts. The reader's access date is not
known at build time: the styles that print one show :data:`ACCESSED`, which the page's
script replaces with today's date (and which stays readable without JavaScript); no file
carries it.

What a reader copies must be exactly one record with the text as written, whatever a
contributor typed: every value is made one line first (:func:`one_line`: control and
invisible characters, see :mod:`coprod.read.controls`, become spaces; the validator rejects them
anyway), then each writer escapes for its own format: BibTeX writes braces, backslashes and
its special characters as LaTeX commands, so a value can never close its field, and protects
names so they cannot split into more people; RIS values, being one line, cannot start a tag;
CSL-JSON is written by :mod:`json`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import quote

from ..read.controls import CONTROL_CHARACTERS
from ..read.kinds import DEFAULT_LICENCE
from .names import Name

LIBRARY = "Co-production Evidence Library"
ACCESSED = "[date accessed]"


@dataclass(frozen=True)
class Citable:
    """What a citation of one page needs."""

    uri: str  # the page's path under docs/
    key: str  # a citation key, e.g. "coprod-partners2-mental-health"
    title: str
    url: str  # absolute
    kind: str  # "case study", "claim", "page"
    published: str  # YYYY-MM-DD
    updated: str = ""
    version: str = ""
    authors: tuple[str, ...] = ()  # "Family, Given" or an organisation; empty: the library
    description: str = ""
    licence: str = DEFAULT_LICENCE
    keywords: tuple[str, ...] = ()
    references: tuple[dict, ...] = field(default=(), compare=False)  # CSL-JSON items it cites
    pdf: str = ""  # the absolute address of the page as a PDF, if it has one

    @property
    def date(self) -> str:
        """The date a citation gives: of this version."""
        return self.updated or self.published

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def people(self) -> tuple[str, ...]:
        return self.authors or (LIBRARY,)

    @property
    def names(self) -> tuple[Name, ...]:
        """:attr:`people` as names: each "Family, Given" split once, here."""
        return tuple(Name.parse(person) for person in self.people)


def one_line(text: str) -> str:
    """``text`` with every control or invisible character (line breaks included) replaced by
    a space and runs of spaces made one: the only form any citation format can carry safely."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())


def clean(c: Citable) -> Citable:
    """The citable with every text value made one line (see :func:`one_line`)."""
    return replace(c, key=one_line(c.key), title=one_line(c.title), url=one_line(c.url),
                   published=one_line(c.published), updated=one_line(c.updated), version=one_line(c.version),
                   authors=tuple(one_line(a) for a in c.authors), description=one_line(c.description),
                   licence=one_line(c.licence), keywords=tuple(one_line(k) for k in c.keywords))


def _d(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def citable_item(c: Citable, accessed: bool = False) -> dict:
    """The page as one CSL-JSON item: what every route cites (the cite box's styles, the
    CSL-JSON file, and the BibTeX and RIS files written from the same facts).

    A ``webpage`` whose author is the page's authors or, for most pages, the library as an
    institution (``{"literal": ...}``, never split into a person's names); the library is
    the ``container-title`` only when it is not the author already (APA would print it
    twice). ``issued`` is the date of this version, ``version`` its number. The reader's
    access date is not known at build time: ``accessed=True`` gives :data:`ACCESSED` as a
    literal date, which the page's script replaces with today's date."""
    c = clean(c)
    d = _d(c.date)
    item: dict = {"id": c.key, "type": "webpage", "title": c.title, "author": [n.csl() for n in c.names]}
    if c.authors:
        item["container-title"] = LIBRARY
    if c.version:
        item["version"] = c.version
    if d:
        item["issued"] = {"date-parts": [[d.year, d.month, d.day]]}
    item["URL"] = c.url
    if accessed:
        item["accessed"] = {"literal": ACCESSED}
    return item


_BIBTEX_SPECIAL = re.compile(r"([&%$#_])")
_BIBTEX_COMMANDS = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
                    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_BIBTEX_COMMAND_RE = re.compile(r"[\\{}~^]")
_AND_RE = re.compile(r"\band\b", re.IGNORECASE)
_KEY_UNSAFE_RE = re.compile(r"[^A-Za-z0-9_:.\-]")
_URL_UNSAFE_RE = re.compile(r"[{}\\\s]")


def _bibtex_value(text: str) -> str:
    """LaTeX for plain ``text``, safe inside ``{...}``: no brace of its own, so it can never
    close the field; ``\\ { } ~ ^`` as text commands, ``& % $ # _`` escaped."""
    text = _BIBTEX_COMMAND_RE.sub(lambda m: _BIBTEX_COMMANDS[m.group()], text)
    return _BIBTEX_SPECIAL.sub(r"\\\1", text)


def _bibtex_name_part(text: str) -> str:
    """One part of a name; braced when BibTeX would otherwise split it ('and', a comma)."""
    value = _bibtex_value(text)
    return "{" + value + "}" if _AND_RE.search(text) or "," in text else value


def _bibtex_person(name: Name) -> str:
    """"Family, Given" as BibTeX reads it: one person, whatever the name holds. An
    organisation is braced whole, so it is never split or reordered."""
    if name.organisation:
        return "{" + _bibtex_value(name.family) + "}"
    return ", ".join(_bibtex_name_part(part) for part in (name.surname, name.given) if part)


def _bibtex_url(url: str) -> str:
    """A URL with the characters BibTeX gives a meaning (braces, backslash, space) percent-encoded."""
    return _URL_UNSAFE_RE.sub(lambda m: quote(m.group(), safe=""), url)


def bibtex(c: Citable) -> str:
    """BibLaTeX's ``@online`` (which Zotero's BibTeX import reads as a Web Page), with the
    version's full ``date`` and ``year``/``month`` for BibTeX styles that know no ``date``.
    No access date: the reader's reference manager records its own."""
    c = clean(c)
    d = _d(c.date)
    authors = " and ".join(_bibtex_person(n) for n in c.names)
    fields = [
        ("author", authors),
        ("title", "{" + _bibtex_value(c.title) + "}"),
        ("organization" if c.authors else "", _bibtex_value(LIBRARY)),
        ("date", d.isoformat() if d else ""),
        ("year", str(d.year) if d else ""),
        ("month", str(d.month) if d else ""),
        ("version", _bibtex_value(c.version)),
        ("url", _bibtex_url(c.url)),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if name and value)
    return f"@online{{{_KEY_UNSAFE_RE.sub('-', c.key)},\n{body}\n}}\n"


def ris(c: Citable) -> str:
    """RIS: one ``TAG  - value`` line each. Values are one line (see :func:`clean`), so none
    can end the record or start a tag of its own. ``ELEC`` is a web page to Zotero, EndNote
    and Mendeley; ``AU`` an institution is written whole (a reference manager keeps a name
    without a comma as one field). No access date: the reader's software records its own."""
    c = clean(c)
    d = _d(c.date)
    lines = [("TY", "ELEC")]
    lines += [("AU", a) for a in c.people]
    lines += [("TI", c.title)]
    if c.authors:
        lines.append(("T2", LIBRARY))
    if d:
        lines += [("PY", str(d.year)), ("DA", f"{d.year}/{d.month:02d}/{d.day:02d}")]
    if c.version:
        lines.append(("ET", c.version))
    lines.append(("UR", c.url))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}".rstrip() + "\n" for tag, value in lines)


def csl_json(c: Citable) -> str:
    """The page's CSL-JSON item (:func:`citable_item`), as a one-item list."""
    return json.dumps([citable_item(c)], indent=2, ensure_ascii=False) + "\n"


FILES = {  # label -> writer: the formats a reference manager imports, after the styles
    "BibTeX": bibtex,
    "RIS": ris,
    "CSL-JSON": csl_json,
}
