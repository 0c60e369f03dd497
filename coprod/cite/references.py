"""Citation markers rendered as author-year links, and references formatted close to APA
(7th ed.) as HTML.

:class:`References` wraps the build's one parsed :class:`~coprod.cite.bibtex.Bibliography`.
It works out every entry's in-text label once for the whole bibliography (so "2020a" means
the same source on every page), formats each entry at most once, and turns the citation
markers of a markdown body (found by :mod:`coprod.cite.syntax`) into markdown links to the
page's own References section::

    [@a]                    -> ([Staniszewska et al., 2022](#ref-a))
    [see @a, p. 12; @b]     -> (see [Staniszewska et al., 2022](#ref-a), p. 12; [Hickey et al., 2018](#ref-b))
    @a                      -> [Staniszewska et al.](#ref-a) (2022)

Text from the .bib file is LaTeX: it is decoded by :func:`~coprod.cite.latex.latex_text`
(the decoder every other output uses) and names are :class:`~coprod.cite.names.Name`.
A marker is markdown (it stands in a contributor's markdown body), every piece escaped with
:func:`~coprod.render.text.md_escape`; a reference is HTML, written here, every piece escaped with
:func:`~coprod.render.markup.esc`.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from pybtex.database import Entry

from ..pages import urls
from ..render import markup
from ..render.text import md_escape
from .bibtex import Bibliography
from .latex import latex_text
from .names import MONTHS, Name, fold, month_number
from .syntax import Citation, replace_citations

MAX_LISTED_AUTHORS = 20  # APA 7: list up to 20 authors; beyond that 19, an ellipsis, the last
NO_DATE = "n.d."
WEB_TYPES = frozenset({"misc", "online", "webpage", "unpublished"})  # dated to the month, as web pages are
esc = markup.esc

# --------------------------------------------------------------------------- names


def names_of(entry: Entry, role: str) -> list[Name]:
    return [Name.from_person(p) for p in entry.persons.get(role, [])]


def reference_names(names: list[Name]) -> str:
    """APA reference-list authors: "A, B, & C"; "A, B, et al." for "and others"; more than
    20: the first 19, an ellipsis and the last."""
    shown = [n.reference for n in names if not n.others]
    if not shown:
        return ""
    if names[-1].others:
        return ", ".join(shown) + ", et al."
    if len(shown) == 1:
        return shown[0]
    if len(shown) > MAX_LISTED_AUTHORS:
        return ", ".join(shown[: MAX_LISTED_AUTHORS - 1]) + ", … " + shown[-1]
    return ", ".join(shown[:-1]) + ", & " + shown[-1]


def editors_in(names: list[Name]) -> str:
    """Editors after "In": "A. Editor", "A. Editor & B. Editor", "A, B, & C"."""
    shown = [n.initials_first for n in names if not n.others]
    if len(shown) <= 2:
        return " & ".join(shown) + (" et al." if names and names[-1].others else "")
    return ", ".join(shown[:-1]) + ", & " + shown[-1]


def cite_names(names: list[Name], conjunction: str) -> str:
    """In-text authors: "Hickey", "Knowles & Smith" (or "and"), "Staniszewska et al."."""
    people = [n for n in names if not n.others]
    if not people:
        return ""
    if len(people) >= 3 or names[-1].others:
        return f"{people[0].surname} et al."
    if len(people) == 2:
        return f"{people[0].surname} {conjunction} {people[1].surname}"
    return people[0].surname


# --------------------------------------------------------------------------- helpers


def _field(entry: Entry, name: str) -> str:
    return latex_text(entry.fields.get(name, ""))


def _short_title(title: str, words: int = 5) -> str:
    """The first few words of a title, for citing a work that has no author."""
    head = title.split(":")[0].split()
    short = " ".join(head[:words])
    return f"“{short}…”" if len(head) > words or ":" in title else f"“{short}”"


def _sentence(html: str, plain: str) -> str:
    """``html`` followed by a full stop unless its text already ends a sentence."""
    return html if plain.rstrip().endswith((".", "?", "!")) else html + "."


def _italic(text: str) -> str:
    return f"<em>{esc(text)}</em>" if text else ""


# Characters left as they are in a link's address; the rest are percent-encoded.
_URL_SAFE = "/:?#@!$&*+,;=%~-._"
_DOI_SAFE = "/:;.,-_~!$&*+=@"


def doi_address(doi: str) -> str:
    return "https://doi.org/" + urllib.parse.quote(doi, safe=_DOI_SAFE)


def _address_link(text: str, address: str) -> str:
    return markup.link(address, esc(text))


def _month(entry: Entry) -> str:
    month = _field(entry, "month")
    number = month_number(month)
    return MONTHS[number - 1] if number else month


def _ordinal(number: str) -> str:
    if not number.isdigit():
        return number
    n = int(number)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@dataclass(frozen=True)
class _Who:
    """The author part of an entry: in text and at the head of its reference."""

    cite: str  # "Knowles & Smith" (parenthetical)
    narrative: str  # "Knowles and Smith"
    sort: tuple[tuple[str, str], ...]


def _who(entry: Entry) -> _Who:
    names = names_of(entry, "author") or names_of(entry, "editor")
    if names and any(not n.others for n in names):
        return _Who(cite_names(names, "&"), cite_names(names, "and"),
                    tuple(n.sort_key() for n in names if not n.others))
    title = _field(entry, "title")
    short = _short_title(title)
    return _Who(short, short, ((fold(re.sub(r"^(?:the|an?)\s+", "", title, flags=re.IGNORECASE)), ""),))


def _letters(index: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "aa"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _not_found(key: str) -> str:
    return md_escape(f"@{key} (reference not found)")


# --------------------------------------------------------------------------- references


class References:
    """The formatted bibliography of one build. Cheap to create; labels are worked out for
    every entry on first use (they depend on the whole bibliography), each entry is
    formatted at most once."""

    def __init__(self, bibliography: Bibliography) -> None:
        self.bibliography = bibliography
        self._entries = bibliography.entries
        self._labels: dict[str, tuple[_Who, str]] | None = None  # key -> (who, "2020a")
        self._formatted: dict[str, str] = {}
        self._parenthetical: dict[str, str] = {}  # key -> "[Label, 2020](#ref-key)"
        self._narrative: dict[str, str] = {}  # key -> "[Label](#ref-key) (2020)"
        self._order: dict[str, tuple] | None = None

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    # ------------------------------------------------------------------ labels

    def _all_labels(self) -> dict[str, tuple[_Who, str]]:
        if self._labels is None:
            self._labels = self._compute_labels()
        return self._labels

    def _compute_labels(self) -> dict[str, tuple[_Who, str]]:
        """Every key's author part and year; the same author-year twice or more gets
        a, b, c... in key order ("2020a", "n.d.-a")."""
        base: dict[str, tuple[_Who, str]] = {}
        groups: dict[tuple[str, str], list[str]] = {}
        for key in sorted(self._entries):
            entry = self._entries[key]
            who = _who(entry)
            year = _field(entry, "year") or NO_DATE
            base[key] = (who, year)
            groups.setdefault((who.cite, year), []).append(key)
        for (_, year), keys in groups.items():
            if len(keys) < 2:
                continue
            for index, key in enumerate(keys):
                letter = _letters(index)
                base[key] = (base[key][0], f"{year}-{letter}" if year == NO_DATE else year + letter)
        return base

    def year(self, key: str) -> str:
        """The year as cited, with any a/b suffix: "2020a", "n.d."."""
        return self._all_labels()[key][1]

    def label(self, key: str) -> str:
        """Parenthetical label, plain text: "Staniszewska et al., 2022". KeyError if unknown."""
        who, year = self._all_labels()[key]
        return f"{who.cite}, {year}"

    def narrative(self, key: str) -> str:
        """Narrative label, plain text: "Staniszewska et al. (2022)", "Knowles and Smith (2021)"."""
        who, year = self._all_labels()[key]
        return f"{who.narrative} ({year})"

    # ------------------------------------------------------------------ order

    def sort_key(self, key: str) -> tuple:
        """APA order: authors (family name, then initials, author by author), then year
        (undated first), then the a/b suffix, then the key."""
        if self._order is None:
            self._order = {}
            for k, (who, year) in self._all_labels().items():
                digits = re.match(r"\d+", year)
                number = int(digits.group()) if digits else -1
                self._order[k] = (who.sort, number, year, k)
        return self._order[key]

    def sorted(self, keys: list[str]) -> list[str]:
        """The known keys among ``keys``, unique, in APA order."""
        return sorted({k for k in keys if k in self._entries}, key=self.sort_key)

    def ordered_keys(self) -> list[str]:
        """Every entry of the bibliography, in APA order."""
        return self.sorted(list(self._entries))

    # ------------------------------------------------------------------ entries

    def note(self, key: str) -> str:
        """The entry's note (decoded, plain text), or ""."""
        return _field(self._entries[key], "note")

    def entry(self, key: str) -> str:
        """The reference as HTML, APA-like, with its note (if any) after it as
        "<em>Note:</em> ...". Formatted once and cached. KeyError if unknown."""
        formatted = self._formatted.get(key)
        if formatted is None:
            formatted = self._formatted[key] = self._format(key)
        return formatted

    def _format(self, key: str) -> str:
        entry = self._entries[key]
        parts = _EntryFormatter(entry, self._all_labels()[key][1]).parts()
        note = self.note(key)
        if note:
            parts.append("<em>Note:</em> " + esc(note))
        return " ".join(part for part in parts if part)

    # ------------------------------------------------------------------ markers

    def _link(self, key: str) -> str:
        """"[Label, 2020](#ref-key)", cached."""
        cached = self._parenthetical.get(key)
        if cached is None:
            cached = self._parenthetical[key] = f"[{md_escape(self.label(key))}](#{urls.reference_anchor(key)})"
        return cached

    def _narrative_link(self, key: str) -> str:
        """"[Label](#ref-key) (2020)", cached."""
        cached = self._narrative.get(key)
        if cached is None:
            who, year = self._all_labels()[key]
            anchor = "#" + urls.reference_anchor(key)
            cached = self._narrative[key] = f"[{md_escape(who.narrative)}]({anchor}) ({md_escape(year)})"
        return cached

    def link_or_text(self, key: str) -> str:
        """HTML: a link to the key's entry in this page's References, or (for a key not in
        the bibliography, which only a build that skipped validation can meet) the key as text."""
        if key not in self:
            return esc(f"@{key} (reference not found)")
        return markup.link(f"#{urls.reference_anchor(key)}", esc(self.label(key)))

    def render_body(self, markdown: str) -> tuple[str, list[str]]:
        """``markdown`` with every citation replaced by links to this page's References
        section (``#ref-<key>``); returns it and the cited keys that exist in the
        bibliography, in order of first citation, each once. A key that is not in the
        bibliography becomes the plain text "@key (reference not found)", never a link."""
        cited: dict[str, None] = {}

        def render(citation: Citation) -> str:
            for item in citation.items:
                if item.key in self._entries:
                    cited.setdefault(item.key)
            return self._render_citation(citation)

        return replace_citations(markdown, render), list(cited)

    def _render_citation(self, citation: Citation) -> str:
        if not citation.bracketed:
            key = citation.items[0].key
            return self._narrative_link(key) if key in self._entries else _not_found(key)
        items = []
        for item in citation.items:
            text = self._link(item.key) if item.key in self._entries else _not_found(item.key)
            if item.prefix:
                text = f"{md_escape(item.prefix)} {text}"
            if item.locator:
                text = f"{text}, {md_escape(item.locator)}"
            items.append(text)
        return "(" + "; ".join(items) + ")"

    # ------------------------------------------------------------------ sections

    def item(self, key: str) -> str:
        """One reference as the HTML inside its list item, starting with its anchor element."""
        return f'<span id="{urls.reference_anchor(key)}"></span>{self.entry(key)}'

    def section(self, keys: list[str], page_uri: str, heading: str = "References") -> str:
        """A "## References" section of the known ``keys`` in APA order (empty string if
        there are none): the heading in markdown, then the list as an HTML block. Each item
        starts with ``<span id="ref-key">`` (the target of the page's citation links) and
        ends with a link to the entry on the bibliography page, relative to ``page_uri``
        (this page's docs/ path)."""
        shown = self.sorted(keys)
        if not shown:
            return ""
        items = [f"{self.item(key)} "
                 + markup.link(urls.href(page_uri, urls.REFERENCES, urls.reference_anchor(key)),
                               "all pages citing this")
                 for key in shown]
        return f"## {md_escape(heading)}\n\n{markup.bullet_list(items, 'coprod-references')}\n"


