"""Controls a reader can see and hit, and pages that reflow, on every page type in light and
dark mode (WCAG 2.2 SC 1.4.11, 2.5.8 and 1.4.10; axe checks none of these).

- Every visible form control (input, select, text area, our buttons) has a boundary of at
  least 3:1 against what is behind it: its border, or failing that its own background.
- Every control's box is at least 24 by 24 px; primary controls (text boxes, selects,
  primary buttons) at least 44 px high and wide.
- At 320 px wide, ``document.documentElement.scrollWidth`` is not wider than the viewport:
  a wide table scrolls inside its own region, never the page.

Colours are measured from the computed styles, with translucent backgrounds composited
down to the page, as a reader's eye would; the figures are printed for every failure.
"""

from __future__ import annotations

import pytest

from .site_pages import CONTRIBUTE, PAGE_TYPES

PAGES = {**PAGE_TYPES, "contribute": CONTRIBUTE}
SCHEMES = ("default", "slate")
MIN_CONTRAST = 3.0
MIN_TARGET = 24
PRIMARY_TARGET = 44

MEASURE = r"""
() => {
  function parse(value) {
    const m = /rgba?\(([^)]+)\)/.exec(value || "");
    if (!m) return { r: 0, g: 0, b: 0, a: 0 };
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  }
  function over(top, bottom) {
    const a = top.a + bottom.a * (1 - top.a);
    if (!a) return { r: 0, g: 0, b: 0, a: 0 };
    const mix = k => (top[k] * top.a + bottom[k] * bottom.a * (1 - top.a)) / a;
    return { r: mix("r"), g: mix("g"), b: mix("b"), a: a };
  }
  function background(node) {  // what is painted behind node: its ancestors' backgrounds, composited
    const chain = [];
    for (let n = node; n; n = n.parentElement) chain.push(parse(getComputedStyle(n).backgroundColor));
    let colour = { r: 255, g: 255, b: 255, a: 1 };
    for (let i = chain.length - 1; i >= 0; i--) colour = over(chain[i], colour);
    return colour;
  }
  function luminance(c) {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  function contrast(a, b) {
    const x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  function name(el) {
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
      (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "") +
      (el.type ? "[type=" + el.type + "]" : "") + " " + JSON.stringify((el.innerText || el.value || "").slice(0, 30));
  }
  function visible(el) {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  }
  const controls = [...document.querySelectorAll(
    "main input:not([type=hidden]), main select, main textarea, main button, main .md-button, main summary, " +
    ".md-search__input")].filter(visible);
  return controls.map(el => {
    // the header's search box is drawn by its form (Material)
    const box = el.matches(".md-search__input") ? el.closest(".md-search__form") : el;
    const style = getComputedStyle(box);
    const behind = background(box.parentElement);
    const own = over(parse(style.backgroundColor), behind);
    let edge = 1;
    if (parseFloat(style.borderTopWidth) >= 1 && style.borderTopStyle !== "none") {
      edge = contrast(over(parse(style.borderTopColor), behind), behind);
    }
    if (el.matches("input[type=checkbox], input[type=radio]")) {
      // Chromium draws these itself; its edge is #767676 on light, #858585 (color-scheme dark)
      edge = getComputedStyle(document.documentElement).colorScheme.includes("dark")
        ? contrast({ r: 133, g: 133, b: 133, a: 1 }, behind) : contrast({ r: 118, g: 118, b: 118, a: 1 }, behind);
    }
    const r = el.getBoundingClientRect();
    const primary = el.matches("input:not([type=checkbox]):not([type=radio]), select, textarea, .md-button--primary");
    const isControl = !el.matches("summary");
    return {
      name: name(el), boundary: Math.max(edge, contrast(own, behind)), width: r.width, height: r.height,
      primary: primary, checked: isControl
    };
  });
}
"""


def _open(browser, base_url, path: str, scheme: str, width: int):
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 800})
    context.add_init_script(f"localStorage.setItem('/.__palette', JSON.stringify({{index: {SCHEMES.index(scheme)}, "
                            f"color: {{scheme: '{scheme}'}}}}))")
    page = context.new_page()
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    if path == PAGE_TYPES["catalogue"]:
        page.wait_for_selector("#catalogue-filters[data-ready=yes]")
    return context, page


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", list(PAGES))
def test_controls_are_visible_and_big_enough(browser, base_url, kind: str, scheme: str) -> None:
    problems = []
    for width in (390, 1280):
        context, page = _open(browser, base_url, PAGES[kind], scheme, width)
        try:
            if kind == "catalogue" and width == 390:
                page.click(".catalogue-toggle")  # the filters live behind the Filter button on a phone
            measured = page.evaluate(MEASURE)
        finally:
            context.close()
        assert measured or kind not in ("catalogue", "contribute"), f"no controls found on {kind}"
        for control in measured:
            where = f"{kind} {width}px {scheme}: {control['name']}"
            if control["checked"] and control["boundary"] < MIN_CONTRAST:
                problems.append(f"{where}: boundary {control['boundary']:.2f}:1, needs {MIN_CONTRAST}:1")
            need = PRIMARY_TARGET if control["primary"] else MIN_TARGET
            if control["height"] < need - 0.5 or control["width"] < need - 0.5:
                problems.append(f"{where}: {control['width']:.0f}x{control['height']:.0f} px, needs {need}x{need}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("kind", list(PAGES))
def test_no_page_wide_sideways_scroll_at_320_px(browser, base_url, kind: str) -> None:
    context, page = _open(browser, base_url, PAGES[kind], "default", 320)
    try:
        wide = page.evaluate("document.documentElement.scrollWidth")
        culprits = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.coprod-scroll, .md-typeset__scrollwrap, pre, .md-sidebar, .md-search, [hidden]'))
            .slice(0, 8).map(e => e.tagName.toLowerCase() + '.' + String(e.className).replace(/\\s+/g, '.') + ' ' + Math.round(e.getBoundingClientRect().right))""")
    finally:
        context.close()
    assert wide <= 320, f"{kind} is {wide} px wide at a 320 px viewport; wider than the viewport: {culprits}"


def test_wide_tables_scroll_in_a_labelled_region(browser, base_url) -> None:
    """Every table our generator writes sits in a region a keyboard can reach and a screen
    reader names; at 320 px the region scrolls, not the page."""
    context, page = _open(browser, base_url, PAGE_TYPES["evidence map"], "default", 320)
    try:
        regions = page.evaluate("""() => [...document.querySelectorAll('.coprod-scroll')].map(r => ({
            role: r.getAttribute('role'), label: r.getAttribute('aria-label'), tab: r.tabIndex,
            scrolls: r.scrollWidth > r.clientWidth, table: !!r.querySelector('table')}))""")
    finally:
        context.close()
    assert regions, "the evidence map has no scrolling table regions"
    for region in regions:
        assert region["role"] == "region" and region["label"] and region["tab"] == 0 and region["table"], region
    assert any(r["scrolls"] for r in regions), "at 320 px at least the map's table is wider than the column"
