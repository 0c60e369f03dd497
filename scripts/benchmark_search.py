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
overrides, once. (It no longer switches Material's search plugin on to compare its index:
that was taken out while the plugin could not read the hook's packed pages; the hook now
unpacks each page first, but the comparison has not been put back. A site that has the
plugin has its index measured.) Then, in the same run:

- the Pagefind index build time (``pagefind`` on the built site, timed alone), its size;
- in Debian's Chromium, with the site served on loopback as a static host serves it (text
  files gzipped, as GitHub Pages does; Pagefind's files are compressed already), for each
  of 20 queries a reader might type (QUERIES), each as the first search of a fresh page:
  the pages it matches, the bytes of Pagefind's files fetched from focusing the box to the
  results shown (target: at most 300 KB) and the time from typing to results (target: median at most
  100 ms); then Pagefind alone on the same queries (its init, search and fragments timed
  apart); then all 20 again on one page; the Pagefind bytes the catalogue fetches when
  loaded, when a linked filtered view is opened and when words are typed in it (``?q=trust``:
  its requests, how many are fragments, its bytes and time);
- the size of Material's index (``search/search_index.json``), where the site has one.

``--html-into SITE`` is for a slow machine: into an already built small site (its first
case-study page is the shell), it writes the N synthetic case-study pages directly, with
the same content HTML and Pagefind markup the build gives them (``case_study_page``,
Python-Markdown with the site's extensions, ``search.mark_page``) but without MkDocs, then
measures as above.
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
from coprod.read.problems import Report

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# the browser tests' flags (tests/browser/conftest.py): nothing fetched but the site served on loopback
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
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
WAIT_MS = 120_000  # the longest wait for one page or one search's results before the run is void (a slow machine)


def time_build(project: Path) -> float:
    """Wall seconds of one ``mkdocs build`` of ``project`` (scripts/benchmark.py's run_build)."""
    return run_build(project).wall


def text_source(project: Path, text: str):
    """The synthetic pages' text: real sentences (tools.synthetic_text) or words drawn one by one."""
    return Sentences(project) if text == "sentences" else Words(project / "evidence")


def make_project(target: Path, project: Path, cases: int, references: int, text: str = "sentences") -> Path:
    """A copy of ``project``'s site setup (its mkdocs.yml as it is) with synthetic evidence."""
    taxonomy = load_evidence(project / "evidence", Report()).taxonomy
    write_evidence(target, project / "evidence", taxonomy, cases, references, words=text_source(project, text))
    for name in ("hooks", "overrides"):
        shutil.copytree(project / name, target / name)
    # the real theme assets; hand-written pages as stubs (the real ones cite the real .bib)
    shutil.copytree(project / "docs" / "assets", target / "docs" / "assets")
    (target / "docs" / "index.md").write_text("# Synthetic library\n\n<!-- library-stats -->\n", encoding="utf-8")
    (target / "docs" / "about.md").write_text("# About\n\nA synthetic library for benchmarks.\n", encoding="utf-8")
    shutil.copy(project / "mkdocs.yml", target / "mkdocs.yml")
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
    until = time.perf_counter() + WAIT_MS / 1000
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            if server.poll() is not None or time.perf_counter() > until:
                server.kill()
                server.wait()
                raise SystemExit(f"the static server for {site} did not start; the benchmark is void") from None
            time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}"


# In the page: type a query as a person would (one input event with the whole text) and
# wait for the status line to report it; the time from the input event to the results.
TYPE_AND_WAIT = """async ([query, wait]) => {
  const input = document.getElementById("coprod-search-input");
  const status = document.getElementById("coprod-search-status");
  const list = document.getElementById("coprod-search-results");
  input.focus();
  input.value = query;
  const start = performance.now();
  input.dispatchEvent(new Event("input", {bubbles: true}));
  return await new Promise((resolve, reject) => {
    const limit = start + wait;
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


def case_page(site: Path) -> str:
    """The case-study page the searches start on: case-00042's, or the first there is in a
    smaller library."""
    if (site / "case-studies" / "case-00042" / "index.html").exists():
        return "/case-studies/case-00042/"
    first = min(p.parent.name for p in (site / "case-studies").glob("case-*/index.html"))
    return f"/case-studies/{first}/"


def focused_case_page(browser, base: str, start: str, errors: list[str]):
    """A case-study page in a fresh context (nothing cached), its search box focused
    TYPING_MS ago; the requests for Pagefind's files from the focus on are collected in
    ``fetched`` (a search fetches nothing else; the page's own icon, which Chromium asks
    for when it likes, is not the search's)."""
    context = browser.new_context()
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + start, wait_until="networkidle")  # the page's own files (its icon) first
    fetched: list = []
    page.on("requestfinished", lambda r: fetched.append(r) if "/pagefind/" in r.url else None)
    page.focus("#coprod-search-input")
    page.wait_for_timeout(TYPING_MS)
    return context, page, fetched


