"""mkdocs serve and dev.py serve, for real, on a loopback port: a bad edit shows the
validator's messages in the browser (and the page comes back when it is fixed), and
stopping dev.py by its process id stops its server too."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers import ROOT, make_project, served_in_process

PAGE = "/case-studies/peer-researchers/"
TITLE = "Peer researchers shaping a community health study"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(port: int, path: str) -> tuple[int, str]:
    """One request; a server that holds it longer than 30 s fails the test (that is the hang)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait_for(port: int, path: str, text: str, server: subprocess.Popen, timeout: float = 180) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server stopped (exit {server.returncode})")
        try:
            _, last = fetch(port, path)
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.3)
            continue
        if text in last:
            return last
        time.sleep(0.3)
    raise AssertionError(f"{path} never showed {text!r} within {timeout} s; last answer:\n{last[:2000]}")


def stop(server: subprocess.Popen) -> str:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return server.stdout.read() if server.stdout else ""


def serve(project: Path, port: int, *options: str, **env: str) -> subprocess.Popen:
    """``mkdocs serve`` of ``project`` on 127.0.0.1:``port`` (with ``options`` such as
    ``--dirty``, and ``env`` added to this environment), its log read by :func:`stop`."""
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", *options, "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=project, env=dict(os.environ, NO_MKDOCS_2_WARNING="1", **env), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


BUILD_STEPS = ("Detected file changes", "Edited page served", "Building documentation", "Documentation built in")
BUILD_ENDS = ("Serving on", "Reloading browsers", "An error happened during the rebuild")


class Server:
    """One ``mkdocs serve`` of a fixture project shared by the tests of this module that only
    edit its evidence and read its pages (each puts the project back as it found it and
    waits for the server to show it): one cold build for them all. Its log is read as it
    comes, so each test reads the part written while it ran (:meth:`log`)."""

    def __init__(self, project: Path, *options: str, **env: str) -> None:
        self.project, self.port, self.lines = project, free_port(), []
        self.process = serve(project, self.port, *options, PYTHONUNBUFFERED="1", **env)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        wait_for(self.port, PAGE, TITLE, self.process)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    def mark(self) -> int:
        """Where the log is now: a test's part of the log starts here."""
        self.idle()
        return len(self.lines)

    def log(self, since: int) -> str:
        return "".join(self.lines[since:])

    def idle(self, timeout: float = 180) -> None:
        """The last build the server started has finished (MkDocs' "Reloading browsers" after
        a rebuild, "Serving on" after the first) and nothing new started for half a second,
        so what it logs next is the next test's."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log(0)
            said = [line for line in text.splitlines() if any(s in line for s in BUILD_STEPS + BUILD_ENDS)]
            if said and any(s in said[-1] for s in BUILD_ENDS):
                time.sleep(0.5)
                if self.log(0) == text:
                    return
            time.sleep(0.2)
        raise AssertionError(f"the server is still building after {timeout} s:\n{self.log(0)[-2000:]}")

    def rebuilt(self, since: int, timeout: float = 180) -> None:
        """A rebuild that started after ``since`` has finished."""
        deadline = time.monotonic() + timeout
        while not any(end in self.log(since) for end in BUILD_ENDS[1:]):
            if time.monotonic() > deadline:
                raise AssertionError(f"no rebuild finished within {timeout} s:\n{self.log(since)[-2000:]}")
            time.sleep(0.2)
        self.idle()

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(30)
        return self.log(0)


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory):
    """``mkdocs serve`` (not --dirty), started where a fork's address is set (SITE_URL), as
    a fork's contributor may have it: what serve shows must not depend on it."""
    server = Server(make_project(tmp_path_factory.mktemp("serve-plain")), SITE_URL="https://fork.example.org/library/")
    yield server
    output = server.stop()
    assert "Traceback" not in output


@pytest.fixture(scope="module")
def dirty_server(tmp_path_factory):
    """``mkdocs serve --dirty``, what dev.py serve runs."""
    server = Server(make_project(tmp_path_factory.mktemp("serve-dirty")), "--dirty")
    yield server
    output = server.stop()
    assert "Traceback" not in output


