"""A regular install works: the wheel holds every subpackage, and a fresh virtual environment
outside the checkout builds the fixture site with it (the editable install hides a package
left out of the distribution)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

from helpers import ROOT, make_project


def _python(home: Path) -> Path:
    return home / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def test_a_wheel_installed_outside_the_checkout_builds_the_site(tmp_path: Path) -> None:
    # the distribution's sources, copied, so nothing is written into the checkout
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "coprod", source / "coprod", ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                            "--no-index", "--wheel-dir", str(dist), str(source)], capture_output=True, text=True,
                           timeout=600, check=False)
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = dist.glob("*.whl")
    packages = {Path(n).parent.as_posix() for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".py")}
    expected = {p.parent.relative_to(ROOT).as_posix() for p in (ROOT / "coprod").rglob("__init__.py")}
    assert expected <= packages, f"the wheel lacks {sorted(expected - packages)}"

    # a fresh environment: the wheel, and the dependencies visible from this one's
    # site-packages (a plain path, so this checkout's editable install is not among them)
    # nothing of the checkout on the path (dev.py test sets PYTHONPATH to it)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    # citeproc-js is an npm package, not in the wheel: a wheel's user names a copy, as the
    # processor's message says (Node.js itself comes with the dependencies, from PyPI)
    env["COPROD_CITEPROC"] = str(ROOT / ".venv-tools" / "npm" / "node_modules" / "citeproc")
    home = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True).create(home)
    python = _python(home)
    fresh_site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                     env=env, capture_output=True, text=True, check=True).stdout.strip())
    (fresh_site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    # --ignore-installed: the editable install's metadata is visible through dependencies.pth
    installed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                                "--ignore-installed", str(wheel)], env=env, capture_output=True, text=True,
                               timeout=600, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    (tmp_path / "elsewhere").mkdir()
    project = make_project(tmp_path / "elsewhere")
    where = subprocess.run([str(python), "-c", "import coprod.pages, coprod; print(coprod.__file__)"], cwd=project,
                           env=env, capture_output=True, text=True, check=False)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(fresh_site), where.stdout  # the wheel's copy, not the checkout's
    result = subprocess.run([str(python), "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout
    assert "Peer researchers shaping a community health study" in (
        project / "site" / "case-studies" / "index.html").read_text(encoding="utf-8")
