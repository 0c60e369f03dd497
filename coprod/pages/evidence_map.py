"""The evidence gap map, ``/evidence-map/``: first the outcome areas against the kinds of
evidence (how we know each outcome), then enablers, barriers and principles against
outcome areas, each drawn at build time as an SVG matrix (a circle's size is the number of
case studies; a dashed empty square is a gap) above its accessible table.

A case study reports a combination when it lists the principle (or enabler, or barrier)
and has an outcome in that area; in the first view, when it has an outcome in that area
known by that kind of evidence. Only published case studies count; retracted ones do not. Each
table is raw HTML, so that row headers are ``<th scope="row">`` for screen readers; its
links are relative URLs (MkDocs does not rewrite raw HTML). Below the tables, a short
list per non-empty cell names the case studies behind its number, with markdown links
that MkDocs checks.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..model import CaseStudy, Library
from ..read.taxonomy import Term
from ..render.charts import bar_chart, case_study_charts, counted_case_studies
from ..render.markup import esc
from ..render.text import md_escape
from . import Page, urls
from .urls import href as relative_url

__all__ = ["Grid", "build_grid", "cell_anchor", "evidence_map_page", "relative_url"]

TITLE = "Evidence gap map"
URI = urls.EVIDENCE_MAP


@dataclass(frozen=True)
class View:
    """One matrix of the map: a vocabulary of rows against the outcome areas (or, for the
    first view, the outcome areas against the kinds of evidence)."""

    vocabulary: str  # taxonomy vocabulary of the rows
    prefix: str  # anchors of its cells start with this
    singular: str  # "principle"
    heading: str  # the section heading
    anchor: str  # the section's id
    columns: str = "outcomes"  # taxonomy vocabulary of the columns
    column_prefix: str = "o"

    def pairs(self, record: CaseStudy) -> set[tuple[str, str]]:
        """The (row, column) combinations one case study reports."""
        if self.columns == "outcomes":
            areas = outcome_areas(record)
            return {(row, area) for row in record.keys_of(self.vocabulary) for area in areas}
        return {(o.area, o.evidence) for o in record.outcomes}


EVIDENCE = View("outcomes", "o", "outcome area", "Outcomes and how we know them", "map-evidence",
                columns="evidence_kinds", column_prefix="k")
ENABLERS = View("enablers", "e", "enabler", "Enablers and outcome areas", "map-enablers")
BARRIERS = View("barriers", "b", "barrier", "Barriers and outcome areas", "map-barriers")
PRINCIPLES = View("principles", "p", "principle", "Principles and outcome areas",
                  "map-principles")
GROUPS = View("groups", "g", "group", "Who was involved and outcome areas", "map-groups")
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
    records = counted_case_studies(library)
    grids = [build_grid(library, view, records) for view in VIEWS]
    parts = [_introduction(len(records), grids[0])]
    parts += [_table_section(library, grid) for grid in grids]
    parts.append(_at_a_glance(library))
    parts.append(_cell_lists(library, grids))
    linked = {record.id for grid in grids for cell in grid.cells.values() for record in cell}
    return Page(URI, "\n".join(parts), lists=frozenset(linked), title=TITLE)


def build_grid(library: Library, view: View, records: list[CaseStudy]) -> Grid:
    """Count which case studies report each (row term, column term) pair of ``view``."""
    rows = _terms(library, view.vocabulary)
    columns = _terms(library, view.columns)
    row_keys, column_keys = {t.key for t in rows}, {t.key for t in columns}
    cells: dict[tuple[str, str], list[CaseStudy]] = {}
    for record in sorted(records, key=_title_order):
        for pair in view.pairs(record):
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
    """The id of a cell's list below the table, like ``p-sharing-power--o-research-relevance``
    (``o-research-relevance--k-measured`` in the first view)."""
    return f"{view.prefix}-{row}--{view.column_prefix}-{area}"


# ---------------------------------------------------------------------------------------
# The parts of the page.

def _introduction(count: int, first: Grid) -> str:
    studies = "case study" if count == 1 else "case studies"
    total = len(first.rows) * len(first.columns)
    filled = sum(1 for r in first.rows for c in first.columns if first.cell(r.key, c.key))
    return f"""# {TITLE}

This map shows where this library has evidence and where it has none. It counts the
{count} published {studies}; retracted case studies are not counted.

The first view answers the question a funder asks first: **how do we know?** Each row is an
area of outcome, each column a kind of evidence. {total - filled} of its {total} combinations
are gaps: no case study yet reports that outcome with that kind of evidence.

- A **circle** is a combination some case studies report: the bigger the circle, the
  more case studies. Its number is in the circle and in the table below the picture.
- A **dashed empty square** is a gap. It shows where this library has no evidence yet.
  It is not proof that co-production makes no difference there.
- Select a number in a table to see which case studies they are.

