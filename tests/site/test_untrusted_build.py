"""The real build, given what a stranger's pull request may hold (issue 12):

- a draft leaves no trace anywhere in the built site or its data: the site built with a
  draft is the site built without it, byte for byte;
- the largest bodies the limits accept, in the shapes that are slowest for the checks and
  for Python-Markdown, are validated and built in bounded time (a hang test: the bound is
  generous; speed itself belongs in the benchmarks);
- a file-sized line of any such shape is refused by the validator before anything reads it.
"""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, make_project, mkdocs_build

sys.path.insert(0, str(ROOT / "tests" / "tools"))
from pathological import largest_accepted, rejected

HANG_BOUND = 300  # seconds: minutes more than the slowest shape takes on this 2-core machine


def _case_study(folder: Path, case_id: str, *, status: str = "published", title: str | None = None,
                body: str | None = None) -> Path:
    source = (FIXTURES / "evidence" / "case-studies" / "peer-researchers.md").read_text(encoding="utf-8")
    front, rest = source[4:].split("\n---\n", 1)
    front = re.sub(r"(?m)^id: .*$", f"id: {case_id}", front)
    front = re.sub(r"(?m)^status: .*$", f"status: {status}", front)
    front = re.sub(r"(?m)^aliases:.*$", "", front)
    if title:
        front = re.sub(r"(?m)^title: .*$", f"title: {title}", front)
    path = folder / "case-studies" / f"{case_id}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}\n---\n{body if body is not None else rest}", encoding="utf-8")
    return path


def _site_files(site: Path) -> dict[str, bytes]:
    files = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        files[path.relative_to(site).as_posix()] = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    return files


def test_a_draft_leaves_no_trace_in_the_site(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    _case_study(overlay, "zq-sensitive-draft", status="draft", title="Qwxz unpublished sensitive study",
                body="\n## What happened\n\nVbnmq words from an unpublished draft [@Example2021peer; @Staniszewska2022coproduction].\n")
    (tmp_path / "with").mkdir()
    (tmp_path / "without").mkdir()
    with_draft = make_project(tmp_path / "with", overlay)
    without = make_project(tmp_path / "without")
    for project in (with_draft, without):
        result = mkdocs_build(project)
        assert result.returncode == 0, result.stderr
    built, plain = _site_files(with_draft / "site"), _site_files(without / "site")
    leaks = [name for name, data in built.items() if re.search(rb"zq-sensitive-draft|qwxz|vbnmq", data, re.IGNORECASE)]
    assert leaks == [], f"the draft's id, title or text is published in: {leaks}"
    # Pagefind writes its filter maps in hash-map order (not the same twice), so its index is
    # compared by the pages it holds: one fragment per page, named by the page's content
    def comparable(files: dict[str, bytes]) -> dict[str, bytes]:
        return {n: d for n, d in files.items() if not n.startswith("pagefind/") or n.startswith("pagefind/fragment/")}

    built, plain = comparable(built), comparable(plain)
    assert built.keys() == plain.keys(), sorted(built.keys() ^ plain.keys())
    differ = [name for name in built if built[name] != plain[name]]
    assert differ == [], f"a draft changed what the site publishes (counts, lists, index): {differ}"


HANG_SHAPES = ["![", "[ ", "*a", "[a]("]
"""The slowest accepted shapes (tests/tools/pathological.py prints every shape's time)."""


def test_largest_pathological_bodies_validate_and_build_in_bounded_time(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    for n, unit in enumerate(HANG_SHAPES):
        _case_study(overlay, f"pathological-{n}", body="\n## What happened\n\n" + largest_accepted(unit))
    project = make_project(tmp_path, overlay)
    try:
        checked = subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), "evidence"], cwd=project,
                                 capture_output=True, text=True, timeout=HANG_BOUND, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"validating {len(HANG_SHAPES)} pathological bodies took over {HANG_BOUND} s")
    assert "internal error" not in checked.stdout, checked.stdout
    assert not re.search(r"pathological-\d\.md:\d+: body:", checked.stdout), checked.stdout[-3000:]
    try:
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(project / "site")],
                                cwd=project, capture_output=True, text=True, timeout=HANG_BOUND, check=False,
                                env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    except subprocess.TimeoutExpired:
        pytest.fail(f"building {len(HANG_SHAPES)} pathological bodies took over {HANG_BOUND} s")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for n in range(len(HANG_SHAPES)):
        assert (project / "site" / "case-studies" / f"pathological-{n}" / "index.html").is_file()


@pytest.mark.parametrize("unit", ["[", "{a", "{ on", "](", "1. ", "> ", "<a"])
def test_a_file_sized_line_is_refused_first(tmp_path: Path, unit: str) -> None:
    overlay = tmp_path / "overlay"
    _case_study(overlay, "long-line", body="\n" + rejected(unit))
    project = tmp_path / "project"
    from helpers import make_evidence

    make_evidence(project, overlay)
    checked = subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), "evidence"], cwd=project,
                             capture_output=True, text=True, timeout=120, check=False)
    assert checked.returncode == 1
    lines = [line for line in checked.stdout.splitlines() if "long-line.md" in line and ": body:" in line]
    assert lines and all("the limit is" in line for line in lines), lines
