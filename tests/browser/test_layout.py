"""The redesign's behaviour, driven as readers meet it: the catalogue's filter panel, its
chips and announced count; the contribute form's error summary and its page-address check;
the case-study cards as one link each."""

from __future__ import annotations

import contextlib

from .site_pages import CONTRIBUTE, PAGE_TYPES

CATALOGUE = PAGE_TYPES["catalogue"]


@contextlib.contextmanager
def _catalogue(tabs, width: int):
    with tabs.page(viewport={"width": width, "height": 900}) as page:
        page.goto(CATALOGUE)
        page.wait_for_selector("#catalogue-filters[data-ready=yes]")
        yield page


def test_catalogue_filters_sit_beside_the_results_on_a_desktop(tabs) -> None:
    with _catalogue(tabs, 1280) as page:
        assert page.locator(".catalogue-toggle").is_hidden()
        panel = page.locator("#catalogue-panel").bounding_box()
        results = page.locator("#catalogue-results").bounding_box()
        assert panel and results and panel["x"] + panel["width"] <= results["x"]
        assert panel["y"] < results["y"] + results["height"] and results["y"] < panel["y"] + panel["height"]


def test_catalogue_filters_wait_behind_a_button_with_chips_on_a_phone(tabs) -> None:
    with _catalogue(tabs, 390) as page:
        toggle = page.locator(".catalogue-toggle")
        assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
        assert page.locator("#catalogue-panel").is_hidden()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true" and page.locator("#catalogue-panel").is_visible()
        status = page.locator("#catalogue-status")
        assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
        total = page.locator("#catalogue-results > li").count()
        page.locator("#catalogue-facet-setting summary").click()
        page.locator("#catalogue-facet-setting label", has_text="Mental health").click()
        page.wait_for_function("document.getElementById('catalogue-status').textContent.includes('match')")
        show = page.locator(".catalogue-show")  # the panel ends with the number it will show
        assert show.inner_text() == f"Show {page.locator('#catalogue-results > li').count()} results"
        show.click()
        assert toggle.get_attribute("aria-expanded") == "false" and page.locator("#catalogue-panel").is_hidden()
        assert toggle.inner_text() == "Filter (1)"
        chip = page.locator(".catalogue-chip")
        assert chip.count() == 1 and chip.inner_text().startswith("Setting: Mental health")
        assert chip.get_attribute("aria-label") == "Remove filter Setting: Mental health"
        assert page.locator("#catalogue-results > li").count() < total
        chip.click()
        page.wait_for_function("document.getElementById('catalogue-status').textContent.startsWith('Showing all')")
        assert page.locator(".catalogue-chip").count() == 0 and toggle.inner_text() == "Filter"
        assert page.locator("#catalogue-results > li").count() == total
        assert page.evaluate("document.activeElement.id") == "catalogue-search"  # the focus is not lost


def test_a_card_is_one_link_named_by_its_title(page) -> None:
    page.goto(CATALOGUE)
    page.wait_for_selector("#catalogue-filters[data-ready=yes]")
    card = page.locator("#catalogue-results > li.coprod-card").first
    assert card.locator("a").count() == 1  # one link, its name the title alone
    title = card.locator("a").inner_text()
    card.scroll_into_view_if_needed()
    box = card.bounding_box()
    # a click anywhere on the card (here, near its bottom right corner) follows the title's link
    page.mouse.click(box["x"] + box["width"] - 8, box["y"] + box["height"] - 8)
    page.wait_for_url("**/case-studies/*/")
    assert page.locator("h1").first.inner_text().rstrip("¶").strip() == title


def test_contribute_errors_are_summarised_and_linked_to_their_fields(page) -> None:
    page.goto(CONTRIBUTE)
    page.click("details.cf-editors > summary")  # the file-writing form is for editors, folded
    page.wait_for_selector("#cf-form")
    page.click("#cf-make")
    summary = page.locator("#cf-errors")
    assert summary.is_visible() and summary.locator("h2").inner_text() == "There is a problem"
    assert page.evaluate("document.activeElement.id") == "cf-errors"
    links = summary.locator("a.cf-goto")
    assert links.count() > 3
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert href.startswith("#") and page.locator(href).count() == 1, href
    first = links.first
    target = first.get_attribute("href")[1:]
    first.click()
    assert page.evaluate("document.activeElement.id") == target
    # the field says what is wrong beside it, and is marked invalid
    assert page.get_attribute(f"#{target}", "aria-invalid") == "true"
    described = page.get_attribute(f"#{target}", "aria-describedby").split()
    assert any(page.locator(f"#{i}.cf-error-message").count() == 1 for i in described)


def test_contribute_page_address_is_made_from_the_title_and_checked_as_typed(page) -> None:
    page.goto(CONTRIBUTE)
    page.click("details.cf-editors > summary")  # the file-writing form is for editors, folded
    page.wait_for_selector("#cf-form")
    check = page.locator("#cf-id-check")
    page.fill("#cf-title", "Young carers shaping a study")
    page.dispatch_event("#cf-title", "input")
    assert page.input_value("#cf-id") == "young-carers-shaping-a-study"
    assert check.inner_text() == "Free. The page will be at /case-studies/young-carers-shaping-a-study/."
    page.fill("#cf-id", "index")
    page.dispatch_event("#cf-id", "input")
    assert "taken by the site" in check.inner_text()
    page.fill("#cf-id", "Not An Id")
    page.dispatch_event("#cf-id", "input")
    assert "lower-case" in check.inner_text()
    assert page.locator("details.cf-more").get_attribute("open") is None  # aliases, version: under More options
    assert page.locator("details.cf-more #cf-aliases").count() == 1
    assert page.locator("details.cf-more #cf-version").count() == 1
    steps = page.locator(".cf-progress a").all_inner_texts()
    assert steps == ["About the project", "Who was involved", "What happened", "What changed", "Sources"]
