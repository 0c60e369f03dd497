"""What the build makes from the evidence: every generated page and data file.

Plain functions, no MkDocs. :func:`build` is the one entry point: it loads and checks the
evidence, generates every page and runs the site's checks, and returns one frozen
:class:`SiteBuild`. The MkDocs hooks register its pages, scripts/export_pages.py writes
them to a folder for any other engine, and :mod:`coprod.finish` completes a built folder
from it. :func:`load` and :func:`generate` are its two steps, which tests call directly.
"""

from __future__ import annotations

import json
import os
import traceback
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import MappingProxyType

from .checks import tree
from .checks.library import load as load_library
from .cite.formats import LIBRARY, Citable
from .cite.processor import ProcessorError, shared_processor
from .cite.references import References
from .model import Library
from .pagecache import CaseStudyPages
from .pages import LazyPage, OnDisk, Page, Scratch
from .pages.business_case import business_case_page, claim_page
from .pages.catalogue import catalogue_data, catalogue_pages
from .pages.charts import claims_by_strength_chart
from .pages.citing import (
    CITE_HEADING,
    MANIFEST,
    cite_box_html,
    download_pages,
    feed_xml,
    how_to_cite_page,
    library_citable,
    manifest,
    page_citable,
    record_citable,
    redirect_pages,
    render_citations,
    unpublished,
    whats_new_page,
)
from .pages.contribute import contribute_pages
from .pages.evidence_map import evidence_map_page
from .pages.exports import data_files, data_page
from .pages.references import references_page
from .pages.taxonomy_pages import index_evidence, taxonomy_pages
from .pages.versions import VERSION_ADDRESS, Versions, old_versions
from .read import buildcache, urls
from .read.kinds import CASE_STUDY, CLAIM
from .read.problems import Report
from .render import templates

DEFAULT_SITE_URL = "https://coproduction-evidence.example/"


@dataclass
class Build:
    evidence: Library | None  # the typed model, once the folder loaded
    report: Report
    references: References | None = None
    pages: dict[str, Page] = field(default_factory=dict)
    citables: dict[str, Citable] = field(default_factory=dict)  # page uri -> what its citation says
    unpublished: list[str] = field(default_factory=list)  # published addresses that no longer resolve
    versions: Versions | None = None  # earlier versions of the records, from the git history


@dataclass(frozen=True)
class SiteBuild:
    """One build's result, for every engine: made once by :func:`build`, never changed.

    ``report`` holds every problem of the run: the evidence's, then the site's checks
    (published addresses that no longer resolve, published case studies missing from a
    page they belong on). Where it has errors, ``pages`` is empty: nothing is to be built.
    """

    report: Report
    evidence: Library | None = None
    references: References | None = None
    pages: Mapping[str, Page] = field(default_factory=lambda: MappingProxyType({}))  # docs/ path -> page or data file
    citables: Mapping[str, Citable] = field(default_factory=lambda: MappingProxyType({}))  # page uri -> its citation
    handwritten: tuple[str, ...] = ()  # the docs/ folder's own pages (.md), as docs/ paths
    edit_uris: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # record page -> its evidence file, as File.edit_uri
    site_url: str = DEFAULT_SITE_URL
    walkable: bool = True  # no symbolic link in docs/ or the theme's overrides: an engine may walk them
    history: tuple[str, ...] = ()  # what the build says once about earlier versions (coprod.pages.versions)
    shared_cache: Path | None = None  # results keyed by content alone, for every tree (coprod.read.buildcache.shared)

    @property
    def ok(self) -> bool:
        return not self.report.errors

    @property
    def problems(self) -> list:
        return self.report.problems

    @property
    def data_files(self) -> dict[str, Page]:
        """The generated files that are not pages: data exports, cite files, the feed."""
        return {uri: page for uri, page in self.pages.items() if not uri.endswith(".md")}

    @property
    def contributed(self) -> frozenset[str]:
        """The pages that hold text a stranger wrote (sanitised after rendering)."""
        return frozenset(self.edit_uris)

    def html_pages(self) -> list[str]:
        """Every page the engine renders to HTML, generated and hand-written, as docs/ paths."""
        return [uri for uri in self.pages if uri.endswith(".md")] + list(self.handwritten)


