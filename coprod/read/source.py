"""Reading one evidence file: bytes to text to front matter and body, strictly.

A contributor's file can be anything: empty, huge, in another encoding, with a byte order
mark, with front matter that never ends or is a list. Each of these is a problem with the
file's line, never an exception. The front matter is read with :mod:`coprod.read.strictyaml`
so every value keeps its line in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import strictyaml
from .problems import Report

MAX_BYTES = 256 * 1024  # a case study is a few KB; anything this big is a mistake or an attack
BOM = b"\xef\xbb\xbf"


@dataclass
class SourceFile:
    """A file split into front matter (with lines) and markdown body."""

    path: str  # as shown in messages
    data: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)  # data path -> line in the file
    plain: dict = field(default_factory=dict)  # data path -> text of plain non-string scalars
    broken: set = field(default_factory=set)  # data paths with a YAML problem (already reported)
    body: str = ""
    body_line: int = 1  # the file line where the body starts
    readable: bool = False  # front matter was read into a mapping

    def is_broken(self, path: tuple) -> bool:
        """Whether the value at ``path`` (or around it) had a YAML problem already reported."""
        return any(path[: len(b)] == b for b in self.broken if b)

    def line_of(self, path: tuple) -> int:
        path = tuple(path)
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


def decode(raw: bytes, display: str, report: Report, field_name: str = "file") -> str | None:
    """Bytes to text: size, emptiness, BOM and UTF-8 checked. None when nothing can be read."""
    if len(raw) > MAX_BYTES:
        report.error(display, 1, field_name, f"file is {len(raw) // 1024} KB; the limit is {MAX_BYTES // 1024} KB",
                     "split it up or remove embedded data")
        return None
    if not raw.strip():
        report.error(display, 1, field_name, "file is empty", "fill it in from the template, or delete it")
        return None
    if raw.startswith(BOM):
        report.error(display, 1, field_name, "file starts with a byte order mark (BOM)",
                     "save it as UTF-8 without BOM")
        raw = raw[len(BOM):]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        report.error(display, line, field_name,
                     f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at position {exc.start})",
                     "save the file as UTF-8")
        text = raw.decode("utf-8", errors="replace")
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        report.error(display, line, field_name, "file contains a NUL character", "save it as plain UTF-8 text")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_source(path: Path, display: str, report: Report, raw: bytes | None = None) -> SourceFile:
    """Read a markdown file with YAML front matter (``raw``: its bytes, when already read).
    Problems go to ``report``."""
    source = SourceFile(display)
    try:
        raw = path.read_bytes() if raw is None else raw
    except OSError as exc:
        report.error(display, 1, "file", f"cannot be read: {exc.strerror}")
        return source
    text = decode(raw, display, report)
    if text is None:
        return source
    parse_front_matter(text, source, report)
    return source


def parse_front_matter(text: str, source: SourceFile, report: Report) -> None:
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        report.error(source.path, 1, "front matter",
                     "the file must start with front matter: a line of three hyphens '---'",
                     "copy the start of an existing case study or run scripts/new_case_study.py")
        return
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        report.error(source.path, 1, "front matter", "the front matter is not closed",
                     "add a line '---' after the last field")
        return
    yaml_text = "\n".join(lines[1:end]) + "\n"
    source.body = "\n".join(lines[end + 1:])
    source.body_line = end + 2
    document = strictyaml.load(yaml_text)
    for problem in document.problems:
        report.error(source.path, problem.line + 1, dotted(problem.path) or "front matter", problem.message,
                     problem.hint)
        source.broken.add(tuple(problem.path))
    if document.data is None and not document.problems:
        report.error(source.path, 1, "front matter", "the front matter is empty", "fill in the fields")
        return
    if document.data is not None and not isinstance(document.data, dict):
        report.error(source.path, 2, "front matter",
                     f"the front matter must be a set of 'field: value' lines, not {strictyaml.kind_of(document.data)}")
        return
    if document.data is None:
        return
    source.data = document.data
    source.lines = {path: line + 1 for path, line in document.lines.items()}
    source.plain = document.plain
    source.readable = True



def as_written(raw: bytes) -> str:
    """A file's bytes as ``Path.read_text(encoding="utf-8", errors="replace")`` reads them:
    bad bytes replaced, a byte order mark kept, every line break a newline."""
    return raw.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")


def dotted(path: tuple | list) -> str:
    """('outcomes', 0, 'area') -> 'outcomes[0].area', as messages show a field."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
