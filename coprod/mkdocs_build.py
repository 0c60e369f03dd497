"""One ``mkdocs build`` or ``mkdocs serve`` of the library: the object the MkDocs hooks adapt.

:class:`MkDocsBuild` lives as long as the MkDocs process (hook modules are not reloaded by
``mkdocs serve``) and holds what is kept across the rebuilds of a serve: whether it
serves, ``--dirty``, the pages of the last good build, the search index a rebuild is still
writing. Each build's own state is made afresh in ``on_config``, as one of two objects:

- :class:`SiteRun`, the evidence is valid: the generated pages registered, the dirty
  rebuild's plan (coprod/rebuild.py), each page finished as it renders (the steps of
  coprod/finish.py, which also finishes other engines' sites), Pagefind fed on the way;
- :class:`ErrorPreview`, only while serving evidence with errors: every page the
  contributor may have open shows the validator's messages (coprod/serve_errors.py).

Choosing between them is the one branch the error preview takes; every event after it
goes to the chosen object. MkDocs is imported here only where its events need it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from types import MappingProxyType

from mkdocs.plugins import event_priority

from . import __version__, finish, pagecache, rebuild, search, serve_errors, serve_preview, site, site_address
from .checks import evidence as checks
from .checks import tree
from .export import front_matter, page_source, render_docs_page, source_digest
from .pages import LazyPage, OnDisk, Page, pdf
from .pages import nav as site_nav
from .pages.versions import VERSION_ADDRESS
from .read import buildcache, urls
from .read.kinds import CASE_STUDY
from .render import csp, templates
from .render.packed import PackedPages, Spilled, pack
from .render.sanitize import rename_toc

log = logging.getLogger("mkdocs.hooks.evidence")

DIRTY_NOTICE = "A 'dirty' build is being performed"


def _abort(message: str) -> Exception:
    from mkdocs.exceptions import Abort

    return Abort(message)


class MkDocsBuild:
    """The hooks' one object: every event of MkDocs' build, in MkDocs' order."""

    def __init__(self, hook_file: Path) -> None:
        self.hook_file = hook_file  # its bytes are part of every page's key (coprod/rebuild.py)
        self.serving = False
        self.dirty = False  # --dirty: only the files whose inputs changed are written again
        self.last_good: list[str] = []  # the pages of the last build without errors
        self.indexing: search.Background | None = None  # the index a rebuild is writing on a thread of its own
        self.run: Run | None = None  # this build's state, made in on_config
        self.known: csp.Known | None = None  # the inline code the theme's templates and overrides/ write
        self.compiled = templates.CompiledInMemory()  # the theme's templates, compiled once for every build of the process

    # ---- the process

    def on_startup(self, command, dirty) -> None:
        self.serving, self.dirty = command == "serve", dirty
        checks.keep_checks_in_memory(self.serving)  # a build loads once: what each file's check made is not held to its end
        pagecache.keep_in_memory(self.serving)  # nor each case study's page, for a next build
        if dirty:
            _quiet_dirty_notice()

    def on_shutdown(self) -> None:
        self.wait_for_search()

    def on_serve(self, server, config, builder):
        """With --dirty, each rebuild of the serve shows an edited case study's page first
        (coprod/serve_preview.py); a whole rebuild empties the site first, so it waits."""
        if not self.dirty:
            return server
        root = Path(config["config_file_path"]).resolve().parent
        roots = [root / "evidence", Path(config["docs_dir"]), Path(config["config_file_path"])]
        if config["theme"].custom_dir:
            roots.append(Path(config["theme"].custom_dir))
        server.builder = serve_preview.EditFirst(server, server.builder, roots, self.preview)
        return server

    def preview(self, edited: list[Path]) -> bool:
        """The pages of the edited case studies, written from the last build's MkDocs state,
        if that is all that changed; False leaves everything to the whole build."""
        return isinstance(self.run, SiteRun) and self.run.preview(edited)

    # ---- one build

    def on_config(self, config):
        self.run = None
        try:  # SITE_URL / REPO_URL override mkdocs.yml's placeholders (the Pages workflow sets them)
            log.info(site_address.apply(config, serving=self.serving))
        except site_address.AddressError as error:
            raise _abort(str(error)) from error
        root = Path(config["config_file_path"]).resolve().parent
        self.known = csp.known_in(config["theme"].dirs)  # what the page policy allows inline: what we wrote
        cache_dir = buildcache.folder(root)  # the user's cache folder for this tree: safe to delete
        built = site.build_with_cache(root, config)  # the build export_pages.py runs too
        for problem in built.report.warnings:
            log.warning(problem.format())
        for line in built.history:  # earlier versions skipped, and why (never fatal: coprod/pages/versions.py)
            log.info(line)
        errors = built.report.errors
        if not built.walkable:  # a link in docs/ or overrides/: MkDocs would follow it (even to show the errors)
            raise _abort(f"The site was not built (MkDocs would follow a symbolic link in docs/ or overrides/); "
                         f"{len(errors)} error(s):\n" + "\n".join(p.format() for p in errors))
        if errors and self.serving:  # show the messages in the browser instead of hanging
            self.run = ErrorPreview(self, cache_dir, built.report, root / "evidence")
            serve_errors.configure(config, built.report)
            return config
        if errors:
            raise _abort(f"The evidence has {len(errors)} error(s); the site was not built:\n"
                         + "\n".join(p.format() for p in errors))
        config["nav"] = site_nav.complete_browse(config["nav"], built.evidence, config["docs_dir"])  # every browse page, no other
        self.last_good = list(built.pages)
        self.run = SiteRun(self, cache_dir, built, config["theme"]["language"] or "en")
        config["copyright"] = f"{config.get('copyright') or ''} Library version {__version__}.".strip()
        return config

    def on_pre_build(self, config) -> None:
        self.wait_for_search()
        self.run.pre_build(config)

    def on_build_error(self, error) -> None:
        if self.run is not None:  # None: on_config stopped the build
            self.run.build_error()

    def on_files(self, files, config):
        unsafe = files_through_links(files, config)
        if unsafe:  # refused in on_config; a link made since must not be copied either
            raise _abort("Symbolic links are not allowed in the site's files: " + ", ".join(unsafe))
        return self.run.files(files, config)

    def on_nav(self, nav, config, files):
        return self.run.nav(nav, config, files)

    def on_pre_page(self, page, config, files):
        self.run.pre_page(page)
        return page

    def on_page_markdown(self, markdown, page, config, files):
        return self.run.page_markdown(markdown, page)

    def on_page_content(self, html, page, config, files):
        return self.run.page_content(html, page, config, files)

    @event_priority(100)  # first: MkDocs calls the hooks after every plugin, and a plugin
    # reading page.content here (Material's search, for one) must find the page unpacked
    def on_page_context(self, context, page, config, nav):
        self.run.page_context(page)
        return context

    def on_post_page(self, output, page, config):
        return self.run.post_page(output, page)

    def on_post_template(self, output, template_name, config):
        return self.harden(output, f"the theme's {template_name}") if template_name.endswith(".html") else output

    def on_env(self, env, config, files):
        self.compiled.settings(Path(config["config_file_path"]).read_bytes())
        env.bytecode_cache = self.compiled  # before any template is loaded: MkDocs loads them after this event
        self.run.env(env, config, files)
        return env

    def on_post_build(self, config) -> None:
        self.run.post_build(config)

    # ---- shared by the builds

    def harden(self, output: str, name: str, uri: str | None = None, built: site.SiteBuild | None = None) -> str:
        """The page's head (its citation metadata, for a page of ``built``) and its policy
        (serve injects its live reload inline: no policy, the same check)."""
        try:
            if built is None:
                return finish.harden(output, with_policy=not self.serving, known=self.known)
            return finish.finish_output(output, uri, built, description=False, with_policy=not self.serving,
                                        known=self.known)
        except csp.ForeignInline as error:
            raise _abort(f"{name}: {error}") from error

    def wait_for_search(self) -> None:
        """The search index the last rebuild of mkdocs serve was writing, finished."""
        pending, self.indexing = self.indexing, None
        if pending is None:
            return
        try:
            pending.result()
        except search.SearchIndexError as error:
            log.error(f"Search: {error}")


