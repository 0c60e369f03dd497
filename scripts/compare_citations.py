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

Texts are compared as a reader sees them (tags removed, entities decoded, spaces made
one). Each difference is printed with its cause where it is one of citeproc-py's known
defects, so a new kind of difference stands out.

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
    return "other"


class PyProcessor:
    """citeproc-py with the same style files and locale as the build."""

    def __init__(self) -> None:
        from citeproc import CitationStylesStyle

        self.styles = {name: CitationStylesStyle(str(style_file(name)), locale="en-US", validate=False)
                       for name in {SITE_STYLE, *CITE_STYLES.values()}}

    def render(self, style: str, items: list[dict]) -> dict[str, str]:
        """key -> HTML of each item, as one bibliography (sorted by the style)."""
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
        from citeproc.source.json import CiteProcJSON

        bibliography = CitationStylesBibliography(self.styles[style], CiteProcJSON(items), formatter.html)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        ids = {item["id"].lower(): item["id"] for item in items}  # citeproc-py lowercases keys
        rendered = [str(entry) for entry in bibliography.bibliography()]
        return {ids[key]: entry for key, entry in zip(bibliography.keys, rendered)}


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
