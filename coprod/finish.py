"""What the library adds to a built site, as one pass over any engine's output folder.

An engine (MkDocs, Zensical, ...) turns the exported docs/ folder (scripts/export_pages.py)
into HTML. What it cannot know about is added here, from the same :class:`coprod.site.SiteBuild`:

- the part of a record's page a stranger wrote is sanitised (:func:`coprod.render.sanitize.sanitize_contributed`);
- searchable pages are marked for Pagefind (:func:`coprod.search.mark_page`) and the site is indexed;
- each citable page gets its description and citation metadata in ``<head>`` (:func:`page_head`);
- every page gets its Content-Security-Policy (:func:`coprod.render.csp.harden`);
- the business case's PDF (:func:`business_case_pdf`);
- the completeness check: every generated page and data file is in the folder (:func:`check_built`).

Each step is one function. The MkDocs hooks call the same functions page by page during
the build (they have the rendered content before the theme wraps it, and stream the search
index); :func:`finish_site` calls them on the written folder. Every step leaves a page it
already finished as it is, so the pass may run over a site the hooks built.
"""

from __future__ import annotations

import html as html_lib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import search
from .cite.head import description_tag, head_tags
from .pages import OnDisk, pdf
from .read import urls
from .render import csp
from .render.sanitize import BODY_START, sanitize_contributed
from .site import SiteBuild

# Material's and Zensical's page content: the article inside <div class="md-content">
_ARTICLE_START = re.compile(r'<article class="md-content__inner md-typeset">')
_ARTICLE_END = "</article>"
_HEAD_END = "</head>"
_DESCRIPTION = re.compile(r'<meta name="description" content="[^"<>]*">')
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_POLICY = 'http-equiv="Content-Security-Policy"'
_CITATION = '<meta name="citation_title"'


class FinishError(Exception):
    """The folder is not a complete site: every problem, one a line."""


@dataclass(frozen=True)
class Finished:
    pages: int  # HTML pages finished
    searchable: int  # pages marked for search
    index: search.IndexResult
    pdf: Path | None


# ---------------------------------------------------------------------------------------
# The steps, each shared by the hooks (coprod/mkdocs_build.py) and the pass below. A page is
# finished in two parts, in this order: its content (the article, as the engine rendered
# it from the markdown), then the whole page (head and policy).

@dataclass(frozen=True)
class Content:
    html: str
    renamed: dict[str, str]  # ids namespaced in what a stranger wrote: the table of contents follows
    searchable: bool


def finish_content(content: str, uri: str, title: str, build: SiteBuild, markups: dict[str, str], *,
                   generated: bool) -> Content:
    """The steps on a page's content: what a stranger wrote sanitised (its ids namespaced),
    then the content wrapped for search with its filters and metadata, if it is searchable
    (the records in ``markups``, every hand-written page)."""
    renamed: dict[str, str] = {}
    if uri in build.contributed:
        content, renamed = sanitize_contributed(content)
    content, searchable = search.mark_page(content, uri, title, generated, markups)
    return Content(content, renamed, searchable)


def finish_output(page_html: str, uri: str, build: SiteBuild, *, description: bool, with_policy: bool = True,
                  known: csp.Known | None = None) -> str:
    """The steps on the whole page: its citation metadata (:func:`page_head`), then its
    Content-Security-Policy (:func:`harden`)."""
    return harden(page_head(page_html, uri, build, description=description), with_policy=with_policy, known=known)


def page_head(page_html: str, uri: str, build: SiteBuild, *, description: bool) -> str:
    """``page_html`` with the page's citation metadata before ``</head>``, if it is citable.

    ``description=True`` also writes the page's description over the engine's (the site's);
    under MkDocs the theme's template writes it from ``page.meta`` (see :func:`page_meta`)."""
    citable = build.citables.get(uri)
    head_end = page_html.find(_HEAD_END)
    if citable is None or head_end < 0 or _CITATION in page_html[:head_end]:
        return page_html
    head, rest = page_html[:head_end], page_html[head_end:]
    if description and citable.description:
        head, found = _DESCRIPTION.subn(lambda _: description_tag(citable), head, count=1)
        if not found:
            head += description_tag(citable) + "\n"
    return head + head_tags(citable, build.site_url, description=False) + rest


def page_meta(uri: str, build: SiteBuild) -> dict:
    """What a page's ``page.meta`` takes from the build: its description, escaped once by
    type (Material's and Zensical's ``site_meta`` block writes ``page.meta.description``
    without escaping it)."""
    from markupsafe import Markup

    citable = build.citables.get(uri)
    if citable is None or not citable.description:
        return {}
    return {"description": Markup(html_lib.escape(citable.description))}  # as metadata.description_tag escapes it


def harden(page_html: str, *, with_policy: bool = True, known: csp.Known | None = None) -> str:
    """The page's Content-Security-Policy (:func:`coprod.render.csp.harden`), once: a page whose
    ``<head>`` has one already is left as it is. ``known``: the inline code of the templates
    that built the page (default: Material's and the project's overrides); any other raises
    :class:`coprod.render.csp.ForeignInline`."""
    if _POLICY in page_html[:max(page_html.find(_HEAD_END), 0)]:
        return page_html
    return csp.harden(page_html, with_policy=with_policy, known=known)


