"""Search with Pagefind: the attributes pages carry for it, and the index built from the site.

Pagefind (PyPI ``pagefind[bin]``, which ships its binary) reads the built HTML and writes a
chunked index to ``<site>/pagefind/``; a reader's browser then fetches only the chunks a
query needs, instead of Material's whole index on every page.

What is indexed: the pages people look for. Case studies, claims and the hand-written
pages (about, how to contribute, how to cite), and the topic pages (each term's and
country's page, found by its name) have their content wrapped in ``data-pagefind-body``;
once any page has that attribute Pagefind indexes only such pages, so the other generated
lists (catalogue, year pages, references, the evidence map), the lists of case-study cards
and the navigation stay out of the results.

Each case study carries, in a hidden ``data-pagefind-ignore`` block (filters and metadata
are read there; the words are not indexed twice):

- the filter ``kind`` (case-study, claim or page): the catalogue asks for case studies only,
  and a result says which kind it is;
- metadata for the results: title, summary, principles (labels), years, status.

Nothing else: the catalogue's facets, counts and order come from ``data/catalogue.json``,
not from Pagefind. A filter per facet made every result's fragment larger, and a sort key
put a list of every page, in that order, into the metadata file every first search loads
(22 KB of its 95 KB at 10,000 case studies).

Index chunks: Pagefind fills each chunk of its word index with words, in alphabetical
order, until they hold :data:`INDEX_CHUNK_SIZE` locations, and a search loads the whole
chunk a typed word falls in. A rare word sitting next to a word that is on every page
("peer" before "people") was fetched with up to 20,000 of its neighbours' locations
(Pagefind's default); smaller chunks cut that to a quarter, for 400 more entries of a few
bytes each in the metadata file. Pagefind 1.5 reads the size from
``PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE`` (the version is pinned in pyproject.toml).

With the index, ``case-study-addresses.json`` in its folder names the address of each case
study's fragment (``pagefind_stream.ADDRESSES``): the catalogue reads its matches' addresses
there instead of fetching one fragment per match.

The bundle folder is ``pagefind/`` (Pagefind's default since 1.0), not ``_pagefind/``:
GitHub Pages' Jekyll drops folders whose names start with an underscore.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..model import CaseStudy, Library
from ..pages.citing import HOW_TO_CITE
from ..read import urls
from ..read.kinds import CASE_STUDY, CLAIM
from ..render.markup import esc
from ..render.packed import Spilled, unpack
from .pagefind_stream import ADDRESSES, Folder, PagefindServiceError, StreamingIndex, case_study_addresses

BUNDLE = "pagefind"  # the index's folder in the site
# never indexed inside a page body: permalinks, the "edit this page" icon, and the parts of
# a record's page that are the same words on every page (citation formats, the page's
# version and licence) or that belong to other works (its reference list). Indexing them
# made every search match most pages and every result's fragment three times larger.
# Nor the words a record's page repeats on every page around what it says: the names of
# the "At a glance" fields and of the outcome table's columns, the rating badge's words for
# screen readers and its dots, the "Cite this page" button, the GRIPP2 section's opening
# paragraph, its "n of 5 items reported" line (the "At a glance" list says it too) and its
# five item names, and its "Not reported in the sources." for each item a case study's
# sources leave out. At 10,000 case studies each of those words was a posting on every page,
# in the index chunks that queries sharing their first letters fetch. The page's headings
# stay (Pagefind places its results' sub-headings by them), and so do the values: a
# setting's or a principle's label is what a reader may type.
# The lists of case-study cards on listing pages (.coprod-cards) are not indexed either:
# each case study's own page holds its title, summary and labels.
EXCLUDE_SELECTORS = (".headerlink", ".md-content__button", ".coprod-cite", ".coprod-history", ".coprod-references",
                     ".coprod-cards", ".coprod-page-actions", ".coprod-summary-list dt", ".coprod-scroll thead",
                     ".coprod-badge .coprod-sr-only", ".coprod-strength", ".coprod-gripp2-section > p:first-child",
                     ".coprod-gripp2__completeness", ".coprod-gripp2 dt", ".coprod-gripp2__missing")
# the locations of words per chunk of the word index (see the module's docstring); Pagefind's
# default is 20,000
INDEX_CHUNK_SIZE = 5000


def pagefind_env() -> dict[str, str]:
    """The environment Pagefind runs in: this one, with the chunk size."""
    return {**os.environ, "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(INDEX_CHUNK_SIZE)}


class SearchIndexError(Exception):
    """Pagefind failed, or a page that must be searchable is not in the index."""


# ---------------------------------------------------------------------------------------
# The attributes pages carry.

def _span(attribute: str, name: str, value: str) -> str:
    return f'<span {attribute}="{esc(name)}">{esc(value)}</span>'


def _block(parts: list[str]) -> str:
    return f'<div hidden data-pagefind-ignore>{"".join(parts)}</div>'


def principle_labels(record: CaseStudy, library: Library) -> list[str]:
    return library.labels(library.vocabulary_of("principles", "principle"), (p.principle for p in record.principles))


def pagefind_markup(record: CaseStudy, library: Library) -> str:
    """The hidden HTML a case-study page includes: its kind and result metadata."""
    parts = [_span("data-pagefind-filter", "kind", CASE_STUDY.key)]
    parts.append(_span("data-pagefind-meta", "title", record.title))
    parts.append(_span("data-pagefind-meta", "summary", record.summary))
    principles = principle_labels(record, library)
    if principles:
        parts.append(_span("data-pagefind-meta", "principles", "; ".join(principles)))
    if record.years:
        parts.append(_span("data-pagefind-meta", "years", record.years))
    if record.retracted:
        parts.append(_span("data-pagefind-meta", "status", "retracted"))
    return _block(parts)


def page_markup(kind: str, title: str, summary: str = "", retracted: bool = False) -> str:
    """The hidden HTML of a claim or a hand-written page: its kind, title and summary."""
    parts = [_span("data-pagefind-filter", "kind", kind), _span("data-pagefind-meta", "title", title)]
    if summary:
        parts.append(_span("data-pagefind-meta", "summary", summary))
    if retracted:
        parts.append(_span("data-pagefind-meta", "status", "retracted"))
    return _block(parts)


def markup_for_records(library: Library) -> dict[str, str]:
    """docs/ path -> markup, for every published case study and claim (made once per build)."""
    found = {r.uri: pagefind_markup(r, library) for r in library.published(CASE_STUDY.key)}
    for record in library.published(CLAIM.key):
        found[record.uri] = page_markup(CLAIM.key, record.title, record.summary, record.retracted)
    # the topic pages, so that "reciprocity" or "Canada" finds its own page first (its
    # heading is the word); their lists of cards stay out (EXCLUDE_SELECTORS)
    for name in library.fields.folders:
        vocab = library.taxonomy.get(name)
        for term in (vocab.terms.values() if vocab else ()):
            found[library.term_page(name, term.key)] = page_markup("page", term.label, term.definition)
    found[HOW_TO_CITE] = page_markup("page", "How to cite", "How to cite this library, a case study or a claim")
    # the value facets' pages (a country's) whose schema gives them words for search results
    searched = [facet for facet in library.fields.value_facets if facet.pages.search]
    for record in library.published(CASE_STUDY.key) if searched else ():
        for facet in searched:
            for key, value in facet.values(record).items():
                found.setdefault(facet.page(key), page_markup("page", str(value), facet.words(facet.pages.search, value)))
    return found


def mark_page(html_text: str, uri: str, title: str, generated: bool, markups: dict[str, str]) -> tuple[str, bool]:
    """The page's content HTML, wrapped in ``data-pagefind-body`` if it is to be searchable,
    and whether it is. Searchable: the records in ``markups`` and every hand-written page."""
    markup = markups.get(uri) if generated else page_markup("page", title or "")
    if markup is None:
        return html_text, False
    return f"<div data-pagefind-body>{html_text}{markup}</div>", True


# ---------------------------------------------------------------------------------------
# The index.

@dataclass
class IndexResult:
    pages: int  # pages in the index
    seconds: float  # the time Pagefind took (streaming: from its start to the index written)


def executable() -> Path:
    """The pagefind binary that the PyPI package pagefind-bin ships."""
    try:
        import pagefind_bin
    except ImportError as error:  # pragma: no cover - the pin installs it
        raise SearchIndexError("Pagefind is not installed: pip install 'pagefind[bin]'") from error
    return pagefind_bin.get_executable()


def run_pagefind(site_dir: Path) -> IndexResult:
    """Index the built site in ``site_dir`` into ``site_dir/pagefind/``."""
    command = [str(executable()), "--site", str(site_dir), "--output-subdir", BUNDLE,
               "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS), "--silent"]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False, env=pagefind_env())
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed (exit {result.returncode}):\n{result.stdout}{result.stderr}".rstrip())
    bundle = site_dir / BUNDLE
    (bundle / ADDRESSES).write_bytes(case_study_addresses(Folder(bundle)))  # its fragments read one at a time
    return IndexResult(indexed_pages(site_dir), seconds)


def indexed_pages(site_dir: Path) -> int:
    """The number of pages in the index, from ``pagefind/pagefind-entry.json``."""
    try:
        entry = json.loads((site_dir / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SearchIndexError(f"no Pagefind index in {site_dir / BUNDLE}: {error}") from error
    return sum(int(language.get("page_count", 0)) for language in entry.get("languages", {}).values())


def _indexed_urls(site_dir: Path) -> set[str]:
    """The address of every page in the index, read from its fragments (gzip, then
    "pagefind_dcd" and the page's JSON): only when a page is missing, to name it."""
    found = set()
    for path in (site_dir / BUNDLE / "fragment").glob("*.pf_fragment"):
        try:
            data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
            found.add(json.loads(data)["url"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def document_for_index(content_html: str, title: str | None, language: str) -> str:
    """A page's rendered content as the HTML document Pagefind reads: the words it indexes
    are all inside the content's data-pagefind-body, and ``lang`` picks its stemmer."""
    return (f'<!DOCTYPE html><html lang="{esc(language)}"><head><title>'
            f"{esc(title or '')}</title></head><body>{content_html}</body></html>")


def start_index() -> StreamingIndex:
    """A Pagefind index that pages are added to while the site is built (see
    coprod.search.pagefind_stream); :func:`finish_index` writes it."""
    try:
        return StreamingIndex(executable(), EXCLUDE_SELECTORS, pagefind_env())
    except PagefindServiceError as error:
        raise SearchIndexError(str(error)) from error


def finish_index(index: StreamingIndex, site_dir: Path, marked: list[str]) -> IndexResult:
    """Write the index into ``site_dir/pagefind/`` and check that every page marked
    searchable (docs/ paths) is in it, naming any that is not."""
    try:
        problems = index.write(site_dir / BUNDLE)
    except PagefindServiceError as error:
        raise SearchIndexError(f"Pagefind failed: {error}") from error
    return _checked(site_dir, marked, problems, time.perf_counter() - index.started)


def complete_index(index: StreamingIndex, site_dir: Path, marked: list[str], order: dict[str, str],
                   fresh: Mapping[str, bytes], previous: Mapping[str, bytes],
                   partial: bool) -> tuple[IndexResult, Mapping[str, bytes]]:
    """Write the index of every page marked searchable, and return it with the document of
    each (docs/ path -> the HTML Pagefind was given, packed: coprod/render/packed.py), for the
    next build.

    ``fresh`` are the documents of the pages rendered in this build, ``previous`` the last
    build's (coprod/rebuild.py). In a whole build (``partial`` false) every page was
    given to ``index`` as it was rendered. A dirty build that left pages as they were
    (``partial``) gives it every document now, in ``order`` (docs/ path -> address, the
    order MkDocs renders pages in): Pagefind's files depend on the order it is given pages,
    and this is the order of a whole build, so the index is the same, byte for byte. A page
    with no document (a cache deleted, a build of another version) has the written site
    indexed instead."""
    if not partial:  # on disk they stay there (coprod.render.packed.Spilled)
        kept = fresh.only(marked) if isinstance(fresh, Spilled) else {uri: fresh[uri] for uri in marked if uri in fresh}
        return finish_index(index, site_dir, marked), kept
    documents = {uri: fresh.get(uri) or previous.get(uri) for uri in marked}
    if any(document is None for document in documents.values()):
        index.kill()
        return index_built_site(site_dir, marked), {}
    try:
        for uri, address in order.items():
            if uri in documents:
                index.add(unpack(documents[uri]), address)
    except PagefindServiceError as error:
        index.kill()
        raise SearchIndexError(f"Pagefind failed: {error}") from error
    return finish_index(index, site_dir, marked), documents


class Background(threading.Thread):
    """A function run on a thread of its own (mkdocs serve writes the search index after
    the pages are served): :meth:`result` waits for it and returns what it returned, or
    raises what it raised."""

    def __init__(self, function) -> None:
        super().__init__(name="search-index", daemon=True)
        self._function, self._value, self._error = function, None, None
        self.start()

    def run(self) -> None:
        try:
            self._value = self._function()
        except BaseException as error:  # noqa: BLE001 - handed to whoever waits
            self._error = error

    def result(self):
        self.join()
        if self._error is not None:
            raise self._error
        return self._value


def index_built_site(site_dir: Path, marked: list[str]) -> IndexResult:
    """Index the site as written (the pagefind command, which reads every page again),
    when the documents of some pages are not at hand. The old bundle goes first: the
    command adds its files to what is in the folder, so the fragments of pages that
    changed were left behind, one more on every run."""
    shutil.rmtree(site_dir / BUNDLE, ignore_errors=True)
    result = run_pagefind(site_dir)
    return _checked(site_dir, marked, [], result.seconds)


def _checked(site_dir: Path, marked: list[str], problems: list[str], seconds: float) -> IndexResult:
    pages = indexed_pages(site_dir)
    if problems or pages < len(marked):
        found = _indexed_urls(site_dir)
        missing = [f"  {urls.address(uri)}" for uri in marked if urls.address(uri) not in found]
        detail = "\n".join(missing + [f"  {problem}" for problem in problems])
        raise SearchIndexError(f"the search index has {pages} pages, expected {len(marked)}; "
                               f"pages missing from it:\n{detail}")
    return IndexResult(pages, seconds)
