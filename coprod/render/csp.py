"""Every page gets a Content-Security-Policy, and Material's settings come first.

GitHub Pages sends no headers, so the policy is a ``<meta http-equiv>`` written right
after ``<meta charset>``, before every script and stylesheet (a policy applies only to
what follows it). It allows the
site's own origin alone for scripts, styles, images, fonts and connections, plus the exact
inline scripts and style attributes the page was built with, by their SHA-256 hashes:

- ``script-src``: ``'self'``, each inline script's hash, and ``'wasm-unsafe-eval'``, which
  Pagefind's search needs to compile its WebAssembly (it runs no text as script);
- ``style-src``: ``'self'`` and, with ``'unsafe-hashes'``, the hash of each ``style``
  attribute the site's own templates write (contributed bodies never keep one);
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
import hashlib
import re

# Our own templates' output, so these patterns read well-formed HTML written by Material
# and Jinja; every one stops at the first closing delimiter (no backtracking).
_INLINE_SCRIPT_RE = re.compile(r"<script(?P<attrs>(?:\s[^<>]*)?)>(?P<text>.*?)</script>", re.DOTALL)
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


def policy(html: str) -> str:
    """The Content-Security-Policy for ``html`` as built."""
    scripts = " ".join(dict.fromkeys(_hash(s) for s in inline_scripts(html)))
    styles = " ".join(dict.fromkeys(_hash(s) for s in style_attributes(html)))
    script_src = f"script-src 'self' 'wasm-unsafe-eval' {scripts}".rstrip()
    style_src = f"style-src 'self' 'unsafe-hashes' {styles}" if styles else "style-src 'self'"
    return f"default-src 'self'; {script_src}; {style_src}; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"


def harden(html: str, *, with_policy: bool = True) -> str:
    """``html`` with Material's settings first in ``<body>`` and its policy early in ``<head>``.

    ``with_policy=False`` is for ``mkdocs serve``: it injects its live-reload script inline
    into every page as it serves it, after the build, so no hash could allow it; the
    preview on a contributor's own machine goes without the policy, the built site never."""
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
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return html[:at] + meta + html[at:]
