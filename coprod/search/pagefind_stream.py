"""Pagefind indexing pages while MkDocs is still writing the site.

Run after the build, the ``pagefind`` command reads every HTML file again and indexes the
searchable ones, while the build waits. Here the build hands each searchable page to
Pagefind as soon as MkDocs has rendered it, and Pagefind (a process of its own,
``pagefind --service``) indexes it on another core while MkDocs goes on with the next page;
after the last page only the writing of the index files is left.

The service speaks base64-encoded JSON messages, each ended by a comma, on its standard
input and output: the protocol of Pagefind's own Python and Node wrappers. The Python
wrapper is not used because it reads one response per tenth of a second (100 s for 1,000
pages); here a thread reads responses as they come.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import shutil
import subprocess
import tempfile
import threading
import time
import zlib
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from ..read.kinds import CASE_STUDY

# The longest wait for any one answer: writing the index of 10,000 pages takes under a
# minute here; a service that says nothing for this long has hung.
ANSWER_TIMEOUT = 600.0


class PagefindServiceError(Exception):
    """The service failed to start, refused a page, or failed to write the index."""


class StreamingIndex:
    """One index in a running ``pagefind --service``: :meth:`add` pages, then :meth:`write`."""

    def __init__(self, executable: Path, exclude_selectors: tuple[str, ...], env: dict[str, str] | None = None) -> None:
        self.started = time.perf_counter()
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - what the service says, for as long as it runs
        try:
            self._process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=self._stderr, env=env)
        except OSError as error:
            self._stderr.close()
            raise PagefindServiceError(f"could not start {executable} --service: {error}") from error
        self._responses: dict[int, dict] = {}
        self._done = threading.Condition()
        self._closed = False
        self._next_id = 0
        self._pending: list[tuple[int, str]] = []  # (message id, page url) of pages sent
        self.largest_answer = 0  # bytes: the index's files never come through here (write)
        threading.Thread(target=self._read, name="pagefind-responses", daemon=True).start()
        try:
            created = self._call({"type": "NewIndex", "config": {"exclude_selectors": list(exclude_selectors)}})
            self._index_id = int(created["index_id"])
        except (PagefindServiceError, KeyError, TypeError, ValueError) as error:
            said = self._said()
            self.kill()
            raise PagefindServiceError(f"Pagefind did not create an index: {error}{said}") from error

    # ---- the protocol

    def _send(self, payload: dict) -> int:
        self._next_id += 1
        message = json.dumps({"message_id": self._next_id, "payload": payload}).encode("utf-8")
        try:
            self._process.stdin.write(base64.b64encode(message) + b",")
            self._process.stdin.flush()
        except (BrokenPipeError, ValueError) as error:
            raise PagefindServiceError(f"the Pagefind service stopped: {error}") from error
        return self._next_id

    def _read(self) -> None:
        try:
            parts: list[bytes] = []  # of a message not ended yet (the index's files: megabytes)
            stream = self._process.stdout
            while True:
                chunk = stream.read1(1 << 16)
                if not chunk:
                    break
                *ended, rest = chunk.split(b",")
                for piece in ended:
                    message = b"".join([*parts, piece])
                    self.largest_answer = max(self.largest_answer, len(message))
                    self._receive(message)
                    parts = []
                if rest:
                    parts.append(rest)
        finally:  # whatever stopped this thread, nobody waits for an answer for ever
            with self._done:
                self._closed = True
                self._done.notify_all()

    def _receive(self, message: bytes) -> None:
        try:
            response = json.loads(base64.b64decode(message))
        except ValueError:
            return  # not a message (the service writes nothing else; be safe)
        if not isinstance(response, dict):
            return
        payload = response.get("payload") if isinstance(response.get("payload"), dict) else {}
        message_id = response.get("message_id")
        if not isinstance(message_id, int):
            # a request the service could not read comes back without its id, but with the
            # request itself as "original_message" (as Pagefind's own wrappers read it)
            try:
                message_id = json.loads(payload.get("original_message") or "null")["message_id"]
            except (ValueError, TypeError, KeyError):
                return
        if isinstance(message_id, int):
            with self._done:
                self._responses[message_id] = payload
                self._done.notify_all()

    def _wait(self, message_id: int) -> dict:
        deadline = time.monotonic() + ANSWER_TIMEOUT
        with self._done:
            while message_id not in self._responses:
                if self._closed:
                    raise PagefindServiceError(f"the Pagefind service stopped before it answered{self._said()}")
                if not self._done.wait(timeout=max(0.0, deadline - time.monotonic())):
                    raise PagefindServiceError(f"no answer from the Pagefind service in {ANSWER_TIMEOUT:.0f} s")
            payload = self._responses.pop(message_id)
        if payload.get("type") == "Error":
            raise PagefindServiceError(str(payload.get("message", "unknown error")))
        return payload

    def _said(self) -> str:
        """The end of what the service wrote to its standard error, if anything."""
        try:
            self._stderr.seek(0)
            text = self._stderr.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""
        return f"; it said: {text[-1000:]}" if text else ""

    def _call(self, payload: dict) -> dict:
        return self._wait(self._send(payload))

    # ---- the index

    def add(self, html: str, url: str) -> None:
        """Send one page (its whole HTML; ``url`` like ``/case-studies/x/``) to be indexed."""
        message_id = self._send({"type": "AddFile", "index_id": self._index_id, "url": url,
                                 "file_path": None, "file_contents": html})
        self._pending.append((message_id, url))

    def write(self, output: Path) -> list[str]:
        """Wait for every page, write the index files into ``output`` (replacing what is
        there), stop the service. Returns the problems: each page Pagefind refused, with its
        reason.

        Pagefind writes its files itself (``WriteFiles``), into a folder beside ``output``,
        and this process reads them one at a time: the index never passes through here whole
        (it did as one base64 JSON answer, ``GetFiles``: at 10,000 case studies the build's
        largest moment). The service answers before its last writes are on disk and exits
        the moment its input closes, so it is stopped only once every file it named is
        whole (:func:`_wait_until_whole`)."""
        problems = []
        fresh, stale = output.with_name(output.name + ".new"), output.with_name(output.name + ".old")
        try:
            for message_id, url in self._pending:
                try:
                    self._wait(message_id)
                except PagefindServiceError as error:
                    problems.append(f"{url}: {error}")
            for folder in (fresh, stale):
                if folder.exists():
                    shutil.rmtree(folder)
            self._call({"type": "WriteFiles", "index_id": self._index_id, "output_path": str(fresh.resolve())})
            _wait_until_whole(fresh, time.monotonic() + ANSWER_TIMEOUT)
            _finish_bundle(fresh)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        finally:
            self.close()
        # swapped in whole, so that a reader of a served site (the index is written after the
        # pages there) finds one whole bundle or the other
        if output.exists():
            output.rename(stale)
        fresh.rename(output)
        if stale.exists():
            shutil.rmtree(stale)
        return problems

    def close(self) -> None:
        """End the service: it finishes writing the index files before it exits, so this
        waits for it (killing it would leave them half written), up to ANSWER_TIMEOUT."""
        if self._process.poll() is None:
            try:
                self._process.stdin.close()
            except OSError:
                pass
            try:
                self._process.wait(timeout=ANSWER_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.kill()
        self._stderr.close()

    def kill(self) -> None:
        """Stop the service at once, when the build failed and the index is not wanted."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._stderr.close()


