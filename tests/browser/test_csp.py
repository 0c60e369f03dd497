"""Every page carries a Content-Security-Policy (coprod/render/csp.py) that the site itself keeps,
and a reader's browser asks this site only, logs no console error and has no failed request.

- The policy: each page type, light and dark, with search used, reports no violation, and
  the policy comes before every script and stylesheet it must govern.
- Privacy and health of every page type: requests are recorded for the whole browser
  context, so those of Material's search worker and of fetch() count too; the page is then
  used (search typed, catalogue filtered) so the lazy requests happen before the check.

Each page is opened once for each colour scheme (:class:`Visits`), and the light opening
records what both sets of checks need: the policy's violations, and the requests, console
errors and error responses of the page as loaded (and of the home page with search open).
The tests then judge what was recorded, each on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from helpers import Once

from .site_pages import CONTRIBUTE, PAGE_TYPES, open_search, wait_until_idle

# Recorded from the first moment of each document, before any of the page's own scripts.
_RECORD = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || ""}:${e.lineNumber || ""} ${e.sample || ""}`);
});
"""

PAGES = {**PAGE_TYPES, "contribute": CONTRIBUTE, "not found": "/404.html"}  # as GitHub Pages serves it
SEARCHED = ("home", "case study", "catalogue")  # search is used on these (Pagefind: its WebAssembly, fragments, worker)
HEALTH = [*PAGE_TYPES, "search open"]  # the privacy and health checks: each page type, and the home page searched

HEAD_BEFORE_POLICY = """() => {
  const all = [...document.head.children];
  const at = all.findIndex((e) => e.matches('meta[http-equiv="Content-Security-Policy"]'));
  return at < 0 ? ["no policy"] : all.slice(0, at).map((e) => e.outerHTML.slice(0, 80));
}"""

# nothing in the DOM that would load from elsewhere later (preconnect, prefetch, frames, images)
FOREIGN_LOADS = """() => [...document.querySelectorAll(
    'link[rel~=stylesheet][href], link[rel~=preconnect], link[rel~=dns-prefetch], link[rel~=preload],'
    + 'link[rel~=prefetch], script[src], img[src], iframe[src], source[src], video[src], audio[src]')]
    .map(e => e.href || e.src).filter(u => u && !u.startsWith(location.origin) && !u.startsWith('data:'))"""


@dataclass
class Health:
    """A reader's browser on the page, as far as it had got: every request, the addresses in
    its DOM that would load from elsewhere, console errors, failed requests, error responses."""

    requests: list[str]
    foreign_loads: list[str]
    console_errors: list[str]
    failed_requests: list[str]
    bad_status: list[str]


@dataclass
class Visit:
    head_before_policy: list[str] = field(default_factory=list)
    policy: str = ""
    config_tag: str = ""
    scheme: str = ""
    violations: list[str] = field(default_factory=list)
    health: dict[str, Health] = field(default_factory=dict)  # "loaded", and "search open" on the home page


