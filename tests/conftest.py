"""Shared test helpers: a fixture evidence folder built from the repository's schemas."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import (
    FIRST_RUN_SECONDS,
    KEPT_BETWEEN_RUNS,
    KEPT_LIMIT,
    ROOT,
    Built,
    copy_files,
    keep_for_the_next_run,
    make_evidence,
    make_project,
)

from coprod.read import buildcache


@pytest.fixture(autouse=True, scope="session")
def _cache_home(tmp_path_factory):
    """The build's cache (coprod/read/buildcache.py) of every test project in a folder of this
    run, not in the user's own cache folder (a test may replace it with its own). Every
    pytest-xdist worker shares it, as two working trees of one user share theirs: what one
    worker's build rendered (citations, the PDF; the shipped tree's checks), the other's finds.

    Its part of results keyed by their content alone is kept between runs
    (``helpers.keep_for_the_next_run``), as a user's own is: a second run does not start the
    citation processor and WeasyPrint again for what the first already rendered. A run
    after a change to the package's code finds none of it (the code is part of every key),
    and the tests of the cache's own behaviour give their builds a cache of their own."""
    saved = os.environ.get("COPROD_CACHE_HOME")
    with _shared_by_workers(tmp_path_factory, "cache-home") as (folder, filled):
        folder.mkdir(mode=0o700, exist_ok=True)
        os.environ["COPROD_CACHE_HOME"] = str(folder)
        by_content = buildcache.shared(ROOT)  # the folder of results keyed by content, in this run's
        if not filled and by_content is not None:
            copy_files(KEPT_BETWEEN_RUNS, by_content, limit=KEPT_LIMIT)
    yield
    if saved is None:
        os.environ.pop("COPROD_CACHE_HOME", None)
    else:
        os.environ["COPROD_CACHE_HOME"] = saved
    if by_content is not None:
        # the worker that finishes last keeps what every worker made, once
        with _shared_by_workers(tmp_path_factory, "cache-home-kept") as (finished, _):
            finished.mkdir(exist_ok=True)
            (finished / os.environ.get("PYTEST_XDIST_WORKER", "main")).touch()
            if len(list(finished.iterdir())) >= int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")):
                keep_for_the_next_run(by_content)


@pytest.fixture(autouse=True)
def _serve_mode_after_each_test():
    """A test that runs a one-off build in this process (whose on_startup has the process
    keep nothing for a next build) leaves it as every other test expects it, keeping what a
    next build reuses, as ``mkdocs serve`` does; a test that forgot once failed another that
    ran after it in the same worker."""
    yield
    from coprod import pagecache
    from coprod.checks import evidence

    pagecache.keep_in_memory(True)
    evidence.keep_checks_in_memory(True)


