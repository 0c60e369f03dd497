"""A reader's task in the catalogue, in a real browser at 390 px (touch) and 1280 px:
"find case studies about mental health with young people".

After the search and after each filter, every option's count shown is checked against the
site's own data/catalogue.json and Pagefind's own answer for the words: an option's count
is the number of case studies the list would hold once it is chosen (for an option already
chosen, how many listed case studies have it). Several terms of one facet widen the list
(OR); facets narrow it (AND). The static page (no JavaScript) shows the same counts.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urljoin

import pytest

from coprod.read.urls import CATALOGUE_PAGE_SIZE

from .site_pages import PAGE_TYPES

CATALOGUE = PAGE_TYPES["catalogue"]
QUERY = "young people"


def _data(site_dir):
    data = json.loads((site_dir / "data" / "catalogue.json").read_text(encoding="utf-8"))
    return data["facets"], data["case_studies"]


def _results(pool: list[dict], chosen: dict[str, set[str]]) -> list[dict]:
    return [case for case in pool
            if all(not keys or keys & set(case["facets"].get(name, [])) for name, keys in chosen.items())]


def expected_counts(facets, pool, chosen) -> dict[str, dict[str, int]]:
    """What each option should say: for a term not chosen, the size of the list once it is
    chosen too; for a chosen term, how many of the listed case studies have it."""
    listed = _results(pool, chosen)
    counts: dict[str, dict[str, int]] = {}
    for facet in facets:
        name = facet["name"]
        counts[name] = {}
        for key, _label in facet["terms"]:
            if key in chosen.get(name, set()):
                counts[name][key] = sum(key in case["facets"].get(name, []) for case in listed)
            else:
                wider = {**chosen, name: chosen.get(name, set()) | {key}}
                counts[name][key] = len(_results(pool, wider))
    return counts


def shown_counts(page) -> dict[str, dict[str, tuple[int, bool, bool]]]:
    """Each option on screen: facet -> key -> (count, offered, ticked)."""
    rows = page.eval_on_selector_all("#catalogue-panel li.catalogue-option", """items => items.map(li => {
        const box = li.querySelector('input');
        return [box.name, box.value, li.querySelector('.catalogue-option__count').textContent,
                !li.hidden && !li.closest('details').hidden, box.checked];
    })""")
    shown: dict[str, dict[str, tuple[int, bool, bool]]] = {}
    for name, key, count, offered, ticked in rows:
        number = re.fullmatch(r"\((\d+)\)", count)
        assert number, f"{name}/{key}: count shown as {count!r}"
        shown.setdefault(name, {})[key] = (int(number.group(1)), offered, ticked)
    return shown


def check_counts(page, facets, pool, chosen) -> list[dict]:
    """Every option's count, whether it is offered, and the list itself, against the data."""
    want = expected_counts(facets, pool, chosen)
    shown = shown_counts(page)
    offered_terms = 0
    for facet in facets:
        for key, label in facet["terms"]:
            ticked = key in chosen.get(facet["name"], set())
            if facet["name"] not in shown or key not in shown[facet["name"]]:
                # not on the page at all: only a term no case study has
                assert not any(key in c["facets"].get(facet["name"], []) for c in pool), (facet["name"], key)
                continue
            count, offered, is_ticked = shown[facet["name"]][key]
            assert is_ticked == ticked, (facet["name"], key)
            assert count == want[facet["name"]][key], (
                f"{facet['label']}: {label} shows ({count}), the data says {want[facet['name']][key]} "
                f"(after {chosen} and the words {QUERY!r})")
            assert offered == (count > 0 or ticked), f"{label}: offered={offered} with ({count})"
            offered_terms += offered
    assert offered_terms > 0
    listed = _results(pool, chosen)
    page_titles = page.locator("#catalogue-results > li .coprod-card__title").all_inner_texts()
    if not page.locator("#catalogue-search").input_value() and not any(chosen.values()) \
            and len(listed) > CATALOGUE_PAGE_SIZE:
        # nothing asked yet: the page as built, its first page of cards and its pager
        assert len(page_titles) == CATALOGUE_PAGE_SIZE and set(page_titles) <= {case["title"] for case in listed}
        assert page.locator("nav.md-pager, .coprod-pager, a[href='page/2/']").count() > 0
        assert page.inner_text("#catalogue-status") == f"Showing all {len(listed)} case studies"
    else:
        assert sorted(page_titles) == sorted(case["title"] for case in listed)
    return listed


