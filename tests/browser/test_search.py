"""Search with Pagefind, in a real browser: the header search box and the catalogue.

The shipped site is built once (conftest.site_dir); Pagefind indexes it in the build's
on_post_build hook. Every test fails on a console error or a failed request.
"""

from __future__ import annotations

import re

RESULTS = "#coprod-search-results"
STATUS = "#coprod-search-status"


def search_for(page, text: str, paste: bool = False) -> None:
    """``text`` in the header search, typed letter by letter, or pasted (one query)."""
    page.keyboard.press("/")  # focuses the header search from anywhere
    if paste:
        page.fill("input.md-search__input", text)
    else:
        page.keyboard.type(text)
    page.wait_for_function(
        "q => { const s = document.getElementById('coprod-search-status');"
        " return s.dataset.state === 'done' && s.textContent.includes('\\u201c' + q + '\\u201d'); }", arg=text)


def result_links(page) -> list[str]:
    return page.eval_on_selector_all(f"{RESULTS} a", "links => links.map(a => new URL(a.href).pathname)")


def titles_with(site_dir, **facets: str) -> set[str]:
    """Titles of the case studies whose catalogue facets hold every given term, from the
    site's own data/catalogue.json: what a filtered list may show, whatever the library holds."""
    import json

    data = json.loads((site_dir / "data" / "catalogue.json").read_text(encoding="utf-8"))
    return {case["title"] for case in data["case_studies"]
            if all(term in case["facets"].get(name, []) for name, term in facets.items())}


def no_errors(page) -> None:
    assert page.console_errors == [], page.console_errors
    assert page.failed_requests == [], page.failed_requests


