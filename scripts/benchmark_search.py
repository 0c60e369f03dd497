#!/usr/bin/env python3
"""Search benchmark (not a test): Pagefind on a synthetic library, measured in a browser.

    python scripts/benchmark_search.py [--cases 10000] [--references 900] [--keep DIR]
    python scripts/benchmark_search.py --site DIR      # measure an already built site again
    python scripts/benchmark_search.py --site DIR --reuse-index  # ... without indexing it again
    python scripts/benchmark_search.py --html-into DIR  # pages written directly, no MkDocs (see below)

Makes a synthetic project of N case studies (``tools.synthetic.write_evidence``, in a
temporary folder, never in evidence/; their text is real sentences from the repository
mixed with new ones, each page keeping to a topic: ``tools.synthetic_text``, or with
``--text words`` the older words drawn one by one), builds it with the real mkdocs.yml, hooks and theme
overrides, once, with Material's search plugin switched on as well so that its index
(``search/search_index.json``) is made from the same pages for comparison (the site's
pages do not load it: the header search is ours). Then, in the same run:

- the Pagefind index build time (``pagefind`` on the built site, timed alone), its size;
- in Debian's Chromium, with the site served on loopback as a static host serves it (text
  files gzipped, as GitHub Pages does; Pagefind's files are compressed already), for each
  of 20 queries a reader might type (QUERIES), each as the first search of a fresh page:
  the pages it matches, the bytes fetched from focusing the box to the results shown
  (target: at most 300 KB) and the time from typing to results (target: median at most
  100 ms); then Pagefind alone on the same queries (its init, search and fragments timed
  apart); then all 20 again on one page; the Pagefind bytes the catalogue fetches when
  loaded and when a linked filtered view is opened;
- the size of Material's index for the same pages.

``--html-into SITE`` is for a slow machine: into an already built small site (its first
case-study page is the shell), it writes the N synthetic case-study pages directly, with
the same content HTML and Pagefind markup the build gives them (``case_study_page``,
Python-Markdown with the site's extensions, ``search.mark_page``) but without MkDocs, then
measures as above. Material's index is then the small site's, which the report says.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))  # tools/: the synthetic data, outside the core package

from benchmark import run_build
from tools.synthetic import Words, write_evidence
from tools.synthetic_text import Sentences

from coprod import search
from coprod import site as site_module
from coprod.checks.evidence import load_evidence
from coprod.pages.catalogue import EVERY_CASE_STUDY_WORD
from coprod.read.problems import Report

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# 20 queries a reader might type: co-production words, conditions, places, methods, a
# misspelling (Pagefind matches word prefixes, not misspellings) and a two-word phrase;
# each occurs in the text the synthetic pages are made from (tools.synthetic_text)
QUERIES = ["co-production", "peer researchers", "lived experience", "sharing power", "payment", "trust",
           "mental health", "autism", "heart failure", "psychosis",
           "Bradford", "Manchester", "Queensland", "Canada",
           "interviews", "focus groups", "workshops", "survey",
           "partcipation", "young people"]
DEFAULT_REFERENCES = 900  # references.bib holds at most 1,000 entries (coprod/cite/bibtex.py)
TYPING_MS = 600  # from focusing the box to the query typed: a reader's time to type a few letters


def time_build(project: Path) -> float:
    """Wall seconds of one ``mkdocs build`` of ``project`` (scripts/benchmark.py's run_build)."""
    return run_build(project)[0]


def text_source(project: Path, text: str):
    """The synthetic pages' text: real sentences (tools.synthetic_text) or words drawn one by one."""
    return Sentences(project) if text == "sentences" else Words(project / "evidence")


def make_project(target: Path, project: Path, cases: int, references: int, text: str = "sentences") -> Path:
    """A copy of ``project``'s site setup with synthetic evidence and Material's search on too."""
    taxonomy = load_evidence(project / "evidence", Report()).taxonomy
    write_evidence(target, project / "evidence", taxonomy, cases, references, words=text_source(project, text))
    for name in ("hooks", "overrides"):
        shutil.copytree(project / name, target / name)
    # the real theme assets; hand-written pages as stubs (the real ones cite the real .bib)
    shutil.copytree(project / "docs" / "assets", target / "docs" / "assets")
    (target / "docs" / "index.md").write_text("# Synthetic library\n\n<!-- library-stats -->\n", encoding="utf-8")
    (target / "docs" / "about.md").write_text("# About\n\nA synthetic library for benchmarks.\n", encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config, found = re.subn(r"(?m)^plugins:.*$", "plugins: [search]", config)
    if not found:
        raise SystemExit("mkdocs.yml has no plugins: line (Pagefind replaces Material's search there)")
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    return target


def folder_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


class _StaticHost(http.server.SimpleHTTPRequestHandler):
    """Serves the site as static hosts (GitHub Pages among them) do: text files gzipped for
    browsers that accept it. Pagefind's own files are compressed already and go as they are."""

    COMPRESSED = frozenset({".html", ".js", ".css", ".json", ".svg", ".xml", ".txt"})

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in self.COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") \
                or not path.is_file():
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def serve_forever(site: Path, port: int) -> None:
    handler = functools.partial(_StaticHost, directory=str(site))
    http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()


def serve(site: Path) -> tuple[subprocess.Popen, str]:
    """The site on loopback, served by a process of its own (a server thread in this
    process would compete with Playwright for the interpreter and slow every fetch)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--site", str(site)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}"


# In the page: type a query as a person would (one input event with the whole text) and
# wait for the status line to report it; the time from the input event to the results.
TYPE_AND_WAIT = """async (query) => {
  const input = document.getElementById("coprod-search-input");
  const status = document.getElementById("coprod-search-status");
  const list = document.getElementById("coprod-search-results");
  input.focus();
  input.value = query;
  const start = performance.now();
  input.dispatchEvent(new Event("input", {bubbles: true}));
  return await new Promise((resolve, reject) => {
    const limit = start + 10000;
    (function check() {
      if (status.textContent.includes("\\u201c" + query + "\\u201d") && status.dataset.state === "done") {
        resolve({ms: performance.now() - start, results: list.children.length, status: status.textContent});
      } else if (performance.now() > limit) {
        reject(new Error("no results for " + query + ": " + status.textContent));
      } else {
        requestAnimationFrame(check);
      }
    })();
  });
}"""


def _count(status: str) -> int:
    """The number of results the status line announces ("12 results for ...", "No results ...")."""
    found = re.match(r"\s*([\d,]+) results? for", status)
    return int(found.group(1).replace(",", "")) if found else 0


def focused_case_page(browser, base: str, errors: list[str]):
    """A case-study page in a fresh context (nothing cached), its search box focused
    TYPING_MS ago; the requests it makes from the focus on are collected in ``fetched``."""
    context = browser.new_context()
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base}/case-studies/case-00042/", wait_until="load")
    fetched: list = []
    page.on("requestfinished", lambda r: fetched.append(r))
    page.focus("#coprod-search-input")
    page.wait_for_timeout(TYPING_MS)
    return context, page, fetched


def first_search(browser, base: str, query: str, errors: list[str]) -> dict:
    """``query`` as the first search on a fresh case-study page (nothing cached): the box
    focused, the query typed TYPING_MS later; the bytes fetched from the focus to the
    results shown (and the fragments of those results still arriving), and the time from
    the query typed to the results shown."""
    context, page, fetched = focused_case_page(browser, base, errors)
    result = page.evaluate(TYPE_AND_WAIT, query)
    page.wait_for_timeout(300)  # the result fragments still arriving are part of the search
    by_kind: dict[str, int] = {}
    for request in fetched:
        by_kind[_kind(request.url)] = by_kind.get(_kind(request.url), 0) + _bytes(request)
    context.close()
    return {"query": query, "ms": result["ms"], "bytes": sum(by_kind.values()), "requests": len(fetched),
            "by_kind": by_kind, "matches": _count(result["status"]), "shown": result["results"]}


# Pagefind on its own, in a fresh page: its script and init (WebAssembly and metadata), the
# search (the index chunks of the query's words, fetched and searched), and the fragments
# of the first five results; each timed, no page code in between.
PAGEFIND_ALONE = """async (query) => {
  const root = new URL(document.querySelector("[data-coprod-search]").getAttribute("data-site-root"), document.baseURI);
  const t0 = performance.now();
  const pagefind = await import(new URL("pagefind/pagefind.js", root).href);
  await pagefind.options({baseUrl: root.pathname});
  await pagefind.init();
  const t1 = performance.now();
  const found = await pagefind.search(query);
  const t2 = performance.now();
  await Promise.all(found.results.slice(0, 5).map(r => r.data()));
  const t3 = performance.now();
  const again = performance.now();
  await pagefind.search(query + " ");
  return {init: t1 - t0, search: t2 - t1, fragments: t3 - t2, search_cached: performance.now() - again,
          matches: found.results.length};
}"""


def pagefind_alone(browser, base: str, query: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{base}/case-studies/case-00042/", wait_until="load")
    fetched: list = []
    page.on("requestfinished", lambda r: fetched.append(r))
    result = page.evaluate(PAGEFIND_ALONE, query)
    result["bytes"] = sum(_bytes(r) for r in fetched)
    context.close()
    return result


def measure_browser(base: str) -> dict:
    from playwright.sync_api import sync_playwright

    figures: dict = {}
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        # each query as the first search of a fresh page
        figures["first"] = [first_search(browser, base, query, errors) for query in QUERIES]
        figures["alone"] = [pagefind_alone(browser, base, query) for query in QUERIES]
        # then all of them, one after another, on one page: what a reader who searches again meets
        context, page, fetched = focused_case_page(browser, base, errors)
        figures["again"] = []
        for query in QUERIES:
            before = len(fetched)
            result = page.evaluate(TYPE_AND_WAIT, query)
            page.wait_for_timeout(50)
            figures["again"].append({"ms": result["ms"], "bytes": sum(_bytes(r) for r in fetched[before:])})
        figures["all_bytes_after_20_queries"] = sum(_bytes(r) for r in fetched)
        context.close()

        catalogue = browser.new_page()
        catalogue.on("pageerror", lambda e: errors.append(str(e)))
        fetched_catalogue: list = []
        catalogue.on("requestfinished", lambda r: fetched_catalogue.append(r))
        catalogue.goto(f"{base}/case-studies/", wait_until="load")
        catalogue.wait_for_timeout(500)
        figures["catalogue_load_pagefind_bytes"] = sum(_bytes(r) for r in fetched_catalogue if "/pagefind/" in r.url)
        fetched_catalogue.clear()
        start = time.perf_counter()
        catalogue.goto(f"{base}/case-studies/?principle=reciprocity&setting=mental-health", wait_until="load")
        catalogue.wait_for_selector("#catalogue-filters[data-state=done]", timeout=60000)
        catalogue.wait_for_timeout(300)
        figures["catalogue_ms"] = 1000 * (time.perf_counter() - start)
        figures["catalogue_status"] = catalogue.inner_text("#catalogue-status")
        figures["catalogue_pagefind_bytes"] = sum(_bytes(r) for r in fetched_catalogue if "/pagefind/" in r.url)
        figures["console_errors"] = errors
        browser.close()
    return figures


def _kind(url: str) -> str:
    """What a fetched file is: script, wasm, meta, index, fragment, filter."""
    name = url.split("?")[0].rsplit("/", 2)
    if name[-2] in ("index", "fragment", "filter"):
        return name[-2]
    return {"js": "script", "pagefind": "wasm", "pf_meta": "meta", "json": "entry"}.get(name[-1].rsplit(".", 1)[-1],
                                                                                         name[-1])


def _bytes(request) -> int:
    sizes = request.sizes()
    return sizes["responseBodySize"] + sizes["responseHeadersSize"]


def report(args: argparse.Namespace, site: Path, build_seconds: float | None) -> None:
    if getattr(args, "reuse_index", False):
        index = search.IndexResult(search.indexed_pages(site), 0.0)
    else:
        index = search.run_pagefind(site)
    bundle, files = folder_size(site / search.BUNDLE)
    material = site / "search" / "search_index.json"
    server, base = serve(site)
    try:
        figures = measure_browser(base)
    finally:
        server.terminate()
        server.wait()
    first, again = figures["first"], figures["again"]
    median = statistics.median(f["ms"] for f in first)
    median_again = statistics.median(f["ms"] for f in again)
    kb = lambda n: f"{n / 1024:,.0f} KB"
    print(f"search: {index.pages} pages in the Pagefind index ({args.cases} case studies + claims and pages)")
    if build_seconds is not None:
        print(f"  mkdocs build (hooks, Pagefind and Material's search plugin): {build_seconds:.1f} s")
    print(f"  Pagefind index build: {index.seconds:.1f} s; bundle {bundle / 2**20:.1f} MB in {files} files")
    print("  each query as the first search of a fresh case-study page (box focused, query typed "
          f"{TYPING_MS} ms later); then all 20 again, one after another, on one page:")
    print(f"    {'query':<18} {'matches':>7} {'shown':>5} {'ms':>6} {'KB':>6}   {'ms again':>8} {'KB again':>8}   "
          "first search's bytes by kind")
    for one, two in zip(first, again):
        kinds = ", ".join(f"{kind} {size / 1024:.0f}" for kind, size in sorted(one["by_kind"].items(), key=lambda i: -i[1]))
        print(f"    {one['query']:<18} {one['matches']:>7,} {one['shown']:>5} {one['ms']:>6.0f} {one['bytes'] / 1024:>6.0f}   "
              f"{two['ms']:>8.0f} {two['bytes'] / 1024:>8.0f}   {kinds}")
    print("  Pagefind alone, each query in a fresh page (ms: script and init, search, 5 fragments; "
          "the same search again):")
    for query, alone in zip(QUERIES, figures["alone"]):
        print(f"    {query:<18} {alone['matches']:>7,}  init {alone['init']:>5.0f}  search {alone['search']:>5.0f}  "
              f"fragments {alone['fragments']:>5.0f}  again {alone['search_cached']:>5.0f}  {alone['bytes'] / 1024:>5.0f} KB")
    for name in ("init", "search", "fragments", "search_cached"):
        print(f"    median {name}: {statistics.median(a[name] for a in figures['alone']):.0f} ms")
    largest = max(f["bytes"] for f in first)
    print(f"  first search: median {kb(statistics.median(f['bytes'] for f in first))}, largest {kb(largest)} "
          f"(target <= 300 KB: {'met' if largest <= 300 * 1024 else 'MISSED'})")
    print(f"  typing to results: median {median:.0f} ms as a first search, {median_again:.0f} ms searching again; "
          f"max {max(f['ms'] for f in first):.0f} ms (target <= 100 ms: {'met' if median <= 100 else 'MISSED'})")
    print(f"  all bytes after those 20 queries on one page: {kb(figures['all_bytes_after_20_queries'])}")
    print(f"  catalogue /case-studies/ loaded, nothing used: {kb(figures['catalogue_load_pagefind_bytes'])} of Pagefind")
    print(f"  catalogue ?principle=reciprocity&setting=mental-health: {figures['catalogue_status']!r}; "
          f"{kb(figures['catalogue_pagefind_bytes'])} of index fetched; ready {figures['catalogue_ms']:.0f} ms "
          f"after navigation")
    if material.exists():
        print(f"  Material's search index for the same site: {material.stat().st_size / 2**20:.1f} MB "
              f"(search/search_index.json, fetched whole by every reader who searches)")
    if figures["console_errors"]:
        print("  console errors:", *figures["console_errors"][:10], sep="\n    ")


def write_html_pages(site: Path, project: Path, cases: int, references: int, kind: str = "sentences") -> None:
    """N synthetic case-study pages in ``site``, each in the shell of a page the build made."""
    import markdown

    from coprod.pages.case_study import case_study_page
    from coprod.render import body_html

    shells = sorted((site / "case-studies").glob("*/index.html"))
    shell = next(p for p in shells if "data-pagefind-body" in p.read_text(encoding="utf-8"))
    text = shell.read_text(encoding="utf-8")
    start = text.index("<div data-pagefind-body>")
    tail = f"<span hidden>{EVERY_CASE_STUDY_WORD}</span></div>"  # the end of pagefind_markup and of the body
    end = text.index(tail, start) + len(tail)
    before, after = text[:start], text[end:]
    with tempfile.TemporaryDirectory() as tmp:
        taxonomy = load_evidence(project / "evidence", Report()).taxonomy
        folder = write_evidence(Path(tmp), project / "evidence", taxonomy, cases, references,
                                words=text_source(project, kind))
        build = site_module.load(folder)
        evidence, refs = build.evidence, build.references
        markups = search.markup_for_records(evidence)
        for record in evidence.published("case-study"):
            page = case_study_page(record, evidence, refs, None)
            source = body_html.as_markdown(page.content, page.body)  # the body as markdown in its place
            body = markdown.markdown(source, extensions=["admonition", "attr_list", "tables", "toc"])
            content, _ = search.mark_page(body, page.uri, page.title, True, markups)
            target = site / "case-studies" / record.id / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(before + content + after, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10000)
    parser.add_argument("--references", type=int, default=DEFAULT_REFERENCES,
                        help="at most 980: references.bib holds at most 1,000 entries (coprod/cite/bibtex.py)")
    parser.add_argument("--project", type=Path, default=ROOT, help="the project whose setup is copied")
    parser.add_argument("--text", choices=("sentences", "words"), default="sentences",
                        help="the synthetic text: real sentences mixed with new ones (default), or words drawn one by one")
    parser.add_argument("--keep", type=Path, help="build in this (new) folder and keep it")
    parser.add_argument("--site", type=Path, help="measure this built site; no build")
    parser.add_argument("--reuse-index", action="store_true",
                        help="with --site: measure the site's Pagefind index as it is (after changing only scripts)")
    parser.add_argument("--html-into", type=Path, help="write the pages into this built site; no MkDocs")
    parser.add_argument("--serve", type=int, metavar="PORT", help=argparse.SUPPRESS)  # the server process
    args = parser.parse_args()
    if args.serve:
        serve_forever(args.site, args.serve)
        return
    if args.html_into:
        start = time.perf_counter()
        write_html_pages(args.html_into, args.project, args.cases, args.references, args.text)
        print(f"wrote {args.cases} case-study pages without MkDocs in {time.perf_counter() - start:.0f} s")
        report(args, args.html_into, None)
        return
    if args.site:
        report(args, args.site, None)
        return
    if args.keep:
        project = make_project(args.keep, args.project, args.cases, args.references, args.text)
        report(args, project / "site", time_build(project))
        return
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp), args.project, args.cases, args.references, args.text)
        report(args, project / "site", time_build(project))


if __name__ == "__main__":
    main()
