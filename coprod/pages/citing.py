"""Pages funders can cite: the cite box, citation downloads, redirects for old addresses,
the manifest of public URLs, the feed, "What's new" and "How to cite"."""

from __future__ import annotations

import posixpath
import re
from datetime import UTC, datetime

from .. import __version__
from ..cite.csl import entry_to_csl
from ..cite.formats import ACCESSED, FILES, LIBRARY, Citable, bibtex, citable_item, ris
from ..cite.processor import CITE_STYLES, Processor, shared_processor
from ..cite.references import entry_html
from ..model import Library, Record
from ..read import urls
from ..read.kinds import CASE_STUDY, CLAIM, KINDS, PUBLIC_STATUSES
from ..render import templates
from ..render.markup import esc, esc_lines
from . import Page, html_page
from .pdf import PDF_URI

HOW_TO_CITE = "how-to-cite.md"
WHATS_NEW = "whats-new.md"
FEED = "feed.xml"
MANIFEST = "urls.txt"
# how each style writes the reader's access date in its locale (the page script fills it in)
ACCESS_FORMATS = {"APA 7": "us", "Harvard": "us", "Vancouver": "vancouver"}
_RIGHT_INLINE = re.compile(r'<div class="csl-right-inline">(.*?)</div>', re.DOTALL)


def absolute(site_url: str, uri: str) -> str:
    return site_url.rstrip("/") + urls.address(uri)


def record_citable(record: Record, library: Library, site_url: str, cited: tuple[str, ...] = (),
                   csl: dict[str, dict] | None = None, uri: str = "") -> Citable:
    """``csl`` memoises each reference's CSL-JSON across the pages of one build. ``uri``: an
    earlier version's own page (coprod.pages.versions), cited as that version under a key of
    its own."""
    cite_key = f"coprod-{record.id}" + (f"-{record.version}" if uri and uri != record.uri else "")
    uri = uri or record.uri
    principles = (library.fields.vocabulary_at(record.kind, "principles", "principle")  # a case study's entries
                  or library.fields.vocabulary_at(record.kind, "principles"))  # a claim's list of keys
    keywords = [term.label for term in (library.term(use.vocabulary, use.key) for use in record.terms
                                        if use.vocabulary == principles) if term]
    entries = library.bibliography.entries
    csl = {} if csl is None else csl
    for key in cited:
        if key in entries and key not in csl:
            csl[key] = entry_to_csl(key, entries[key])
    return Citable(
        uri=uri, key=cite_key, title=record.title, url=absolute(site_url, uri),
        kind=KINDS[record.kind].singular,
        published=record.published, updated=record.updated, version=record.version,
        authors=tuple(a.name for a in record.authors if a.name), description=record.summary, licence=record.licence,
        keywords=("co-production", *keywords),
        references=tuple(csl[k] for k in cited if k in csl),
    )


def library_date(library: Library) -> str:
    """The date of the library's latest change: the newest published or updated record."""
    dates = [r.last_changed for r in library.every_published()]
    return max((d for d in dates if d), default="")


def page_citable(uri: str, title: str, library: Library, site_url: str, description: str = "") -> Citable:
    """A page made from many records (a term page, the business case): cited by the
    library's version and the date of its latest change."""
    when = library_date(library)
    pdf = absolute(site_url, PDF_URI) if uri == urls.BUSINESS_CASE else ""
    return Citable(uri=uri, key="coprod-" + urls.slug(uri.removesuffix(".md").removesuffix("/index")),
                   title=title, url=absolute(site_url, uri), kind="page", published=when, updated="",
                   version=__version__, description=description, pdf=pdf)


def library_citable(library: Library, site_url: str) -> Citable:
    return Citable(uri=HOW_TO_CITE, key="coprod-library", title=LIBRARY, url=site_url.rstrip("/") + "/",
                   kind="page", published=library_date(library), version=__version__,
                   description="A searchable, cited library of co-produced health and social care research.")