def first_search(browser, base: str, start: str, query: str, errors: list[str]) -> dict:
    """``query`` as the first search on a fresh case-study page (nothing cached): the box
    focused, the query typed TYPING_MS later; the bytes fetched from the focus to the
    results shown (and the fragments of those results still arriving), and the time from
    the query typed to the results shown."""
    context, page, fetched = focused_case_page(browser, base, start, errors)
    result = page.evaluate(TYPE_AND_WAIT, [query, WAIT_MS])
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


def pagefind_alone(browser, base: str, start: str, query: str) -> dict:
    context = browser.new_context()
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto(base + start, wait_until="networkidle")
    fetched: list = []
    page.on("requestfinished", lambda r: fetched.append(r) if "/pagefind/" in r.url else None)
    result = page.evaluate(PAGEFIND_ALONE, query)
    result["bytes"] = sum(_bytes(r) for r in fetched)
    context.close()
    return result


def measure_browser(base: str, queries: list[str] = QUERIES, start_page: str = "/case-studies/case-00042/") -> dict:
    """Every figure taken in Chromium (see the module's docstring); searches start on ``start_page``."""
    from playwright.sync_api import sync_playwright

    figures: dict = {}
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        # each query as the first search of a fresh page
        figures["first"] = [first_search(browser, base, start_page, query, errors) for query in queries]
        figures["alone"] = [pagefind_alone(browser, base, start_page, query) for query in queries]
        # then all of them, one after another, on one page: what a reader who searches again meets
        context, page, fetched = focused_case_page(browser, base, start_page, errors)
        figures["again"] = []
        for query in queries:
            before = len(fetched)
            result = page.evaluate(TYPE_AND_WAIT, [query, WAIT_MS])
            page.wait_for_timeout(50)
            figures["again"].append({"ms": result["ms"], "bytes": sum(_bytes(r) for r in fetched[before:])})
        figures["all_bytes_after_20_queries"] = sum(_bytes(r) for r in fetched)
        context.close()

        catalogue = browser.new_page()
        catalogue.set_default_timeout(WAIT_MS)
        catalogue.on("pageerror", lambda e: errors.append(str(e)))
        fetched_catalogue: list = []
        catalogue.on("requestfinished", lambda r: fetched_catalogue.append(r))
        catalogue.goto(f"{base}/case-studies/", wait_until="load")
        catalogue.wait_for_timeout(500)
        figures["catalogue_load_pagefind_bytes"] = sum(_bytes(r) for r in fetched_catalogue if "/pagefind/" in r.url)
        fetched_catalogue.clear()
        start = time.perf_counter()
        catalogue.goto(f"{base}/case-studies/?principle=reciprocity&setting=mental-health", wait_until="load")
        catalogue.wait_for_selector("#catalogue-filters[data-state=done]")
        catalogue.wait_for_timeout(300)
        figures["catalogue_ms"] = 1000 * (time.perf_counter() - start)
        figures["catalogue_status"] = catalogue.inner_text("#catalogue-status")
        figures["catalogue_pagefind_bytes"] = sum(_bytes(r) for r in fetched_catalogue if "/pagefind/" in r.url)
        # words typed in the catalogue: Pagefind's matches among the case studies, each named
        # by its address (from the file written with the index, or from its fragment)
        fetched_catalogue.clear()
        start = time.perf_counter()
        catalogue.goto(f"{base}/case-studies/?q=trust", wait_until="load")
        catalogue.wait_for_selector("#catalogue-filters[data-state=done][data-engine=pagefind]", timeout=5 * WAIT_MS)
        figures["catalogue_query_ms"] = 1000 * (time.perf_counter() - start)
        pagefind_files = [r for r in fetched_catalogue if "/pagefind/" in r.url]
        figures["catalogue_query_requests"] = len(pagefind_files)
        figures["catalogue_query_fragments"] = sum("/pagefind/fragment/" in r.url for r in pagefind_files)
        figures["catalogue_query_bytes"] = sum(_bytes(r) for r in pagefind_files)
        figures["console_errors"] = errors
        browser.close()
    return figures


