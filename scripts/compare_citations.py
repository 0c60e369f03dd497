#!/usr/bin/env python3
"""Render a built site's citations again with the CSL processor the build does not use
(citeproc-py, in process) and count, per style, how many come out the same.

The build renders every human-readable citation with citeproc-js (coprod/cite/processor.py
says why). This script reads what the built site published, never the evidence:

- every reference of ``/references/`` (APA), against its CSL-JSON item in
  ``/data/references.json``, rendered as one bibliography;
- every "Cite this page" box: each style's citation against the page's own CSL-JSON item
  (the box's CSL-JSON block), rendered alone, with the access date left for the reader as
  the build leaves it.

citeproc-py 0.11.1 has defects citeproc-js has not; the script corrects them in the open,
each where the CSL specification puts the behaviour, never by editing rendered text (each
is written so that it could go upstream as it is):

- field text is CSL-JSON rich text: straight quotation marks and apostrophes become the
  locale's marks (:func:`typographic`, applied to the items before rendering);
- year suffixes (2014a, 2014b) where the style's ``<citation>`` asks for
  ``disambiguate-add-year-suffix``, assigned in bibliography order
  (:meth:`PyProcessor.year_suffixes`, passed as each item's ``year-suffix``);
- no "?." where a title's "?" meets the style's "." (:func:`_seam`, citeproc-py's
  ``normalize_seam`` extended);
- a title that stood in for a missing author is printed once (:func:`_patch_substitution`).

Texts are compared as a reader sees them (tags removed, entities decoded, spaces made
one). Each difference is printed with its cause where it is a known defect, so a new kind
of difference stands out.

    python3 scripts/compare_citations.py site/           # after: python3 scripts/dev.py build
    python3 scripts/compare_citations.py site/ --show 5  # and up to 5 differences per style
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from coprod.cite.formats import ACCESSED
from coprod.cite.processor import CITE_STYLES, SITE_STYLE, style_file

ENTRY = re.compile(r'<span id="ref-([^"]+)"></span>(.*?)(?: <em>Note:</em>.*?)?(?: <a href="[^"]*">all pages citing '
                   r"this</a>)?</p>", re.DOTALL)
BOX_STYLE = re.compile(r'<strong>([^<]+)</strong> <button[^>]*>[^<]*</button></p>\s*'
                       r'<p class="coprod-cite__text" id="cite-\d+"[^>]*>(.*?)</p>', re.DOTALL)
BOX_CSL = re.compile(r'<strong>CSL-JSON</strong>.*?<pre><code id="cite-\d+">(.*?)</code></pre>', re.DOTALL)


def text(fragment: str) -> str:
    """What a reader sees of an HTML fragment, spaces made one."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def cause(ours: str, theirs: str) -> str:
    """The known citeproc-py defect that explains a difference, or "other"."""
    if re.sub(r"(\d{4}|n\.d\.)-?[a-z]\b", r"\1", ours) == theirs:
        return "no year suffixes (2014a/2014b): citeproc-py does not disambiguate"
    quotes = str.maketrans({"“": "'", "”": "'", "‘": "'", "’": "'", '"': "'"})
    if ours.translate(quotes) == theirs.translate(quotes):
        return "straight quotes: citeproc-py makes no typographic (locale) quotation marks"
    title = re.match(r"(.+?)\.? \((?:\d{4}|n\.d\.)[^)]*\)\. ", theirs)
    if title and theirs.count(title.group(1)) == 2 and ours.count(title.group(1)) == 1:
        return "title printed twice for a work without author: citeproc-py does not suppress a substituted variable"
    if re.sub(r"([,.])”", r"”\1", ours) == theirs or re.sub(r"([,.])’", r"’\1", ours) == theirs:
        return "punctuation outside quotation marks: citeproc-py ignores the locale's punctuation-in-quote"
    if theirs.replace("?.", "?").replace("!.", "!") == ours:
        return "doubled punctuation (?.): citeproc-py does not collapse it"
    if re.sub(r"(\d{4}) ?([A-Z][a-z]{2}) ?(\d{1,2})", r"\1 \2 \3", theirs) == ours:
        return "date parts run together (2026Dec6): citeproc-py drops a date's delimiters"
    if re.sub(r"\b([a-z]+) \.", r"\1", theirs) == ours:
        return ("a particle ending a given name ('Sebastião de') initialised as 'de .': citeproc-py does not "
                "parse particles out of given names")
    return "other"


