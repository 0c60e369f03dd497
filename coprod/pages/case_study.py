"""The page of one case study: /case-studies/<id>/."""

from __future__ import annotations

from .. import urls
from ..cite.references import References
from ..evidence import Evidence, Record
from ..markup import block, bullet_list, esc, link, table, tag_list
from ..text import md_escape, safe_url
from . import Page
from .common import contributed, demote_headings, record_history, retraction_notice, term_link
from .listing import evidence_kinds, years


def case_study_page(record: Record, evidence: Evidence, refs: References, edit_url: str | None) -> Page:
    uri = urls.case_study(record.id)
    data = record.data
    body, cited = refs.render_body(record.source.body, uri)
    sources = [k for k in data.get("sources", []) if isinstance(k, str)]
    outcome_sources = [k for o in data.get("outcomes", []) for k in o.get("sources", []) if isinstance(k, str)]
    keys = list(dict.fromkeys(cited + outcome_sources + sources))
    parts = [
        f"# {md_escape(data.get('title', record.id))}",
        retraction_notice(record, "case study"),
        f"**{md_escape(data.get('summary', ''))}**",
        CITE_BUTTON,
        _panel(record, evidence, uri),
        "## In plain English\n\n" + md_escape(data.get("plain_english_summary", "")),
        _principles(record, evidence, uri),
        _barriers_enablers(record, evidence, uri),
        _outcomes(record, evidence, refs, uri),
        _resources(record),
        "## The story\n\n" + contributed(demote_headings(body.strip())),
        collapsed(refs.section(keys, uri), f"Show the {len(keys)} reference{'s' if len(keys) != 1 else ''}"),
        record_history(record, edit_url, "case study"),
    ]
    return Page(uri, "\n\n".join(p.strip() for p in parts if p.strip()) + "\n", frozenset(), data.get("title", ""),
                tuple(keys))


# Near the title: the way to the "Cite this page" section the site adds at the end (coprod.site).
CITE_BUTTON = block("div", ['<a class="md-button coprod-cite-button" href="#cite-this-page">Cite this page</a>'],
                    ' class="coprod-page-actions"')


def collapsed(section: str, summary: str) -> str:
    """A "## Heading" section whose HTML list is folded into a <details> (closed; a link to
    an entry inside opens it: assets/javascripts/details.js, and browsers that open
    details on fragment navigation). The heading stays, for the table of contents."""
    if not section.strip():
        return ""
    heading, _, rest = section.partition("\n\n")
    return (f"{heading}\n\n" + block("div", ["<details>", f"<summary data-pagefind-ignore>{esc(summary)}</summary>", rest.strip(),
                                             "</details>"], ' class="coprod-collapsed"'))


def _panel(record: Record, evidence: Evidence, uri: str) -> str:
    """'At a glance': a summary list (key, value), principles and barriers as tags that
    link to their pages."""
    data = record.data
    project = data.get("project") or {}
    name = esc(project.get("name", ""))
    url = safe_url(project.get("url"))
    rows = [("Project", link(url, name) if url else name)]
    if years(record):
        rows.append(("Years", esc(years(record))))
    countries = project.get("countries") or []
    if countries:
        rows.append(("Country", ", ".join(link(urls.href(uri, urls.country(c)), esc(c)) for c in countries)))
    if project.get("places"):
        rows.append(("Places", esc(project["places"])))
    rows.append(("Setting", ", ".join(term_link(evidence, "settings", k, uri) for k in data.get("settings", []))))
    rows.append(("Public involved in", ", ".join(term_link(evidence, "stages", k, uri)
                                               for k in data.get("research_stages", []))))
    if project.get("funders"):
        rows.append(("Funders", "; ".join(esc(f) for f in project["funders"])))
    who = []
    for person in data.get("involved", []):
        text = esc(person.get("role", ""))
        if person.get("number"):
            text += f" ({esc(person['number'])})"
        if person.get("name"):
            text = f"{esc(person['name'])}, {text}"
        who.append(text)
    rows.append(("Who was involved", "<br>".join(who)))
    for field, key_name, vocab, label in (("principles", "principle", "principles", "Principles"),
                                          ("barriers", "barrier", "barriers", "Barriers"),
                                          ("enablers", "enabler", "enablers", "What helped")):
        keys = [item.get(key_name) for item in data.get(field) or [] if isinstance(item, dict)]
        tags = [_tag(evidence, vocab, k, uri) for k in dict.fromkeys(k for k in keys if isinstance(k, str))]
        if tags:
            rows.append((label, tag_list(tags, label)))
    if data.get("features"):
        rows.append(("Key features", ", ".join(term_link(evidence, "features", k, uri) for k in data["features"])))
    kinds = evidence_kinds(record, evidence)
    if kinds:
        rows.append(("Kinds of evidence", esc(", ".join(kinds))))
    items = [f'<div class="coprod-summary-list__row"><dt>{esc(label)}</dt><dd>{value}</dd></div>'
             for label, value in rows]
    return "## At a glance\n\n" + block("dl", items, ' class="coprod-summary-list"')


def _tag(evidence: Evidence, vocabulary: str, key: str, uri: str) -> str:
    """A term as a tag linking to its page (its label as plain text if it has none)."""
    vocab = evidence.taxonomy.get(vocabulary)
    term = vocab.terms.get(key) if vocab else None
    if term is None or vocabulary not in urls.VOCABULARY_FOLDERS:
        return f'<span class="coprod-tag">{esc(term.label if term else key)}</span>'
    return f'<a class="coprod-tag" href="{esc(urls.href(uri, urls.term(vocabulary, key)))}">{esc(term.label)}</a>'


def _principles(record: Record, evidence: Evidence, uri: str) -> str:
    items = [f"<strong>{term_link(evidence, 'principles', p.get('principle', ''), uri)}</strong>: {esc(p.get('how', ''))}"
             for p in record.data.get("principles", [])]
    return "## Principles it shows\n\n" + bullet_list(items)


def _barriers_enablers(record: Record, evidence: Evidence, uri: str) -> str:
    out = []
    for field, key_name, vocab, heading in (("barriers", "barrier", "barriers", "Barriers met"),
                                            ("enablers", "enabler", "enablers", "What helped")):
        items = [f"<strong>{term_link(evidence, vocab, item.get(key_name, ''), uri)}</strong>: "
                 f"{esc(item.get('detail', ''))}"
                 for item in record.data.get(field, [])]
        if items:
            out.append(f"## {heading}\n\n" + bullet_list(items))
    return "\n\n".join(out)


def _outcomes(record: Record, evidence: Evidence, refs: References, uri: str) -> str:
    rows = []
    for outcome in record.data.get("outcomes", []):
        rows.append([term_link(evidence, "outcomes", outcome.get("area", ""), uri),
                     esc(outcome.get("description", "")),
                     term_link(evidence, "evidence_kinds", outcome.get("evidence", ""), uri),
                     "; ".join(refs.link_or_text(k) for k in outcome.get("sources", []))])
    return "## Outcomes\n\n" + table(["Outcome area", "What changed", "Kind of evidence", "Sources"], rows, label="Outcomes")


def _resources(record: Record) -> str:
    resources = record.data.get("resources") or {}
    labels = {"time": "Time", "payment": "Payment to public contributors", "budget": "Budget"}
    items = [f"<strong>{label}</strong>: {esc(resources[key])}" for key, label in labels.items() if resources.get(key)]
    return "## Resources\n\n" + bullet_list(items) if items else ""
