"""What the contributor's commands share: an argument parser whose ``--help`` reads the same
everywhere (a fixed width, so CONTRIBUTING.md can quote it)."""

from __future__ import annotations

import argparse

HELP_WIDTH = 88


class _FixedWidth(argparse.HelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=HELP_WIDTH)


def command_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """An argument parser for the command ``prog``, its help at a fixed width."""
    return argparse.ArgumentParser(prog=prog, description=description, formatter_class=_FixedWidth)
