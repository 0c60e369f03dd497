"""The build's cache: results keyed by the content they were made from.

A result is stored under a key that hashes everything it was made from: the bytes of the
files it read, the settings it used, and the version of the code that made it
(:func:`code_version`, a hash of this package's source and of the libraries it runs on).
A changed input is a new key, so a stale result is never found; a cache that is deleted,
or left by another version, only makes the next build slower.

A cache is data, never code: every entry is JSON (:func:`encode`, :func:`decode`), turned
back into objects by :mod:`coprod.checks.cachedata` (and :mod:`coprod.rebuild`), which check each value's shape and treat
anything unexpected as a miss. Nothing is unpickled or evaluated.

It lives where a pull request cannot put it: in the build user's own cache folder
(``$COPROD_CACHE_HOME``, else ``$XDG_CACHE_HOME/coprod``, else ``~/.cache/coprod``), in a
folder of its own for each working tree (named by the tree's path), which must belong to
this user, be writable by no one else, and lie outside the tree; otherwise the build runs
without a cache. Results that depend on their content alone, whatever tree asks for them
(each file's checks, the bibliography, rendered citations, the business case's PDF), are
kept in one folder beside those, ``shared/`` (:func:`shared`, under the same rules): a
second checkout, a git worktree or a test's project finds what another tree made. A tree's
own folder keeps what belongs to its site folder (coprod/rebuild.py). A ``.cache/`` folder
in the working tree is never read (and one committed to git is an error:
:mod:`coprod.checks.tree`). One file per entry, written whole under a
temporary name and then renamed, so two builds at once or a build stopped half way cannot
leave a torn entry. ``COPROD_NO_CACHE=1`` turns it off (every build is cold).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

FORMAT = "coprod-cache/1"  # the first member of every entry: an entry of another format is a miss
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pybtex", "pyyaml", "jsonschema", "pagefind-bin")


def enabled() -> bool:
    return not os.environ.get("COPROD_NO_CACHE")


def home() -> Path:
    """The folder that holds the cache of every working tree of this user."""
    explicit = os.environ.get("COPROD_CACHE_HOME")
    if explicit:
        return Path(explicit)
    return user_cache_root() / "coprod"


def user_cache_root() -> Path:
    """The user's folder of every program's cache: ``$XDG_CACHE_HOME`` (when absolute), else ``~/.cache``."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"


def folder(project_root: Path) -> Path | None:
    """The cache folder of the working tree in ``project_root``, or None when caching is off
    or no folder of this user's own can be had (then every build is cold)."""
    if not enabled():
        return None
    root = Path(project_root).resolve()
    name = re.sub(r"[^A-Za-z0-9._-]", "_", root.name)[:40] or "root"
    path = home() / f"{name}-{digest(str(root))[:16]}"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return path if private(path, root) else None


def shared(project_root: Path) -> Path | None:
    """The folder of results keyed by their content alone, shared by every working tree of
    this user, for a build of ``project_root``; None when caching is off or the folder is not
    this user's own, outside that tree (then those results are made again)."""
    if not enabled():
        return None
    path = home() / "shared"  # a tree's own folder is "<name>-<hash>": never this name
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return path if private(path, Path(project_root).resolve()) else None


def private(path: Path, root: Path) -> bool:
    """Whether ``path`` is a real folder of this user that no one else may write, outside
    the working tree ``root`` (so nothing a pull request holds can be read as a cache)."""
    try:
        info = os.lstat(path)
        real = path.resolve()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode) or info.st_mode & 0o022:
        return False
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not real.is_relative_to(root.resolve())


