"""Write every generated page and data file to a folder, for another engine to build from.

The same :func:`coprod.site.build` result the MkDocs hooks register, plus the
hand-written docs/ pages with their citations rendered and the home page filled in, so the
folder is a complete docs/ tree of plain files.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path

from . import site
from .pages import LazyPage
from .pages.home import fill_home
from .read import buildcache
from .render import body_html
from .render.templates import PERMALINK
from .render.text import md_escape


def export(root: Path, out: Path, config: Mapping | None = None) -> site.SiteBuild:
    """Check ``root``/evidence and write the site's pages under ``out``. Returns the build
    (:func:`coprod.site.build_with_cache`, the hooks' own, with the same checks); nothing is written
    when it has errors. Edit links and addresses come from ``config``, by default mkdocs.yml."""
    build = site.build_with_cache(root, site.read_site_config(root) if config is None else config)
    if not build.ok:
        return build
    if out.exists():
        shutil.rmtree(out)
    docs = root / "docs"
    for path in sorted(docs.rglob("*")):
        if path.is_file():
            target = out / path.relative_to(docs)
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".md":
                target.write_text(render_docs_page(build, path.relative_to(docs).as_posix(),
                                                   path.read_text(encoding="utf-8")), encoding="utf-8")
            else:
                shutil.copyfile(path, target)
    for uri, page in build.pages.items():
        target = out / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        source = page_source(page)
        if isinstance(source, bytes):
            target.write_bytes(source)
        else:
            target.write_text(source, encoding="utf-8")
    return build


def render_docs_page(build: site.SiteBuild, uri: str, markdown: str) -> str:
    """A hand-written page as the hooks serve it: home filled in, citations rendered."""
    if uri == "index.md":
        markdown = fill_home(markdown, build.evidence)
    markdown, keys = build.references.render_body(markdown)
    if keys:
        markdown += "\n\n" + build.references.section(keys, uri)
    return markdown


def page_source(page) -> str | bytes:
    """A generated page or file as a file of the docs folder: what the MkDocs hooks register
    and what another engine is given."""
    if isinstance(page, LazyPage):
        page = page.made()  # made once, not once for each part read
    return as_markdown(page) if page.is_html else page.content


def as_markdown(page) -> str:
    """A page made as HTML, as a markdown file any engine reads: its title in front matter
    (an engine does not read the title from an HTML heading), then the HTML, which markdown
    leaves as it is, except its headings (:func:`markdown_headings`), so that the engine's
    ``toc`` makes the page's table of contents from them, and a contributor's body, which
    goes in its slot as the markdown it was written in."""
    content = body_html.as_markdown(markdown_headings(page.content), page.body)
    return f"{front_matter(page)}\n{content}"


def front_matter(page) -> str:
    """The front matter :func:`as_markdown` starts with: all MkDocs itself reads of a page made
    as HTML (templates.hand_to_mkdocs gives it the rest)."""
    return f"---\ntitle: {json.dumps(page.shown_title, ensure_ascii=False)}\n---\n"


def source_digest(page) -> str:
    """For a page made as HTML, a digest that changes whenever its :func:`as_markdown` does,
    made from what that is made of without writing it (the headings are rewritten only for
    another engine)."""
    return buildcache.digest(front_matter(page), page.content, page.body.markdown if page.body is not None else "")


# a heading as coprod.render.templates.Outline writes it, alone on its line
_HEADING = re.compile(r'<h([1-6])(?: class="([^"<>]*)")? id="([^"<>]+)">([^<>]*)'
                      + re.escape(PERMALINK).replace(re.escape("{id}"), r"\3") + r"</h\1>\Z")
_CLASS = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*\Z")


def markdown_headings(content: str) -> str:
    """HTML with each heading that stands alone on its line outside any element written as
    a markdown heading with its id (and class) in attr_list's ``{ #id }``, between blank
    lines: markdown leaves the HTML around it as it is, and its ``toc`` extension finds the
    heading, keeps its id and adds the permalink, as MkDocs' own page has them. Any other
    heading stays HTML (and out of the engine's table of contents)."""
    lines = content.split("\n")
    for number in _top_level_lines(content):
        match = _HEADING.match(lines[number])
        if match is None:
            continue
        level, css_class, ident, text = match.groups()
        classes = css_class.split() if css_class else []
        if not all(_CLASS.match(name) for name in classes):
            continue
        # an id is a slug (word characters and hyphens): of those only "_" is markdown (emphasis)
        attributes = " ".join([f"#{ident}", *(f".{name}" for name in classes)]).replace("_", r"\_")
        lines[number] = f"\n{'#' * int(level)} {md_escape(html.unescape(text))} {{ {attributes} }}\n"
    return "\n".join(lines)


_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class _Depth(HTMLParser):
    """The lines (counted from 0) on which a heading opens outside every other element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.lines: list[int] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _VOID:
            return
        if not self.open and tag in {"h1", "h2", "h3", "h4", "h5", "h6"} and self.getpos()[1] == 0:
            self.lines.append(self.getpos()[0] - 1)
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:  # close it and anything left open inside it
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]


def _top_level_lines(content: str) -> list[int]:
    parser = _Depth()
    parser.feed(content)
    parser.close()
    return parser.lines
