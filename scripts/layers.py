#!/usr/bin/env python3
"""The core's import graph against the layer order the README declares.

    python3 scripts/layers.py          # upward imports, cycles and private imports, one line each (file and line)
    python3 scripts/layers.py --edges  # also every import between two folders, counted

The layer order is the order of the `coprod/<folder>/` rows in the README's layout table,
lowest first: a module may import from its own folder and from folders above its row in the
table, never from a folder below it. Modules directly in `coprod/` are the build, above every
folder; the package's `__init__` (the version) is below every folder. Reads the source with
`ast` only: nothing is imported or run. A private name (``_x``) is its module's own: importing
one from another module is reported too. Exits 1 when there is an upward import, a cycle or
a private import; tests/project/test_layers.py holds the same rules in the test suite.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "coprod"
TOP = "(build)"  # modules directly in coprod/
BASE = "(package)"  # coprod/__init__.py: the version only; Python runs it before any module of the package


def layer_order(readme: Path) -> list[str]:
    """The folders of the README's layout table, in the table's order (lowest layer first)."""
    rows = re.findall(rf"^\| `{PACKAGE}/(\w+)/` \|", readme.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return [BASE, *rows, TOP]


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(found: dict[str, Path]) -> tuple[dict[tuple[str, str], int], list[tuple[str, str, str, int]]]:
    """Every (importer, imported) pair between two modules of the package, with the line of
    the importer's first import of it; and every private name (``_x``, not ``__x__``) one
    module imports from another, as (importer, imported, name, line). One pass over each file."""
    edges: dict[tuple[str, str], int] = {}
    private: list[tuple[str, str, str, int]] = []
    for name, path in found.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join([*base, node.module] if node.module else base)
                submodules = [f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in found]
                candidates = submodules or [target]  # `from coprod import site` imports coprod.site
                if target in found and target != name:
                    private += [(name, target, alias.name, node.lineno) for alias in node.names
                                if _private(alias.name)]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            for imported in candidates:
                if imported in found and imported != name:
                    edges[(name, imported)] = min(node.lineno, edges.get((name, imported), node.lineno))
    return edges, sorted(private)


def _private(name: str) -> bool:
    """``_x`` is a module's own; ``__x__`` (``__version__``) is not private."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def folder(name: str, found: dict[str, Path]) -> str:
    """The folder a module lives in: ``coprod.read.urls`` and ``coprod.read`` are in
    ``read``; ``coprod.site`` is the build; ``coprod`` itself (its ``__init__``, which holds
    the version and which Python runs before any module of the package) is below them all."""
    if name == PACKAGE:
        return BASE
    parts = name.split(".")
    if len(parts) > 2 or (len(parts) == 2 and found[name].name == "__init__.py"):
        return parts[1]
    return TOP


def cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    graph: dict[str, list[str]] = {}
    for a, b in sorted(edges):
        graph.setdefault(a, []).append(b)
        graph.setdefault(b, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start, children_of_start in graph.items():
        if start in index:
            continue
        work = [(start, iter(children_of_start))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(graph[child])))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return sorted(found)


@dataclass
class Graph:
    """The package's modules, their imports and what breaks the layer order."""

    root: Path
    order: list[str]  # the folders, lowest first
    found: dict[str, Path]  # module -> its file
    edges: dict[tuple[str, str], int]  # (importer, imported) -> line of the import
    private: list[tuple[str, str, str, int]] = field(default_factory=list)  # (importer, imported, name, line)

    def folder(self, name: str) -> str:
        return folder(name, self.found)

    def where(self, a: str, b: str) -> str:
        return f"{self.found[a].relative_to(self.root).as_posix()}:{self.edges[(a, b)]}"

    def problems(self) -> list[str]:
        """One line for each folder the README's table does not place, each upward import,
        each import inside a cycle of modules or of folders, and each private name imported
        from another module, naming the file and line."""
        rank = {name: i for i, name in enumerate(self.order)}
        lines = [f"folder {f} is not in the README's layout table (add its row where it belongs)"
                 for f in sorted({self.folder(m) for m in self.found} - set(rank))]
        for a, b in sorted(self.edges):
            if self.folder(a) in rank and self.folder(b) in rank and rank[self.folder(a)] < rank[self.folder(b)]:
                lines.append(f"upward import: {a} imports {b} at {self.where(a, b)} "
                             f"({self.folder(a)} is below {self.folder(b)})")
        for loop in cycles(set(self.edges)):
            inside = [f"{a} imports {b} at {self.where(a, b)}" for a, b in sorted(self.edges) if a in loop and b in loop]
            lines.append("module cycle: " + " <-> ".join(loop) + "; " + "; ".join(inside))
        between = {(self.folder(a), self.folder(b)) for a, b in self.edges if self.folder(a) != self.folder(b)}
        for loop in cycles(between):
            inside = [f"{a} imports {b} at {self.where(a, b)}" for a, b in sorted(self.edges)
                      if self.folder(a) != self.folder(b) and self.folder(a) in loop and self.folder(b) in loop]
            lines.append("folder cycle: " + " <-> ".join(loop) + "; " + "; ".join(inside))
        for a, b, name, line in self.private:
            lines.append(f"private name: {a} imports {name} from {b} at "
                         f"{self.found[a].relative_to(self.root).as_posix()}:{line} "
                         f"(make it public in {b}, or move what both need to one module)")
        return lines


def graph(root: Path = ROOT) -> Graph:
    """The import graph of ``root``'s package against the layer order of ``root``'s README."""
    found = modules(root)
    edges, private = imports(found)
    return Graph(root, layer_order(root / "README.md"), found, edges, private)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edges", action="store_true", help="also print the imports between folders, counted")
    args = parser.parse_args(argv)
    found = graph()
    print("layer order, lowest first: " + " < ".join(found.order))
    if args.edges:
        counted = Counter((found.folder(a), found.folder(b)) for a, b in found.edges
                          if found.folder(a) != found.folder(b))
        for (a, b), n in sorted(counted.items()):
            print(f"  {a} -> {b}: {n}")
    problems = found.problems()
    for line in problems:
        print(line)
    print(f"{len(problems)} problems ({len(found.found)} modules, {len(found.edges)} imports)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
