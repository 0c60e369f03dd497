#!/usr/bin/env python3
"""The core's import graph against the layer order the README declares.

    python3 scripts/layers.py          # upward imports and cycles, one line each
    python3 scripts/layers.py --edges  # also every import between two folders, counted

The layer order is the order of the `coprod/<folder>/` rows in the README's layout table,
lowest first: a module may import from its own folder and from folders above its row in the
table, never from a folder below it. Modules directly in `coprod/` are the build, above every
folder. Reads the source with `ast` only: nothing is imported or run. Exits 1 when there is an
upward import or a cycle, so it can serve as a check.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "coprod"
TOP = "(build)"  # modules directly in coprod/


def layer_order(readme: Path) -> list[str]:
    """The folders of the README's layout table, in the table's order (lowest layer first)."""
    rows = re.findall(rf"^\| `{PACKAGE}/(\w+)/` \|", readme.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return [*rows, TOP]


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(found: dict[str, Path]) -> set[tuple[str, str]]:
    """Every (importer, imported) pair between two modules of the package."""
    edges = set()
    for name, path in found.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join([*base, node.module] if node.module else base)
                submodules = [f"{target}.{alias.name}" for alias in node.names if f"{target}.{alias.name}" in found]
                candidates = submodules or [target]  # `from coprod import site` imports coprod.site
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            edges.update((name, c) for c in candidates if c in found and c != name)
    return edges


def folder(name: str, found: dict[str, Path]) -> str:
    """The folder a module lives in: ``coprod.pages.urls`` and ``coprod.pages`` are in
    ``pages``; ``coprod.site`` and ``coprod`` itself are the build."""
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edges", action="store_true", help="also print the imports between folders, counted")
    args = parser.parse_args(argv)
    order = layer_order(ROOT / "README.md")
    found = modules(ROOT)
    edges = imports(found)
    rank = {name: i for i, name in enumerate(order)}
    upward = sorted((a, b) for a, b in edges
                    if rank.get(folder(a, found), -1) < rank.get(folder(b, found), -1))
    loops = cycles(edges)
    folder_loops = cycles({(folder(a, found), folder(b, found)) for a, b in edges
                           if folder(a, found) != folder(b, found)})
    print("layer order, lowest first: " + " < ".join(order))
    if args.edges:
        counted = Counter((folder(a, found), folder(b, found)) for a, b in edges if folder(a, found) != folder(b, found))
        for (a, b), n in sorted(counted.items()):
            print(f"  {a} -> {b}: {n}")
    for a, b in upward:
        print(f"upward import: {a} imports {b} ({folder(a, found)} is below {folder(b, found)})")
    for loop in loops:
        print("module cycle: " + " <-> ".join(loop))
    for loop in folder_loops:
        print("folder cycle: " + " <-> ".join(loop))
    print(f"{len(upward)} upward imports, {len(loops)} module cycles, {len(folder_loops)} folder cycles "
          f"({len(found)} modules, {len(edges)} imports)")
    return 1 if upward or loops or folder_loops else 0


if __name__ == "__main__":
    sys.exit(main())
