"""Run a script with the project's own Python (.venv), whichever ``python`` started it.

``python3 scripts/validate.py`` then works outside the virtual environment too: when the
script was started by another interpreter and .venv exists, it is run again by .venv's
Python; when there is no .venv and the dependencies are missing, it says how to set up.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
NEEDED = ("markdown", "yaml", "pybtex", "frontmatter", "jsonschema")


def _have_dependencies() -> bool:
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in NEEDED)


def use_project_python() -> None:
    """Re-run this script under .venv's Python unless it is that Python already (or one
    that has the dependencies, as CI's ``pip install -e .`` gives)."""
    sys.path.insert(0, str(ROOT))
    if Path(sys.prefix).resolve() == VENV.resolve() or _have_dependencies():
        return
    if not PYTHON.exists():
        sys.exit("The project's dependencies are not installed yet. Run  python3 scripts/dev.py check  once "
                 "(it makes .venv and installs them, a few minutes the first time, then checks the evidence and "
                 "the build), "
                 "then run this command again.")
    command = [str(PYTHON), *sys.argv]
    if os.name == "nt":
        sys.exit(subprocess.run(command, check=False).returncode)
    os.execv(command[0], command)
