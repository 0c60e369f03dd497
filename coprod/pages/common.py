"""Pieces shared by the pages of single records (case studies and claims)."""

from __future__ import annotations

import re

from .. import urls
from ..evidence import Evidence, Record
from ..markup import block, esc, link
from ..sanitize import BODY_END, BODY_START
from ..text import md_escape, safe_url


def term_link(evidence: Evidence, vocabulary: str, key: str, from_uri: str) -> str:
    """An HTML link to a taxonomy term's page, labelled with the term's label."""
    vocab = evidence.taxonomy.get(vocabulary)
    term = vocab.terms.get(key) if vocab else None
    if term is None:
        return esc(key)
    if vocabulary not in urls.VOCABULARY_FOLDERS:
        return esc(term.label)
    return link(urls.href(from_uri, urls.term(vocabulary, key)), esc(term.label))


def record_history(record: Record, edit_url: str | None, kind_name: str) -> str:
    """The 'About this page' section: version, dates, changes, licence, edit link (its
    body an HTML block of class coprod-history, which search leaves out of the index)."""
    data = record.data
    facts = [f"Version {esc(data.get('version', ''))}", f"published {esc(data.get('published', ''))}"]
    if data.get("updated"):
        facts.append(f"updated {esc(data['updated'])}")
    lines = [f"<p>{'; '.join(facts)}.</p>"]
    changes = [c for c in data.get("changes") or [] if isinstance(c, dict)]
    if changes:
        lines.append("<p>Changes:</p>")
        lines.append("<ul>" + "".join(f"<li>{esc(c.get('version', ''))} ({esc(c.get('date', ''))}): "
                                      f"{esc(c.get('summary', ''))}</li>" for c in changes) + "</ul>")
    licence = data.get("licence", "CC-BY-4.0")
    lines.append(f"<p>Licence: {esc(licence)}. Anyone may share and adapt this {kind_name} with credit.</p>")
    url = safe_url(edit_url)
    if url:
        lines.append(f"<p>{link(url, f'Suggest a change to this {kind_name}')} (opens its source file on GitHub).</p>")
    return "## About this page\n\n" + block("div", lines, ' class="coprod-history"') + "\n"


def retraction_notice(record: Record, kind_name: str) -> str:
    retraction = record.data.get("retraction") or {}
    if record.status != "retracted":
        return ""
    return (f'!!! warning "This {kind_name} was retracted on {md_escape(retraction.get("date", ""))}"\n'
            f"    {md_escape(retraction.get('reason', ''))}\n\n"
            f"    The page stays online so that links to it keep working.\n")


_HEADING = re.compile(r"(?m)^(#{1,5})(?=[ \t])")


def demote_headings(markdown: str) -> str:
    """A contributed body's headings one level down, so they sit under the page's own
    section heading (## becomes ###). Lines in code blocks never start with '#'."""
    return _HEADING.sub(r"#\1", markdown)


def contributed(body: str) -> str:
    """A contributor's markdown, marked so the build renders it in context, untouched."""
    return f"{BODY_START}\n\n{body}\n\n{BODY_END}"