class Run:
    """One build's state. This base leaves every page as MkDocs makes it."""

    def __init__(self, owner: MkDocsBuild, cache_dir: Path | None) -> None:
        self.owner, self.cache_dir = owner, cache_dir
        self.previous: rebuild.SiteState | None = None  # what the last build of this folder wrote

    def pre_build(self, config) -> None:
        # what the last build of this folder wrote is read now, and forgotten until this one ends
        # (a build that shows the evidence's errors writes over the pages, and records nothing)
        site_dir = Path(config["site_dir"])
        self.previous = rebuild.recall(site_dir, self.cache_dir)
        rebuild.forget(site_dir, self.cache_dir)

    def build_error(self) -> None:
        pass

    def files(self, files, config):
        return files

    def nav(self, nav, config, files):
        return nav

    def pre_page(self, page) -> None:
        pass

    def page_markdown(self, markdown, page):
        return markdown

    def page_content(self, html, page, config, files):
        return html

    def page_context(self, page) -> None:
        pass

    def env(self, env, config, files) -> None:
        pass

    def post_page(self, output, page):
        return output

    def post_build(self, config) -> None:
        pass


class ErrorPreview(Run):
    """mkdocs serve, evidence with errors: a site of one page, the validator's messages, at
    every address the contributor may have open (coprod/serve_errors.py)."""

    def __init__(self, owner: MkDocsBuild, cache_dir: Path | None, report, evidence_dir: Path) -> None:
        super().__init__(owner, cache_dir)
        self.report, self.evidence_dir = report, evidence_dir

    def files(self, files, config):
        return serve_errors.replace_pages(files, config, self.report, self.owner.last_good, self.evidence_dir)

    def post_build(self, config) -> None:
        serve_errors.post_build(config)


