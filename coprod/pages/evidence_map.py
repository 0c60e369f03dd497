"""The evidence gap map, ``/evidence-map/``: first the outcome areas against the kinds of
evidence (how we know each outcome), then enablers, barriers and principles against
outcome areas. Each view is one table (row and column headers for screen readers), with
its finding stated in words above it, computed from the counts, and a key. A filled cell
holds a circle whose area is proportional to its number of case studies, and links to the
catalogue filtered to that combination (the catalogue is the list: no titles are repeated
here); an empty cell is a gap, a dashed square. A view with no gaps says so in one line,
its table folded away.

A case study reports a combination when it lists the principle (or enabler, or barrier)
and has an outcome in that area; in the first view, when it has an outcome in that area
known by that kind of evidence. Only published case studies count; retracted ones do not.
The page is HTML from the templates overrides/partials/coprod/evidence-map.html (and the
map-*.html it includes), with relative URLs; Python-Markdown never reads it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

from ..model import CaseStudy, Library
from ..read import urls
from ..read.taxonomy import Term
from ..read.urls import href as relative_url
from ..render import templates
from . import Page, html_page
from .charts import bar_chart, case_study_charts, counted_case_studies

__all__ = ["Grid", "build_grid", "catalogue_filter", "cell_anchor", "evidence_map_page", "findings", "relative_url"]

TITLE = "Evidence gap map"
URI = urls.EVIDENCE_MAP


AREAS = ("outcomes", "area")  # the case study's field of outcome areas
KINDS = ("outcomes", "evidence")  # and of the kinds of evidence for each outcome


@dataclass(frozen=True)
class View:
    """One matrix of the map: the terms of a field (rows) against the outcome areas (or, for
    the first view, the outcome areas against the kinds of evidence). Fields are named as
    the model names them; their vocabularies come from the schema."""

    field: tuple  # the case study's field holding the rows' keys
    prefix: str  # anchors of its cells start with this
    singular: str  # "principle"
    heading: str  # the section heading
    anchor: str  # the section's id
    columns: tuple = AREAS  # the case study's field holding the columns' keys
    column_prefix: str = "o"
    column_singular: str = "outcome area"  # a column in words, for the view's finding

    def vocabulary(self, library: Library) -> str:
        return library.vocabulary_of(*self.field)

    def column_vocabulary(self, library: Library) -> str:
        return library.vocabulary_of(*self.columns)

    def pairs(self, record: CaseStudy, vocabulary: str) -> set[tuple[str, str]]:
        """The (row, column) combinations one case study reports (``vocabulary``: the rows')."""
        if self.columns == AREAS:
            areas = outcome_areas(record)
            return {(row, area) for row in record.keys_of(vocabulary) for area in areas}
        return {(o.area, o.evidence) for o in record.outcomes}


EVIDENCE = View(AREAS, "o", "outcome area", "Outcomes and how we know them", "map-evidence",
                columns=KINDS, column_prefix="k", column_singular="kind of evidence")
ENABLERS = View(("enablers", "enabler"), "e", "enabler", "Enablers and outcome areas", "map-enablers")
BARRIERS = View(("barriers", "barrier"), "b", "barrier", "Barriers and outcome areas", "map-barriers")
PRINCIPLES = View(("principles", "principle"), "p", "principle", "Principles and outcome areas",
                  "map-principles")
GROUPS = View(("groups",), "g", "group", "Who was involved and outcome areas", "map-groups")
# The first view shows the most gaps that matter: how each outcome is known (no case study
# yet has an independent evaluation). Principles come last: every case study shows most of
# them, so that matrix is nearly full and says little on its own. Who was involved comes
# second: evidence gap maps commonly ask which populations the evidence covers.
VIEWS = (EVIDENCE, GROUPS, ENABLERS, BARRIERS, PRINCIPLES)


@dataclass
class Grid:
    """The counted combinations of one view: (row key, outcome area) -> case studies."""

    view: View
    rows: list[Term]
    columns: list[Term]
    cells: dict[tuple[str, str], list[CaseStudy]]

    def cell(self, row: str, column: str) -> list[CaseStudy]:
        return self.cells.get((row, column), [])

    def largest(self) -> int:
        return max((len(records) for records in self.cells.values()), default=0)


def evidence_map_page(library: Library) -> Page:
    """The map's page, from overrides/partials/coprod/evidence-map.html."""
    records = counted_case_studies(library)
    grids = [build_grid(library, view, records) for view in VIEWS]
    linked = {record.id for grid in grids for cell in grid.cells.values() for record in cell}
    return html_page(URI, "evidence-map.html", TITLE, frozenset(linked), count=len(records),
                     grids=[_grid_view(library, grid) for grid in grids],
                     charts=templates.raw(case_study_charts(library, URI)),
                     kinds_chart=templates.raw(_evidence_kinds_chart(library)))


def build_grid(library: Library, view: View, records: list[CaseStudy]) -> Grid:
    """Count which case studies report each (row term, column term) pair of ``view``."""
    vocabulary = view.vocabulary(library)
    rows = _terms(library, vocabulary)
    columns = _terms(library, view.column_vocabulary(library))
    row_keys, column_keys = {t.key for t in rows}, {t.key for t in columns}
    cells: dict[tuple[str, str], list[CaseStudy]] = {}
    for record in sorted(records, key=_title_order):
        for pair in view.pairs(record, vocabulary):
            if pair[0] in row_keys and pair[1] in column_keys:
                cells.setdefault(pair, []).append(record)
    return Grid(view, rows, columns, cells)


def first_view_summary(library: Library) -> tuple[int, int]:
    """(combinations with a case study, all combinations) of the map's first view."""
    grid = build_grid(library, VIEWS[0], counted_case_studies(library))
    total = len(grid.rows) * len(grid.columns)
    return sum(1 for r in grid.rows for c in grid.columns if grid.cell(r.key, c.key)), total


def outcome_areas(record: CaseStudy) -> set[str]:
    return {o.area for o in record.outcomes}


def cell_anchor(view: View, row: str, area: str) -> str:
    """A stable name for a cell, like ``p-sharing-power--o-research-relevance``
    (``o-research-relevance--k-measured`` in the first view)."""
    return f"{view.prefix}-{row}--{view.column_prefix}-{area}"


def findings(grid: Grid) -> list[str]:
    """What the view shows, in words, from its counts: the columns and rows with no case
    study at all, then how many combinations are gaps (plain text; labels not escaped)."""
    view = grid.view
    total = len(grid.rows) * len(grid.columns)
    filled = sum(1 for r in grid.rows for c in grid.columns if grid.cell(r.key, c.key))
    if total and filled == total:
        return [(f"Every {view.singular} goes with every {view.column_singular} in at least one case study: "
                 "this view has no gaps.")]
    if not filled:
        return ["No case study reports any of these combinations yet."]
    empty_columns = [c.label for c in grid.columns if not any(grid.cell(r.key, c.key) for r in grid.rows)]
    empty_rows = [r.label for r in grid.rows if not any(grid.cell(r.key, c.key) for c in grid.columns)]
    said = []
    if empty_columns and view.columns == KINDS:
        said.append(f"No case study has any outcome known by {_either(empty_columns)}.")
    elif empty_columns:
        said.append(f"No case study shows any {view.singular} with an outcome in {_either(empty_columns)}.")
    if empty_rows and view.columns == KINDS:
        said.append(f"No case study reports an outcome in {_either(empty_rows)}.")
    elif empty_rows:
        said.append(f"No case study reports the {view.singular} {_either(empty_rows)} with any outcome.")
    gaps = total - filled
    said.append(f"{filled} of the {total} combinations have at least one case study; "
                f"{gaps} {'is a gap' if gaps == 1 else 'are gaps'}.")
    return said


def _either(labels: list[str]) -> str:
    quoted = [f"\u201c{label}\u201d" for label in labels]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


# ---------------------------------------------------------------------------------------
# The parts of the page (laid out by evidence-map.html, map-key.html and map-table.html).

def _grid_view(library: Library, grid: Grid) -> dict:
    """What the templates show of one view: its finding, key, headers and cells."""
    view = grid.view
    shown = {"heading": view.heading, "anchor": view.anchor, "singular": view.singular, "rows": []}
    if not grid.rows or not grid.columns:
        rows, columns = view.vocabulary(library), view.column_vocabulary(library).replace("_", " ")
        shown["no_terms"] = (f"There are no {rows} or {columns} in the "
                             "taxonomy yet.")
        return shown
    said = findings(grid)
    total = len(grid.rows) * len(grid.columns)
    filled = sum(1 for row in grid.rows for column in grid.columns if grid.cell(row.key, column.key))
    largest = grid.largest()
    shown.update(
        full=filled == total, finding=said[0] if filled == total else " ".join(said),
        key=[{"count": n, "diameter": _diameter(n, largest)} for n in (sorted({1, largest}) if largest else [])],
        caption=_caption(view), corner=view.singular.capitalize(),
        columns=[_term(library, term) for term in grid.columns],
        rows=[{**_term(library, row), "cells": [_cell(library, grid, row, column) for column in grid.columns]}
              for row in grid.rows])
    return shown


def _caption(view: View) -> str:
    if view.columns == AREAS:
        return (f"Case studies that show each {view.singular} (rows) and report an outcome in each area "
                f"(columns). Select a number to list them.")
    return ("Case studies that report an outcome in each area (rows) known by each kind of evidence "
            "(columns). Select a number to list them.")


# A filled cell's circle: its area is proportional to the count, the largest count of the
# view drawn at MAX_RADIUS px.
MAX_RADIUS = 15


def _radius(count: int, largest: int) -> float:
    return MAX_RADIUS * (count / max(largest, 1)) ** 0.5


def _diameter(count: int, largest: int) -> int:
    """The circle's diameter in whole pixels (CSS has a class for each: coprod-map-dN)."""
    return max(1, min(2 * MAX_RADIUS, round(2 * _radius(count, largest))))


def catalogue_filter(library: Library, grid: Grid, row: Term, column: Term) -> str:
    """The catalogue's address filtered to one cell: its row's term and its column's term.
    In the first view both are facts of one outcome (its area, and how it is known), so the
    address says that the two must hold for the same outcome (``same=``; the catalogue's
    data lists each case study's outcomes: coprod/pages/catalogue.py)."""
    parts, names = [], []
    for vocabulary, key in ((grid.view.vocabulary(library), row.key), (grid.view.column_vocabulary(library), column.key)):
        facet = library.fields.facet_of(vocabulary)
        if facet is not None:
            parts.append(f"{quote(facet.name)}={quote(key)}")
            names.append(facet.name)
    if grid.view.columns != AREAS and len(names) == 2:
        parts.append("same=" + quote(",".join(names)))
    return relative_url(URI, urls.CATALOGUE) + ("?" + "&".join(parts) if parts else "")


def _cell(library: Library, grid: Grid, row: Term, column: Term) -> dict:
    count = len(grid.cell(row.key, column.key))
    if not count:
        return {"count": 0}
    return {"count": count, "href": catalogue_filter(library, grid, row, column),
            "diameter": _diameter(count, grid.largest())}


def _term(library: Library, term: Term) -> dict:
    return {"label": term.label, "href": relative_url(URI, library.term_page(term.vocabulary, term.key))}


def _evidence_kinds_chart(library: Library) -> str:
    """Outcomes of the counted case studies by kind of evidence, strongest kind first."""
    counts: Counter[str] = Counter()
    for record in counted_case_studies(library):
        counts.update(_outcome_kinds(record))
    kinds = library.vocabulary_of(*KINDS)
    rows = [(term.label, counts[term.key], relative_url(URI, library.term_page(kinds, term.key)))
            for term in _terms(library, kinds)]
    return bar_chart("Outcomes by kind of evidence", rows, chart_id="chart-outcomes-by-evidence",
                     label_heading="Kind of evidence", value_heading="Outcomes",
                     note="Each outcome a case study reports is counted once, by how we know it happened.")


def _outcome_kinds(record: CaseStudy, area: str | None = None) -> list[str]:
    return [o.evidence for o in record.outcomes if area is None or o.area == area]


# ---------------------------------------------------------------------------------------

def _terms(library: Library, vocabulary: str) -> list[Term]:
    vocab = library.taxonomy.get(vocabulary)
    return list(vocab.terms.values()) if vocab else []


def _title_order(record: CaseStudy) -> tuple[str, str]:
    return record.title.casefold(), record.id

