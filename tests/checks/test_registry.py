"""The checks are declared in coprod/checks/registry.py: every check across files is a unit
there, and the one that finds uncited references runs after every unit that cites."""

from __future__ import annotations

import inspect
from pathlib import Path

from helpers import ROOT, make_evidence

from coprod.checks import across, registry
from coprod.checks.evidence import load_evidence
from coprod.read.problems import Report


def test_every_unit_across_files_is_declared_once() -> None:
    units = {function for name, function in inspect.getmembers(across, inspect.isfunction)
             if function.__module__ == across.__name__ and not name.startswith("_")
             and list(inspect.signature(function).parameters) == ["across", "report"]}
    declared = [check.run for check in registry.LIBRARY_CHECKS]
    assert units <= set(declared) and len(declared) == len(set(declared))
    names = [check.name for check in (*registry.FILE_CHECKS, *registry.LIBRARY_CHECKS)]
    assert len(names) == len(set(names))


def test_uncited_references_are_found_after_every_unit_that_cites(tmp_path: Path) -> None:
    evidence = load_evidence(make_evidence(tmp_path), Report())
    assert evidence is not None
    found = across.Across(evidence, [(ROOT / "docs", "docs")])
    citing: list[int] = []
    cite = found.cite
    for index, check in enumerate(registry.LIBRARY_CHECKS):
        found.cite = lambda *args, index=index: (citing.append(index), cite(*args))[1]
        check.run(found, Report())
    last = next(i for i, check in enumerate(registry.LIBRARY_CHECKS) if check.run is across.references_cited)
    assert citing and max(citing) < last