class Folder(Mapping):
    """The files under ``root`` as a mapping of relative path -> bytes, each read when asked
    for: the bundle's thousands of files, one at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._paths = sorted(path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file())

    def __getitem__(self, relative: str) -> bytes:
        if relative not in self._paths:
            raise KeyError(relative)
        return (self.root / relative).read_bytes()

    def __iter__(self):
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def _whole(data: bytes) -> bool:
    """Whether a file Pagefind wrote is all there: a gzip file (its index files, its wasm)
    reads to its end with its checksum right; any other (its scripts, its entry point) has
    its bytes (each is written in one piece)."""
    if data[:2] != b"\x1f\x8b":
        return bool(data)
    try:
        gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return False
    return True


def _wait_until_whole(folder: Path, deadline: float) -> None:
    """Wait until every file Pagefind wrote into ``folder`` is whole. When it answers, it
    has made every file, but the last piece of each may still be on its way to the disk."""
    waiting = list(Folder(folder))
    if "pagefind-entry.json" not in waiting:
        raise PagefindServiceError(f"Pagefind wrote no index into {folder}")
    while True:
        waiting = [relative for relative in waiting if not _whole((folder / relative).read_bytes())]
        if not waiting:
            return
        if time.monotonic() > deadline:
            raise PagefindServiceError(f"Pagefind did not finish writing {waiting[0]} in {ANSWER_TIMEOUT:.0f} s")
        time.sleep(0.05)


def _finish_bundle(folder: Path) -> None:
    """The bundle Pagefind wrote into ``folder``, made canonical (:func:`canonical_bundle`:
    only its entry point, metadata and filter files change) and with the catalogue's
    addresses (:func:`case_study_addresses`), its fragments read one at a time."""
    files = Folder(folder)
    changing = {relative: files[relative] for relative in files
                if relative == "pagefind-entry.json" or relative.endswith((".pf_meta", ".pf_filter"))}
    canonical = canonical_bundle(changing)
    for relative, data in canonical.items():
        if changing.get(relative) != data:
            _inside(folder, relative).write_bytes(data)
    for relative in changing.keys() - canonical.keys():
        (folder / relative).unlink()
    _inside(folder, ADDRESSES).write_bytes(case_study_addresses(Folder(folder)))


def _inside(folder: Path, relative: str) -> Path:
    target = (folder / relative).resolve()
    if PurePosixPath(relative).is_absolute() or ".." in PurePosixPath(relative).parts \
            or not target.is_relative_to(folder.resolve()):
        raise PagefindServiceError(f"Pagefind wrote a file outside its folder: {relative}")
    return target


# ---------------------------------------------------------------------------------------
# The same pages, the same files. Pagefind writes each filter's values, and the list of
# filters in its metadata, in the order of a Rust hash map, which is seeded at random in
# every process: two builds of the same pages gave different filter files (and so a
# different metadata file and entry point). Here those lists are sorted (by value and by
# filter name) and the files renamed by a hash of what they now hold, as Pagefind names
# them, so the index depends on the pages alone. Pagefind's JavaScript reads each filter
# as a map, so the order within it changes nothing a reader sees.

SIGNATURE = b"pagefind_dcd"


def canonical_bundle(contents: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle's files (path -> bytes) with filters and metadata in a fixed order."""
    entry_path = "pagefind-entry.json"
    if entry_path not in contents:
        return contents
    entry = json.loads(contents[entry_path])
    out = dict(contents)
    for language in entry.get("languages", {}).values():
        meta_path = f"pagefind.{language['hash']}.pf_meta"
        if meta_path not in out:
            continue
        meta = _cbor_load(_gunzip(out.pop(meta_path)))
        renamed: dict[str, str] = {}
        filters = meta[3] if isinstance(meta, list) and len(meta) > 3 and isinstance(meta[3], list) else []
        for item in filters:  # [name, hash]
            old = f"filter/{item[1]}.pf_filter"
            if old not in out:
                continue
            values = _cbor_load(_gunzip(out.pop(old)))  # [name, [[value, [page, ...]], ...]]
            values[1].sort(key=lambda pair: pair[0])
            data = _gzip(SIGNATURE + _cbor_dump(values))
            renamed[item[1]] = new = _hashed(item[1], data, 7)
            out[f"filter/{new}.pf_filter"] = data
            item[1] = new
        filters.sort(key=lambda item: item[0])
        data = _gzip(SIGNATURE + _cbor_dump(meta))
        language["hash"] = _hashed(language["hash"], data, 10)
        out[f"pagefind.{language['hash']}.pf_meta"] = data
    out[entry_path] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out


