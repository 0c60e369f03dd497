"""The evidence gap map, ``/evidence-map/``: principles (and enablers) against outcome areas.

A case study reports a combination when it lists the principle (or enabler) and has an
outcome in that area. Only published case studies count; retracted ones do not. Each
table is raw HTML, so that row headers are ``<th scope="row">`` for screen readers; its
links are relative URLs (MkDocs does not rewrite raw HTML). Below the tables, a short
list per non-empty cell names the case studies behind its number, with markdown links
that MkDocs checks.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass

from .. import urls
from ..charts import bar_chart, case_study_charts, counted_case_studies, listed_terms, relative_url
from ..evidence import Evidence, Record
from ..taxonomy import Term
from ..text import md_escape
from . import Page

__all__ = ["Grid", "build_grid", "cell_anchor", "evidence_map_page", "relative_url"]

TITLE = "Evidence gap map"
URI = urls.EVIDENCE_MAP


@dataclass(frozen=True)
class View:
    """One table of the map: a vocabulary of rows against the outcome areas."""

    vocabulary: str  # taxonomy vocabulary of the rows
    field: str  # the case-study field listing them, like "principles"
    key: str  # the key in each item, like "principle"
    prefix: str  # anchors of its cells start with this
    singular: str  # "principle"
    heading: str  # the section heading
    anchor: str  # the section's id


VIEWS = (
    View("principles", "principles", "principle", "p", "principle", "Principles and outcome areas", "map-principles"),
    View("enablers", "enablers", "enabler", "e", "enabler", "Enablers and outcome areas", "map-enablers"),
)


@dataclass
class Grid:
    """The counted combinations of one view: (row key, outcome area) -> case studies."""

    view: View
    rows: list[Term]
    columns: list[Term]
    cells: dict[tuple[str, str], list[Record]]

    def cell(self, row: str, column: str) -> list[Record]:
        return self.cells.get((row, column), [])

    def largest(self) -> int:
        return max((len(records) for records in self.cells.values()), default=0)


def evidence_map_page(evidence: Evidence) -> Page:
    records = counted_case_studies(evidence)
    grids = [build_grid(evidence, view, records) for view in VIEWS]
    parts = [_introduction(len(records))]
    parts += [_table_section(evidence, grid) for grid in grids]
    parts.append(_at_a_glance(evidence))
    parts.append(_cell_lists(evidence, grids))
    linked = {record.id for grid in grids for cell in grid.cells.values() for record in cell}
    return Page(URI, "\n".join(parts), lists=frozenset(linked), title=TITLE)


def build_grid(evidence: Evidence, view: View, records: list[Record]) -> Grid:
    """Count which case studies report each (row term, outcome area) pair of ``view``."""
    rows = _terms(evidence, view.vocabulary)
    columns = _terms(evidence, "outcomes")
    row_keys, column_keys = {t.key for t in rows}, {t.key for t in columns}
    cells: dict[tuple[str, str], list[Record]] = {}
    for record in sorted(records, key=_title_order):
        areas = outcome_areas(record) & column_keys
        for row in listed_terms(record, view.field, view.key) & row_keys:
            for area in areas:
                cells.setdefault((row, area), []).append(record)
    return Grid(view, rows, columns, cells)


def outcome_areas(record: Record) -> set[str]:
    return listed_terms(record, "outcomes", "area")


def cell_anchor(view: View, row: str, area: str) -> str:
    """The id of a cell's list below the table, like ``p-sharing-power--o-research-relevance``."""
    return f"{view.prefix}-{row}--o-{area}"


# ---------------------------------------------------------------------------------------
# The parts of the page.

def _introduction(count: int) -> str:
    studies = "case study" if count == 1 else "case studies"
    return f"""# {TITLE}

This map shows which co-production principles, and which enablers, go with which
outcomes in the case studies of this library. It counts the {count} published {studies};
retracted case studies are not counted.

- Each row is a principle (in the second table, an enabler). Each column is an area of
  outcome, a kind of difference the work made.
- A number in a cell is how many case studies show that principle and report an outcome
  in that area. Select the number to see which case studies they are, and what kind of
  evidence they give.
- A cell that says **Gap** has no case study yet. It shows a gap in this library's
  evidence. It is not proof that co-production makes no difference there.

A case study can show several principles and report several outcomes, so it can be
counted in more than one cell.
"""


def _table_section(evidence: Evidence, grid: Grid) -> str:
    view = grid.view
    lines = [f"## {view.heading} {{#{view.anchor}}}", ""]
    if not grid.rows or not grid.columns:
        return "\n".join([*lines, f"There are no {view.vocabulary} or outcome areas in the taxonomy yet.", ""])
    total = len(grid.rows) * len(grid.columns)
    filled = sum(1 for row in grid.rows for column in grid.columns if grid.cell(row.key, column.key))
    has = "has" if filled == 1 else "have"
    gaps = "1 is a gap" if total - filled == 1 else f"{total - filled} are gaps"
    lines += [f"{filled} of the {total} combinations {has} at least one case study; {gaps}.", "",
              _html_table(grid), ""]
    return "\n".join(lines)


