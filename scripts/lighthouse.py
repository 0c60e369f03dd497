"""Lighthouse on every page type, mobile profile, the site served gzipped as GitHub Pages
serves it, in Debian's Chromium:

    .venv/bin/python scripts/lighthouse.py [--site DIR] [--only NAME ...] [--json FILE] [--jobs N]

Prints one row per page type: performance, accessibility, best practices, SEO and the
bytes transferred, then every audit below full marks in the last three. Lighthouse is
Google's, from npm, pinned: ``npm i -E --prefix .venv-tools/lighthouse lighthouse@12.2.3``
(``.ci/run`` installs it). Exit status 1 if accessibility, best practices or SEO is below
100 on any page; performance is printed, not judged (it is a timing, and this machine is
shared: see README, benchmarks). The pages are audited through Lighthouse's Node API
(scripts/lighthouse_pages.mjs), in turn in one Chromium; ``--jobs 2`` splits them between
two, audited at once: the judged scores do not depend on it, the performance figures do.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.site_pages import CONTRIBUTE, PAGE_TYPES

LIGHTHOUSE = ROOT / ".venv-tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
VERSION = "12.2.3"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
JUDGED = ("accessibility", "best-practices", "seo")
GZIPPED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".webmanifest", ".pf_meta", ".bib", ".ris")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzipped when the browser accepts it (as GitHub Pages does)."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's address
            path = path / "index.html"
        if path.is_file() and path.suffix in GZIPPED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=600")
            self.end_headers()
            return _Bytes(body)
        return super().send_head()


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *args) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


def pages() -> dict[str, str]:
    return {**{name.replace(" ", "-"): path for name, path in PAGE_TYPES.items()}, "contribute": CONTRIBUTE}


def run(pages: list[tuple[str, Path]], categories: tuple[str, ...] = CATEGORIES) -> None:
    """Audit ``pages`` (address, report file) in turn, in one Node process and one Chromium
    (scripts/lighthouse_pages.mjs, Lighthouse's own Node API): each report is the JSON the
    CLI's ``--output=json`` writes. Raises if any page has no report."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js is needed for Lighthouse (.ci/run installs it)")
    orders = {"modules": str(LIGHTHOUSE.parents[1]), "chrome": CHROMIUM, "chromeFlags": CHROME_FLAGS.split(),
              "categories": list(categories), "pages": [{"url": url, "out": str(out)} for url, out in pages]}
    result = subprocess.run([node, str(ROOT / "scripts" / "lighthouse_pages.mjs")], input=json.dumps(orders),
                            capture_output=True, text=True, timeout=300 * max(1, len(pages)), check=False)
    missing = [url for url, out in pages if not out.is_file()]
    if result.returncode != 0 or missing:
        raise RuntimeError(f"lighthouse failed on {', '.join(missing) or 'a page'}: {result.stderr[-2000:]}")


def summary(report: dict) -> dict:
    scores = {name: round((report["categories"][name]["score"] or 0) * 100) if name in report["categories"] else None
              for name in CATEGORIES}
    weight = report["audits"].get("total-byte-weight", {}).get("numericValue")  # a performance audit
    failing = []
    for name in JUDGED:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                failing.append(f"{name}: {ref['id']}: {audit.get('title', '')}")
    return {"scores": scores, "kib": round(weight / 1024, 1) if weight is not None else None, "failing": failing,
            "version": report.get("lighthouseVersion", "")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument("--only", nargs="*", help="page names (default: every page type)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--jobs", type=int, default=1, help="pages audited at once (default 1; more makes the "
                        "performance figures less comparable, not the other scores)")
    parser.add_argument("--judged-only", action="store_true", help="audit only the judged categories (accessibility, "
                        "best practices, SEO): performance, a timing, is left out and printed as '-'")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print(f"Lighthouse is not installed: npm i -E --prefix .venv-tools/lighthouse lighthouse@{VERSION}",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)], cwd=ROOT, check=True,
                           env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        results = {}
        print(f"{'page':<16} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5} {'KiB':>7}")
        wanted = [(name, path) for name, path in pages().items() if not args.only or name in args.only]

        categories = JUDGED if args.judged_only else CATEGORIES
        shares = [wanted[i::max(1, args.jobs)] for i in range(max(1, args.jobs))]  # one Chromium each

        def audit(share: list[tuple[str, str]]) -> None:
            run([(base + path, Path(tmp) / f"{name}.json") for name, path in share], categories)

        try:
            with ThreadPoolExecutor(len(shares)) as pool:
                list(pool.map(audit, [share for share in shares if share]))
            for name, _ in wanted:  # in page order
                result = summary(json.loads((Path(tmp) / f"{name}.json").read_text(encoding="utf-8")))
                results[name] = result
                s = result["scores"]
                print(f"{name:<16} {s['performance'] if s['performance'] is not None else '-':>5} {s['accessibility']:>5} {s['best-practices']:>5} "
                      f"{s['seo']:>5} {result['kib'] if result['kib'] is not None else '-':>7}", flush=True)
        finally:
            server.shutdown()
    for name, result in results.items():
        for line in result["failing"]:
            print(f"  {name}: {line}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    bad = [n for n, r in results.items() if any(r["scores"][c] < 100 for c in JUDGED)]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