# ---------------------------------------------------------------------------------------
# Which case study each result is. A Pagefind result names its page only in its fragment
# (the page's text, 2-3 KB), so the catalogue, which needs the address of every case study
# a search matches, fetched one fragment per match: 4,361 requests, 8.5 MB and 31 s for
# "trust" at 10,000 case studies. This file, written with the index, names the address of
# each case study's fragment (100 KB at 10,000, fetched once).

ADDRESSES = "case-study-addresses.json"  # in the bundle folder; docs/assets/javascripts/catalogue.js reads it


def case_study_addresses(contents: dict[str, bytes]) -> bytes:
    """``{fragment id: address}`` of the case studies among the bundle's files (path ->
    bytes), as compact JSON, sorted: the same pages give the same file."""
    found = {}
    for path, data in contents.items():
        if not (path.startswith("fragment/") and path.endswith(".pf_fragment")):
            continue
        try:
            fragment = json.loads(_gunzip(data))
        except (OSError, ValueError, PagefindServiceError):
            continue  # not a fragment this code can read: the catalogue fetches it instead
        if isinstance(fragment, dict) and (fragment.get("filters") or {}).get("kind") == [CASE_STUDY.key]:
            found[path.removeprefix("fragment/").removesuffix(".pf_fragment")] = str(fragment.get("url", ""))
    return json.dumps(dict(sorted(found.items())), separators=(",", ":")).encode("utf-8")


