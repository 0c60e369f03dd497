"""Generated pages: one module per kind of page, each a plain function of the evidence that
returns HTML from the templates in overrides/partials/coprod/ with its table of contents
(coprod/render/templates.py), or the content of a data file. The hooks and scripts/export_pages.py register
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
    # a page made as HTML (never read by Python-Markdown): its headings as the toc extension's
    # tokens, which MkDocs makes page.toc from; None for a page written as markdown
    toc: list[dict] | None = None
    # a contributor's text on a page made as HTML (coprod.render.body_html.Body): it takes the
    # page's body slot when MkDocs renders the page
    body: object = None
    heading: str = ""  # a page made as HTML whose first heading is not ``title`` (a gap claim's): that heading

    @property
    def shown_title(self) -> str:
        """The title the page shows (its first heading), which MkDocs and other engines take."""
        return self.heading or self.title

    @property
    def is_html(self) -> bool:
        return self.toc is not None


def html_page(uri: str, template: str, title: str, lists: frozenset[str] = frozenset(), **context: object) -> Page:
    """A page made as HTML from ``template`` (in overrides/partials/coprod/), with its table of
    contents: the template writes its headings with ``outline.heading``."""
    from ..render import templates

    outline = templates.Outline()
    content = templates.render(template, outline=outline, title=title, **context)
    return Page(uri, content, lists, title, toc=outline.tokens, body=outline.body)
