"""What keeps a stranger's text from shadowing the page or contacting other hosts
(coprod/render/sanitize.py), the Content-Security-Policy of every page (coprod/render/csp.py), and the
plain-text rules for control and invisible characters (coprod/read/plaintext.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from helpers import ROOT
from mkdocs.structure.toc import AnchorLink

from coprod.read import schema
from coprod.read.plaintext import PLAIN_TEXT_SCAN_LIMIT, check_plain_text
from coprod.read.problems import Report
from coprod.render import csp
from coprod.render.sanitize import ID_PREFIX, rename_toc, sanitize, sanitize_contributed, site_image


def test_contributed_ids_are_namespaced_and_links_follow() -> None:
    html = ('<p>page</p><!-- coprod:body --><h2 id="__config">T<a class="headerlink" href="#__config">¶</a></h2>'
            '<p id="cite-bibtex"><a href="#__config">up</a> <a href="#ref-Key">cite</a></p>'
            '<!-- /coprod:body --><div id="cite-bibtex" class="coprod-cite">ours</div>')
    page, renamed = sanitize_contributed(html)
    assert renamed == {"__config": "body-__config", "cite-bibtex": "body-cite-bibtex"}
    assert '<h2 id="body-__config">' in page and page.count('href="#body-__config"') == 2
    assert 'href="#ref-Key"' in page, "a link to the page's own reference list is not the body's to rename"
    assert page.endswith('<div id="cite-bibtex" class="coprod-cite">ours</div>'), "the page's own part is untouched"


def test_table_of_contents_follows_the_renamed_headings() -> None:
    top = AnchorLink("Story", "the-story", 2)
    top.children = [AnchorLink("What happened", "what-happened", 3)]
    rename_toc([top], {"what-happened": "body-what-happened"})
    assert top.id == "the-story" and top.children[0].url == "#body-what-happened"


def test_only_markdowns_own_classes_and_no_data_attributes_survive() -> None:
    html = ('<p class="md-typeset admonition" data-pagefind-ignore="all" title="t">x</p>'
            '<div class="admonition warning coprod-notice"><p class="admonition-title">N</p></div>')
    cleaned = sanitize(html)
    assert "md-typeset" not in cleaned and "data-pagefind" not in cleaned and "coprod-notice" not in cleaned
    assert 'class="admonition warning"' in cleaned and 'class="admonition-title"' in cleaned and 'title="t"' in cleaned


@pytest.mark.parametrize(("src", "own"), [
    ("chart.png", True), ("../assets/images/chart.png", True), ("/assets/x.png", True), ("img/a%20b.png", True),
    ("https://tracker.example/p.gif", False), ("//tracker.example/p.gif", False), ("/\\tracker.example/p", False),
    ("\\\\tracker.example/p", False), (" //tracker.example/p", False), ("/\t/tracker.example/p", False),
    ("data:image/png;base64,AAAA", False), ("HTTP://x.example/p", False),
])
def test_images_must_be_the_sites_own(src: str, own: bool) -> None:
    assert site_image(src) is own
    assert ("src=" in sanitize(f'<img alt="a" src="{src}">')) is own


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>t</title><script>var a=1</script>
<script type="application/ld+json">{"@type": "Thing"}</script><link rel="stylesheet" href="x.css"></head>
<body dir="ltr"><div class="md-content"><p id="__config">first?</p><svg style="fill: red"></svg></div>
<script id="__config" type="application/json">{"base": "."}</script><script src="bundle.js"></script></body></html>"""


# the templates PAGE was made from: what the policy may allow inline
KNOWN = csp.Known.of(['<script>var a={{ base_url }}</script><svg style="fill: red"></svg>'])


def test_policy_allows_exactly_the_pages_own_inline_code() -> None:
    hardened = csp.harden(PAGE, known=KNOWN)
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', hardened)
    assert meta and hardened.index(meta.group()) < hardened.index("<title>"), "the policy precedes what it governs"
    assert hardened.index('<meta charset="utf-8">') < hardened.index(meta.group()), "charset stays first"
    policy = meta.group(1)
    assert _sha("var a=1") in policy, "Material's inline script is allowed by its hash"
    assert _sha('{"@type": "Thing"}') not in policy, "data blocks never run: no hash for them"
    assert f"style-src 'self' 'unsafe-hashes' {_sha('fill: red')}" in policy
    assert "'unsafe-inline'" not in policy and "object-src 'none'" in policy and "base-uri 'self'" in policy


@pytest.mark.parametrize(("added", "named"), [
    ("<script>alert(document.domain)</script>", "an inline script"),
    ("<script>var a=1;alert(1)</script>", "an inline script"),  # a known script with more after it
    ("<script>var a=1;location=name</script>", "an inline script"),
    ('<script>var a="x"+alert(1)</script>', "an inline script"),  # a template value that leaves its string
    ("<script type=module>alert(1)</script>", "an inline script"),
    ("<style>body{background:url(/x)}</style>", "an inline style element"),
    ('<p style="color: red">x</p>', "an inline style attribute"),
])
def test_inline_code_no_template_writes_is_refused_by_name(added: str, named: str) -> None:
    """The policy lists what we wrote: a script added to a built page is an error, not a new hash."""
    page = PAGE.replace("</body>", added + "</body>")
    with pytest.raises(csp.ForeignInline) as refused:
        csp.harden(page, known=KNOWN)
    assert str(refused.value).startswith(f"{named} that neither the theme nor the project's templates write: ")
    with pytest.raises(csp.ForeignInline):
        csp.harden(page, with_policy=False, known=KNOWN)  # the preview of serve checks it too