# ---------------------------------------------------------------------------------------
# citeproc-py, corrected in the open. Each correction below is a defect of citeproc-py 0.11.1
# that citeproc-js does not have, fixed where the CSL specification puts the behaviour (the
# input's rich text, the style's disambiguation, the output's punctuation), never by editing
# a rendered string; each could go upstream as it is.

def typographic(text: str, quotes: tuple[str, str, str, str]) -> str:
    """A field's straight quotation marks and apostrophes as the locale's typographic ones.

    CSL-JSON field values are rich text (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html):
    a span in ``"..."`` or ``'...'`` is a quotation, printed with the locale's
    ``open-quote``/``close-quote`` terms (a quotation inside one with the inner terms), and a
    ``'`` after a letter that closes no quotation is an apostrophe (’). citeproc-js reads
    them so; citeproc-py prints the straight characters. ``quotes`` is (open, close, inner
    open, inner close) from the style's locale. A quotation inside one the style adds itself
    (``quotes="true"``) is not flipped to the inner marks: no style here quotes a field that
    holds one in this library."""
    out: list[str] = []
    stack: list[str] = []  # the straight marks of the quotations open here, innermost last

    def mark(depth: int, closing: bool) -> str:
        outer = depth % 2 == 0
        return quotes[(1 if closing else 0) + (0 if outer else 2)]

    for index, char in enumerate(text):
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if char not in "'\"":
            out.append(char)
            continue
        opens = (before.isspace() or before in "([\u2014\u2013/-") and not after.isspace() and _closed(text, index)
        if char == "'" and before.isalnum() and after.isalnum():
            out.append("\u2019")  # an apostrophe inside a word: I'm, Ireland's
        elif stack and stack[-1] == char and not opens:
            stack.pop()
            out.append(mark(len(stack), closing=True))
        elif opens:
            out.append(mark(len(stack), closing=False))
            stack.append(char)
        else:
            out.append("\u2019" if char == "'" else quotes[1])  # Physicians' (an apostrophe), a stray "
    return "".join(out)


def _closed(text: str, index: int) -> bool:
    """Whether the mark at ``index`` is closed later (a mark not inside a word): an
    unmatched one is no quotation, and citeproc-js prints it as an apostrophe."""
    char = text[index]
    for at in range(index + 1, len(text)):
        if text[at] == char:
            before, after = text[at - 1], text[at + 1] if at + 1 < len(text) else " "
            if not (char == "'" and before.isalnum() and after.isalnum()):
                return True
    return False


VERBATIM = {"id", "type", "URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID"}  # identifiers: no rich text


def _typographic_items(items: list[dict], quotes: tuple[str, str, str, str]) -> list[dict]:
    """The items with every text field read as rich text (:func:`typographic`); names and
    dates are structured and identifiers verbatim."""
    def convert(value):
        if isinstance(value, str):
            return typographic(value, quotes)
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: (v if k in ("date-parts", "raw") else convert(v)) for k, v in value.items()}
        return value
    return [{key: (value if key in VERBATIM or key in ("issued", "accessed") else convert(value))
             for key, value in item.items()} for item in items]


def _seam(normalize):
    """citeproc-py's ``normalize_seam`` (the join of two pieces of output), also dropping a
    period that follows a question or exclamation mark, as citeproc-js does ("care?" + "."
    gives "care?", not "care?."): the CSL specification's punctuation rule for affixes and
    delimiters. Markup at the end of the left piece (``</i>``) is looked through."""
    def seam(left, other):
        visible = re.sub(r"(?:</[a-z]+>)+$", "", str(left))
        if str(other)[:1] == "." and visible[-1:] in ("?", "!"):
            return normalize(left, other[1:] if hasattr(other, "__getitem__") else other)
        return normalize(left, other)
    return seam


