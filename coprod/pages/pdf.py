"""The business case as a PDF a board can read: ``/business-case/business-case.pdf``,
made after the build with WeasyPrint from the typed model (not from the web page, whose
buttons, cite box and folded sections are for the screen).

Three parts, each starting a page and flowing without forced breaks inside it:

1. a one-page summary: the library, the title, the version, the date and the permanent
   address (once), the grades in words from the counts, every claim with its strength
   (strongest first), and where evidence is missing;
2. the claims with their evidence: each claim's strength, summary, why we say it, the
   sources and case studies for and against, and the research still needed; then the
   rubric, worded once;
3. the references, each address printed once, and the case studies cited.

Links are live but their addresses are not printed twice; nothing is fetched (the URL
fetcher allows only ``data:``). The PDF is tagged (PDF/UA-1) with its language and title.
WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0; ``.ci/run`` installs
them): where it cannot be loaded, :func:`write_business_case` says so and returns None, and
the hook fails the build in CI only.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from ..read import buildcache, urls
from ..read.kinds import CLAIM, PUBLIC_STATUSES
from ..render.markup import esc

PDF_URI = "business-case/business-case.pdf"
PAGE_HTML = "business-case/index.html"

_HREF = re.compile(r'\bhref="([^"]*)"')

PDF_CSS = """
@page {
  size: A4;
  margin: 16mm 16mm 18mm;
  @bottom-left { content: string(running); font-size: 7.5pt; color: #444; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 7.5pt; color: #444; }
}
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 9.5pt; line-height: 1.4; color: #000; }
body { margin: 0; }
.pdf-head { string-set: running attr(data-running); border-bottom: 1.5pt solid #283593; margin-bottom: 8pt; padding-bottom: 4pt; }
.pdf-head p { margin: 0 0 2pt; }
.pdf-library { font-weight: 700; color: #283593; }
h1 { font-size: 18pt; line-height: 1.2; margin: 4pt 0 6pt; }
h2 { font-size: 13pt; margin: 12pt 0 5pt; break-after: avoid; color: #1a237e; }
h3 { font-size: 11pt; margin: 10pt 0 3pt; break-after: avoid; }
h4 { font-size: 9.5pt; margin: 6pt 0 2pt; break-after: avoid; }
h5 { font-size: 9.5pt; font-weight: 400; font-style: italic; margin: 4pt 0 1pt; break-after: avoid; }
p { margin: 0 0 4pt; orphans: 2; widows: 2; }
ul { margin: 0 0 5pt; padding-left: 14pt; }
li { margin: 0 0 1.5pt; }
a { color: #000; text-decoration: underline; }
.pdf-part { break-before: page; }
.pdf-summary table, .pdf-rubric table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; }
th, td { border: 0.5pt solid #999; padding: 2.5pt 4pt; text-align: left; vertical-align: top; }
th { background: #eef0fa; }
td.pdf-grade { white-space: nowrap; width: 28mm; }
.pdf-symbol { letter-spacing: 1pt; }
.pdf-claim { margin: 0 0 8pt; padding-top: 2pt; border-top: 0.75pt solid #999; }
.pdf-strength { font-weight: 700; }
.pdf-claim h4 + ul, .pdf-claim h4 + p { margin-top: 0; }
.pdf-references li, .pdf-cases li { break-inside: avoid; margin-bottom: 3pt; }
.pdf-references { padding-left: 0; list-style: none; }
.pdf-references li { padding-left: 12pt; text-indent: -12pt; }
.pdf-note { font-size: 8.5pt; color: #333; }
.pdf-address { word-break: break-all; }
"""


@dataclass(frozen=True)
class PdfFacts:
    title: str
    version: str
    date: str
    address: str  # the page's permanent address


def business_case_document(library, refs, facts: PdfFacts) -> str:
    """The HTML WeasyPrint lays out: the summary, the claims with their evidence, the
    references (see the module's docstring). Every value is escaped; a claim's own text
    (its "why we say this") goes through the site's sanitiser, its links made absolute."""
    from .charts import counted_case_studies
    from .evidence_map import EVIDENCE, build_grid, findings  # the pages import this module's neighbours
    from .listing import claim_title, strength_tally

    strengths = library.taxonomy.get(library.vocabulary_of("strength", kind=CLAIM.key))
    order = {key: i for i, key in enumerate(strengths.terms)} if strengths else {}
    claims = sorted(library.current(CLAIM.key),
                    key=lambda r: (order.get(r.strength, 99), r.title.casefold()))
    cited: dict[str, None] = {}
    cases: dict[str, None] = {}
    parts = []

    # 1. the summary
    running = f"{facts.title} \u00b7 version {facts.version} \u00b7 {facts.date}"
    parts.append(f'<section class="pdf-summary"><header class="pdf-head" data-running="{esc(running)}">'
                 '<p class="pdf-library">Co-production Evidence Library</p>'
                 f"<p>Version {esc(facts.version)}, {esc(facts.date)}. Permanent address: "
                 f'<a href="{esc(facts.address)}">{esc(facts.address)}</a></p></header>'
                 f"<h1>{esc(facts.title)}</h1>")
    parts.append(f"<p>{esc(strength_tally(claims, library))} Each claim is graded on one published rubric "
                 '(<a href="#rubric">how we grade</a>); a claim may be graded lower than its evidence allows, '
                 "never higher.</p>")
    rows = []
    for record in claims:
        term = strengths.terms.get(record.strength) if strengths else None
        grade = (f'<span class="pdf-symbol">{esc(term.symbol)}</span> {esc(term.label)}' if term else esc(record.strength))
        rows.append(f'<tr><td class="pdf-grade">{grade}</td><td><a href="#claim-{esc(record.id)}">'
                    f"{esc(claim_title(record, library))}</a></td></tr>")
    parts.append('<table><thead><tr><th scope="col">Strength</th><th scope="col">Claim</th></tr></thead>'
                 f"<tbody>{''.join(rows)}</tbody></table>")
    missing = [f"<li>{esc(sentence)}</li>" for sentence in
               findings(build_grid(library, EVIDENCE, counted_case_studies(library)))[:1]]
    missing += [f"<li>{esc(claim_title(r, library))}.</li>" for r in claims if r.strength == "gap"]
    if missing:
        parts.append(f"<h2>Where evidence is missing</h2><ul>{''.join(missing)}</ul>")
    parts.append("</section>")

    # 2. the claims with their evidence, then the rubric
    parts.append('<section class="pdf-part pdf-claims"><h2>The claims and their evidence</h2>')
    for record in claims:
        parts.append(_claim(record, library, refs, facts, cited, cases))
    if strengths:
        parts.append(_rubric(library))
    parts.append("</section>")

    # 3. the references and the case studies, each address once
    parts.append('<section class="pdf-part"><h2 id="references">References</h2>')
    keys = refs.sorted([k for k in cited if k in refs]) if refs is not None else []
    parts.append('<ul class="pdf-references">' + "".join(
        f'<li id="{esc(urls.reference_anchor(k))}">{_absolute_links(refs.entry(k), facts.address)}</li>' for k in keys) + "</ul>")
    shown = [library.case_studies[i] for i in cases if i in library.case_studies]
    if shown:
        items = []
        for case in sorted(shown, key=lambda r: r.title.casefold()):
            address = urljoin(facts.address, "/" + urls.address(case.uri).lstrip("/")) if facts.address else ""
            where = ", ".join(x for x in (case.years, ", ".join(case.countries)) if x)
            items.append(f'<li id="case-{esc(case.id)}">{esc(case.title)}' + (f" ({esc(where)})" if where else "")
                         + (f'. <a class="pdf-address" href="{esc(address)}">{esc(address)}</a>' if address else "")
                         + "</li>")
        parts.append(f'<h2>Case studies cited</h2><ul class="pdf-cases">{"".join(items)}</ul>')
    parts.append("</section>")
    return ("<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(facts.title)}</title>"
            '<meta name="author" content="Co-production Evidence Library">'
            f'<meta name="description" content="{esc(facts.title)}, version {esc(facts.version)}, '
            f'{esc(facts.date)}. {esc(facts.address)}">'
            f'<meta name="dcterms.created" content="{esc(facts.date)}">'
            f'<meta name="keywords" content="co-production, business case, version {esc(facts.version)}">'
            f"</head><body>{''.join(parts)}</body></html>")


def _claim(record, library, refs, facts: PdfFacts, cited: dict, cases: dict) -> str:
    import markdown

    from ..render.sanitize import sanitize
    from .listing import claim_title

    term = library.term(library.vocabulary_of("strength", kind=CLAIM.key), record.strength)
    out = [f'<article class="pdf-claim" id="claim-{esc(record.id)}"><h3>{esc(claim_title(record, library))}</h3>']
    if term is not None:
        out.append(f'<p><span class="pdf-strength">Strength of evidence: <span class="pdf-symbol">{esc(term.symbol)}'
                   f"</span> {esc(term.label)}.</span> {esc(term.definition)}</p>")
    if record.summary:
        out.append(f"<p>{esc(record.summary)}</p>")
    if refs is not None and record.body.strip():
        body, keys = refs.render_body(record.body)
        cited.update(dict.fromkeys(keys))
        rendered = sanitize(markdown.markdown(body, extensions=["tables"]))
        rendered = re.sub(r"<(/?)h[1-6]\b", r"<\1h5", rendered)  # the claim's own headings sit under it
        out.append("<h4>Why we say this</h4>" + _absolute_links(rendered, facts.address))
    for heading, block in (("Evidence for", record.supporting), ("Evidence against, or where it does not hold",
                                                                  record.contrary)):
        items = []
        for key in block.references:
            cited.setdefault(key)
            label = refs.label(key) if refs is not None and key in refs else key
            items.append(f'<li><a href="#{esc(urls.reference_anchor(key))}">{esc(label)}</a></li>')
        for case_id in block.case_studies:
            case = library.case_studies.get(case_id)
            if case is not None and case.status in PUBLIC_STATUSES:
                cases.setdefault(case_id)
                items.append(f'<li>Case study: <a href="#case-{esc(case_id)}">{esc(case.title)}</a></li>')
        out.append(f"<h4>{esc(heading)}</h4>" + (f"<ul>{''.join(items)}</ul>" if items else "<p>None found yet.</p>"))
    if record.research_needed:
        out.append("<h4>Research still needed</h4><ul>"
                   + "".join(f"<li>{esc(n)}</li>" for n in record.research_needed) + "</ul>")
    out.append("</article>")
    return "".join(out)


def _rubric(library) -> str:
    from .business_case import grade_needs

    strengths = library.taxonomy[library.vocabulary_of("strength", kind=CLAIM.key)]
    kinds = library.taxonomy.get(library.vocabulary_of("outcomes", "evidence"))
    rows = "".join(f'<tr><td class="pdf-grade"><span class="pdf-symbol">{esc(t.symbol)}</span> {esc(t.label)}</td>'
                   f"<td>{esc(t.definition)}</td><td>{esc(grade_needs(t.requires, kinds))}</td></tr>"
                   for t in strengths.terms.values())
    return (f'<section class="pdf-rubric"><h2 id="rubric">How we grade the evidence</h2><p>{esc(strengths.description)}'
            "</p><table><thead><tr><th scope=\"col\">Grade</th><th scope=\"col\">What it means</th>"
            f"<th scope=\"col\">What it needs, at least</th></tr></thead><tbody>{rows}</tbody></table></section>")


def _absolute_links(fragment: str, address: str) -> str:
    return _HREF.sub(lambda m: f'href="{esc(_absolute(html.unescape(m.group(1)), address))}"', fragment)


def _absolute(href: str, address: str) -> str:
    if href.startswith("#"):
        return href
    return urljoin(address, href)


_cache: dict[str, bytes] = {}  # document digest -> PDF: `mkdocs serve` rebuilds without redoing it

# Where fontconfig keeps what it found of the installed fonts: it rewrites them when fonts
# are added or removed, which can change the PDF (its fonts are the system's).
FONT_CACHES = ("/var/cache/fontconfig", "~/.cache/fontconfig", "~/.fontconfig")


def render(document_html: str, base: Path, cache: Path | None = None) -> bytes:
    """The PDF of ``document_html``; ImportError or OSError if WeasyPrint or Pango is missing.

    ``cache`` (coprod.read.buildcache's shared folder) keeps it for the next build, keyed by
    the document, this package's code (the style sheet is in it), WeasyPrint's and pydyf's
    versions and the installed fonts; nothing else makes a PDF differ (``base`` does not:
    nothing is fetched and every link is absolute)."""
    digest = _key(document_html)
    if digest in _cache:
        return _cache[digest]
    store = buildcache.Store(cache, "pdf")
    pdf = _from_entry(store.get(digest))
    if pdf is None:
        from weasyprint import CSS, HTML  # imported here: only this step needs it
        from weasyprint.urls import URLFetcher

        fetcher = URLFetcher(allowed_protocols={"data"})  # nothing of the contributors' may reach a host or a file
        pdf = HTML(string=document_html, base_url=str(base), url_fetcher=fetcher).write_pdf(
            stylesheets=[CSS(string=PDF_CSS)], pdf_variant="pdf/ua-1", pdf_tags=True)
        store.put(digest, buildcache.encode({"pdf": base64.b64encode(pdf).decode("ascii")}))
        store.prune({digest})
    _cache.clear()
    _cache[digest] = pdf
    return pdf


def _key(document_html: str) -> str:
    parts: list[bytes | str] = [buildcache.code_version(), *buildcache.versions(("weasyprint", "pydyf"))]
    for folder in FONT_CACHES:
        try:
            entries = sorted(Path(folder).expanduser().iterdir())
            parts += [f"{entry}={entry.stat().st_size}:{entry.stat().st_mtime_ns}" for entry in entries]
        except OSError:
            parts.append(f"{folder}=-")
    return buildcache.digest(*parts, document_html)


def _from_entry(entry: bytes | None) -> bytes | None:
    """A PDF from a cache entry, or None (a miss) for anything but a PDF held as JSON."""
    found = buildcache.decode(entry)
    if not isinstance(found, dict) or set(found) != {"pdf"} or not isinstance(found["pdf"], str):
        return None
    try:
        pdf = base64.b64decode(found["pdf"], validate=True)
    except ValueError:
        return None
    return pdf if pdf.startswith(b"%PDF-") else None


def write_business_case(site_dir: Path, facts: PdfFacts, library, refs, cache: Path | None = None) -> Path | None:
    """Write ``site_dir``/business-case/business-case.pdf from the model; None when the
    business case page was not built. Raises ImportError/OSError when WeasyPrint cannot run.
    ``cache``: see :func:`render`."""
    page = site_dir / PAGE_HTML
    if not page.is_file() or library is None:
        return None
    target = site_dir / PDF_URI
    target.write_bytes(render(business_case_document(library, refs, facts), page.parent, cache))
    return target


def facts_for(citable, site_url: str) -> PdfFacts:
    """The header's facts from the business case's citation record (coprod.pages.citing)."""
    address = getattr(citable, "url", "") or site_url.rstrip("/") + "/" + urls.address(urls.BUSINESS_CASE).lstrip("/")
    return PdfFacts(title=getattr(citable, "title", "") or "The business case for co-production",
                    version=getattr(citable, "version", "") or "", date=getattr(citable, "date", "") or "",
                    address=address)
