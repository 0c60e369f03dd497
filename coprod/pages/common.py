"""Pieces shared by the pages of single records (case studies and claims)."""

from __future__ import annotations

from ..model import Library
from ..read import urls
from ..render.markup import esc, link


def term_link(library: Library, vocabulary: str, key: str, from_uri: str) -> str:
    """An HTML link to a taxonomy term's page, labelled with the term's label."""
    term = library.term(vocabulary, key)
    if term is None:
        return esc(key)
    page = library.term_page(vocabulary, key)
    return link(urls.href(from_uri, page), esc(term.label)) if page else esc(term.label)