def pagefind_answer(page, words: str) -> set[str]:
    """The case studies Pagefind finds for ``words``: asked directly, not through the catalogue."""
    return set(page.evaluate("""async (words) => {
        const pagefind = await import('/pagefind/pagefind.js');
        const found = await pagefind.search(words, { filters: { kind: 'case-study' } });
        const data = await Promise.all(found.results.map(r => r.data()));
        return data.map(d => d.url);
    }""", words))


def wait_done(page) -> None:
    page.wait_for_function("document.getElementById('catalogue-filters').dataset.state === 'done'")


def choose(page, facet_label: str, term_label: str, phone: bool) -> None:
    """Tick a term as a reader does: open its facet's group, then tap or click its label."""
    group = page.locator("#catalogue-panel details.catalogue-facet", has=page.locator("summary", has_text=facet_label))
    if not group.evaluate("d => d.open"):
        summary = group.locator("summary")
        summary.tap() if phone else summary.click()
    label = group.locator("li.catalogue-option label", has_text=re.compile("^" + re.escape(term_label) + r" \("))
    label.tap() if phone else label.click()
    wait_done(page)


def in_view(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """e => { const r = e.getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }""")


@pytest.mark.parametrize("width", [390, 1280])
def test_find_case_studies_about_mental_health_with_young_people(tabs, base_url, site_dir, width: int) -> None:
    phone = width == 390
    facets, cases = _data(site_dir)
    with tabs.page(viewport={"width": width, "height": 844 if phone else 900}, has_touch=phone, is_mobile=phone) as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto(CATALOGUE)
        page.wait_for_selector("#catalogue-filters[data-ready=yes][data-state=done]")
        if phone:  # on a phone the facets wait behind the Filter button
            assert page.locator("#catalogue-panel").is_hidden()
        check_counts(page, facets, cases, {})  # before anything: the page's own counts

        page.fill("#catalogue-search", QUERY)
        page.keyboard.press("Enter")
        wait_done(page)
        urls = {address.removeprefix(base_url) for address in pagefind_answer(page, QUERY)}
        pool = [case for case in cases if case["url"] in urls]
        assert pool, "the words find something"
        assert page.get_attribute("#catalogue-filters", "data-engine") == "pagefind"
        listed = check_counts(page, facets, pool, {})
        assert page.inner_text("#catalogue-status") == f"{len(listed)} of {len(cases)} case studies match"

        steps = [("Setting", "setting", "mental-health"), ("Setting", "setting", "children-and-young-people")]
        chosen: dict[str, set[str]] = {}
        for facet_label, name, key in steps:
            label = dict(next(f for f in facets if f["name"] == name)["terms"])[key]
            if phone:
                page.locator(".catalogue-toggle").tap()
                assert page.locator("#catalogue-panel").is_visible()
            promised = shown_counts(page)[name][key][0]  # what the option says choosing it gives
            choose(page, facet_label, label, phone)
            chosen.setdefault(name, set()).add(key)
            listed = check_counts(page, facets, pool, chosen)
            assert len(listed) == promised, f"{label} promised {promised}, gave {len(listed)}"
            if phone:
                show = page.locator(".catalogue-show")
                assert show.inner_text() == f"Show {len(listed)} result" + ("s" if len(listed) != 1 else "")
                show.tap()
                assert page.locator("#catalogue-panel").is_hidden()
            # the count and the chosen filters are in view, not pushed down the page
            assert in_view(page, "#catalogue-status") and in_view(page, ".catalogue-chips")
            chips = page.locator(".catalogue-chip").all_inner_texts()
            assert any(label in chip for chip in chips), chips
            assert page.locator("#catalogue-results > li").first.is_visible()

        # a facet narrows (AND) what the other widened (OR): one principle the list has
        principle = next(key for key, _ in next(f for f in facets if f["name"] == "principle")["terms"]
                         if shown_counts(page)["principle"].get(key, (0,))[0])
        label = dict(next(f for f in facets if f["name"] == "principle")["terms"])[principle]
        if phone:
            page.locator(".catalogue-toggle").tap()
        choose(page, "Principle", label, phone)
        chosen["principle"] = {principle}
        check_counts(page, facets, pool, chosen)
        assert re.search(r"q=young\+people", page.url) and "setting=mental-health" in page.url
        assert "setting=children-and-young-people" in page.url and f"principle={principle}" in page.url

        page.reload()  # the address restores the whole view
        page.wait_for_selector("#catalogue-filters[data-ready=yes][data-state=done]")
        check_counts(page, facets, pool, chosen)
        assert errors == []