def download_uri(uri: str, extension: str) -> str:
    """``case-studies/x.md`` -> ``case-studies/x/cite.bib`` (beside the page's index.html)."""
    folder = uri.removesuffix("index.md").rstrip("/") if uri.endswith("index.md") else uri.removesuffix(".md")
    return f"{folder}/cite.{extension}" if folder else f"cite.{extension}"


def render_citations(citables: list[Citable], processor: Processor | None = None) -> dict[str, dict[str, str]]:
    """Each citable's citation as HTML in each style of the cite box, rendered by the CSL
    processor, each page alone (a page's citation does not depend on the others): key ->
    {label: HTML}. A numbered style's number (Vancouver's "1.") is left out: the box cites
    one page, not a list."""
    processor = processor or shared_processor()
    items = [citable_item(c, accessed=True) for c in citables]
    unique = list({item["id"]: item for item in items}.values())
    out: dict[str, dict[str, str]] = {item["id"]: {} for item in unique}
    for label, style in CITE_STYLES.items():
        for key, rendered in processor.each(style, unique).items():
            inline = _RIGHT_INLINE.search(rendered)
            out[key][label] = inline.group(1).strip() if inline else entry_html(rendered)
    return out


CITE_HEADING = "Cite this page"


def cite_box_html(c: Citable, styles: dict[str, str], downloads: bool = True,
                  earlier: tuple[tuple[str, str, str], ...] = ()) -> str:
    """A "Cite this page" section: each style's citation (``styles``: label -> the
    processor's HTML, see :func:`render_citations`) as rich text, then each file format as
    text, each with a copy button (shown by the page script, which copies a style as rich
    text and plain text), the access date filled in by the script, and the file downloads.
    ``earlier``: (version, date, link) of each earlier version kept at its own address
    (coprod.pages.versions), newest first, named in the note. The markup is the template
    ``overrides/partials/coprod/cite-box.html``; the citations' HTML is the processor's and
    the file formats' text is escaped here, line breaks kept."""
    blocks = [{"label": label, "id": f"cite-{index}", "style": True, "html": templates.raw(html),
               "accessed_format": ACCESS_FORMATS.get(label, "iso")}
              for index, (label, html) in enumerate(styles.items())]
    blocks += [{"label": label, "id": f"cite-{index}", "style": False, "html": templates.raw(esc_lines(render(c).rstrip()))}
               for index, (label, render) in enumerate(FILES.items(), start=len(styles))]
    # folded by default: the page's "Cite this page" button and the heading lead here
    return templates.render("cite-box.html", version=c.version or __version__, date=c.date or "n.d.",
                            accessed=ACCESSED, blocks=blocks, downloads=downloads,
                            earlier=[{"version": version, "day": day, "href": href}
                                     for version, day, href in earlier]) + "\n"


def download_pages(c: Citable, aliases: tuple[str, ...] = ()) -> list[Page]:
    """The citation files beside a page, and beside each of its old addresses (a file
    cannot redirect, so an old address serves the current citation)."""
    files = {"bib": bibtex(c).encode("utf-8"), "ris": ris(c).encode("utf-8")}
    folders = [c.uri, *(posixpath.join(posixpath.dirname(c.uri), f"{alias}.md") for alias in aliases)]
    return [Page(download_uri(uri, ext), content, title=ext) for uri in folders for ext, content in files.items()]


def redirect_pages(library: Library, site_url: str) -> list[Page]:
    """An old address (an alias) becomes a page that sends readers to the new one."""
    pages = []
    for records, path in ((library.case_studies, urls.case_study), (library.claims, urls.claim)):
        for record in records.values():
            if record.status not in PUBLIC_STATUSES:
                continue
            target = absolute(site_url, path(record.id))
            for alias in record.aliases:
                old = path(alias).removesuffix(".md")
                pages.append(Page(old + "/index.html", redirect_html(target, record.title).encode("utf-8"),
                                  title=f"Moved: {record.title}"))

    return pages


def redirect_html(target: str, title: str) -> str:
    url, name = esc(target), esc(title)
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>Moved: {name}</title>\n<link rel=\"canonical\" href=\"{url}\">\n"
            f"<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n"
            f"</head>\n<body>\n<p>This page has moved to <a href=\"{url}\">{name}</a>.</p>\n</body>\n</html>\n")


