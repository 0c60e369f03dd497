"""Citation markers rendered as author-year links, and the references, both rendered by
a CSL processor (:mod:`coprod.cite.processor`) in the site's style (APA 7th) from each
entry's CSL-JSON item (:mod:`coprod.cite.csl`).

:class:`References` wraps the build's one parsed :class:`~coprod.cite.bibtex.Bibliography`.
On first use it has the whole bibliography rendered once, as one bibliography: the style
sorts it and disambiguates it (so "2014a" and "2014b" follow the style's order, by title,
and mean the same source on every page), and writes each entry's in-text label. It then
turns the citation markers of a markdown body (found by :mod:`coprod.cite.syntax`) into
markdown links to the page's own References section::

    [@a]                    -> ([Staniszewska et al., 2022](#ref-a))
    [see @a, p. 12; @b]     -> (see [Staniszewska et al., 2022](#ref-a), p. 12; [Hickey et al., 2018](#ref-b))
    @a                      -> [Staniszewska et al.](#ref-a) (2022)

Each link's text is the style's citation of that one item without the parentheses the
style's citation layout puts around a whole citation (read from the style, see
:func:`~coprod.cite.processor.citation_affixes`); a narrative citation is the style's
author-only form followed by its year-only form. A marker is markdown (it stands in a
contributor's markdown body), every piece escaped with :func:`~coprod.render.text.md_escape`;
a reference is the processor's HTML (which escapes every value), followed by the entry's
note, escaped with :func:`~coprod.render.markup.esc`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..read import urls
from ..render import markup
from ..render.text import md_escape
from .bibtex import Bibliography
from .csl import bibliography_to_csl
from .latex import latex_text
from .processor import SITE_STYLE, Processor, citation_affixes, shared_processor
from .syntax import Citation, replace_citations

esc = markup.esc
_ENTRY = re.compile(r'^\s*<div class="csl-entry">(.*)</div>\s*$', re.DOTALL)


def _not_found(key: str) -> str:
    return md_escape(f"@{key} (reference not found)")


def _inner(text: str, prefix: str, suffix: str) -> str:
    """``text`` without the citation layout's ``prefix`` and ``suffix`` around it."""
    if prefix and text.startswith(prefix) and suffix and text.endswith(suffix):
        return text[len(prefix):len(text) - len(suffix)]
    return text