def _patch_seams() -> None:
    import citeproc.model
    import citeproc.string

    if getattr(citeproc.string.normalize_seam, "_coprod", False):
        return
    seam = _seam(citeproc.string.normalize_seam)
    seam._coprod = True
    citeproc.string.normalize_seam = seam  # used by citeproc.string.join (delimiters)
    citeproc.model.normalize_seam = seam  # used by citeproc.model.Affixed.wrap (affixes)


_RENDERED: list[list[tuple[str, str]]] = []  # while a substitute renders: the (tag, variable) it printed


def _patch_substitution() -> None:
    """A variable that stood in for a missing author is printed once (CSL specification,
    ``cs:substitute``: "substituted variables are suppressed in the rest of the output").
    citeproc-py suppresses a substitute only when it is a variable itself; when it is a
    macro (APA's title for a work without author) the title is printed again later. The
    patch suppresses every variable the substitute actually printed."""
    from citeproc import model

    if getattr(model.Substitute.render, "_coprod", False):
        return
    variable = model.Text._variable

    def logged_variable(self, item, context):
        value = variable(self, item, context)
        if value and _RENDERED:
            _RENDERED[-1].append((self.tag, self.get("variable")))
        return value

    def render(self, item, context=None, **kwargs):
        text = None
        for child in self.getchildren():
            _RENDERED.append([])
            try:
                if isinstance(child, model.Names) and child.name is None:
                    names = self.xpath_search("./parent::cs:names[1]")[0]
                    text = child.render(item, names_context=names, context=context, **kwargs)
                else:
                    text = child.render(item, context=context, **kwargs)
            except model.VariableError:
                continue
            finally:
                printed = _RENDERED.pop()
            if text:
                self.add_to_repressed_list(child, context)
                layout = context.get_layout()
                for tag, name in printed:
                    layout.repressed.setdefault(tag, []).append(name)
                break
        return text

    render._coprod = True
    model.Text._variable = logged_variable
    model.Substitute.render = render


class PyProcessor:
    """citeproc-py with the same style files and locale as the build, and the corrections
    above: typographic quotes and apostrophes, year suffixes by the style's disambiguation
    rules (:meth:`year_suffixes`), no "?." at a seam."""

    def __init__(self) -> None:
        from citeproc import CitationStylesStyle

        _patch_seams()
        _patch_substitution()
        self.styles = {name: CitationStylesStyle(str(style_file(name)), locale="en-US", validate=False)
                       for name in {SITE_STYLE, *CITE_STYLES.values()}}

    def quotes(self, style: str) -> tuple[str, str, str, str]:
        root = self.styles[style].root  # the style's own terms, then its locale's, as citeproc-py looks them up
        return tuple(root.get_term(name).text for name in
                     ("open-quote", "close-quote", "open-inner-quote", "close-inner-quote"))

    def render(self, style: str, items: list[dict]) -> dict[str, str]:
        """key -> HTML of each item, as one bibliography (sorted by the style)."""
        items = _typographic_items(items, self.quotes(style))
        suffixes = self.year_suffixes(style, items)
        if suffixes:
            items = [dict(item, **{"year-suffix": suffixes[item["id"]]}) if item["id"] in suffixes else item
                     for item in items]
        bibliography, ids = self._bibliography(style, items)
        rendered = [str(entry) for entry in bibliography.bibliography()]
        return {ids[key]: entry for key, entry in zip(bibliography.keys, rendered)}

    def _bibliography(self, style: str, items: list[dict], plain: bool = False):
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
        from citeproc.source.json import CiteProcJSON

        output = formatter.plain if plain else formatter.html
        bibliography = CitationStylesBibliography(self.styles[style], CiteProcJSON(items), output)
        citations = []
        for item in items:
            citations.append(Citation([CitationItem(item["id"])]))
            bibliography.register(citations[-1])
        bibliography.citations = citations
        ids = {item["id"].lower(): item["id"] for item in items}  # citeproc-py lowercases keys
        return bibliography, ids

    def year_suffixes(self, style: str, items: list[dict]) -> dict[str, str]:
        """Item id -> "a", "b", ... where the style asks for them and citeproc-py gives none.

        CSL's ``disambiguate-add-year-suffix`` (on the style's ``<citation>``): cites that
        render the same are told apart first by adding names and given names (where the style
        enables those: it helps only if the full name lists differ), then by a letter after
        the year, given in the order of the bibliography (https://docs.citationstyles.org/en/stable/specification.html#disambiguation)."""
        root = self.styles[style].root
        citation = root.find("{http://purl.org/net/xbiblio/csl}citation")
        if citation is None or citation.get("disambiguate-add-year-suffix") != "true":
            return {}
        # sorted with plain-text keys: citeproc-py compares sort keys with their markup, so an
        # italic title ("<i>C...") sorts before a plain one ("C..."); citeproc-js compares text
        bibliography, ids = self._bibliography(style, items, plain=True)
        bibliography.sort()
        by_id = {item["id"]: item for item in items}
        order = [ids[key] for key in bibliography.keys]
        groups: dict[tuple, list[str]] = {}
        for cite in bibliography.citations:
            key = ids[cite.cites[0].key]
            rendered = text(str(bibliography.cite(cite, lambda item: None)))
            names = json.dumps(by_id[key].get("author") or by_id[key].get("editor") or by_id[key].get("title"),
                               sort_keys=True)
            groups.setdefault((rendered, names), []).append(key)
        suffixes = {}
        for members in groups.values():
            if len(members) > 1:
                for index, key in enumerate(sorted(members, key=order.index)):
                    suffixes[key] = chr(ord("a") + index)
        return suffixes