def test_the_page_without_javascript_shows_the_same_counts(tabs, site_dir) -> None:
    facets, cases = _data(site_dir)
    want = expected_counts(facets, cases, {})
    with tabs.page(java_script_enabled=False) as page:
        page.goto(CATALOGUE)
        entries = page.eval_on_selector_all("h2#browse-by ~ ul li", "items => items.map(li => li.textContent)")
        links = page.eval_on_selector_all("h2#browse-by ~ ul li a", "links => links.map(a => a.getAttribute('href'))")
        assert len(entries) == len(links) > 0
        for facet in facets:
            for key, label in facet["terms"]:
                line = f"{label} ({want[facet['name']][key]})"
                assert (line in entries) == (want[facet["name"]][key] > 0), line  # no "(0)" links


def test_the_list_can_be_sorted_and_exported(tabs, site_dir, tmp_path) -> None:
    facets, cases = _data(site_dir)
    with tabs.page(accept_downloads=True) as page:
        page.goto(CATALOGUE + "?setting=mental-health")
        page.wait_for_selector("#catalogue-filters[data-ready=yes][data-state=done]")
        page.select_option("#catalogue-sort", "title")
        wait_done(page)
        titles = page.locator("#catalogue-results > li .coprod-card__title").all_inner_texts()
        mental = [case["title"] for case in cases if "mental-health" in case["facets"].get("setting", [])]
        # the RIS keywords: the labels of the facets the schema marks "keywords" (principles, settings)
        labels = {(f["name"], key): label for f in facets if f.get("keywords") for key, label in f["terms"]}
        keywords = [f"KW  - {labels[name, key]}" for case in cases if case["title"] in mental
                    for name, keys in case["facets"].items() for key in keys if (name, key) in labels]
        assert any("Mental health" in line for line in keywords)
        assert titles == sorted(mental, key=str.casefold)
        assert "sort=title" in page.url
        page.locator("details.catalogue-export summary").click()
        for format_, check in (("csv", lambda text: text.count("\r\n") == len(mental) + 1),
                               ("ris", lambda text: text.count("ER  - ") == len(mental)
                                and sorted(re.findall(r"^KW  - .*?(?=\r?$)", text, re.MULTILINE)) == sorted(keywords)),
                               ("bib", lambda text: text.count("@misc{") == len(mental))):
            with page.expect_download() as download:
                page.click(f".catalogue-export__button[data-format={format_}]")
            path = tmp_path / f"list.{format_}"
            download.value.save_as(path)
            text = path.read_bytes().decode("utf-8")
            assert check(text), (format_, text[:300])
            assert all(title.split(",")[0] in text for title in mental)


