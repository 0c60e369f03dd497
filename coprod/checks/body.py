"""Safety checks for markdown bodies and plain-text fields, and a readability score.

Bodies are written by strangers in pull requests and compiled into the site, so anything
that could put script into a page is an error: raw HTML of any kind, links whose scheme is
not http/https/mailto (in any spelling or encoding), attribute lists that set event
handlers or styles, and extensions that include files or run templates. Images need alt
text. Code (fenced/indented blocks, inline code spans) may contain anything.

The scanner is deliberately conservative: when it is unsure whether something is code, it
checks it. Code regions come from :mod:`coprod.cite.syntax`, so both agree on them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote

import markdown

from coprod.cite.syntax import (
    LineIndex,
    Span,
    block_code_regions,
    code_span_regions,
    find_citations,
    in_spans,
    link_destination_spans,
    mask,
    paren_matches,
)
from coprod.read.hosts import host_problem
from coprod.read.plaintext import PLAIN_TEXT_SCAN_LIMIT, short, show
from coprod.read.problems import Report
from coprod.render import body_html
from coprod.render.body_html import Prerendered
from coprod.render.sanitize import ADMONITION_TYPES, TAGS, URL_SCHEMES, keeps_whole, sanitize

URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlinkhref", "srcset", "poster", "background",
     "cite", "data", "codebase", "ping", "lowsrc", "dynsrc", "manifest"}
)
FORBIDDEN_ATTRIBUTES = frozenset({"style", "srcdoc"})

FENCED_CODE_ENABLED = False
"""Whether the site's markdown treats ``` fences as code blocks. mkdocs.yml enables only
attr_list, tables and toc, so a fence is *not* code: ``<script>`` inside one becomes raw
HTML and must be reported. Set to True when fenced_code or pymdownx.superfences is added
(then also check ``_FENCE_OPEN_RE`` in coprod.cite.syntax accepts its info strings)."""

_HTML_HINT = "use markdown instead of HTML; to show a literal <, put a space after it or use `code`"
_LINK_HINT = "links must start with https://, http://, mailto: or be relative like ../page/ or #section"
_ATTR_HINT = "attribute lists may only set #id"


# --------------------------------------------------------------------------- URLs


_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_INVISIBLE_RE = re.compile(r"[\x00-\x20\x7f-\x9f\s`<>\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]+")
_TITLE_CLOSERS = {'"': '"', "'": "'", ")": "("}


def _strip_title(raw: str) -> str:
    """A link destination without its title (``url "title"``, ``'title'``, ``(title)``),
    found from the end in one pass (a regex searched from every space is quadratic)."""
    text = raw.rstrip()
    opener = _TITLE_CLOSERS.get(text[-1:]) if text else None
    if opener is None:
        return raw
    start = text.rfind(opener, 0, len(text) - 1)
    if start <= 0 or not text[start - 1].isspace():
        return raw
    if opener == "(" and ")" in text[start + 1:-1]:
        return raw
    return text[:start].rstrip()


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
    return "" if not scheme or scheme in URL_SCHEMES else scheme


# --------------------------------------------------------------------------- shape

MAX_LINE_CHARS = 4_000
"""Longest line a body may have (the longest shipped is under 1,000: a long paragraph
written on one line)."""
MAX_BLOCK_CHARS = 10_000
"""Longest block (text between blank lines) a body may have (shipped: under 5,000)."""
MAX_BRACKETS_PER_BLOCK = 32
"""Most ``[`` one block may hold (shipped: 8). Python-Markdown looks for the end of every
``[`` through the rest of its block, so its time grows with brackets times block length:
a block of 10,000 ``[`` takes it 18 s, 40,000 take 160 s."""
MAX_NESTING = 10
"""Deepest a line may nest lists and quotes (markers such as ``>``, ``-``, ``1.`` at its
start, and each 4 columns of indentation): Python-Markdown recurses once per level, and a
line of ``1. 1. 1. ...`` crashes it."""
MAX_EMPHASIS_PER_BLOCK = 100
"""Most runs of emphasis marks (``*``, and ``_`` at a word's edge) one block may hold
(shipped: under 20). Each level of emphasis inside emphasis needs two runs, and
Python-Markdown and its extensions recurse once per level: 1,200 nested emphases ended
the check in a RecursionError. A run opens at most two levels, so this keeps nesting
under 100, far from the recursion limit."""
_REPORTS_PER_LIMIT = 5
_EMPHASIS_RUN_RE = re.compile(r"\*++|(?<!\w)_++|_++(?!\w)")

_BLOCK_SPLIT_RE = re.compile(r"\n[ \t]*+\n")
_LEAD_RE = re.compile(r"[ \t]*+(?:(?:>|[*+-](?=[ \t])|\d{1,9}+[.)](?=[ \t]))[ \t]*+)*+")


def _nesting(line: str) -> int:
    lead = _LEAD_RE.match(line).group()
    markers = lead.count(">") + len(re.findall(r"[*+-](?=[ \t])|\d++[.)](?=[ \t])", lead))
    columns = len(lead.expandtabs(4)) - len(lead.lstrip(" \t").expandtabs(4)) if lead else 0
    return markers + columns // 4


def check_shape(text: str, report: Report, path: str, first_line: int) -> bool:
    """Lengths and shapes first, in one linear pass, before any other check or the
    renderer reads the body: lines, blocks, brackets per block, nesting. False if any
    limit is passed (each is reported at its line, up to a few per limit)."""
    found: dict[str, list[tuple[int, str]]] = {}

    def over(kind: str, line: int, message: str) -> None:
        found.setdefault(kind, []).append((line, message))

    for line_number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            over("line", line_number, f"line is {len(line):,} characters long; the limit is {MAX_LINE_CHARS:,}")
        elif line.lstrip(" \t")[:1] in (">", "*", "+", "-") or line[:1] in (" ", "\t") or line[:1].isdigit():
            depth = _nesting(line)
            if depth > MAX_NESTING:
                over("nesting", line_number, f"line nests lists or quotes {depth} levels deep; the limit is {MAX_NESTING}")
    start, counted, line_number = 0, 0, 1
    for m in [*_BLOCK_SPLIT_RE.finditer(text), None]:
        end = m.start() if m else len(text)
        block = text[start:end]
        line_number += text.count("\n", counted, start)  # counted once: linear
        counted = start
        at = line_number + block[:len(block) - len(block.lstrip())].count("\n")  # its first written line
        if len(block) > MAX_BLOCK_CHARS:
            over("block", at, f"paragraph is {len(block):,} characters long; the limit is {MAX_BLOCK_CHARS:,}")
        brackets = block.count("[")
        if brackets > MAX_BRACKETS_PER_BLOCK:
            over("brackets", at,
                 f"paragraph holds {brackets:,} `[`; the limit is {MAX_BRACKETS_PER_BLOCK} a paragraph")
        if block.count("*") + block.count("_") > MAX_EMPHASIS_PER_BLOCK:
            runs = sum(1 for _ in _EMPHASIS_RUN_RE.finditer(block))
            if runs > MAX_EMPHASIS_PER_BLOCK:
                over("emphasis", at, f"paragraph holds {runs:,} runs of emphasis marks (`*`, `_`); the limit is "
                     f"{MAX_EMPHASIS_PER_BLOCK} a paragraph")
        start = m.end() if m else end
    hints = {
        "line": "break the line (a blank line starts a new paragraph)",
        "block": "split it into shorter paragraphs with blank lines",
        "brackets": "split the paragraph, or write fewer links and citations in it",
        "nesting": "nest lists and quotes less deeply",
        "emphasis": "emphasis nested this deep cannot be shown; split the paragraph or use fewer * and _",
    }
    for kind, problems in found.items():
        for line, message in problems[:_REPORTS_PER_LIMIT]:
            report.error(path, first_line + line - 1, "body", message, hints[kind])
        if len(problems) > _REPORTS_PER_LIMIT:
            line = problems[_REPORTS_PER_LIMIT][0]
            report.error(path, first_line + line - 1, "body",
                         f"{len(problems) - _REPORTS_PER_LIMIT} more lines pass the same limit", hints[kind])
    return not found


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
        self.citations: list = []

    def err(self, offset: int, message: str, hint: str = "") -> None:
        line = self.first_line + self.lines.line(offset) - 1
        self.report.error(self.path, line, "body", message, hint)


def check_body(
    text: str, report: Report, path: str, first_line: int, *, fenced_code: bool | None = None,
    render_check: bool = True, own_page: bool = False,
) -> bool:
    return _check_body(text, report, path, first_line, fenced_code=fenced_code, render_check=render_check,
                       own_page=own_page)[0]


def check_case_study_body(text: str, report: Report, path: str,
                          first_line: int) -> tuple[list | None, Prerendered | None]:
    """:func:`check_body` for a case study, whose backstop renders the body as its page
    will (coprod.render.body_html): returns its citations (None if its shape was rejected)
    and, when the body has no error and its HTML can stand for what the page would
    render, that HTML, for the page to use instead of rendering the body again."""
    citations: list = []
    shaped, kept = _check_body(text, report, path, first_line, page_form=True, found=citations)
    return (citations if shaped else None), kept


def _check_body(
    text: str, report: Report, path: str, first_line: int, *, fenced_code: bool | None = None,
    render_check: bool = True, own_page: bool = False, page_form: bool = False, found: list | None = None,
) -> tuple[bool, Prerendered | None]:
    """Report unsafe markup in a markdown body; body line n is file line first_line+n-1.
    Returns False if the body's shape was rejected (:func:`check_shape`), when nothing
    else may read it.

    ``fenced_code`` says whether ``` fences are code blocks (default
    :data:`FENCED_CODE_ENABLED`, the site's setting). ``render_check`` renders the body
    with Python-Markdown and the site's sanitiser as a backstop (about 3 ms a body), so
    that whatever the page would lose is an error here first.

    ``own_page`` is for the site's hand-written pages (docs/): the sanitiser of contributed
    text never runs on them, so what it would take away (the site's own classes) is not
    reported; everything unsafe is, as in a body."""
    fenced = FENCED_CODE_ENABLED if fenced_code is None else fenced_code
    if not check_shape(text, report, path, first_line):
        return False, None  # nothing else may read a body that could make it slow
    body = _Body(text, report, path, first_line, fenced)
    if page_form:
        body.citations = find_citations(body.text)
        if found is not None:
            found.extend(body.citations)
    errors_before = len(report.errors)
    destinations = _check_inline_links(body)
    _check_reference_definitions(body)
    _check_angle_brackets(body, destinations)
    _check_attribute_lists(body)
    _check_images(body)
    _check_includes(body)
    _check_admonitions(body)
    kept = None
    if render_check:
        reported = {p.line for p in report.errors[errors_before:]}
        kept = _check_rendered(body, fenced, reported, compare=not own_page, page_form=page_form)
    return True, (kept if len(report.errors) == errors_before else None)


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
        _unsafe_start(tag, attrs, self.unsafe)

    def handle_comment(self, data: str) -> None:
        self.unsafe.append("<!--")

    def handle_decl(self, decl: str) -> None:
        self.unsafe.append("<!")

    def handle_pi(self, data: str) -> None:
        self.unsafe.append("<?")


def _unsafe_start(tag: str, attrs: list[tuple[str, str | None]], unsafe: list[str]) -> None:
    if tag not in SAFE_RENDERED_TAGS:
        unsafe.append(f"<{tag}>")
    for name, value in attrs:
        plain = re.sub(r"[^a-z]", "", name.lower())
        if plain.startswith("on") or plain in FORBIDDEN_ATTRIBUTES:
            unsafe.append(f"{name}=")
        elif plain in URL_ATTRIBUTES and bad_scheme(value or ""):
            unsafe.append(f"{name}={short(value or '')}")


def _unsafe_of(read: body_html.Read) -> list[str]:
    """:func:`unsafe_html` of HTML already read (coprod.render.body_html reads it once)."""
    unsafe: list[str] = []
    for item in read.items:
        if isinstance(item, str):
            unsafe.append(item)  # a comment, declaration or processing instruction
        else:
            _unsafe_start(*item, unsafe)
    return unsafe


def unsafe_html(rendered: str) -> list[str]:
    """What is unsafe in HTML rendered from a body ([] if nothing): tags markdown does not
    make, comments, declarations, event handlers, styles, bad URL schemes."""
    parser = _RenderedHtml()
    parser.feed(rendered)
    parser.close()
    return parser.unsafe


def _check_rendered(body: _Body, fenced: bool, reported: set[int], compare: bool = True,
                    page_form: bool = False) -> Prerendered | None:
    """Backstop: render with Python-Markdown (as the site does) and inspect the HTML, then
    pass it through the site's sanitiser and compare: whatever the page would silently
    lose (a class, a ``data-`` attribute, an image on another host) is an error here.

    The checks above model the renderer and give precise lines; this catches whatever
    the model misses (odd backtick pairings, block splits). Each difference is reported at
    the first line that holds what was removed, else at the body's start; lines that the
    checks above reported (``reported``, file lines) are not reported again.

    ``page_form`` (case studies) renders the body as its page does (headings demoted,
    the site's extensions, citations as tokens: coprod.render.body_html), and returns
    what the page may reuse of that HTML (None where it may not).
    """
    # a file is read as UTF-8, so a lone surrogate only comes from a caller's string
    text = body.text.encode("utf-8", "replace").decode("utf-8")
    kept = None
    try:
        if page_form:
            rendered, kept, read = body_html.prerender(text, body.citations)
        else:
            rendered = _renderer(fenced).reset().convert(text)
    except RecursionError:  # a shape the limits above do not foresee: still a message, not a crash
        body.err(0, "the text nests too deeply to be shown (emphasis, links or lists inside each other)",
                 "write it with less nesting")
        return None
    unsafe = _unsafe_of(read) if page_form else unsafe_html(rendered)
    if unsafe and not reported:
        found = ", ".join(dict.fromkeys(unsafe))
        body.err(0, f"the rendered page would contain unsafe HTML: {short(found, 80)}",
                 "look for raw HTML or odd backticks; " + _HTML_HINT)
        return None
    if not compare:
        return kept
    if page_form and read.tokens is not None and keeps_whole(read.tokens):
        return kept  # the sanitiser would keep every tag and attribute as written: it cannot take anything away
    sanitized = sanitize(rendered)
    # the sanitiser kept every byte, so it took nothing away (most bodies); it writes the
    # permalinks' &para; as the character itself
    if sanitized == rendered or (page_form and sanitized == rendered.replace("&para;", "\u00b6")):
        return kept
    for needles, message, hint in dict.fromkeys(_losses(rendered, sanitized)):
        at = next((i for i in (body.text.find(n) for n in needles) if i >= 0), 0)
        if body.first_line + body.lines.line(at) - 1 not in reported:
            body.err(at, message, hint)
    return kept  # kept only if nothing above was reported (check_body looks)


@lru_cache(maxsize=2)
def _renderer(fenced: bool) -> markdown.Markdown:
    """One Python-Markdown converter per setting, reset before each body: making a new one
    (loading its extensions) took about as long as rendering a body."""
    return body_html.quick(markdown.Markdown(extensions=[*MARKDOWN_EXTENSIONS, *(["fenced_code"] if fenced else [])]))


class _StartTags(HTMLParser):
    """A page fragment's start tags with their attributes, normalised for comparing (the
    sanitiser removes tags and attributes; it never changes text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str], ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kept = []
        for name, value in attrs:
            value = value or ""
            if name == "class":
                # fenced code's own language class (only when fences are enabled)
                value = " ".join(sorted(c for c in value.split() if not (tag == "code" and c.startswith("language-"))))
                if not value:
                    continue
            if name == "style" and tag in ("td", "th") and _ALIGN_STYLE_RE.fullmatch(value):
                continue  # table alignment: the tables extension's own, dropped knowingly
            kept.append((name, value))
        self.tags.append((tag, tuple(sorted(kept))))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


_ALIGN_STYLE_RE = re.compile(r"text-align: (?:left|right|center);?")


def _start_tags(html_text: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    parser = _StartTags()
    parser.feed(html_text)
    parser.close()
    return parser.tags


def _losses(rendered: str, sanitized: str) -> list[tuple[tuple[str, ...], str, str]]:
    """(texts to look for in the body, most telling first; message; hint) for each thing
    the sanitiser took away. The sanitiser only removes, so its tags are aligned with the
    rendered ones in one pass: a tag it does not allow was dropped, else it is compared."""
    after = _start_tags(sanitized)
    losses = []
    j = 0
    for tag, attrs in _start_tags(rendered):
        if j < len(after) and after[j][0] == tag:
            kept = dict(after[j][1])
            j += 1
            for name, value in attrs:
                if kept.get(name) == value or (name in URL_ATTRIBUTES and bad_scheme(value)):
                    continue  # bad schemes: the link checks report them, at their lines
                if not (tag == "div" and name == "class" and "admonition" in value.split()):  # _check_admonitions
                    losses.append(_loss(tag, name, value, kept.get(name)))
        elif tag not in TAGS:
            losses.append(((f"<{tag}",), f"the site would drop <{tag}> from this body", _HTML_HINT))
    return losses


def _loss(tag: str, name: str, value: str, kept: str | None) -> tuple[tuple[str, ...], str, str]:
    if name == "class":
        gone = [c for c in value.split() if c not in (kept or "").split()]
        return ((f".{gone[0]}", gone[0]), (f"sets class `{short(' '.join(gone))}`, which the site removes: a body may not use the"
                " site's own classes"), "remove it; for a box write `!!! note \"Title\"` or another admonition type")
    if name.startswith("data-"):
        return ((name,), (f"sets `{short(name)}`, which the site removes: `data-` attributes belong to the site and its"
                " search"), "remove it from the attribute list")
    if tag == "img" and name == "src":
        return ((f"]({value}", f"]( {value}", f"]: {value}", f"]:{value}", value), (f"image `{short(value)}` is not a file of this site; an image on another host would make"
                " every reader's browser contact that host"),
                ("add the image to the repository (for example docs/assets/images/name.png) and link it as"
                " ![what it shows](../assets/images/name.png)"))
    return ((name,), f"sets `{short(name)}` on <{tag}>, which the site removes", _ATTR_HINT)


def _check_inline_links(body: _Body) -> list[Span]:
    """``[t](url)`` and ``![alt](url)``: the ``](`` must be outside code, but the
    destination is read with code spans kept, since Python-Markdown puts the text of a
    code span inside a destination into the href."""
    spans = link_destination_spans(body.masked)
    with_spans = paren_matches(body.blocks_masked)
    for start, end in spans:
        with_spans_end = with_spans.get(start - 1)
        raw = body.blocks_masked[start : (with_spans_end - 1) if with_spans_end else end]
        dest = _strip_title(raw) if not raw.lstrip().startswith("<") else raw
        scheme = bad_scheme(dest)
        if scheme:
            body.err(start, f"link to a `{scheme}:` URL is not allowed: `{short(raw)}`", _LINK_HINT)
        else:
            _check_host(body, start, dest)
    return spans


def _check_host(body: _Body, offset: int, dest: str) -> None:
    """A link whose host looks like another or is inside a network (coprod.read.hosts)."""
    if "//" in dest:
        problem = host_problem(decode_url(dest.strip()).strip("<>"))
        if problem:
            body.err(offset, f"link does not go where it reads: {problem}", _HOST_HINT)


_HOST_HINT = "link to the site's public address, written in the letters of its own name"

_REF_DEF_RE = re.compile(r"(?m)^(?:[ \t>]|[*+-][ \t]|\d+[.)][ \t])*\[(?!\^)[^\[\]\n]+\]:[ \t]*(?:\n[ \t]*)?(\S+)")


def _check_reference_definitions(body: _Body) -> None:
    """``[ref]: url "title"``: the destination (on the same or the next line). Any
    indent, ``>`` or list marker is allowed: definitions also work in list items and quotes."""
    for m in _REF_DEF_RE.finditer(body.masked):
        dest = body.blocks_masked[m.start(1) : m.end(1)]
        scheme = bad_scheme(dest)
        if scheme:
            body.err(m.start(1), f"link definition to a `{scheme}:` URL is not allowed: `{short(dest)}`",
                     _LINK_HINT)
        else:
            _check_host(body, m.start(1), dest)


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
                body.err(pos, f"autolink to a `{scheme}:` URL is not allowed: `{short(autolink.group())}`",
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
    return f"tag {show(m.group() if m else '<')}"


def _span_lookup(spans: list[Span]) -> Callable[[int], bool]:
    ordered = sorted(spans)
    return lambda offset: in_spans(ordered, offset)


_BRACE_RE = re.compile(r"\{")
# A name starts only where the previous character cannot be part of one (the lookbehind),
# and nothing gives back what it matched (possessive): each character is read a bounded
# number of times, so the scan is linear in the line's length.
_ATTRIBUTE_RE = re.compile(r"(?<![^\s={}\"'])([^\s={}\"']++)\s*+=\s*+(\"[^\"]*+\"?|'[^']*+'?|[^\s}]*+)")


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
            scanned_to = line_end  # no closing brace on this line: none of its braces is a list
            continue
        scanned_to = close
        for attr in _ATTRIBUTE_RE.finditer(body.blocks_masked, m.start() + 1, close):
            _check_attribute(body, attr.start(), attr.group(1), attr.group(2))


def _check_attribute(body: _Body, offset: int, name: str, value: str) -> None:
    plain = re.sub(r"[^a-z]", "", decode_url(name).lower())
    if plain.startswith("on"):
        body.err(offset, f"attribute list sets event handler `{short(name)}`", _ATTR_HINT)
    elif plain in FORBIDDEN_ATTRIBUTES:
        body.err(offset, f"attribute list sets `{short(name)}`", _ATTR_HINT)
    elif plain in URL_ATTRIBUTES:
        scheme = bad_scheme(value.strip("\"'"))
        if scheme:
            body.err(offset, f"attribute list sets `{short(name)}` to a `{scheme}:` URL", _ATTR_HINT)


_IMAGE_RE = re.compile(r"!\[([^\[\]]*)\](?=[(\[])")


def _check_images(body: _Body) -> None:
    for m in _IMAGE_RE.finditer(body.masked):
        alt = body.blocks_masked[m.start(1) : m.end(1)]
        if not alt.strip():
            body.err(m.start(), "image has no alt text",
                     "describe the image for people who cannot see it: ![what it shows](file.png)")


_ADMONITION_RE = re.compile(r"(?m)^[ \t]*+(?:>[ \t]*+)*+[!?]{3}[ \t]*+([^\n\"]*+)")


def _check_admonitions(body: _Body) -> None:
    """``!!! type "Title"``: the type becomes the box's class, so only Material's types."""
    for m in _ADMONITION_RE.finditer(body.masked):
        words = m.group(1).split()
        bad = [w for w in words if w.lower() not in ADMONITION_TYPES]
        if bad:
            body.err(m.start(1), f"call-out box type `{short(' '.join(bad))}` is not one of the site's types",
                     "write `!!! note \"Your title\"`; types: " + ", ".join(sorted(ADMONITION_TYPES)))


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
    if len(text) > PLAIN_TEXT_SCAN_LIMIT:
        return  # too long for its field: the schema says so
    if len(_WORD_RE.findall(_plain_words(text))) < READABILITY_MIN_WORDS:
        return
    grade = readability_grade(text)
    if grade > READABILITY_MAX_GRADE:
        report.warning(path, line, field,
                       f"reading grade {grade:.1f} is above the plain-English threshold {READABILITY_MAX_GRADE:g}"
                       " (Flesch-Kincaid)",
                       "shorter sentences and everyday words bring it down")
