"""What a case study's page shows of how its involvement is reported (issue 23): the GRIPP2
short form under GRIPP2's headings with a completeness line, the UK Standards for Public
Involvement the sources show, the outcome rating as symbol and word, and a row in "At a
glance" for every vocabulary the page has no section of its own for.

Kept apart from :mod:`coprod.pages.case_study`, which calls these functions, so a new
vocabulary in the schema and the taxonomy reaches the page with no code change here.
"""

from __future__ import annotations

from markupsafe import Markup

from ..model import CaseStudy, Library
from ..read import urls
from ..read.kinds import CASE_STUDY
from ..render.markup import block, esc, link, tag_list
from .common import term_link
from .listing import strength_symbol

# The fields the case study's page lays out itself (in "At a glance" or a section of its
# own), by the model's field names; any other vocabulary a case study uses gets a row of its
# own in "At a glance". Their vocabularies come from the schema, so renaming one there
# neither loses it from the page nor shows it twice.
LAID_OUT = (("settings",), ("research_stages",), ("principles", "principle"), ("barriers", "barrier"),
            ("enablers", "enabler"), ("features",), ("outcomes", "area"), ("outcomes", "evidence"),
            ("standards", "standard"), ("outcome_rating",), ("gripp2_reporting",))
GRIPP2_NOT_REPORTED = "Not reported in the sources."


def other_vocabulary_rows(record: CaseStudy, library: Library, uri: str) -> list[tuple[str, str]]:
    """(label, HTML) for each vocabulary the record uses that the page has no place for: its
    title from taxonomy.yml, its terms as tags linking to their pages, in the field map's order."""
    rows = []
    laid_out = {library.fields.vocabulary_at(CASE_STUDY.key, *fields) for fields in LAID_OUT}
    for vocabulary in library.fields.browsed(CASE_STUDY.key):
        if vocabulary in laid_out:
            continue
        keys = record.keys_of(vocabulary)
        vocab = library.taxonomy.get(vocabulary)
        if keys and vocab is not None:
            rows.append((vocab.title, tag_list((term_tag(library, vocabulary, k, uri) for k in keys), vocab.title)))
    return rows


def term_tag(library: Library, vocabulary: str, key: str, uri: str) -> str:
    """A term as a tag linking to its page (its label as plain text if it has none)."""
    term = library.term(vocabulary, key)
    page = library.term_page(vocabulary, key)
    if term is None or page is None:
        return f'<span class="coprod-tag">{esc(term.label if term else key)}</span>'
    return f'<a class="coprod-tag" href="{esc(urls.href(uri, page))}">{esc(term.label)}</a>'


def rating_badge(record: CaseStudy, library: Library, uri: str) -> str:
    """The outcome rating as symbol and word, like a claim's strength, linking to the page
    that explains the rule (the outcome ratings' list). '' when there is no rating."""
    ratings = library.vocabulary_of("outcome_rating")
    term = library.term(ratings, record.outcome_rating)
    if term is None:
        return ""
    page = library.vocabulary_page(ratings)
    title = library.taxonomy[ratings].title
    inner = (f'<span class="coprod-sr-only">{esc(title)}: </span>{strength_symbol(term)} '
             f'<span class="coprod-badge__word">{esc(term.label)}</span>')
    css = f"coprod-badge coprod-badge--rating coprod-badge--rating-{esc(term.key)}"
    if page is None:
        return f'<span class="{css}">{inner}</span>'
    return (f'<a class="{css}" href="{esc(urls.href(uri, page))}" '
            f'title="How this rating is worked out">{inner}</a>')


def gripp2_headings(library: Library) -> dict[str, str]:
    """GRIPP2 item -> its heading (the field's ``title`` in the schema), in GRIPP2's order."""
    items = (library.schemas[CASE_STUDY.key].field_schema(("gripp2",)) or {}).get("properties", {})
    return {name: str(field.get("title") or name) for name, field in items.items()}


GRIPP2_NAME = "GRIPP2 short form"


def gripp2_completeness(record: CaseStudy, library: Library, named: bool = True) -> str:
    """'GRIPP2 short form: 4 of 5 items reported; not reported: reflections/critical
    perspective.' (without its first words when ``named`` is false)."""
    headings = gripp2_headings(library)
    missing = [headings.get(name, name).lower() for name in record.gripp2.missing]
    reported = len(headings) - len(missing)
    text = f"{reported} of {len(headings)} items reported"
    text += f"; not reported: {', '.join(missing)}." if missing else "."
    return f"{GRIPP2_NAME}: {text}" if named else text


def gripp2_section(record: CaseStudy, library: Library, uri: str) -> str:
    """The GRIPP2 short form under its five headings, each item as written or "not reported
    in the sources", after a completeness line linking to the case studies that report as many."""
    headings = gripp2_headings(library)
    line = esc(gripp2_completeness(record, library))
    reporting = library.vocabulary_of("gripp2_reporting")
    page = library.term_page(reporting, record.gripp2_reporting)
    if page:
        line = link(urls.href(uri, page), line)
    intro = esc("is the checklist for reporting patient and public involvement in research. Its short form asks "
                "for five items; here is what the sources of this case study report for each.")
    term = library.term(reporting, record.gripp2_reporting)  # its source is the GRIPP2 paper
    if term is not None and term.source in library.bibliography.entries:
        intro = link(urls.href(uri, urls.REFERENCES, urls.reference_anchor(term.source)), "GRIPP2") + " " + intro
    else:
        intro = "GRIPP2 " + intro
    items = []
    for number, (name, text) in enumerate(record.gripp2.items(), start=1):
        heading = esc(f"{number}. {headings.get(name, name)}")
        value = (esc(text) if text else
                 f'<span class="coprod-gripp2__missing">{esc(GRIPP2_NOT_REPORTED)}</span>')
        items.append(f'<div class="coprod-gripp2__item"><dt>{heading}</dt><dd>{value}</dd></div>')
    parts = [f"<p>{intro}</p>", f'<p class="coprod-gripp2__completeness">{line}</p>',
             block("dl", items, ' class="coprod-gripp2"')]
    return block("div", parts, ' class="coprod-gripp2-section"')  # under "Involvement, as GRIPP2 reports it"


def standards_section(record: CaseStudy, library: Library, uri: str) -> dict:
    """The UK Standards for Public Involvement the sources show, and how: the heading and
    the items of a section of case-study.html (no items, no section)."""
    standards = library.vocabulary_of("standards", "standard")
    vocab = library.taxonomy.get(standards)
    heading = vocab.title if vocab else "UK Standards for Public Involvement"
    items = [{"term": Markup(term_link(library, standards, use.standard, uri)), "text": use.how}
             for use in record.standards]
    return {"heading": heading, "always": False, "entries": items}
