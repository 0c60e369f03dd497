"""An offline check of a built site: every internal link and #anchor resolves.

External links are only listed (tests never fetch them). Reads the HTML MkDocs wrote.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class _Page:
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = _Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.page.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.page.ids.add(values["name"])
        for attribute in ("href", "src"):
            if tag in ("a", "link", "img", "script") and values.get(attribute):
                self.page.links.append(values[attribute])


@dataclass
class LinkReport:
    broken: list[str] = field(default_factory=list)  # "page: link (why)"
    external: dict[str, list[str]] = field(default_factory=dict)  # url -> pages
    pages: int = 0


def check_site(site_dir: Path, base_path: str = "/") -> LinkReport:
    """Check every HTML page under ``site_dir``; ``base_path`` is the site's path on its host."""
    pages: dict[str, _Page] = {}
    for html_file in sorted(site_dir.rglob("*.html")):
        collector = _Collector()
        collector.feed(html_file.read_text(encoding="utf-8", errors="replace"))
        pages[html_file.relative_to(site_dir).as_posix()] = collector.page
    report = LinkReport(pages=len(pages))
    for name, page in pages.items():
        for link in page.links:
            _check_link(site_dir, pages, name, link, base_path, report)
    return report


def _check_link(site_dir: Path, pages: dict[str, _Page], name: str, link: str, base: str, report: LinkReport) -> None:
    parts = urlsplit(link)
    if parts.scheme in ("http", "https"):
        report.external.setdefault(link, []).append(name)
        return
    if parts.scheme in ("mailto", "data") or (parts.scheme and parts.scheme not in ("",)):
        if parts.scheme not in ("mailto",):
            report.broken.append(f"{name}: {link} (scheme {parts.scheme} is not allowed)")
        return
    path = unquote(parts.path)
    if not path:
        target = name
    elif path.startswith("/"):
        target = path[len(base):] if path.startswith(base) else path.lstrip("/")
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
    if target.startswith(".."):
        report.broken.append(f"{name}: {link} (leaves the site)")
        return
    if target in ("", ".") or target.endswith("/") or (site_dir / target).is_dir():
        target = posixpath.join(target, "index.html") if target not in ("", ".") else "index.html"
    target = re.sub(r"^\./", "", target)
    if not (site_dir / target).is_file():
        report.broken.append(f"{name}: {link} (no such file {target})")
        return
    if parts.fragment and target.endswith(".html"):
        anchor = unquote(parts.fragment)
        if anchor not in pages.get(target, _Page()).ids:
            report.broken.append(f"{name}: {link} (no element with id '{anchor}' in {target})")


def missing_sitemap_pages(site_dir: Path, site_url: str) -> list[str]:
    """Addresses in sitemap.xml that have no page in ``site_dir``."""
    import xml.etree.ElementTree as ET

    sitemap = site_dir / "sitemap.xml"
    if not sitemap.exists():
        return ["sitemap.xml is missing"]
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    missing = []
    for loc in ET.parse(sitemap).getroot().findall("s:url/s:loc", namespace):
        address = (loc.text or "").strip()
        path = address[len(site_url):] if address.startswith(site_url) else None
        if path is None:
            missing.append(f"{address} (not under {site_url})")
            continue
        target = site_dir / unquote(path)
        if path == "" or path.endswith("/"):
            target = target / "index.html"
        if not target.is_file():
            missing.append(address)
    return missing
