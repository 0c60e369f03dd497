"""MkDocs hooks: load and check the evidence, then hand the generated pages to MkDocs.

Thin by design: the work is in the ``coprod`` package, which tests call without a build.
Hook modules are not reloaded by ``mkdocs serve``, so state is reset in ``on_config``.
"""


import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, InclusionLevel
from mkdocs.utils import clean_directory

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coprod import __version__, finish, rebuild, search, serve_errors, site, site_address
from coprod.checks import evidence as checks
from coprod.checks import tree
from coprod.export import page_source, render_docs_page
from coprod.pages import nav, pdf
from coprod.read import buildcache, urls
from coprod.render import csp, templates
from coprod.render.body_html import put_body, take_body
from coprod.render.packed import PackedPages
from coprod.render.prerender import stash, unstash
from coprod.render.sanitize import rename_toc, sanitize_contributed

log = logging.getLogger("mkdocs.hooks.evidence")


@dataclass
class Serve:
    """What is kept across the rebuilds of one ``mkdocs serve``."""

    on: bool = False
    dirty: bool = False  # --dirty: only the files whose inputs changed are written again (coprod/rebuild.py)
    last_good: list = field(default_factory=list)  # the pages of the last build without errors
    indexing: search.Background | None = None  # the index a rebuild is writing on a thread of its own


@dataclass
class Run:
    """One build's state, made afresh in on_config (hook modules are not reloaded by serve)."""

    build: site.SiteBuild | None = None
    broken: object | None = None  # the report whose errors serve shows instead of the site
    evidence_dir: Path | None = None
    cache_dir: Path | None = None
    searchable: dict = field(default_factory=dict)  # docs/ path -> the search markup of a record page
    hand_written: list = field(default_factory=list)  # docs/ pages, all searchable
    stashes: dict = field(default_factory=dict)  # page -> the HTML blocks kept out of Python-Markdown
    case_studies: dict = field(default_factory=dict)  # page -> its case study
    bodies: dict = field(default_factory=dict)  # page -> its body, rendered by the validator, kept out of Python-Markdown
    documents: dict = field(default_factory=dict)  # searchable page -> the document Pagefind is given
    index: object | None = None  # the Pagefind service indexing pages as they render
    previous: object | None = None  # what the last build of this folder wrote (coprod/rebuild.py)
    plan: rebuild.Plan | None = None
    order: dict = field(default_factory=dict)  # page -> its URL, in MkDocs' render order
    partial: bool = False  # a dirty build that leaves searchable pages as they were
    unchanged: set = field(default_factory=set)
    language: str = "en"
    packed: PackedPages = field(default_factory=PackedPages)  # rendered pages' HTML, compressed until written (coprod/render/packed.py)
    known: object | None = None  # the inline scripts and styles of the theme's templates and overrides/ (coprod/render/csp.py)


_serve = Serve()
_run = Run()


def on_startup(command, dirty):
    _serve.on, _serve.dirty = command == "serve", dirty
    checks.keep_checks_in_memory(_serve.on)  # a build loads once: what each file's check made is not held to its end
    if dirty:
        _quiet_dirty_notice()


DIRTY_NOTICE = "A 'dirty' build is being performed"


