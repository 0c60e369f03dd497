"""One definition of the checks: the pull-request workflow runs .ci/run and installs nothing
of its own, .ci/run installs every tool the tests need and ends with the full suite, and the
contributor's check (``python3 scripts/dev.py check``) is the one command everybody points to."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import FIRST_RUN_SECONDS, ROOT

CI_RUN = ROOT / ".ci" / "run"
WORKFLOW = ROOT / ".github" / "workflows" / "checks.yml"
CHECK = "python3 scripts/dev.py check"
INSTALLERS = re.compile(r"\b(apt-get|apt|dpkg|pip3?|npm|npx|snap|brew|curl|wget|pytest|dev\.py test)\b")


def _jobs() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]


def _runs(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def _plan(path: str | None = None, *args: str) -> dict[str, list[str]]:
    env = dict(os.environ, PATH=path) if path is not None else None
    result = subprocess.run([shutil.which("bash") or "bash", str(CI_RUN), "--plan", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60, check=True)
    plan: dict[str, list[str]] = {}
    for line in result.stdout.splitlines():
        what, _, value = line.partition(": ")
        plan.setdefault(what, []).append(value.strip())
    return plan


def _declared_packages() -> list[str]:
    """Every Debian package .ci/run may install (its ``need PACKAGE... : CHECK`` lines)."""
    packages = []
    for line in CI_RUN.read_text(encoding="utf-8").splitlines():
        if line.startswith("need "):
            packages += line[len("need "):].split(" : ", 1)[0].split()
    return packages


def test_the_pull_request_runs_ci_run_and_installs_nothing_itself() -> None:
    jobs = _jobs()
    test = jobs["test"]
    assert _runs(test) == ["bash .ci/run"], "the test job's only command is .ci/run"
    for name, job in jobs.items():
        for command in _runs(job):
            if command != "bash .ci/run":
                assert not INSTALLERS.search(command), f"job {name} installs or tests outside .ci/run: {command}"


def test_the_tests_run_in_the_debian_release_ci_run_is_written_for() -> None:
    """Debian's chromium package is a real browser (on Ubuntu it is a snap wrapper that
    does not run in CI), and .ci/run's package names are Debian's."""
    image = _jobs()["test"]["container"]["image"]
    written_for = re.search(r"^# Written for: (\S+)", CI_RUN.read_text(encoding="utf-8"), re.MULTILINE)
    assert written_for and image == written_for.group(1) and image.startswith("debian:")


def test_the_first_job_is_the_contributors_check() -> None:
    first_name, first = next(iter(_jobs().items()))
    assert first_name == "check" and _runs(first) == [f"{CHECK} --format github"]


def test_ci_run_runs_the_contributors_check_then_every_test() -> None:
    plan = _plan(None, "-k", "cite")
    assert plan["run"] == [CHECK, "python3 scripts/dev.py test -k cite"]
    lines = [line for line in CI_RUN.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    assert lines[-1] == 'python3 scripts/dev.py test "$@"', "the log ends with pytest's summary and its exit code"


def test_ci_run_installs_what_is_missing_and_only_that(tmp_path: Path) -> None:
    """Run .ci/run's own decision with a PATH on which Node and npm are missing: it plans to
    install them, and with everything present, nothing."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(getattr(sys, "_base_executable", sys.executable))  # not a shim needing more
    for tool in ("sh", "grep", "ldconfig", "id", "dirname", "git"):
        found = shutil.which(tool) or shutil.which(tool, path="/sbin:/usr/sbin")
        if found is None:
            pytest.skip(f"{tool} is not on this machine")
        (bin_dir / tool).symlink_to(found)
    everything = _plan()
    without_node = _plan(str(bin_dir))
    missing = without_node["debian"][0].split()
    assert {"nodejs", "npm"} <= set(missing), without_node
    node = {"nodejs", "npm"}
    assert set(missing) - node == set(everything["debian"][0].split()) - node  # nothing else changes
    assert set(missing) <= set(_declared_packages())


def test_every_tool_a_test_says_ci_run_installs_is_installed_there() -> None:
    text = CI_RUN.read_text(encoding="utf-8")
    for package in ("chromium", "libpangoft2-1.0-0", "fonts-dejavu-core", "nodejs", "npm", "python3-venv"):
        assert package in _declared_packages(), package
    lighthouse = (ROOT / "tests" / "browser" / "test_lighthouse.py").read_text(encoding="utf-8")
    version = re.search(r"lighthouse@([\d.]+)", lighthouse)
    assert version and f'lighthouse="lighthouse@{version.group(1)}"' in text


def test_the_cache_follows_what_decides_the_downloads() -> None:
    steps = _jobs()["test"]["steps"]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert "pyproject.toml" in cache["with"]["key"] and ".ci/run" in cache["with"]["key"]
    assert {"~/.cache/pip", "~/.npm"} <= set(cache["with"]["path"].split())


def test_everybody_points_to_the_contributors_check_before_the_suite() -> None:
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    hint = (ROOT / "scripts" / "_project_python.py").read_text(encoding="utf-8")
    # the README opens with the two commands (serve, test), the check right after them; its
    # section for contributors must send them to the check first
    adding = readme[readme.index("## Adding a case study"):].split("\n## ")[0]
    assert CHECK in readme[:readme.index("## Adding a case study")]
    for name, text in (("CONTRIBUTING.md", contributing), ("README.md: Adding a case study", adding),
                       ("the validator's hint", hint)):
        assert CHECK in text, name
        if "python3 scripts/dev.py test" in text:
            assert text.index(CHECK) < text.index("python3 scripts/dev.py test"), f"{name} sends to the suite first"


def test_the_suite_uses_every_core_unless_told_otherwise() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("dev", ROOT / "scripts" / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    assert dev.parallel(["-k", "cite"]) == ["-n", "auto", "--dist", "loadfile"]
    for chosen in (["-n", "0"], ["-n0"], ["--numprocesses=3"], ["-p", "no:xdist"], ["--pdb"]):
        assert dev.parallel(chosen) == [], chosen


def test_the_fresh_clone_order_names_test_files_that_exist() -> None:
    """helpers.FIRST_RUN_SECONDS orders the files of a first run slowest first: a renamed or
    removed file there would silently fall to the end of the run."""
    assert FIRST_RUN_SECONDS
    missing = [path for path in FIRST_RUN_SECONDS if not (ROOT / path).is_file()]
    assert not missing, f"tests/helpers.py FIRST_RUN_SECONDS names files that do not exist: {missing}"
