"""What the checker reads: each record as its file holds it, and the whole evidence folder.

The checks of each file and across files (:mod:`coprod.checks.evidence`), the cache of their
results (:mod:`coprod.checks.cachedata`) and the model built from them all take these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..cite.bibtex import Bibliography
from ..cite.syntax import Citation
from ..read.kinds import Records
from ..read.schema import Schema
from ..read.source import SourceFile
from ..read.taxonomy import Taxonomy


@dataclass
class Record:
    """One case study or claim: its file, front matter, body and citations."""

    kind: str
    source: SourceFile
    citations: list[Citation] = field(default_factory=list)
    valid: bool = True  # no errors in its own file
    body_html: object | None = None  # a case study's body as its page renders it (coprod.render.body_html.Prerendered), where the page may reuse it
    checkwords: list | None = field(default=None, compare=False)  # the words of checking in its text, found when its file was checked (coprod.checks.checkwords.record_findings); None: not looked for yet

    @property
    def data(self) -> dict:
        return self.source.data

    @property
    def id(self) -> str:
        value = self.source.data.get("id")
        return value if isinstance(value, str) else ""

    @property
    def status(self) -> str:
        return self.source.data.get("status", "")

    @property
    def path(self) -> str:
        return self.source.path


@dataclass
class Evidence(Records):
    root: Path
    schemas: dict[str, Schema]
    taxonomy: Taxonomy
    bibliography: Bibliography
    case_studies: dict[str, Record] = field(default_factory=dict)
    claims: dict[str, Record] = field(default_factory=dict)
