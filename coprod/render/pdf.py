"""The business case as a PDF a funder can attach to guidance:
``/business-case/business-case.pdf``, made after the build from the built page's own HTML
with WeasyPrint, carrying the library's version, the page's date and its permanent address
(in a header, in every page's footer and in the PDF's metadata).

The page's article is taken from the built HTML, its links made absolute (so the printed
addresses work on paper), its folded sections opened, and laid out by :data:`PDF_CSS`, the
print rules of the site's stylesheet in a form WeasyPrint reads. WeasyPrint needs Pango
(Debian: libpango-1.0-0, libpangoft2-1.0-0; ``.ci/run`` installs them): where it cannot be
loaded, :func:`write_business_case` says so and returns None, and the hook fails the build
in CI only.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from ..pages import urls
from .markup import esc

PDF_URI = "business-case/business-case.pdf"
PAGE_HTML = "business-case/index.html"

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*)</article>', re.DOTALL)
_HEADERLINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.DOTALL)
_HREF = re.compile(r'\bhref="([^"]*)"')
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)
_DROP = re.compile(r'<div class="coprod-page-actions[^"]*">.*?</div>|<button\b.*?</button>|<a [^>]*class="md-content__button'
                   r'[^>]*>.*?</a>', re.DOTALL)

PDF_CSS = """
@page {
  size: A4;
  margin: 18mm 16mm 20mm;
  @bottom-left { content: string(address); font-size: 7.5pt; color: #444; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 7.5pt; color: #444; }
}
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.45; color: #000; }
.pdf-head { string-set: address attr(data-address); border-bottom: 1.5pt solid #283593; margin-bottom: 12pt; }
.pdf-head p { margin: 0 0 3pt; }
.pdf-head a::after { content: none; }
.pdf-head a { white-space: nowrap; }
.pdf-head .pdf-library { font-weight: 700; color: #283593; }
h1 { font-size: 20pt; line-height: 1.2; margin: 6pt 0 10pt; }
h2 { font-size: 14pt; margin: 16pt 0 6pt; break-after: avoid; }
h2.coprod-category { break-before: page; }
h3 { font-size: 11pt; break-after: avoid; }
a { color: #000; text-decoration: underline; }
a[href^="http"]::after { content: " <" attr(href) ">"; font-size: 8pt; word-break: break-all; }
a[href^="#"]::after { content: none; }
.coprod-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
ul.coprod-claims { list-style: none; padding: 0; margin: 8pt 0; }
li.coprod-card { border: 0.75pt solid #777; border-radius: 3pt; padding: 7pt 9pt; margin: 0 0 7pt; break-inside: avoid; }
.coprod-card__title { display: block; font-weight: 700; font-size: 10.5pt; margin: 4pt 0 2pt; }
.coprod-card p { margin: 2pt 0; }
.coprod-card__facts { font-size: 8.5pt; color: #333; }
.coprod-card__fact + .coprod-card__fact::before { content: " · "; }
.coprod-badge { display: inline-block; border: 0.75pt solid #000; border-radius: 2pt; padding: 1pt 5pt; font-size: 8.5pt; font-weight: 700; }
.coprod-badge--gap { border-style: dashed; }
.coprod-strength { letter-spacing: 1pt; }
figure.coprod-chart { margin: 8pt 0; break-inside: avoid; }
figure.coprod-chart svg { width: 120mm; height: auto; }
.coprod-chart__bar { fill: #283593; }
figcaption { font-weight: 700; }
details > summary { display: none; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 6pt 0; }
th, td { border: 0.5pt solid #999; padding: 3pt 4pt; text-align: left; vertical-align: top; }
pre, code { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; white-space: pre-wrap; word-break: break-all; }
.coprod-cite__label { margin: 6pt 0 1pt; }
"""


@dataclass(frozen=True)
class PdfFacts:
    title: str
    version: str
    date: str
    address: str  # the page's permanent address


def document(page_html: str, facts: PdfFacts) -> str:
    """The HTML WeasyPrint lays out: the page's article, links absolute, folds open,
    with a header naming the library, the version, the date and the permanent address."""
    match = _ARTICLE.search(page_html)
    if match is None:
        raise ValueError(f"{PAGE_HTML}: no <article class=\"md-content__inner md-typeset\"> in the built page")
    body = _SCRIPT.sub("", _DROP.sub("", _HEADERLINK.sub("", match.group(1))))
    body = body.replace("<details>", "<details open>")
    body = _HREF.sub(lambda m: f'href="{esc(_absolute(html.unescape(m.group(1)), facts.address))}"', body)
    head = (f'<header class="pdf-head" data-address="{esc(facts.address)} · version {esc(facts.version)} · '
            f'{esc(facts.date)}">'
            f'<p class="pdf-library">Co-production Evidence Library</p>'
            f"<p>Version {esc(facts.version)}, {esc(facts.date)}. Permanent address: "
            f'<a href="{esc(facts.address)}">{esc(facts.address)}</a></p></header>')
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(facts.title)}</title>"
            '<meta name="author" content="Co-production Evidence Library">'
            f'<meta name="description" content="{esc(facts.title)}, version {esc(facts.version)}, '
            f'{esc(facts.date)}. {esc(facts.address)}">'
            f'<meta name="dcterms.created" content="{esc(facts.date)}">'
            f'<meta name="keywords" content="co-production, business case, version {esc(facts.version)}">'
            f"</head><body>{head}{body}</body></html>")


def _absolute(href: str, address: str) -> str:
    if href.startswith("#"):
        return href
    return urljoin(address, href)


_cache: dict[str, bytes] = {}  # document digest -> PDF: `mkdocs serve` rebuilds without redoing it


def render(document_html: str, base: Path) -> bytes:
    """The PDF of ``document_html``; ImportError or OSError if WeasyPrint or Pango is missing."""
    digest = hashlib.sha256(document_html.encode("utf-8")).hexdigest()
    if digest not in _cache:
        from weasyprint import CSS, HTML  # imported here: only this step needs it

        pdf = HTML(string=document_html, base_url=str(base)).write_pdf(stylesheets=[CSS(string=PDF_CSS)])
        _cache.clear()
        _cache[digest] = pdf
    return _cache[digest]


def write_business_case(site_dir: Path, facts: PdfFacts) -> Path | None:
    """Write ``site_dir``/business-case/business-case.pdf from the built page; None when
    the page is absent. Raises ImportError/OSError when WeasyPrint cannot run."""
    page = site_dir / PAGE_HTML
    if not page.is_file():
        return None
    target = site_dir / PDF_URI
    target.write_bytes(render(document(page.read_text(encoding="utf-8"), facts), page.parent))
    return target


def facts_for(citable, site_url: str) -> PdfFacts:
    """The header's facts from the business case's citation record (coprod.pages.citing)."""
    address = getattr(citable, "url", "") or site_url.rstrip("/") + "/" + urls.address(urls.BUSINESS_CASE).lstrip("/")
    return PdfFacts(title=getattr(citable, "title", "") or "The business case for co-production",
                    version=getattr(citable, "version", "") or "", date=getattr(citable, "date", "") or "",
                    address=address)
