"""Every page carries a Content-Security-Policy (coprod/render/csp.py) that the site itself keeps:
each page type, light and dark, with search used, reports no violation, and the policy
comes before every script and stylesheet it must govern."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_keeps_its_content_security_policy(browser, base_url, name: str, scheme: str) -> None:
    context = browser.new_context(base_url=base_url)
    context.add_init_script(_RECORD)
    page = context.new_page()
    try:
        page.goto(PAGES[name])
        wait_until_idle(page)
        if scheme == "slate":  # as a reader does: the header's toggle (Material's palette script runs)
            page.get_by_title("Switch to dark mode").click()
            page.evaluate("document.activeElement.blur()")  # Material ignores "/" while a form input has focus
        before = page.evaluate("""() => {
          const all = [...document.head.children];
          const at = all.findIndex((e) => e.matches('meta[http-equiv="Content-Security-Policy"]'));
          return at < 0 ? ["no policy"] : all.slice(0, at).map((e) => e.outerHTML.slice(0, 80));
        }""")
        assert all(e.startswith("<meta ") for e in before), f"before the policy: {before}"
        policy = page.evaluate(
            "document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content")
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'self'", "img-src 'self' data:",
                          "connect-src 'self'", "font-src 'self'"):
            assert directive in policy, f"{directive} missing from {policy}"
        assert "unsafe-inline" not in policy and "unsafe-eval'" not in policy.replace("wasm-unsafe-eval'", "")
        config = page.evaluate("document.querySelector('#__config').tagName")
        assert config == "SCRIPT", "the first #__config on the page is not Material's settings"
        if name in ("home", "case study", "catalogue"):
            open_search(page)  # Pagefind: its WebAssembly, its fragments, its worker if any
        assert page.evaluate("document.body.dataset.mdColorScheme") == scheme
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], f"{PAGES[name]} ({scheme}):\n" + "\n".join(violations)
    finally:
        context.close()