class _NoDirtyNotice(logging.Filter):
    """MkDocs warns on every --dirty build that navigation and links may be inaccurate. Here
    they are not: coprod/rebuild.py rewrites every file whose inputs changed, so the notice
    (on each start of ``dev.py serve``) only reads like something is wrong. Only that one
    record is dropped; every other warning shows."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_NOTICE)


def _quiet_dirty_notice() -> None:
    logger = logging.getLogger("mkdocs.commands.build")
    if not any(isinstance(f, _NoDirtyNotice) for f in logger.filters):
        logger.addFilter(_NoDirtyNotice())


def on_config(config):
    global _run
    _run = Run()
    try:  # SITE_URL / REPO_URL override mkdocs.yml's placeholders (the Pages workflow sets them)
        log.info(site_address.apply(config, serving=_serve.on))
    except site_address.AddressError as error:
        raise Abort(str(error)) from error
    root = Path(config["config_file_path"]).resolve().parent
    _run.known = csp.known_in(config["theme"].dirs)  # what the page policy allows inline: what we wrote
    _run.cache_dir = buildcache.folder(root)  # the user's cache folder for this tree: safe to delete (coprod/read/buildcache.py)
    build = site.build(root, config, cache_dir=_run.cache_dir)  # the checks export_pages.py runs too
    for problem in build.report.warnings:
        log.warning(problem.format())
    for line in build.history:  # earlier versions skipped, and why (never fatal: coprod/pages/versions.py)
        log.info(line)
    if not build.walkable:  # a link in docs/ or overrides/: MkDocs would follow it (even to show the errors)
        lines = "\n".join(p.format() for p in build.report.errors)
        raise Abort(f"The site was not built (MkDocs would follow a symbolic link in docs/ or overrides/); "
                    f"{len(build.report.errors)} error(s):\n{lines}")
    if build.report.errors and _serve.on:  # show the messages in the browser instead of hanging
        return _show_errors(config, build.report, root)
    if build.report.errors:
        lines = "\n".join(p.format() for p in build.report.errors)
        raise Abort(f"The evidence has {len(build.report.errors)} error(s); the site was not built:\n{lines}")
    config["nav"] = nav.complete_browse(config["nav"], build.evidence, config["docs_dir"])  # every browse page, no other
    _serve.last_good = list(build.pages)
    _run.build, _run.searchable = build, search.markup_for_records(build.evidence)
    _run.case_studies = {record.uri: record for record in build.evidence.case_studies.values()}
    _run.language = config["theme"]["language"] or "en"
    config["copyright"] = f"{config.get('copyright') or ''} Library version {__version__}.".strip()
    return config


def _show_errors(config, report, root):
    _run.broken, _run.evidence_dir = report, root / "evidence"
    serve_errors.configure(config, report)
    return config


def on_pre_build(config):
    _wait_for_search()
    # what the last build of this folder wrote is read now, and forgotten until this one ends
    # (a build that shows the evidence's errors writes over the pages, and records nothing)
    cache_dir = _run.cache_dir
    previous = rebuild.recall(Path(config["site_dir"]), cache_dir)
    rebuild.forget(Path(config["site_dir"]), cache_dir)
    if _run.broken:
        return
    _run.previous = previous
    # Pagefind indexes each searchable page as it is rendered (on_page_content), on another core
    try:
        _run.index = search.start_index()
    except search.SearchIndexError as error:
        raise Abort(f"Search: {error}") from error


def on_build_error(error):
    if _run.index is not None:
        _run.index.kill()


def on_files(files, config):
    unsafe = files_through_links(files, config)
    if unsafe:  # refused in on_config; a link made since must not be copied either
        raise Abort("Symbolic links are not allowed in the site's files: " + ", ".join(unsafe))
    if _run.broken:
        return serve_errors.replace_pages(files, config, _run.broken, _serve.last_good, _run.evidence_dir)
    # every hand-written page is searchable (see on_page_content)
    _run.hand_written = [f.src_uri for f in files.documentation_pages() if f.generated_by is None]
    for uri, page in _run.build.pages.items():
        if files.get_file_from_path(uri) is not None:
            raise Abort(f"docs/{uri} is also a generated page; remove it from docs/")
        # generated pages are reached from the generated listings, not the nav: no "not in nav" notice
        file = File.generated(config, uri, content=page_source(page), inclusion=InclusionLevel.NOT_IN_NAV)
        file.edit_uri = _run.build.edit_uris.get(uri)  # Material's edit button opens the evidence file
        files.append(file)
    return files


def files_through_links(files, config) -> list[str]:
    """The site's files from docs/ or the theme's overrides that are, or lie behind, a symbolic link."""
    roots = [Path(config["docs_dir"])] + ([Path(config["theme"].custom_dir)] if config["theme"].custom_dir else [])
    return [file.src_uri for file in files if file.generated_by is None and file.abs_src_path
            and tree.behind_link(Path(file.abs_src_path), roots)]


def on_nav(nav, config, files):
    """Every file's key (coprod/rebuild.py); in a dirty build, the files whose key is the
    last build's are left as they are, and a changed site is built whole."""
    if _run.broken:
        return nav
    previous, _run.previous = _run.previous, None
    if _serve.on and not _serve.dirty:  # every rebuild of this serve is whole: no keys needed
        plan = rebuild.Plan(rebuild.SiteState("", {}), None)
    else:
        site_key = rebuild.site_key(config, Path(__file__), _serve.on, files)
        docs_dir = Path(config["docs_dir"]).resolve()
        keys = {file.src_uri: rebuild.file_key(site_key, file, _own_part(file, docs_dir)) for file in files}
        plan = rebuild.Plan(rebuild.SiteState(site_key, keys), previous)
    _run.plan = plan
    inclusion = InclusionLevel.is_in_serve if _serve.on else InclusionLevel.is_included
    # the order MkDocs renders the pages in, which is the order Pagefind is given them
    _run.order = {f.src_uri: "/" + ("" if f.url in (".", "./") else f.url)  # as Page.url
                       for f in files.documentation_pages(inclusion=inclusion)}
    _run.partial = False
    if not _serve.dirty:
        return nav
    if not plan.same_site:  # another site than the one in the folder: built whole, as a clean build
        clean_directory(config["site_dir"])
        return nav
    left = _run.unchanged = set()
    for file in files:
        unchanged = plan.unchanged(file)
        file.is_modified = (lambda: False) if unchanged else (lambda: True)
        if unchanged:
            left.add(file.src_uri)
        # a searchable page left as it is: its document comes from the last build
        _run.partial |= unchanged and (file.src_uri in _run.searchable or file.src_uri in _run.hand_written)
    log.info(f"Rebuild: {len(files) - len(left)} of {len(files)} files changed; the others are left as they are")
    return nav


