"""Pieces shared by the pages of single records (case studies and claims)."""

from __future__ import annotations

from ..model import Library, Record
from ..read import urls
from ..render import body_html
from ..render.markup import block, esc, link
from ..render.sanitize import BODY_END, BODY_START
from ..render.text import md_escape, safe_url


def term_link(library: Library, vocabulary: str, key: str, from_uri: str) -> str:
    """An HTML link to a taxonomy term's page, labelled with the term's label."""
    term = library.term(vocabulary, key)
    if term is None:
        return esc(key)
    page = library.term_page(vocabulary, key)
    return link(urls.href(from_uri, page), esc(term.label)) if page else esc(term.label)


def record_history(record: Record, edit_url: str | None, kind_name: str) -> str:
    """The 'About this page' section: version, dates, changes, licence, edit link (its
    body an HTML block of class coprod-history, which search leaves out of the index)."""
    facts = [f"Version {esc(record.version)}", f"published {esc(record.published)}"]
    if record.updated:
        facts.append(f"updated {esc(record.updated)}")
    lines = [f"<p>{'; '.join(facts)}.</p>"]
    if record.changes:
        lines.append("<p>Changes:</p>")
        lines.append("<ul>" + "".join(f"<li>{esc(c.version)} ({esc(c.date)}): {esc(c.summary)}</li>"
                                      for c in record.changes) + "</ul>")
    licence = record.licence
    lines.append(f"<p>Licence: {esc(licence)}. Anyone may share and adapt this {kind_name} with credit.</p>")
    url = safe_url(edit_url)
    if url:
        lines.append(f"<p>{link(url, f'Suggest a change to this {kind_name}')} (opens its source file on GitHub).</p>")
    return "## About this page\n\n" + block("div", lines, ' class="coprod-history"') + "\n"


def retraction_notice(record: Record, kind_name: str) -> str:
    retraction = record.retraction
    if not record.retracted or retraction is None:
        return ""
    return (f'!!! warning "This {kind_name} was retracted on {md_escape(retraction.date)}"\n'
            f"    {md_escape(retraction.reason)}\n\n"
            f"    The page stays online so that links to it keep working.\n")


def demote_headings(markdown: str) -> str:
    """A contributed body's headings one level down (coprod.render.body_html, where the
    validator renders the body as its page does)."""
    return body_html.demote_headings(markdown)


def contributed(body: str) -> str:
    """A contributor's markdown, marked so the build renders it in context, untouched."""
    return f"{BODY_START}\n\n{body}\n\n{BODY_END}"
