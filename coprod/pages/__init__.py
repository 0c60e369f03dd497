"""Generated pages: one module per kind of page, each a plain function of the evidence that
returns markdown (or bytes for data files). The hooks and scripts/export_pages.py register
or write the same :class:`Page` objects."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Page:
    uri: str  # path under docs/, like "case-studies/x.md" or "data/case-studies.json"
    content: str | bytes
    lists: frozenset[str] = field(default_factory=frozenset)  # case-study ids this page links to
    title: str = ""  # the page's title, for "cited by" lists and the like
    cites: tuple[str, ...] = ()  # reference keys the page cites, for the bibliography's "cited by"