Further down, enablers, barriers and principles are set against the outcome areas. A case
study can report several of each, so it can be counted in more than one cell.
"""


def _table_section(library: Library, grid: Grid) -> str:
    view = grid.view
    lines = [f"## {view.heading} {{#{view.anchor}}}", ""]
    if not grid.rows or not grid.columns:
        return "\n".join([*lines, (f"There are no {view.vocabulary} or {view.columns.replace('_', ' ')} in the "
                                   "taxonomy yet."), ""])
    total = len(grid.rows) * len(grid.columns)
    filled = sum(1 for row in grid.rows for column in grid.columns if grid.cell(row.key, column.key))
    has = "has" if filled == 1 else "have"
    gaps = "1 is a gap" if total - filled == 1 else f"{total - filled} are gaps"
    lines += [f"{filled} of the {total} combinations {has} at least one case study; {gaps}.", ""]
    if view is PRINCIPLES and filled == total:
        lines += [("Every principle goes with every area here: most case studies show most principles, so this "
                  "view shows no gaps. The views above show where evidence is missing."), ""]
    lines += [matrix_svg(grid), "", _html_table(library, grid), ""]
    return "\n".join(lines)


def _caption(view: View) -> str:
    if view.columns == "outcomes":
        return (f"Number of case studies that show each {view.singular} (rows) and report an outcome in each area "
                f"(columns). Gap: no case study yet.")
    return ("Number of case studies that report an outcome in each area (rows) known by each kind of evidence "
            "(columns). Gap: no case study yet.")


def _html_table(library: Library, grid: Grid) -> str:
    view = grid.view
    header = "".join(f'<th scope="col">{_term_link(library, term)}</th>' for term in grid.columns)
    lines = [
        (f'<div class="coprod-evidence-map coprod-scroll" role="region" aria-label="{esc(view.heading)}, table" '
        'tabindex="0">'),
        "<table>",
        f"<caption>{esc(_caption(view))}</caption>",
        f'<thead><tr><th scope="col">{esc(view.singular.capitalize())}</th>{header}</tr></thead>',
        "<tbody>",
    ]
    for row in grid.rows:
        cells = "".join(_cell(grid, row, column) for column in grid.columns)
        lines.append(f'<tr><th scope="row">{_term_link(library, row)}</th>{cells}</tr>')
    lines += ["</tbody>", "</table>", "</div>"]
    return "\n".join(lines)


def _cell(grid: Grid, row: Term, column: Term) -> str:
    count = len(grid.cell(row.key, column.key))
    if not count:
        return '<td class="coprod-map-gap">Gap</td>'
    level = min(3, -(-3 * count // grid.largest()))  # 1 to 3, for shading
    href = relative_url(URI, URI, cell_anchor(grid.view, row.key, column.key))
    noun = "case study" if count == 1 else "case studies"
    return (f'<td class="coprod-map-count coprod-map-level-{level}"><a href="{esc(href)}">{count}'
            f'<span class="coprod-sr-only"> {noun}</span></a></td>')


# The matrix as a picture, in viewBox units (the SVG scales to the column; on a phone its
# region scrolls sideways with the row labels kept readable).
CELL = 46
HEADER = 130
MAX_ROW_CHARS = 48
MAX_COLUMN_CHARS = 24
RIGHT = 120  # room for the last column's slanted label
LABEL_ROW = 22  # each row's label has a line of its own above its circles


def matrix_svg(grid: Grid) -> str:
    """The grid as inline SVG: each row's label on a line of its own above its circles, so
    the matrix fits a 320 px phone with its text at full size and the column on a desktop.
    Column labels slant on top; a circle per filled cell (its area grows with the count,
    the count written in it); a dashed empty square per gap. A picture (role=img, a title
    and a description giving the totals); the table below carries the numbers and links.
    (Labels left of the rows read better on a desktop, but a second picture doubled the
    page's DOM and its style work.)"""
    return "\n".join(['<div class="coprod-matrix">', _matrix(grid), "</div>"])  # scales to fit: no scrolling


def _matrix(grid: Grid) -> str:
    view = grid.view
    ident = f"{view.anchor}-svg"
    left = 4
    row_height = CELL + LABEL_ROW
    width = left + CELL * len(grid.columns) + RIGHT
    height = HEADER + row_height * len(grid.rows) + 8
    largest = grid.largest() or 1
    total = len(grid.rows) * len(grid.columns)
    filled = sum(1 for r in grid.rows for c in grid.columns if grid.cell(r.key, c.key))
    description = (f"A matrix of {len(grid.rows)} rows ({view.vocabulary.replace('_', ' ')}) and {len(grid.columns)} "
                   f"columns ({view.columns.replace('_', ' ')}). {filled} of {total} combinations have case studies; "
                   f"{total - filled} are gaps. The same numbers are in the table below.")
    # drawn at 1:1 (13 px text) where there is room, scaled down only to fit a narrow column
    lines = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
             f'height="{height}" role="img" '
             f'aria-labelledby="{ident}-title {ident}-desc" class="coprod-matrix__image">'),
             f'<title id="{ident}-title">{esc(view.heading)}</title>',
             f'<desc id="{ident}-desc">{esc(description)}</desc>']
    for j, column in enumerate(grid.columns):
        x = left + CELL * j + CELL / 2
        lines.append(f'<text x="{x:g}" y="{HEADER - 8}" transform="rotate(-40 {x:g} {HEADER - 8})" font-size="13" '
                     f'fill="currentColor" class="coprod-matrix__label">{esc(_shorten(column.label, MAX_COLUMN_CHARS))}'
                     "</text>")
    for i, row in enumerate(grid.rows):
        top = HEADER + row_height * i
        y = top + row_height - CELL / 2
        lines.append(f'<line x1="0" x2="{width - RIGHT}" y1="{top}" y2="{top}" class="coprod-matrix__rule" '
                     'stroke="#8c8c8c" stroke-width="0.5"/>')
        lines.append(f'<text x="0" y="{top + 16:g}" font-size="13" fill="currentColor" '
                     f'class="coprod-matrix__label">{esc(_shorten(row.label, MAX_ROW_CHARS))}</text>')
        for j, column in enumerate(grid.columns):
            x = left + CELL * j + CELL / 2
            count = len(grid.cell(row.key, column.key))
            if count:
                radius = 8 + 13 * (count / largest) ** 0.5
                lines.append(f'<circle cx="{x:g}" cy="{y:g}" r="{radius:.1f}" class="coprod-matrix__dot" '
                             'fill="#4051b5"/>')
                lines.append(f'<text x="{x:g}" y="{y + 4.5:g}" text-anchor="middle" font-size="13" font-weight="700" '
                             f'class="coprod-matrix__count" fill="#ffffff">{count}</text>')
            else:
                lines.append(f'<rect x="{x - 9:g}" y="{y - 9:g}" width="18" height="18" class="coprod-matrix__gap" '
                             'fill="none" stroke="#6b6b6b" stroke-width="1.5" stroke-dasharray="3 2"/>')
    lines.append("</svg>")
    return "\n".join(lines)


