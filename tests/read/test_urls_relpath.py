"""coprod.read.urls.relpath is posixpath.relpath, faster: the same answer for every pair of paths."""

from __future__ import annotations

import posixpath

from hypothesis import given, settings
from hypothesis import strategies as st

from coprod.read import urls

_PART = st.sampled_from(["a", "b", "case-studies", "x.md", ".", "..", "", "index.md", "a b", "é"])


def _path(absolute: bool):
    return st.lists(_PART, min_size=1, max_size=5).map(lambda parts: ("/" if absolute else "") + "/".join(parts))


@settings(max_examples=500, deadline=None)
@given(st.booleans(), st.data())
def test_relpath_is_posixpath_relpath(absolute: bool, data) -> None:
    path, start = data.draw(_path(absolute)), data.draw(_path(data.draw(st.booleans())))
    try:
        expected = posixpath.relpath(path, start)
    except ValueError:  # an empty path
        expected = ValueError
    try:
        found = urls.relpath(path, start)
    except ValueError:
        found = ValueError
    assert found == expected, (path, start)


def test_relpath_on_the_site_s_links() -> None:
    assert urls.relpath("/principles/reciprocity/", "/case-studies/x") == "../../principles/reciprocity"
    assert urls.relpath("principles/reciprocity.md", "case-studies") == "../principles/reciprocity.md"
    assert urls.relpath("/case-studies/x/", "/case-studies/x") == "."
    assert urls.href("case-studies/x.md", "principles/y.md") == "../../principles/y/"


def test_href_never_starts_with_a_scheme() -> None:
    assert urls.href("case-studies/index.md", "case-studies/x.md") == "x/"
    assert urls.href("case-studies/index.md", "case-studies/javascript:alert(1).md") == "./javascript:alert(1)/"
    assert urls.href("case-studies/x.md", "case-studies/x.md", "ref-a") == "#ref-a"
    assert urls.href("index.md", "index.md") == "./"
