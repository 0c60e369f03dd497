"""coprod.render.sanitize.sanitize_region in one pass of the sanitiser gives what two passes gave:
the first to find the ids, the second to rename them and the links to them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coprod.render import sanitize

_NAMES = ["x", "x&y", 'q"t', "a b", "é", "x\u00a0y", "<b>", "x:y", ""]
_PIECES = st.one_of(
    st.sampled_from(["<p>", "</p>", "</a>", "<h2>", "</h2>", " text ", ' href="#x" ', "<code>", "</code>", "&amp;",
                     "<script>", "<img src='https://other.example/i.png' alt='a'>", "<!-- c -->"]),
    st.builds(lambda n, q: f"<h2 id={q}{n}{q}>", st.sampled_from(_NAMES), st.sampled_from(['"', "'"])),
    st.builds(lambda n, t: f'<a href="#{n}" title="{t}">', st.sampled_from(_NAMES),
              st.sampled_from(["", '&lt;a href="#x"&gt;', "a>b", "x href=#x"])),
    st.builds(lambda n: f"<a href='https://e.org/#{n}' id='{n}'>", st.sampled_from(_NAMES)),
    st.builds(lambda n: f'<p id="{n}"><a title=x href=#{n}>', st.sampled_from(_NAMES)),
)


def _two_passes(html: str) -> tuple[str, dict[str, str]]:
    ids: list[str] = []

    def collect(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            ids.append(value)
        return sanitize._KEEP(tag, attribute, value)

    cleaned = sanitize._clean(html, collect)
    if not ids:
        return cleaned, {}
    rename = {old: sanitize.ID_PREFIX + old for old in ids}
    return sanitize._clean(html, sanitize._filter(rename)), rename


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_one_pass_is_the_two_passes(html: str) -> None:
    assert sanitize.sanitize_region(html) == _two_passes(html)


def test_a_link_before_its_heading_follows_the_rename() -> None:
    html, renamed = sanitize.sanitize_region('<p><a href="#later">see</a></p><h2 id="later">Later</h2>')
    assert html == '<p><a href="#body-later">see</a></p><h2 id="body-later">Later</h2>'
    assert renamed == {"later": "body-later"}
