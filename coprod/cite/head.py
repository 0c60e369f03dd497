"""What reference managers and search engines read in a page's <head>.

Highwire Press ``citation_*`` tags (Google Scholar's inclusion guidelines), schema.org
JSON-LD, Open Graph and a description. Every value is escaped (:func:`coprod.render.markup.esc`);
JSON-LD cannot close its script element. Names are :class:`~coprod.cite.names.Name`: a page's
authors from :attr:`Citable.names`, a reference's from its CSL-JSON item.
"""

from __future__ import annotations

import json

from .. import __version__
from ..read.kinds import SINGULARS
from ..render.markup import esc
from .formats import LIBRARY, Citable
from .names import Name

LICENCES = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
}


def _meta(name: str, content: str, attribute: str = "name") -> str:
    return f'<meta {attribute}="{esc(name)}" content="{esc(content)}">'


def _slashes(day: str) -> str:
    return day.replace("-", "/")


def highwire(c: Citable) -> list[str]:
    tags = [_meta("citation_title", c.title)]
    tags += [_meta("citation_author", name.highwire) for name in c.names]
    tags += [
        _meta("citation_publication_date", _slashes(c.date)),  # this version's, as every citation gives
        _meta("citation_online_date", _slashes(c.published)),
        _meta("citation_publisher", LIBRARY),
        _meta("citation_abstract_html_url", c.url),
        _meta("citation_fulltext_html_url", c.url),
        _meta("citation_language", "en"),
    ]
    if c.keywords:
        tags.append(_meta("citation_keywords", "; ".join(c.keywords)))
    if c.pdf:
        tags.append(_meta("citation_pdf_url", c.pdf))
    for item in c.references:
        parts = [f"citation_title={item.get('title', '')}"]
        parts += [f"citation_author={Name.from_csl(a).highwire}" for a in item.get("author", [])[:3]]
        year = _csl_year(item)
        if year:
            parts.append(f"citation_publication_date={year}")
        if item.get("DOI"):
            parts.append(f"citation_doi={item['DOI']}")
        tags.append(_meta("citation_reference", "; ".join(p.replace(";", ",") for p in parts)))
    return tags


def open_graph(c: Citable) -> list[str]:
    tags = [
        # "website": Zotero's Embedded Metadata translator (what the Connector runs) then saves
        # a Web Page; with "article" it guessed a journal article (measured in issue 21)
        _meta("og:type", "website", "property"),
        _meta("og:title", c.title, "property"),
        _meta("og:url", c.url, "property"),
        _meta("og:site_name", LIBRARY, "property"),
        _meta("article:published_time", c.published, "property"),
        _meta("article:modified_time", c.date, "property"),
    ]
    if c.description:
        tags.insert(2, _meta("og:description", c.description, "property"))
    return tags


def json_ld(c: Citable, site_url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle" if c.kind in SINGULARS else "WebPage",
        "@id": c.url,
        "url": c.url,
        "identifier": c.url,
        "name": c.title,
        "headline": headline(c.title),
        "version": c.version,
        "datePublished": c.published,
        "dateModified": c.date,
        "inLanguage": "en",
        "license": LICENCES.get(c.licence, c.licence),
        "author": [n.schema() for n in c.names],
        "publisher": {"@type": "Organization", "name": LIBRARY, "url": site_url},
        "isPartOf": {"@type": "WebSite", "name": LIBRARY, "url": site_url, "version": __version__},
    }
    if c.description:
        data["description"] = c.description
    if c.keywords:
        data["keywords"] = list(c.keywords)
    citations = [_schema_citation(item) for item in c.references]
    if citations:
        data["citation"] = citations
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">\n{text}\n</script>'


HEADLINE_LIMIT = 110  # characters: Google's limit for an article's headline


def headline(title: str, limit: int = HEADLINE_LIMIT) -> str:
    """``title`` if it fits in ``limit`` characters, else cut at the last word that fits,
    with an ellipsis (``name`` carries the full title)."""
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    space = cut.rfind(" ")
    if space > 0:
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-") + "…"


def description_tag(c: Citable) -> str:
    return _meta("description", c.description)


def head_tags(c: Citable, site_url: str, *, description: bool = True) -> str:
    """Everything for the page's <head>, one element a line (``description=False``: all
    but the description, which the theme's template writes from ``page.meta``)."""
    lines = []
    if c.description and description:
        lines.append(description_tag(c))
    lines += highwire(c) + open_graph(c) + [json_ld(c, site_url)]
    return "\n".join(lines) + "\n"


def _csl_year(item: dict) -> str:
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    return str(parts[0][0]) if parts and parts[0] else ""


def _schema_citation(item: dict) -> dict:
    out = {"@type": "CreativeWork", "name": item.get("title", "")}
    if item.get("DOI"):
        out["identifier"] = f"https://doi.org/{item['DOI']}"
    if item.get("URL"):
        out["url"] = item["URL"]
    year = _csl_year(item)
    if year:
        out["datePublished"] = year
    authors = [Name.from_csl(a) for a in item.get("author", [])]
    if authors:
        out["author"] = [{"@type": "Person" if a.given and not a.organisation else "Organization",
                          "name": a.family_given} for a in authors]
    return out