def compare(site: Path, show: int) -> int:
    py = PyProcessor()
    results: dict[str, list[tuple[str, str, str]]] = {}  # style label -> [(where, ours, theirs)]

    # the bibliography page
    items = json.loads((site / "data" / "references.json").read_text(encoding="utf-8"))
    page = (site / "references" / "index.html").read_text(encoding="utf-8")
    ours = {key: text(entry) for key, entry in ENTRY.findall(page)}
    theirs = py.render(SITE_STYLE, items)
    label = "APA 7, /references/"
    results[label] = [(key, ours[key], text(theirs.get(key, ""))) for key in sorted(ours)]

    # every cite box
    for index in sorted(site.rglob("index.html")):
        page = index.read_text(encoding="utf-8")
        csl = BOX_CSL.search(page)
        if not csl:
            continue
        (item,) = json.loads(html.unescape(csl.group(1)))
        item["accessed"] = {"literal": ACCESSED}  # as the build renders it
        where = "/" + index.parent.relative_to(site).as_posix() + "/"
        for style_label, shown in BOX_STYLE.findall(page):
            style = CITE_STYLES.get(html.unescape(style_label))
            if style is None:
                continue
            rendered = py.render(style, [item]).get(item["id"], "")
            rendered = re.sub(r"^\d+\.\s*", "", text(rendered))  # a numbered style's "1.": the box leaves it out
            results.setdefault(f"{style_label}, cite boxes", []).append((where, text(shown), rendered))

    failed = 0
    for label, rows in results.items():
        same = sum(1 for _, a, b in rows if a == b)
        share = 100 * same / len(rows) if rows else 100.0
        print(f"{label}: {same} of {len(rows)} identical ({share:.0f}%)")
        causes = Counter(cause(a, b) for _, a, b in rows if a != b)
        for reason, count in causes.most_common():
            print(f"    {count:4d}  {reason}")
        shown = 0
        for where, a, b in rows:
            if a != b and shown < show:
                shown += 1
                print(f"    {where}\n      site (citeproc-js): {a}\n      citeproc-py:        {b}")
        failed += share < 95
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site folder (mkdocs build's site/)")
    parser.add_argument("--show", type=int, default=0, help="print up to this many differences per style")
    args = parser.parse_args(argv)
    if not (args.site / "references" / "index.html").is_file():
        print(f"{args.site}: not a built site (no references/index.html); build it first", file=sys.stderr)
        return 2
    return compare(args.site, args.show)


if __name__ == "__main__":
    sys.exit(main())
