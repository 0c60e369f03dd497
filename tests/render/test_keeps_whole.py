"""The sanitiser skipped where it provably keeps everything (coprod.render.sanitize.keeps_whole),
and Python-Markdown's HTML read from its tags (coprod.render.body_html.tokens) instead of by
HTMLParser.

The validator compares each rendered body with its sanitised form, so that whatever a page
would silently lose is an error first. Where ``keeps_whole`` says nh3 would keep every tag
and attribute as written, the comparison is skipped. These tests draw random HTML of the
tags and attributes Python-Markdown writes, and hostile ones beside them (misnested,
unknown tags and attributes, every kind of address, character references, controls), and
hold every True to nh3's own output: the same start tags, with the same attributes, in
the same order. And they hold the tags read from ``tokens`` to what HTMLParser reads.
"""

from __future__ import annotations

import random

import markdown
import pytest
from helpers import ROOT

from coprod.checks import body as bodycheck
from coprod.read.problems import Report
from coprod.render import body_html
from coprod.render.sanitize import keeps_whole, sanitize

TAGS = ["p", "a", "img", "code", "pre", "em", "strong", "h2", "h3", "ul", "ol", "li", "blockquote", "hr", "br", "div",
        "sup", "table", "thead", "tbody", "tr", "th", "td", "span", "b", "script", "style", "textarea", "caption"]
VOID = {"img", "br", "hr"}
ADDRESSES = [
    "#intro", "../page/", "/assets/a.png", "a.png", "page.html?x=1&amp;y=2", "https://example.org/x?y#z",
    "http://a-b.example.co.uk/", "https://example.org", "HTTPS://example.org/", "https://1.2.3.999/",
    "http://xn--nxasmq6b.com/", "https://exa mple.org/", "https://a..b.org/", "https://-a.org/", "https://a.b/",
    "https://example.org:99999/", "https://user@example.org/", "//example.org/a.png", "/\\example.org/a.png",
    "javascript:alert(1)", "JaVaScRiPt:x", "&#106;avascript:x", "java&#x09;script:x", " https://example.org/",
    "data:image/png;base64,AAAA", "mailto:someone@example.org", "mailto:a b@c", "ftp://example.org/", "vbscript:x",
    "%6Aavascript:x", "./a:b", "a:b", "&quot;x", "x&notit;", "x&para;", "\u00a0x", "x\u0001", "",
]
CLASSES = ["admonition note", "admonition", "note admonition", "admonition  note", "admonition note note",
           "headerlink", "admonition-title", "md-typeset", "language-python", "", "note\u00a0admonition",
           "admonition warning"]
WORDS = ["text", " ", "\n", "  \n  ", "a &amp; b", "&lt;b&gt;", "x &para; y", "\u00a0", "CPRDCITE0000000000N0X",
         "CPRD&#67;ITE0000000000N1X"]


def _value(rng: random.Random, name: str) -> str:
    if name in ("href", "src", "cite", "formaction"):
        return rng.choice(ADDRESSES)
    if name == "class":
        return rng.choice(CLASSES)
    if name == "style":
        return rng.choice(["text-align: left;", "color: red"])
    return rng.choice(["x", "intro", "a title", "x &amp; y", "&lt;script&gt;", "&quot;q&quot;", "\u00e9t\u00e9",
                       "tab\there", "line\nbreak", "nul\u0000", "\ufffe", "\U0001f600", "&amp;amp;", "3", "en", "rtl"])


def _attributes(rng: random.Random, tag: str) -> str:
    names = ["id", "title", "class", "href", "src", "alt", "lang", "dir", "style", "onclick", "data-x", "width",
             "start", "align", "colspan", "loading", "cite", "formaction", "Title"]
    chosen = rng.sample(names, rng.choice([0, 0, 1, 1, 2, 3]))
    if tag == "a" and rng.random() < 0.7:
        chosen.append("href")
    if tag == "img" and rng.random() < 0.8:
        chosen += ["alt", "src"]
    if rng.random() < 0.05 and chosen:
        chosen.append(chosen[0])  # written twice
    return "".join(f' {name}="{_value(rng, name)}"' for name in sorted(chosen))