def _own_part(file, docs_dir: Path) -> str:
    """What a file's output is made from besides the site (coprod/rebuild.py): for a page,
    also what the hooks add to it from the evidence."""
    uri = file.src_uri
    if file.generated_by is None and file.is_documentation_page():
        text = Path(file.abs_src_path).read_text(encoding="utf-8", errors="replace")
        own = render_docs_page(_run.build, uri, text)
    else:
        own = rebuild.source_part(file, docs_dir)
        own = own.decode("utf-8", "surrogateescape") if isinstance(own, bytes) else own
    citable = _run.build.citables.get(uri)
    # the citation metadata on_post_page adds is made from the citable and the site's address (in the site's key)
    return buildcache.digest(own, repr(citable) if citable is not None else "",
                             _run.searchable.get(uri, ""), str(uri in _run.build.contributed))


def on_pre_page(page, config, files):
    made = None if _run.broken or page.file.generated_by is None else _run.build.pages.get(page.file.src_uri)
    if made is not None and made.is_html:  # made as HTML from its template: no Markdown pass
        templates.hand_to_mkdocs(page, made)
    return page


def on_page_markdown(markdown, page, config, files):
    if _run.broken:
        return markdown
    if page.file.generated_by is None:
        return render_docs_page(_run.build, page.file.src_uri, markdown)
    # generated pages arrive with citations rendered; the HTML blocks the generator wrote
    # skip Python-Markdown (COPROD_NO_PRERENDER=1 leaves everything to MkDocs: the tests
    # compare the two sites)
    if not os.environ.get("COPROD_NO_PRERENDER") and not _run.build.pages[page.file.src_uri].is_html:
        markdown, _run.stashes[page.file.src_uri] = stash(markdown)
        record = _run.case_studies.get(page.file.src_uri)  # its body as the validator rendered it (coprod/render/body_html.py)
        if record is not None:
            markdown, _run.bodies[page.file.src_uri] = take_body(markdown, record, _run.build.references)
    return markdown


