"""Read ``evidence/references.bib``: keep every good entry, report every bad one with its line.

pybtex alone is not enough: in strict mode it stops at the first error, otherwise it drops
entries with nothing but a warning on stderr. So the file is first cut into top-level
chunks here (``@type{...}`` / ``@type(...)``, with the line each starts on), ``@string``
macros are expanded here with a size limit, and only then is each entry handed to pybtex.
Entries are parsed in batches (one pybtex call per run of entries between ``@string``
definitions) for speed; a batch with any problem is parsed again entry by entry so every
problem gets its own line and the good entries in the batch survive.

Field names in problems are ``references[<key>].<field>``, ``references[<key>]`` for the
entry as a whole, or ``references`` when no key can be found.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pybtex.errors
from pybtex.database import BibliographyData, Entry
from pybtex.database.input.bibtex import Parser
from pybtex.database.output.bibtex import Writer as BibTeXWriter
from pybtex.scanner import PybtexSyntaxError

from coprod.read.controls import describe, find_controls, has_controls
from coprod.read.problems import Report
from coprod.read.urls import reference_anchor
from coprod.read.words import counted, plural

from .latex import escape_bare_percent
from .names import MONTHS

MAX_FILE_BYTES = 1024 * 1024
"""The largest references.bib read (the library's is under 50 KB). Every entry is rendered
on /references/, beside each page that cites it and in the contribute form, so the file's
size bounds what the bibliography costs to build and to serve (a 20 MB file took 378 s to
build, into a 50 MB references page and a 65 MB contribute page)."""
MAX_ENTRIES = 1_000
"""The most entries references.bib may hold (the library has under 100; 1,000 entries, each
cited, build in about 10 s). A file past it is an error at the first entry over, and the
entries past it are not read (480,000 small entries took 153 s and 1.5 GB to validate).
Refusing keeps what the site renders complete: skipping entries would silently drop valid
references from the pages."""
MAX_MACRO_CHARS = 10_000  # one @string, expanded
MAX_FIELD_CHARS = 100_000  # one field, after its macros are expanded
MAX_ENTRY_CHARS = 200_000  # all the fields of one entry, after expansion
MAX_FIELDS_PER_ENTRY = 100
# Characters that @string macros add, over the whole file (every use of a macro in an entry
# or in another @string counts its length). A file's own text is capped by MAX_FILE_BYTES;
# this caps what macros can multiply it into: a 90 KB file using one 10,000-character macro
# 18,000 times would otherwise become 180 million characters in memory.
MAX_FILE_MACRO_CHARS = 1_000_000

KEY_RE = re.compile(r"^[A-Za-z0-9_:\-.]+\Z")

REQUIRED_FIELDS: dict[str, tuple[str | tuple[str, ...], ...]] = {
    "article": ("author", "title", "journal", "year"),
    "book": (("author", "editor"), "title", "publisher", "year"),
    "inbook": (("author", "editor"), "title", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "conference": ("author", "title", "booktitle", "year"),
    "proceedings": ("title", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "report": ("author", "title", "institution", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "mastersthesis": ("author", "title", "school", "year"),
    "misc": ("title", "year"),
    "online": ("title", "url", "year"),
    "webpage": ("title", "url", "year"),
    "unpublished": ("author", "title", "note"),
    "booklet": ("title",),
    "manual": ("title",),
}

# The fields the site shows or exports (pages, references.bib, CSL-JSON, cite files, JSON-LD:
# see coprod.cite). Any other field (abstract, file, groups, keywords,
# timestamps, owner, urldate, a private x-private-note, ...) is set aside when read: it is
# never published and never grounds for rejecting an entry.
PUBLISHED_FIELDS = frozenset({
    "author", "editor", "title", "year", "month", "day", "journal", "journaltitle", "booktitle", "volume",
    "number", "pages", "edition", "series", "howpublished", "publisher", "organization", "institution",
    "school", "address", "type", "note", "doi", "url", "isbn", "issn", "language",
})
_BIBTEX_WHITESPACE = "\t\n\r"

EntryRules = Callable[[str, str, int, Entry, Report, str], bool]
"""(entry type, key, line, parsed entry, report, file as shown) -> whether the entry is good."""
TextRules = Callable[[str, Iterator[tuple[str, int, str]], Report, str], None]
"""(key, a good entry's fields as written: (name in lower case, line of the name, value as
written), report, file as shown): the checks of the text as written (the words in a note),
given what this reader cut, so that the file is read once and one reader decides where an
entry and a field begin and end."""

# A chunk starts with '@', a name and an opening delimiter.
_HEADER_RE = re.compile(r"@[ \t]*([A-Za-z][A-Za-z0-9_\-]*)[ \t\r\n]*([{(])")
# A line starting with '@name{' ends an entry that was never closed.
_NEXT_ENTRY = r"\n@[ \t]*[A-Za-z][A-Za-z0-9_\-]*[ \t]*[{(]"
_BRACE_SCAN_RE = re.compile(r"[{}]|" + _NEXT_ENTRY)
_PAREN_SCAN_RE = re.compile(r'[{}()"]|' + _NEXT_ENTRY)
_PLAIN_BRACE_RE = re.compile(r"[{}]")
_NAME_RE = re.compile(r"[^\s\"#%'(),={}]+")
_NUMBER_RE = re.compile(r"[0-9]+")
_WS_RE = re.compile(r"\s*")
_NON_BLANK_RE = re.compile(r"\S")
# Every macro an entry names follows '=' or '#' (some matches are inside braced text).
_MAYBE_MACRO_RE = re.compile(r"[=#]\s*([^\s\"#%'(),={}0-9][^\s\"#%'(),={}]*)")


@dataclass
class Bibliography:
    """Every good entry of a .bib file, in file order, with the line each starts on."""

    entries: dict[str, Entry] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)  # keys of entries with errors -> line
    # Fields the site does not publish (PUBLISHED_FIELDS), set aside: key -> {field: value}.
    # Kept for tools (e.g. fact-checking notes in x-private-note); never on a page or in a download.
    unpublished: dict[str, dict[str, str]] = field(default_factory=dict)
    dropped_fields: dict[str, int] = field(default_factory=dict)  # field -> entries that had it
    path: str = ""  # as shown in messages
    _folded: dict[str, str] = field(default_factory=dict, repr=False)

    def get(self, key: str) -> Entry | None:
        """The entry with exactly this key, or None."""
        return self.entries.get(key)

    def lookup_folded(self, key: str) -> str | None:
        """The real key that equals ``key`` ignoring case (for "did you mean"), or None."""
        if not self._folded and self.entries:
            self._folded = {k.casefold(): k for k in self.entries}
        return self._folded.get(key.casefold())

    def add(self, key: str, entry: Entry, line: int) -> None:
        self.entries[key] = entry
        self.lines[key] = line
        self._folded[key.casefold()] = key


@dataclass
class _Chunk:
    kind: str  # lower-cased @type: "comment", "string", "preamble" or an entry type
    type_name: str  # as written
    text: str
    line: int
    key: str | None = None


@dataclass
class _Value:
    """A parsed field value: its literal parts and the macros it names."""

    literal_chars: int = 0
    macros: list[str] = field(default_factory=list)
    parts: list[tuple[str, str]] = field(default_factory=list)  # ("lit"|"macro", text)


class _ValueError(Exception):
    pass


# --------------------------------------------------------------------------- reading


class _Loader:
    def __init__(self, report: Report, display_path: str, rules: EntryRules | None = None,
                 text_rules: TextRules | None = None) -> None:
        self.report = report
        self.rules = rules
        self.text_rules = text_rules
        self.path = display_path
        self.macros: dict[str, str] = {name[:3].lower(): name for name in MONTHS}  # BibTeX's jan ... dec
        self.bad_macros: set[str] = set()
        self.seen_keys: dict[str, tuple[str, int]] = {}
        self.seen_anchors: dict[str, tuple[str, int]] = {}  # reference_anchor(key), folded -> first
        self.result = Bibliography(path=display_path)
        self.entry_chunks: list[_Chunk] = []
        self.has_bad_bytes = False
        self.macro_chars = 0  # characters added by macro expansion so far (MAX_FILE_MACRO_CHARS)
        self.budget_passed_at = 0  # line of the first entry past that budget
        self.over_entry_limit_at = 0  # line of the first entry past MAX_ENTRIES

    def error(self, line: int, where: str, message: str, hint: str = "") -> None:
        self.report.error(self.path, line, where, message, hint)

    def warning(self, line: int, where: str, message: str, hint: str = "") -> None:
        self.report.warning(self.path, line, where, message, hint)

    # ---------------------------------------------------------------- top level

    def load(self, path: Path) -> Bibliography:
        text = self.read_text(path)
        if text is None:
            return self.result
        self.has_bad_bytes = _first_surrogate(text, 0, len(text)) >= 0
        batch: list[_Chunk] = []
        for chunk in self.chunks(text):
            if chunk.kind not in ("string", "comment", "preamble"):
                if len(self.entry_chunks) >= MAX_ENTRIES:
                    self.over_entry_limit(chunk)
                    continue
                self.entry_chunks.append(chunk)
            elif len(self.entry_chunks) >= MAX_ENTRIES:
                continue
            try:
                if chunk.kind == "string":
                    self.parse_batch(batch)
                    batch = []
                    self.define_macro(chunk)
                elif chunk.kind in ("comment", "preamble"):
                    continue
                elif self.precheck_entry(chunk):
                    batch.append(chunk)
            except Exception as exc:  # noqa: BLE001 - never raise on input
                self.internal_error(chunk.line, exc)
        self.parse_batch(batch)
        for chunk in self.entry_chunks:
            if chunk.key and chunk.key not in self.result.entries:
                self.result.rejected.setdefault(chunk.key, chunk.line)
        self.note_unpublished()
        return self.result

    def note_unpublished(self) -> None:
        """One line, for information, naming the fields set aside (not an error or warning).
        Fields named ``x-...`` are private by convention (the library's own notes, such as
        ``x-private-note``): set aside without a word."""
        counts = {name: n for name, n in self.result.dropped_fields.items() if not name.startswith("x-")}
        if not counts:
            return
        shown = sorted(counts, key=lambda name: (-counts[name], name))
        listed = ", ".join(f"{name} ({counts[name]})" for name in shown[:12])
        if len(shown) > 12:
            listed += f" and {len(shown) - 12} more"
        entries = sum(1 for fields in self.result.unpublished.values() if any(n in counts for n in fields))
        self.report.note(
            self.path,
            0,
            "references",
            f"{counted(entries, 'entry', 'entries')} {plural(entries, 'has', 'have')} fields the site does not use, left out "
            f"of every page and download: {listed}",
            "nothing to fix; they stay in this file",
        )

    def over_entry_limit(self, chunk: _Chunk) -> None:
        """An entry past :data:`MAX_ENTRIES`: reported once, then only its key is kept (as
        rejected, so that citing it says nothing more)."""
        if not self.over_entry_limit_at:
            self.over_entry_limit_at = chunk.line
            self.error(chunk.line, "references", f"the file holds more than {MAX_ENTRIES:,} entries, the limit; "
                       "this entry and the ones after it are not read", "remove entries that nothing cites")
        if chunk.key:
            self.result.rejected.setdefault(chunk.key, chunk.line)

    def internal_error(self, line: int, exc: BaseException) -> None:
        self.error(
            line,
            "references",
            f"internal error while reading this entry: {type(exc).__name__}: {exc}; please report it",
        )

    def read_text(self, path: Path) -> str | None:
        try:
            size = path.stat().st_size
        except OSError as exc:
            self.error(0, "references", f"cannot read the file: {exc.strerror or exc}")
            return None
        if size > MAX_FILE_BYTES:
            self.error(
                1,
                "references",
                f"file is {size} bytes, more than the limit of {MAX_FILE_BYTES}",
                "split it or remove unused entries",
            )
            return None
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.error(0, "references", f"cannot read the file: {exc.strerror or exc}")
            return None
        return self.decode(data)

    def decode(self, data: bytes) -> str | None:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            self.error(1, "references", "file is UTF-16, not UTF-8", "save it as UTF-8")
            return None
        if data.startswith(b"\xef\xbb\xbf"):
            self.error(
                1,
                "references",
                "file starts with a byte order mark (BOM)",
                "save it as UTF-8 without BOM",
            )
            data = data[3:]
        # Invalid bytes become lone surrogates; chunks holding one are reported and dropped.
        return data.decode("utf-8", errors="surrogateescape")

    # ---------------------------------------------------------------- chunking

    def chunks(self, text: str) -> Iterator[_Chunk]:
        """Cut ``text`` into top-level chunks; text between them is a comment, as in BibTeX."""
        pos = 0
        line = 1
        line_pos = 0
        line_start = 0  # where the line holding line_pos starts
        first_text = -1  # first non-blank character at or after line_start (-1: not looked for yet)
        while True:
            at = text.find("@", pos)
            if at < 0:
                self.check_outside(text, pos, len(text), line, line_pos)
                return
            newlines = text.count("\n", line_pos, at)
            if newlines:
                line += newlines
                line_start = text.rfind("\n", line_pos, at) + 1
                first_text = -1
            line_pos = at
            self.check_outside(text, pos, at, line, line_pos)
            header = _HEADER_RE.match(text, at)
            if header is None:
                if first_text < 0:  # once per line, so a line of many '@' stays linear
                    first_text = _NON_BLANK_RE.search(text, line_start).start()  # type: ignore[union-attr]
                if first_text == at:
                    self.error(
                        line,
                        "references",
                        "'@' at the start of a line does not start an entry",
                        "write @type{key, ...} or remove the '@'",
                    )
                pos = at + 1
                continue
            type_name = header.group(1)
            kind = type_name.lower()
            end, closed = self.find_end(text, header.end(), header.group(2), kind == "comment")
            if not closed and kind == "comment":
                pos = header.end()  # BibTeX: the rest is just comment text
                continue
            chunk = _Chunk(kind, type_name, text[at:end], line)
            if not closed:
                self.report_unterminated(chunk, header.group(2))
            else:
                yield chunk
            pos = end

    def check_outside(self, text: str, start: int, end: int, line: int, line_pos: int) -> None:
        """Bytes that are not UTF-8 between entries are reported on their line."""
        if not self.has_bad_bytes:
            return
        bad = _first_surrogate(text, start, end)
        if bad >= 0:
            if bad < line_pos:
                bad_line = line - text.count("\n", bad, line_pos)
            else:
                bad_line = line + text.count("\n", line_pos, bad)
            self.error(bad_line, "references", "text is not valid UTF-8", "save the file as UTF-8")

    @staticmethod
    def find_end(text: str, start: int, opener: str, plain: bool) -> tuple[int, bool]:
        """Index just past the closing delimiter, and whether one was found.

        An unclosed entry ends before the next line that starts with ``@name{``.
        """
        depth = 0
        in_quote = False
        if plain:
            scan = _PLAIN_BRACE_RE
        else:
            scan = _BRACE_SCAN_RE if opener == "{" else _PAREN_SCAN_RE
        for m in scan.finditer(text, start):
            c = m.group()
            if c == "{":
                depth += 1
            elif c == "}":
                if depth == 0:
                    if opener == "{":
                        return m.end(), True
                    continue  # stray '}' in a (...) entry: pybtex reports it
                depth -= 1
            elif c == '"':
                if depth == 0:
                    in_quote = not in_quote
            elif c == ")":
                if depth == 0 and not in_quote:
                    return m.end(), True
            elif c == "(":
                continue
            else:  # a line starting with '@name{'
                return m.start() + 1, False
        return len(text), False

    def report_unterminated(self, chunk: _Chunk, opener: str) -> None:
        closer = "}" if opener == "{" else ")"
        key = _header_key(chunk.text)
        where = reference_where(key) if key and KEY_RE.match(key) else "references"
        self.error(
            chunk.line,
            where,
            f"@{chunk.type_name} is never closed: missing '{closer}'",
            f"add the '{closer}' that ends it before the next entry",
        )

    # ---------------------------------------------------------------- @string

    def define_macro(self, chunk: _Chunk) -> None:
        if _first_surrogate(chunk.text, 0, len(chunk.text)) >= 0:
            self.error(chunk.line, "references", "@string has text that is not valid UTF-8")
            return
        inner_start = _HEADER_RE.match(chunk.text).end()  # type: ignore[union-attr]
        body = chunk.text[inner_start:-1]
        m = re.match(r"\s*([^\s\"#%'(),={}]+)\s*=", body)
        if m is None:
            self.error(
                chunk.line,
                "references",
                "@string must look like @string{name = {value}}",
            )
            return
        name = m.group(1)
        where = f"references.@string[{name}]"
        try:
            value, end = _parse_value(body, m.end())
        except _ValueError as exc:
            self.error(chunk.line, where, f"cannot read the value: {exc}")
            self.bad_macros.add(name.lower())
            return
        if end < len(body):
            self.error(chunk.line, where, "unexpected text after the value", "one @string per name")
            self.bad_macros.add(name.lower())
            return
        found = find_controls(body, allow=_BIBTEX_WHITESPACE)
        if found:
            self.control_error(chunk, inner_start + found[0][0], where, found)
            self.bad_macros.add(name.lower())
            self.macros.pop(name.lower(), None)
            return
        expanded = self.expand(value, chunk.line, where, name)
        if expanded is None:
            self.bad_macros.add(name.lower())
            self.macros.pop(name.lower(), None)
            return
        self.bad_macros.discard(name.lower())
        self.macros[name.lower()] = expanded

    def expand(self, value: _Value, line: int, where: str, name: str) -> str | None:
        """The text of an @string value, or None (reported) if it cannot be used."""
        if name.lower() in (m.lower() for m in value.macros):
            self.error(line, where, f"@string {name} refers to itself", "macros cannot be recursive")
            return None
        if not self.check_macros(value, line, where):
            return None
        added = sum(len(self.macros[m.lower()]) for m in value.macros)
        size = value.literal_chars + added
        if size > MAX_MACRO_CHARS:
            self.error(
                line,
                where,
                f"@string {name} expands to {size} characters, more than {MAX_MACRO_CHARS}",
                "macros this large are not allowed",
            )
            return None
        if not self.spend_macro_budget(added, line, where):
            return None
        return "".join(text if kind == "lit" else self.macros[text.lower()] for kind, text in value.parts)

    def check_macros(self, value: _Value, line: int, where: str) -> bool:
        ok = True
        for name in dict.fromkeys(value.macros):
            if name.lower() in self.bad_macros:
                self.error(line, where, f"uses @string {name}, which was rejected")
                ok = False
            elif name.lower() not in self.macros:
                self.error(
                    line,
                    where,
                    f"undefined macro {name}",
                    f"define it with @string{{{name} = {{...}}}} or put the value in braces",
                )
                ok = False
        return ok

    # ---------------------------------------------------------------- entries

    def precheck_entry(self, chunk: _Chunk) -> bool:
        """Checks on the raw text: key, duplicates, encoding, macros. True if worth parsing."""
        key = _header_key(chunk.text)
        if not key:
            self.error(
                chunk.line,
                "references",
                f"@{chunk.type_name} entry has no key",
                f"write @{chunk.type_name}{{Key2024, ...}}",
            )
            return False
        if not KEY_RE.match(key):
            suggestion = re.sub(r"[^A-Za-z0-9_:\-.]", "", key)
            hint = "use only letters, digits and _ : - ."
            if suggestion:
                hint += f", e.g. {suggestion}"
            self.error(chunk.line, f"references[{key}]", f"key {key!r} has characters that are not allowed", hint)
            return False
        chunk.key = key
        first = self.seen_keys.get(key.casefold())
        if first is not None:
            first_key, first_line = first
            same = "the same key" if first_key == key else f"the key {first_key} (differs only in case)"
            self.error(
                chunk.line,
                reference_where(key),
                f"duplicate key: {same} is already used at line {first_line}",
                "keys must be unique ignoring case; rename or remove one",
            )
            return False
        self.seen_keys[key.casefold()] = (key, chunk.line)
        anchor = reference_anchor(key).casefold()
        first = self.seen_anchors.get(anchor)
        if first is not None:
            first_key, first_line = first
            self.error(
                chunk.line,
                reference_where(key),
                f"key {key} would share its link on the site (#{reference_anchor(key)}) with the key {first_key} "
                f"at line {first_line}",
                "in a link '.', ':' and '-' are all written '-'; rename one of the two keys",
            )
            return False
        self.seen_anchors[anchor] = (key, chunk.line)
        if self.has_bad_bytes and _first_surrogate(chunk.text, 0, len(chunk.text)) >= 0:
            self.error(chunk.line, reference_where(key), "entry has text that is not valid UTF-8", "save the file as UTF-8")
            return False
        if chunk.kind not in REQUIRED_FIELDS:
            known = ", ".join(sorted(REQUIRED_FIELDS))
            self.error(chunk.line, reference_where(key), f"unknown entry type @{chunk.type_name}", f"use one of: {known}")
            return False
        return self.check_entry_values(chunk, key)

    def spend_macro_budget(self, added: int, line: int, where: str) -> bool:
        """Count ``added`` characters of macro text against the file's budget; past it, an error."""
        if self.macro_chars + added <= MAX_FILE_MACRO_CHARS:
            self.macro_chars += added
            return True
        if self.budget_passed_at:
            self.error(line, where, f"its @string macros would pass the file's limit of {MAX_FILE_MACRO_CHARS} "
                       f"expanded characters (see line {self.budget_passed_at})",
                       "write the text in the entry itself")
            return False
        self.budget_passed_at = line
        self.error(
            line,
            where,
            f"@string macros in this file expand to more than {MAX_FILE_MACRO_CHARS} characters in all: the "
            f"{added} characters they add here would pass that limit",
            "write long text once, in the entry itself: a macro is for a short name used in many "
            "entries, like a journal title",
        )
        return False

    def quick_bound(self, text: str) -> tuple[int, int] | None:
        """A fast over-estimate of an entry's size after expansion and of the characters its
        macros add, or None if it names a macro that is not (or not validly) defined.

        Anything after '=' or '#' that looks like a name is counted as a macro, even inside
        braced text, so both numbers are at least the real ones."""
        added = 0
        for name in _MAYBE_MACRO_RE.findall(text):
            folded = name.lower()
            if folded not in self.macros or folded in self.bad_macros:
                return None
            added += len(self.macros[folded])
        return len(text) + added, added

    def check_entry_values(self, chunk: _Chunk, key: str) -> bool:
        """Undefined macros, oversized fields and entries, too many fields, the file's macro
        budget. Syntax errors are left to pybtex. Sizes are counted, never built: nothing
        is expanded before it is known to fit."""
        bound = self.quick_bound(chunk.text)
        if (bound is not None and bound[0] <= MAX_FIELD_CHARS and chunk.text.count("=") <= MAX_FIELDS_PER_ENTRY
                and self.macro_chars + bound[1] <= MAX_FILE_MACRO_CHARS):
            self.macro_chars += bound[1]
            return True
        ok = True
        count = total = added = 0
        passed_at = ""
        end = 0
        body, _ = _entry_body(chunk.text)
        for item in _entry_fields(chunk.text):
            count += 1
            end = item.end
            if count > MAX_FIELDS_PER_ENTRY:
                self.error(
                    chunk.line,
                    reference_where(key),
                    f"entry has more than {MAX_FIELDS_PER_ENTRY} fields",
                    "a reference needs a few dozen fields at most; remove the ones it does not need",
                )
                return False
            where = f"{reference_where(key)}.{item.name.lower()}"
            if not self.check_macros(item.value, chunk.line, where):
                ok = False
                continue
            field_added = sum(len(self.macros[m.lower()]) for m in item.value.macros)
            size = item.value.literal_chars + field_added
            if size > MAX_FIELD_CHARS:
                self.error(chunk.line, where, f"field is {size} characters long, more than {MAX_FIELD_CHARS}",
                           "shorten it; a reference field holds a title or a name, not a document")
                ok = False
            total += size
            added += field_added
            if total > MAX_ENTRY_CHARS and not passed_at:
                passed_at = item.name.lower()
        if body is not None and end < len(body):
            # pybtex may read further than this reader did: count the rest generously.
            rest = self.quick_bound(body[end:])
            if rest is None:  # names a macro that is not defined: pybtex reports it, and it adds nothing
                rest = (len(body) - end, 0)
            total += rest[0]
            added += rest[1]
            if total > MAX_ENTRY_CHARS and not passed_at:
                passed_at = "?"
        if passed_at:
            self.error(
                chunk.line,
                reference_where(key) if passed_at == "?" else f"{reference_where(key)}.{passed_at}",
                f"entry is {total} characters long{' once its @string macros are expanded' if added else ''}, "
                f"more than {MAX_ENTRY_CHARS} for one entry",
                "shorten its longest fields, or write them without macros",
            )
            ok = False
        if ok:
            ok = self.spend_macro_budget(added, chunk.line, reference_where(key))
        return ok

    def parse_batch(self, batch: list[_Chunk]) -> None:
        """Parse entries with one pybtex call; localise problems only if there are any."""
        if not batch:
            return
        data, problems = self.pybtex_parse("\n".join(c.text for c in batch))
        parsed = list(data.entries.items()) if data is not None else []
        if not problems and len(parsed) == len(batch):
            for chunk, (key, entry) in zip(batch, parsed):
                self.accept(chunk, key, entry)
            return
        bad = _first_bad_chunk(batch, problems)
        if bad is None:
            if len(batch) <= 8:
                self.parse_each(batch)
                return
            middle = len(batch) // 2
            self.parse_batch(batch[:middle])
            self.parse_batch(batch[middle:])
            return
        # Entries well before the first error parsed as they would alone; the one just
        # before it is parsed again in case it swallowed the text where the error shows.
        first = max(bad - 1, 0)
        before = parsed[:first]
        if len(before) == first and all(c.key == k for c, (k, _) in zip(batch, before)):
            for chunk, (key, entry) in zip(batch, before):
                self.accept(chunk, key, entry)
        else:
            self.parse_batch(batch[:first])
        self.parse_each(batch[first : bad + 1])
        self.parse_batch(batch[bad + 1 :])

    def parse_each(self, batch: list[_Chunk]) -> None:
        for chunk in batch:
            try:
                self.parse_single(chunk)
            except Exception as exc:  # noqa: BLE001 - never raise on input
                self.internal_error(chunk.line, exc)

    def parse_single(self, chunk: _Chunk) -> None:
        key = chunk.key or ""
        data, problems = self.pybtex_parse(chunk.text)
        for problem in problems:
            line, message = _describe(problem, chunk.line)
            where = reference_where(key)
            duplicate = _DUPLICATE_FIELD_RE.search(message)
            if duplicate:
                where = f"{where}.{duplicate.group(1).lower()}"
                message = f"field {duplicate.group(1)} is given more than once"
            self.error(line, where, message, _hint(problem))
        if problems:
            return
        if data is None or len(data.entries) != 1:
            self.error(chunk.line, reference_where(key), "entry could not be read", "check its braces and commas")
            return
        ((parsed_key, entry),) = data.entries.items()
        self.accept(chunk, parsed_key, entry)

    def pybtex_parse(self, text: str) -> tuple[BibliographyData | None, list[Exception]]:
        parser = _CollectingParser(macros=self.macros)
        with pybtex.errors.capture() as captured:
            try:
                data = parser.parse_string(text)
            except Exception as exc:  # noqa: BLE001 - pybtex raising is a problem to report
                return None, [*parser.problems, *captured, exc]
        return data, [*parser.problems, *captured]

    def accept(self, chunk: _Chunk, key: str, entry: Entry) -> None:
        key = chunk.key or key
        self.set_aside_unpublished(key, entry)
        if self.check_fields(chunk, key, entry):
            self.result.add(key, entry, chunk.line)
            if self.text_rules is not None:
                self.text_rules(key, _fields_as_written(chunk), self.report, self.path)

    def set_aside_unpublished(self, key: str, entry: Entry) -> None:
        """Move the fields the site does not publish out of the entry (into
        ``Bibliography.unpublished``), so no page, download or export can carry them, and no
        check rejects an entry for them."""
        names = [name for name in entry.fields if name.lower() not in PUBLISHED_FIELDS]
        if not names:
            return
        aside = self.result.unpublished.setdefault(key, {})
        for name in names:
            aside[name.lower()] = entry.fields.pop(name)
            self.result.dropped_fields[name.lower()] = self.result.dropped_fields.get(name.lower(), 0) + 1

    def check_fields(self, chunk: _Chunk, key: str, entry: Entry) -> bool:
        """The reader's own check of a field (control and invisible characters, which the
        text as written shows and a parsed value may not), then the rules it was given
        (:func:`coprod.checks.reference_fields.check_entry`: required fields, DOI, URL, markup,
        names, title case)."""
        ok = self.check_controls(chunk, key)
        if self.rules is not None:
            ok = self.rules(chunk.kind, key, chunk.line, entry, self.report, self.path) and ok
        return ok

    def check_controls(self, chunk: _Chunk, key: str) -> bool:
        """No control or invisible character (see :mod:`coprod.read.controls`) in a published field:
        they forge lines in citation files and make text read differently from what it is.
        Line breaks and tabs are allowed: in BibTeX they are spaces (pybtex reads them so)."""
        if not has_controls(chunk.text, allow=_BIBTEX_WHITESPACE):
            return True
        body, offset = _entry_body(chunk.text)
        reported: set[str] = set()
        covered = 0
        ok = True
        for item in _entry_fields(chunk.text):
            name = item.name.lower()
            covered = item.end
            if name not in PUBLISHED_FIELDS:
                continue
            found = find_controls(body[item.start : item.end], allow=_BIBTEX_WHITESPACE)  # type: ignore[index]
            if found and name not in reported:
                reported.add(name)
                self.control_error(chunk, offset + item.start + found[0][0], f"{reference_where(key)}.{name}", found)
                ok = False
        rest = find_controls(chunk.text[offset + covered :] if body is not None else chunk.text,
                             allow=_BIBTEX_WHITESPACE)
        if rest and not reported:
            at = (offset + covered if body is not None else 0) + rest[0][0]
            self.control_error(chunk, at, reference_where(key), rest)
            ok = False
        return ok

    def control_error(self, chunk: _Chunk, at: int, where: str, found: list[tuple[int, str]]) -> None:
        kinds = list(dict.fromkeys(char for _, char in found))
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        self.error(
            chunk.line + chunk.text.count("\n", 0, at),
            where,
            f"invisible or control character {describe(kinds[0])}{more}: not allowed in a reference, "
            "where it could break citation files or make the text read differently from what it is",
            "delete it; if you cannot see it, retype the words around it",
        )

class _CollectingParser(Parser):
    """A pybtex parser that collects its errors instead of raising or printing them."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.problems: list[Exception] = []

    def handle_error(self, error: Exception) -> None:
        self.problems.append(error)


# --------------------------------------------------------------------------- helpers


def reference_where(key: str) -> str:
    """How messages name an entry or one of its fields: ``references[key]``."""
    return f"references[{key}]"


def _header_key(text: str) -> str | None:
    """The key as written: text after the opening delimiter up to the first comma."""
    header = _HEADER_RE.match(text)
    if header is None:
        return None
    closer = "}" if header.group(2) == "{" else ")"
    rest = text[header.end() :]
    end = len(rest)
    for stop in (",", "\n", closer, "="):
        i = rest.find(stop)
        if 0 <= i < end:
            end = i
    return rest[:end].strip() or None


def _first_surrogate(text: str, start: int, end: int) -> int:
    """Index of the first undecodable byte (a lone surrogate) in text[start:end], or -1."""
    m = _SURROGATE_RE.search(text, start, end)
    return m.start() if m else -1


_SURROGATE_RE = re.compile("[\udc80-\udcff]")


def _first_bad_chunk(batch: list[_Chunk], problems: list[Exception]) -> int | None:
    """Index of the chunk holding the first syntax error of a joined batch, if known."""
    lines = [p.lineno for p in problems if isinstance(p, PybtexSyntaxError) and p.lineno]
    if not lines:
        return None
    target = min(lines)
    start = 1
    for index, chunk in enumerate(batch):
        start += chunk.text.count("\n") + 1
        if target < start:
            return index
    return len(batch) - 1


def _describe(problem: Exception, chunk_line: int) -> tuple[int, str]:
    """A line in the file and a message for a pybtex problem found in a chunk."""
    if isinstance(problem, PybtexSyntaxError):
        line = chunk_line + max((problem.lineno or 1) - 1, 0)
        base = problem.args[0] if problem.args else ""
        return line, f"{problem.error_type}: {base}"
    return chunk_line, str(problem) or type(problem).__name__


def _hint(problem: Exception) -> str:
    if isinstance(problem, PybtexSyntaxError):
        return "check the braces, quotes, '=' and commas of this entry"
    if _DUPLICATE_FIELD_RE.search(str(problem)):
        return "keep one of them"
    return ""


_DUPLICATE_FIELD_RE = re.compile(r"has a duplicate (\S+) field\Z")


def _skip_ws(text: str, pos: int) -> int:
    return _WS_RE.match(text, pos).end()  # type: ignore[union-attr]


def _parse_braced(text: str, pos: int) -> int:
    """``text[pos]`` is '{': index just past its matching '}'."""
    depth = 0
    for m in _PLAIN_BRACE_RE.finditer(text, pos):
        depth += 1 if m.group() == "{" else -1
        if depth == 0:
            return m.end()
    raise _ValueError("unbalanced braces")


def _parse_quoted(text: str, pos: int) -> int:
    """``text[pos]`` is '"': index just past the closing quote (braces protect quotes)."""
    depth = 0
    for m in re.compile(r'[{}"]').finditer(text, pos + 1):
        c = m.group()
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                raise _ValueError("unbalanced braces")
        elif depth == 0:
            return m.end()
    raise _ValueError("unterminated quoted string")


def _parse_value(text: str, pos: int) -> tuple[_Value, int]:
    """Parse ``part # part ...`` from ``pos``; return the value and the index just after it
    (and any whitespace). One pass: nothing after the value is copied."""
    value = _Value()
    while True:
        pos = _skip_ws(text, pos)
        if pos >= len(text):
            raise _ValueError("value expected")
        c = text[pos]
        if c in '{"':
            end = _parse_braced(text, pos) if c == "{" else _parse_quoted(text, pos)
            literal = text[pos + 1 : end - 1]
            value.parts.append(("lit", literal))
            value.literal_chars += len(literal)
        elif (m := _NUMBER_RE.match(text, pos)) is not None:
            end = m.end()
            value.parts.append(("lit", m.group()))
            value.literal_chars += len(m.group())
        elif (m := _NAME_RE.match(text, pos)) is not None:
            end = m.end()
            value.parts.append(("macro", m.group()))
            value.macros.append(m.group())
        else:
            raise _ValueError(f"unexpected {c!r}")
        pos = _skip_ws(text, end)
        if pos < len(text) and text[pos] == "#":
            pos += 1
            continue
        return value, pos


@dataclass
class _Field:
    """One field of an entry as written: its name, value, and where its text is in the body."""

    name: str
    value: _Value
    start: int  # offset of the name in the body
    end: int  # offset just past the value


_FIELD_NAME_RE = re.compile(r"([^\s\"#%'(),={}]+)\s*=")


def _entry_fields(text: str) -> Iterator[_Field]:
    """The fields of an entry chunk, as far as they can be read; pybtex reports the rest.

    Offsets are into the body (the text after the opening delimiter): see :func:`_entry_body`.
    """
    body, _ = _entry_body(text)
    if body is None:
        return
    comma = body.find(",")
    if comma < 0:
        return
    pos = comma + 1
    while True:
        pos = _skip_ws(body, pos)
        m = _FIELD_NAME_RE.match(body, pos)
        if m is None:
            return
        try:
            value, end = _parse_value(body, m.end())
        except _ValueError:
            return
        yield _Field(m.group(1), value, m.start(), end)
        pos = end
        if pos < len(body) and body[pos] == ",":
            pos += 1
        else:
            return


def _entry_body(text: str) -> tuple[str | None, int]:
    """The text between an entry's delimiters, and the offset in ``text`` where it starts."""
    header = _HEADER_RE.match(text)
    if header is None:
        return None, 0
    return text[header.end() : -1], header.end()


# --------------------------------------------------------------------------- public


VERBATIM_FIELDS = frozenset({"doi", "url"})  # identifiers: a "%" in them is percent-encoding


class _VerbatimWriter(BibTeXWriter):
    """pybtex's BibTeX writer, writing values as they were read. pybtex's own writer encodes
    each value as LaTeX again, which changes text that already is LaTeX: a DOI's ``_``
    becomes ``\\_`` and ``\\%`` becomes ``\\\\%``, so a reader's reference manager imports a
    different DOI. The one change: a bare ``%`` in text, which the site reads as a per cent
    sign (:mod:`coprod.cite.latex`), is written ``\\%`` so the reader's LaTeX reads it so too."""

    def _encode(self, text: str) -> str:
        return escape_bare_percent(text)

    def _write_field(self, stream: io.TextIOBase, type: str, value: str) -> None:
        if type.lower() in VERBATIM_FIELDS:
            stream.write(f",\n    {type} = {self.quote(value)}")
        else:
            super()._write_field(stream, type, value)


def write_bibtex(entries: dict[str, Entry]) -> str:
    """The entries as a .bib file, in the order given, each value exactly as read but for a
    bare ``%`` written ``\\%`` (values from :func:`load_bibliography` have balanced braces,
    so none can close its field early)."""
    if not entries:
        return ""
    stream = io.StringIO()
    _VerbatimWriter().write_stream(BibliographyData(entries), stream)
    return stream.getvalue()


def _fields_as_written(chunk: _Chunk) -> Iterator[tuple[str, int, str]]:
    """(name in lower case, line of the name, value as written) for each field of an entry,
    cut as the reader cuts it; lines counted on from the last field, so one pass."""
    body, offset = _entry_body(chunk.text)
    line, counted = chunk.line, 0
    for item in _entry_fields(chunk.text):
        line += chunk.text.count("\n", counted, offset + item.start)
        counted = offset + item.start
        value_start = body.index("=", item.start) + 1  # type: ignore[union-attr]
        yield item.name.lower(), line, body[value_start : item.end]  # type: ignore[index]


def load_bibliography(path: Path, report: Report, display_path: str | None = None,
                      rules: EntryRules | None = None, text_rules: TextRules | None = None) -> Bibliography:
    """Read a .bib file: every good entry is kept, every problem is added to ``report``.
    ``rules`` decide whether a parsed entry's fields are good (False: the entry is rejected);
    the checks pass theirs (:func:`coprod.checks.reference_fields.load_references`), so
    read alone the file is only read: cut, parsed and screened for control characters.
    ``text_rules`` check each good entry's fields as written (see :data:`TextRules`).

    Never raises for bad input: an unexpected failure becomes an "internal error" problem.
    """
    shown = display_path if display_path is not None else str(path)
    loader = _Loader(report, shown, rules, text_rules)
    try:
        return loader.load(path)
    except Exception as exc:  # noqa: BLE001 - never raise on input
        loader.internal_error(1, exc)
        return loader.result