def test_serving_shows_evidence_errors_in_the_browser_and_recovers(plain_server: Server) -> None:
    port, server, start = plain_server.port, plain_server.process, plain_server.mark()
    case = plain_server.project / "evidence" / "case-studies" / "peer-researchers.md"
    good = case.read_text(encoding="utf-8")
    try:
        case.write_text(good.replace("principle: reciprocity", "principle: reciprocty"), encoding="utf-8")
        page = wait_for(port, PAGE, "The evidence has errors", server)
        assert ("evidence/case-studies/peer-researchers.md:27: principles[1].principle: unknown term "
                "&#x27;reciprocty&#x27; in principles (did you mean &#x27;reciprocity&#x27; (Reciprocity)?") in page
        assert "livereload(" in page  # MkDocs' live reload is on the page, so it turns back when fixed
        status, home = fetch(port, "/")
        assert "The evidence has errors" in home
        status, other = fetch(port, "/no/such/page/")
        assert status == 404 and "The evidence has errors" in other
        assert '<base href="/">' in other  # its styles load at any depth
        case.write_text(good, encoding="utf-8")
        page = wait_for(port, PAGE, TITLE, server)
        assert "The evidence has errors" not in page
    finally:
        case.write_text(good, encoding="utf-8")
        wait_for(port, PAGE, TITLE, server)
        plain_server.idle()
    output = plain_server.log(start)
    assert "unknown term 'reciprocty' in principles" in output  # the terminal says so too
    assert "Traceback" not in output



def test_serving_dirty_rebuilds_only_the_edited_page_and_still_shows_errors(dirty_server: Server) -> None:
    """``mkdocs serve --dirty`` (what dev.py serve runs): an edit writes only the files whose
    inputs changed (coprod/rebuild.py), the page shows the edit, and a bad edit still
    turns every page into the validator's messages until it is fixed."""
    port, server, start = dirty_server.port, dirty_server.process, dirty_server.mark()
    case = dirty_server.project / "evidence" / "case-studies" / "peer-researchers.md"
    good = case.read_text(encoding="utf-8")
    try:
        case.write_text(good.replace("## What happened\n\n", "## What happened\n\nEdited while serving, zqxserve. "),
                        encoding="utf-8")
        wait_for(port, PAGE, "Edited while serving, zqxserve.", server)  # the edited page comes first
        wait_for(port, "/data/case-studies.json", "zqxserve", server)  # then the rest of the dirty build
        _, about = fetch(port, "/about/")
        assert "About" in about
        case.write_text(good.replace("principle: reciprocity", "principle: reciprocty"), encoding="utf-8")
        wait_for(port, PAGE, "The evidence has errors", server)
        case.write_text(good, encoding="utf-8")
        page = wait_for(port, PAGE, TITLE, server)
        assert "zqxserve" not in page and "The evidence has errors" not in page
        _, about = fetch(port, "/about/")
        assert "The evidence has errors" not in about  # pages left as they were are not the error pages
    finally:
        case.write_text(good, encoding="utf-8")
        wait_for(port, PAGE, TITLE, server)
        dirty_server.idle()
    output = dirty_server.log(start)
    assert "Traceback" not in output
    assert "'dirty' build" not in output and "WARNING" not in output, output  # nothing that reads as wrong
    changed = [line for line in output.splitlines() if "Rebuild: " in line]
    assert changed, output
    counts = [int(line.split("Rebuild: ", 1)[1].split(" of ")[0]) for line in changed]
    total = int(changed[0].split(" of ", 1)[1].split()[0])
    assert min(counts) <= 5 < total, changed  # the body edit rewrote a few files, not the site

