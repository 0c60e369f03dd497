#!/usr/bin/env python3
"""Set up the project and run it, with nothing but Python 3.11+.

    python3 scripts/dev.py serve   # check the evidence, build the site and serve it
    python3 scripts/dev.py build   # build the site into site/ (strict: warnings fail)
    python3 scripts/dev.py test    # run every test

The first run makes a virtual environment in .venv and installs the pinned dependencies
from pyproject.toml; later runs reinstall only when pyproject.toml changes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
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
    if stamp.exists() and stamp.read_text() == digest:
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
    npm_tools = settings.get("tool", {}).get("coprod", {}).get("npm-test-tools", [])
    home = ROOT / ".venv-tools" / "npm"
    stamp = home / ".installed"
    if npm_tools and not (stamp.exists() and stamp.read_text() == " ".join(npm_tools)):
        print(f"Installing {' '.join(npm_tools)} from npm in {home} ...", flush=True)
        home.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(home), *npm_tools],
                       check=True)
        stamp.write_text(" ".join(npm_tools))


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's notice about MkDocs 2.0 on every build
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def run(*args: str) -> int:
    return subprocess.run([str(PYTHON), *args], cwd=ROOT, env=environment(), check=False).returncode


def main(argv: list[str] | None = None) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script is what tells an old Python to upgrade
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    parser = argparse.ArgumentParser(prog="dev.py", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="check the evidence, build the site and serve it")
    serve.add_argument("--address", default="127.0.0.1:8000", help="where to serve (default 127.0.0.1:8000)")
    sub.add_parser("build", help="build the site into site/ with warnings fatal")
    sub.add_parser("test", help="run every test (any further arguments go to pytest, e.g. -q -k cite)")
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")

    if args.command == "test":
        ensure_environment("test")
        ensure_isolated_tools()
        return run("-m", "pytest", *extra)
    ensure_environment("")
    if args.command == "build":
        return run("-m", "mkdocs", "build", "--strict")
    print(f"Serving on http://{args.address}/ (Ctrl+C to stop)", flush=True)
    return run("-m", "mkdocs", "serve", "--dev-addr", args.address)


if __name__ == "__main__":
    sys.exit(main())
