"""Generated pages from Jinja templates in ``overrides/partials/coprod/``, straight to HTML.

The look of a generated page (a case-study card, a listing, a term page, the catalogue, the
evidence map) lives in a template beside Material's own overrides, where the next person
changes it; Python gathers the facts and hands them over. Such a page is HTML when it is
made: MkDocs receives it with its table of contents (:class:`Outline`) and Python-Markdown
never reads it (:func:`hand_to_mkdocs`), so Python-Markdown parses only what people wrote.

Templates run in Jinja's sandbox (a template cannot reach Python's internals) and every
value is escaped as :func:`coprod.render.markup.esc` escapes it, unless the Python side
marked it as HTML it made (:class:`markupsafe.Markup`). Headings are written by
:meth:`Outline.heading`, as Python-Markdown's ``toc`` extension writes them (an id, then the
permalink), so the page, its anchors and its table of contents are those of the markdown
page it replaces.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from jinja2 import BytecodeCache, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markdown.extensions.toc import slugify, unique
from markupsafe import Markup

from .body_html import BODY_SLOT, place_body
from .markup import esc

# the templates' folder in the theme's overrides (mkdocs.yml theme.custom_dir)
PARTIALS = Path("partials") / "coprod"
# this checkout's overrides, as coprod.render.csp finds them: for code that makes pages
# without a project (tests, scripts), and behind the project's own
DEFAULT = Path(__file__).resolve().parents[2] / "overrides" / PARTIALS
_folders: list[Path] = [DEFAULT]


def use_theme(custom_dir: Path | None) -> None:
    """Read the templates from the project's overrides folder first (``custom_dir``, where
    the next person changes the look), then from this checkout's."""
    folders = [Path(custom_dir).resolve() / PARTIALS] if custom_dir else []
    _folders[:] = list(dict.fromkeys([*folders, DEFAULT]))


def folders() -> list[Path]:
    """Where the templates are read from, first first (what :func:`use_theme` set)."""
    return list(_folders)


def _finalize(value: object) -> Markup:
    """Every ``{{ value }}``: HTML the Python side made as it is, anything else escaped."""
    return value if isinstance(value, Markup) else Markup(esc(value))


@functools.cache
def _environment(folders: tuple[str, ...]) -> SandboxedEnvironment:
    return SandboxedEnvironment(loader=FileSystemLoader(list(folders)), autoescape=True, finalize=_finalize,
                                undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                keep_trailing_newline=False, auto_reload=True)


def environment() -> SandboxedEnvironment:
    return _environment(tuple(str(folder) for folder in _folders if folder.is_dir()))


def render(name: str, **context: object) -> str:
    """The template ``name`` (in overrides/partials/coprod/) filled with ``context``."""
    return environment().get_template(name).render(**context)