def _hashed(old: str, data: bytes, length: int) -> str:
    prefix = old.rsplit("_", 1)[0] + "_" if "_" in old else ""
    return prefix + hashlib.sha256(data).hexdigest()[:length]


def _gunzip(data: bytes) -> bytes:
    data = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    if not data.startswith(SIGNATURE):
        raise PagefindServiceError("Pagefind wrote an index file this code cannot read")
    return data[len(SIGNATURE):]


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _cbor_load(data: bytes):
    """The CBOR Pagefind writes (unsigned and negative integers, byte and text strings,
    arrays, maps as lists of pairs, simple values): a value that cannot be read raises."""
    value, end = _cbor_item(data, 0)
    if end != len(data):
        raise PagefindServiceError("Pagefind wrote an index file with trailing bytes")
    return value


def _cbor_item(data: bytes, at: int):
    head = data[at]
    major, info = head >> 5, head & 31
    at += 1
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        arg = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise PagefindServiceError("Pagefind wrote CBOR of indefinite length")
    if major == 0:
        return arg, at
    if major == 1:
        return _Negative(arg), at
    if major in (2, 3):
        raw = data[at:at + arg]
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), at + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, at = _cbor_item(data, at)
            items.append(item)
        return items, at
    if major == 5:
        pairs = []
        for _ in range(arg):
            key, at = _cbor_item(data, at)
            value, at = _cbor_item(data, at)
            pairs.append((key, value))
        return _Map(pairs), at
    if major == 7 and info < 24:
        return _Simple(info), at
    raise PagefindServiceError(f"Pagefind wrote CBOR this code cannot read (type {major})")


class _Negative(int):
    pass


class _Simple(int):
    pass


class _Map(list):
    pass


def _cbor_head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise ValueError("integer too large for CBOR")


def _cbor_dump(value) -> bytes:
    if isinstance(value, _Simple):
        return bytes([7 << 5 | int(value)])
    if isinstance(value, _Negative):
        return _cbor_head(1, int(value))
    if isinstance(value, int):
        return _cbor_head(0, value)
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _cbor_head(3, len(raw)) + raw
    if isinstance(value, _Map):
        return _cbor_head(5, len(value)) + b"".join(_cbor_dump(k) + _cbor_dump(v) for k, v in value)
    if isinstance(value, list):
        return _cbor_head(4, len(value)) + b"".join(_cbor_dump(item) for item in value)
    raise TypeError(f"cannot write {type(value).__name__} as CBOR")
