"""Earlier states of the evidence files, read from the repository's git history.

Each published version of a case study or claim keeps its own address
(``/case-studies/<id>/1.0/``); :mod:`coprod.pages.versions` rebuilds those pages from
what this module reads. Git is run read-only and with bounds, because the history is as
untrusted as the files (a pull request brings its own commits):

- a fixed argument list, no shell; ``git log`` and ``git cat-file`` only, which run no
  hooks, no textconv or external diff, no pager and no signature check, with the system
  and user configuration left out (``GIT_CONFIG_NOSYSTEM``, ``GIT_CONFIG_GLOBAL``), the
  hooks path and fsmonitor switched off on the command line, and replace objects ignored;
- at most :data:`MAX_COMMITS` commits that touched the record folders, at most
  :data:`MAX_BLOBS` file states, each at most :data:`MAX_FILE_BYTES` (larger ones are
  passed over), and :data:`TIMEOUT` seconds for each git command: a deep or hostile
  history costs a bounded time and never hangs the build.

Without history (a tarball or copied folder, a shallow clone, no ``git``, a command that
fails or runs out of time) :func:`read_history` returns no states and one sentence saying
why, which the build prints once: the current versions are built all the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

MAX_COMMITS = 2000  # the newest commits that changed a record file
MAX_BLOBS = 5000  # file states read in all
MAX_FILE_BYTES = 1_000_000  # a record file larger than this in the history is passed over
TIMEOUT = 60  # seconds for one git command
_NULL = "0" * 40


@dataclass(frozen=True)
class State:
    """A record file as one commit left it."""

    path: str  # relative to the folder history was asked for (evidence/case-studies/x.md -> case-studies/x.md)
    commit: str
    date: str  # the commit's date, YYYY-MM-DD
    blob: str
    text: str = ""


@dataclass
class History:
    """The states found, newest first for each file, or why there are none."""

    states: dict[str, list[State]] = field(default_factory=dict)  # path -> states, newest first
    skipped: str = ""  # why no history was read: one sentence, empty when it was


def read_history(folder: Path, subfolders: tuple[str, ...]) -> History:
    """The states of every ``*.md`` file in ``folder``'s ``subfolders`` (the record
    folders of the evidence folder), from the git repository ``folder`` is in. Never
    raises: a history that cannot be read is :attr:`History.skipped` with the reason."""
    git = shutil.which("git")
    if git is None:
        return History(skipped="git is not installed")
    try:
        return _read(git, Path(folder).resolve(), subfolders)
    except subprocess.TimeoutExpired:
        return History(skipped=f"reading the git history took longer than {TIMEOUT} s")
    except (OSError, ValueError, UnicodeDecodeError) as error:
        return History(skipped=f"the git history could not be read ({type(error).__name__}: {error})")


def _read(git: str, folder: Path, subfolders: tuple[str, ...]) -> History:
    probe = _git(git, folder, "rev-parse", "--is-shallow-repository", "--show-prefix")
    if probe.returncode != 0:
        return History(skipped="the folder is not a git repository (a tarball or a copy)")
    shallow, prefix = (probe.stdout.decode("utf-8", "replace").split("\n") + ["", ""])[:2]
    if shallow.strip() == "true":
        return History(skipped="the repository is a shallow clone (fetch the history: git fetch --unshallow, "
                               "or fetch-depth: 0 in actions/checkout)")
    if _git(git, folder, "rev-parse", "--verify", "--quiet", "HEAD^{commit}").returncode != 0:
        return History(skipped="the repository has no commits yet")
    # one log of the record folders: each commit's date, then the files it changed with their new blob
    log = _git(git, folder, "log", f"--max-count={MAX_COMMITS}", "--no-renames", "--no-textconv", "--no-ext-diff",
               "--no-mailmap", "--no-show-signature", "--raw", "--no-abbrev", "--format=commit %H %cs", "HEAD",
               "--", *(f"{name}/" for name in subfolders))
    if log.returncode != 0:
        said = log.stderr.decode("utf-8", "replace").strip().splitlines()
        return History(skipped="git log failed" + (f": {said[-1]}" if said else ""))
    history = History()
    commit = date = ""
    wanted: list[State] = []
    for line in log.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("commit "):
            _, commit, date = (line.split(" ") + ["", ""])[:3]
        elif line.startswith(":") and "\t" in line:
            meta, path = line.split("\t", 1)
            parts = meta.split(" ")
            if len(parts) < 5 or parts[3] == _NULL or not path.endswith(".md") or not path.startswith(prefix):
                continue
            relative = path[len(prefix):]
            if relative.split("/", 1)[0] not in subfolders or relative.count("/") != 1:
                continue
            if len(wanted) < MAX_BLOBS:
                wanted.append(State(relative, commit, date, parts[3]))
    texts = _blobs(git, folder, [state.blob for state in wanted])
    for state in wanted:
        text = texts.get(state.blob)
        if text is not None:
            history.states.setdefault(state.path, []).append(State(state.path, state.commit, state.date, state.blob, text))
    return history


def _blobs(git: str, folder: Path, blobs: list[str]) -> dict[str, str]:
    """blob -> its text, for the blobs no larger than MAX_FILE_BYTES (one ``cat-file``
    for their sizes, one for their contents)."""
    unique = list(dict.fromkeys(blobs))
    if not unique:
        return {}
    check = _git(git, folder, "cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)",
                 stdin="\n".join(unique) + "\n")
    small = []
    for line in check.stdout.decode("ascii", "replace").splitlines():
        parts = line.split(" ")
        if len(parts) == 3 and parts[1] == "blob" and parts[2].isdigit() and int(parts[2]) <= MAX_FILE_BYTES:
            small.append(parts[0])
    if not small:
        return {}
    batch = _git(git, folder, "cat-file", "--batch", stdin="\n".join(small) + "\n")
    out, data, at = {}, batch.stdout, 0
    while at < len(data):
        end = data.index(b"\n", at)
        header = data[at:end].decode("ascii", "replace").split(" ")
        if len(header) != 3 or not header[2].isdigit():
            break
        size = int(header[2])
        out[header[0]] = data[end + 1:end + 1 + size].decode("utf-8", "replace")
        at = end + 1 + size + 1  # the content, then a newline
    return out


def _git(git: str, folder: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """One git command in ``folder``: fixed arguments, no shell, no user or system
    configuration, no hooks, no prompt, bounded in time."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.devnull,  # no ~/.gitconfig
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_NO_REPLACE_OBJECTS": "1",
        "GIT_OPTIONAL_LOCKS": "0",
        "GIT_PAGER": "cat",
        "LC_ALL": "C",
    }
    command = [git, "-c", "core.hooksPath=" + os.devnull, "-c", "core.fsmonitor=false", "-c", "log.showSignature=false",
               "--no-pager", "-C", str(folder), *args]
    return subprocess.run(command, input=stdin.encode("ascii") if stdin is not None else None, capture_output=True,
                          env=env, timeout=TIMEOUT, check=False, shell=False)
