"""Pieces shared by the pages of single records (case studies and claims)."""

from __future__ import annotations

import re

from .. import urls
from ..evidence import Evidence, Record
from ..markup import esc, link
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
    """The 'About this page' section: version, dates, changes, licence, edit link."""
    data = record.data
    lines = ["## About this page", ""]
    facts = [f"Version {md_escape(data.get('version', ''))}", f"published {md_escape(data.get('published', ''))}"]
    if data.get("updated"):
        facts.append(f"updated {md_escape(data['updated'])}")
    lines.append("; ".join(facts) + ".")
    changes = [c for c in data.get("changes") or [] if isinstance(c, dict)]
    if changes:
        lines += ["", "Changes:", ""]
        lines += [f"- {md_escape(c.get('version', ''))} ({md_escape(c.get('date', ''))}): {md_escape(c.get('summary', ''))}"
                  for c in changes]
    licence = data.get("licence", "CC-BY-4.0")
    lines += ["", f"Licence: {md_escape(licence)}. Anyone may share and adapt this {kind_name} with credit."]
    url = safe_url(edit_url)
    if url:
        lines += ["", f"[Suggest a change to this {kind_name}]({url}) (opens its source file on GitHub)."]
    return "\n".join(lines) + "\n"


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
