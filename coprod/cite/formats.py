"""'Cite this page': the same facts about a page written in six citation formats.

Each format is a template that reads like its output, with optional parts in ``[...]``
dropped when their field is empty (in the spirit of pybtex's styles). The reader's access
date is not known at build time: formats that carry one show :data:`ACCESSED`, which the
page's script replaces with today's date (and which stays readable without JavaScript).

What a reader copies must be exactly one record with the text as written, whatever a
contributor typed: every value is made one line first (:func:`one_line`: control and
invisible characters, see :mod:`coprod.checks.controls`, become spaces; the validator rejects them
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

from ..checks.controls import CONTROL_CHARACTERS
from ..read.kinds import DEFAULT_LICENCE
from .names import MONTHS, Name

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


def _join_apa(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _join_harvard(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _sentence_end(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def apa(c: Citable) -> str:
    """APA 7, a web page that changes over time: retrieval date included."""
    c = clean(c)
    d = _d(c.date)
    when = f"{d.year}, {MONTHS[d.month - 1]} {d.day}" if d else "n.d."
    version = f" (Version {c.version})" if c.version else ""
    who = _join_apa([n.reference for n in c.names])
    site = f" {LIBRARY}." if c.authors else ""  # APA leaves out a site name that is also the author
    return f"{_sentence_end(who)} ({when}). {c.title}{version}.{site} Retrieved {ACCESSED}, from {c.url}"


def harvard(c: Citable) -> str:
    c = clean(c)
    who = _join_harvard([n.family_given for n in c.names])
    version = f" Version {c.version}." if c.version else ""
    return f"{who} ({c.year}) {_sentence_end(c.title)}{version} {LIBRARY}. Available at: {c.url} (Accessed: {ACCESSED})."


def vancouver(c: Citable) -> str:
    c = clean(c)
    d = _d(c.date)
    who = ", ".join(n.vancouver for n in c.names)
    updated = f" [updated {d.year} {MONTHS[d.month - 1][:3]} {d.day}; cited {ACCESSED}]" if d else f" [cited {ACCESSED}]"
    version = f" Version {c.version}." if c.version else ""
    published = _d(c.published)
    year = published.year if published else ""
    return f"{who}. {c.title} [Internet].{version} {LIBRARY}; {year}{updated}. Available from: {c.url}"


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


def bibtex(c: Citable, accessed: bool = True) -> str:
    c = clean(c)
    d = _d(c.date)
    authors = " and ".join(_bibtex_person(n) for n in c.names)
    fields = [
        ("author", authors if c.authors else "{" + LIBRARY + "}"),
        ("title", "{" + _bibtex_value(c.title) + "}"),
        ("howpublished", _bibtex_value(LIBRARY)),
        ("year", str(d.year) if d else ""),
        ("month", str(d.month) if d else ""),
        ("version", _bibtex_value(c.version)),
        ("url", _bibtex_url(c.url)),
        ("note", f"Version {_bibtex_value(c.version)}" if c.version else ""),
        ("urldate", ACCESSED if accessed else ""),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{_KEY_UNSAFE_RE.sub('-', c.key)},\n{body}\n}}\n"


def ris(c: Citable, accessed: bool = True) -> str:
    """RIS: one ``TAG  - value`` line each. Values are one line (see :func:`clean`), so none
    can end the record or start a tag of its own."""
    c = clean(c)
    d = _d(c.date)
    lines = [("TY", "ELEC")]
    lines += [("AU", a) for a in c.people]
    lines += [("TI", c.title), ("T2", LIBRARY), ("PB", LIBRARY)]
    if d:
        lines += [("PY", str(d.year)), ("DA", f"{d.year}/{d.month:02d}/{d.day:02d}")]
    if c.version:
        lines.append(("ET", c.version))
    lines.append(("UR", c.url))
    if accessed:
        lines.append(("Y2", ACCESSED))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}".rstrip() + "\n" for tag, value in lines)


def csl_json(c: Citable, accessed: bool = True) -> str:
    c = clean(c)
    d = _d(c.date)
    item: dict = {
        "id": c.key,
        "type": "webpage",
        "title": c.title,
        "author": [n.csl() for n in c.names],
        "container-title": LIBRARY,
        "publisher": LIBRARY,
        "URL": c.url,
    }
    if d:
        item["issued"] = {"date-parts": [[d.year, d.month, d.day]]}
    if c.version:
        item["version"] = c.version
    if accessed:
        item["accessed"] = {"raw": ACCESSED}
    return json.dumps([item], indent=2, ensure_ascii=False) + "\n"


FORMATS = {  # label -> function; the order the cite box shows them
    "APA 7": apa,
    "Harvard": harvard,
    "Vancouver": vancouver,
    "BibTeX": bibtex,
    "RIS": ris,
    "CSL-JSON": csl_json,
}
