"""Safety checks for markdown bodies and plain-text fields, and a readability score.

Bodies are written by strangers in pull requests and compiled into the site, so anything
that could put script into a page is an error: raw HTML of any kind, links whose scheme is
not http/https/mailto (in any spelling or encoding), attribute lists that set event
handlers or styles, and extensions that include files or run templates. Images need alt
text. Code (fenced/indented blocks, inline code spans) may contain anything.

The scanner is deliberately conservative: when it is unsure whether something is code, it
checks it. Code regions come from :mod:`coprod.citations`, so both agree on them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import unquote

import markdown

from coprod.citations import (
    LineIndex,
    Span,
    block_code_regions,
    code_span_regions,
    in_spans,
    link_destination_spans,
    mask,
    paren_end,
)
from coprod.problems import Report

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlinkhref", "srcset", "poster", "background",
     "cite", "data", "codebase", "ping", "lowsrc", "dynsrc", "manifest"}
)
FORBIDDEN_ATTRIBUTES = frozenset({"style", "srcdoc"})

FENCED_CODE_ENABLED = False
"""Whether the site's markdown treats ``` fences as code blocks. mkdocs.yml enables only
attr_list, tables and toc, so a fence is *not* code: ``<script>`` inside one becomes raw
HTML and must be reported. Set to True when fenced_code or pymdownx.superfences is added
(then also check ``_FENCE_OPEN_RE`` in coprod.citations accepts its info strings)."""

_HTML_HINT = "use markdown instead of HTML; to show a literal <, put a space after it or use `code`"
_LINK_HINT = "links must start with https://, http://, mailto: or be relative like ../page/ or #section"
_ATTR_HINT = "attribute lists may only set #id and .class"


# --------------------------------------------------------------------------- URLs


_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f-\x9f\s`<>\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]+")
_TITLE_RE = re.compile(r"\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\))\s*$")


def decode_url(url: str, rounds: int = 10) -> str:
    """``url`` with HTML entities and %-escapes decoded until stable, then every
    whitespace, control and invisible character removed (browsers drop some of them
    inside a scheme; removing all is the safe side)."""
    for _ in range(rounds):
        decoded = unquote(html.unescape(url))
        if decoded == url:
            break
        url = decoded
    return _INVISIBLE_RE.sub("", url)


def url_scheme(url: str) -> str:
    """The lower-cased scheme of ``url`` after decoding, or "" for a relative URL."""
    m = _SCHEME_RE.match(decode_url(url))
    return m.group(1).lower() if m else ""


def bad_scheme(url: str) -> str:
    """The scheme if it is not allowed (``javascript``, ``data``, ...), else ""."""
    scheme = url_scheme(url)
    return "" if not scheme or scheme in ALLOWED_SCHEMES else scheme


# --------------------------------------------------------------------------- the body


class _Body:
    """A body and its masked views; ``err`` reports at real file lines."""

    def __init__(self, text: str, report: Report, path: str, first_line: int, fenced: bool) -> None:
        self.text = text
        blocks = block_code_regions(text, fenced)
        self.blocks_masked = mask(text, blocks)  # code blocks hidden, code spans kept
        self.masked = mask(self.blocks_masked, code_span_regions(self.blocks_masked))
        self.lines = LineIndex(text)
        self.report, self.path, self.first_line = report, path, first_line

    def err(self, offset: int, message: str, hint: str = "") -> None:
        line = self.first_line + self.lines.line(offset) - 1
        self.report.error(self.path, line, "body", message, hint)


def check_body(
    text: str, report: Report, path: str, first_line: int, *, fenced_code: bool | None = None,
    render_check: bool = True,
) -> None:
    """Report unsafe markup in a markdown body; body line n is file line first_line+n-1.

    ``fenced_code`` says whether ``` fences are code blocks (default
    :data:`FENCED_CODE_ENABLED`, the site's setting). ``render_check`` renders the body
    with Python-Markdown as a backstop (about 3 ms a body); pass False if the caller runs
    :func:`unsafe_html` on the HTML it renders anyway."""
    fenced = FENCED_CODE_ENABLED if fenced_code is None else fenced_code
    body = _Body(text, report, path, first_line, fenced)
    errors_before = len(report.errors)
    destinations = _check_inline_links(body)
    _check_reference_definitions(body)
    _check_angle_brackets(body, destinations)
    _check_attribute_lists(body)
    _check_images(body)
    _check_includes(body)
    if render_check and len(report.errors) == errors_before:
        _check_rendered(body, fenced)


# --------------------------------------------------------------------------- backstop

MARKDOWN_EXTENSIONS = ("admonition", "attr_list", "tables", "toc")  # as in mkdocs.yml (a test checks)
"""The markdown extensions mkdocs.yml enables (keep in step with it)."""

SAFE_RENDERED_TAGS = frozenset(
    {"p", "a", "img", "code", "pre", "em", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
     "li", "blockquote", "hr", "br", "div", "sup", "table", "thead", "tbody", "tr", "th", "td"}
)


class _RenderedHtml(HTMLParser):
    """Collects what is unsafe in rendered HTML: unexpected tags, comments, event
    handlers, styles and bad URL schemes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.unsafe: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SAFE_RENDERED_TAGS:
            self.unsafe.append(f"<{tag}>")
        for name, value in attrs:
            plain = re.sub(r"[^a-z]", "", name.lower())
            if plain.startswith("on") or plain in FORBIDDEN_ATTRIBUTES:
                self.unsafe.append(f"{name}=")
            elif plain in URL_ATTRIBUTES and bad_scheme(value or ""):
                self.unsafe.append(f"{name}={_short(value or '')}")

    def handle_comment(self, data: str) -> None:
        self.unsafe.append("<!--")

    def handle_decl(self, decl: str) -> None:
        self.unsafe.append("<!")

    def handle_pi(self, data: str) -> None:
        self.unsafe.append("<?")


def unsafe_html(rendered: str) -> list[str]:
    """What is unsafe in HTML rendered from a body ([] if nothing): tags markdown does not
    make, comments, declarations, event handlers, styles, bad URL schemes."""
    parser = _RenderedHtml()
    parser.feed(rendered)
    parser.close()
    return parser.unsafe


def _check_rendered(body: _Body, fenced: bool) -> None:
    """Backstop: render with Python-Markdown (as the site does) and inspect the HTML.

    The checks above model the renderer and give precise lines; this catches whatever
    the model misses (odd backtick pairings, block splits), reported at the body's start.
    """
    extensions = list(MARKDOWN_EXTENSIONS) + (["fenced_code"] if fenced else [])
    unsafe = unsafe_html(markdown.markdown(body.text, extensions=extensions))
    if unsafe:
        found = ", ".join(dict.fromkeys(unsafe))
        body.err(0, f"the rendered page would contain unsafe HTML: {_short(found, 80)}",
                 "look for raw HTML or odd backticks; " + _HTML_HINT)


def _short(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _check_inline_links(body: _Body) -> list[Span]:
    """``[t](url)`` and ``![alt](url)``: the ``](`` must be outside code, but the
    destination is read with code spans kept, since Python-Markdown puts the text of a
    code span inside a destination into the href."""
    spans = link_destination_spans(body.masked)
    for start, end in spans:
        with_spans_end = paren_end(body.blocks_masked, start - 1)
        raw = body.blocks_masked[start : (with_spans_end - 1) if with_spans_end else end]
        dest = _TITLE_RE.sub("", raw) if not raw.lstrip().startswith("<") else raw
        scheme = bad_scheme(dest)
        if scheme:
            body.err(start, f"link to a `{scheme}:` URL is not allowed: `{_short(raw)}`", _LINK_HINT)
    return spans


_REF_DEF_RE = re.compile(r"(?m)^(?:[ \t>]|[*+-][ \t]|\d+[.)][ \t])*\[(?!\^)[^\[\]\n]+\]:[ \t]*(?:\n[ \t]*)?(\S+)")


def _check_reference_definitions(body: _Body) -> None:
    """``[ref]: url "title"``: the destination (on the same or the next line). Any
    indent, ``>`` or list marker is allowed: definitions also work in list items and quotes."""
    for m in _REF_DEF_RE.finditer(body.masked):
        dest = body.blocks_masked[m.start(1) : m.end(1)]
        scheme = bad_scheme(dest)
        if scheme:
            body.err(m.start(1), f"link definition to a `{scheme}:` URL is not allowed: `{_short(dest)}`",
                     _LINK_HINT)


# ``\<`` is not an escape in Python-Markdown: every ``<`` counts.
_ANGLE_RE = re.compile(r"<(?=[A-Za-z/!?])")
_URL_AUTOLINK_RE = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^<>\s]*)>")
_MAIL_AUTOLINK_RE = re.compile(r"<[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+>")
_TAG_NAME_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9\-]*)")


def _check_angle_brackets(body: _Body, destinations: list[Span]) -> None:
    """Raw HTML (tags, comments, declarations, PIs) and autolinks ``<url>``/``<mail>``."""
    inside = _span_lookup(destinations)
    opened: set[str] = set()
    for m in _ANGLE_RE.finditer(body.masked):
        pos = m.start()
        if inside(pos):
            continue
        autolink = _URL_AUTOLINK_RE.match(body.masked, pos)
        if autolink:
            scheme = bad_scheme(autolink.group(1))
            if scheme:
                body.err(pos, f"autolink to a `{scheme}:` URL is not allowed: `{_short(autolink.group())}`",
                         _LINK_HINT)
            continue
        if _MAIL_AUTOLINK_RE.match(body.masked, pos):
            continue
        tag = _TAG_NAME_RE.match(body.masked, pos)
        name = tag.group(1).lower() if tag else ""
        if tag and tag.group().startswith("</") and name in opened:
            continue  # the opening tag was reported already
        opened.add(name)
        body.err(pos, f"raw HTML is not allowed: {_describe_html(body.masked, pos)}", _HTML_HINT)


_WHOLE_TAG_RE = re.compile(r"<[^<>\n]*>?")


def _describe_html(text: str, pos: int) -> str:
    if text.startswith("<!--", pos):
        return "HTML comment `<!--`"
    if text.startswith("<![CDATA[", pos):
        return "CDATA section `<![CDATA[`"
    if text.startswith("<!", pos):
        return "HTML declaration `<!`"
    if text.startswith("<?", pos):
        return "processing instruction `<?`"
    m = _WHOLE_TAG_RE.match(text, pos)
    return f"tag {_show(m.group() if m else '<')}"


def _span_lookup(spans: list[Span]) -> Callable[[int], bool]:
    ordered = sorted(spans)
    return lambda offset: in_spans(ordered, offset)


_BRACE_RE = re.compile(r"\{")
_ATTRIBUTE_RE = re.compile(r"([^\s={}\"']+)\s*=\s*(\"[^\"]*\"?|'[^']*'?|[^\s}]*)")


def _check_attribute_lists(body: _Body) -> None:
    """``{: #id .class key=value }`` (Python-Markdown attr_list, also on fence lines)."""
    scanned_to = -1
    for m in _BRACE_RE.finditer(body.masked):
        if m.start() < scanned_to:
            continue
        line_end = body.blocks_masked.find("\n", m.start())
        line_end = len(body.text) if line_end < 0 else line_end
        close = body.blocks_masked.rfind("}", m.start(), line_end)
        if close < 0:
            continue
        scanned_to = close
        for attr in _ATTRIBUTE_RE.finditer(body.blocks_masked, m.start() + 1, close):
            _check_attribute(body, attr.start(), attr.group(1), attr.group(2))


def _check_attribute(body: _Body, offset: int, name: str, value: str) -> None:
    plain = re.sub(r"[^a-z]", "", decode_url(name).lower())
    if plain.startswith("on"):
        body.err(offset, f"attribute list sets event handler `{_short(name)}`", _ATTR_HINT)
    elif plain in FORBIDDEN_ATTRIBUTES:
        body.err(offset, f"attribute list sets `{_short(name)}`", _ATTR_HINT)
    elif plain in URL_ATTRIBUTES:
        scheme = bad_scheme(value.strip("\"'"))
        if scheme:
            body.err(offset, f"attribute list sets `{_short(name)}` to a `{scheme}:` URL", _ATTR_HINT)


_IMAGE_RE = re.compile(r"!\[([^\[\]]*)\](?=[(\[])")


def _check_images(body: _Body) -> None:
    for m in _IMAGE_RE.finditer(body.masked):
        alt = body.blocks_masked[m.start(1) : m.end(1)]
        if not alt.strip():
            body.err(m.start(), "image has no alt text",
                     "describe the image for people who cannot see it: ![what it shows](file.png)")


_SNIPPET_RE = re.compile(r"-+8<-+")
_TEMPLATE_RE = re.compile(r"\{\{|\{%|\{!")
_AUTODOC_RE = re.compile(r"(?m)^[ ]{0,3}:::[ \t]*[\w.]")


def _check_includes(body: _Body) -> None:
    """File includes and templates. Snippets and template plugins read the whole file
    before markdown sees code, so these are checked inside code too."""
    seen: set[tuple[int, str]] = set()
    for pattern, what in ((_SNIPPET_RE, "snippet include `--8<--`"),
                          (_TEMPLATE_RE, "template or include tag `{{`, `{%` or `{!`")):
        for m in pattern.finditer(body.text):
            line = body.lines.line(m.start())
            if (line, what) not in seen:
                seen.add((line, what))
                body.err(m.start(), f"{what} is not allowed",
                         "paste the text itself; bodies may not include files or run templates")
    for m in _AUTODOC_RE.finditer(body.masked):
        body.err(m.start(), "`:::` block (code documentation import) is not allowed",
                 "for a call-out box write `!!! note`")


# --------------------------------------------------------------------------- plain text

_PLAIN_CHECKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"</?[A-Za-z!?][^<>]*>?"), "HTML tag"),
    (re.compile(r"&(?:#[0-9]+;?|#[xX][0-9A-Fa-f]+;?|[A-Za-z][A-Za-z0-9]*;)"), "HTML entity"),
    (re.compile(r"!?\[[^\[\]]*\][(\[]"), "link or image"),
    (re.compile(r"(?<![\w*])(\*{1,3})(?=[^\s*])[^*]*?(?<=[^\s*])\1(?![\w*])"), "emphasis"),
    (re.compile(r"(?<![\w_])(_{1,3})(?=[^\s_])[^_]*?(?<=[^\s_])\1(?![\w_])"), "emphasis"),
    (re.compile(r"(`+)[^`]*\1|`+"), "backticks"),
    (re.compile(r"\{\s*[:#.][^}]*\}?|\{[^}]*\bon\w*\s*=[^}]*\}?"), "attribute list"),
    (re.compile(r"-+8<-+|\{\{|\{%"), "include or template tag"),
    (re.compile(r"[\x00-\x08\x0b-\x1f\x7f]"), "control character"),
)


# Every pattern above needs one of these characters: text without them is plain.
_PLAIN_SUSPECT = re.compile(r"[<&\[*_`{\x00-\x08\x0b-\x1f\x7f]")


def html_or_links(value: str) -> list[str]:
    """The HTML tags, entities and markdown links or images in ``value`` (the markup that
    matters in text that is not plain by design, such as BibTeX fields, where LaTeX quotes
    and braces are normal)."""
    found = []
    for pattern, what in _PLAIN_CHECKS[:3]:
        found += [f"{what} {_show(m.group())}" for m in pattern.finditer(value)]
    return found


def has_markup_characters(value: str) -> bool:
    """False when ``value`` cannot hold any markup :func:`check_plain_text` looks for."""
    return _PLAIN_SUSPECT.search(value) is not None


def check_plain_text(value: str, report: Report, path: str, line: int, field: str) -> None:
    """Titles and summaries are plain text: report any markup found in them."""
    if not has_markup_characters(value):
        return
    for pattern, what in _PLAIN_CHECKS:
        for m in pattern.finditer(value):
            report.error(path, line, field, f"plain-text field: no markup ({what} {_show(m.group())})",
                         "write plain words; formatting is added by the site")


def _show(found: str) -> str:
    found = _short(found).encode("unicode_escape").decode("ascii") if not found.isprintable() else _short(found)
    return f"`{found}`" if "`" not in found else f"'{found}'"


# --------------------------------------------------------------------------- readability

READABILITY_MAX_GRADE: float = 9.0
"""Flesch-Kincaid grade above which a text gets a (non-blocking) readability warning.

Grade 9 is the top of the band Flesch called "plain English" (Reading Ease 60-70, read
easily by 13-15 year olds, roughly US grades 8-9). The library is read by patients,
carers and community members as well as staff, so it should be plain English; health
leaflets aim lower (grade 6-8, reading age 9-11), but evidence summaries need some
technical words (co-production, intervention, evaluation), so 9 is a fair ceiling that
an ordinary careful writer can meet with short sentences and everyday words.
"""

READABILITY_MIN_WORDS = 30
"""Below this many words the grade is too noisy to report (a one-line summary)."""

_READABLE_STRIP = (
    (re.compile(r"(?m)^(```|~~~).*?^\1[ \t]*$", re.DOTALL), " "),  # fenced code
    (re.compile(r"`[^`\n]*`"), " "),                           # inline code
    (re.compile(r"!?\[([^\[\]]*)\]\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)"), r"\1"),  # links: keep text
    (re.compile(r"\[[^\[\]]*@[^\[\]]*\]|(?<![\w.])@[\w:.\-]+"), " "),  # citations
    (re.compile(r"<[^<>\n]*>|https?://\S+|\{[^{}\n]*\}"), " "),  # tags, URLs, attr lists
    (re.compile(r"(?m)^[ \t]*(?:#{1,6}|[-*+]|\d+[.)]|>)[ \t]+"), ""),  # block markers
    (re.compile(r"[*_~]{1,3}"), ""),                            # emphasis markers
)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_SENTENCE_END_RE = re.compile(r"[.!?]+(?=\s|$)|\n[ \t]*\n")


def _plain_words(text: str) -> str:
    for pattern, replacement in _READABLE_STRIP:
        text = pattern.sub(replacement, text)
    return text


def _syllables(word: str) -> int:
    """Syllables by hyphenation (pyphen, as textstat does when a word is not in its
    pronouncing dictionary): deterministic and offline, unlike textstat's default, which
    downloads the NLTK CMU dictionary at run time."""
    return len(_hyphenator().positions(word.lower())) + 1


def _hyphenator():
    global _PYPHEN
    if _PYPHEN is None:
        import pyphen

        _PYPHEN = pyphen.Pyphen(lang="en_US")
    return _PYPHEN


_PYPHEN = None


def readability_grade(text: str) -> float:
    """Flesch-Kincaid grade level of the prose in ``text`` (markdown stripped); 0.0 if empty.

    0.39 * words/sentences + 11.8 * syllables/words - 15.59, rounded to 0.1.
    """
    prose = _plain_words(text)
    words = _WORD_RE.findall(prose)
    if not words:
        return 0.0
    sentences = max(1, len([s for s in _SENTENCE_END_RE.split(prose) if _WORD_RE.search(s)]))
    syllables = sum(_syllables(w.strip("'’-")) for w in words)
    grade = 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59
    return round(grade, 1)


def check_readability(text: str, report: Report, path: str, line: int, field: str) -> None:
    """Warn (never error) when ``text`` reads above :data:`READABILITY_MAX_GRADE`."""
    if len(_WORD_RE.findall(_plain_words(text))) < READABILITY_MIN_WORDS:
        return
    grade = readability_grade(text)
    if grade > READABILITY_MAX_GRADE:
        report.warning(path, line, field,
                       f"reading grade {grade:.1f} is above the plain-English threshold {READABILITY_MAX_GRADE:g}"
                       " (Flesch-Kincaid)",
                       "shorter sentences and everyday words bring it down")