def _fragment(rng: random.Random, depth: int, parent: str | None) -> str:
    """Random HTML, mostly nested as Python-Markdown nests it (tables of thead, tbody, tr and
    cells; lists of items), often not."""
    out = []
    for _ in range(rng.randrange(0, 4 if depth < 4 else 1)):
        if rng.random() < 0.3:
            out.append(rng.choice(WORDS))
            continue
        if parent == "table" and rng.random() < 0.8:
            tag = rng.choice(["thead", "tbody"])
        elif parent in ("thead", "tbody") and rng.random() < 0.8:
            tag = "tr"
        elif parent == "tr" and rng.random() < 0.8:
            tag = rng.choice(["th", "td"])
        elif parent in ("ul", "ol") and rng.random() < 0.8:
            tag = "li"
        else:
            tag = rng.choice(TAGS)
        attributes = _attributes(rng, tag)
        if tag in VOID:
            out.append(f"<{tag}{attributes}{rng.choice([' /', ''])}>")
            continue
        inner = _fragment(rng, depth + 1, tag)
        end = "" if rng.random() < 0.03 else f"</{tag}>"
        out.append(f"<{tag}{attributes}>{inner}{end}")
        if rng.random() < 0.02:
            out.append(f"</{rng.choice(TAGS)}>")  # an end tag nothing opened
    return "".join(out)


BLOCKS = ["p", "h2", "h3", "ul", "ol", "blockquote", "pre", "div", "table", "hr"]
INLINE = ["a", "em", "strong", "code", "img", "br", "sup"]
FAULTS = ["address", "address", "address", "value", "class", "attribute", "unclosed", "stray", "nested", "nested",
          "table text", "closed", "twice"]


class _Faulty:
    """HTML as Python-Markdown nests it (paragraphs, headings, lists of items, quotes, code,
    admonitions, tables of thead, tbody, tr and cells; links, emphasis, code, images, breaks
    inside), where each tag has a small chance of one fault: an address, value, class or
    attribute of the random ones above, an end tag left out, an end tag nothing opened, a tag
    where Python-Markdown would not put it (a paragraph in a paragraph, a link in a link, an
    item outside a list, a table part outside a table...), text between a table's parts, a
    non-void tag written ``/>``, an attribute written twice."""

    def __init__(self, rng: random.Random, rate: float) -> None:
        self.rng, self.rate = rng, rate

    def fault(self) -> str | None:
        return self.rng.choice(FAULTS) if self.rng.random() < self.rate else None

    def attributes(self, tag: str, fault: str | None) -> str:
        rng = self.rng
        chosen: dict[str, str] = {}
        if tag in ("h2", "h3") or rng.random() < 0.1:
            chosen["id"] = rng.choice(["intro", "what-happened", "a_1"])
        if tag == "a":
            chosen["href"] = rng.choice(["#intro", "../page/", "https://example.org/x?y=1&amp;z#f",
                                         "http://a-b.example.co.uk/", "mailto:someone@example.org"])
            if rng.random() < 0.3:
                chosen["title"] = rng.choice(["Permanent link", "A title", "x &amp; y"])
            if rng.random() < 0.2:
                chosen["class"] = "headerlink"
        if tag == "img":
            chosen["alt"], chosen["src"] = "a picture", rng.choice(["../assets/a.png", "/assets/b.png", "c.png"])
        if tag == "div" and rng.random() < 0.7:
            chosen["class"] = rng.choice(["admonition note", "admonition warning", "admonition"])
        if tag == "ol" and rng.random() < 0.3:
            chosen["start"] = "3"
        if fault == "address":
            chosen["src" if tag == "img" else "href"] = rng.choice(ADDRESSES)
        elif fault == "value":
            chosen[rng.choice(["id", "title", "lang"])] = _value(rng, "title")
        elif fault == "class":
            chosen["class"] = rng.choice(CLASSES)
        elif fault == "attribute":
            name = rng.choice(["style", "onclick", "data-x", "width", "start", "align", "colspan", "cite", "dir",
                               "formaction", "src", "href", "alt", "hidden"])
            chosen[name] = _value(rng, name)
        written = "".join(f' {name}="{value}"' for name, value in sorted(chosen.items()))
        if fault == "twice" and chosen:
            name = next(iter(chosen))
            written += f' {name}="{chosen[name]}"'
        return written

    def element(self, tag: str, depth: int, parent: str | None) -> str:
        fault = self.fault()
        if fault == "nested":  # a tag where Markdown would not put it
            tag = self.rng.choice(TAGS)
        attributes = self.attributes(tag, fault)
        if tag in VOID:
            return f"<{tag}{attributes}{self.rng.choice([' /', ''])}>"
        if fault == "closed":
            return f"<{tag}{attributes} />" + self.inside(tag, depth + 1)
        inner = self.inside(tag, depth + 1)
        end = "" if fault == "unclosed" else f"</{tag}>"
        stray = f"</{self.rng.choice(TAGS)}>" if fault == "stray" else ""
        text = "words" if fault == "table text" else ""
        return f"<{tag}{attributes}>{text}{inner}{end}{stray}"

    def inside(self, tag: str, depth: int) -> str:
        rng = self.rng
        count = rng.randrange(1, 4) if depth < 5 else 0
        if tag == "table":
            return "\n" + "\n".join(self.element(part, depth, tag) for part in ("thead", "tbody")) + "\n"
        if tag in ("thead", "tbody"):
            return "\n" + "\n".join(self.element("tr", depth, tag) for _ in range(max(count, 1))) + "\n"
        if tag == "tr":
            cell = "th" if rng.random() < 0.5 else "td"
            return "\n" + "\n".join(self.element(cell, depth, tag) for _ in range(max(count, 1))) + "\n"
        if tag in ("ul", "ol"):
            return "\n" + "\n".join(self.element("li", depth, tag) for _ in range(max(count, 1))) + "\n"
        if tag == "pre":
            return self.element("code", depth, tag) if rng.random() < 0.9 else "x"
        if tag in ("blockquote", "div", "li") and rng.random() < 0.6:
            return "\n".join(self.element(rng.choice(BLOCKS), depth, tag) for _ in range(count))
        return "".join(self.element(rng.choice(INLINE), depth, tag) if rng.random() < 0.4 and depth < 5
                       else rng.choice(WORDS) for _ in range(count))

    def fragment(self) -> str:
        return "\n".join(self.element(self.rng.choice(BLOCKS), 0, None) for _ in range(self.rng.randrange(1, 5)))


