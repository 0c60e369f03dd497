"""Bar charts drawn at build time as inline SVG, each with its numbers as a table.

No outside chart service and no JavaScript: :func:`bar_chart` returns an HTML
``<figure>`` holding an SVG image that screen readers announce by its ``<title>`` and
``<desc>``, and a ``<details>`` table with the same numbers. Python computes the numbers
(every position and size); the markup is the template ``overrides/partials/coprod/chart.html``,
rendered by :mod:`coprod.render.templates`, which escapes every piece of text. hrefs must
already be relative URLs (see :func:`coprod.read.urls.href`), since MkDocs does not rewrite
links in raw HTML.
"""

from __future__ import annotations

import re
from collections import Counter

from ..model import CaseStudy, Library
from ..read import urls
from ..read.kinds import CASE_STUDY, CLAIM
from ..render import templates

Row = tuple[str, int, "str | None"]  # label, value, href (relative URL) or None

WIDTH = 480  # viewBox units; the SVG scales to the width of the page
ROW_HEIGHT = 46
LABEL_SIZE = 14
BAR_HEIGHT = 18
VALUE_ROOM = 56  # room right of the longest bar for its number
MAX_LABEL_CHARS = 60  # longer labels are shortened in the picture (never in the table)
BAR_FALLBACK = "#4051b5"  # Material's default indigo, for when its CSS variables are absent
_CHART_ID = re.compile(r"^[a-z][a-z0-9-]*\Z")


def bar_chart(title: str, rows: list[Row], *, chart_id: str, label_heading: str = "Item",
              value_heading: str = "Number", note: str = "") -> str:
    """A horizontal bar chart as a raw HTML ``<figure>``: inline SVG plus a data table.

    ``rows`` are (label, value, href or None), drawn in the order given. ``chart_id`` must
    be unique on the page (lower-case letters, digits and hyphens). ``note`` is shown
    under the title, for what the chart leaves out.
    """
    if not _CHART_ID.match(chart_id):
        raise ValueError(f"chart_id must be lower-case letters, digits and hyphens, not {chart_id!r}")
    largest = max((value for _, value, _ in rows), default=0) or 1
    chart = {"id": chart_id, "title": title, "note": note, "label_heading": label_heading,
             "value_heading": value_heading, "width": WIDTH, "height": len(rows) * ROW_HEIGHT + 4,
             "font_size": LABEL_SIZE, "bar_height": BAR_HEIGHT, "fill": BAR_FALLBACK,  # extra.css: the palette's colour
             "description": _description(rows),
             "bars": [_bar(index * ROW_HEIGHT, label, value, href, largest)
                      for index, (label, value, href) in enumerate(rows)]}
    return templates.render("chart.html", chart=chart)


def _bar(top: int, label: str, value: int, href: str | None, largest: int) -> dict:
    """One row's numbers: where its label, bar and value go in the picture."""
    width = round((WIDTH - VALUE_ROOM) * max(value, 0) / largest, 1)
    bar_top = top + LABEL_SIZE + 6
    return {"label": _shorten(label), "name": label, "value": value, "href": href, "label_y": top + LABEL_SIZE,
            "top": bar_top, "width": _num(width) if width > 0 else "", "value_x": _num(width + 6),
            "value_y": bar_top + BAR_HEIGHT - 4}


def _description(rows: list[Row]) -> str:
    parts = "; ".join(f"{label}: {value}" for label, value, _ in rows)
    return f"Bar chart. {parts}. The same numbers are in the table below the chart."


def _shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1].rstrip() + "…"


def _num(value: float) -> str:
    return f"{value:g}"


# ---------------------------------------------------------------------------------------
# The library's charts.

def counted_case_studies(library: Library) -> list[CaseStudy]:
    """The case studies that charts and the evidence map count: published, not retracted."""
    return library.current(CASE_STUDY.key)


def case_study_charts(library: Library, page_uri: str) -> str:
    """Case studies by start year, by setting and by principle; links relative to ``page_uri``."""
    records = counted_case_studies(library)
    return "\n\n".join([
        _year_chart(records, page_uri, library),
        _term_chart(library, records, library.vocabulary_of("settings"), page_uri,
                    title="Case studies by setting", chart_id="chart-case-studies-by-setting", heading="Setting"),
        _term_chart(library, records, library.vocabulary_of("principles", "principle"), page_uri,
                    title="Case studies by principle", chart_id="chart-case-studies-by-principle",
                    heading="Principle"),
    ])


def claims_by_strength_chart(library: Library, page_uri: str) -> str:
    """Published claims of the business case by strength of evidence, strongest first."""
    claims = library.current(CLAIM.key)
    counts = Counter(r.strength for r in claims)
    strengths = library.taxonomy.get(library.vocabulary_of("strength", kind=CLAIM.key))
    rows: list[Row] = [(term.label, counts[key], None) for key, term in (strengths.terms.items() if strengths else [])]
    return bar_chart("Claims by strength of evidence", rows, chart_id="chart-claims-by-strength",
                     label_heading="Strength of evidence", value_heading="Claims")


def _year_chart(records: list[CaseStudy], page_uri: str, library: Library) -> str:
    years = Counter(r.start_year for r in records if r.start_year is not None)
    missing = sum(1 for r in records if r.start_year is None)
    facet = library.fields.facet_at("project", "start_year")  # its browse pages, if the schema has them

    def page(year: int) -> str | None:
        return urls.href(page_uri, facet.page(facet.key_of(year))) if facet is not None else None

    rows: list[Row] = [(str(y), years[y], page(y)) for y in sorted(years)]
    note = ""
    if missing:
        verb, pronoun = ("does", "it is") if missing == 1 else ("do", "they are")
        note = (f"{CASE_STUDY.counted(missing)} {verb} not say when the project started, "
                f"so {pronoun} not in this chart.")
    return bar_chart("Case studies by the year the project started", rows, chart_id="chart-case-studies-by-year",
                     label_heading="Year", value_heading="Case studies", note=note)


def _term_chart(library: Library, records: list[CaseStudy], vocabulary: str, page_uri: str, *,
                title: str, chart_id: str, heading: str) -> str:
    """Counts of case studies per term, most first (ties in taxonomy order), zeros kept."""
    vocab = library.taxonomy.get(vocabulary)
    terms = list(vocab.terms.values()) if vocab else []
    counts = Counter(key for record in records for key in record.keys_of(vocabulary))
    order = sorted(range(len(terms)), key=lambda i: (-counts[terms[i].key], i))
    rows: list[Row] = [(terms[i].label, counts[terms[i].key], urls.href(page_uri, library.term_page(vocabulary, terms[i].key)))
                       for i in order]
    return bar_chart(title, rows, chart_id=chart_id, label_heading=heading, value_heading="Case studies")


