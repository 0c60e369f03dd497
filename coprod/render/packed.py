"""Rendered pages held compressed, on disk, until MkDocs writes them.

MkDocs renders every page's markdown first and only then puts each page into its theme and
writes it, so the HTML of every page is held at once: at 10,000 case studies, with the
pages that list them, that is most of the build's memory. Between the two, this keeps each
page's HTML compressed (zlib, fast level; text compresses about sixfold) in a temporary
file (:class:`Spilled`) and gives it back just before its template is rendered
(``on_page_context``). The HTML is the same, byte for byte; only where it waits changes.
:func:`pack` and :func:`unpack` do the same for any text held to the end of a build (the
search documents of coprod/rebuild.py, also kept in a :class:`Spilled`).
"""

from __future__ import annotations

import os
import tempfile
import threading
import zlib
from collections.abc import Iterable, MutableMapping


def pack(text: str) -> bytes:
    """``text`` compressed, to be held until :func:`unpack` gives it back, the same."""
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def unpack(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8", "surrogatepass")


class Spilled(MutableMapping):
    """``name -> bytes`` whose bytes are in a temporary file of this process (deleted when
    it is closed or let go), read back when asked for: what a build holds to its end costs
    disk, not memory. The names and where each one's bytes are stay in memory."""

    def __init__(self, file=None) -> None:
        self._file = file  # shared with a subset; made on the first write
        self._lock = threading.Lock()  # serve writes the search index on a thread of its own
        self._where: dict[str, tuple[int, int]] = {}

    def __setitem__(self, name: str, data: bytes) -> None:
        with self._lock:
            if self._file is None:
                self._file = _Shared(tempfile.TemporaryFile())  # noqa: SIM115 - closed when let go
            self._where[name] = self._file.append(bytes(data))

    def __getitem__(self, name: str) -> bytes:
        offset, length = self._where[name]
        return self._file.read(offset, length)

    def __delitem__(self, name: str) -> None:
        del self._where[name]

    def __iter__(self):
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def size(self, name: str) -> int:
        """The length of ``name``'s bytes, without reading them."""
        return self._where[name][1]

    def only(self, names: Iterable[str]) -> Spilled:
        """The entries of ``names`` that are here, in that order, sharing this file."""
        subset = Spilled(self._file)
        subset._where = {name: self._where[name] for name in names if name in self._where}
        return subset


class _Shared:
    """One temporary file that :class:`Spilled` mappings append to and read from."""

    def __init__(self, file) -> None:
        self._file, self._lock = file, threading.Lock()

    def append(self, data: bytes) -> tuple[int, int]:
        with self._lock:
            offset = self._file.seek(0, os.SEEK_END)
            self._file.write(data)
            return offset, len(data)

    def read(self, offset: int, length: int) -> bytes:
        with self._lock:
            self._file.seek(offset)
            return self._file.read(length)


class PackedPages:
    """``rendered(page)`` after each page's HTML is made; ``pack_last()`` once all are;
    ``unpack(page)`` before its template. A page MkDocs has not finished rendering is never
    touched: each is packed when the next one is rendered."""

    def __init__(self) -> None:
        self._last = None
        self._packed = Spilled()

    def rendered(self, page) -> None:
        self.pack_last()
        self._last = page

    def pack_last(self) -> None:
        page, self._last = self._last, None
        if page is not None and isinstance(page.content, str):
            self._packed[page.file.src_uri] = pack(page.content)
            page.content = None

    def unpack(self, page) -> None:
        if page is self._last:
            self._last = None
        if page.file.src_uri in self._packed:
            page.content = unpack(self._packed.pop(page.file.src_uri))