def manifest(page_uris: list[str]) -> str:
    """Every public address, one a line: pages as /path/, files as /path."""
    addresses = set()
    for uri in page_uris:
        if uri.endswith("/index.html"):
            addresses.add("/" + uri.removesuffix("index.html"))
        else:
            addresses.add(urls.address(uri))
    return "".join(f"{a}\n" for a in sorted(addresses))


def unpublished(published: list[str], current: set[str]) -> list[str]:
    """Published addresses that no longer resolve, each with how to fix it."""
    problems = []
    for address in published:
        if address in current:
            continue
        match = _RECORD_ADDRESS.match(address)
        if match:
            kind = (CASE_STUDY if match.group(1) == "case-studies" else CLAIM).singular
            problems.append(f"{address}: this published address no longer resolves. If the {kind} was renamed, "
                            f"add 'aliases: [{match.group(2)}]' to its front matter so the old address redirects.")
        else:
            problems.append(f"{address}: this published address no longer resolves. Restore the page or term, "
                            "or keep its key: published addresses must keep working.")
    return problems


_RECORD_ADDRESS = re.compile(r"^/(case-studies|business-case)/([a-z0-9]+(?:-[a-z0-9]+)*)/")


def whats_new_page(library: Library) -> Page:
    """New and updated case studies and claims, newest first, from their change history
    (overrides/partials/coprod/whats-new.html)."""
    events = []
    for record in library.every_published():
        uri = record.uri
        kind = KINDS[record.kind].singular
        for change in record.changes:
            events.append((change.date, kind, record, uri, f"version {change.version}: {change.summary}"))
        if not record.changes:
            events.append((record.published, kind, record, uri, "first published"))
        if record.retracted:
            events.append((record.retraction.date if record.retraction else "", kind, record, uri, "retracted"))
    events.sort(key=lambda e: (e[0], e[3]), reverse=True)
    shown = [{"day": day, "kind": kind, "href": urls.href(WHATS_NEW, uri), "title": record.title, "what": what}
             for day, kind, record, uri, what in events[:200]]
    return html_page(WHATS_NEW, "whats-new.html", "What's new", feed_href=urls.href(WHATS_NEW, FEED), events=shown)


def feed_xml(library: Library, site_url: str) -> Page:
    """An Atom feed of new and updated case studies, made with feedgen."""
    from feedgen.feed import FeedGenerator

    generator = FeedGenerator()
    base = site_url.rstrip("/") + "/"
    generator.id(base)
    generator.title(f"{LIBRARY}: new and updated case studies")
    generator.author({"name": LIBRARY})
    generator.link(href=base, rel="alternate")
    generator.link(href=base + FEED, rel="self")
    generator.language("en")
    records = sorted(library.published(CASE_STUDY.key),
                     key=lambda r: (r.last_changed, r.id))
    latest = "1970-01-01"
    for record in reversed(records[-50:]):  # newest first
        when = record.last_changed or "1970-01-01"
        latest = max(latest, when)
        entry = generator.add_entry(order="append")
        entry.id(absolute(site_url, record.uri))
        entry.title(record.title + (" (retracted)" if record.retracted else ""))
        entry.link(href=absolute(site_url, record.uri))
        entry.summary(record.summary)
        entry.published(_stamp(record.published or when))
        entry.updated(_stamp(when))
    generator.updated(_stamp(latest))
    return Page(FEED, generator.atom_str(pretty=True), title="Feed")


def _stamp(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def how_to_cite_page(library: Library, site_url: str) -> Page:
    """/how-to-cite/ (overrides/partials/coprod/how-to-cite.html), with the library's own cite box."""
    c = library_citable(library, site_url)
    styles = render_citations([c])[c.key]
    return html_page(HOW_TO_CITE, "how-to-cite.html", "How to cite",
                     cite_box=templates.raw(cite_box_html(c, styles, downloads=True)))
