"""Where every generated page lives. These paths are the site's public interface: a page's
address comes from its id or key and never changes.

Pages are named by their source path under docs/ (``case-studies/<id>.md``); MkDocs turns
that into the address ``/case-studies/<id>/``. Links in markdown are written as relative
``.md`` paths with :func:`rel`, so MkDocs checks them at build time; links in the HTML blocks
the generator writes itself (which MkDocs passes through untouched) are the final relative
addresses from :func:`href`, which MkDocs does not check: the test suite's offline link
check of the built site (``tools.linkcheck``, tests/pages/test_links.py) covers them.
"""

from __future__ import annotations

import posixpath
import re

from .kinds import CASE_STUDY, CLAIM

HOME = "index.md"
HOME_STATS = "<!-- library-stats -->"  # where the home page's live part goes in docs/index.md
CATALOGUE = "case-studies/index.md"
BUSINESS_CASE = "business-case/index.md"
EVIDENCE_MAP = "evidence-map/index.md"
REFERENCES = "references/index.md"
DATA = "data/index.md"

CATALOGUE_PAGE_SIZE = 50


def case_study(case_id: str) -> str:
    return f"case-studies/{case_id}.md"


def claim(claim_id: str) -> str:
    return f"business-case/{claim_id}.md"


RECORD_ADDRESS = {CASE_STUDY.key: case_study, CLAIM.key: claim}  # a record's page, by its kind


def term_in(folder: str, key: str) -> str:
    """A taxonomy term's page, or a value's (a country's, a year's); the folder is the
    field's ``x-folder`` in the schema (:class:`coprod.model.fieldmap.Facet` looks it up)."""
    return f"{folder}/{key}.md"


def vocabulary_in(folder: str) -> str:
    return f"{folder}/index.md"


def catalogue_page(number: int) -> str:
    """Page ``number`` (from 1) of the catalogue's static, no-JavaScript list."""
    return CATALOGUE if number == 1 else f"case-studies/page/{number}.md"


def slug(text: str) -> str:
    """A URL-safe, lower-case, hyphenated form of ``text`` ("United Kingdom" -> "united-kingdom")."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def reserved_names(folder: str) -> frozenset[str]:
    """The names in ``folder`` that the build's own pages take, so that no id, alias, term
    key or country may: ``index`` (a folder's own page, and its ``cite.bib`` beside it) and,
    in ``case-studies``, ``page`` (the catalogue's pagination). Read from the addresses
    above, so a new generated page reserves its name here without a second list."""
    fixed = [HOME, CATALOGUE, BUSINESS_CASE, EVIDENCE_MAP, REFERENCES, DATA, catalogue_page(2), vocabulary_in(folder)]
    names = set()
    for uri in fixed:
        if uri.startswith(folder + "/"):
            names.add(uri[len(folder) + 1:].split("/", 1)[0].removesuffix(".md"))
    return frozenset(names)


def reference_anchor(key: str) -> str:
    """The id of a reference's entry on a page and on /references/ ("ref-" + a safe key)."""
    return "ref-" + re.sub(r"[^A-Za-z0-9_-]", "-", key)


def relpath(path: str, start: str) -> str:
    """``posixpath.relpath(path, start)``, without the two ``abspath`` calls (and, for
    relative paths, the ``getcwd``) it makes on each of the build's 50,000 links."""
    to = [part for part in path.split("/") if part and part != "."]
    base = [part for part in start.split("/") if part and part != "."]
    if path.startswith("/") != start.startswith("/") or ".." in to or ".." in base or not path:
        return posixpath.relpath(path, start)
    common = 0
    while common < min(len(to), len(base)) and to[common] == base[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + to[common:]) or "."


def rel(from_uri: str, to_uri: str, anchor: str = "") -> str:
    """A relative link from the page ``from_uri`` to ``to_uri`` (both docs/ paths)."""
    if to_uri == from_uri:
        path = ""
    else:
        path = relpath(to_uri, posixpath.dirname(from_uri) or ".")
    return path + (f"#{anchor}" if anchor else "")


def href(from_uri: str, to_uri: str, anchor: str = "") -> str:
    """The link MkDocs would write for :func:`rel` (directory URLs): from the page
    ``case-studies/x.md`` (address /case-studies/x/) to ``principles/y.md`` it is
    ``../../principles/y/``; to the page itself it is just the anchor."""
    if to_uri == from_uri and anchor:
        return f"#{anchor}"
    path = relpath(address(to_uri), address(from_uri).rsplit("/", 1)[0] or "/")
    path = "./" if path == "." else path + ("/" if address(to_uri).endswith("/") else "")
    if ":" in path.split("/", 1)[0]:
        path = "./" + path  # never read as a scheme ("javascript:..."), whatever an id holds
    return path + (f"#{anchor}" if anchor else "")


def address(uri: str) -> str:
    """The public address of a page: ``case-studies/x.md`` -> ``/case-studies/x/``."""
    if uri == HOME:
        return "/"
    if uri.endswith("/index.md"):
        return "/" + uri[: -len("index.md")]
    if uri.endswith(".md"):
        return "/" + uri[:-3] + "/"
    return "/" + uri