class SiteRun(Run):
    """A build of valid evidence: :func:`coprod.site.build`'s pages registered with MkDocs,
    each finished as it renders, the search index fed as they do."""

    def __init__(self, owner: MkDocsBuild, cache_dir: Path | None, built: site.SiteBuild, language: str,
                 searchable: dict[str, str] | None = None) -> None:
        super().__init__(owner, cache_dir)
        self.site, self.language = built, language
        # docs/ path -> a record page's search markup
        self.searchable = search.markup_for_records(built.evidence) if searchable is None else searchable
        self.hand_written: list[str] = []  # docs/ pages, all searchable
        self.sources: dict[str, str] = {}  # page made as HTML -> the digest of its source (files)
        self.making: dict[str, Page] = {}  # a LazyPage's page while MkDocs renders it (pre_page to page_content)
        self.packed = PackedPages()  # rendered pages' HTML, compressed until written (coprod/render/packed.py)
        self.documents = Spilled()  # searchable page -> the document Pagefind is given, packed, on disk
        self.index = None  # the Pagefind service indexing pages as they render
        self.plan: rebuild.Plan | None = None
        self.order: dict[str, str] = {}  # page -> its URL, in MkDocs' render order
        self.partial = False  # a dirty build that leaves searchable pages as they were
        self.unchanged: set[str] = set()
        self.navigation = None
        self.mkdocs: tuple | None = None  # config, files, theme: what a preview renders with (and navigation)
        self.ended = False  # the build wrote every page

    def pre_build(self, config) -> None:
        super().pre_build(config)
        try:  # Pagefind indexes each searchable page as it is rendered (page_content), on another core
            self.index = search.start_index()
        except search.SearchIndexError as error:
            raise _abort(f"Search: {error}") from error

    def build_error(self) -> None:
        if self.index is not None:
            self.index.kill()

    def files(self, files, config):
        from mkdocs.structure.files import File, InclusionLevel

        # every hand-written page is searchable (see page_content)
        self.hand_written = [f.src_uri for f in files.documentation_pages() if f.generated_by is None]
        for uri, page in self.site.pages.items():
            if files.get_file_from_path(uri) is not None:
                raise _abort(f"docs/{uri} is also a generated page; remove it from docs/")
            if page.is_html:
                # MkDocs reads only the front matter of a page made as HTML (templates.hand_to_mkdocs
                # gives it the rest): the whole source, a second copy of every such page held until
                # it is rendered, is neither written nor registered; a digest of what it is made of
                # stands for it in the page's key (a page not made yet: the key of its inputs)
                self.sources[uri] = page.key if isinstance(page, LazyPage) else source_digest(page)
                source = front_matter(page)
            elif isinstance(page, OnDisk):  # MkDocs copies it from its temporary file
                source = None
            else:
                source = page.content
            # generated pages are reached from the generated listings, not the nav: no "not in nav" notice
            file = File.generated(config, uri, inclusion=InclusionLevel.NOT_IN_NAV,
                                  **({"content": source} if source is not None else {"abs_src_path": str(page.path)}))
            file.edit_uri = self.site.edit_uris.get(uri)  # Material's edit button opens the evidence file
            files.append(file)
        return files

    def nav(self, nav, config, files):
        """Every file's key (coprod/rebuild.py); in a dirty build, the files whose key is the
        last build's are left as they are, and a changed site is built whole."""
        from mkdocs.structure.files import InclusionLevel
        from mkdocs.utils import clean_directory

        serving, dirty = self.owner.serving, self.owner.dirty
        if serving and not dirty:  # every rebuild of this serve is whole: no keys needed
            self.plan = rebuild.Plan(rebuild.SiteState("", {}), None)
        else:
            site_key = rebuild.site_key(config, self.owner.hook_file, serving, files)
            docs_dir = Path(config["docs_dir"]).resolve()
            keys = {file.src_uri: rebuild.file_key(site_key, file, self._own_part(file, docs_dir)) for file in files}
            self.plan = rebuild.Plan(rebuild.SiteState(site_key, keys), self.previous)
        self.previous = None
        inclusion = InclusionLevel.is_in_serve if serving else InclusionLevel.is_included
        # the order MkDocs renders the pages in, which is the order Pagefind is given them
        self.order = {f.src_uri: "/" + ("" if f.url in (".", "./") else f.url)  # as Page.url
                      for f in files.documentation_pages(inclusion=inclusion)}
        self.navigation = nav
        if not dirty:
            return nav
        if not self.plan.same_site:  # another site than the one in the folder: built whole, as a clean build
            clean_directory(config["site_dir"])
            return nav
        for file in files:
            unchanged = self.plan.unchanged(file)
            file.is_modified = (lambda: False) if unchanged else (lambda: True)
            if unchanged:
                self.unchanged.add(file.src_uri)
            # a searchable page left as it is: its document comes from the last build
            self.partial |= unchanged and (file.src_uri in self.searchable or file.src_uri in self.hand_written)
        log.info(f"Rebuild: {len(files) - len(self.unchanged)} of {len(files)} files changed; "
                 "the others are left as they are")
        return nav

    def env(self, env, config, files) -> None:
        self.packed.pack_last()
        self.mkdocs = (config, files, env)

    def _own_part(self, file, docs_dir: Path) -> str:
        """What a file's output is made from besides the site (coprod/rebuild.py): for a page,
        also what the hooks add to it from the evidence."""
        uri = file.src_uri
        if file.generated_by is None and file.is_documentation_page():
            text = Path(file.abs_src_path).read_text(encoding="utf-8", errors="replace")
            own = render_docs_page(self.site, uri, text)
        elif uri in self.sources:  # a page made as HTML: the digest of its whole source (see files)
            own = self.sources[uri]
        else:
            own = rebuild.source_part(file, docs_dir)
            own = own.decode("utf-8", "surrogateescape") if isinstance(own, bytes) else own
        citable = self.site.citables.get(uri)
        # the citation metadata post_page adds is made from the citable and the site's address (in the site's key)
        return buildcache.digest(own, repr(citable) if citable is not None else "",
                                 self.searchable.get(uri, ""), str(uri in self.site.contributed))

    def pre_page(self, page) -> None:
        made = None if page.file.generated_by is None else self.site.pages.get(page.file.src_uri)
        if isinstance(made, LazyPage):  # made now, when MkDocs asks for it, and let go once rendered
            made = self.making[page.file.src_uri] = made.made()
        if made is not None and made.is_html:  # made as HTML from its template: no Markdown pass
            templates.hand_to_mkdocs(page, made)

    def page_markdown(self, markdown, page):
        if page.file.generated_by is None:
            return render_docs_page(self.site, page.file.src_uri, markdown)
        # a generated page is made as HTML, which pre_page handed to MkDocs: its markdown is unused
        return markdown

    def page_content(self, html, page, config, files):
        uri = page.file.src_uri
        self.packed.rendered(page)  # the page rendered before this one is held compressed from now on
        content = finish.finish_content(html, uri, page.title, self.site, self.searchable,
                                        generated=page.file.generated_by is not None)
        rename_toc(page.toc, content.renamed)  # the sidebar follows the namespaced ids
        page.present_anchor_ids |= set(content.renamed.values())
        if content.searchable:
            document = search.document_for_index(content.html, page.title, self.language)
            self.documents[uri] = pack(document)  # held to the build's end for the next (coprod/rebuild.py)
            if not self.partial:  # Pagefind indexes it now, on another core, while MkDocs renders the rest
                try:
                    self.index.add(document, "/" + page.url)
                except search.PagefindServiceError as error:
                    raise _abort(f"Search: {error}") from error
        self._release(page)
        return content.html

    def _release(self, page) -> None:
        """What MkDocs read to render ``page`` and no longer needs, let go: held for every
        page to the build's end, it was most of the memory a build grows by (at 10,000 case
        studies, gigabytes). The generated page's source (in :attr:`site`, or what a
        :class:`LazyPage` was made into in :meth:`pre_page`, and in MkDocs' ``File``) goes; its markdown too where its title is not read from it (MkDocs reads
        ``Page.markdown`` again only for a title neither the front matter nor the rendered
        heading gives). A data file is kept: MkDocs copies it later, and the build checks its size."""
        made = self.site.pages.get(page.file.src_uri) if page.file.generated_by is not None else None
        if isinstance(made, LazyPage):  # what it was made into, in pre_page
            made = self.making.pop(page.file.src_uri, None)
        if made is not None and page.file.is_documentation_page():
            made.content, made.body = "", None  # a page made as HTML: the contributor's text, placed
            page.file.content_string = ""
        if "title" in page.meta or page._title_from_render:
            page.markdown = ""

    def page_context(self, page) -> None:
        self.packed.unpack(page)
        page.meta.update(finish.page_meta(page.file.src_uri, self.site))  # the description the theme writes

    def post_page(self, output, page):
        output = self.owner.harden(output, f"docs/{page.file.src_uri}", page.file.src_uri, self.site)
        page.content = None  # written: not held while MkDocs writes the other pages (its markdown gives its title)
        return output

    def preview(self, edited: list[Path]) -> bool:
        """The pages of the case studies in ``edited``, made and written as the whole build
        makes them (coprod/serve_preview.py), if nothing else changed and each file passes
        its own checks; returns whether it wrote them. The whole build that follows checks
        everything again, across files too, and shows any error instead."""
        from dataclasses import replace

        from mkdocs.commands.build import _build_page, _populate_page
        from mkdocs.structure.files import File, InclusionLevel
        from mkdocs.structure.pages import Page

        from .model import case_study
        from .pages.case_study import case_study_page
        from .pages.citing import CITE_HEADING, cite_box_html, record_citable, render_citations

        if not self.ended:  # the last build stopped half way
            return False
        config, files, env = self.mkdocs
        library, refs = self.site.evidence, self.site.references
        folder = library.root / CASE_STUDY.folder
        if any(path.parent != folder or path.suffix != ".md" for path in edited):
            return False
        root = Path(config["config_file_path"]).resolve().parent
        published = {record.path: record for record in library.published(CASE_STUDY.key)}
        # each file's own checks, in the context the whole build's workers have
        checks._init_worker(library.root, {name: [(t.key, t.label, " ".join(t.definition.split()))
                                                  for t in vocabulary.terms.values()]
                                           for name, vocabulary in library.taxonomy.vocabularies.items()})
        records = []
        for path in edited:
            display = path.resolve().relative_to(root).as_posix()
            raw, _ = checks.check_record_file(CASE_STUDY.key, path, display)
            old = published.get(display)
            if not raw.valid or old is None or raw.id != old.id or raw.status != old.status:
                return False  # an error, or a new, renamed or withdrawn page: the whole build shows it
            record = case_study(raw, library.fields, library.taxonomy)
            keys = {item.key for citation in raw.citations for item in citation.items}
            keys |= {*record.sources, *(key for outcome in record.outcomes for key in outcome.sources)}
            if not keys <= library.bibliography.entries.keys():
                return False  # a reference not in references.bib: the whole build names it
            if record.version != old.version:
                return False  # which earlier versions its cite box lists may change: the whole build
            records.append(record)
        library = replace(library, case_studies={**library.case_studies, **{r.id: r for r in records}})
        base = site.edit_base(config)
        citables, searchable, made = dict(self.site.citables), dict(self.searchable), {}
        for record in records:
            page = case_study_page(record, library, refs, base + record.path if base else None)
            citable = record_citable(record, library, self.site.site_url, page.cites, {})
            page.content, page.toc = templates.add_section(
                page.content, page.toc, CITE_HEADING,
                cite_box_html(citable, render_citations([citable])[citable.key], earlier=self._earlier(record.uri)))
            made[record.uri] = page
            citables[record.uri] = citable
            searchable[record.uri] = search.pagefind_markup(record, library)
        pages = MappingProxyType({**self.site.pages, **made})
        run = SiteRun(self.owner, self.cache_dir, replace(self.site, evidence=library, citables=citables, pages=pages),
                      self.language, searchable=searchable)
        run.partial = True  # the search index is the whole build's to write
        inclusion = InclusionLevel.is_in_serve
        before, self.owner.run = self.owner.run, run  # the page events of the preview go to it
        try:
            for uri, page in made.items():
                old = files.get_file_from_path(uri)
                file = File.generated(config, uri, content=page_source(page), inclusion=InclusionLevel.NOT_IN_NAV)
                file.edit_uri = old.edit_uri
                files.remove(old)
                files.append(file)
                Page(None, file, config)
                _populate_page(file.page, config, files)
                _build_page(file.page, config, files.documentation_pages(inclusion=inclusion), self.navigation, env)
        finally:
            self.owner.run = before
        return True

    def _earlier(self, uri: str) -> tuple[tuple[str, str, str], ...]:
        """The earlier versions the cite box of the page ``uri`` lists, newest first, from
        the citations of their pages in the last build (as coprod/site.py lists them)."""
        prefix = uri.removesuffix(".md") + "/"
        found = [self.site.citables[other] for other in self.site.pages
                 if other.startswith(prefix) and VERSION_ADDRESS.match("/" + other.removesuffix(".md") + "/")
                 and other in self.site.citables]
        found.sort(key=lambda c: tuple(int(part) for part in c.version.split(".")), reverse=True)
        return tuple((c.version, c.date, urls.href(uri, c.uri)) for c in found)

    def post_build(self, config) -> None:
        owner, site_dir = self.owner, Path(config["site_dir"])
        # a dirty build that left the business case's page as it was leaves its PDF too (coprod/rebuild.py)
        if urls.BUSINESS_CASE not in self.unchanged or not (site_dir / pdf.PDF_URI).is_file():
            finish.business_case_pdf(site_dir, self.site, log)  # from its built page (coprod/pages/pdf.py)
        missing = finish.check_built(site_dir, self.site)  # the check coprod/finish.py runs on any engine's site
        if missing:
            raise _abort("Pages or files missing from the built site:\n" + "\n".join(missing))
        searchable = list(dict.fromkeys([*self.searchable, *self.hand_written]))
        plan, index, partial, cache_dir = self.plan, self.index, self.partial, self.cache_dir
        self.index = None
        previous = plan.previous.documents if plan.same_site else {}

        def write_index():
            result, plan.state.documents = search.complete_index(index, site_dir, searchable, self.order,
                                                                 self.documents, previous, partial)
            log.info(f"Search: Pagefind indexed {result.pages} pages in {result.seconds:.1f} s")
            if plan.state.site_key:  # the build is whole now
                rebuild.remember(site_dir, plan.state, cache_dir, in_memory=owner.serving)

        self.ended = True
        if owner.serving and partial:
            # mkdocs serve --dirty: the pages are served now, and the index of every page is
            # written meanwhile on a thread of its own; the next build waits for it
            owner.indexing = search.Background(write_index)
            return
        try:
            write_index()
        except search.SearchIndexError as error:
            raise _abort(f"Search: {error}") from error


def files_through_links(files, config) -> list[str]:
    """The site's files from docs/ or the theme's overrides that are, or lie behind, a symbolic link."""
    roots = [Path(config["docs_dir"])] + ([Path(config["theme"].custom_dir)] if config["theme"].custom_dir else [])
    return [file.src_uri for file in files if file.generated_by is None and file.abs_src_path
            and tree.behind_link(Path(file.abs_src_path), roots)]


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
