"""Generated pages: one module per kind of page, each a plain function of the evidence that
returns HTML from the templates in overrides/partials/coprod/ with its table of contents
(coprod/render/templates.py), or the content of a data file. The hooks and scripts/export_pages.py register
or write the same :class:`Page` objects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


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


class LazyPage(Page):
    """A page made as HTML only when it is read (issue 25: memory at 10,000 case studies).

    Registering a page with MkDocs, listing it, citing it and checking what it lists need only
    what ``shell`` holds (its address, title, heading, the case studies it lists and the
    references it cites); its HTML, its table of contents and the contributor's text in it are
    made by ``make()`` each time they are read, and held by nobody but the reader, so a build
    never holds the HTML of every page at once. :meth:`made` gives the whole page once; read
    ``content``, ``toc`` or ``body`` one at a time only where that is all that is needed.

    ``key`` names what the page is made from (its inputs, not its HTML, which a key would have
    to make): the rebuild's key of its file (coprod/rebuild.py). :meth:`then` adds a step done
    to the page after it is made (the cite box), with what the step is made from.
    """

    def __init__(self, shell: Page, make: Callable[[], Page], key: str) -> None:
        self.uri, self.lists, self.title, self.cites, self.heading = (shell.uri, shell.lists, shell.title,
                                                                      shell.cites, shell.heading)
        self.key = key
        self._make = make
        self._steps: list[Callable[[Page], None]] = []

    def then(self, step: Callable[[Page], None], *inputs: str) -> None:
        """Do ``step`` to the page each time it is made; ``inputs`` are what it is made of."""
        from ..read import buildcache

        self._steps.append(step)
        self.key = buildcache.digest(self.key, *inputs)

    def made(self) -> Page:
        """The page, made now: its HTML held only by the caller."""
        page = self._make()
        for step in self._steps:
            step(page)
        known, found = self._facts(self), self._facts(page)
        if found != known or not page.is_html:  # the shell and the page must agree: never a silent change
            raise ValueError(f"{self.uri}: the page made is not the one registered "
                             f"({known} registered, {found} made)")
        return page

    @staticmethod
    def _facts(page: Page) -> tuple:
        return page.uri, page.title, page.heading, page.lists, tuple(page.cites)

    @property
    def content(self) -> str:
        return self.made().content

    @property
    def toc(self) -> list[dict]:
        return self.made().toc

    @property
    def body(self) -> object:
        return self.made().body

    @property
    def is_html(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"LazyPage({self.uri!r}, {self.title!r}, key={self.key!r})"


class OnDisk(Page):
    """A generated file (not a page) that waits in a temporary file until it is copied into
    the site: a one-off build's data exports and cite files, about 90 MB at 10,000 case
    studies, are not held in memory from the start of the build to its end. ``content``
    reads it back, the same bytes (or text) it was made with; ``size`` is its length in bytes."""

    def __init__(self, page: Page, folder: Scratch) -> None:
        self.uri, self.lists, self.title, self.cites, self.heading = (page.uri, page.lists, page.title,
                                                                      page.cites, page.heading)
        self._text = isinstance(page.content, str)
        data = page.content.encode("utf-8") if isinstance(page.content, str) else page.content
        self.path, self.size, self._folder = folder.write(data), len(data), folder

    @property
    def content(self) -> str | bytes:
        data = self.path.read_bytes()
        return data.decode("utf-8") if self._text else data

    def __repr__(self) -> str:
        return f"OnDisk({self.uri!r}, {self.size} bytes)"


class Scratch:
    """A temporary folder of this process for :class:`OnDisk` files, removed once no file of
    it is held (or when the process ends)."""

    def __init__(self) -> None:
        import shutil
        import tempfile
        import weakref

        self.folder = Path(tempfile.mkdtemp(prefix="coprod-files-"))
        self._count = 0
        weakref.finalize(self, shutil.rmtree, self.folder, ignore_errors=True)

    def write(self, data: bytes) -> Path:
        self._count += 1
        path = self.folder / str(self._count)
        path.write_bytes(data)
        return path