def test_index_is_built_with_the_site(site_dir) -> None:
    assert (site_dir / "pagefind" / "pagefind.js").is_file()
    assert not (site_dir / "search" / "search_index.json").exists()  # Material's search is off
    case = (site_dir / "case-studies" / "partners2-mental-health" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in case and '<span data-pagefind-filter="kind">case-study</span>' in case
    assert 'data-pagefind-filter="principle"' not in case  # the catalogue's facets come from its data file
    catalogue = (site_dir / "case-studies" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" not in catalogue  # lists stay out of the results


def test_a_query_finds_the_expected_case_studies(page) -> None:
    page.goto("/about/")
    search_for(page, "peer researchers")
    links = result_links(page)
    assert "/case-studies/sphr-peer-researchers/" in links
    assert "/case-studies/getting-our-voices-heard/" in links
    assert not any(re.match(r"/(principles|settings|countries|years|case-studies/page)/", p) for p in links)
    first = page.locator(f"{RESULTS} li").first
    assert first.locator("mark").count() > 0  # the matched words are highlighted
    assert "Principles:" in page.inner_text(RESULTS)
    assert re.match(r"\d+ results? for “peer researchers”", page.inner_text(STATUS))
    assert page.get_attribute(STATUS, "role") == "status"
    no_errors(page)


def test_a_query_with_no_match_says_so(page) -> None:
    page.goto("/")
    search_for(page, "zzyzxquux")
    assert page.inner_text(STATUS) == "No results for “zzyzxquux”"
    assert page.locator(f"{RESULTS} li").count() == 0
    no_errors(page)


def test_the_first_answer_shows_five_results_then_more_on_request(page) -> None:
    """Each shown result fetches its fragment: the first answer waits for five, not for
    every result, and "More results" fetches and shows the next ten."""
    page.goto("/")
    fragments: list[str] = []
    page.on("request", lambda r: fragments.append(r.url) if "/pagefind/fragment/" in r.url else None)
    # the whole query at once (pasted): typed letter by letter, a query typed half way ("re",
    # "res") may be answered before the next letter when Pagefind is already in the browser's
    # cache, and its five fragments count too
    search_for(page, "research", paste=True)
    count = int(re.match(r"(\d+) results", page.inner_text(STATUS)).group(1))
    assert count > 15  # the word is on most pages, so both steps are seen
    assert page.locator(f"{RESULTS} li.coprod-search-result").count() == 5
    assert len(fragments) == 5
    page.click(".coprod-search-more")
    page.wait_for_function("document.querySelectorAll('#coprod-search-results li.coprod-search-result').length === 15")
    assert len(fragments) == 15
    assert page.evaluate("document.activeElement === document.querySelectorAll("
                         "'#coprod-search-results li.coprod-search-result')[5].querySelector('a')")  # the 6th has the focus
    no_errors(page)


def test_one_letter_is_not_searched(page) -> None:
    """One letter starts most words: Pagefind would fetch most of its index for it."""
    page.goto("/")
    chunks: list[str] = []
    page.on("request", lambda r: chunks.append(r.url) if "/pagefind/index/" in r.url else None)
    page.keyboard.press("/")
    page.keyboard.type("p")
    page.wait_for_function("document.getElementById('coprod-search-status').dataset.state === 'short'")
    assert page.inner_text(STATUS) == "Type at least 2 letters to search"
    page.wait_for_timeout(300)
    assert chunks == [] and page.locator(f"{RESULTS} li").count() == 0
    page.keyboard.type("eer")
    page.wait_for_function(
        "document.getElementById('coprod-search-status').textContent.includes('\u201cpeer\u201d')"
        " && document.getElementById('coprod-search-status').dataset.state === 'done'")
    assert chunks and page.locator(f"{RESULTS} li").count() > 0
    no_errors(page)


def test_words_repeated_on_every_record_page_are_not_searched(page, site_dir) -> None:
    """The citation box (its RIS says "ELEC"), the page's history ("Anyone may share
    and adapt"), its reference list and the words every case-study page repeats around
    its own are left out of the index."""
    case = (site_dir / "case-studies" / "partners2-mental-health" / "index.html").read_text(encoding="utf-8")
    assert "TY  - ELEC" in case and "Suggest a change to this case study" in case  # on the page, not in the index
    page.goto("/")
    search_for(page, "ELEC")
    assert page.inner_text(STATUS) == "No results for “ELEC”"
    page.goto("/")
    # as a phrase (Pagefind's quotes): its words alone are in many case studies' own text
    search_for(page, '"Suggest a change to this case study"')  # hand-written pages may say so
    assert not [link for link in result_links(page) if link.startswith("/case-studies/")]
    # the words around what each case study says: the GRIPP2 section's opening, the names
    # of the outcome table's columns and of the "At a glance" fields
    assert "is the checklist for reporting patient and public involvement in research" in case
    assert "<th>Outcome area</th>" in case and "<dt>Kinds of evidence</dt>" in case
    for phrase in ("checklist for reporting patient and public involvement", "Outcome area What changed",
                   "Kinds of evidence"):
        page.goto("/")
        search_for(page, f'"{phrase}"')
        assert not [link for link in result_links(page) if link.startswith("/case-studies/")], phrase
    no_errors(page)


def test_search_works_from_a_subfolder_page(page) -> None:
    page.goto("/principles/reciprocity/")
    search_for(page, "reciprocity")
    # addresses from the site's root, not from this page's folder (/principles/principles/...)
    assert all(p.startswith("/") and not p.startswith("/principles/principles/") for p in result_links(page))
    assert result_links(page)[0] == "/principles/reciprocity/"
    assert len(result_links(page)) > 0
    no_errors(page)


def test_the_header_search_by_keyboard_alone(page) -> None:
    page.goto("/evidence-map/")
    search_for(page, "safeguarding")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused and "/case-studies/getting-our-voices-heard/" in focused
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "coprod-search-input"
    page.keyboard.press("Escape")  # closes the results, the focus stays in the box
    assert page.evaluate("document.getElementById('__search').checked") is False
    assert page.evaluate("document.activeElement.id") == "coprod-search-input"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/case-studies/getting-our-voices-heard/")
    no_errors(page)


def tick(page, name: str, key: str, on: bool = True) -> None:
    """Tick (or untick) a catalogue option, opening its facet's group first as a reader would."""
    group = page.locator(f"#catalogue-facet-{name}")
    if not group.evaluate("d => d.open"):
        group.locator("summary").click()
    page.set_checked(f"#catalogue-panel input[name='{name}'][value='{key}']", on)


def ticked(page, name: str) -> list[str]:
    return page.eval_on_selector_all(f"#catalogue-panel input[name='{name}']:checked", "boxes => boxes.map(b => b.value)")


def wait_done(page) -> None:
    page.wait_for_function("document.getElementById('catalogue-filters').dataset.state === 'done'")


def test_catalogue_filters_with_pagefind_and_keeps_the_state_in_the_url(page, site_dir) -> None:
    page.goto("/case-studies/")
    page.wait_for_selector("#catalogue-filters[data-ready=yes]")
    everything = page.locator("#catalogue-results li").count()
    assert page.inner_text("#catalogue-status").startswith("Showing all")
    tick(page, "setting", "mental-health")
    page.wait_for_function("document.getElementById('catalogue-status').textContent.includes('match')")
    narrowed = page.locator("#catalogue-results li").count()
    assert 0 < narrowed < everything
    assert page.url.endswith("/case-studies/?setting=mental-health")
    tick(page, "principle", "reciprocity")
    page.fill("#catalogue-search", "psychosis")
    page.wait_for_url(re.compile(r"q=psychosis"))
    wait_done(page)
    page.wait_for_timeout(100)
    assert page.get_attribute("#catalogue-filters", "data-engine") == "pagefind"  # the words went to Pagefind
    assert page.url.endswith("/case-studies/?q=psychosis&principle=reciprocity&setting=mental-health")
    titles = page.locator("#catalogue-results li > a").all_inner_texts()
    # PARTNERS2 (about psychosis) is found; every result has both chosen terms
    assert any("PARTNERS2" in t for t in titles), titles
    assert set(titles) <= titles_with(site_dir, principle="reciprocity", setting="mental-health"), titles

    page.reload()  # the URL restores the state
    page.wait_for_selector("#catalogue-filters[data-state=done][data-engine=pagefind]")
    assert page.input_value("#catalogue-search") == "psychosis"
    assert ticked(page, "principle") == ["reciprocity"]
    assert ticked(page, "setting") == ["mental-health"]
    assert page.locator("#catalogue-results li > a").all_inner_texts() == titles
    no_errors(page)


def test_catalogue_search_names_its_results_without_their_fragments(page, site_dir) -> None:
    """Pagefind names a result's page only in its fragment: the catalogue reads the
    addresses from the file written with the index, so a search that matches many case
    studies fetches that file once and no fragment, and finds what Pagefind finds."""
    import json

    addresses = json.loads((site_dir / "pagefind" / "case-study-addresses.json").read_text(encoding="utf-8"))
    data = json.loads((site_dir / "data" / "catalogue.json").read_text(encoding="utf-8"))
    assert sorted(addresses.values()) == sorted(case["url"] for case in data["case_studies"])
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if "/pagefind/" in request.url else None)
    page.goto("/case-studies/?q=peer")
    page.wait_for_selector("#catalogue-filters[data-state=done][data-engine=pagefind]")
    found = page.locator("#catalogue-results li > a").all_inner_texts()
    matched = int(re.match(r"(\d+) of \d+ case stud", page.inner_text("#catalogue-status")).group(1))
    assert 5 < matched and len(found) == min(matched, 50), (matched, found)  # 50 shown at first
    assert [url for url in fetched if url.endswith("/case-study-addresses.json")] != []
    assert not [url for url in fetched if "/pagefind/fragment/" in url], fetched
    # Pagefind itself, each result's address read from its fragment, finds the same ones
    urls = page.evaluate("""async () => {
      const pagefind = await import(new URL("../pagefind/pagefind.js", document.baseURI).href);
      await pagefind.options({baseUrl: new URL("..", document.baseURI).pathname});
      const found = await pagefind.search("peer", {filters: {kind: "case-study"}});
      return Promise.all(found.results.map((result) => result.data().then((data) => data.url)));
    }""")
    titles = {case["url"]: case["title"] for case in data["case_studies"]}
    assert len(urls) == matched and set(found) <= {titles[url] for url in urls}
    no_errors(page)


def test_catalogue_without_pagefind_looks_for_the_words_in_its_data_file(tabs, site_dir) -> None:
    """If the index cannot be loaded, the words are looked for in the data file's titles
    and summaries, and the state is kept in and restored from the address the same way."""
    with tabs.page() as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.route("**/pagefind/**", lambda route: route.abort())
        page.goto("/case-studies/?setting=mental-health")
        page.wait_for_selector("#catalogue-filters[data-ready=yes][data-state=done]")
        assert ticked(page, "setting") == ["mental-health"]
        narrowed = page.locator("#catalogue-results li").count()
        tick(page, "setting", "mental-health", on=False)
        page.wait_for_function("document.getElementById('catalogue-status').textContent.startsWith('Showing all')")
        assert 0 < narrowed < page.locator("#catalogue-results li").count()
        assert page.url.endswith("/case-studies/")
        tick(page, "principle", "reciprocity")
        page.fill("#catalogue-search", "psychosis")
        page.wait_for_url(re.compile(r"q=psychosis"))
        page.wait_for_selector("#catalogue-filters[data-state=done][data-engine=data]")
        assert page.url.endswith("/case-studies/?q=psychosis&principle=reciprocity")
        titles = page.locator("#catalogue-results li > a").all_inner_texts()
        assert any("PARTNERS2" in t for t in titles), titles  # PARTNERS2 (about psychosis) is found
        assert set(titles) <= titles_with(site_dir, principle="reciprocity"), titles
        page.reload()
        page.wait_for_selector("#catalogue-filters[data-ready=yes][data-state=done][data-engine=data]")
        assert page.input_value("#catalogue-search") == "psychosis"
        assert ticked(page, "principle") == ["reciprocity"]
        assert page.locator("#catalogue-results li > a").all_inner_texts() == titles
        assert errors == []


def test_catalogue_filters_without_words_fetch_nothing_of_the_index(page, site_dir) -> None:
    """Filters alone are answered from the data file: Pagefind (whose answer to a search for
    nothing is its whole index) is not asked, and every case study can be listed."""
    published = sum("data-pagefind-filter=\"kind\">case-study<" in p.read_text(encoding="utf-8")
                    for p in (site_dir / "case-studies").glob("*/index.html"))
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if "/pagefind/" in request.url else None)
    page.goto("/case-studies/?setting=mental-health")
    page.wait_for_selector("#catalogue-filters[data-ready=yes]")
    wait_done(page)
    tick(page, "setting", "mental-health", on=False)
    page.wait_for_function("document.getElementById('catalogue-status').textContent.startsWith('Showing all')")
    assert page.locator("#catalogue-status").inner_text() == f"Showing all {published} case studies"
    assert page.locator("#catalogue-results li.coprod-card").count() == min(published, 50)
    assert fetched == [], fetched
    no_errors(page)