def test_hostile_data_stays_text_and_links_only_to_case_studies(tabs, base_url, site_dir) -> None:
    """A data file with markup in a title and addresses that are not case studies: the
    markup shows as text, and no card links anywhere but a case study on this site."""
    data = json.loads((site_dir / "data" / "catalogue.json").read_text(encoding="utf-8"))
    first = data["case_studies"][0]
    first_key = first["facets"]["principle"][0]
    for case_id, url in (("evil", "javascript:alert(1)"), ("evil-two", "//evil.example/case-studies/x/"),
                         ("evil-three", "/case-studies/evil-three/")):
        data["case_studies"].append({"id": case_id, "title": f"<img src=x onerror=alert(1)>{case_id}", "summary": "s",
                                     "url": url, "facets": {"principle": [first_key]}})
    with tabs.page() as page:
        page.route("**/data/catalogue.json", lambda route: route.fulfill(
            status=200, content_type="application/json", body=json.dumps(data)))
        page.goto(f"{CATALOGUE}?principle={first_key}")
        page.wait_for_selector("#catalogue-filters[data-ready=yes][data-state=done]")
        assert page.locator("#catalogue-results img").count() == 0
        hrefs = page.eval_on_selector_all("#catalogue-results a", "links => links.map(a => a.href)")
        assert hrefs and all(re.fullmatch(re.escape(base_url) + r"/case-studies/[a-z0-9-]+/", h) for h in hrefs), hrefs
        shown = page.locator("#catalogue-results > li .coprod-card__title").all_inner_texts()
        assert "<img src=x onerror=alert(1)>evil-three" in shown  # a safe address, its title as text
        assert not any(title.endswith(("evil", "evil-two")) for title in shown)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_gap_map_cell_opens_the_catalogue_filtered_to_it(tabs, width: int) -> None:
    """See where evidence is missing: the finding is said above each grid, the page never
    scrolls sideways, and a number in a grid (outcome areas against enablers) opens the
    catalogue listing exactly that many case studies."""
    with tabs.page(viewport={"width": width, "height": 844}, has_touch=width == 390, is_mobile=width == 390) as page:
        page.goto("/evidence-map/")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        # the finding in words, and its count of gaps is the grid's (whatever the evidence is today)
        finding = " ".join(page.locator("#map-evidence ~ p.coprod-finding").all_inner_texts())
        said = re.search(r"(\d+) of the (\d+) combinations have at least one case study; (\d+) (?:is a gap|are gaps)\.",
                         finding)
        assert said, finding
        gaps = page.locator("#map-evidence ~ div.coprod-evidence-map").first.locator("td.coprod-map-gap").count()
        assert int(said.group(3)) == gaps and int(said.group(1)) + gaps == int(said.group(2)), (finding, gaps)
        assert page.evaluate("document.documentElement.scrollHeight") < 12 * 844  # not 70 phone screens
        cell = page.locator("#map-enablers ~ div.coprod-evidence-map td.coprod-map-count a").first
        number = int(cell.evaluate("a => a.firstChild.nodeValue"))  # DOM text: the grid may not be laid out yet (content-visibility)
        cell.scroll_into_view_if_needed()
        cell.tap() if width == 390 else cell.click()
        page.wait_for_url("**/case-studies/?enabler=*")
        page.wait_for_selector("#catalogue-filters[data-ready=yes][data-state=done]")
        assert page.inner_text("#catalogue-status").startswith(f"{number} of ")
        assert page.locator("#catalogue-results > li").count() == number


