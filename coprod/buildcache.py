"""The build's cache: results keyed by the content they were made from.

A result is stored under a key that hashes everything it was made from: the bytes of the
files it read, the settings it used, and the version of the code that made it
(:func:`code_version`, a hash of this package's source and of the libraries it runs on).
A changed input is a new key, so a stale result is never found; a cache that is deleted,
or left by another version, only makes the next build slower.

On disk it lives in ``.cache/coprod/`` in the project's root (ignored by git, never in
the published site): one file per entry, written whole under a temporary name and then
renamed, so two builds at once or a build stopped half way cannot leave a torn entry.
``COPROD_NO_CACHE=1`` turns it off (every build is cold).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
from importlib import metadata
from pathlib import Path

FOLDER = Path(".cache") / "coprod"
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pybtex", "pyyaml", "jsonschema", "pagefind-bin")


def enabled() -> bool:
    return not os.environ.get("COPROD_NO_CACHE")


def folder(project_root: Path) -> Path | None:
    """The project's cache folder, or None when caching is off."""
    return Path(project_root) / FOLDER if enabled() else None


def digest(*parts: bytes | str) -> str:
    """A hash of the parts, each length-prefixed, so that ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@functools.cache
def code_version() -> str:
    """A hash of every source file of this package and the versions of the libraries the
    build uses: a change of either invalidates every cached result."""
    package = Path(__file__).resolve().parent
    parts: list[bytes | str] = []
    for path in sorted(package.rglob("*.py")):
        parts += [path.relative_to(package).as_posix(), path.read_bytes()]
    for name in LIBRARIES:
        try:
            parts += [name, metadata.version(name)]
        except metadata.PackageNotFoundError:
            parts += [name, "-"]
    return digest(*parts)


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


class Store:
    """Entries of one kind (``name``) under a cache folder: ``key -> bytes``."""

    def __init__(self, cache_folder: Path | None, name: str) -> None:
        self.path = Path(cache_folder) / name if cache_folder is not None else None

    def get(self, key: str) -> bytes | None:
        if self.path is None:
            return None
        try:
            return (self.path / key).read_bytes()
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        if self.path is None:
            return
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path, prefix=".tmp-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
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
    """Many small entries in one file of the cache folder (``key -> bytes``), read and
    written whole: a thousand files of their own took seconds to write on a busy disk."""

    def __init__(self, cache_folder: Path | None, name: str) -> None:
        self._store = Store(cache_folder, "packs")
        self._name = name
        self._entries: dict[str, bytes] | None = None

    def get(self, key: str) -> bytes | None:
        if self._entries is None:
            found = load(self._store.get(self._name))
            self._entries = found if isinstance(found, dict) else {}
        return self._entries.get(key)

    def save(self, entries: dict[str, bytes]) -> None:
        """Replace the pack with ``entries`` (the ones the last run used)."""
        self._store.put(self._name, dump(entries))
        self._entries = dict(entries)


def load(data: bytes | None):
    """An object from a cache entry, or None for a missing or unreadable one."""
    if data is None:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - a torn or foreign entry is a miss
        return None


def dump(value) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