def digest(*parts: bytes | str) -> str:
    """A hash of the parts, each length-prefixed, so that ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def digest_joined(parts: Iterable[bytes], length: int) -> str:
    """``digest(b"".join(parts))``, ``length`` being the joined length, without joining
    them (the documents of a site's rebuild state, read one at a time)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(length.to_bytes(8, "little"))
    for part in parts:
        h.update(part)
    return h.hexdigest()


@functools.cache
def code_version() -> str:
    """A hash of every source file of this package and the versions of the libraries the
    build uses: a change of either invalidates every cached result."""
    package = Path(__file__).resolve().parent.parent  # coprod/, from coprod/read/
    parts: list[bytes | str] = []
    for path in sorted(package.rglob("*.py")):
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    return digest(*parts, *versions(LIBRARIES))


def versions(names: Iterable[str]) -> list[str]:
    """Each installed distribution's name and version, "-" for one that is not installed:
    a part of a key that changes when any of them is upgraded."""
    parts = []
    for name in names:
        try:
            parts += [name, metadata.version(name)]
        except metadata.PackageNotFoundError:
            parts += [name, "-"]
    return parts


def files_digest(*paths: Path) -> str:
    """A hash of files and folders (every file under them, by relative path and bytes)."""
    parts: list[bytes | str] = []
    for root in paths:
        root = Path(root)
        items = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in items:
            try:
                data = path.read_bytes()
            except OSError:
                data = b"\0missing"
            parts += [path.relative_to(root).as_posix() if root.is_dir() else path.name, data]
    return digest(*parts)


_KEY_RE = re.compile(r"[A-Za-z0-9_-]{1,100}")


class Store:
    """Entries of one kind (``name``) under a cache folder: ``key -> bytes``."""

    def __init__(self, cache_folder: Path | None, name: str) -> None:
        self.path = Path(cache_folder) / name if cache_folder is not None else None

    def get(self, key: str) -> bytes | None:
        if self.path is None or not _KEY_RE.fullmatch(key):
            return None
        try:  # a regular file of this user only (never through a link)
            handle = os.open(self.path / key, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        with os.fdopen(handle, "rb") as entry:
            info = os.fstat(entry.fileno())
            if not stat.S_ISREG(info.st_mode) or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
                return None
            return entry.read()

    def put(self, key: str, data: bytes | Iterable[bytes]) -> None:
        """Store ``data``: bytes, or pieces written one after the other."""
        if self.path is None or not _KEY_RE.fullmatch(key):
            return
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                for piece in (data,) if isinstance(data, bytes) else data:
                    out.write(piece)
            os.replace(temporary, self.path / key)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower

    def prune(self, keep: set[str]) -> None:
        """Delete the entries not in ``keep`` once they outnumber the kept ones (so that
        switching between two branches does not empty the cache each time)."""
        if self.path is None or not self.path.is_dir():
            return
        try:
            names = [p for p in self.path.iterdir() if p.name not in keep]
            if len(names) > max(len(keep), 100):
                for path in names:
                    path.unlink(missing_ok=True)
        except OSError:
            pass


class Pack:
    """Many small entries in one file of the cache folder (``key -> JSON value``), read and
    written whole: a thousand files of their own took seconds to write on a busy disk."""

    def __init__(self, cache_folder: Path | None, name: str) -> None:
        self._store = Store(cache_folder, "packs")
        self._name = name
        self._entries: dict | None = None

    def get(self, key: str):
        """The value stored under ``key`` (plain data: decode it with coprod.checks.cachedata), or None."""
        if self._entries is None:
            self._entries = self._read()
        return self._entries.get(key)

    def _read(self) -> dict:
        found = decode(self._store.get(self._name))
        return found if isinstance(found, dict) else {}

    def save(self, entries: dict, keep_earlier: int = 0) -> None:
        """Replace the pack with ``entries`` (the ones the last run used), each plain data,
        followed by up to ``keep_earlier`` of the entries the pack holds now that this run
        did not use (a pack shared by several working trees keeps what the others used; the
        oldest go first)."""
        kept = dict(entries)
        self._entries = None  # what was read before is not held while the pack is read again
        if keep_earlier > 0:
            for key, value in self._read().items():  # read again: another build may have saved since
                if len(kept) >= len(entries) + keep_earlier:
                    break
                kept.setdefault(key, value)
        self._store.put(self._name, encode(kept))
        self._entries = kept


def decode(data: bytes | None):
    """The plain data of a cache entry (what :func:`encode` wrote), or None for a missing,
    torn or foreign one. Only JSON is read: nothing in an entry can run."""
    if data is None:
        return None
    try:
        found = json.loads(data.decode("ascii"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    if not isinstance(found, list) or len(found) != 2 or found[0] != FORMAT:
        return None
    return found[1]


def encode(value) -> bytes:
    """``value`` (plain data: dicts with text keys, lists, text, numbers, booleans, None) as
    an entry. Raises ValueError for anything else."""
    return json.dumps([FORMAT, value], allow_nan=False, separators=(",", ":")).encode("ascii")
