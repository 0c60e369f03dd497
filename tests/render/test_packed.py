"""What a build holds to its end waits on disk (coprod/render/packed.py, issue 25: memory):
the same bytes back, in the order written, from a file that is gone once let go; and the
rebuild state's documents written and named one at a time, as the joined file was."""

from __future__ import annotations

import gc
import os
import threading
from pathlib import Path

from coprod import rebuild
from coprod.read import buildcache
from coprod.render.packed import Spilled, pack, unpack


def test_spilled_bytes_come_back_the_same_and_are_not_in_memory() -> None:
    spilled = Spilled()
    values = {f"page-{i}.md": pack(f"<p>page {i} é \ud800 {'x' * i}</p>") for i in range(200)}
    for name, data in values.items():
        spilled[name] = data
    assert list(spilled) == list(values) and dict(spilled) == values
    assert all(spilled.size(name) == len(data) for name, data in values.items())
    assert unpack(spilled["page-7.md"]) == f"<p>page 7 é \ud800 {'x' * 7}</p>"
    path = Path(f"/proc/self/fd/{spilled._file._file.fileno()}")
    assert path.stat().st_size == sum(map(len, values.values()))  # on disk
    subset = spilled.only(["page-3.md", "missing.md", "page-1.md"])
    assert list(subset) == ["page-3.md", "page-1.md"] and subset["page-1.md"] == values["page-1.md"]
    del spilled["page-3.md"]
    assert "page-3.md" not in spilled and subset["page-3.md"] == values["page-3.md"]
    name = os.readlink(path)
    assert "(deleted)" in name  # a temporary file without a name: gone when let go
    del spilled, subset
    gc.collect()


def test_spilled_reads_and_writes_from_two_threads() -> None:
    spilled = Spilled()
    for i in range(100):
        spilled[f"a{i}"] = bytes([i % 256]) * (i + 1)

    def read_all() -> None:
        for _ in range(20):
            for i in range(100):
                assert spilled[f"a{i}"] == bytes([i % 256]) * (i + 1)

    reader = threading.Thread(target=read_all)
    reader.start()
    for i in range(100):
        spilled[f"b{i}"] = b"b" * i
    reader.join()
    assert all(spilled[f"b{i}"] == b"b" * i for i in range(100))


def test_the_rebuild_state_is_written_one_document_at_a_time(tmp_path: Path) -> None:
    documents = Spilled()
    for i in range(50):
        documents[f"p{i}.md"] = pack(f"document {i} " * (i + 1))
    state = rebuild.SiteState("site", {"p1.md": "key"}, documents)
    data, blob = rebuild.site_state_to_data(state)
    assert data == rebuild.site_state_data(state) and data[3] == buildcache.digest(blob)
    assert buildcache.digest_joined([b"ab", b"", b"c"], 3) == buildcache.digest(b"abc")
    site_dir = tmp_path / "site"
    rebuild.remember(site_dir, state, tmp_path / "cache", in_memory=False)
    recalled = rebuild.recall(site_dir, tmp_path / "cache")
    assert recalled is not None and recalled.documents == dict(documents) and recalled.keys == state.keys
