"""MkDocs hooks: load and check the evidence, then hand the generated pages to MkDocs.

Thin by design: the work is in the ``coprod`` package, which tests call without a build.
Hook modules are not reloaded by ``mkdocs serve``, so state is reset in ``on_config``.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, InclusionLevel

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coprod import __version__, finish, search, serve_errors, site, site_address
from coprod.export import render_docs_page
from coprod.pages import nav
from coprod.render.prerender import stash, unstash
from coprod.render.sanitize import rename_toc, sanitize_contributed

log = logging.getLogger("mkdocs.hooks.evidence")
_state: dict = {}
_serve: dict = {"on": False, "last_good": []}  # kept across the rebuilds of one mkdocs serve


def on_startup(command, dirty):
    _serve["on"] = command == "serve"


def on_config(config):
    _state.clear()
    try:  # SITE_URL / REPO_URL override mkdocs.yml's placeholders (the Pages workflow sets them)
        log.info(site_address.apply(config, serving=_serve["on"]))
    except site_address.AddressError as error:
        raise Abort(str(error)) from error
    root = Path(config["config_file_path"]).resolve().parent
    build = site.build(root, config)  # the evidence's checks and the site's, as export_pages.py runs them
    for problem in build.report.warnings:
        log.warning(problem.format())
    if build.report.errors and _serve["on"]:  # show the messages in the browser instead of hanging
        return _show_errors(config, build.report, root)
    if build.report.errors:
        lines = "\n".join(p.format() for p in build.report.errors)
        raise Abort(f"The evidence has {len(build.report.errors)} error(s); the site was not built:\n{lines}")
    config["nav"] = nav.complete_browse(config["nav"], build.evidence)  # every browsed vocabulary is in the menu
    _serve["last_good"] = list(build.pages)
    _state.update(build=build, pages=build.pages, contributed=build.contributed, edit_uris=build.edit_uris,
                  stashes={}, site_url=build.site_url,
                  searchable=search.markup_for_records(build.evidence), indexed=set(), index=None,
                  language=config["theme"]["language"] or "en")
    config["copyright"] = f"{config.get('copyright') or ''} Library version {__version__}.".strip()
    return config


def _show_errors(config, report, root):
    _state.update(broken=report, evidence_dir=root / "evidence")
    serve_errors.configure(config, report)
    return config


def on_pre_build(config):
    if _state.get("broken"):
        return
    # Pagefind indexes each searchable page as it is rendered (on_page_content), on another core
    try:
        _state["index"] = search.start_index()
    except search.SearchIndexError as error:
        raise Abort(f"Search: {error}") from error


def on_build_error(error):
    index = _state.get("index")
    if index is not None:
        index.kill()


def on_files(files, config):
    if _state.get("broken"):
        return serve_errors.replace_pages(files, config, _state["broken"], _serve["last_good"], _state["evidence_dir"])
    # every hand-written page is searchable (see on_page_content)
    _state["hand_written"] = [f.src_uri for f in files.documentation_pages() if f.generated_by is None]
    for uri, page in _state["pages"].items():
        if files.get_file_from_path(uri) is not None:
            raise Abort(f"docs/{uri} is also a generated page; remove it from docs/")
        # generated pages are reached from the generated listings, not the nav: no "not in nav" notice
        file = File.generated(config, uri, content=page.content, inclusion=InclusionLevel.NOT_IN_NAV)
        file.edit_uri = _state["edit_uris"].get(uri)  # Material's edit button opens the evidence file
        files.append(file)
    return files


def on_page_markdown(markdown, page, config, files):
    if _state.get("broken"):
        return markdown
    if page.file.generated_by is None:
        return render_docs_page(_state["build"], page.file.src_uri, markdown)
    # generated pages arrive with citations rendered; the HTML blocks the generator wrote
    # skip Python-Markdown (COPROD_NO_PRERENDER=1 leaves everything to MkDocs: the tests
    # compare the two sites)
    if not os.environ.get("COPROD_NO_PRERENDER"):
        markdown, _state["stashes"][page.file.src_uri] = stash(markdown)
    return markdown


def on_page_content(html, page, config, files):
    if _state.get("broken"):
        return html
    store = _state["stashes"].pop(page.file.src_uri, None)
    if store is not None:
        html = unstash(html, store)
        page.present_anchor_ids |= store.anchor_ids()  # so MkDocs' anchor validation sees them
    if page.file.src_uri in _state["contributed"]:
        html, renamed = sanitize_contributed(html)  # the part of the page a stranger wrote
        rename_toc(page.toc, renamed)  # its ids are namespaced: the sidebar follows
        page.present_anchor_ids |= set(renamed.values())
    # searchable pages: content wrapped in data-pagefind-body, with their filters and metadata
    html, indexed = search.mark_page(html, page.file.src_uri, page.title, page.file.generated_by is not None,
                                     _state["searchable"])
    if indexed:
        _state["indexed"].add(page.file.src_uri)
        # Pagefind indexes the content now, on another core, while MkDocs renders the rest
        try:
            _state["index"].add(search.document_for_index(html, page.title, _state["language"]), "/" + page.url)
        except search.PagefindServiceError as error:
            raise Abort(f"Search: {error}") from error
    return html


def on_page_context(context, page, config, nav):
    if not _state.get("broken"):  # the page's description, which the theme's site_meta block writes
        page.meta.update(finish.page_meta(page.file.src_uri, _state["build"]))
    return context


def on_post_page(output, page, config):
    if _state.get("broken"):
        return output
    output = finish.page_head(output, page.file.src_uri, _state["build"], description=False)  # citation metadata
    return finish.harden(output, with_policy=not _serve["on"])  # serve injects live reload inline


def on_post_template(output, template_name, config):
    return finish.harden(output, with_policy=not _serve["on"]) if template_name.endswith(".html") else output


def on_post_build(config):
    if _state.get("broken"):
        return serve_errors.post_build(config)
    site_dir = Path(config["site_dir"])
    searchable = list(dict.fromkeys([*_state["searchable"], *_state["hand_written"]]))
    index = _state.pop("index")
    try:
        if set(searchable) <= _state["indexed"]:
            result = search.finish_index(index, site_dir, searchable)
        else:  # mkdocs build --dirty rendered only changed pages: index the written site
            index.kill()
            result = search.index_built_site(site_dir, searchable)
    except search.SearchIndexError as error:
        raise Abort(f"Search: {error}") from error
    log.info(f"Search: Pagefind indexed {result.pages} pages in {result.seconds:.1f} s")
    finish.business_case_pdf(site_dir, _state["build"], log)  # from its built page (coprod/render/pdf.py)
    missing = finish.check_built(site_dir, _state["build"])  # the check coprod/finish.py runs on any engine's site
    if missing:
        raise Abort("Pages or files missing from the built site:\n" + "\n".join(missing))