class Visits:
    """Each page opened once per colour scheme, what it recorded kept for every test that
    judges it; a page that fails to open fails each test that needs it.

    The pages are opened in turn in one tab (conftest's ``Tabs``), as a reader goes from
    page to page (a new tab for each visit cost Chromium about a second of CPU). Each visit
    starts from a blank page with the site's storage emptied, so the dark scheme a visit
    chose is not the next page's, and what it records stops when the visit ends, so nothing
    the last page requested is counted for the next."""

    def __init__(self, tabs) -> None:
        self.tabs, self.once = tabs, Once()

    def get(self, name: str, scheme: str) -> Visit:
        return self.once.get((name, scheme), lambda: self._visit(name, scheme))

    def _visit(self, name: str, scheme: str) -> Visit:
        with self.tabs.page(init_script=_RECORD) as page:
            requests: list[str] = []

            def record(request) -> None:
                requests.append(request.url)

            page.context.on("request", record)  # the whole context's: the search worker's too
            try:
                return self._record(page, name, scheme, requests)
            finally:
                page.context.remove_listener("request", record)

    @staticmethod
    def _record(page, name: str, scheme: str, requests: list[str]) -> Visit:
        console_errors: list[str] = []
        failed_requests: list[str] = []
        bad_status: list[str] = []
        page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: console_errors.append(str(e)))
        page.on("requestfailed", lambda r: failed_requests.append(r.url))
        page.on("response", lambda r: bad_status.append(f"{r.status} {r.url}") if r.status >= 400 else None)

        def health() -> Health:
            return Health(list(requests), page.evaluate(FOREIGN_LOADS), list(console_errors), list(failed_requests),
                          list(bad_status))

        visit = Visit()
        page.goto(PAGES[name])  # until its load event: every script and style sheet has run
        if scheme == "default":  # as loaded: what the privacy and health checks judge, once every request is made
            wait_until_idle(page)  # (the same page's later requests need not be awaited again in dark)
            if PAGES[name] == "/case-studies/":
                page.wait_for_selector("#catalogue-filters[data-ready=yes]")
            page.wait_for_timeout(200)
            visit.health["loaded"] = health()
        if scheme == "slate":  # as a reader does: the header's toggle (Material's palette script runs)
            page.get_by_title("Switch to dark mode").click()
            page.evaluate("document.activeElement.blur()")  # Material ignores "/" while a form input has focus
        visit.head_before_policy = page.evaluate(HEAD_BEFORE_POLICY)
        visit.policy = page.evaluate(
            "document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content")
        visit.config_tag = page.evaluate("document.querySelector('#__config').tagName")
        if name in SEARCHED:
            open_search(page)
            if name == "home" and scheme == "default":
                page.wait_for_load_state("networkidle")
                visit.health["search open"] = health()
        visit.scheme = page.evaluate("document.body.dataset.mdColorScheme")
        visit.violations = page.evaluate("window.__cspViolations")
        return visit


@pytest.fixture(scope="module")
def visits(tabs) -> Visits:
    return Visits(tabs)


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_keeps_its_content_security_policy(visits, name: str, scheme: str) -> None:
    visit = visits.get(name, scheme)
    before = visit.head_before_policy
    assert all(e.startswith("<meta ") for e in before), f"before the policy: {before}"
    policy = visit.policy
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'self'", "img-src 'self' data:",
                      "connect-src 'self'", "font-src 'self'"):
        assert directive in policy, f"{directive} missing from {policy}"
    assert "unsafe-inline" not in policy and "unsafe-eval'" not in policy.replace("wasm-unsafe-eval'", "")
    assert visit.config_tag == "SCRIPT", "the first #__config on the page is not Material's settings"
    assert visit.scheme == scheme
    assert visit.violations == [], f"{PAGES[name]} ({scheme}):\n" + "\n".join(visit.violations)


def _health(visits, name: str) -> tuple[str, Health]:
    if name == "search open":
        return "search", visits.get("home", "default").health["search open"]
    return PAGES[name], visits.get(name, "default").health["loaded"]


@pytest.mark.parametrize("name", HEALTH)
def test_no_request_leaves_the_site(visits, base_url: str, name: str) -> None:
    path, health = _health(visits, name)
    origin = urlsplit(base_url)
    foreign = [u for u in health.requests
               if urlsplit(u).scheme not in ("data", "blob", "about")
               and (urlsplit(u).scheme, urlsplit(u).netloc) != (origin.scheme, origin.netloc)]
    assert health.requests, "no request was recorded"
    assert not foreign, f"{path} made requests to other hosts: {foreign}"
    assert not health.foreign_loads, f"{path} links resources on other hosts: {health.foreign_loads}"


@pytest.mark.parametrize("name", HEALTH)
def test_no_console_errors_or_failed_requests(visits, name: str) -> None:
    path, health = _health(visits, name)
    assert health.console_errors == [], f"console errors on {path}: {health.console_errors}"
    assert health.failed_requests == [], f"failed requests on {path}: {health.failed_requests}"
    assert health.bad_status == [], f"error responses on {path}: {health.bad_status}"