def test_a_plain_build_still_stops_on_evidence_errors(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    case = project / "evidence" / "case-studies" / "peer-researchers.md"
    case.write_text(case.read_text(encoding="utf-8").replace("principle: reciprocity", "principle: reciprocty"),
                    encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project, capture_output=True, text=True,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), timeout=600, check=False)
    assert result.returncode != 0
    assert "The evidence has 1 error(s); the site was not built" in result.stdout + result.stderr


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def running(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def port_is_free(port: int) -> bool:
    """Nothing listens on the port (connections closing in TIME_WAIT do not count, as a
    server that reuses the address, like mkdocs serve, is not kept from it)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            s.listen()
        except OSError:
            return False
    return True


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    """A checkout whose site is the fixture project: this repository's ``scripts/dev.py``
    (the same bytes), its ``pyproject.toml``, and its ``.venv``, ``.venv-tools`` and
    ``coprod`` linked, beside the fixture's mkdocs.yml, hooks, docs and evidence. dev.py
    serve builds it in seconds where the shipped site takes a minute; what these tests
    check is how dev.py starts and stops its server, which the site does not change.

    dev.py first makes sure of the environment; that is done here, from this repository's
    own dev.py, so the copy finds it ready and never installs the project from the copy."""
    spec = importlib.util.spec_from_file_location("coprod_dev_script", ROOT / "scripts" / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    dev.ensure_environment("")
    dev.ensure_npm_tools(test=False)
    project = make_project(tmp_path_factory.mktemp("dev-checkout"))
    (project / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "dev.py", project / "scripts" / "dev.py")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    for name in (".venv", ".venv-tools", "coprod"):
        if (ROOT / name).exists():
            (project / name).symlink_to((ROOT / name).resolve(), target_is_directory=True)
    return project


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the server's process in /proc (Linux)")
@pytest.mark.parametrize(("how", "background"), [(signal.SIGTERM, False), (signal.SIGKILL, False),
                                               (signal.SIGTERM, True)],
                         ids=["SIGTERM", "SIGKILL", "SIGTERM-started-in-background"])
def test_stopping_dev_py_serve_by_its_pid_stops_its_server(checkout: Path, how: signal.Signals,
                                                           background: bool) -> None:
    """``background``: started as `dev.py serve &` in a script is, with Ctrl+C (SIGINT) ignored.
    SIGINT and SIGHUP take SIGTERM's path through dev.py (each is passed on to mkdocs as
    SIGINT): test_dev_py_passes_every_stop_on_as_sigint holds that for all three, without a
    cold start of the server each; SIGKILL takes another path (the child's parent-death
    signal)."""
    port = free_port()
    servers: list[int] = []
    ignore_interrupts = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if background else None
    dev = subprocess.Popen([sys.executable, "scripts/dev.py", "serve", "--address", f"127.0.0.1:{port}"], cwd=checkout,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                           preexec_fn=ignore_interrupts)  # noqa: PLW1509 - the test's own child, started once
    try:
        wait_for(port, "/", "Co-production Evidence Library", dev)
        servers += children(dev.pid)
        assert servers, "dev.py serve runs mkdocs in a child process"
        os.kill(dev.pid, how)  # as `kill PID` does: the signal goes to dev.py alone
        dev.wait(60)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (any(running(p) for p in servers) or not port_is_free(port)):
            time.sleep(0.2)
        assert not any(running(p) for p in servers), f"mkdocs outlived dev.py after {how.name}"
        assert port_is_free(port), f"port {port} is still held after {how.name}"
    finally:
        if dev.poll() is None:
            dev.kill()
            dev.wait()
        for pid in servers:  # should the test fail, leave nothing behind
            if running(pid):
                os.kill(pid, signal.SIGKILL)
    output = dev.stdout.read()
    assert "Traceback" not in output, output
    if how != signal.SIGKILL:
        assert dev.returncode in (0, 128 + signal.SIGINT), (dev.returncode, output)


# The child dev.py's run() starts for these: it says it is ready, then writes down the first
# signal it gets and stops, as mkdocs serve stops on SIGINT.
_SIGNAL_RECORDER = """
import pathlib, signal, sys, time
def stop(signum, frame):
    pathlib.Path(sys.argv[1]).write_text(signal.Signals(signum).name)
    sys.exit(0)
