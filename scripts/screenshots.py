"""Screenshots of every page type, at phone (390 px) and desktop (1280 px) width, light and
dark, for looking at the site as its readers meet it (docs: GUIDE "Look at what you make").

    .venv/bin/python scripts/screenshots.py [--site DIR] [--out DIR] [--only NAME ...] [--full]

Builds the site (unless --site names a built one), serves it on 127.0.0.1, drives Debian's
Chromium (/usr/bin/chromium) with Playwright and writes <out>/<page>-<width>-<scheme>.png.
By default each picture is the first screen and a little more (what a reader sees first);
--full takes the whole page (capped at 6000 px). The pictures are for looking at, not for
committing.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.site_pages import CONTRIBUTE, PAGE_TYPES

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
WIDTHS = {390: 844, 1280: 900}  # width -> viewport height
SCHEMES = ("default", "slate")
FIRST_VIEW = 1.6  # the first screen and 60 % more


def build(out: Path) -> None:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], cwd=ROOT, env=env, check=True)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def pages() -> dict[str, str]:
    out = {name.replace(" ", "-"): path for name, path in PAGE_TYPES.items()}
    out["contribute"] = CONTRIBUTE
    return out


def capture(page, target: Path, width: int, height: int, shot: int) -> None:
    """The top ``shot`` px of the page. The window is made that tall for the picture (then
    put back): a full-page picture of a shorter window paints a sticky sidebar (Material's
    "Browse" menu at 1280 px) only as far as the window reaches, and leaves the rest of it
    empty; in a window as tall as the picture, it is whole, as a reader scrolling sees it."""
    page.set_viewport_size({"width": width, "height": shot})
    page.wait_for_timeout(300)  # Material sizes its sidebars on the window's resize
    page.screenshot(path=str(target), clip={"x": 0, "y": 0, "width": width, "height": shot})
    page.set_viewport_size({"width": width, "height": height})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site (default: build one in a temporary folder)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/screenshots"))
    parser.add_argument("--only", nargs="*", help="page names to take (default: every page type)")
    parser.add_argument("--full", action="store_true", help="the whole page, not the first view")
    parser.add_argument("--widths", nargs="*", type=int, default=list(WIDTHS))
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or Path(tmp) / "site"
        if args.site is None:
            build(site)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        args.out.mkdir(parents=True, exist_ok=True)
        chosen = {k: v for k, v in pages().items() if not args.only or k in args.only}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            for width in args.widths:
                height = WIDTHS.get(width, 900)
                for scheme in SCHEMES:
                    context = browser.new_context(viewport={"width": width, "height": height})
                    # Material keeps the chosen scheme in localStorage (__palette), read before paint
                    context.add_init_script(
                        f"localStorage.setItem('/.__palette', JSON.stringify({{index: {SCHEMES.index(scheme)}, "
                        f"color: {{scheme: '{scheme}'}}}}))")
                    page = context.new_page()
                    for name, path in chosen.items():
                        page.goto(base + path)
                        page.wait_for_load_state("networkidle")
                        page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
                        target = args.out / f"{name}-{width}-{scheme}.png"
                        full = page.evaluate("document.documentElement.scrollHeight")
                        capture(page, target, width, height, min(full, 6000) if args.full else int(height * FIRST_VIEW))
                        wide = page.evaluate("document.documentElement.scrollWidth")
                        note = f"  (scrollWidth {wide} > {width})" if wide > width else ""
                        print(f"{target}{note}")
                    context.close()
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
