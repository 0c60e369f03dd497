"""The built site opens in a real browser without errors."""

from __future__ import annotations


def test_case_study_page_opens(page) -> None:
    page.goto("/case-studies/partners2-mental-health/")
    assert page.locator("h1").first.inner_text().startswith("PARTNERS2")
    assert page.console_errors == [] and page.failed_requests == []


def test_catalogue_filters_narrow_the_list(page) -> None:
    page.goto("/case-studies/?setting=mental-health")
    page.wait_for_selector("#catalogue-filters[data-state=done] input[type=checkbox]:checked", state="attached")
    items = page.locator("#catalogue-results li")
    page.wait_for_function("document.querySelectorAll('#catalogue-results li').length > 0")
    total = page.evaluate("fetch('/data/case-studies.json').then(r => r.json()).then(d => d.records.length)")
    assert 0 < items.count() < total  # some case studies, not all
    assert page.console_errors == []
