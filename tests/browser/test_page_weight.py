"""Page weight: what a phone downloads to show a case study, measured in Chromium.

Budget, for a phone on a slow connection: "slow 3G" is about 400 kbit/s (50 KB/s) with
0.4 s of round trips; a first view within about 5 s leaves about 4 s of transfer, so
:data:`BUDGET_BYTES` = 200 KB for the page with its CSS, JavaScript, fonts and images,
compressed as any web host sends text (gzip). Material's search index is fetched by a
background worker after the page is shown; it grows with the library, so it is counted
separately against :data:`SEARCH_INDEX_BUDGET_BYTES`, not in the first view.

The test server sends files uncompressed, so each text response is gzipped here (level 6,
what web servers use by default) to get the bytes a reader would transfer; the raw figure
is printed too.
"""

from __future__ import annotations

import gzip

CASE_STUDY = "/case-studies/partners2-mental-health/"
CATALOGUE = "/case-studies/"
BUDGET_BYTES = 200_000
SEARCH_INDEX_BUDGET_BYTES = 1_500_000
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


def first_view(browser, base_url, path: str) -> list[tuple[str, int, int]]:
    """(address, raw bytes, bytes a host sends) of every response while ``path`` loads, in
    a fresh context (nothing cached), until the network is idle."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    responses = []
    page.on("response", lambda r: responses.append(r))
    try:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        rows = []
        for response in responses:
            if response.request.resource_type == "document" and response.url.rstrip("/").endswith("favicon.ico"):
                continue
            if 300 <= response.status < 400:
                continue  # a redirect has no body
            body = response.body()
            kind = response.headers.get("content-type", "")
            sent = len(gzip.compress(body, 6)) if kind.startswith(TEXT_TYPES) else len(body)
            rows.append((response.url.replace(base_url, ""), len(body), sent))
    finally:
        context.close()
    for url, raw, sent in sorted(rows, key=lambda r: -r[2]):
        print(f"{sent:>9,} B gzip {raw:>9,} B raw  {url}")
    return rows


def test_case_study_page_weight(browser, base_url) -> None:
    rows = first_view(browser, base_url, CASE_STUDY)
    index = [r for r in rows if r[0].endswith("search_index.json")]
    first_view_rows = [r for r in rows if not r[0].endswith("search_index.json")]
    total_raw = sum(r[1] for r in first_view_rows)
    total = sum(r[2] for r in first_view_rows)
    print(f"case study first view: {total:,} bytes transferred (gzip), {total_raw:,} raw; budget {BUDGET_BYTES:,}")
    assert total <= BUDGET_BYTES, f"{CASE_STUDY} weighs {total:,} bytes (gzip), over the budget of {BUDGET_BYTES:,}"
    for url, raw, sent in index:
        print(f"search index: {sent:,} bytes (gzip), {raw:,} raw; budget {SEARCH_INDEX_BUDGET_BYTES:,}")
        assert sent <= SEARCH_INDEX_BUDGET_BYTES, f"the search index weighs {sent:,} bytes (gzip)"


def test_catalogue_page_weight_has_no_search_index(browser, base_url) -> None:
    """The catalogue shows its own list: a reader who only reads it fetches nothing of
    Pagefind (its script, WebAssembly, metadata and fragments were 150 KB of its 248 KB),
    so it keeps to the same budget as a case study."""
    rows = first_view(browser, base_url, CATALOGUE)
    assert not [url for url, _, _ in rows if "/pagefind/" in url]
    total = sum(r[2] for r in rows)
    print(f"catalogue first view: {total:,} bytes transferred (gzip); budget {BUDGET_BYTES:,}")
    assert total <= BUDGET_BYTES, f"{CATALOGUE} weighs {total:,} bytes (gzip), over the budget of {BUDGET_BYTES:,}"
