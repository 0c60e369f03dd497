"""The rules for a reference's fields: what an entry of ``references.bib`` needs and may hold.

The BibTeX reader (:mod:`coprod.cite.bibtex`) cuts and parses the file and screens it for
control characters; these rules then decide whether each parsed entry is good: the fields
its type requires, a DOI without its resolver, a plain web address that goes where it reads,
no markup in text or names, names separated with "and", every author named, and titles in
sentence case (a warning). An entry that breaks a rule is reported and left out, so nothing
cites it. :func:`load_references` is the reader with these rules: what the checks, the
contributor's commands and the tests read the file with.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from pathlib import Path

from pybtex.database import Entry, Person

from ..cite.bibtex import REQUIRED_FIELDS, Bibliography, load_bibliography, reference_where
from ..cite.latex import latex_text
from ..cite.names import Name
from ..read.hosts import WEB_SCHEMES, host_problem
from ..read.plaintext import html_or_links
from ..read.problems import Report
from ..read.words import counted
from .checkwords import check_reference_text

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+\Z")
_DOI_PREFIX_RE = re.compile(r"^(?:doi:\s*|(?:https?://)?(?:dx\.)?doi\.org/)", re.IGNORECASE)
_URL_RE = re.compile(rf"^(?:{'|'.join(WEB_SCHEMES)})://[^\s/?#@]+(?:[/?#]\S*)?\Z", re.IGNORECASE)
_URL_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")

# Name suffixes BibTeX's "Last, Jr, First" form is for (compared without dots, case-folded).
NAME_SUFFIXES = frozenset({
    "jr", "jnr", "junior", "sr", "snr", "senior", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x",
    "2nd", "3rd", "4th", "5th", "esq",
})


def load_references(path: Path, report: Report, display_path: str | None = None) -> Bibliography:
    """``references.bib`` read and every entry checked by the rules here; the published text
    of each good entry is checked for the words of checking as it is read (one reading)."""
    return load_bibliography(path, report, display_path, rules=check_entry, text_rules=check_reference_text)


def check_entry(kind: str, key: str, line: int, entry: Entry, report: Report, path: str) -> bool:
    """Report what is wrong with one parsed entry (the entry's ``line``, the file as ``path``
    shows it); False if it is not good enough to keep."""
    return _Fields(report, path).check(kind, key, line, entry)


class _Fields:
    def __init__(self, report: Report, path: str) -> None:
        self.report = report
        self.path = path

    def error(self, line: int, where: str, message: str, hint: str = "") -> None:
        self.report.error(self.path, line, where, message, hint)

    def warning(self, line: int, where: str, message: str, hint: str = "") -> None:
        self.report.warning(self.path, line, where, message, hint)

    def check(self, kind: str, key: str, line: int, entry: Entry) -> bool:
        ok = self.check_required(kind, line, key, entry)
        fields = {name.lower(): value for name, value in entry.fields.items()}
        if "doi" in fields:
            ok = self.check_doi(line, key, fields["doi"]) and ok
        if "url" in fields:
            ok = self.check_url(line, key, fields["url"]) and ok
        if "title" in fields:
            self.check_title_case(line, key, fields["title"])
        for name, value in fields.items():
            if name in ("doi", "url"):
                continue
            found = _markup(value)
            if found:
                hint = ("write the character itself; for & write \\&" if found[0].startswith("HTML entity")
                        else "write the text as it is printed; the site formats it")
                self.error(line, f"{reference_where(key)}.{name}", f"no markup in references ({_some(found)})", hint)
                ok = False
        for role, people in entry.persons.items():
            where = f"{reference_where(key)}.{role.lower()}"
            found = [f for person in people for f in _markup(str(person))]
            if found:
                self.error(line, where, f"no markup in names ({_some(found)})", "write the name as it is printed")
                ok = False
            ok = self.check_name_commas(line, where, role, people) and ok
            ok = self.check_others(line, where, role, people) and ok
        return ok

    def check_title_case(self, line: int, key: str, raw: str) -> None:
        """A warning for a title in Title Case: APA 7, the site's style, wants sentence case
        (a capital for the first word, the first word after a colon, and proper nouns), and
        the processor prints a title as written. Braced words are taken as proper nouns."""
        capitalised = title_case_words(raw)
        if capitalised:
            self.warning(line, f"{reference_where(key)}.title",
                         f"the title is in Title Case ({_some(capitalised)} capitalised); the site's style (APA 7) "
                         "writes titles in sentence case",
                         "capitalise only the first word, the first word after a colon and proper nouns, and brace "
                         "proper nouns so no style lowers them: title = {Working with {NHS} trusts in {Bradford}: "
                         "A guide}")

    def check_others(self, line: int, where: str, role: str, people: list[Person]) -> bool:
        """BibTeX's "and others" has no form in CSL (what every reference manager and the
        site's processor read): it would print an incomplete list as if it were whole, or
        "& others". A reference list names every author (APA lists up to 20; the style
        shortens it, never the file)."""
        if not any(Name.from_person(person).others for person in people):
            return True
        named = sum(1 for person in people if not Name.from_person(person).others)
        self.error(line, where,
                   f"'and others' after {counted(named, 'name')}: a reference names every "
                   f"{role.lower()} (the citation style shortens a long list, not the file)",
                   f"write every {role.lower()} from the source, as {role.lower()} = "
                   "{Family, Given and Family, Given and ...}; the publisher's page or the DOI record lists them")
        return False

    def check_name_commas(self, line: int, where: str, role: str, people: list[Person]) -> bool:
        """"Ann B. Cee, Dee E. Eff, Gee H. Eye" is one person to BibTeX ("Last, Jr, First"):
        a "Jr" part that is not a real suffix means names were separated by commas."""
        ok = True
        for person in people:
            lineage = person.lineage_names
            if not lineage or (len(lineage) == 1 and _is_suffix(lineage[0])):
                continue
            written = str(person)
            parts = [part.strip() for part in written.split(",")]
            if all(" " in part for part in parts):  # "Given Family, Given Family, ..."
                hint = f"write {role.lower()} = {{{_short(' and '.join(parts), 120)}}}"
            else:
                hint = f"write {role.lower()} = {{Family, Given and Family, Given}}: one comma per person at most"
            self.error(
                line,
                where,
                f"{_short(written)!r} reads as one person whose name suffix (like Jr or III) is "
                f"{_short(' '.join(lineage))!r}: separate names with 'and', not commas",
                hint,
            )
            ok = False
        return ok

    def check_required(self, kind: str, line: int, key: str, entry: Entry) -> bool:
        present = {name.lower() for name, value in entry.fields.items() if value.strip()}
        present |= {role.lower() for role, people in entry.persons.items() if people}
        ok = True
        for wanted in REQUIRED_FIELDS[kind]:
            options = (wanted,) if isinstance(wanted, str) else wanted
            if present.intersection(options):
                continue
            ok = False
            if len(options) == 1:
                message = f"@{kind} needs {options[0]}"
            else:
                message = f"@{kind} needs {' or '.join(options)}"
            hint = " or ".join(f"add {o} = {{...}}" for o in options)
            self.error(line, f"{reference_where(key)}.{options[0]}", message, hint)
        return ok

    def check_doi(self, line: int, key: str, raw: str) -> bool:
        doi = raw.strip()
        where = f"{reference_where(key)}.doi"
        prefix = _DOI_PREFIX_RE.match(doi)
        if prefix:
            rest = doi[prefix.end() :]
            self.error(
                line,
                where,
                f"DOI {doi!r} includes a resolver prefix",
                f"drop the prefix: doi = {{{rest}}}",
            )
            return False
        if not DOI_RE.match(doi):
            self.error(line, where, f"{doi!r} is not a DOI", "a DOI looks like 10.1234/abc.def")
            return False
        return True

    def check_url(self, line: int, key: str, raw: str) -> bool:
        url = raw.strip()
        where = f"{reference_where(key)}.url"
        if _URL_RE.match(url) and not _has_control(url):
            problem = host_problem(url)
            if problem:
                self.error(line, where, f"URL does not go where it reads: {problem}",
                           "give the public address of the page, written in the letters of the site's own name")
                return False
            return True
        scheme = _url_scheme(url)
        if scheme is None:
            message = f"URL {_short(url)!r} does not start with http:// or https://"
        elif scheme in WEB_SCHEMES:
            message = f"URL {_short(url)!r} is not a plain web address"
        else:
            message = f"URL scheme must be http or https, not {scheme!r}"
        self.error(line, where, message, "use an https:// address")
        return False


def _markup(value: str) -> list[str]:
    """The markup in a field as written and as every page shows it, decoded from LaTeX
    (``\\textless{}script\\textgreater{}`` is ``<script>`` once decoded)."""
    found = html_or_links(value)
    if "\\" in value or "{" in value:
        found += [f for f in html_or_links(latex_text(value)) if f not in found]
    return found


_SMALL_WORDS = frozenset(["a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or", "nor", "per", "the", "to", "via", "vs", "with"])
_WORD = re.compile(r"[^\s]+")


def title_case_words(raw: str) -> list[str]:
    """The words of a .bib ``title`` that make it Title Case: capitalised words that
    sentence case would write in lower case (not the first word, not the first after a
    colon or full stop, not a braced word, an acronym or a word with a capital inside, such
    as "PhD"). Empty unless three or more such words are found and they are most of the
    words that could be either."""
    text = re.sub(r"\{[^{}]*\}", " {} ", raw)  # braced: protected, a proper noun
    capitalised, lower = [], 0
    start = True
    for match in _WORD.finditer(text):
        word = match.group()
        bare = word.strip("\"'“”‘’()[],;.!?")
        if start or not bare or "{" in word:
            start = word.endswith((":", ".", "?", "!"))
            continue
        start = word.endswith((":", ".", "?", "!"))
        letters = re.sub(r"[^A-Za-z\-]", "", bare)
        if not letters or letters.lower() in _SMALL_WORDS:
            continue
        first = letters.split("-")[0]
        if not first or len(first) < 2:
            continue
        if first[0].isupper() and first[1:].islower():
            capitalised.append(bare)
        elif first.islower():
            lower += 1
    if len(capitalised) >= 3 and len(capitalised) > 2 * lower:
        return capitalised
    return []


def _url_scheme(url: str) -> str | None:
    """The scheme a browser would see, after undoing entity, percent and whitespace tricks."""
    decoded = url
    for _ in range(3):
        decoded = urllib.parse.unquote(html.unescape(decoded))
    decoded = re.sub(r"[\x00-\x20\x7f]+", "", decoded)
    m = _URL_SCHEME_RE.match(decoded)
    return m.group(1).lower() if m else None


def _is_suffix(part: str) -> bool:
    return part.replace(".", "").replace("{", "").replace("}", "").strip().casefold() in NAME_SUFFIXES


def _some(found: list[str], shown: int = 3) -> str:
    """"a, b, c and 4 more": the first few of a list, for one message per field."""
    text = ", ".join(found[:shown])
    return text + (f" and {len(found) - shown} more" if len(found) > shown else "")


def _has_control(text: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in text)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