def test_the_known_inline_code_is_read_from_materials_templates_and_overrides() -> None:
    """Every inline script of a page Material renders matches a template: its base address varies by page."""
    known = csp.known_in([ROOT / "overrides", csp.theme_templates()])
    palette = (csp.theme_templates() / "partials" / "javascripts" / "palette.html").read_text(encoding="utf-8")
    assert any(p.fullmatch(csp.inline_scripts(palette)[0]) for p in known.scripts)
    scope = (csp.theme_templates() / "partials" / "javascripts" / "base.html").read_text(encoding="utf-8")
    for base in ("..", "../..", "/library/"):
        rendered = csp.inline_scripts(scope)[0].replace("{{ config.extra.scope | d(base_url) }}", base)
        assert any(p.fullmatch(rendered) for p in known.scripts), base
        assert not any(p.fullmatch(rendered.replace(base, base + '",alert(1),"')) for p in known.scripts)


def test_materials_settings_come_before_the_content() -> None:
    hardened = csp.harden(PAGE, known=KNOWN)
    body = hardened.index("<body")
    config = hardened.index('<script id="__config"')
    assert body < config < hardened.index('<p id="__config">'), "querySelector('#__config') must find Material's"
    assert hardened.count('id="__config" type="application/json"') == 1


def test_no_page_of_the_site_uses_the_body_prefix_outside_a_body(site_dir: Path) -> None:
    """Namespacing works only if no id of the theme, the search or our pages starts with it."""
    contributed = re.compile(r"^(case-studies|business-case)/[^/]+/index\.html$")
    misuse, duplicates = [], []
    for page in site_dir.rglob("*.html"):
        relative = page.relative_to(site_dir).as_posix()
        ids = re.findall(r'\sid="([^"]*)"', page.read_text(encoding="utf-8"))
        if not contributed.match(relative):
            misuse += [f"{relative}: {i}" for i in ids if i.startswith(ID_PREFIX)]
        duplicates += [f"{relative}: {i}" for i in set(ids) if ids.count(i) > 1]
    assert misuse == [] and duplicates == [], misuse + duplicates


def test_every_page_carries_a_policy(site_dir: Path) -> None:
    missing = [p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")
               if 'http-equiv="Content-Security-Policy"' not in p.read_text(encoding="utf-8")[:8000]]
    assert missing == []


@pytest.mark.parametrize(("value", "named"), [
    ("A title\nER  - forged", "U+000A LINE FEED"), ("Tab\tinside", "U+0009 CHARACTER TABULATION"),
    ("Reads \u202eesrever", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("Zero\u200bwidth", "U+200B ZERO WIDTH SPACE"),
    ("Line\u2028separator", "U+2028 LINE SEPARATOR"), ("Isolate \u2066x\u2069", "U+2066 LEFT-TO-RIGHT ISOLATE"),
])
def test_plain_text_refuses_control_and_invisible_characters(value: str, named: str) -> None:
    report = Report()
    check_plain_text(value, report, "c.md", 3, "title")
    assert next(p.format() for p in report.errors).startswith(f"c.md:3: title: plain-text field: no control or"
                                                            f" invisible characters ({named}")


def test_plain_text_allows_the_newline_yaml_leaves_at_the_end() -> None:
    report = Report()
    check_plain_text("A summary folded by YAML's >\n", report, "c.md", 3, "summary")
    assert report.errors == []


def test_every_plain_text_field_is_shorter_than_the_scan_limit() -> None:
    """Values over the limit are not scanned for markup: their field's maxLength refuses them."""
    over = []
    for path in (ROOT / "evidence" / "schema").glob("*.schema.json"):
        def walk(node, where, path=path):
            if isinstance(node, dict):
                if node.get("x-plain-text") and not (node.get("maxLength", 10**9) <= PLAIN_TEXT_SCAN_LIMIT):
                    over.append(f"{path.name}:{where}")
                for key, child in node.items():
                    walk(child, f"{where}/{key}", path)
            elif isinstance(node, list):
                for i, child in enumerate(node):
                    walk(child, f"{where}/{i}", path)
        walk(json.loads(path.read_text(encoding="utf-8")), "")
    assert over == [], over
    assert schema  # the schemas are what the validator reads


def test_the_preview_of_mkdocs_serve_goes_without_the_policy() -> None:
    """mkdocs serve injects its inline live-reload script after the build: no hash can allow it."""
    served = csp.harden(PAGE, with_policy=False, known=KNOWN)
    assert "Content-Security-Policy" not in served
    assert served.index('<script id="__config"') < served.index('<p id="__config">')