def _plain(fragment: str) -> str:
    """The text of a fragment of the processor's HTML."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def entry_html(rendered: str) -> str:
    """The inside of the processor's ``<div class="csl-entry">`` (the whole text if the
    style writes no such element)."""
    match = _ENTRY.match(rendered)
    return (match.group(1) if match else rendered).strip()


@dataclass(frozen=True)
class _Rendered:
    """The bibliography as the style renders it."""

    order: dict[str, int]  # key -> position in the style's order
    entries: dict[str, str]  # key -> HTML
    label: dict[str, str]  # key -> "Brett et al., 2014a"
    author: dict[str, str]  # key -> "Brett et al."
    year: dict[str, str]  # key -> "2014a"


# --------------------------------------------------------------------------- references


class References:
    """The rendered bibliography of one build. Cheap to create; the whole bibliography is
    rendered on first use (labels depend on all of it), once."""

    def __init__(self, bibliography: Bibliography, processor: Processor | None = None,
                 style: str = SITE_STYLE) -> None:
        self.bibliography = bibliography
        self._entries = bibliography.entries
        self._processor = processor
        self.style = style
        self._rendered: _Rendered | None = None
        self._formatted: dict[str, str] = {}  # key -> entry with its note
        self._parenthetical: dict[str, str] = {}  # key -> "[Label, 2020](#ref-key)"
        self._narrative: dict[str, str] = {}  # key -> "[Label](#ref-key) (2020)"

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    # ------------------------------------------------------------------ rendering

    def _all(self) -> _Rendered:
        if self._rendered is None:
            self._rendered = self._render()
        return self._rendered

    def _render(self) -> _Rendered:
        """One bibliography in HTML and, in the same request, three citations of each key:
        the parenthetical one, its author part and its year part, made plain text (the
        processor's markup taken off, its entities decoded) for the markdown links."""
        processor = self._processor or shared_processor()
        items = bibliography_to_csl(self._entries)
        clusters = []
        for item in items:
            key = item["id"]
            clusters += [[{"id": key}], [{"id": key, "author-only": True}], [{"id": key, "suppress-author": True}]]
        rendered = processor.bibliography(self.style, items, clusters)
        prefix, suffix = citation_affixes(self.style)
        label, author, year = {}, {}, {}
        for index, item in enumerate(items):
            key = item["id"]
            whole, who, when = (_plain(text) for text in rendered.clusters[3 * index: 3 * index + 3])
            label[key] = _inner(whole, prefix, suffix)
            author[key] = who
            year[key] = _inner(when, prefix, suffix)
        return _Rendered({key: n for n, key in enumerate(rendered.ids)},
                         {key: entry_html(entry) for key, entry in zip(rendered.ids, rendered.entries)},
                         label, author, year)

    def year(self, key: str) -> str:
        """The year as cited, with any a/b suffix: "2020a", "n.d."."""
        return self._all().year[key]

    def label(self, key: str) -> str:
        """Parenthetical label, plain text: "Staniszewska et al., 2022". KeyError if unknown."""
        return self._all().label[key]

    def narrative(self, key: str) -> str:
        """Narrative label, plain text: "Staniszewska et al. (2022)", "Knowles and Smith (2021)"."""
        rendered = self._all()
        return f"{rendered.author[key]} ({rendered.year[key]})"

    # ------------------------------------------------------------------ order

    def sort_key(self, key: str) -> int:
        """The key's place in the style's order of the whole bibliography."""
        return self._all().order[key]

    def sorted(self, keys: list[str]) -> list[str]:
        """The known keys among ``keys``, unique, in the style's order."""
        return sorted({k for k in keys if k in self._entries}, key=self.sort_key)

    def ordered_keys(self) -> list[str]:
        """Every entry of the bibliography, in the style's order."""
        return self.sorted(list(self._entries))

    # ------------------------------------------------------------------ entries

    def note(self, key: str) -> str:
        """The entry's note (decoded, plain text), or ""."""
        return latex_text(self._entries[key].fields.get("note", ""))

    def entry(self, key: str) -> str:
        """The reference as HTML, as the style renders it, with its note (if any) after it
        as "<em>Note:</em> ...". KeyError if unknown."""
        formatted = self._formatted.get(key)
        if formatted is None:
            note = self.note(key)
            formatted = self._all().entries[key] + (" <em>Note:</em> " + esc(note) if note else "")
            self._formatted[key] = formatted
        return formatted

    # ------------------------------------------------------------------ markers

    def _link(self, key: str) -> str:
        """"[Label, 2020](#ref-key)", cached."""
        cached = self._parenthetical.get(key)
        if cached is None:
            cached = self._parenthetical[key] = f"[{md_escape(self.label(key))}](#{urls.reference_anchor(key)})"
        return cached

    def _narrative_link(self, key: str) -> str:
        """"[Label](#ref-key) (2020)", cached."""
        cached = self._narrative.get(key)
        if cached is None:
            rendered = self._all()
            anchor = "#" + urls.reference_anchor(key)
            cached = self._narrative[key] = (f"[{md_escape(rendered.author[key])}]({anchor}) "
                                             f"({md_escape(rendered.year[key])})")
        return cached

    def link_or_text(self, key: str) -> str:
        """HTML: a link to the key's entry in this page's References, or (for a key not in
        the bibliography, which only a build that skipped validation can meet) the key as text."""
        if key not in self:
            return esc(f"@{key} (reference not found)")
        return markup.link(f"#{urls.reference_anchor(key)}", esc(self.label(key)))

    def render_body(self, markdown: str) -> tuple[str, list[str]]:
        """``markdown`` with every citation replaced by links to this page's References
        section (``#ref-<key>``); returns it and the cited keys that exist in the
        bibliography, in order of first citation, each once. A key that is not in the
        bibliography becomes the plain text "@key (reference not found)", never a link."""
        cited: dict[str, None] = {}

        def render(citation: Citation) -> str:
            for item in citation.items:
                if item.key in self._entries:
                    cited.setdefault(item.key)
            return self._render_citation(citation)

        return replace_citations(markdown, render), list(cited)

    def render_citation(self, citation: Citation) -> str:
        """One citation as :meth:`render_body` writes it (markdown)."""
        return self._render_citation(citation)

    def _render_citation(self, citation: Citation) -> str:
        if not citation.bracketed:
            key = citation.items[0].key
            return self._narrative_link(key) if key in self._entries else _not_found(key)
        items = []
        for item in citation.items:
            text = self._link(item.key) if item.key in self._entries else _not_found(item.key)
            if item.prefix:
                text = f"{md_escape(item.prefix)} {text}"
            if item.locator:
                text = f"{text}, {md_escape(item.locator)}"
            items.append(text)
        return "(" + "; ".join(items) + ")"

    # ------------------------------------------------------------------ sections

    def item(self, key: str) -> str:
        """One reference as the HTML inside its list item, starting with its anchor element."""
        return f'<span id="{urls.reference_anchor(key)}"></span>{self.entry(key)}'

    def section(self, keys: list[str], page_uri: str, heading: str = "References") -> str:
        """A "## References" section of the known ``keys`` in the style's order (empty string if
        there are none): the heading in markdown, then the list as an HTML block. Each item
        starts with ``<span id="ref-key">`` (the target of the page's citation links) and
        ends with a link to the entry on the bibliography page, relative to ``page_uri``
        (this page's docs/ path)."""
        listed = self.section_list(keys, page_uri)
        return f"## {md_escape(heading)}\n\n{listed}\n" if listed else ""

    def section_list(self, keys: list[str], page_uri: str) -> str:
        """The list of :meth:`section` (HTML, '' if no key is known), for a page made from a template."""
        shown = self.sorted(keys)
        if not shown:
            return ""
        items = [f"{self.item(key)} "
                 + markup.link(urls.href(page_uri, urls.REFERENCES, urls.reference_anchor(key)),
                               "all pages citing this")
                 for key in shown]
        return markup.bullet_list(items, "coprod-references")
