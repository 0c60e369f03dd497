"""Pathological markdown bodies, for the hang tests (tests/test_pathological.py) and for
measuring (``python tests/tools/pathological.py`` prints the time each takes).

Each shape is a unit that some part of the checks or of Python-Markdown handles badly when
repeated. :func:`largest_accepted` builds, from a unit, the largest body the limits in
:mod:`coprod.checks.body` accept (whole file under :data:`coprod.read.source.MAX_BYTES`): blocks at the
block limit, lines at the line limit, as many ``[`` per block as allowed, placed first so
that each is followed by the rest of its block. :func:`rejected` builds one the limits turn
away, at the size of a whole file.
"""

from __future__ import annotations

from coprod.checks import body
from coprod.read import source

UNITS = [
    "[", "[ ", "![", "[^", "[a](", "[a](<", "[a][", "](", "{a", "{a=", "{ on", "{:", "<a", "<", "`", "``", "*a",
    "**a", "_a", "*a*", "&#", "\\", "a@b", '"', "(", "[@a]", "[@a; @b]", "> ", "- ", "1. ", "    ", "a|", "| ",
]
"""Units measured by the hang tests; every one of the superlinear shapes found is here."""

FILE_BUDGET = source.MAX_BYTES - 4_000  # room for the front matter


def _lines(text: str, limit: int) -> str:
    """``text`` broken into lines of at most ``limit`` characters (at a unit boundary is
    not needed: any break keeps the shape)."""
    return "\n".join(text[i:i + limit] for i in range(0, len(text), limit))


def largest_accepted(unit: str, budget: int = FILE_BUDGET) -> str:
    block_chars = body.MAX_BLOCK_CHARS - 100
    line_chars = body.MAX_LINE_CHARS - 10
    per_block = block_chars // len(unit)
    if "[" in unit:
        per_block = min(per_block, body.MAX_BRACKETS_PER_BLOCK // unit.count("["))
    if "*" in unit or "_" in unit:
        per_block = min(per_block, body.MAX_EMPHASIS_PER_BLOCK // (unit.count("*") + unit.count("_")))
    block = unit * per_block
    block += "a " * ((block_chars - len(block)) // 2)  # the rest of the block, for every [ to scan
    block = _lines(block, line_chars)
    if unit.strip() in (">", "-", "1.") or unit.startswith(" "):
        # nesting units: one per line, as deep as allowed, then plain text
        block = "\n".join([unit * min(body.MAX_NESTING, 4) + "a " * 40] * (block_chars // 100))
    count = max(1, budget // (len(block) + 2))
    return "\n\n".join([block] * count) + "\n"


def rejected(unit: str, budget: int = FILE_BUDGET) -> str:
    """One file-sized line or block of ``unit``: the limits reject it before anything else reads it."""
    return unit * (budget // len(unit)) + "\n"


if __name__ == "__main__":  # measure: how long each check and the renderer take
    import time

    import markdown

    from coprod.read.problems import Report

    for unit in UNITS:
        text = largest_accepted(unit)
        report = Report()
        start = time.perf_counter()
        ok = body.check_body(text, report, "x.md", 1)
        checked = time.perf_counter() - start
        start = time.perf_counter()
        if ok:
            markdown.markdown(text, extensions=list(body.MARKDOWN_EXTENSIONS))
        rendered = time.perf_counter() - start
        start = time.perf_counter()
        body.check_body(rejected(unit), Report(), "x.md", 1)
        refused = time.perf_counter() - start
        print(f"{unit!r:12} {len(text):>7,} chars  accepted={ok!s:5} check {checked:6.2f} s  render {rendered:6.2f} s"
              f"  reject file-sized line {refused:5.2f} s  errors={len(report.errors)}", flush=True)
