"""Small things readers notice, in a real browser: the closed drawer takes no focus, the
header's title fits a phone, a wide table shows that it scrolls, the 404 page offers a
search and the main ways in."""

from __future__ import annotations

import pytest

from .site_pages import PAGE_TYPES

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def test_the_closed_drawer_takes_no_focus(tabs) -> None:
    with tabs.page(**PHONE) as page:
        page.goto(PAGE_TYPES["catalogue"])
        page.wait_for_selector("#catalogue-filters[data-ready=yes]")
        for presses in range(1, 16):
            page.keyboard.press("Tab")
            inside = page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")
            assert not inside, f"Tab {presses} landed in the closed drawer"
            if page.evaluate("document.activeElement.id") == "catalogue-search":
                break
        else:
            pytest.fail("the catalogue's search was not reached in 15 Tab presses")
        page.locator("label.md-header__button[for=__drawer]").tap()  # opened, its links take focus again
        # shown once the drawer's transition has run (a fixed 0.3 s was too short on a loaded machine)
        page.locator(".md-sidebar--primary a.md-nav__link").first.wait_for(state="visible", timeout=10_000)


def test_the_header_title_fits_a_phone(tabs) -> None:
    with tabs.page(**PHONE) as page:
        page.goto("/")
        title = page.locator(".md-header__topic .md-ellipsis").first
        assert title.evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight + 1")
        assert title.inner_text().strip() == "Co-production Evidence Library"


def test_the_404_page_offers_search_and_ways_in(tabs) -> None:
    with tabs.page(**PHONE) as page:
        page.goto("/404.html")
        links = page.eval_on_selector_all("article a", "links => links.map(a => new URL(a.href).pathname)")
        for wanted in ("/", "/case-studies/", "/business-case/", "/evidence-map/"):
            assert wanted in links, links
        page.fill("#coprod-404-q", "mental health")
        page.keyboard.press("Enter")
        page.wait_for_url("**/case-studies/?q=mental+health")
        page.wait_for_selector("#catalogue-filters[data-ready=yes][data-state=done]")
        assert page.input_value("#catalogue-search") == "mental health"
        assert " match" in page.inner_text("#catalogue-status")


def test_chart_text_is_at_least_12_px_on_a_phone(tabs) -> None:
    with tabs.page(**PHONE) as page:
        page.goto(PAGE_TYPES["evidence map"])
        sizes = page.eval_on_selector_all(".coprod-chart__image text", """texts => texts.map(t => {
            const box = t.getBoundingClientRect(); const svg = t.ownerSVGElement;
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return parseFloat(getComputedStyle(t).fontSize) * scale; })""")
        assert sizes and min(sizes) >= 12, min(sizes)


def test_the_maps_tables_scroll_in_their_region_with_their_row_headings_in_view(tabs) -> None:
    """On a phone each table of the evidence map scrolls sideways inside its labelled region
    (the page does not), its row headings stay in view as it scrolls, and Material's script
    left the tables where they are (no wrappers of its own: moving them was start-up work)."""
    with tabs.page(**PHONE) as page:
        page.goto(PAGE_TYPES["evidence map"])
        page.wait_for_load_state("load")
        assert page.locator(".coprod-evidence-map table").count() >= 4
        assert page.locator(".coprod-evidence-map .md-typeset__scrollwrap").count() == 0
        region = page.locator(".coprod-evidence-map").first
        region.scroll_into_view_if_needed()
        assert region.evaluate("r => r.scrollWidth > r.clientWidth + 40")
        heading = region.locator("tbody th").first
        before = heading.bounding_box()["x"]
        region.evaluate("r => { r.scrollLeft = r.scrollWidth; }")
        page.wait_for_timeout(100)
        assert abs(heading.bounding_box()["x"] - before) < 1  # sticky: still where it was
        assert region.evaluate("r => r.scrollLeft") > 40
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_a_fold_opens_beside_its_words_not_over_them(tabs) -> None:
    with tabs.page(**PHONE) as page:
        page.goto(PAGE_TYPES["case study"])
        for summary in page.locator("article details:not([class]) > summary").all():
            icon = summary.evaluate("s => getComputedStyle(s, '::before').display")
            assert icon == "none", "a note's pencil icon is drawn over the summary's words"
            start = summary.evaluate("""s => { const r = document.createRange(); r.selectNodeContents(s);
                return r.getClientRects()[0].left - s.getBoundingClientRect().left; }""")
            assert start >= 8, start