def _static_cards(site_dir) -> dict[str, str]:
    """Every case study's card as the static catalogue pages have it: its address under the
    site's root -> the card's inside, its link's address left out (each page's is relative)."""
    cards: dict[str, str] = {}
    pages = [site_dir / "case-studies" / "index.html", *sorted((site_dir / "case-studies" / "page").glob("*/index.html"))]
    for path in pages:
        address = "/" + path.parent.relative_to(site_dir).as_posix() + "/"
        text = path.read_text(encoding="utf-8").split('id="browse-by"')[0]
        for inside in re.findall(r'<li class="coprod-card">(.*?)</li>\n', text):
            href = re.search(r'<a class="coprod-card__link coprod-card__title" href="([^"]+)"', inside).group(1)
            cards[urljoin(address, href)] = inside.replace(f'href="{href}"', 'href=""', 1)
    return cards


def test_every_result_is_the_full_card_past_the_first_page(tabs, site_dir) -> None:
    """A case study from another page of the catalogue is shown by the same card the static
    pages show (the page's <template> card, made from the same template, filled from the
    data file), not by a title and a summary."""
    static = _static_cards(site_dir)
    assert len(static) > CATALOGUE_PAGE_SIZE, "the shipped library fits one page: this test needs two"
    first_page = set(re.findall(r'<li class="coprod-card"><a class="coprod-card__link coprod-card__title" href="([^"]+)"',
                                (site_dir / "case-studies" / "index.html").read_text(encoding="utf-8")))
    with tabs.page() as page:
        page.goto(CATALOGUE + "?sort=title")
        page.wait_for_selector("#catalogue-filters[data-ready=yes][data-state=done]")
        more = page.get_by_role("button", name="Show more")
        while more.is_visible():
            more.click()
        shown = page.eval_on_selector_all("#catalogue-results > li.coprod-card", """items => items.map(li => {
            const link = li.querySelector('a.coprod-card__title');
            const href = link.getAttribute('href');
            link.setAttribute('href', '');
            return [href, li.innerHTML];
        })""")
        assert sorted(href for href, _ in shown) == sorted(static)
        from_template = [href for href, _ in shown if urljoin(CATALOGUE, href) not in
                         {urljoin(CATALOGUE, h) for h in first_page}]
        assert from_template, "every result came from the first page"
        for href, inside in shown:
            assert html.unescape(inside) == html.unescape(static[href]), href


def test_a_first_view_cell_lists_the_case_studies_of_the_same_outcome(tabs, site_dir) -> None:
    """Outcomes against kinds of evidence: a number opens the catalogue listing exactly that
    many case studies, those whose same outcome is in the area and known by the kind (not
    any outcome in the area and any known by the kind), with the pairing shown as a filter
    the reader can remove."""
    _facets, cases = _data(site_dir)
    built = (site_dir / "evidence-map" / "index.html").read_text(encoding="utf-8")
    first = built.split('id="map-evidence"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'<a class="coprod-map-d\d+" href="\.\./case-studies/\?outcome=([^&]+)&amp;evidence=([^&]+)&amp;'
                       r'same=[^"]+" aria-label="[^"]+">(\d+)</a>', first)
    assert cells, "no cell of the first view links to the catalogue"
    # a cell where "any outcome in the area, any outcome known by the kind" lists more
    wider = [(area, kind, int(n)) for area, kind, n in cells
             if sum(area in c["facets"].get("outcome", []) and kind in c["facets"].get("evidence", []) for c in cases)
             > int(n)]
    if not wider:
        pytest.skip("every case study's outcomes in today's evidence give the same lists either way")
    area, kind, number = wider[0]
    with tabs.page() as page:
        page.goto("/evidence-map/")
        cell = page.locator(f'#map-evidence ~ div.coprod-evidence-map a[href*="outcome={area}&evidence={kind}&"]').first
        cell.scroll_into_view_if_needed()
        cell.click()
        page.wait_for_selector("#catalogue-filters[data-ready=yes][data-state=done]")
        assert page.inner_text("#catalogue-status").startswith(f"{number} of ")
        assert page.locator("#catalogue-results > li").count() == number
        page.get_by_role("button", name="Remove filter Both for the same outcome").click()
        wait_done(page)
        assert page.locator("#catalogue-results > li").count() > number
        assert "same=" not in page.url
