"""Write every generated page and data file to a folder, for another engine to build from.

The same :func:`coprod.site.build` result the MkDocs hooks register, plus the
hand-written docs/ pages with their citations rendered and the home page filled in, so the
folder is a complete docs/ tree of plain files.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path

from . import site
from .pages.home import fill_home
from .render import body_html


def export(root: Path, out: Path, config: Mapping | None = None) -> site.SiteBuild:
    """Check ``root``/evidence and write the site's pages under ``out``. Returns the build
    (:func:`coprod.site.build`, the hooks' own, with the same checks); nothing is written
    when it has errors. Edit links and addresses come from ``config``, by default mkdocs.yml."""
    build = site.build(root, site.read_site_config(root) if config is None else config)
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
    return as_markdown(page) if page.is_html else page.content


def as_markdown(page) -> str:
    """A page made as HTML, as a markdown file any engine reads: its title in front matter
    (an engine does not read the title from an HTML heading), then the HTML, which markdown
    leaves as it is."""
    content = body_html.as_markdown(page.content, page.body)  # a contributor's text as markdown, in its place
    return f"---\ntitle: {json.dumps(page.shown_title, ensure_ascii=False)}\n---\n\n{content}"
