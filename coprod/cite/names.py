"""The one person-name type, with the one initials rule, and the one month table.

A name comes from a BibTeX person (:meth:`Name.from_person`, decoded by
:func:`~coprod.cite.latex.latex_text`), from a page's author as a contributor writes it,
"Family, Given" or an organisation (:meth:`Name.parse`, the one place that string is
split), or from a CSL-JSON name (:meth:`Name.from_csl`). Every format writes it through
the properties here, so "Jean-Pierre" gives the initials "J.-P." in every APA-like form
and "JP" in Vancouver (NLM writes initials without points or hyphens).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from pybtex.database import Person

from .latex import latex_text

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
_MONTH_PREFIXES = {name[:3].casefold(): number for number, name in enumerate(MONTHS, start=1)}


def month_number(text: str) -> int | None:
    """1-12 for "3", "03", "mar", "March" (BibTeX's month macros expand to the full name);
    None for anything else."""
    text = text.strip()
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return _MONTH_PREFIXES.get(text[:3].casefold()) if len(text) >= 3 else None


def fold(text: str) -> str:
    """For sorting: case and accents ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_INITIALS_ONLY_RE = re.compile(r"(?:[^\W\d_]\.)+")


def initials(given: str) -> str:
    """The one initials rule: "Sarah E." -> "S. E."; "Jean-Pierre" -> "J.-P." (a hyphenated
    name keeps its hyphen, as APA 7 writes it); "R.C." -> "R. C."."""
    out: list[str] = []
    for word in given.split():
        if _INITIALS_ONLY_RE.fullmatch(word):
            out.extend(f"{letter}." for letter in word.replace(".", ""))
            continue
        pieces = []
        for part in word.split("-"):
            letter = next((c for c in part if c.isalnum()), "")
            if letter:
                pieces.append(letter.upper() + ".")
        if pieces:
            out.append("-".join(pieces))
    return " ".join(out)


@dataclass(frozen=True)
class Name:
    """One author or editor, as plain text."""

    family: str  # "Gogh"; an organisation's whole name; "" for "others"
    given: str = ""  # "Jean-Pierre"
    particle: str = ""  # "van"
    suffix: str = ""  # "Jr."
    organisation: bool = False  # a group author: {{Health Research Authority}}, or a page author without a comma
    others: bool = False  # BibTeX's "and others"

    # ---- made from

    @classmethod
    def from_person(cls, person: Person) -> Name:
        """A BibTeX person as pybtex reads it. One braced last name and nothing else
        (``{{The PARTNERS2 writing collective}}``) is an organisation."""
        last = person.last_names
        given = [*person.first_names, *person.middle_names]
        if len(last) == 1 and not given and not person.prelast_names and not person.lineage_names:
            if last[0] == "others":
                return cls("", others=True)
            if last[0].startswith("{") and last[0].endswith("}"):
                return cls(latex_text(last[0]), organisation=True)
        return cls(_decoded(last), _decoded(given), _decoded(person.prelast_names), _decoded(person.lineage_names))

    @classmethod
    def parse(cls, text: str) -> Name:
        """A page author as written: "Family, Given", or an organisation (no comma)."""
        if "," not in text:
            return cls(text.strip(), organisation=True)
        family, given = (part.strip() for part in text.split(",", 1))
        return cls(family, given)

    @classmethod
    def from_csl(cls, item: dict) -> Name:
        if "literal" in item:
            return cls(item["literal"], organisation=True)
        return cls(item.get("family", ""), item.get("given", ""), item.get("non-dropping-particle", ""),
                   item.get("suffix", ""))

    # ---- written as

    @property
    def surname(self) -> str:
        """"van Gogh"."""
        return " ".join(part for part in (self.particle, self.family) if part)

    @property
    def initials(self) -> str:
        """"J.-P. R." (see :func:`initials`)."""
        return initials(self.given)

    @property
    def reference(self) -> str:
        """As in an APA reference list: "van Gogh, V.", "Dupont, J.-P." (an organisation as written)."""
        return ", ".join(part for part in (self.surname, self.initials, self.suffix) if part)

    @property
    def family_given(self) -> str:
        """"Dupont, Jean-Pierre" (Highwire's citation_author); an organisation as written."""
        return ", ".join(part for part in (self.surname, self.given) if part)

    @property
    def highwire(self) -> str:
        """As Highwire's ``citation_author`` (Google Scholar's "Last, First" form): a person
        "Dupont, Jean-Pierre"; an organisation with a trailing comma, "Health Research
        Authority,", which is the same form with no first name. Without the comma Zotero's
        Embedded Metadata translator (ZU.cleanAuthor) splits an organisation at its last
        space into a person, "Authority, Health Research"; with it, the whole name is one
        field (a last name and no first), and a reader of the documented form reads it so."""
        return f"{self.family}," if self.organisation else self.family_given

    @property
    def given_family(self) -> str:
        """"Jean-Pierre Dupont"."""
        return " ".join(part for part in (self.given, self.surname) if part)

    def sort_key(self) -> tuple[str, str]:
        return fold(self.surname), fold(self.initials)

    def csl(self) -> dict[str, str]:
        """CSL-JSON: ``{"family", "given", "non-dropping-particle", "suffix"}`` or ``{"literal"}``."""
        if self.organisation:
            return {"literal": self.family}
        name = {"family": self.family}
        if self.given:
            name["given"] = self.given
        if self.particle:
            name["non-dropping-particle"] = self.particle
        if self.suffix:
            name["suffix"] = self.suffix
        return name

    def schema(self) -> dict[str, str]:
        """schema.org: a Person with its name parts, or an Organization."""
        if self.organisation or not self.given:
            return {"@type": "Organization", "name": self.surname}
        return {"@type": "Person", "familyName": self.surname, "givenName": self.given, "name": self.given_family}


def _decoded(parts: list[str]) -> str:
    return latex_text(" ".join(parts)) if parts else ""