def _kind(url: str) -> str:
    """What a fetched file is: script, worker, wasm, meta, index, fragment, filter."""
    name = url.split("?")[0].rsplit("/", 2)
    if name[-2] in ("index", "fragment", "filter"):
        return name[-2]
    if name[-1] == "pagefind-worker.js":
        return "worker"
    return {"js": "script", "pagefind": "wasm", "pf_meta": "meta", "json": "entry"}.get(name[-1].rsplit(".", 1)[-1],
                                                                                         name[-1])


def _bytes(request) -> int:
    """The bytes a response took on the wire. Chromium reports no body size for a worker's
    own script (Pagefind's pagefind-worker.js, 12 KB): its Content-Length is taken then."""
    sizes = request.sizes()
    body = sizes["responseBodySize"]
    if not body and request.response() is not None:
        body = int(request.response().headers.get("content-length") or 0)
    return body + sizes["responseHeadersSize"]


def measure(site: Path, reuse_index: bool, queries: list[str] = QUERIES) -> dict:
    """Index ``site`` with Pagefind (or, with ``reuse_index``, take the index it has) and
    measure it in the browser: :func:`measure_browser`'s figures, with the index's."""
    if reuse_index:
        index = search.IndexResult(search.indexed_pages(site), 0.0)
    else:  # the command adds its files to what the folder holds: an older index's would be counted
        shutil.rmtree(site / search.BUNDLE, ignore_errors=True)
        index = search.run_pagefind(site)
    bundle, files = folder_size(site / search.BUNDLE)
    material = site / "search" / "search_index.json"
    server, base = serve(site)
    try:
        figures = measure_browser(base, queries, case_page(site))
    finally:
        server.terminate()
        server.wait()
    figures.update(pages=index.pages, index_seconds=index.seconds, bundle_bytes=bundle, bundle_files=files,
                   material_bytes=material.stat().st_size if material.exists() else None)
    return figures


def summary(figures: dict) -> dict:
    """The figures the issue's table asks for: medians of typing to results and of
    Pagefind's own ``search()``, their ratio, and the first search's bytes."""
    first, alone = figures["first"], figures["alone"]
    typing, own = statistics.median(f["ms"] for f in first), statistics.median(a["search"] for a in alone)
    return {"queries": len(first), "typing_ms": typing, "again_ms": statistics.median(f["ms"] for f in figures["again"]),
            "pagefind_search_ms": own, "pagefind_init_ms": statistics.median(a["init"] for a in alone),
            "ratio": typing / own if own else None,
            "first_bytes_median": statistics.median(f["bytes"] for f in first),
            "first_bytes_largest": max(f["bytes"] for f in first),
            "largest_query": max(first, key=lambda f: f["bytes"])["query"],
            "over_300_kb": [f["query"] for f in first if f["bytes"] > 300 * 1024]}