@contextlib.contextmanager
def _shared_by_workers(tmp_path_factory, name: str):
    """A folder every pytest-xdist worker of this run shares, held under a file lock while
    one of them fills it: (folder, True when it is already filled). Without xdist (or
    without fcntl, on Windows) the folder is this process's own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    try:
        import fcntl
    except ImportError:
        fcntl = None
    if worker is None or fcntl is None:
        yield tmp_path_factory.mktemp(name), False
        return
    shared = tmp_path_factory.getbasetemp().parent  # this run's root; each worker's basetemp is inside it
    folder = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            done = shared / f"{name}.built-by"  # beside the folder: tests compare what is in it
            yield folder, done.exists()
            done.write_text(worker, encoding="utf-8")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The shipped site, built once (strict) for every test that reads the built pages, and
    once for all the workers of a parallel run (they read it, never write it)."""
    with _shared_by_workers(tmp_path_factory, "site") as (out, built):
        if not built:
            env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
            result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                                    cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
            assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory) -> Built:
    """The fixture project (helpers.make_project) built once, strict, as a local build is (no
    SITE_URL or REPO_URL), for every test that only reads it, and once for all the workers
    of a parallel run (they read it, never write it). A test that changes the project before
    it builds makes a project of its own."""
    with _shared_by_workers(tmp_path_factory, "fixture-build") as (folder, built):
        log = folder / "build.log"
        if not built:
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed left
            folder.mkdir(parents=True)
            env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "REPO_URL")}
            result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=make_project(folder),
                                    env=dict(env, NO_MKDOCS_2_WARNING="1"), stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True, timeout=600, check=False)
            assert result.returncode == 0, result.stdout
            log.write_text(result.stdout, encoding="utf-8")
    return Built(folder / "project", log.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- progress

class _FileProgress:
    """With pytest-xdist and without -v, pytest shows only dots: this adds a line as each
    test file finishes (its tests, the seconds they took, how far the run has got), so a
    run of several minutes shows where it is."""

    def __init__(self, reporter) -> None:
        self.reporter, self.total, self.left, self.seconds, self.outcomes = reporter, 0, {}, {}, {}
        self.done = 0

    @pytest.hookimpl
    def pytest_xdist_node_collection_finished(self, node, ids) -> None:
        if self.left:  # every worker collects the same tests
            return
        for test_id in ids:
            path = test_id.split("::", 1)[0]
            self.left[path] = self.left.get(path, 0) + 1
        self.total = len(ids)

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report) -> None:
        path = report.nodeid.split("::", 1)[0]
        self.seconds[path] = self.seconds.get(path, 0.0) + report.duration
        if report.failed or (report.when == "call" and report.outcome != "passed"):
            self.outcomes.setdefault(path, set()).add(report.outcome)
        if report.when != "teardown" or path not in self.left:
            return
        self.left[path] -= 1
        self.done += 1
        if self.left[path] == 0:
            marks = ", ".join(sorted(self.outcomes.get(path, ()))) or "passed"
            if getattr(self.reporter._tw, "width_of_current_line", 0):  # after a line of dots
                self.reporter.write("\n")
            self.reporter.write_line(f"{path}: {marks}, {self.seconds[path]:.0f} s  [{self.done}/{self.total}]")


# ----------------------------------------------------------------------------- slowest first

FILE_SECONDS = "coprod/file-seconds"  # in pytest's cache: each file's seconds in the last run that ran it


class _FileSeconds:
    """Adds up each test file's seconds and keeps them in pytest's cache for the next run."""

    def __init__(self, config) -> None:
        self.config, self.seconds = config, {}

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report) -> None:
        path = report.nodeid.split("::", 1)[0]
        self.seconds[path] = self.seconds.get(path, 0.0) + report.duration

    @pytest.hookimpl
    def pytest_sessionfinish(self) -> None:
        known = self.config.cache.get(FILE_SECONDS, {})
        self.config.cache.set(FILE_SECONDS, {**known, **{k: round(v, 1) for k, v in self.seconds.items()}})


def pytest_collection_modifyitems(config, items) -> None:
    """With pytest-xdist, whose --dist loadfile gives each worker a whole file at a time,
    the slowest files go first (by the seconds of the last run, or FIRST_RUN_SECONDS), so
    a long file does not start last and keep one core busy while the other waits. A file's
    tests keep their order; without xdist nothing moves."""
    if not hasattr(config, "workerinput"):
        return
    cache = getattr(config, "cache", None)
    seconds = {**FIRST_RUN_SECONDS, **(cache.get(FILE_SECONDS, {}) if cache is not None else {})}
    items.sort(key=lambda item: -seconds.get(item.nodeid.split("::", 1)[0], 0.0))


@pytest.hookimpl(trylast=True)
def pytest_configure(config) -> None:
    if config.pluginmanager.hasplugin("xdist") and config.getoption("numprocesses", None) \
            and not hasattr(config, "workerinput"):
        # xdist would put the files with the most tests first, whatever their time: keep the
        # slowest-first order of pytest_collection_modifyitems
        config.option.loadscopereorder = False
        if getattr(config, "cache", None) is not None:
            config.pluginmanager.register(_FileSeconds(config), "coprod-file-seconds")
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and config.pluginmanager.hasplugin("xdist") and config.getoption("numprocesses", None) \
            and config.option.verbose <= 0 and not hasattr(config, "workerinput"):
        config.pluginmanager.register(_FileProgress(reporter), "coprod-file-progress")


@pytest.fixture
def evidence_dir(tmp_path: Path) -> Path:
    return make_evidence(tmp_path)
