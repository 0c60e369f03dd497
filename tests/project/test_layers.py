"""The core's folders are layers (issue 24): no module imports from a folder below its own in
the README's layout table, no two modules (or folders) import each other, and no module
imports another's private names (``_x``).

The rule and the graph are scripts/layers.py's (which prints them); this holds the package to
it and shows, on a package made for the test, that the rule finds each kind of break.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from helpers import ROOT


def _layers():
    spec = importlib.util.spec_from_file_location("coprod_layers", ROOT / "scripts" / "layers.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


def test_no_module_imports_upward_or_in_a_cycle() -> None:
    graph = _layers().graph(ROOT)
    assert graph.order[1:-1] == ["read", "render", "cite", "model", "checks", "pages", "search", "cli"], \
        "the README's coprod/ rows changed order: say why in the README, then update this line"
    assert len(graph.found) > 50 and len(graph.edges) > 200, "the graph no longer sees the package's imports"
    problems = graph.problems()
    assert not problems, "imports that break the layers (README layout table, lowest first):\n" + "\n".join(problems)


def _package(root: Path, files: dict[str, str]) -> None:
    (root / "README.md").write_text("| folder | what |\n|---|---|\n| `coprod/low/` | ground |\n"
                                    "| `coprod/high/` | above it |\n", encoding="utf-8")
    for name, text in {"coprod/__init__.py": '__version__ = "1"\n', "coprod/low/__init__.py": "",
                       "coprod/high/__init__.py": "", **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_the_rule_finds_an_upward_import_a_cycle_and_an_unplaced_folder(tmp_path: Path) -> None:
    layers = _layers()
    _package(tmp_path, {
        "coprod/low/a.py": "from __future__ import annotations\n\nfrom ..high import b\n",
        "coprod/high/b.py": "from coprod import __version__\nfrom ..low.a import x\n",
        "coprod/high/c.py": "def f():\n    from . import d\n",
        "coprod/high/d.py": "from .c import f\n",
        "coprod/other/e.py": "import coprod.low.a\n",
        "coprod/site.py": "from .high import c\nfrom .low import a\n",
    })
    problems = layers.graph(tmp_path).problems()
    assert problems[0] == "folder other is not in the README's layout table (add its row where it belongs)"
    assert "upward import: coprod.low.a imports coprod.high.b at coprod/low/a.py:3 (low is below high)" in problems
    cycles = [line for line in problems if line.startswith("module cycle")]
    assert cycles == [
        ("module cycle: coprod.high.b <-> coprod.low.a; coprod.high.b imports coprod.low.a at coprod/high/b.py:2;"
         " coprod.low.a imports coprod.high.b at coprod/low/a.py:3"),
        ("module cycle: coprod.high.c <-> coprod.high.d; coprod.high.c imports coprod.high.d at coprod/high/c.py:2;"
         " coprod.high.d imports coprod.high.c at coprod/high/d.py:1"),
    ]
    assert [line.split(";")[0] for line in problems if line.startswith("folder cycle")] == ["folder cycle: high <-> low"]
    # the version in coprod/__init__.py is below every folder; the build above every folder
    assert not [line for line in problems if "coprod.site" in line or "imports coprod at" in line]


def test_a_package_in_layers_has_no_problems(tmp_path: Path) -> None:
    _package(tmp_path, {"coprod/low/a.py": "x = 1\n", "coprod/high/b.py": "from ..low.a import x\n",
                        "coprod/site.py": "from .high import b\n"})
    graph = _layers().graph(tmp_path)
    assert graph.problems() == [] and set(graph.edges) == {("coprod.high.b", "coprod.low.a"), ("coprod.site", "coprod.high.b")}


def test_the_rule_finds_a_private_name_imported_from_another_module(tmp_path: Path) -> None:
    """``from .b import _x`` (or ``from . import _module``) is reported with its file and
    line; a module's own private names, dunder names and public names are not."""
    _package(tmp_path, {
        "coprod/low/a.py": "_x = 1\ny = 2\n",
        "coprod/low/_inner.py": "",
        "coprod/high/b.py": ("from coprod import __version__\nfrom ..low.a import y\n\n\ndef f():\n"
                             "    from ..low.a import _x, y as _y\n    from ..low import _inner\n"),
        "coprod/high/c.py": "_own = 1\nfrom .b import f as _f\n",
    })
    problems = _layers().graph(tmp_path).problems()
    assert [line.split(" (")[0] for line in problems] == [
        "private name: coprod.high.b imports _inner from coprod.low at coprod/high/b.py:7",
        "private name: coprod.high.b imports _x from coprod.low.a at coprod/high/b.py:6",
    ]
