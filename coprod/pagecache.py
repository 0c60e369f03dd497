"""Generated pages kept by what they are made from, for the rebuilds of one mkdocs serve.

A case study's page is made from its record, the taxonomy and the bibliography alone
(coprod.pages.case_study reads nothing else of the model): it is kept under a key of
those (the record's fields and body, the bytes of taxonomy.yml, references.bib and the schemas), the
edit address and the code version (coprod.read.buildcache), so after an edit only the edited
case study's page is made again (only while serving: a one-off build keeps none,
:func:`keep_in_memory`). Kept as the page's values, and each build gets a new
:class:`Page` of them, so that what the build does to a page (the cite box it appends)
never reaches the next build's copy. In memory only, the pages of the last build: a new
process makes them all.

The pages that list case studies (term pages, browse pages, the catalogue's pages) are
kept the same way (:meth:`CaseStudyPages.listing`), each under a key of the same shared
inputs and of what the page lists: each listed record's digest (its repr, as above), and
for the catalogue the counts its "Browse by" links show. After a case study is edited, a
rebuild makes again its page and the pages that list it, and takes every other listing
from the last build (issue 25: an edit costs what it changes).

A one-off build (``mkdocs build``, :func:`keep_in_memory` false) keeps nothing and makes
nothing up front: each case study's page and each listing is a
:class:`coprod.pages.LazyPage` under the same key, made when MkDocs asks for it and let go
once rendered (issue 25: memory at 10,000 case studies). The key stands for the page's HTML
in the rebuild's key of its file (coprod/rebuild.py), so a ``--dirty`` build writes again
exactly the pages whose inputs changed.
"""

from __future__ import annotations

from dataclasses import replace

from .cite.references import References
from .model import Library, Record
from .pages import LazyPage, Page
from .pages.case_study import case_study_page, case_study_shell
from .read import buildcache
from .render import templates

_Kept = Page  # never changed: each build gets a copy
_PAGES: dict[str, _Kept] = {}
_USED: dict[str, _Kept] = {}
_LISTINGS: dict[str, _Kept] = {}  # the same, for the pages that list records
_LISTINGS_USED: dict[str, _Kept] = {}
KEEP_IN_MEMORY = [True]  # False for a one-off build (the hook's on_startup)


def keep_in_memory(keep: bool) -> None:
    """Whether the pages a build makes are kept for the next build of this process
    (``mkdocs serve``); a one-off build keeps none (at 10,000 case studies their markdown
    was over 100 MB held to the build's end, and its hooks let each page go once written),
    and makes each case study's page and each listing only when it is read
    (:class:`coprod.pages.LazyPage`: MkDocs asks for one page at a time)."""
    KEEP_IN_MEMORY[0] = keep
    if not keep:
        for kept in (_PAGES, _USED, _LISTINGS, _LISTINGS_USED):
            kept.clear()


def _inputs(evidence: Library) -> str:
    parts: list[bytes | str] = [buildcache.code_version()]
    # the schemas too: their x-folder annotations are where a term's page is
    for name in ("taxonomy.yml", "references.bib", *sorted(f"schema/{p.name}" for p in (evidence.root / "schema").glob("*.json"))):
        try:
            parts.append((evidence.root / name).read_bytes())
        except OSError:
            parts.append("\0missing")
    # the templates generated pages are made from (overrides/partials/coprod/, coprod/render/templates.py)
    parts.append(buildcache.files_digest(*(folder for folder in templates.folders() if folder.is_dir())))
    return buildcache.digest(*parts)


class CaseStudyPages:
    """``page(record)`` is ``case_study_page(record, evidence, refs, edit_url)``, from the
    last build's pages when its inputs are the same."""

    def __init__(self, evidence: Library, refs: References) -> None:
        self.evidence, self.refs = evidence, refs
        # a one-off build: each page made when it is read, and its key from what it is made of
        self.lazy = not KEEP_IN_MEMORY[0]
        self.shared = _inputs(evidence) if self.lazy or buildcache.enabled() else None
        self._digests: dict[str, str] = {}  # a record's uri -> the digest of its repr
        _USED.clear()
        _LISTINGS_USED.clear()

    def digest(self, record) -> str:
        """The digest of every field of ``record`` as the model holds it (its repr)."""
        found = self._digests.get(record.uri)
        if found is None:
            found = self._digests[record.uri] = buildcache.digest(repr(record))
        return found

    def page(self, record: Record, edit_url: str | None) -> Page:
        if self.shared is None:
            return case_study_page(record, self.evidence, self.refs, edit_url)
        # the record as the page reads it: every field of the model (its repr holds them all)
        key = buildcache.digest(self.shared, str(edit_url), self.digest(record))
        if self.lazy:
            evidence, refs = self.evidence, self.refs
            return LazyPage(case_study_shell(record, refs),
                            lambda: case_study_page(record, evidence, refs, edit_url), key)
        kept = _PAGES.get(key)
        if kept is None:
            page = case_study_page(record, self.evidence, self.refs, edit_url)
            kept = page
        _USED[key] = kept
        # a new Page each build (what the build does to it, the cite box it appends, stays in this build)
        return replace(kept)

    def listing(self, parts: tuple, make, shell: Page) -> Page:
        """``make()``, a page that lists records, or the last build's page of the same
        ``parts`` (text: every input of the page besides the shared ones, each listed
        record by :meth:`digest`); in a one-off build, a :class:`LazyPage` of ``shell``
        (the page's address, title and the records it lists) that makes it when it is read."""
        if self.shared is None:
            return make()
        key = buildcache.digest(self.shared, *parts)
        if self.lazy:
            return LazyPage(shell, make, key)
        kept = _LISTINGS.get(key)
        if kept is None:
            kept = make()
        _LISTINGS_USED[key] = kept
        return replace(kept, toc=None if kept.toc is None else templates.copy_toc(kept.toc))  # its own contents

    def done(self) -> None:
        """The pages of this build are the ones kept for the next."""
        _PAGES.clear()
        _PAGES.update(_USED)
        _LISTINGS.clear()
        _LISTINGS.update(_LISTINGS_USED)
