"""Accessibility in Debian's Chromium, on every page type, light and dark: axe-core's WCAG 2.2
AA rules; the controls and reflow axe does not check (WCAG 2.2 SC 1.4.11, 2.5.8 and 1.4.10);
alt text on every image.

axe-core comes from the PyPI package axe-playwright-python (pinned in pyproject.toml; it
ships axe-core 4.12.1 as axe.min.js), injected into the page: nothing is downloaded at
test time.

Controls and reflow:

- Every visible form control (input, select, text area, our buttons) has a boundary of at
  least 3:1 against what is behind it: its border, or failing that its own background.
- Every control's box is at least 24 by 24 px; primary controls (text boxes, selects,
  primary buttons) at least 44 px high and wide.
- At 320 px wide, ``document.documentElement.scrollWidth`` is not wider than the viewport:
  a wide table scrolls inside its own region, never the page.

Colours are measured from the computed styles, with translucent backgrounds composited
down to the page, as a reader's eye would; the figures are printed for every failure.

Each page type is opened once for each width a check needs, and every check of that width
is measured on that one page, light and then dark (:class:`Visits`); the tests then judge
the figures, each on its own:

==========  ==================================================  ===================================
width       light (as loaded)                                   dark (switched on the same page)
==========  ==================================================  ===================================
1280 px     controls; axe, every WCAG 2.2 AA rule; alt text     controls; axe's colour rules
390 px      controls                                            controls
320 px      sideways scroll; the table regions                  (layout: the same in both schemes)
==========  ==================================================  ===================================

The dark scheme changes colours only (Material's palette and extra.css's
``[data-md-color-scheme="slate"]`` rules), so in dark axe runs the WCAG 2.2 AA rules that
judge colour (axe's category ``cat.color``: color-contrast and link-in-text-block); the
others judge the same page in both schemes and run once, in light.

Known violations whose fix is outside the tests are listed in :data:`KNOWN` with the fix;
a page that shows only those is an expected failure (strict: once the fix lands the test
XPASSes, which fails, so the marker must go). Any other serious or critical violation fails.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from helpers import Once

from .site_pages import (
    CONTRIBUTE,
    PAGE_TYPES,
    WCAG_TAGS,
    axe_script,
    contribute_exists,
    open_search,
    wait_until_settled,
)

PAGES = {**PAGE_TYPES, "contribute": CONTRIBUTE}
SCHEMES = ("default", "slate")
WIDTHS = (390, 1280)  # the controls are measured at both
AXE_WIDTH = 1280
MIN_CONTRAST = 3.0
MIN_TARGET = 24
PRIMARY_TARGET = 44

SERIOUS = ("serious", "critical")
LIGHT = "localStorage.setItem('/.__palette', JSON.stringify({index: 0, color: {scheme: 'default'}}))"
"""Every page opens in the light scheme, whatever a page before it chose."""


class KnownViolations(AssertionError):
    """Only the violations listed in KNOWN were found."""


# rule id -> (is this node one of the known ones?, the fix). Proposed fix: these rules in
# docs/assets/stylesheets/extra.css (checked with axe: they clear every page type):
#   .md-typeset a:not(.headerlink):not(.md-button) { text-decoration: underline; text-underline-offset: .15em; }
#   .md-copyright { color: var(--md-footer-fg-color--light); }
#   .md-search-result__meta { color: var(--md-default-fg-color); }
#   .md-search-result mark { color: var(--md-primary-fg-color); text-decoration: underline; }
#   .md-nav__link { min-height: 24px; }
KNOWN = {
    "color-contrast": (
        lambda target, html: ".md-copyright" in target or ".md-search-result__meta" in target
        or ("mark" in target and "<mark>" in html),
        ("footer copyright #7f7f7f on #171717 is 4.47:1; search result meta 4.41:1 and highlighted words "
         "(#526cfe on white) 4.25:1: extra.css .md-copyright {color: var(--md-footer-fg-color--light)}, "
         ".md-search-result__meta {color: var(--md-default-fg-color)}, "
         ".md-search-result mark {color: var(--md-primary-fg-color); text-decoration: underline}")),
    "link-in-text-block": (
        lambda target, html: True,
        ("links in text are told apart only by colour (#4051b5 vs #212121 is 2.34:1, needs 3:1 or an underline): "
         "extra.css .md-typeset a:not(.headerlink):not(.md-button) {text-decoration: underline}")),
    "target-size": (
        lambda target, html: ".md-nav__link" in target or 'class="md-nav__link' in html,
        "sidebar links are 18px high and too close together (WCAG 2.5.8): extra.css .md-nav__link {min-height: 24px}"),
}
KNOWN_REASON = "serious axe violations the site has now; fix (CSS, outside the tests): " + "; ".join(
    f"{rule}: {fix}" for rule, (_, fix) in KNOWN.items())
XFAIL_KNOWN = pytest.mark.xfail(strict=True, raises=KnownViolations, reason=KNOWN_REASON)




def run_axe(page, colour_only: bool = False) -> list[dict]:
    """axe's serious and critical violations of the WCAG 2.2 AA rules on the page as it is
    now; ``colour_only``: of those rules, only the ones that judge colour (``cat.color``)."""
    page.add_script_tag(content=axe_script())
    rules = page.evaluate(
        "(tags) => axe.getRules(tags).filter(r => r.tags.includes('cat.color')).map(r => r.ruleId)", WCAG_TAGS)
    assert "color-contrast" in rules, f"axe's colour rules are not what this test expects: {rules}"
    only = {"type": "rule", "values": rules} if colour_only else {"type": "tag", "values": WCAG_TAGS}
    result = page.evaluate("async (only) => await axe.run(document, {runOnly: only, resultTypes: ['violations']})",
                           only)
    return [v for v in result["violations"] if v["impact"] in SERIOUS]


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                            for n in v["nodes"][:3])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} element(s)] e.g. {targets}")
        first = v["nodes"][0]
        messages = [c["message"] for c in first.get("any", []) + first.get("all", []) + first.get("none", [])]
        if messages:
            lines.append(f"    {messages[0]}")
    return "\n".join(lines)


def assert_no_serious_violations(violations: list[dict]) -> None:
    print(describe(violations) or "no serious or critical violations")
    unknown = []
    for v in violations:
        is_known = KNOWN.get(v["id"], (lambda t, h: False, ""))[0]
        nodes = [n for n in v["nodes"] if not is_known(str(n["target"]), n.get("html", ""))]
        if nodes:
            unknown.append(dict(v, nodes=nodes))
    assert not unknown, "axe-core found serious or critical violations (WCAG 2.2 AA):\n" + describe(unknown)
    if violations:
        raise KnownViolations("only the known violations:\n" + describe(violations))


def dark(page) -> None:
    """Material's dark scheme ("slate"), as its palette toggle sets it, on the page as it is.

    Every element's style is read once at the switch: Chromium leaves the parts of the page
    that ``content-visibility: auto`` skips (the evidence map, the charts) unstyled until
    something reads them, and their colour transitions would only start when a check reaches
    them, which would then measure the light colours. Read at once, every transition starts
    now and ends before anything is measured."""
    page.evaluate("""() => {
      document.body.setAttribute('data-md-color-scheme', 'slate');
      for (const element of document.querySelectorAll('*')) getComputedStyle(element).color;
    }""")
    wait_until_settled(page)  # Material's colour transitions (0.25 s) end before anything is measured


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


SIDEWAYS = """() => ({
    wide: document.documentElement.scrollWidth,
    culprits: [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.coprod-scroll, .md-typeset__scrollwrap, pre, .md-sidebar, .md-search, [hidden]'))
        .slice(0, 8).map(e => e.tagName.toLowerCase() + '.' + String(e.className).replace(/\\s+/g, '.') + ' ' + Math.round(e.getBoundingClientRect().right)),
    regions: [...document.querySelectorAll('.coprod-scroll')].map(r => ({
        role: r.getAttribute('role'), label: r.getAttribute('aria-label'), tab: r.tabIndex,
        scrolls: r.scrollWidth > r.clientWidth, table: !!r.querySelector('table')})),
})"""

MISSING_ALT = "[...document.querySelectorAll('img:not([alt])')].map(i => i.outerHTML.slice(0, 120))"


@dataclass
class Visit:
    """What the checks measured on one opened page, by colour scheme where it matters."""

    axe: dict[str, list[dict]] = field(default_factory=dict)
    controls: dict[str, list[dict]] = field(default_factory=dict)
    missing_alt: list[str] = field(default_factory=list)
    sideways: dict = field(default_factory=dict)


class Visits:
    """Each page opened once for the checks of this file, its figures kept for every test
    that judges them; a page that fails to open fails each test that needs it.

    A page is judged once its ``load`` event has fired: every style sheet and script has
    loaded and run by then, and the only request any page makes later is its icon. (Waiting
    for the network to be quiet added half a second to each of some 45 visits.) The
    catalogue is judged once its script says it is ready.

    Pages of one window size are opened in turn in one tab (conftest's ``Tabs``), as a
    reader goes from page to page: a new tab for each of some 40 visits cost Chromium about
    a second of CPU each, half of this file's time. Nothing measured here carries from one
    page to the next: the colour scheme is set afresh on every page (the stored choice by
    :data:`LIGHT`, the page's attribute by :meth:`_page`)."""

    def __init__(self, tabs) -> None:
        self.tabs, self.once = tabs, Once()

    def _visiting(self, width: int = 1280, height: int = 720):
        """The tab of this window size for one visit (blank again after it)."""
        return self.tabs.page(init_script=LIGHT, viewport={"width": width, "height": height})

    def page(self, kind: str, width: int) -> Visit:
        return self.once.get(("page", kind, width), lambda: self._page(kind, width))

    def _page(self, kind: str, width: int) -> Visit:
        with self._visiting(width, 800) as page:
            page.goto(PAGES[kind], wait_until="load")  # see Visits: nothing the checks judge comes later
            page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
            if kind == "catalogue":
                page.wait_for_selector("#catalogue-filters[data-ready=yes]")
            visit = Visit()
            if width not in WIDTHS:
                visit.sideways = page.evaluate(SIDEWAYS)
                return visit
            if kind == "catalogue" and width == 390:
                page.click(".catalogue-toggle")  # the filters live behind the Filter button on a phone
                wait_until_settled(page)  # its colours change with a transition: measured once it ends
            visit.controls["default"] = page.evaluate(MEASURE)
            if width == AXE_WIDTH:
                visit.axe["default"] = run_axe(page)
                visit.missing_alt = page.evaluate(MISSING_ALT)
            dark(page)
            visit.controls["slate"] = page.evaluate(MEASURE)
            if width == AXE_WIDTH and kind in PAGE_TYPES:  # the contribute form: light, as before
                visit.axe["slate"] = run_axe(page, colour_only=True)
            return visit

    def search_open(self) -> Visit:
        return self.once.get(("search open",), lambda: self._opened("/", open_search))

    def cite_box_open(self) -> Visit:
        return self.once.get(("cite box open",), lambda: self._opened(PAGE_TYPES["case study"], _open_cite_box))

    def _opened(self, path: str, action) -> Visit:
        """Axe on the page at ``path`` after ``action(page)``: every rule as loaded, the colour
        rules again in the dark scheme."""
        with self._visiting() as page:
            page.goto(path, wait_until="load")
            action(page)
            visit = Visit()
            visit.axe["default"] = run_axe(page)
            dark(page)
            visit.axe["slate"] = run_axe(page, colour_only=True)
            return visit


def _open_cite_box(page) -> None:
    page.evaluate("document.querySelector('.coprod-cite details').open = true")
    wait_until_settled(page)


@pytest.fixture(scope="module")
def visits(tabs) -> Visits:
    return Visits(tabs)


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_page_type(visits, kind: str) -> None:
    assert_no_serious_violations(visits.page(kind, AXE_WIDTH).axe["default"])


def test_axe_search_results_open(visits) -> None:
    assert_no_serious_violations(visits.search_open().axe["default"])


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_page_type_in_dark_mode(visits, kind: str) -> None:
    assert_no_serious_violations(visits.page(kind, AXE_WIDTH).axe["slate"])


def test_axe_search_results_open_in_dark_mode(visits) -> None:
    assert_no_serious_violations(visits.search_open().axe["slate"])


def test_axe_contribute_form(visits, site_dir) -> None:
    if not contribute_exists(site_dir):
        pytest.skip(f"{CONTRIBUTE} is not built yet (the contribute form); this test runs once it exists")
    assert_no_serious_violations(visits.page("contribute", AXE_WIDTH).axe["default"])


def test_every_image_has_alt_text(visits) -> None:
    """Every <img> on every page type has an alt attribute (empty only for decoration)."""
    missing = {PAGES[kind]: found for kind in PAGES if (found := visits.page(kind, AXE_WIDTH).missing_alt)}
    assert not missing, f"images without alt text: {missing}"


@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_cite_box_open(visits, scheme: str) -> None:
    """Issue 21: the cite box's styles are rich text (italics, links) rendered by the CSL
    processor; opened, in both colour schemes, they pass as the rest of the page does."""
    assert_no_serious_violations(visits.cite_box_open().axe[scheme])


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("kind", list(PAGES))
def test_controls_are_visible_and_big_enough(visits, kind: str, scheme: str) -> None:
    problems = []
    for width in WIDTHS:
        measured = visits.page(kind, width).controls[scheme]
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
def test_no_page_wide_sideways_scroll_at_320_px(visits, kind: str) -> None:
    sideways = visits.page(kind, 320).sideways
    wide = sideways["wide"]
    assert wide <= 320, f"{kind} is {wide} px wide at a 320 px viewport; wider than the viewport: {sideways['culprits']}"


def test_wide_tables_scroll_in_a_labelled_region(visits) -> None:
    """Every table our generator writes sits in a region a keyboard can reach and a screen
    reader names; at 320 px the region scrolls, not the page."""
    regions = visits.page("evidence map", 320).sideways["regions"]
    assert regions, "the evidence map has no scrolling table regions"
    for region in regions:
        assert region["role"] == "region" and region["label"] and region["tab"] == 0 and region["table"], region
    assert any(r["scrolls"] for r in regions), "at 320 px at least the map's table is wider than the column"
