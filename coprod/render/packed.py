"""Rendered pages held compressed until MkDocs writes them.

MkDocs renders every page's markdown first and only then puts each page into its theme and
writes it, so the HTML of every page is held at once: at 10,000 case studies, with the
pages that list them, that is most of the build's memory. Between the two, this keeps each
page's HTML compressed (zlib, fast level; text compresses about sixfold) and gives it back
just before its template is rendered (``on_page_context``). The HTML is the same, byte for
byte; only where it waits changes. :func:`pack` and :func:`unpack` do the same for any
text held to the end of a build (the search documents of coprod/rebuild.py).
"""

from __future__ import annotations

import zlib


def pack(text: str) -> bytes:
    """``text`` compressed, to be held until :func:`unpack` gives it back, the same."""
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def unpack(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8", "surrogatepass")


class PackedPages:
    """``rendered(page)`` after each page's HTML is made; ``pack_last()`` once all are;
    ``unpack(page)`` before its template. A page MkDocs has not finished rendering is never
    touched: each is packed when the next one is rendered."""

    def __init__(self) -> None:
        self._last = None
        self._packed: dict[str, bytes] = {}

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
        data = self._packed.pop(page.file.src_uri, None)
        if data is not None:
            page.content = unpack(data)
