"""The rest of a pull request in Chromium (issue 26): what ran in a reader's browser no longer does.

- An SVG or HTML file under docs/assets/images/ ran its script in the site's origin when
  opened. The fixtures (tests/fixtures/hostile/files) are live: served from the site's
  origin, Chromium runs them. The real build refuses them, so the built site never serves
  one (tests/checks/test_untrusted_files.py shows the validator's messages).
- One ``<script>`` line added to a hand-written page ran: the page policy hashed every inline
  script it found. The policy now lists only the templates' own scripts, so the same line
  on a built page is blocked by Chromium and reported as a violation.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from .conftest import ROOT

HOSTILE_FILES = ROOT / "tests" / "fixtures" / "hostile" / "files"
ACTIVE = ["assets/images/diagram.svg", "assets/images/gallery.html"]

_RECORD = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def serve(tmp_path: Path):
    """Serve a folder on loopback for one test, as GitHub Pages would (no headers of ours)."""
    servers = []

    def start(folder: Path) -> str:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()


def _open(browser, url: str) -> tuple[list[str], list[str], int | None]:
    """The dialogs a page opened, the policy violations it reported, and its status."""
    context = browser.new_context()
    context.add_init_script(_RECORD)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        response = page.goto(url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)
        violations = page.evaluate("window.__violations || []") if response is not None and response.ok else []
        return dialogs, violations, response.status if response is not None else None
    finally:
        context.close()


@pytest.mark.parametrize("name", ACTIVE)
def test_an_active_file_runs_in_the_origin_and_the_site_never_serves_one(browser, serve, site_dir: Path,
                                                                         tmp_path: Path, name: str) -> None:
    # the fixture is live: served from the site's origin (a copy of it), its script runs
    planted = tmp_path / "planted"
    shutil.copytree(site_dir, planted)
    (planted / name).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(HOSTILE_FILES / "docs" / name, planted / name)
    dialogs, _, status = _open(browser, f"{serve(planted)}/{name}")
    assert status == 200 and any(d.startswith("XSS") for d in dialogs), f"the fixture {name} did not run: {dialogs}"
    # the real build of a project holding it stops, naming the file, and writes no site
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers import make_project, mkdocs_build

    (tmp_path / "build").mkdir()
    project = make_project(tmp_path / "build")
    (project / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(HOSTILE_FILES / "docs" / name, project / "docs" / name)
    built = mkdocs_build(project)
    assert built.returncode != 0 and f"docs/{name}: file: " in built.stdout
    assert not (project / "site" / name).exists()
    # and the site as built serves nothing there: nothing runs
    dialogs, _, status = _open(browser, f"{serve(site_dir)}/{name}")
    assert status == 404 and dialogs == []


def test_a_script_added_to_a_hand_written_page_does_not_run(browser, serve, site_dir: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    guide = site / "contribute" / "guide" / "index.html"
    page = guide.read_text(encoding="utf-8")
    assert page.count('http-equiv="Content-Security-Policy"') == 1
    guide.write_text(page.replace("</article>", '<script>alert("XSS guide")</script></article>', 1), encoding="utf-8")
    base = serve(site)
    dialogs, violations, status = _open(browser, f"{base}/contribute/guide/")
    assert status == 200
    assert dialogs == [], f"the added script ran: {dialogs}"
    assert "script-src-elem" in violations or "script-src" in violations, violations
    # the page as built runs its own scripts with no violation (the policy lists them)
    dialogs, violations, _ = _open(browser, f"{serve(site_dir)}/contribute/guide/")
    assert dialogs == [] and violations == []
    # and the build refuses to write a policy for the page with the script in it
    policy_less = re.sub(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">', "",
                         guide.read_text(encoding="utf-8"))
    checked = subprocess.run([sys.executable, "-c", "import sys; from coprod.render import csp; csp.policy(sys.stdin.read())"],
                             input=policy_less, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert checked.returncode != 0 and "ForeignInline: an inline script" in checked.stderr
