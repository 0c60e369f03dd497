"""Template guidance a contributor forgot to delete.

``scripts/new_case_study.py`` writes its guidance in two unmistakable forms that are still
a valid file: YAML comments ``# GUIDANCE: ...`` in the front matter and blockquotes
``> GUIDANCE: ...`` in the body. A block is the ``GUIDANCE:`` line and the comment (or
quote) lines straight after it. Front matter comments never reach the parsed data, so the
text itself is scanned. Each block left in is a warning (fatal with ``--strict``), at its
first line. :func:`remove_guidance` takes every block out at once
(``scripts/new_case_study.py --remove-guidance FILE``).
"""

from __future__ import annotations

import re

from ..read.problems import Report

MARKER = "GUIDANCE:"
_START = re.compile(r"^[ \t]*([#>])[ \t]*GUIDANCE:[ \t]*(.*)\Z")
_EXCERPT = 60


def guidance_blocks(text: str) -> list[tuple[int, str]]:
    """(line offset from 0, first words) of every guidance block in ``text``."""
    blocks: list[tuple[int, str]] = []
    if MARKER not in text:
        return blocks  # every block's first line holds it (most files: one look, not a match per line)
    marker = ""
    for index, line in enumerate(text.split("\n")):
        match = _START.match(line)
        if match:
            blocks.append((index, match.group(2).strip()))
            marker = match.group(1)
        elif not (marker and line.lstrip().startswith(marker)):
            marker = ""  # the block has ended
    return blocks


def _block_lines(text: str) -> set[int]:
    """Offsets of every line that belongs to a guidance block (the same blocks as above)."""
    inside: set[int] = set()
    marker = ""
    for index, line in enumerate(text.split("\n")):
        match = _START.match(line)
        if match:
            marker = match.group(1)
        elif not (marker and line.lstrip().startswith(marker)):
            marker = ""
        if marker:
            inside.add(index)
    return inside


def remove_guidance(text: str) -> tuple[str, int]:
    """``text`` without its guidance blocks, and how many there were. A blank line left
    doubled where a block was is made single, so the file reads as if written without them."""
    count = len(guidance_blocks(text))
    if not count:
        return text, 0
    inside = _block_lines(text)
    kept: list[str] = []
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if index in inside:
            continue
        if not line.strip() and kept and not kept[-1].strip() and index - 1 in inside:
            continue
        kept.append(line)
    return "\n".join(kept), count


REMOVE_COMMAND = "python3 scripts/new_case_study.py --remove-guidance {path}"


def check_guidance(text: str, report: Report, path: str, first_line: int = 1) -> None:
    """Warn about each guidance block left in ``text``, whose first line is ``first_line``."""
    for offset, words in guidance_blocks(text):
        excerpt = words if len(words) <= _EXCERPT else words[: _EXCERPT - 3].rstrip() + "..."
        report.warning(path, first_line + offset, "guidance", f"template guidance left in: '{excerpt}'",
                       "follow it, then delete it; every block at once: "
                       + REMOVE_COMMAND.format(path=path))