def _html_table(grid: Grid) -> str:
    view = grid.view
    caption = (f"Number of case studies that show each {view.singular} (rows) and report an outcome in each area "
               f"(columns). Gap: no case study yet.")
    header = "".join(f'<th scope="col">{_term_link(term)}</th>' for term in grid.columns)
    lines = [
        f'<div class="coprod-evidence-map coprod-scroll" role="region" aria-label="{_esc(view.heading)}, table" '
        'tabindex="0">',
        "<table>",
        f"<caption>{_esc(caption)}</caption>",
        f'<thead><tr><th scope="col">{_esc(view.singular.capitalize())}</th>{header}</tr></thead>',
        "<tbody>",
    ]
    for row in grid.rows:
        cells = "".join(_cell(grid, row, column) for column in grid.columns)
        lines.append(f'<tr><th scope="row">{_term_link(row)}</th>{cells}</tr>')
    lines += ["</tbody>", "</table>", "</div>"]
    return "\n".join(lines)


def _cell(grid: Grid, row: Term, column: Term) -> str:
    count = len(grid.cell(row.key, column.key))
    if not count:
        return '<td class="coprod-map-gap">Gap</td>'
    level = min(3, -(-3 * count // grid.largest()))  # 1 to 3, for shading
    href = relative_url(URI, URI, cell_anchor(grid.view, row.key, column.key))
    noun = "case study" if count == 1 else "case studies"
    return (f'<td class="coprod-map-count coprod-map-level-{level}"><a href="{_esc(href)}">{count}'
            f'<span class="coprod-sr-only"> {noun}</span></a></td>')


def _term_link(term: Term) -> str:
    href = relative_url(URI, urls.term(term.vocabulary, term.key))
    return f'<a href="{_esc(href)}">{_esc(term.label)}</a>'


def _at_a_glance(evidence: Evidence) -> str:
    return "\n".join([
        "## The evidence at a glance {#at-a-glance}",
        "",
        case_study_charts(evidence, URI),
        "",
        _evidence_kinds_chart(evidence),
        "",
    ])


def _evidence_kinds_chart(evidence: Evidence) -> str:
    """Outcomes of the counted case studies by kind of evidence, strongest kind first."""
    counts: Counter[str] = Counter()
    for record in counted_case_studies(evidence):
        counts.update(_outcome_kinds(record))
    rows = [(term.label, counts[term.key], relative_url(URI, urls.term("evidence_kinds", term.key)))
            for term in _terms(evidence, "evidence_kinds")]
    return bar_chart("Outcomes by kind of evidence", rows, chart_id="chart-outcomes-by-evidence",
                     label_heading="Kind of evidence", value_heading="Outcomes",
                     note="Each outcome a case study reports is counted once, by how we know it happened.")


def _cell_lists(evidence: Evidence, grids: list[Grid]) -> str:
    lines = ["## The case studies behind each number {#cells}", ""]
    for grid in grids:
        lines += [f"### {grid.view.heading}", ""]
        filled = [(row, column) for row in grid.rows for column in grid.columns if grid.cell(row.key, column.key)]
        if not filled:
            lines += ["No case study reports any of these combinations yet.", ""]
        for row, column in filled:
            lines += _cell_list(evidence, grid, row, column)
        lines += [f"[Back to the table of {grid.view.heading.lower()}](#{grid.view.anchor})", ""]
    return "\n".join(lines)


def _cell_list(evidence: Evidence, grid: Grid, row: Term, column: Term) -> list[str]:
    records = grid.cell(row.key, column.key)
    noun = "case study" if len(records) == 1 else "case studies"
    lines = [f"**{md_escape(row.label)}** with outcomes in **{md_escape(column.label)}**: {len(records)} {noun}",
             f"{{: #{cell_anchor(grid.view, row.key, column.key)} }}", ""]
    for record in records:
        title = md_escape(record.data.get("title") or record.id)
        link = urls.rel(URI, urls.case_study(record.id))
        kinds = _kind_labels(evidence, record, column.key)
        lines.append(f"- [{title}]({link})" + (f" (evidence: {md_escape(kinds)})" if kinds else ""))
    lines.append("")
    return lines


def _kind_labels(evidence: Evidence, record: Record, area: str) -> str:
    """The kinds of evidence of a case study's outcomes in ``area``, strongest first."""
    kinds = set(_outcome_kinds(record, area))
    return ", ".join(term.label for term in _terms(evidence, "evidence_kinds") if term.key in kinds)


def _outcome_kinds(record: Record, area: str | None = None) -> list[str]:
    outcomes = record.data.get("outcomes")
    return [o["evidence"] for o in outcomes if isinstance(o, dict) and isinstance(o.get("evidence"), str)
            and (area is None or o.get("area") == area)] if isinstance(outcomes, list) else []


# ---------------------------------------------------------------------------------------

def _terms(evidence: Evidence, vocabulary: str) -> list[Term]:
    vocab = evidence.taxonomy.get(vocabulary)
    return list(vocab.terms.values()) if vocab else []


def _title_order(record: Record) -> tuple[str, str]:
    return str(record.data.get("title") or "").casefold(), record.id


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)
