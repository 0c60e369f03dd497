"""The README a newcomer reads first: the three commands come first, and what needs root says so."""

from __future__ import annotations

import re

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_three_commands_come_first_the_contributors_check_before_the_suite() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    assert blocks[:3] == ["python3 scripts/dev.py check\n", "python3 scripts/dev.py serve\n",
                          "python3 scripts/dev.py test\n"]
    assert README.index("python3 scripts/dev.py test") < README.index("##", README.index("## Three commands") + 3)


def test_installing_chromium_says_it_needs_root() -> None:
    paragraph = README[README.index("The browser tests drive"):].split("\n\n")[0]
    assert "needs\nroot" in paragraph or "needs root" in paragraph
    assert "`sudo apt-get install chromium`" in paragraph and "as root" in paragraph
