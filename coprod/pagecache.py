"""Generated pages kept by what they are made from, for the rebuilds of one mkdocs serve.

A case study's page is made from its record, the taxonomy and the bibliography alone
(coprod.pages.case_study reads nothing else of the model): it is kept under a key of
those (the record's fields and body, the bytes of taxonomy.yml, references.bib and the schemas), the
edit address and the code version (coprod.read.buildcache), so after an edit only the edited
case study's page is made again. Kept as the page's values, and each build gets a new
:class:`Page` of them, so that what the build does to a page (the cite box it appends)
never reaches the next build's copy. In memory only, the pages of the last build: a new
process makes them all.
"""

from __future__ import annotations

from dataclasses import replace

from .cite.references import References
from .model import Library, Record
from .pages import Page
from .pages.case_study import case_study_page
from .read import buildcache

_Kept = Page  # never changed: each build gets a copy
_PAGES: dict[str, _Kept] = {}
_USED: dict[str, _Kept] = {}


def _inputs(evidence: Library) -> str:
    parts: list[bytes | str] = [buildcache.code_version()]
    # the schemas too: their x-folder annotations are where a term's page is
    for name in ("taxonomy.yml", "references.bib", *sorted(f"schema/{p.name}" for p in (evidence.root / "schema").glob("*.json"))):
        try:
            parts.append((evidence.root / name).read_bytes())
        except OSError:
            parts.append("\0missing")
    return buildcache.digest(*parts)


class CaseStudyPages:
    """``page(record)`` is ``case_study_page(record, evidence, refs, edit_url)``, from the
    last build's pages when its inputs are the same."""

    def __init__(self, evidence: Library, refs: References) -> None:
        self.evidence, self.refs = evidence, refs
        self.shared = _inputs(evidence) if buildcache.enabled() else None
        _USED.clear()

    def page(self, record: Record, edit_url: str | None) -> Page:
        if self.shared is None:
            return case_study_page(record, self.evidence, self.refs, edit_url)
        # the record as the page reads it: every field of the model (its repr holds them all)
        key = buildcache.digest(self.shared, str(edit_url), repr(record))
        kept = _PAGES.get(key)
        if kept is None:
            page = case_study_page(record, self.evidence, self.refs, edit_url)
            kept = page
        _USED[key] = kept
        # a new Page each build (what the build does to it, the cite box it appends, stays in this build)
        return replace(kept)

    def done(self) -> None:
        """The pages of this build are the ones kept for the next."""
        _PAGES.clear()
        _PAGES.update(_USED)
