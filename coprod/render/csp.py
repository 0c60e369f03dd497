"""Every page gets a Content-Security-Policy, and Material's settings come first.

GitHub Pages sends no headers, so the policy is a ``<meta http-equiv>`` written right
after ``<meta charset>``, before every script and stylesheet (a policy applies only to
what follows it). It allows the site's own origin alone for scripts, styles, images,
fonts and connections, plus the inline scripts and styles *we wrote*, by their SHA-256
hashes. What we wrote is read from the sources (:class:`Known`): every inline
``<script>``, ``<style>`` and ``style`` attribute in the theme's templates (Material's, in
the installed package, or another engine's) and in the project's ``overrides/``. A
template's ``{{ ... }}`` may differ from page to page (the address of the site's root), so
each becomes a part that matches only characters of an address (no quote, backslash,
bracket, parenthesis, ``=``, ``;``, space or ``<``): it cannot end the string it is in or
the element, call or assign. Any other
inline script or style on a built page is an error naming it (:class:`ForeignInline`): a
line of ``<script>`` added to a hand-written page is never allowed by its own hash.

- ``script-src``: ``'self'``, each known inline script's hash, and ``'wasm-unsafe-eval'``,
  which Pagefind's search needs to compile its WebAssembly (it runs no text as script);
- ``style-src``: ``'self'``, the hash of each known ``<style>`` and, with
  ``'unsafe-hashes'``, of each known ``style`` attribute;
- ``img-src``: ``'self'`` and ``data:`` (Material's icons are CSS ``data:`` images; a
  data address contacts no host);
- ``object-src 'none'``, ``base-uri 'self'``, ``form-action 'self'``, and
  ``default-src 'self'`` for everything else.

Material finds its settings with ``querySelector("#__config")``, the first element with
that id; :func:`harden` moves its ``<script id="__config">`` to the start of ``<body>``, so
no element of the content can come before it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Our own templates' output, so these patterns read well-formed HTML written by Material
# and Jinja; every one stops at the first closing delimiter (no backtracking).
_INLINE_SCRIPT_RE = re.compile(r"<script(?P<attrs>(?:\s[^<>]*)?)>(?P<text>.*?)</script>", re.DOTALL)
_STYLE_ELEMENT_RE = re.compile(r"<style(?:\s[^<>]*)?>(?P<text>.*?)</style>", re.DOTALL)
_STYLE_ATTR_RE = re.compile(r"""<[a-zA-Z][^<>]*?\sstyle=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""")
_CONFIG_RE = re.compile(r'<script id="__config" type="application/json">.*?</script>\s*', re.DOTALL)
_BODY_RE = re.compile(r"<body\b[^>]*>")
_HEAD_RE = re.compile(r"<head\b[^>]*>")
_CHARSET_RE = re.compile(r"<meta charset=[^<>]*>")
_DATA_TYPES = ("application/json", "application/ld+json")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_scripts(html: str) -> list[str]:
    """The text of each inline script that runs (data blocks such as JSON-LD do not)."""
    found = []
    for m in _INLINE_SCRIPT_RE.finditer(html):
        attrs = m.group("attrs")
        if re.search(r"\ssrc=", attrs):
            continue
        kind = re.search(r"""\stype=["']?([^"'\s>]+)""", attrs)
        if kind and kind.group(1).lower() in _DATA_TYPES:
            continue
        found.append(m.group("text"))
    return found


def style_attributes(html: str) -> list[str]:
    """The value of each ``style`` attribute in the page, in order."""
    values = []
    if "style=" not in html:  # most pages: the pattern below tries every tag of 70 KB for nothing
        return values
    for m in _STYLE_ATTR_RE.finditer(html):
        value = m.group("dq") if m.group("dq") is not None else m.group("sq")
        values.append(value.replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&"))
    return values


def style_elements(html: str) -> list[str]:
    """The text of each ``<style>`` element in the page, in order."""
    return [m.group("text") for m in _STYLE_ELEMENT_RE.finditer(html)] if "<style" in html else []


# ---- what we wrote: the inline code of the theme's and the project's templates

_EXPRESSION_RE = re.compile(r"\{\{-?(.*?)-?\}\}", re.DOTALL)
_TEMPLATE_COMMENT_RE = re.compile(r"\{#.*?#\}", re.DOTALL)
_ADDRESS = r"[A-Za-z0-9._~:/?#%-]*"
"""What a template's ``{{ ... }}`` may be inside inline code: the characters of an address,
and none that could call, assign, end a string or end the element."""


def _pattern(template: str) -> re.Pattern | None:
    """A pattern that matches what the template text renders to, or None when it holds
    logic (``{% ... %}``) that cannot be matched safely."""
    text = _TEMPLATE_COMMENT_RE.sub("", template)
    if "{%" in text:
        return None
    parts, end = [], 0
    for m in _EXPRESSION_RE.finditer(text):
        literal = text[end:m.start()]
        parts.append(re.escape(literal.rstrip() if m.group().startswith("{{-") else literal))
        parts.append(("\\s*" if m.group().startswith("{{-") else "") + _ADDRESS + ("\\s*" if m.group().endswith("-}}") else ""))
        end = m.end()
        if m.group().endswith("-}}"):
            rest = text[end:]
            end += len(rest) - len(rest.lstrip())
    parts.append(re.escape(text[end:]))
    return re.compile("".join(parts), re.DOTALL)


@dataclass(frozen=True)
class Known:
    """The inline scripts, ``<style>`` elements and ``style`` attributes the templates write."""

    scripts: tuple[re.Pattern, ...] = ()
    styles: tuple[re.Pattern, ...] = ()
    style_attributes: tuple[re.Pattern, ...] = ()

    @staticmethod
    def of(templates: Iterable[str]) -> Known:
        """What the template texts ``templates`` write inline."""
        scripts, styles, attributes = [], [], []
        for text in templates:
            found = [(scripts, s) for s in inline_scripts(text)] + [(styles, s) for s in style_elements(text)]
            found += [(attributes, s) for s in style_attributes(text)]
            for into, template in found:
                pattern = _pattern(template)
                if pattern is not None and pattern not in into:
                    into.append(pattern)
        return Known(tuple(scripts), tuple(styles), tuple(attributes))


def theme_templates() -> Path:
    """Material's templates, in the installed package."""
    import material

    return Path(material.__file__).resolve().parent / "templates"


@functools.lru_cache(maxsize=8)
def _known_in(folders: tuple[str, ...]) -> Known:
    texts = []
    for folder in folders:
        for parent, dirs, names in os.walk(folder):  # links are not followed
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # Material's .icons: 10,000 SVG files
            for name in sorted(names):
                path = Path(parent) / name
                if name.endswith(".html") and path.is_file() and not path.is_symlink():
                    texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return Known.of(texts)


def known_in(folders: Iterable[Path | str]) -> Known:
    """What the templates in ``folders`` (a theme's, the project's overrides) write inline."""
    return _known_in(tuple(str(Path(f).resolve()) for f in folders if f and Path(f).is_dir()))


def default_known() -> Known:
    """Material's templates and this repository's overrides/."""
    return known_in([Path(__file__).resolve().parents[2] / "overrides", theme_templates()])


class ForeignInline(ValueError):
    """An inline script or style on a built page that no template of ours writes."""


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return json.dumps(text if len(text) <= 80 else text[:79] + "…")


def _allowed(found: list[str], patterns: tuple[re.Pattern, ...], what: str) -> list[str]:
    """The hashes of ``found``, each of which must match a known pattern."""
    hashes = []
    for text in found:
        if not any(p.fullmatch(text) for p in patterns):
            raise ForeignInline(f"an inline {what} that neither the theme nor the project's templates write: "
                                f"{_snippet(text)} (pages and contributed text may not add scripts or styles)")
        hashes.append(_hash(text))
    return list(dict.fromkeys(hashes))


def policy(html: str, known: Known | None = None) -> str:
    """The Content-Security-Policy for ``html`` as built. Raises :class:`ForeignInline` for an
    inline script or style that ``known`` (default: :func:`default_known`) does not list."""
    known = known if known is not None else default_known()
    scripts = " ".join(_allowed(inline_scripts(html), known.scripts, "script"))
    styles = " ".join(_allowed(style_elements(html), known.styles, "style element"))
    attributes = " ".join(_allowed(style_attributes(html), known.style_attributes, "style attribute"))
    script_src = f"script-src 'self' 'wasm-unsafe-eval' {scripts}".rstrip()
    style_src = f"style-src 'self' {styles}".rstrip()
    if attributes:
        style_src += f" 'unsafe-hashes' {attributes}"
    return f"default-src 'self'; {script_src}; {style_src}; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"


def harden(html: str, *, with_policy: bool = True, known: Known | None = None) -> str:
    """``html`` with Material's settings first in ``<body>`` and its policy early in ``<head>``.
    Raises :class:`ForeignInline` for inline code ``known`` does not list (see :func:`policy`).

    ``with_policy=False`` is for ``mkdocs serve``: it injects its live-reload script inline
    into every page as it serves it, after the build, so no hash could allow it; the
    preview on a contributor's own machine goes without the policy (the page's inline code
    is checked all the same), the built site never."""
    meta_policy = policy(html, known)  # before anything moves: every inline script and style is ours
    config = _CONFIG_RE.search(html)
    body = _BODY_RE.search(html)
    if config and body and config.start() > body.end():
        element = config.group().rstrip()
        html = html[:config.start()] + html[config.end():]
        html = html[:body.end()] + element + html[body.end():]
    head = _HEAD_RE.search(html)
    if head is None or not with_policy:
        return html
    # right after <meta charset> (which must stay in the first 1,024 bytes), before every
    # script and stylesheet the policy governs
    charset = _CHARSET_RE.search(html, head.end())
    at = charset.end() if charset and charset.start() - head.end() < 200 else head.end()
    meta = f'<meta http-equiv="Content-Security-Policy" content="{meta_policy}">'
    return html[:at] + meta + html[at:]
