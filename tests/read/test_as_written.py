"""A file's bytes read once serve the record and the checks that read the file as written
(coprod/read/source.py, as_written): the same text as reading the file again."""

from __future__ import annotations

from pathlib import Path

import pytest

from coprod.read.source import as_written


@pytest.mark.parametrize("raw", [
    b"---\nid: a\n---\nbody\n", b"a\r\nb\rc\r\r\nd\n\re", b"\xef\xbb\xbf# GUIDANCE: x\r\n", b"bad \xff\xfe bytes \xc3",
    b"split \xe2\x82", "caf\u00e9 \u2028 \U0001f600\r".encode(), b"", b"\r", b"\x00\r\n",
])
def test_as_written_is_what_reading_the_file_gives(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "file.md"
    path.write_bytes(raw)
    assert as_written(raw) == path.read_text(encoding="utf-8", errors="replace")


def test_guidance_is_found_in_the_file_read_once(tmp_path: Path) -> None:
    """The guidance check reads the text as written (comments included), from the bytes
    read for the record: a file holding guidance in its front matter comments is warned."""
    from helpers import make_evidence

    from coprod.checks.evidence import load_evidence
    from coprod.read.problems import Report

    evidence = make_evidence(tmp_path)
    case = min((evidence / "case-studies").glob("*.md"))
    text = case.read_text(encoding="utf-8")
    case.write_bytes(text.replace("\n", "\r\n", 3).replace("---\r\n", "---\r\n# GUIDANCE: fill this in\r\n", 1)
                     .encode("utf-8"))
    report = Report()
    load_evidence(evidence, report, workers=1)
    found = [(Path(p.path).name, p.line) for p in report.problems if "guidance" in p.message.lower()]
    assert found == [(case.name, 2)]