def business_case_pdf(site_dir: Path, build: SiteBuild, log: logging.Logger) -> Path | None:
    """The business case as a PDF, from the model. Where WeasyPrint or its Pango is
    missing it says so: as an error in CI (which must have it), as a note elsewhere."""
    try:
        return pdf.write_business_case(site_dir, pdf.facts_for(build.citables.get(urls.BUSINESS_CASE), build.site_url),
                                       build.evidence, build.references, cache=build.shared_cache)
    except (ImportError, OSError) as error:
        (log.error if os.environ.get("CI") else log.info)(f"PDF of the business case not made: {error}")
        return None


def check_built(site_dir: Path, build: SiteBuild) -> list[str]:
    """Every page of the build has its HTML in ``site_dir`` and every data file is there,
    of the size generated (a file's size, not its bytes: the hooks run this on every build,
    and stat reads no file). Returns what is missing or changed, as messages."""
    problems = []
    for uri in build.html_pages():
        if not built_page(site_dir, uri).is_file():
            problems.append(f"{urls.address(uri)}: page missing from the built site (from {uri})")
    for uri, page in build.data_files.items():
        expected = page.size if isinstance(page, OnDisk) else len(
            page.content if isinstance(page.content, bytes) else page.content.encode("utf-8"))
        try:
            size = (site_dir / uri).stat().st_size
        except OSError:
            problems.append(f"/{uri}: file missing from the built site")
            continue
        if size != expected:
            problems.append(f"/{uri}: the built site's copy differs from the generated file")
    return problems


def built_page(site_dir: Path, uri: str) -> Path:
    """Where an engine writes the page of a docs/ path (``case-studies/x.md`` ->
    ``case-studies/x/index.html``), with MkDocs' and Zensical's directory URLs."""
    return site_dir / urls.address(uri).lstrip("/") / "index.html"


# ---------------------------------------------------------------------------------------
# The pass.

def finish_page(page_html: str, uri: str, build: SiteBuild, markups: dict[str, str],
                known: csp.Known | None = None) -> tuple[str, bool]:
    """One built page, finished by the steps above; and whether it is searchable. A page
    finished already (by the hooks, or an earlier pass) gets only what it lacks."""
    searchable = "data-pagefind-body" in page_html
    start = _ARTICLE_START.search(page_html)
    end = page_html.rfind(_ARTICLE_END)
    if not searchable and start and end > start.end():
        content = finish_content(page_html[start.end():end], uri, _title(page_html, build), build, markups,
                                 generated=uri in build.pages)
        page_html, searchable = page_html[:start.end()] + content.html + page_html[end:], content.searchable
        for old, new in content.renamed.items():  # the sidebar's table of contents follows the renamed ids
            page_html = page_html.replace(f'href="#{old}"', f'href="#{new}"')
    elif uri in build.contributed and BODY_START in page_html:  # no article found: still never unsanitised
        page_html, _ = sanitize_contributed(page_html)
    return finish_output(page_html, uri, build, description=True, known=known), searchable


def _title(page_html: str, build: SiteBuild) -> str:
    """The page's title as the engine wrote it in ``<title>``, without the site's name."""
    match = _TITLE.search(page_html)
    title = html_lib.unescape(match.group(1).strip()) if match else ""
    return title.split(" - ")[0] if " - " in title else title


def finish_site(site_dir: Path, build: SiteBuild, log: logging.Logger | None = None,
                theme_dirs: list[Path] | None = None) -> Finished:
    """Finish the site an engine built in ``site_dir`` from the export of ``build``: every
    step above, on every page, then the search index and the PDF. Raises FinishError naming
    every page or file missing, every searchable page missing from the index, and every
    inline script or style that the templates in ``theme_dirs`` (the engine's theme and the
    project's overrides; default: Material's and overrides/) do not write."""
    log = log or logging.getLogger("coprod.finish")
    known = csp.known_in(theme_dirs) if theme_dirs else csp.default_known()
    foreign: list[str] = []
    if not build.ok:
        raise FinishError("\n".join(p.format() for p in build.report.errors))
    problems = check_built(site_dir, build)
    if problems:
        raise FinishError("\n".join(problems))
    markups = search.markup_for_records(build.evidence)
    pages = set(build.html_pages())
    marked, done = [], {site_dir / uri for uri in build.data_files}
    for uri in sorted(pages):
        path = built_page(site_dir, uri)
        try:
            text, searchable = finish_page(path.read_text(encoding="utf-8"), uri, build, markups, known)
        except csp.ForeignInline as error:
            foreign.append(f"{urls.address(uri)}: {error}")
            continue
        path.write_text(text, encoding="utf-8")
        done.add(path)
        if searchable:
            marked.append(uri)
    for path in sorted(site_dir.rglob("*.html")):  # the engine's own pages (404.html): their policy too
        if path not in done and path.relative_to(site_dir).parts[0] != search.BUNDLE:
            try:
                path.write_text(harden(path.read_text(encoding="utf-8"), known=known), encoding="utf-8")
            except csp.ForeignInline as error:
                foreign.append(f"/{path.relative_to(site_dir).as_posix()}: {error}")
    if foreign:
        raise FinishError("\n".join(foreign))
    expected = set(markups) | set(build.handwritten)
    unmarked = sorted(expected - set(marked))
    if unmarked:
        raise FinishError("\n".join(f"{urls.address(uri)}: no page content found to mark for search" for uri in unmarked))
    try:
        index = search.index_built_site(site_dir, marked)
    except search.SearchIndexError as error:
        raise FinishError(f"Search: {error}") from error
    return Finished(len(pages), len(marked), index, business_case_pdf(site_dir, build, log))