def test_catalogue_loads_no_pagefind_file_until_it_is_used(page, site_dir) -> None:
    """The catalogue's own list, its controls and their counts come from the page itself:
    Pagefind is fetched only once the reader searches (its script when the search box gets
    focus), and its answer is then the right one."""
    import json

    pagefind: list[str] = []
    page.on("request", lambda request: pagefind.append(request.url) if "/pagefind/" in request.url else None)
    page.goto("/case-studies/")
    page.wait_for_selector("#catalogue-filters[data-ready=yes][data-state=done]")
    page.wait_for_load_state("networkidle")
    assert pagefind == []
    assert page.get_attribute("#catalogue-filters", "data-engine") is None
    data = json.loads((site_dir / "data" / "catalogue.json").read_text(encoding="utf-8"))
    published = len(data["case_studies"])
    assert page.inner_text("#catalogue-status") == f"Showing all {published} case studies"
    # the page's own cards, in its order, in the results list; its own count line hidden
    shown = page.locator("#catalogue-results > li > a").all_inner_texts()
    assert shown and set(shown) <= {case["title"] for case in data["case_studies"]}
    assert page.locator("article p", has_text="of co-produced research, newest first").is_hidden()
    # each option's count is its "Browse by" count, read from the page
    mental = len(titles_with(site_dir, setting="mental-health"))
    option = page.locator("#catalogue-facet-setting li.catalogue-option", has=page.locator("input[value=mental-health]"))
    assert option.locator(".catalogue-option__count").text_content() == f"({mental})"

    page.focus("#catalogue-search")  # the script is fetched ahead of the first key press
    page.wait_for_function("performance.getEntriesByType('resource').some(e => /pagefind\\/pagefind\\.js$/.test(e.name))")
    assert all(url.endswith("/pagefind/pagefind.js") for url in pagefind), pagefind
    tick(page, "setting", "mental-health")
    page.wait_for_function("document.getElementById('catalogue-status').textContent.includes('match')")
    assert page.inner_text("#catalogue-status") == f"{mental} of {published} case studies match"
    titles = page.locator("#catalogue-results > li > a").all_inner_texts()
    assert set(titles) == titles_with(site_dir, setting="mental-health")
    page.fill("#catalogue-search", "psychosis")
    page.keyboard.press("Enter")
    page.wait_for_selector("#catalogue-filters[data-state=done][data-engine=pagefind]")
    assert any("/pagefind/index/" in url for url in pagefind)

    page.fill("#catalogue-search", "")
    tick(page, "setting", "mental-health", on=False)  # cleared: every case study again, newest first
    page.wait_for_function("document.getElementById('catalogue-status').textContent.startsWith('Showing all')")
    assert page.locator("#catalogue-results > li > a").all_inner_texts() == shown
    assert page.url.endswith("/case-studies/")
    no_errors(page)