def on_page_content(html, page, config, files):
    if _run.broken:
        return html
    _run.packed.rendered(page)  # the page rendered before this one is held compressed from now on
    slot = _run.bodies.pop(page.file.src_uri, None)
    if slot is not None:
        html = put_body(html, slot, page, config, files)
    store = _run.stashes.pop(page.file.src_uri, None)
    if store is not None:
        html = unstash(html, store)
        page.present_anchor_ids |= store.anchor_ids()  # so MkDocs' anchor validation sees them
    if page.file.src_uri in _run.build.contributed:
        html, renamed = sanitize_contributed(html)  # the part of the page a stranger wrote
        rename_toc(page.toc, renamed)  # its ids are namespaced: the sidebar follows
        page.present_anchor_ids |= set(renamed.values())
    # searchable pages: content wrapped in data-pagefind-body, with their filters and metadata
    html, indexed = search.mark_page(html, page.file.src_uri, page.title, page.file.generated_by is not None,
                                     _run.searchable)
    if indexed:
        document = search.document_for_index(html, page.title, _run.language)
        _run.documents[page.file.src_uri] = document
        if not _run.partial:  # Pagefind indexes it now, on another core, while MkDocs renders the rest
            try:
                _run.index.add(document, "/" + page.url)
            except search.PagefindServiceError as error:
                raise Abort(f"Search: {error}") from error
    return html


def on_env(env, config, files):
    _run.packed.pack_last()
    return env


def on_page_context(context, page, config, nav):
    _run.packed.unpack(page)
    if not _run.broken:  # the page's description, which the theme's site_meta block writes
        page.meta.update(finish.page_meta(page.file.src_uri, _run.build))
    return context


def on_post_page(output, page, config):
    if _run.broken:
        return output
    output = finish.page_head(output, page.file.src_uri, _run.build, description=False)  # citation metadata
    page.content = None  # written next: not held while MkDocs writes the other pages (its markdown gives its title)
    return _harden(output, f"docs/{page.file.src_uri}")


def _harden(output: str, name: str) -> str:
    """The page's policy (serve injects its live reload inline: no policy, the same check)."""
    try:
        return finish.harden(output, with_policy=not _serve.on, known=_run.known)
    except csp.ForeignInline as error:
        raise Abort(f"{name}: {error}") from error


def on_post_template(output, template_name, config):
    return _harden(output, f"the theme's {template_name}") if template_name.endswith(".html") else output


def on_post_build(config):
    if _run.broken:
        return serve_errors.post_build(config)
    site_dir = Path(config["site_dir"])
    # a dirty build that left the business case's page as it was leaves its PDF too (coprod/rebuild.py)
    if urls.BUSINESS_CASE not in _run.unchanged or not (site_dir / pdf.PDF_URI).is_file():
        finish.business_case_pdf(site_dir, _run.build, log)  # from its built page (coprod/pages/pdf.py)
    searchable = list(dict.fromkeys([*_run.searchable, *_run.hand_written]))
    plan, index, partial = _run.plan, _run.index, _run.partial
    _run.index = None
    order, fresh = _run.order, _run.documents
    previous = plan.previous.documents if plan.same_site else {}
    cache_dir = _run.cache_dir

    def write_index():
        result, plan.state.documents = search.complete_index(index, site_dir, searchable, order, fresh, previous,
                                                             partial)
        log.info(f"Search: Pagefind indexed {result.pages} pages in {result.seconds:.1f} s")
        if plan.state.site_key:  # the build is whole now
            rebuild.remember(site_dir, plan.state, cache_dir, in_memory=_serve.on)

    missing = finish.check_built(site_dir, _run.build)  # the check coprod/finish.py runs on any engine's site
    if missing:
        raise Abort("Pages or files missing from the built site:\n" + "\n".join(missing))
    if _serve.on and partial:
        # mkdocs serve --dirty: the pages are served now, and the index of every page is
        # written meanwhile on a thread of its own; the next build waits for it
        _serve.indexing = search.Background(write_index)
        return
    try:
        write_index()
    except search.SearchIndexError as error:
        raise Abort(f"Search: {error}") from error


def _wait_for_search() -> None:
    """The search index the last rebuild of mkdocs serve was writing, finished."""
    pending, _serve.indexing = _serve.indexing, None
    if pending is None:
        return
    try:
        pending.result()
    except search.SearchIndexError as error:
        log.error(f"Search: {error}")


def on_shutdown():
    _wait_for_search()