def test_what_it_keeps_whole_nh3_keeps_whole() -> None:
    """Every fragment said to be kept whole comes out of nh3 with the same start tags and
    attributes (as the validator's comparison reads them). The fragments cover both answers:
    most with one fault or none, some fully random, with nh3 taking something away from
    many of those not kept whole."""
    rng = random.Random(16)
    whole = changed = 0
    for n in range(12_000):
        html = _fragment(rng, 0, None) if n % 4 == 0 else _Faulty(rng, rng.choice([0.0, 0.03, 0.08])).fragment()
        tokens = body_html.tokens(html)
        if tokens is None:
            continue
        before = bodycheck._start_tags(html)
        after = bodycheck._start_tags(sanitize(html))
        if keeps_whole(tokens):
            assert after == before, html
            assert bodycheck._losses(html, sanitize(html)) == [], html
            whole += 1
        elif after != before:
            changed += 1
    assert whole > 3000 and changed > 1500, (whole, changed)


@pytest.mark.parametrize("address", ADDRESSES)
def test_an_address_kept_whole_is_one_nh3_keeps(address: str) -> None:
    for html in (f'<p><a href="{address}">x</a></p>', f'<p><img alt="a" src="{address}" /></p>'):
        tokens = body_html.tokens(html)
        if tokens is not None and keeps_whole(tokens):
            assert bodycheck._start_tags(sanitize(html)) == bodycheck._start_tags(html), html


def test_the_usual_links_and_images_are_kept_whole() -> None:
    """What bodies hold (links to web pages, e-mail addresses, the site's pages and images,
    permalinks, admonitions) needs no sanitiser run."""
    for html in ['<h3 id="a">A<a class="headerlink" href="#a" title="Permanent link">&para;</a></h3>',
                 '<p><a href="https://example.org/a?b=1&amp;c=2#d">x</a> <a href="mailto:a@example.org">m</a></p>',
                 '<p><a href="../page/" title="A &quot;page&quot;">p</a><img alt="a" src="../assets/a.png" /></p>',
                 '<div class="admonition note">\n<p class="admonition-title">Note</p>\n<p>x</p>\n</div>',
                 ('<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td><em>b</em></td>\n</tr>\n'
                 '</tbody>\n</table>'), '<ol start="3">\n<li>\n<p>a</p>\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ol>']:
        assert keeps_whole(body_html.tokens(html)), html