class CompiledInMemory(BytecodeCache):
    """Jinja's compiled templates, kept in this process's memory for the next build's Jinja
    environment: MkDocs makes a new one for the theme on every build, so each rebuild of
    ``mkdocs serve`` compiled every template of Material again (about half a second). An
    entry is found by the template's name and file and used only while its source's
    checksum is the same (Jinja's own checks), so an edited template is compiled again.
    How a template compiles depends on its environment's settings too (its extensions,
    autoescaping), which come from the site's config: :meth:`settings` empties the cache
    when that changes. Never kept on disk: compiled code read back from a file would run
    what was written there."""

    def __init__(self) -> None:
        self._held: dict[str, bytes] = {}
        self._settings: bytes | None = None

    def settings(self, config: bytes) -> None:
        """The environment's next builds are made from ``config`` (the site's config file)."""
        if config != self._settings:
            self._held.clear()
            self._settings = config

    def load_bytecode(self, bucket) -> None:
        data = self._held.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        self._held[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._held.clear()


def raw(text: str) -> Markup:
    """HTML this package made (escaped where it needed to be), to pass to a template as is."""
    return Markup(text)


# ---------------------------------------------------------------------------------------
# Headings and the table of contents.

PERMALINK = '<a class="headerlink" href="#{id}" title="Permanent link">&para;</a>'


@dataclass
class Outline:
    """A page's headings as Python-Markdown's ``toc`` extension writes them: each an id
    made unique on the page, followed by its permalink; and the tokens MkDocs makes the
    page's table of contents from (``page.toc``)."""

    used: set[str] = field(default_factory=set)
    tokens: list[dict] = field(default_factory=list)
    _open: list[dict] = field(default_factory=list)  # the last token of each level above
    count: int = 0  # headings so far
    body: object = None  # the contributed body placed by :meth:`contributed`, as it stands on the page

    @classmethod
    def resume(cls, tokens: list[dict]) -> Outline:
        """An outline that goes on from the headings ``tokens`` (a copy: they are not changed)."""
        outline = cls(tokens=copy_toc(tokens))
        level = outline.tokens
        while level:
            outline._open.append(level[-1])
            level = level[-1]["children"]

        def ids(found: list[dict]) -> None:
            for token in found:
                outline.used.add(token["id"])
                ids(token["children"])

        ids(outline.tokens)
        return outline

    def heading(self, level: int, text: str, anchor: str | None = None, css_class: str = "") -> Markup:
        """``<hN id="...">text¶</hN>`` for the plain text ``text`` (escaped here), with a
        class if given (as attr_list's ``{: .class }`` writes it, before the id)."""
        ident = unique(anchor or slugify(text, "-"), self.used)
        self.used.add(ident)
        name = html.escape(str(text), quote=False).replace("\n", " ")
        self.add(level, ident, name)
        attributes = f' class="{esc(css_class)}"' if css_class else ""
        return Markup(f"<h{level}{attributes} id=\"{ident}\">{esc(text)}{PERMALINK.format(id=ident)}</h{level}>")

    def contributed(self, body) -> Markup:
        """Where a contributor's body goes (:class:`coprod.render.body_html.Body`): a slot the
        body's HTML takes when MkDocs asks for the page. The validator's HTML of it (when kept)
        brings its headings into the contents here, and the headings after it are numbered
        after its ids, as Python-Markdown's ``toc`` numbers a page in order; where its ids
        meet the page's own, MkDocs renders the body (``html`` None) and the page's
        headings are numbered again then (:func:`coprod.render.body_html.place_body`)."""
        kept = body.html is not None and not set(body.ids) & self.used
        if kept:
            for level, ident, name in body.toc:
                self.add(level, ident, name)
            self.used |= set(body.ids)
        self.body = replace(body, at=self.count - (len(body.toc) if kept else 0), html=body.html if kept else None)
        return Markup(BODY_SLOT)

    def add(self, level: int, ident: str, name: str) -> None:
        self.count += 1
        token = {"level": level, "id": ident, "name": name, "html": name, "data-toc-label": "", "children": []}
        while self._open and self._open[-1]["level"] >= level:
            self._open.pop()
        (self._open[-1]["children"] if self._open else self.tokens).append(token)
        self._open.append(token)


_ID = re.compile(r'\sid="([^"]+)"')


def anchor_ids(page_html: str) -> set[str]:
    """Every id on a page made as HTML (the link targets MkDocs' anchor check looks for)."""
    return set(_ID.findall(page_html))


def hand_to_mkdocs(page, made) -> None:
    """Let MkDocs' ``page`` take the HTML of ``made`` (a :class:`coprod.pages.Page` made as
    HTML) instead of rendering its markdown: its content, table of contents, title and
    anchors, as :meth:`mkdocs.structure.pages.Page.render` would have set them."""
    from mkdocs.structure.toc import get_toc

    def render(config, files) -> None:
        # the title's front matter is for other engines (coprod/export.py); here the title is
        # the heading's, as for a markdown page, and the nav's where the nav names the page
        page.meta.pop("title", None)
        page.content = made.content.rstrip("\n")  # as Python-Markdown ends a page
        page.toc = get_toc(copy_toc(made.toc))
        # as MkDocs takes a title from a rendered heading: HTML, the text escaped (the theme
        # writes page.title as it is in the header and the nav)
        page._title_from_render = html.escape(made.shown_title, quote=False) if made.shown_title else None
        page.present_anchor_ids = anchor_ids(made.content)
        if made.body is not None:  # a contributor's text: the validator's HTML of it, or MkDocs renders it
            place_body(page, made, config, files)
        del page.render  # done: ``made`` is not held by the page while MkDocs renders the others

    page.render = render


def copy_toc(tokens: list[dict]) -> list[dict]:
    """Table-of-contents tokens (Python-Markdown's ``toc_tokens`` shape), copied at every
    level, so that what one page does to its contents leaves the original as it was."""
    return [{**token, "children": copy_toc(token["children"])} for token in tokens]


def add_section(content: str, toc: list[dict], heading: str, body: str, level: int = 2) -> tuple[str, list[dict]]:
    """A page made as HTML with one more section at its end (its heading, then ``body``,
    HTML), and its table of contents with the heading in it."""
    outline = Outline.resume(toc)
    head = outline.heading(level, heading)
    joined = content if content.endswith("\n") or not content else content + "\n"
    return joined + str(head) + "\n" + body, outline.tokens
