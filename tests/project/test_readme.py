"""The README a newcomer reads first: the two commands come first, the contributor's check right
after them, and what needs root says so."""

from __future__ import annotations

import re

from helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_two_commands_come_first_then_the_contributors_check() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", README, re.DOTALL)
    assert blocks[:3] == ["python3 scripts/dev.py serve\n", "python3 scripts/dev.py test\n",
                          "python3 scripts/dev.py check\n"]
    assert README.index("python3 scripts/dev.py check") < README.index("##", README.index("## Two commands") + 3)


def test_installing_chromium_says_it_needs_root() -> None:
    paragraph = README[README.index("The browser tests drive"):].split("\n\n")[0]
    assert "needs\nroot" in paragraph or "needs root" in paragraph
    assert "`sudo apt-get install chromium`" in paragraph and "as root" in paragraph


def test_every_installed_tool_is_in_the_table_with_its_disk() -> None:
    """What dev.py and .ci/run install in .venv-tools/ is each named, with its size."""
    import tomllib

    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["coprod"]
    tools = [t.split("==")[0] for t in settings["isolated-test-tools"]] + ["npm"]
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    tools += re.findall(r"\.venv-tools/(\w+)/node_modules", ci_run)
    for tool in tools:
        row = re.search(rf"^\| `\.venv-tools/{tool}/` \|.*\| (\d+ MB) \|$", README, re.MULTILINE)
        assert row, f".venv-tools/{tool} is not in the README's table of what gets installed, with its disk"
    assert re.search(r"^\| `\.venv/` \|.*\d+ MB", README, re.MULTILINE)