def report(args: argparse.Namespace, site: Path, build_seconds: float | None, queries: list[str] = QUERIES) -> dict:
    """Measure (:func:`measure`) and print every figure; returns them."""
    figures = measure(site, getattr(args, "reuse_index", False), queries)
    first, again = figures["first"], figures["again"]
    median = statistics.median(f["ms"] for f in first)
    median_again = statistics.median(f["ms"] for f in again)
    kb = lambda n: f"{n / 1024:,.0f} KB"
    print(f"search: {figures['pages']} pages in the Pagefind index ({args.cases} case studies + claims and pages)")
    if build_seconds is not None:
        print(f"  mkdocs build (hooks and Pagefind): {build_seconds:.1f} s")
    if getattr(args, "reuse_index", False):
        print(f"  the index as the build wrote it; bundle {figures['bundle_bytes'] / 2**20:.1f} MB in "
              f"{figures['bundle_files']} files")
    else:
        print(f"  Pagefind index build: {figures['index_seconds']:.1f} s; bundle {figures['bundle_bytes'] / 2**20:.1f} MB "
              f"in {figures['bundle_files']} files")
    print("  each query as the first search of a fresh case-study page (box focused, query typed "
          f"{TYPING_MS} ms later); then all {len(first)} again, one after another, on one page:")
    print(f"    {'query':<18} {'matches':>7} {'shown':>5} {'ms':>6} {'KB':>6}   {'ms again':>8} {'KB again':>8}   "
          "first search's bytes by kind")
    for one, two in zip(first, again):
        kinds = ", ".join(f"{kind} {size / 1024:.0f}" for kind, size in sorted(one["by_kind"].items(), key=lambda i: -i[1]))
        print(f"    {one['query']:<18} {one['matches']:>7,} {one['shown']:>5} {one['ms']:>6.0f} {one['bytes'] / 1024:>6.0f}   "
              f"{two['ms']:>8.0f} {two['bytes'] / 1024:>8.0f}   {kinds}")
    print("  Pagefind alone, each query in a fresh page (ms: script and init, search, 5 fragments; "
          "the same search again):")
    for query, alone in zip((f["query"] for f in first), figures["alone"]):
        print(f"    {query:<18} {alone['matches']:>7,}  init {alone['init']:>5.0f}  search {alone['search']:>5.0f}  "
              f"fragments {alone['fragments']:>5.0f}  again {alone['search_cached']:>5.0f}  {alone['bytes'] / 1024:>5.0f} KB")
    for name in ("init", "search", "fragments", "search_cached"):
        print(f"    median {name}: {statistics.median(a[name] for a in figures['alone']):.0f} ms")
    largest = max(f["bytes"] for f in first)
    print(f"  first search: median {kb(statistics.median(f['bytes'] for f in first))}, largest {kb(largest)} "
          f"(target <= 300 KB: {'met' if largest <= 300 * 1024 else 'MISSED'})")
    print(f"  typing to results: median {median:.0f} ms as a first search, {median_again:.0f} ms searching again; "
          f"max {max(f['ms'] for f in first):.0f} ms (target <= 100 ms: {'met' if median <= 100 else 'MISSED'})")
    print(f"  all bytes after those {len(first)} queries on one page: {kb(figures['all_bytes_after_20_queries'])}")
    print(f"  catalogue /case-studies/ loaded, nothing used: {kb(figures['catalogue_load_pagefind_bytes'])} of Pagefind")
    print(f"  catalogue ?principle=reciprocity&setting=mental-health: {figures['catalogue_status']!r}; "
          f"{kb(figures['catalogue_pagefind_bytes'])} of index fetched; ready {figures['catalogue_ms']:.0f} ms "
          f"after navigation")
    print(f"  catalogue ?q=trust: {figures['catalogue_query_requests']:,} requests for Pagefind's files "
          f"({figures['catalogue_query_fragments']:,} fragments), {kb(figures['catalogue_query_bytes'])}; "
          f"ready {figures['catalogue_query_ms']:.0f} ms after navigation")
    own = summary(figures)
    print(f"  typing to results / Pagefind's own search(), medians: {own['ratio']:.2f} (target <= 1.2: "
          f"{'met' if own['ratio'] <= 1.2 else 'MISSED'})")
    if figures["material_bytes"] is not None:
        print(f"  Material's search index for the same site: {figures['material_bytes'] / 2**20:.1f} MB "
              f"(search/search_index.json, fetched whole by every reader who searches)")
    if figures["console_errors"]:
        print("  console errors:", *figures["console_errors"][:10], sep="\n    ")
    return figures


def write_html_pages(site: Path, project: Path, cases: int, references: int, kind: str = "sentences") -> None:
    """N synthetic case-study pages in ``site``, each in the shell of a page the build made."""
    import markdown

    from coprod.pages.case_study import case_study_page
    from coprod.render import body_html

    shells = sorted((site / "case-studies").glob("*/index.html"))
    shell = next(p for p in shells if "data-pagefind-body" in p.read_text(encoding="utf-8"))
    text = shell.read_text(encoding="utf-8")
    start = text.index("<div data-pagefind-body>")
    tail = "</div></div>"  # the end of pagefind_markup's hidden block, and of the body
    end = text.index(tail, text.index("<div hidden data-pagefind-ignore", start)) + len(tail)
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
