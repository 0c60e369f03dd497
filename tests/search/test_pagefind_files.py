"""Pagefind writes the index's files itself, and the build reads them one at a time
(coprod/search/pagefind_stream.py, issue 25: memory at 10,000 case studies).

The real ``pagefind --service``: the folder it writes, once made canonical and given the
catalogue's addresses, is byte for byte what the same pages gave when the service answered
with every file in one message (``GetFiles``, as the build wrote the index before); and a
file still being written is waited for, never taken half written.
"""

from __future__ import annotations

import base64
import gzip
import threading
import time
from pathlib import Path

import pytest

from coprod import search
from coprod.search import pagefind_stream
from coprod.search.pagefind_stream import ADDRESSES, PagefindServiceError, StreamingIndex


def _documents(count: int) -> list[tuple[str, str]]:
    docs = []
    for i in range(count):
        kind = "case-study" if i % 3 else "page"
        body = (f"<div data-pagefind-body><h1>Page {i}</h1><p>trust reciprocity number{i} "
                f"{'power ' * (i % 5)}co-production</p><div hidden data-pagefind-ignore>"
                f'<span data-pagefind-filter="kind">{kind}</span>'
                f'<span data-pagefind-filter="year">{2000 + i % 4}</span>'
                f'<span data-pagefind-meta="title">T{i}</span></div></div>')
        docs.append((f"/case-studies/p{i}/" if kind == "case-study" else f"/p{i}/",
                     search.document_for_index(body, f"Page {i}", "en")))
    return docs


def _tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def _answered(docs: list[tuple[str, str]]) -> tuple[dict[str, bytes], int]:
    """The bundle as the service's one answer gives it (GetFiles), finished as the build did,
    and the size of that answer."""
    index = StreamingIndex(search.executable(), search.EXCLUDE_SELECTORS, search.pagefind_env())
    for url, html in docs:
        index.add(html, url)
    for message_id, _ in index._pending:
        index._wait(message_id)
    files = index._call({"type": "GetFiles", "index_id": index._index_id})["files"]
    index.close()
    contents = pagefind_stream.canonical_bundle({f["path"]: base64.b64decode(f["content"]) for f in files})
    contents[ADDRESSES] = pagefind_stream.case_study_addresses(contents)
    return contents, index.largest_answer


def test_the_files_pagefind_writes_are_those_it_answered_with(tmp_path: Path) -> None:
    docs = _documents(30)
    index = search.start_index()
    for url, html in docs:
        index.add(html, url)
    assert index.write(tmp_path / "pagefind") == []
    written = _tree(tmp_path / "pagefind")
    answered, whole = _answered(docs)
    assert written == answered
    # read from disk one at a time: no answer of the service held more than a page's worth
    assert 0 < index.largest_answer < 2000 < sum(map(len, written.values())) < whole
    assert sum(name.startswith("filter/") for name in written) == 2 and len(written[ADDRESSES]) > 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pagefind"]  # nothing left beside it


def test_a_file_still_being_written_is_waited_for(tmp_path: Path) -> None:
    (tmp_path / "pagefind-entry.json").write_text("{}", encoding="utf-8")
    whole = gzip.compress(b"pagefind_dcd" + b"x" * 5000)
    (tmp_path / "index").mkdir()
    late = tmp_path / "index" / "en_1.pf_index"
    late.write_bytes(whole[: len(whole) // 2])  # its last piece not on disk yet
    (tmp_path / "pagefind.js").write_bytes(b"")  # made, nothing in it yet
    with pytest.raises(PagefindServiceError, match="did not finish writing index/en_1.pf_index"):
        pagefind_stream._wait_until_whole(tmp_path, time.monotonic())

    def finish() -> None:
        time.sleep(0.3)
        late.write_bytes(whole)
        (tmp_path / "pagefind.js").write_bytes(b"const pagefind_version;")

    writer = threading.Thread(target=finish)
    writer.start()
    start = time.monotonic()
    pagefind_stream._wait_until_whole(tmp_path, start + 60)
    writer.join()
    assert time.monotonic() - start >= 0.25


def test_a_folder_pagefind_wrote_nothing_into_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PagefindServiceError, match="Pagefind wrote no index"):
        pagefind_stream._wait_until_whole(tmp_path, time.monotonic() + 60)
