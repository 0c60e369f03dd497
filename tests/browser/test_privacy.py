"""Privacy and health of every page type: a reader's browser asks this site only, logs no
console error and has no failed request.

Requests are recorded for the whole browser context, so those of Material's search worker
and of fetch() count too; the page is then used (search typed, catalogue filtered) so the
lazy requests happen before the check.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .site_pages import PAGE_TYPES, open_search


def visit(page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    if path == "/case-studies/":
        page.wait_for_selector("#catalogue-filters[data-ready=yes]")
    page.wait_for_timeout(200)


@pytest.mark.parametrize("path", list(PAGE_TYPES.values()) + ["search"], ids=list(PAGE_TYPES) + ["search open"])
def test_no_request_leaves_the_site(page, base_url: str, path: str) -> None:
    requests: list[str] = []
    page.context.on("request", lambda r: requests.append(r.url))
    if path == "search":
        visit(page, "/")
        open_search(page)
        page.wait_for_load_state("networkidle")
    else:
        visit(page, path)
    origin = urlsplit(base_url)
    foreign = [u for u in requests
               if urlsplit(u).scheme not in ("data", "blob", "about")
               and (urlsplit(u).scheme, urlsplit(u).netloc) != (origin.scheme, origin.netloc)]
    assert requests, "no request was recorded"
    assert not foreign, f"{path} made requests to other hosts: {foreign}"
    # nothing in the DOM that would load from elsewhere later (preconnect, prefetch, frames, images)
    loads = page.evaluate("""() => [...document.querySelectorAll(
        'link[rel~=stylesheet][href], link[rel~=preconnect], link[rel~=dns-prefetch], link[rel~=preload],'
        + 'link[rel~=prefetch], script[src], img[src], iframe[src], source[src], video[src], audio[src]')]
        .map(e => e.href || e.src).filter(u => u && !u.startsWith(location.origin) && !u.startsWith('data:'))""")
    assert not loads, f"{path} links resources on other hosts: {loads}"


@pytest.mark.parametrize("path", list(PAGE_TYPES.values()) + ["search"], ids=list(PAGE_TYPES) + ["search open"])
def test_no_console_errors_or_failed_requests(page, path: str) -> None:
    bad_status: list[str] = []
    page.on("response", lambda r: bad_status.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    if path == "search":
        visit(page, "/")
        open_search(page)
    else:
        visit(page, path)
    assert page.console_errors == [], f"console errors on {path}: {page.console_errors}"
    assert page.failed_requests == [], f"failed requests on {path}: {page.failed_requests}"
    assert bad_status == [], f"error responses on {path}: {bad_status}"
