"""The page types of the built site that the browser tests visit, and small helpers shared
by those tests (axe-core, search dialog)."""

from __future__ import annotations

from pathlib import Path

# One address per page type (the brief's list, plus the hand-written About page).
PAGE_TYPES: dict[str, str] = {
    "home": "/",
    "catalogue": "/case-studies/",
    "case study": "/case-studies/partners2-mental-health/",
    "vocabulary list": "/principles/",
    "taxonomy term": "/principles/reciprocity/",
    "country": "/countries/",
    "business case": "/business-case/",
    "claim": "/business-case/relationships-and-trust-at-the-core/",
    "evidence map": "/evidence-map/",
    "references": "/references/",
    "data": "/data/",
    "about": "/about/",
}

CONTRIBUTE = "/contribute/"
SEARCH_QUERY = "mental health"

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
"""WCAG 2.2 level AA: axe-core's rule tags for levels A and AA of 2.0, 2.1 and 2.2."""


def axe_script() -> str:
    """axe-core's browser script, shipped inside the PyPI package axe-playwright-python
    (pinned in pyproject.toml; axe-core 4.12.1): no download at test time."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def contribute_exists(site_dir: Path) -> bool:
    return (site_dir / "contribute" / "index.html").is_file()


SETTLED = """() => document.getAnimations().every(
    a => a.playState !== "running" || a.effect.getComputedTiming().iterations === Infinity)"""
"""No transition or finite animation is running: the page shows what a reader sees once it settles."""


def wait_until_settled(page) -> None:
    page.wait_for_function(SETTLED, timeout=15000)


def open_search(page, query: str = SEARCH_QUERY) -> None:
    """Open Material's search dialog from the keyboard and type ``query``; wait until the
    results for the whole query are shown and faded in (Material fades the dialog in over
    0.4 s; checking colours before that measures a half-transparent result)."""
    page.keyboard.press("/")  # Material's shortcut; focuses the search input
    page.wait_for_function("document.activeElement && document.activeElement.matches('input.md-search__input')")
    page.keyboard.type(query)
    page.wait_for_function(
        """(query) => {
          const status = document.querySelector("#coprod-search-status");
          const output = document.querySelector(".md-search__output");
          return status && status.dataset.state === "done" && status.textContent.includes(query)
            && document.querySelector(".md-search-result__item")
            && output && getComputedStyle(output).opacity === "1";
        }""", arg=query, timeout=15000)
    wait_until_settled(page)


def wait_until_idle(page) -> None:
    page.wait_for_load_state("networkidle")
