"""What the build makes from the evidence: every generated page and data file.

Plain functions, no MkDocs: the hooks register these pages, scripts/export_pages.py writes
them to a folder for any other engine, and tests call them directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import urls
from .charts import claims_by_strength_chart
from .cite import References
from .citeformats import LIBRARY, Citable
from .contribute import contribute_pages
from .evidence import Evidence, load_evidence
from .exports import data_files, data_page
from .pagecache import CaseStudyPages
from .pages import Page
from .pages.business_case import business_case_page, claim_page
from .pages.catalogue import catalogue_data, catalogue_pages
from .pages.citing import (
    MANIFEST,
    cite_box,
    download_pages,
    feed_xml,
    how_to_cite_page,
    library_citable,
    manifest,
    page_citable,
    record_citable,
    redirect_pages,
    unpublished,
    whats_new_page,
)
from .pages.evidence_map import evidence_map_page
from .pages.references import references_page
from .pages.taxonomy_pages import case_countries, case_terms, case_year, index_evidence, taxonomy_pages
from .problems import Report

DEFAULT_SITE_URL = "https://coproduction-evidence.example/"


@dataclass
class Build:
    evidence: Evidence | None
    report: Report
    references: References | None = None
    pages: dict[str, Page] = field(default_factory=dict)
    citables: dict[str, Citable] = field(default_factory=dict)  # page uri -> what its citation says
    unpublished: list[str] = field(default_factory=list)  # published addresses that no longer resolve


def load(evidence_dir: Path, docs_dir: Path | None = None, display_root: Path | None = None,
         cache_dir: Path | None = None) -> Build:
    """Load and check the evidence (``cache_dir``: see coprod.buildcache). Pages are made by
    :func:`generate` once it is clean."""
    report = Report()
    citing = [docs_dir] if docs_dir is not None and docs_dir.is_dir() else []
    evidence = load_evidence(evidence_dir, report, citing_dirs=citing, display_root=display_root, cache_dir=cache_dir)
    build = Build(evidence, report)
    if evidence is not None:
        build.references = References(evidence.bibliography)
    return build


def generate(build: Build, edit_base: str | None = None, site_url: str = DEFAULT_SITE_URL,
             docs_dir: Path | None = None, repo_url: str | None = None) -> dict[str, Page]:
    """Every generated page and data file, keyed by its path under docs/.

    ``edit_base`` is the address that, followed by a repository path, edits that file
    (``https://github.com/owner/repo/edit/main/``); None leaves out the edit links.
    ``site_url`` makes citations and metadata absolute. ``docs_dir`` holds the
    hand-written pages, which the manifest of public addresses lists too. ``repo_url`` (a
    GitHub repository) lets the contribution form propose files there.
    """
    evidence, refs = build.evidence, build.references
    assert evidence is not None and refs is not None
    pages: list[Page] = []

    def edit_url(record) -> str | None:
        return edit_base + record.path if edit_base else None  # record.path is relative to the repository

    case_studies = CaseStudyPages(evidence, refs)  # each made again only when its inputs changed
    for record in evidence.published("case-study"):
        pages.append(case_studies.page(record, edit_url(record)))
    case_studies.done()
    for record in evidence.published("claim"):
        pages.append(claim_page(record, evidence, refs, edit_url(record)))
    pages.append(business_case_page(evidence, claims_by_strength_chart(evidence, urls.BUSINESS_CASE)))
    index = index_evidence(evidence)
    pages += taxonomy_pages(evidence, index)
    pages += catalogue_pages(evidence, index)
    pages.append(catalogue_data(evidence))
    pages.append(evidence_map_page(evidence))
    pages += data_files(evidence)
    pages.append(data_page(evidence))
    pages.append(references_page(refs, cited_by(pages, evidence)))
    if repo_url:
        pages += contribute_pages(evidence, repo_url)
    pages += _citable_extras(build, pages, site_url)
    handwritten = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md")) if docs_dir else []
    public = [p.uri for p in pages if not p.uri.startswith("assets/")] + handwritten + [MANIFEST]
    listing = manifest(public)
    pages.append(Page(MANIFEST, listing.encode("utf-8"), title="Public addresses"))
    build.unpublished = unpublished(read_published(evidence.root), set(listing.splitlines()))
    build.pages = {}
    for page in pages:
        if page.uri in build.pages:
            raise ValueError(f"two generated pages at {page.uri}")
        build.pages[page.uri] = page
    return build.pages


CITED_PAGES = ("case-studies/", "business-case/", *(f"{folder}/" for folder in urls.VOCABULARY_FOLDERS.values()),
               urls.EVIDENCE_MAP)
PUBLISHED_URLS = "published-urls.txt"


def _citable_extras(build: Build, pages: list[Page], site_url: str) -> list[Page]:
    """Cite boxes on every citable page, their downloads, redirects, the feed, "What's new"
    and "How to cite". Fills ``build.citables``."""
    evidence = build.evidence
    records = {urls.case_study(r.id): r for r in evidence.published("case-study")}
    records |= {urls.claim(r.id): r for r in evidence.published("claim")}
    extras: list[Page] = []
    csl: dict[str, dict] = {}  # each reference converted once
    for page in pages:
        if not isinstance(page.content, str) or not page.uri.endswith(".md"):
            continue
        aliases: tuple[str, ...] = ()
        if page.uri in records:
            citable = record_citable(records[page.uri], evidence, site_url, page.cites, csl)
            aliases = tuple(a for a in records[page.uri].data.get("aliases") or [] if isinstance(a, str))
        elif page.uri.startswith(CITED_PAGES) and "/page/" not in page.uri:
            citable = page_citable(page.uri, page.title or LIBRARY, evidence, site_url)
        else:
            continue
        build.citables[page.uri] = citable
        page.content = page.content.rstrip("\n") + "\n\n" + cite_box(citable)
        extras += download_pages(citable, aliases)
    how = how_to_cite_page(evidence, site_url)
    build.citables[how.uri] = library_citable(evidence, site_url)
    extras += [how, *download_pages(build.citables[how.uri])]
    extras += redirect_pages(evidence, site_url)
    extras += [whats_new_page(evidence), feed_xml(evidence, site_url)]
    return extras


def read_published(root: Path) -> list[str]:
    """The committed list of addresses already published (evidence/published-urls.txt)."""
    path = root / PUBLISHED_URLS
    if not path.exists():
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


def edit_uris(build: Build, docs_dir: str = "docs") -> dict[str, str]:
    """For each generated record page, its source file as MkDocs' ``File.edit_uri`` wants
    it: relative to the docs folder (``../evidence/case-studies/x.md``), so that the theme's
    edit button and every other edit link name the file a contributor changes."""
    pages = {urls.case_study(r.id): r for r in build.evidence.published("case-study")}
    pages |= {urls.claim(r.id): r for r in build.evidence.published("claim")}
    return {uri: "../" * len(Path(docs_dir).parts) + record.source.path for uri, record in pages.items()}


def read_site_config(root: Path) -> dict:
    """mkdocs.yml as plain data (it holds no tags), for code that runs without MkDocs."""
    import yaml

    try:
        data = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def cited_by(pages: list[Page], evidence: Evidence) -> dict[str, list[tuple[str, str]]]:
    """Reference key -> [(page uri, page title)] for every generated page that cites it,
    and for each taxonomy term whose source it is."""
    found: dict[str, list[tuple[str, str]]] = {}
    for page in pages:
        for key in page.cites:
            found.setdefault(key, []).append((page.uri, page.title))
    for name, vocab in evidence.taxonomy.vocabularies.items():
        if name not in urls.VOCABULARY_FOLDERS:
            continue
        for term in vocab.terms.values():
            if term.source:
                found.setdefault(term.source, []).append((urls.term(name, term.key), term.label))
    return found


def missing_from_site(evidence: Evidence, pages: dict[str, Page]) -> list[str]:
    """Every published case study must have its page, appear in each taxonomy list it
    claims, in the catalogue and in the data exports. Returns what is missing, as messages."""
    problems: list[str] = []
    catalogue: set[str] = set()
    for uri, page in pages.items():
        if uri == urls.CATALOGUE or uri.startswith("case-studies/page/"):
            catalogue |= page.lists
    exported = {r.get("id") for r in _json_records(pages.get("data/case-studies.json"))}
    for record in evidence.published("case-study"):
        cid, where = record.id, record.path
        if urls.case_study(cid) not in pages:
            problems.append(f"{where}: case study '{cid}' has no page")
        if cid not in catalogue:
            problems.append(f"{where}: case study '{cid}' is missing from the catalogue")
        if cid not in exported:
            problems.append(f"{where}: case study '{cid}' is missing from data/case-studies.json")
        for vocabulary, uri in _term_pages(record):
            page = pages.get(uri)
            if page is None or cid not in page.lists:
                problems.append(f"{where}: case study '{cid}' is missing from the {vocabulary} page {urls.address(uri)}")
    return problems


def _term_pages(record) -> list[tuple[str, str]]:
    """(vocabulary, page) for every browse page the record claims a place on, read with the
    same field map the taxonomy pages are built from."""
    found = [(vocabulary, urls.term(vocabulary, key)) for vocabulary, key, _ in case_terms(record)]
    found += [("country", urls.country(country)) for country in case_countries(record)]
    year = case_year(record)
    if year is not None:
        found.append(("year", urls.year(year)))
    return list(dict.fromkeys(found))


def _json_records(page: Page | None) -> list[dict]:
    if page is None:
        return []
    data = json.loads(page.content)
    records = data.get("records", data) if isinstance(data, dict) else data
    return [r for r in records if isinstance(r, dict)]
