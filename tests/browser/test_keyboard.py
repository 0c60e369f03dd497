"""Keyboard only: navigation, search, the catalogue's filters, the cite box and the
contribute form can be reached and used with Tab, Enter, arrows and typing, and the focused
element is visible."""

from __future__ import annotations

import pytest

from .site_pages import CONTRIBUTE, contribute_exists

CASE_STUDY = "/case-studies/partners2-mental-health/"

ACTIVE = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  return {tag: e.tagName, id: e.id, cls: e.className && String(e.className), text: (e.innerText || e.value || '').trim().slice(0, 60),
          href: e.getAttribute('href'), name: e.getAttribute('name'), label: e.getAttribute('aria-label')}; }"""

FOCUS_VISIBLE = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none')
         || s.textDecorationLine.includes('underline'); }"""


def tab_until(page, predicate: str, limit: int = 80) -> dict:
    """Press Tab until the focused element matches ``predicate`` (JS, gets the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const e = document.activeElement; return !!e && ({predicate})(e); }}"):
            return page.evaluate(ACTIVE)
    pytest.fail(f"Tab never reached an element matching {predicate} in {limit} presses")


def test_skip_link_is_first_and_moves_focus_to_the_content(page) -> None:
    page.goto(CASE_STUDY)
    page.keyboard.press("Tab")
    first = page.evaluate(ACTIVE)
    assert first and "md-skip" in (first["cls"] or ""), f"the first Tab stop is not the skip link: {first}"
    assert page.evaluate(FOCUS_VISIBLE), "the skip link has no visible focus"
    page.keyboard.press("Enter")
    assert "#" in page.url


def test_navigation_by_keyboard(page) -> None:
    page.goto("/")
    active = tab_until(page, "e => e.matches('.md-nav--primary a.md-nav__link') && /business-case\\/?$/.test(e.getAttribute('href'))")
    assert page.evaluate(FOCUS_VISIBLE), f"focus is not visible on {active}"
    page.keyboard.press("Enter")
    page.wait_for_url("**/business-case/")
    assert page.locator("h1").first.is_visible()
    assert page.console_errors == []


def test_search_by_keyboard(page) -> None:
    page.goto("/")
    page.wait_for_load_state("networkidle")
    tab_until(page, "e => e.matches('input.md-search__input')")
    page.keyboard.type("reciprocity")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.keyboard.press("ArrowDown")
    active = page.evaluate(ACTIVE)
    assert active and active["tag"] == "A", f"ArrowDown did not move to a result: {active}"
    target = active["href"]
    page.keyboard.press("Enter")
    page.wait_for_url(target.split("#")[0] + "**", timeout=10000)
    assert page.console_errors == []


def test_catalogue_filters_by_keyboard(page) -> None:
    """What a reader hears is the announced count (the list shows the first results and
    "Show more"), so the test follows the status line, whatever the library's size."""
    page.goto("/case-studies/")
    page.wait_for_selector("#catalogue-filters[data-ready=yes]")
    status = "document.getElementById('catalogue-status').textContent"
    active = tab_until(page, "e => e.matches('#catalogue-filters summary')")  # a facet's group
    assert page.evaluate(FOCUS_VISIBLE), f"focus is not visible on the filter {active}"
    page.keyboard.press("Enter")  # opens the group
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#catalogue-filters input[type=checkbox]')")
    page.keyboard.press("Space")  # ticks the first term
    page.wait_for_function(f"/ match$/.test({status})", timeout=5000)
    assert "?" in page.url, "the filter is not kept in the address"
    tab_until(page, "e => e.matches('#catalogue-filters button') && /clear/i.test(e.innerText)")
    page.keyboard.press("Enter")
    page.wait_for_function(f"{status}.startsWith('Showing all')", timeout=5000)
    for _ in range(40):  # "Clear filters" focuses the text search; else back to it with Shift+Tab
        if page.evaluate("document.activeElement.matches('#catalogue-filters input')"):
            break
        page.keyboard.press("Shift+Tab")
    else:
        pytest.fail("Shift+Tab never reached the catalogue's text search")
    page.keyboard.type("mental")
    page.wait_for_function(f"/ match$/.test({status})", timeout=5000)
    assert page.console_errors == []


def _focusables(page, scope: str) -> list[str]:
    selector = ", ".join(f"{scope} {s}" for s in ("a[href]", "button", "input", "select", "textarea", "summary",
                                                   '[tabindex]:not([tabindex="-1"])'))
    return page.evaluate("""(selector) => [...document.querySelectorAll(selector)]
        .filter(e => !e.disabled && e.offsetParent !== null)
        .map((e, i) => { e.dataset.kbTest = String(i); return e.outerHTML.slice(0, 80); })""", selector)


def _reach_all(page, scope: str) -> None:
    """Tab from just before ``scope`` reaches every focusable element inside it, each with
    a visible focus. (Starting just before it keeps the test fast on long pages; that Tab
    gets into the page's content at all is tested with the skip link.)"""
    wanted = _focusables(page, scope)
    assert wanted, f"nothing focusable in {scope}"
    page.evaluate("""(scope) => { const start = document.createElement("span"); start.tabIndex = -1;
        const box = document.querySelector(scope); box.parentNode.insertBefore(start, box); start.focus(); }""", scope)
    reached = set()
    for _ in range(len(wanted) * 3 + 20):
        page.keyboard.press("Tab")
        index = page.evaluate("() => document.activeElement.dataset.kbTest")
        if index is not None:
            reached.add(int(index))
            if not page.evaluate(FOCUS_VISIBLE):
                style = page.evaluate("() => { const s = getComputedStyle(document.activeElement); return [s.outlineStyle, s.outlineWidth, s.boxShadow, s.textDecorationLine]; }")
                pytest.fail(f"focus is not visible on {wanted[int(index)]} (outline, shadow, underline: {style})")
        if len(reached) == len(wanted):
            return
    pytest.fail(f"not reachable with Tab in {scope}: {[h for i, h in enumerate(wanted) if i not in reached]}")


def test_cite_box_by_keyboard(page) -> None:
    page.goto(CASE_STUDY)
    if page.locator(".coprod-cite").count() == 0:
        pytest.skip("the cite box (.coprod-cite) is not built yet; this test runs once case studies have it")
    assert page.evaluate("document.querySelector('.coprod-cite details').open") is False  # folded at first
    # the "Cite this page" button near the title leads to the box and opens it (details.js)
    page.focus(".coprod-cite-button")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.coprod-cite details').open", timeout=5000)
    assert page.url.endswith("#cite-this-page")
    _reach_all(page, ".coprod-cite")
    assert page.console_errors == []


def test_contribute_form_by_keyboard(page, site_dir) -> None:
    if not contribute_exists(site_dir):
        pytest.skip(f"{CONTRIBUTE} is not built yet (the contribute form); this test runs once it exists")
    page.goto(CONTRIBUTE)
    page.click("details.cf-editors > summary")  # the file-writing form is for editors, folded
    page.wait_for_load_state("networkidle")
    # the editor's fields wait under "More options", which opens from the keyboard
    assert page.evaluate("document.querySelector('details.cf-more').open") is False
    page.focus("details.cf-more > summary")
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector('details.cf-more').open") is True
    _reach_all(page, "#cf-form")  # (the header's colour-scheme toggle is a form of Material's too)
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('#cf-form input, #cf-form select, #cf-form textarea')]
        .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                && !e.getAttribute('aria-labelledby')).map(e => e.outerHTML.slice(0, 80))""")
    assert not unlabelled, f"form fields without a label: {unlabelled}"
    assert page.console_errors == []