for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(s, stop)
print("ready", flush=True)
time.sleep(120)
"""
_DEV_RUN = """
import importlib.util, sys
spec = importlib.util.spec_from_file_location("dev", sys.argv[1])
dev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dev)
sys.exit(dev.run("-c", sys.argv[2], sys.argv[3]))
"""


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="finds the child process in /proc (Linux)")
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_dev_py_passes_every_stop_on_as_sigint(tmp_path: Path, how: signal.Signals) -> None:
    """dev.py's run(), which starts mkdocs serve, sent a stop by its process id (`kill -INT`,
    `kill PID`, a closed terminal) passes it on to its child as SIGINT, which mkdocs serve
    takes as Ctrl+C, and exits once the child has stopped."""
    record = tmp_path / "signal"
    dev = subprocess.Popen([sys.executable, "-c", _DEV_RUN, str(ROOT / "scripts" / "dev.py"), _SIGNAL_RECORDER,
                            str(record)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert dev.stdout.readline().strip() == "ready", "dev.py's child did not start"
        child = children(dev.pid)
        assert child, "dev.py runs its command in a child process"
        os.kill(dev.pid, how)
        dev.wait(60)
        assert record.read_text() == "SIGINT", f"{how.name} reached the child as {record.read_text()}"
        assert not any(running(p) for p in child), f"the child outlived dev.py after {how.name}"
        assert dev.returncode == 0, dev.stdout.read()
    finally:
        if dev.poll() is None:
            dev.kill()
            dev.wait()


def test_serving_says_it_uses_its_own_address(plain_server: Server) -> None:
    """Started where a fork's address is set (SITE_URL, see plain_server)."""
    port = plain_server.port
    page = wait_for(port, PAGE, TITLE, plain_server.process)
    assert f'<link rel="canonical" href="http://127.0.0.1:{port}/case-studies/peer-researchers/">' in page
    output = plain_server.log(0)  # from its start
    assert f"Addresses: site http://127.0.0.1:{port}/ (where mkdocs serve listens), repository" in output


def test_serving_shows_a_renamed_case_study_that_breaks_a_published_address(plain_server: Server) -> None:
    port, server, start = plain_server.port, plain_server.process, plain_server.mark()
    published = plain_server.project / "evidence" / "published-urls.txt"
    old = plain_server.project / "evidence" / "case-studies" / "peer-researchers.md"
    text = old.read_text(encoding="utf-8")
    new = old.with_name("peer-researchers-renamed.md")
    try:
        published.write_text(PAGE + "\n", encoding="utf-8")
        plain_server.rebuilt(start)  # as if it had been there from the start: one rebuild at a time
        wait_for(port, PAGE, TITLE, server)
        new.write_text(text.replace("id: peer-researchers\n", "id: peer-researchers-renamed\n"), encoding="utf-8")
        old.unlink()
        page = wait_for(port, PAGE, "The evidence has errors", server)
        assert ("evidence/published-urls.txt: urls: /case-studies/peer-researchers/: this published address no "
                "longer resolves. If the case study was renamed, add &#x27;aliases: [peer-researchers]&#x27;") in page
        new.write_text(text.replace("id: peer-researchers\n", "id: peer-researchers-renamed\naliases: "
                                    "[peer-researchers]\n"), encoding="utf-8")
        wait_for(port, "/case-studies/peer-researchers-renamed/", TITLE, server)
    finally:
        new.unlink(missing_ok=True)
        published.unlink(missing_ok=True)
        old.write_text(text, encoding="utf-8")
        wait_for(port, "/case-studies/", 'href="peer-researchers/"', server)  # the catalogue lists it again
        plain_server.idle()
    assert "Traceback" not in plain_server.log(start)


LIVE_RELOAD = re.compile(r"<script>\s*var livereload = .*?</script>", re.DOTALL)


