"""Browser tests: the real site, built once, served on loopback, driven by Playwright in
Debian's Chromium (/usr/bin/chromium).

Without Chromium these tests skip on a developer's machine and FAIL in CI (CI=true), with
the message saying how to install it.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
INSTALL_HINT = ("Debian's Chromium is needed for the browser tests: sudo apt-get install chromium "
                "(or set CHROMIUM to its path). .ci/run installs it.")


def _wait_for_function(self, expression, *, arg=None, timeout=None, polling=None):
    """Playwright's ``wait_for_function`` compiles its predicate with ``eval`` inside the
    page, which the site's Content-Security-Policy forbids (as it should: coprod/render/csp.py).
    This polls the same expression through ``page.evaluate``, which runs over the DevTools
    protocol and is not governed by the page's policy, so every test runs with it on."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    deadline = time.monotonic() + (30_000 if timeout is None else timeout) / 1000
    interval = polling / 1000 if isinstance(polling, (int, float)) else 0.05
    while True:
        value = self.evaluate(expression, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise PlaywrightTimeoutError(f"wait_for_function: {expression!r} still false after {timeout} ms")
        time.sleep(interval)


_add_script_tag = None


def _add_script_tag_past_the_policy(self, *, url=None, path=None, content=None, type=None):
    """axe-core and other test tools are injected as a browser extension would be: their
    text runs through ``page.evaluate`` (not governed by the page's policy) instead of an
    inline ``<script>`` element, which the policy rightly blocks."""
    if content is not None and url is None and path is None and type is None:
        self.evaluate(content)
        return None
    return _add_script_tag(self, url=url, path=path, content=content, type=type)


try:
    from playwright.sync_api import Page
except ImportError:  # the browser tests skip without Playwright's package
    Page = None


def _patch_playwright() -> None:
    global _add_script_tag
    if Page is None:
        return
    Page.wait_for_function = _wait_for_function
    if _add_script_tag is None:
        _add_script_tag = Page.add_script_tag
        Page.add_script_tag = _add_script_tag_past_the_policy


_patch_playwright()


def require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(INSTALL_HINT, pytrace=False)
    pytest.skip(INSTALL_HINT)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(site_dir: Path):
    """The built site served on 127.0.0.1 (a free port), for the whole session."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


DEFAULT_VIEWPORT = {"width": 1280, "height": 720}  # Playwright's, for a context made without one


class Tabs:
    """Chromium tabs kept open for the tests of one worker, one for each set of context
    options, each handed to one test at a time and made blank again after it.

    A visit in a new tab cost Chromium about 1.2 s of CPU on a 2-core machine (a renderer
    started, every style sheet and script parsed again), in a tab already open about 0.3 s.
    A tab comes back as a
    new one would be, for what a test can reach: the listeners the test added, its routes,
    other pages it opened, its window size, the site's storage and cookies are gone, and it
    shows ``about:blank``. Only the browser's HTTP cache is kept, as a reader's browser keeps
    it between pages. A tab whose test failed, or that cannot be made blank, is closed.

    Tests of hostile content open contexts of their own: what a hostile page could leave
    (a service worker, say) must never reach another test."""

    def __init__(self, browser, base_url: str) -> None:
        self.browser, self.base_url, self.idle = browser, base_url, {}

    @contextlib.contextmanager
    def page(self, init_script: str | None = None, **options):
        options.setdefault("base_url", self.base_url)
        key = (init_script, repr(sorted(options.items())))
        page = self.idle.pop(key, None)  # taken while in use: a test that wants two gets two
        if page is None:
            context = self.browser.new_context(**options)
            if init_script:
                context.add_init_script(init_script)
            page = context.new_page()
        added: list[tuple[str, object]] = []

        def on(event, handler, *, once=False):
            added.append((event, handler))
            (Page.once if once else Page.on)(page, event, handler)

        page.on = on
        page.once = functools.partial(on, once=True)
        try:
            yield page
        except BaseException:
            page.context.close()
            raise
        finally:
            del page.on, page.once
        if page.is_closed():  # by the page fixture, whose test failed
            return
        try:
            self._blank(page, added, options.get("viewport") or DEFAULT_VIEWPORT)
        except Exception:  # noqa: BLE001 - not made blank: closed, never reused
            page.context.close()
            return
        if key in self.idle:
            page.context.close()
        else:
            self.idle[key] = page

    @staticmethod
    def _blank(page, added, viewport) -> None:
        for event, handler in added:
            page.remove_listener(event, handler)
        page.unroute_all(behavior="ignoreErrors")
        for other in page.context.pages:
            if other != page:
                other.close()
        if page.url.startswith(("http://", "https://")):
            page.evaluate("localStorage.clear(); sessionStorage.clear()")
        page.context.clear_cookies()
        page.goto("about:blank")
        if page.viewport_size != viewport:
            page.set_viewport_size(viewport)

    def close(self) -> None:
        for page in self.idle.values():
            page.context.close()
        self.idle.clear()


@pytest.fixture(scope="session")
def tabs(browser, base_url):
    """Open tabs of the shipped site, reused from test to test (:class:`Tabs`)."""
    kept = Tabs(browser, base_url)
    yield kept
    kept.close()


_RAISED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.excinfo is not None:  # failed, or raised as an expected failure does
        item.stash[_RAISED] = True
    return report


@pytest.fixture
def page(tabs, request):
    """A blank page that records console errors and failed requests; the test fails on any.
    A page whose test raised is closed, not handed to the next test (pytest does not raise
    the test's failure in its fixture, so the fixture asks)."""
    with tabs.page() as page:
        page.console_errors = []
        page.failed_requests = []
        page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        page.on("requestfailed", lambda r: _record_failure(page, r))
        yield page
        if request.node.stash.get(_RAISED, False):
            page.context.close()


def _record_failure(page, request) -> None:
    """A request that failed, unless the page itself cut it short by going to another
    address (``net::ERR_ABORTED``): a search's result fragments still loading when the test
    opens the next page are not the site failing (seen on a loaded machine)."""
    if request.failure != "net::ERR_ABORTED":
        page.failed_requests.append(f"{request.url} ({request.failure})")


def have_tool(name: str) -> bool:
    return shutil.which(name) is not None