def test_a_patient_can_send_a_case_study_without_github(tabs, base_url) -> None:
    """The contribute page's main path at 390 px by touch: plain questions one to a page,
    a required answer checked, "Check your answers" with a Change link, then an e-mail
    with the answers filled in. Nothing is sent by the page itself."""
    from urllib.parse import parse_qs, unquote, urlsplit

    with tabs.page(**PHONE) as page:
        requests: list[str] = []
        page.goto("/contribute/")
        page.wait_for_selector("#tell-us[data-ready=yes]")
        main_path = page.locator("#tell-us").inner_text() + page.locator("article > p").all_inner_texts()[0]
        for word in ("taxonomy", ".yml", ".bib", "Markdown", "pull request", "Ctrl"):
            assert word not in main_path, word
        page.on("request", lambda request: requests.append(request.url))
        next_button = page.locator("#tu-next")
        next_button.tap()  # nothing typed: the question asks again, nothing moves on
        assert page.locator("#tu-project-error").is_visible()
        page.locator("#tu-project").fill("Peer researchers in Leeds")
        next_button.tap()
        page.locator("#tu-about").fill("A study of hospital discharge, Leeds, 2021")
        next_button.tap()
        page.locator("#tu-involved").fill("Three patients co-designed the interviews.")
        next_button.tap()
        next_button.tap()  # an optional question may be left
        page.locator(".tu-step:not([hidden]) label", has_text="Mental health").tap()  # a checkbox, not Ctrl-click
        for _ in range(3):
            next_button.tap()
        assert page.locator("#tu-check").is_visible()
        assert "Mental health" in page.locator("#tu-answers").inner_text()
        page.locator("#tu-answers a", has_text="Change").first.tap()
        page.locator("#tu-project").fill("Peer researchers in Leeds hospitals")
        next_button.tap()  # back to the check, not through every question again
        assert page.locator("#tu-check").is_visible()
        href = page.get_attribute("#tu-mail", "href")
        parts = urlsplit(href)
        assert parts.scheme == "mailto" and "@" in parts.path
        body = unquote(parse_qs(parts.query)["body"][0])
        assert "Peer researchers in Leeds hospitals" in body and "Three patients co-designed" in body
        assert page.get_attribute("#tu-issue", "href").startswith("https://github.com/")
        assert [url for url in requests if not url.startswith(base_url)] == []
        assert not [url for url in requests if "/contribute/" not in url and url.startswith(base_url + "/")]


@pytest.mark.parametrize(("words", "own_page"), [
    ("how to cite", "/how-to-cite/"), ("Canada", "/countries/canada/"), ("reciprocity", "/principles/reciprocity/"),
    ("paying public contributors", "/enablers/payment-for-contributors/"),
])
def test_the_header_search_finds_the_sites_own_page_first(page, words: str, own_page: str) -> None:
    from .test_search import result_links, search_for

    page.goto("/")
    search_for(page, words)
    links = result_links(page)
    assert links and links[0] == own_page, links[:3]


def test_without_javascript_the_questions_go_by_e_mail(tabs) -> None:
    from urllib.parse import parse_qs, unquote, urlsplit

    with tabs.page(java_script_enabled=False) as page:
        page.goto("/contribute/")
        link = page.locator(".tu-nojs a[href^='mailto:']")
        assert link.is_visible()
        body = unquote(parse_qs(urlsplit(link.get_attribute("href")).query)["body"][0])
        assert "How were patients, carers or the public involved?" in body