# --------------------------------------------------------------------------- one entry


class _EntryFormatter:
    """Formats one entry as HTML: Authors. (Year). Title. Source. DOI-or-URL."""

    def __init__(self, entry: Entry, year: str) -> None:
        self.entry = entry
        self.type = entry.type.lower()
        self.year = year
        self.authors = names_of(entry, "author")
        self.editors = names_of(entry, "editor")

    def field(self, name: str) -> str:
        return _field(self.entry, name)

    def parts(self) -> list[str]:
        title, source = self.title_and_source()
        who = self.who()
        date = self.date()
        if who:
            parts = [who, date, title, source]
        else:  # no author: the title moves to the front (APA)
            parts = [title, date, source]
        return [*parts, self.address()]

    # ---- author and date

    def author_text(self) -> str:
        return reference_names(self.authors)

    def who(self) -> str:
        if any(not n.others for n in self.authors):
            text = reference_names(self.authors)
            return _sentence(esc(text), text)
        if any(not n.others for n in self.editors) and self.type not in ("incollection", "inproceedings"):
            real = [n for n in self.editors if not n.others]
            return esc(reference_names(self.editors) + (" (Eds.)." if len(real) > 1 else " (Ed.)."))
        return ""

    def date(self) -> str:
        month = _month(self.entry) if self.type in WEB_TYPES and self.year != NO_DATE else ""
        day = self.field("day") if month else ""
        when = self.year + (f", {month}" if month else "") + (f" {day}" if day else "")
        return esc(f"({when}).")

    # ---- title and where it was published

    def title_and_source(self) -> tuple[str, str]:
        kind = self.type
        if kind == "article":
            return self.title(italic=False), self.journal()
        if kind in ("incollection", "inproceedings", "conference") or (kind == "inbook" and self.field("booktitle")):
            return self.title(italic=False), self.container()
        if kind in ("techreport", "report"):
            number = self.report_number()
            description = "" if number else self.field("type")
            return self.title(italic=True, extra=number, description=description), self.publisher("institution")
        if kind in ("phdthesis", "mastersthesis"):
            default = "Doctoral dissertation" if kind == "phdthesis" else "Master's thesis"
            school = self.field("school")
            label = self.field("type") or default
            return self.title(italic=True, description=f"{label}, {school}" if school else label), ""
        if kind in ("book", "inbook", "proceedings", "booklet", "manual"):
            return self.title(italic=True, extra=self.edition()), self.publisher("publisher", "organization")
        return (self.title(italic=True, description=self.field("howpublished")),
                self.publisher("publisher", "organization", "institution", "school"))

    def title(self, italic: bool, extra: str = "", description: str = "") -> str:
        """The title, then "(2nd ed.)"-like ``extra`` and a "[description]", then a full stop."""
        text = self.field("title")
        if not text:
            return ""
        html = _italic(text) if italic else esc(text)
        plain = text
        if extra:
            html += " " + esc(f"({extra})")
            plain = ")"
        if description:
            html += " " + esc(f"[{description}]")
            plain = "]"
        return _sentence(html, plain)

    def journal(self) -> str:
        journal = self.field("journal")
        volume, issue, pages = self.field("volume"), self.field("number"), self.field("pages")
        text = _italic(journal)
        if volume:
            text += ", " + _italic(volume) + (esc(f"({issue})") if issue else "")
        elif issue:
            text += ", " + esc(f"({issue})")
        if pages:
            text += ", " + esc(pages)
        return _sentence(text, pages or volume or journal) if text else ""

    def container(self) -> str:
        """"In E. Editor (Ed.), <em>Book title</em> (pp. 1–10). Publisher."."""
        real = [n for n in self.editors if not n.others]
        lead = "In "
        if real:
            lead += editors_in(self.editors) + (" (Eds.), " if len(real) > 1 else " (Ed.), ")
        text = esc(lead) + _italic(self.field("booktitle"))
        pages = self.field("pages")
        if pages:
            text += " " + esc(f"({'pp.' if '–' in pages or '-' in pages else 'p.'} {pages})")
        text += "."
        publisher = self.publisher("publisher", "organization")
        return f"{text} {publisher}" if publisher else text

    def report_number(self) -> str:
        number = self.field("number")
        if number:
            return f"{self.field('type') or 'Report'} No. {number}"
        return ""

    def edition(self) -> str:
        edition = self.field("edition")
        return f"{_ordinal(edition)} ed." if edition else ""

    def publisher(self, *fields: str) -> str:
        """The first of ``fields`` that is set, unless it repeats the (group) author."""
        for name in fields:
            value = self.field(name)
            if value:
                if value == self.author_text():
                    return ""
                return _sentence(esc(value), value)
        return ""

    # ---- link

    def address(self) -> str:
        doi = self.entry.fields.get("doi", "").strip()
        if doi:
            return _address_link("https://doi.org/" + doi, doi_address(doi))
        url = self.entry.fields.get("url", "").strip()
        return _address_link(url, urllib.parse.quote(url, safe=_URL_SAFE)) if url else ""
