"""Generated pages kept by what they are made from, for the rebuilds of one mkdocs serve.

A case study's page is made from its record, the taxonomy and the bibliography alone
(coprod.pages.case_study reads nothing else of the evidence): it is kept under a key of
those (the record's fields and body, the bytes of taxonomy.yml and references.bib), the
edit address and the code version (coprod.buildcache), so after an edit only the edited
case study's page is made again. Kept pickled, so that what the build does to a page
(the cite box it appends) never reaches the next build's copy. In memory only, the pages
of the last build: a new process makes them all.
"""

from __future__ import annotations

import pickle

from . import buildcache
from .cite import References
from .evidence import Evidence, Record
from .pages import Page
from .pages.case_study import case_study_page

_PAGES: dict[str, bytes] = {}
_USED: dict[str, bytes] = {}


def _inputs(evidence: Evidence) -> str:
    parts: list[bytes | str] = [buildcache.code_version()]
    for name in ("taxonomy.yml", "references.bib"):
        try:
            parts.append((evidence.root / name).read_bytes())
        except OSError:
            parts.append("\0missing")
    return buildcache.digest(*parts)


class CaseStudyPages:
    """``page(record)`` is ``case_study_page(record, evidence, refs, edit_url)``, from the
    last build's pages when its inputs are the same."""

    def __init__(self, evidence: Evidence, refs: References) -> None:
        self.evidence, self.refs = evidence, refs
        self.shared = _inputs(evidence) if buildcache.enabled() else None
        _USED.clear()

    def page(self, record: Record, edit_url: str | None) -> Page:
        if self.shared is None:
            return case_study_page(record, self.evidence, self.refs, edit_url)
        source = record.source
        key = buildcache.digest(self.shared, source.path, str(edit_url), record.status,
                                pickle.dumps((source.data, source.body, source.body_line), protocol=5))
        data = _PAGES.get(key)
        if data is None:
            data = pickle.dumps(case_study_page(record, self.evidence, self.refs, edit_url), protocol=5)
        _USED[key] = data
        return pickle.loads(data)

    def done(self) -> None:
        """The pages of this build are the ones kept for the next."""
        _PAGES.clear()
        _PAGES.update(_USED)
