"""Template guidance a contributor forgot to delete.

``scripts/new_case_study.py`` writes its guidance in two unmistakable forms that are still
a valid file: YAML comments ``# GUIDANCE: ...`` in the front matter and blockquotes
``> GUIDANCE: ...`` in the body. A block is the ``GUIDANCE:`` line and the comment (or
quote) lines straight after it. Front matter comments never reach the parsed data, so the
text itself is scanned. Each block left in is a warning (fatal with ``--strict``), at its
first line.
"""

from __future__ import annotations

import re

from .problems import Report

MARKER = "GUIDANCE:"
_START = re.compile(r"^[ \t]*([#>])[ \t]*GUIDANCE:[ \t]*(.*)$")
_EXCERPT = 60


def guidance_blocks(text: str) -> list[tuple[int, str]]:
    """(line offset from 0, first words) of every guidance block in ``text``."""
    blocks: list[tuple[int, str]] = []
    marker = ""
    for index, line in enumerate(text.split("\n")):
        match = _START.match(line)
        if match:
            blocks.append((index, match.group(2).strip()))
            marker = match.group(1)
        elif not (marker and line.lstrip().startswith(marker)):
            marker = ""  # the block has ended
    return blocks


def check_guidance(text: str, report: Report, path: str, first_line: int = 1) -> None:
    """Warn about each guidance block left in ``text``, whose first line is ``first_line``."""
    for offset, words in guidance_blocks(text):
        excerpt = words if len(words) <= _EXCERPT else words[: _EXCERPT - 3].rstrip() + "..."
        report.warning(path, first_line + offset, "guidance", f"template guidance left in: '{excerpt}'",
                       "follow it, then delete the whole block")