@pytest.mark.parametrize("html", [
    '<p><a href="1"><em><a href="2">x</a></em></a></p>',  # a link in a link: the emphasis is made twice
    "<div><em>x</div>y",  # an end tag that is not the innermost element's: the emphasis is made again
    "x</p>y", "x</br>y",  # an end tag nothing opened: an empty paragraph, a break
    "<p>a<div>b</div>c</p>", "<p><ul><li>x</li></ul></p>", "<p><h2>x</h2></p>", "<p><table></table></p>",
    "<ul><li><h2><h3>x</h3></h2></li></ul>", "<li>x</li>", "<table><tr><td>x</td></tr></table>",
    "<table><thead><tr><th>x</th></tr></thead>text<tbody></tbody></table>",
    "<table><tbody><tr><td><table></table></td></tr></tbody></table>", "<p />x</p>", "<em>x",
    '<p class="admonition note">x</p>', '<div class="admonition note note">x</div>',
    '<div class="admonition  note">x</div>', '<p id="a" id="b">x</p>',
])
def test_what_an_html_parser_may_build_otherwise_is_not_kept_whole(html: str) -> None:
    """Tags an HTML parser (nh3's) could build into another tree, and values it could read
    otherwise, go to the sanitiser."""
    tokens = body_html.tokens(html)
    assert tokens is not None, html
    assert not keeps_whole(tokens)


def test_only_tags_it_knows_are_kept_whole() -> None:
    from coprod.render import sanitize as module

    assert module._KEEP_TAGS <= module.TAGS and body_html.READ_TAGS <= module._KEEP_TAGS
    assert not keeps_whole([("start", "span", (), False), ("end", "span")])


def _corpus() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for folder in (ROOT / "evidence", ROOT / "docs", ROOT / "tests" / "fixtures",
                                                           ROOT / "tests" / "golden" / "body")
             for p in sorted(folder.rglob("*.md"))]
    return texts


def _state(reader: body_html.Read) -> tuple:
    return reader.items, reader.ids, reader.permalinks, reader.ok, reader.found, reader.open


@pytest.mark.parametrize("token", [None, "CPRDCITE0000000000"])
def test_the_tags_read_are_what_htmlparser_reads(token: str | None) -> None:
    """Python-Markdown's output of every shipped, fixture and hostile body, and random
    fragments: where ``tokens`` reads the HTML, the reader is left as HTMLParser leaves it
    (every start tag with its attributes unescaped, ids, permalinks, where the citations'
    tokens fell)."""
    md = markdown.Markdown(extensions=list(body_html.EXTENSIONS), extension_configs=body_html.EXTENSION_CONFIGS)
    rng = random.Random(3)
    htmls = [md.reset().convert(text) for text in _corpus()] + [_fragment(rng, 0, None) for _ in range(5000)]
    read = 0
    for html in htmls:
        quick = body_html.read(html, token)
        parsed = body_html.Read(token)
        parsed.feed(html)
        parsed.close()
        assert _state(quick) == _state(parsed), html
        read += quick.tokens is not None
    assert read > 2000


def test_what_is_not_markdowns_own_html_is_read_by_htmlparser() -> None:
    for html in ["<p>a<!-- c --></p>", "<p><span>x</span></p>", "<P>x</P>", "<p class=x>y</p>", "<p hidden>y</p>",
                 "<script>x</script>", "<p>a < b</p>", "<!DOCTYPE html>", "<?php ?>", "<p\n>x</p>", "</p x>",
                 "<style>p{}</style>", "<p title='x'>y</p>", "<br/>"]:
        assert body_html.tokens(html) is None, html


def test_a_body_is_reported_the_same_with_and_without_the_sanitiser_skipped(monkeypatch) -> None:
    """Every shipped, fixture and hostile body: the same problems, and the same HTML kept, when
    the sanitiser runs on every body."""
    bodies = [text.split("\n---\n", 1)[-1] for text in _corpus()]

    def checked() -> list:
        out = []
        for text in bodies:
            report = Report()
            citations, kept = bodycheck.check_case_study_body(text, report, "x.md", 1)
            out.append(([p.format() for p in report.problems], citations, kept))
        return out

    skipped = checked()
    monkeypatch.setattr(bodycheck, "keeps_whole", lambda tokens: False)
    assert checked() == skipped
