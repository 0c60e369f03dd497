"""coprod.render.markup's escaping: its fast path for plain text changes nothing it returns."""

from __future__ import annotations

import html

from hypothesis import given, settings
from hypothesis import strategies as st

from coprod.render.markup import esc, esc_lines

_TEXT = st.text(alphabet=st.sampled_from(list("ab &<>\"'\r\t\n\x02\x03é")), max_size=30)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_esc_is_html_escape_on_one_line(text: str) -> None:
    expected = html.escape(text, quote=True).replace("\r", " ").replace("\t", " ").replace("\x02", "")
    expected = expected.replace("\x03", "")
    assert esc_lines(text) == expected
    assert esc(text) == expected.replace("\n", " ")


def test_esc_takes_any_value() -> None:
    assert esc(2026) == "2026"
    assert esc('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"


def test_inline_is_what_python_markdown_makes_of_the_packages_own_sentences() -> None:
    import markdown

    from coprod.pages import exports
    from coprod.read.fields import REQUIRED_NOTE
    from coprod.render.markup import inline

    for text in (REQUIRED_NOTE, exports.INTRO.strip(), "a `<b> & c` *d* e\nf `g`"):
        assert f"<p>{inline(text)}</p>" == markdown.markdown(text), text
    assert inline("<script>*x*</script>") == "&lt;script&gt;<em>x</em>&lt;/script&gt;"
