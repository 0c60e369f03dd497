"""Links and anchors of the built site, checked offline: every internal link and #anchor
resolves and every address in the sitemap has its page. External links are listed in a
report file, never fetched."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from helpers import ROOT
from tools.linkcheck import check_site, missing_sitemap_pages

from coprod.site import read_site_config


def site_url() -> str:
    url = read_site_config(ROOT).get("site_url")
    assert isinstance(url, str) and url.endswith("/"), "mkdocs.yml needs a site_url ending in /"
    return url


def test_every_internal_link_and_anchor_resolves(site_dir: Path, tmp_path: Path) -> None:
    report = check_site(site_dir, base_path=urlsplit(site_url()).path or "/")
    assert report.pages > 100, f"only {report.pages} pages were checked"
    listing = tmp_path / "external-links.txt"
    listing.write_text("".join(f"{url}\t{len(pages)}\t{', '.join(sorted(set(pages))[:5])}\n"
                               for url, pages in sorted(report.external.items())), encoding="utf-8")
    print(f"{report.pages} pages checked; {len(report.external)} external links (not fetched) listed in {listing}")
    assert not report.broken, f"{len(report.broken)} broken internal link(s):\n" + "\n".join(report.broken[:50])


def test_every_sitemap_address_has_a_page(site_dir: Path) -> None:
    missing = missing_sitemap_pages(site_dir, site_url())
    assert not missing, "in the sitemap but not built:\n" + "\n".join(missing)


def test_every_page_is_in_the_sitemap(site_dir: Path) -> None:
    """The other way round: every built page (except the 404 page) is in the sitemap."""
    import xml.etree.ElementTree as ET

    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    listed = {(loc.text or "").strip() for loc in
              ET.parse(site_dir / "sitemap.xml").getroot().findall("s:url/s:loc", namespace)}
    base = site_url()
    pages = {base + p.relative_to(site_dir).parent.as_posix().strip(".") + "/"
             for p in site_dir.rglob("index.html")}
    pages = {p.replace(base + "/", base) for p in pages}
    missing = sorted(pages - listed)
    assert not missing, "built but not in the sitemap:\n" + "\n".join(missing)
