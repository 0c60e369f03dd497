"""The browser tests' reused tabs (conftest.Tabs) come back to the next test as a new tab
would: nothing one test left on the page reaches the next."""

from __future__ import annotations

import pytest

from .conftest import Tabs


def test_a_tab_comes_back_blank(browser, base_url) -> None:
    tabs = Tabs(browser, base_url)
    try:
        heard: list[str] = []
        with tabs.page() as first:
            first.goto("/about/")
            first.evaluate("localStorage.setItem('left', 'behind'); sessionStorage.setItem('left', 'behind')")
            first.context.add_cookies([{"name": "left", "value": "behind", "url": base_url}])
            first.on("request", lambda r: heard.append(r.url))
            first.route("**/about/", lambda route: route.fulfill(body="routed"))
            first.set_viewport_size({"width": 390, "height": 844})
            with first.context.expect_page():
                first.evaluate("window.open('/')")
        with tabs.page() as again:
            assert again is first  # the same tab, reused
            assert again.url == "about:blank" and again.context.pages == [again]
            assert again.viewport_size == {"width": 1280, "height": 720}
            heard.clear()
            again.goto("/about/")
            assert heard == []  # the first test's listener is gone
            assert "routed" not in again.content()  # and its route
            assert again.evaluate("[localStorage.getItem('left'), sessionStorage.getItem('left')]") == [None, None]
            assert again.context.cookies() == []
    finally:
        tabs.close()


def test_a_tab_whose_test_failed_is_closed_not_reused(browser, base_url) -> None:
    tabs = Tabs(browser, base_url)
    try:
        with pytest.raises(AssertionError), tabs.page() as failed:
            failed.goto("/about/")
            raise AssertionError("the test failed")
        assert failed.is_closed()
        with tabs.page() as next_page:
            assert next_page is not failed
        with tabs.page(viewport={"width": 390, "height": 844}) as phone:
            assert phone is not next_page  # other options, another tab
    finally:
        tabs.close()


_LEFT: list = []


@pytest.mark.xfail(strict=True, reason="fails on purpose, so that the next test sees its page closed")
def test_a_page_fixture_whose_test_fails_is_left_as_it_was(page) -> None:
    _LEFT.append(page)
    raise AssertionError("the test failed")


def test_the_next_test_gets_another_page(page) -> None:
    if not _LEFT:
        pytest.skip("runs after the test above, in the same worker (one file goes to one worker)")
    assert page is not _LEFT[0] and _LEFT[0].is_closed()