def test_an_edited_case_study_is_served_first_and_its_listings_follow(dirty_server: Server) -> None:
    """mkdocs serve --dirty (what dev.py serve runs): saving a case study writes its page
    before the rest of the build (coprod/serve_preview.py), which then brings the pages
    that list it; the page written first is the page the whole build writes."""
    port, server, start = dirty_server.port, dirty_server.process, dirty_server.mark()
    case = dirty_server.project / "evidence" / "case-studies" / "peer-researchers.md"
    good = case.read_text(encoding="utf-8")
    new_title = "Peer researchers zqxtitle shaping a community health study"
    try:
        wait_for(port, "/case-studies/", TITLE, server)
        case.write_text(good.replace(f"title: {TITLE}\n", f"title: {new_title}\n")
                        .replace("## What happened\n\n", "## What happened\n\nEdited first, zqxfirst. "),
                        encoding="utf-8")
        first = wait_for(port, PAGE, "Edited first, zqxfirst.", server)
        # the pages that list it follow: its term page, the data export, the catalogue (written
        # after the case studies' pages, so the page is the whole build's by then)
        wait_for(port, "/principles/reciprocity/", new_title, server)
        wait_for(port, "/data/case-studies.json", "zqxfirst", server)
        wait_for(port, "/case-studies/", new_title, server)
        _, last = fetch(port, PAGE)
    finally:
        case.write_text(good, encoding="utf-8")
        wait_for(port, "/case-studies/", TITLE, server)  # the listings too, after the page
        dirty_server.idle()
    output = dirty_server.log(start)
    assert "Traceback" not in output and "WARNING" not in output, output
    assert "Edited page served in" in output, output  # the page was written before the whole build
    assert new_title in first
    assert LIVE_RELOAD.sub("", first) == LIVE_RELOAD.sub("", last)  # as the whole build writes it


def test_the_page_shown_first_is_the_page_the_whole_build_writes(tmp_path: Path) -> None:
    """In one process, as mkdocs serve --dirty runs it: after a build, an edited case study
    is written by the preview (coprod/serve_preview.py) byte for byte as the whole dirty
    build then writes it; a file with an error, or any other file, is left to the whole build."""
    project, site_dir = make_project(tmp_path), tmp_path / "site"
    with served_in_process(project, site_dir) as (hooks, rebuild):
        case = project / "evidence" / "case-studies" / "peer-researchers.md"
        page = site_dir / "case-studies" / "peer-researchers" / "index.html"
        good = case.read_text(encoding="utf-8")
        case.write_text(good.replace("principle: reciprocity", "principle: reciprocty"), encoding="utf-8")
        assert not hooks.BUILD.preview([case])  # an error: the whole build shows it
        assert not hooks.BUILD.preview([project / "evidence" / "references.bib"])  # not a case study
        case.write_text(good.replace(f"title: {TITLE}\n", "title: Retitled zqxpreview\n")
                        .replace("## What happened\n\n", "## What happened\n\nShown first, zqxpreview. "),
                        encoding="utf-8")
        before = page.read_bytes()
        assert hooks.BUILD.preview([case])
        shown = page.read_bytes()
        assert shown != before and b"Shown first, zqxpreview." in shown and b"Retitled zqxpreview" in shown
        rebuild()
        hooks.BUILD.wait_for_search()
        assert page.read_bytes() == shown
        assert "Retitled zqxpreview" in (site_dir / "case-studies" / "index.html").read_text(encoding="utf-8")


def test_a_rebuild_compiles_only_the_templates_that_changed(tmp_path: Path, monkeypatch) -> None:
    """Each build of a serve makes a new Jinja environment for the theme; the templates it
    compiled are kept in the process's memory (coprod.render.templates.CompiledInMemory), so
    a rebuild compiles none of them again, except a template edited since and every one
    after the site's config changed. The pages are the same as a cold build's."""
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    compiled: list[str] = []
    compile_template = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        if not isinstance(self, SandboxedEnvironment):  # the theme's, not the generated pages' (made once a process)
            compiled.append(name or "")
        return compile_template(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    project, site_dir = make_project(tmp_path), tmp_path / "site"
    with served_in_process(project, site_dir) as (hooks, rebuild):
        first = sorted(set(compiled))
        assert "main.html" in first and "partials/header.html" in first, first
        home = (site_dir / "index.html").read_bytes()
        compiled.clear()
        rebuild()
        assert compiled == [], compiled
        assert (site_dir / "index.html").read_bytes() == home
        main = project / "overrides" / "main.html"
        main.write_text(main.read_text(encoding="utf-8") + "{# edited while serving #}\n", encoding="utf-8")
        rebuild()
        assert compiled == ["main.html"], compiled
        compiled.clear()
        config = project / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + "\n# edited while serving\n", encoding="utf-8")
        rebuild()
        assert sorted(set(compiled)) == first
        hooks.BUILD.wait_for_search()