def build(root: Path, config: Mapping, shared_cache: Path | None = None) -> SiteBuild:
    """Load, check and generate the site of the project in ``root`` with the settings of its
    mkdocs.yml (``config``: MkDocs' own config or :func:`read_site_config`'s plain data).
    ``shared_cache`` (coprod.read.buildcache.shared) keeps what is keyed by its content
    alone: each file's checks, the bibliography, citations, the PDF."""
    docs_dir = root / str(config.get("docs_dir") or "docs")  # MkDocs gives it absolute
    files = Report()  # the files beside the evidence: links, file types, hand-written pages, a committed cache
    walkable = tree.check_project(root, config, files, docs=docs_dir)
    templates.use_theme(tree.project_folders(root, config)[1] if walkable else None)  # the look: overrides/
    loaded = load(root / "evidence", docs_dir=docs_dir if walkable else None, display_root=root, cache_dir=shared_cache)
    report = loaded.report
    report.extend(files.problems)
    if report.errors:
        return SiteBuild(report, loaded.evidence, loaded.references, walkable=walkable)
    site_url = config.get("site_url") or DEFAULT_SITE_URL
    processor = shared_processor()
    processor.use_cache(shared_cache)  # rendered citations kept by what they are made from
    try:
        pages = generate(loaded, edit_base(config), site_url, docs_dir, config.get("repo_url"),
                         editors_email=str((config.get("extra") or {}).get("editors_email") or ""))
    except ProcessorError as error:  # no Node.js or citeproc-js: say how to get them, no traceback
        report.error("pyproject.toml", 0, "npm-build-tools", str(error))
        return SiteBuild(report, loaded.evidence, loaded.references, site_url=site_url)
    except Exception as exc:  # noqa: BLE001 - the validator let something through: a message, never a traceback
        if os.environ.get("COPROD_DEBUG"):
            traceback.print_exc()
        report.error("evidence", 0, "site", f"internal error while making the pages: {type(exc).__name__}: {exc}",
                     "please report this to the library's maintainers (COPROD_DEBUG=1 prints where it happened)")
        return SiteBuild(report, loaded.evidence, loaded.references, site_url=site_url)
    processor.save_cache()
    for message in loaded.unpublished:
        report.error(f"evidence/{PUBLISHED_URLS}", 0, "urls", message)
    for path, message in _missing(loaded.evidence, pages):
        report.error(path, 0, "site", message)
    if report.errors:
        return SiteBuild(report, loaded.evidence, loaded.references, site_url=site_url)
    docs_name = docs_dir.relative_to(root).as_posix() if docs_dir.is_relative_to(root) else "docs"
    handwritten = tuple(sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md"))) \
        if docs_dir.is_dir() else ()
    return SiteBuild(report, loaded.evidence, loaded.references, MappingProxyType(dict(pages)),
                     MappingProxyType(dict(loaded.citables)), handwritten,
                     MappingProxyType(edit_uris(loaded, docs_name)), site_url,
                     history=loaded.versions.messages if loaded.versions else (), shared_cache=shared_cache)


def build_with_cache(root: Path, config: Mapping) -> SiteBuild:
    """:func:`build` as every command runs it (the MkDocs hooks, ``scripts/export_pages.py``),
    with the user's cache of results keyed by their content (:func:`buildcache.shared`): an
    export, or the pass that finishes another engine's site, renders no citation and no PDF
    that a build of the same content already made."""
    return build(root, config, shared_cache=buildcache.shared(root))


def load(evidence_dir: Path, docs_dir: Path | None = None, display_root: Path | None = None,
         cache_dir: Path | None = None) -> Build:
    """Load and check the evidence (``cache_dir``: see coprod.read.buildcache). Pages are made by
    :func:`generate` once it is clean."""
    report = Report()
    citing = [docs_dir] if docs_dir is not None and docs_dir.is_dir() else []
    library = load_library(evidence_dir, report, citing_dirs=citing, display_root=display_root, cache_dir=cache_dir)
    build = Build(library, report)
    if library is not None:
        build.references = References(library.bibliography)
    return build


def generate(build: Build, edit_base: str | None = None, site_url: str = DEFAULT_SITE_URL,
             docs_dir: Path | None = None, repo_url: str | None = None, *, editors_email: str = "") -> dict[str, Page]:
    """Every generated page and data file, keyed by its path under docs/.

    ``edit_base`` is the address that, followed by a repository path, edits that file
    (``https://github.com/owner/repo/edit/main/``); None leaves out the edit links.
    ``site_url`` makes citations and metadata absolute. ``docs_dir`` holds the
    hand-written pages, which the manifest of public addresses lists too. ``repo_url`` (a
    GitHub repository) lets the contribution form propose files there; ``editors_email``
    (mkdocs.yml ``extra.editors_email``) is where its plain-words answers are e-mailed.
    """
    evidence, refs = build.evidence, build.references
    assert evidence is not None and refs is not None
    pages: list[Page] = []

    def edit_url(record) -> str | None:
        return edit_base + record.path if edit_base else None  # record.path is relative to the repository

    case_studies = CaseStudyPages(evidence, refs)  # each made again only when its inputs changed
    for record in evidence.published(CASE_STUDY.key):
        pages.append(case_studies.page(record, edit_url(record)))
    for record in evidence.published(CLAIM.key):
        pages.append(claim_page(record, evidence, refs, edit_url(record)))
    pages.append(business_case_page(evidence, claims_by_strength_chart(evidence, urls.BUSINESS_CASE)))
    index = index_evidence(evidence)
    # the pages that list case studies: while serving, those that list the same as before are the last build's
    pages += taxonomy_pages(evidence, index, kept=case_studies)
    pages += catalogue_pages(evidence, index, kept=case_studies)
    case_studies.done()
    pages.append(catalogue_data(evidence))
    pages.append(evidence_map_page(evidence))
    pages += data_files(evidence)
    pages.append(data_page(evidence))
    pages.append(references_page(refs, cited_by(pages, evidence)))
    # each earlier version at its own address, cited by no list; kept for serve's rebuilds like the case studies
    shared = None if case_studies.lazy else case_studies.shared  # a one-off build keeps none
    build.versions = old_versions(evidence, refs, key=None if shared is None else
                                  (lambda *parts: buildcache.digest(shared, *parts)))
    pages += [old.page for old in build.versions.old]
    if repo_url:
        pages += contribute_pages(evidence, repo_url, editors_email)
    pages += _citable_extras(build, pages, site_url)
    handwritten = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")) if docs_dir else []
    public = [p.uri for p in pages if not p.uri.startswith("assets/")] + handwritten + [MANIFEST]
    listing = manifest(public)
    pages.append(Page(MANIFEST, listing.encode("utf-8"), title="Public addresses"))
    published = read_published(evidence.root)
    if not build.versions.read:  # without the history, earlier versions' addresses cannot be checked
        published = [address for address in published if not VERSION_ADDRESS.match(address)]
    build.unpublished = unpublished(published, set(listing.splitlines()))
    build.pages = {}
    scratch = Scratch() if case_studies.lazy else None  # a one-off build: the files wait on disk
    for page in pages:
        if page.uri in build.pages:
            raise ValueError(f"two generated pages at {page.uri}")
        build.pages[page.uri] = OnDisk(page, scratch) if scratch and not page.uri.endswith(".md") else page
    return build.pages


PUBLISHED_URLS = "published-urls.txt"


def _citable_extras(build: Build, pages: list[Page], site_url: str) -> list[Page]:
    """Cite boxes on every citable page, their downloads, redirects, the feed, "What's new"
    and "How to cite". Fills ``build.citables``."""
    evidence = build.evidence
    records = {r.uri: r for r in evidence.every_published()}
    records |= {old.page.uri: old.record for old in (build.versions.old if build.versions else ())}
    cited_pages = ("case-studies/", "business-case/", *(f"{folder}/" for folder in evidence.fields.folders.values()),
                   urls.EVIDENCE_MAP)
    extras: list[Page] = []
    csl: dict[str, dict] = {}  # each reference converted once
    cited: list[tuple[Page, Citable, tuple[str, ...]]] = []
    for page in pages:
        if not page.is_html:  # a data file
            continue
        aliases: tuple[str, ...] = ()
        if page.uri in records:
            citable = record_citable(records[page.uri], evidence, site_url, page.cites, csl, uri=page.uri)
            aliases = records[page.uri].aliases if page.uri == records[page.uri].uri else ()
        elif page.uri.startswith(cited_pages) and "/page/" not in page.uri:
            citable = page_citable(page.uri, page.title or LIBRARY, evidence, site_url)
        else:
            continue
        cited.append((page, citable, aliases))
    rendered = render_citations([citable for _, citable, _ in cited])  # every page's citation, in one go
    earlier: dict[str, list[tuple[str, str, str]]] = {}  # a record's page -> its earlier versions, newest first
    for old in build.versions.old if build.versions else ():
        earlier.setdefault(old.current.uri, []).append(
            (old.record.version, old.record.updated or old.record.published, urls.href(old.current.uri, old.page.uri)))
    for page, citable, aliases in cited:
        build.citables[page.uri] = citable
        earlier_versions = tuple(earlier.get(page.uri, ()))
        if isinstance(page, LazyPage):  # the section added each time the page is made, its inputs in its key
            page.then(partial(_add_cite_box, citable=citable, rendered=rendered[citable.key], earlier=earlier_versions),
                      repr(citable), repr(rendered[citable.key]), repr(earlier_versions))
        else:  # the page takes the section as HTML, and its heading in its contents
            _add_cite_box(page, citable, rendered[citable.key], earlier_versions)
        extras += download_pages(citable, aliases)
    how = how_to_cite_page(evidence, site_url)
    build.citables[how.uri] = library_citable(evidence, site_url)
    extras += [how, *download_pages(build.citables[how.uri])]
    extras += redirect_pages(evidence, site_url)
    extras += [whats_new_page(evidence), feed_xml(evidence, site_url)]
    return extras


def _add_cite_box(page: Page, citable: Citable, rendered, earlier: tuple) -> None:
    """A page made as HTML with its cite box, the section's heading in its contents."""
    page.content, page.toc = templates.add_section(page.content, page.toc, CITE_HEADING,
                                                   cite_box_html(citable, rendered, earlier=earlier))


def read_published(root: Path) -> list[str]:
    """The committed list of addresses already published (evidence/published-urls.txt)."""
    path = root / PUBLISHED_URLS
    if not tree.is_regular_file(path):  # missing, or a link (reported, never read: it could print any file)
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def edit_base(config: dict) -> str | None:
    """The 'edit this file' address of the repository's root, from MkDocs settings.

    ``edit_uri`` names the docs folder (``edit/main/docs/``), as Material's edit button on
    hand-written pages needs; a path of the repository, like an evidence file, is edited at
    that address with the docs folder taken off."""
    repo, edit = config.get("repo_url"), str(config.get("edit_uri") or "edit/main/docs/")
    if not isinstance(repo, str) or not repo:
        return None
    parts = edit.strip("/").split("/")
    docs = Path(str(config.get("docs_dir") or "docs")).name
    if parts and parts[-1] == docs:
        parts = parts[:-1]
    return f"{repo.rstrip('/')}/{'/'.join(parts)}/"


def edit_uris(build: Build | SiteBuild, docs_dir: str = "docs") -> dict[str, str]:
    """For each generated record page, its source file as MkDocs' ``File.edit_uri`` wants
    it: relative to the docs folder (``../evidence/case-studies/x.md``), so that the theme's
    edit button and every other edit link name the file a contributor changes."""
    records = build.evidence.every_published()
    return {record.uri: "../" * len(Path(docs_dir).parts) + record.path for record in records}


def read_site_config(root: Path) -> dict:
    """mkdocs.yml as plain data (it holds no tags), for code that runs without MkDocs."""
    return tree.site_config(root)


def cited_by(pages: list[Page], evidence: Library) -> dict[str, list[tuple[str, str]]]:
    """Reference key -> [(page uri, page title)] for every generated page that cites it,
    and for each taxonomy term whose source it is."""
    found: dict[str, list[tuple[str, str]]] = {}
    for page in pages:
        for key in page.cites:
            found.setdefault(key, []).append((page.uri, page.title))
    for name, vocab in evidence.taxonomy.vocabularies.items():
        if name not in evidence.fields.folders:
            continue
        for term in vocab.terms.values():
            if term.source:
                found.setdefault(term.source, []).append((evidence.term_page(name, term.key), term.label))
    return found


def missing_from_site(evidence: Library, pages: Mapping[str, Page]) -> list[str]:
    """Every published case study must have its page, appear in each taxonomy list it
    claims, in the catalogue and in the data exports. Returns what is missing, as messages."""
    return [f"{path}: {message}" for path, message in _missing(evidence, pages)]


def _missing(evidence: Library, pages: Mapping[str, Page]) -> list[tuple[str, str]]:
    """(evidence file, what is missing) for :func:`missing_from_site` and :func:`build`."""
    problems: list[tuple[str, str]] = []
    catalogue: set[str] = set()
    for uri, page in pages.items():
        if uri == urls.CATALOGUE or uri.startswith("case-studies/page/"):
            catalogue |= page.lists
    exported = {r.get("id") for r in _json_records(pages.get("data/case-studies.json"))}
    for record in evidence.published(CASE_STUDY.key):
        cid, where = record.id, record.path
        if urls.case_study(cid) not in pages:
            problems.append((where, f"case study '{cid}' has no page"))
        if cid not in catalogue:
            problems.append((where, f"case study '{cid}' is missing from the catalogue"))
        if cid not in exported:
            problems.append((where, f"case study '{cid}' is missing from data/case-studies.json"))
        for vocabulary, uri in _term_pages(record, evidence):
            page = pages.get(uri)
            if page is None or cid not in page.lists:
                problems.append((where, f"case study '{cid}' is missing from the {vocabulary} page {urls.address(uri)}"))
    return problems


def _term_pages(record, library: Library) -> list[tuple[str, str]]:
    """(vocabulary, page) for every browse page the record claims a place on, read with the
    same field map the taxonomy pages are built from."""
    found = [(use.vocabulary, library.term_page(use.vocabulary, use.key)) for use in record.terms
             if library.term_page(use.vocabulary, use.key)]
    found += [(facet.name, facet.page(key)) for facet in library.fields.value_facets for key in facet.values(record)]
    return list(dict.fromkeys(found))


def _json_records(page: Page | None) -> Iterator[dict]:
    """The records of a data export (a list of objects, or an object whose ``records`` is
    one), each read in turn: the whole file as Python objects was about 120 MB at 10,000
    case studies, at the build's largest moment."""
    if page is None:
        return
    content = page.content
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    decoder = json.JSONDecoder()
    at = _space(text, 0)
    if text.startswith("[", at):
        yield from _json_array(text, at, decoder)
        return
    if not text.startswith("{", at):
        decoder.decode(text)  # any other value: no records (still an error if not JSON)
        return
    at = _space(text, at + 1)
    while not text.startswith("}", at):
        key, at = decoder.raw_decode(text, at)
        at = _space(text, at)
        if not text.startswith(":", at):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, at)
        at = _space(text, at + 1)
        if key == "records" and text.startswith("[", at):
            at = yield from _json_array(text, at, decoder)
        else:
            _, at = decoder.raw_decode(text, at)
        at = _space(text, at)
        if text.startswith(",", at):
            at = _space(text, at + 1)
        elif not text.startswith("}", at):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, at)


def _json_array(text: str, at: int, decoder: json.JSONDecoder):
    """The objects of the JSON array at ``at``, one at a time; returns where it ends."""
    at = _space(text, at + 1)
    while not text.startswith("]", at):
        item, at = decoder.raw_decode(text, at)
        if isinstance(item, dict):
            yield item
        at = _space(text, at)
        if text.startswith(",", at):
            at = _space(text, at + 1)
        elif not text.startswith("]", at):
            raise json.JSONDecodeError("Expecting ',' delimiter", text, at)
    return at + 1


def _space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\n\r":
        at += 1
    return at