def _shorten(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _term_link(library: Library, term: Term) -> str:
    href = relative_url(URI, library.term_page(term.vocabulary, term.key))
    return f'<a href="{esc(href)}">{esc(term.label)}</a>'


def _at_a_glance(library: Library) -> str:
    return "\n".join([
        "## The evidence at a glance {#at-a-glance}",
        "",
        case_study_charts(library, URI),
        "",
        _evidence_kinds_chart(library),
        "",
    ])


def _evidence_kinds_chart(library: Library) -> str:
    """Outcomes of the counted case studies by kind of evidence, strongest kind first."""
    counts: Counter[str] = Counter()
    for record in counted_case_studies(library):
        counts.update(_outcome_kinds(record))
    rows = [(term.label, counts[term.key], relative_url(URI, library.term_page("evidence_kinds", term.key)))
            for term in _terms(library, "evidence_kinds")]
    return bar_chart("Outcomes by kind of evidence", rows, chart_id="chart-outcomes-by-evidence",
                     label_heading="Kind of evidence", value_heading="Outcomes",
                     note="Each outcome a case study reports is counted once, by how we know it happened.")


def _cell_lists(library: Library, grids: list[Grid]) -> str:
    lines = ["## The case studies behind each number {#cells}", ""]
    for grid in grids:
        lines += [f"### {grid.view.heading}", ""]
        filled = [(row, column) for row in grid.rows for column in grid.columns if grid.cell(row.key, column.key)]
        if not filled:
            lines += ["No case study reports any of these combinations yet.", ""]
        for row, column in filled:
            lines += _cell_list(library, grid, row, column)
        lines += [f"[Back to the table of {grid.view.heading.lower()}](#{grid.view.anchor})", ""]
    return "\n".join(lines)


def _cell_list(library: Library, grid: Grid, row: Term, column: Term) -> list[str]:
    records = grid.cell(row.key, column.key)
    noun = "case study" if len(records) == 1 else "case studies"
    joined = "known by" if grid.view.columns != "outcomes" else "with outcomes in"
    lines = [f"**{md_escape(row.label)}** {joined} **{md_escape(column.label)}**: {len(records)} {noun}",
             f"{{: #{cell_anchor(grid.view, row.key, column.key)} }}", ""]
    for record in records:
        title = md_escape(record.title)
        link = urls.rel(URI, record.uri)
        kinds = _kind_labels(library, record, column.key) if grid.view.columns == "outcomes" else ""
        lines.append(f"- [{title}]({link})" + (f" (evidence: {md_escape(kinds)})" if kinds else ""))
    lines.append("")
    return lines


def _kind_labels(library: Library, record: CaseStudy, area: str) -> str:
    """The kinds of evidence of a case study's outcomes in ``area``, strongest first."""
    kinds = set(_outcome_kinds(record, area))
    return ", ".join(term.label for term in _terms(library, "evidence_kinds") if term.key in kinds)


def _outcome_kinds(record: CaseStudy, area: str | None = None) -> list[str]:
    return [o.evidence for o in record.outcomes if area is None or o.area == area]


# ---------------------------------------------------------------------------------------

def _terms(library: Library, vocabulary: str) -> list[Term]:
    vocab = library.taxonomy.get(vocabulary)
    return list(vocab.terms.values()) if vocab else []


def _title_order(record: CaseStudy) -> tuple[str, str]:
    return record.title.casefold(), record.id

