"""scripts/benchmark.py makes its peers' projects from the same bodies (no build here:
speed belongs in the benchmark, not in tests)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import yaml
from helpers import ROOT


def _benchmark():
    spec = importlib.util.spec_from_file_location("benchmark", ROOT / "scripts" / "benchmark.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmark"] = module  # as running it would: its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_peers_build_the_same_bodies_with_the_projects_extensions(tmp_path: Path) -> None:
    bench = _benchmark()
    projects = {kind: bench._project(tmp_path / kind, 4, 10, kind) for kind in bench.KINDS}
    ours = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    configs = {kind: yaml.safe_load((p / "mkdocs.yml").read_text(encoding="utf-8")) for kind, p in projects.items()}
    assert configs["full"] == ours and (projects["full"] / "hooks" / "evidence.py").exists()
    assert configs["plain"]["plugins"] == ["search"]
    assert configs["bibtex"]["plugins"] == ["search", {"bibtex": {"bib_file": "references.bib"}}]
    assert configs["plain"]["markdown_extensions"] == ours["markdown_extensions"]
    assert configs["bibtex"]["markdown_extensions"] == [*ours["markdown_extensions"], "footnotes"]
    for kind in ("plain", "bibtex"):
        assert "hooks" not in configs[kind] and configs[kind]["theme"] == ours["theme"]
        assert configs[kind]["not_in_nav"].split() == ["/cases/"]
        pages = sorted((projects[kind] / "docs" / "cases").glob("*.md"))
        sources = sorted((projects["full"] / "evidence" / "case-studies").glob("*.md"))
        assert [p.name for p in pages] == [s.name for s in sources]
        for page, source in zip(pages, sources):
            body = source.read_text(encoding="utf-8").split("\n---\n", 1)[1]
            assert page.read_text(encoding="utf-8") == f"# {source.stem}\n{body}"
            assert "[@Ref" in body
    assert (projects["bibtex"] / "references.bib").read_text(encoding="utf-8") == (
        projects["full"] / "evidence" / "references.bib").read_text(encoding="utf-8")


def test_the_search_benchmark_loads_and_the_default_references_fit_the_bibliography(tmp_path: Path) -> None:
    """Both benchmarks import (the search one had lost a helper of benchmark.py) and their
    default number of references stays under the bibliography's entry limit (more made every
    run void)."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        spec = importlib.util.spec_from_file_location("benchmark_search", ROOT / "scripts" / "benchmark_search.py")
        search_bench = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(search_bench)
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    assert callable(search_bench.time_build)
    from coprod.checks.evidence import load_evidence
    from coprod.read.problems import Report

    bench = _benchmark()
    defaults = {bench.arguments().parse_args([what]).references for what in ("validate", "build", "memory", "phases")}
    defaults.add(search_bench.DEFAULT_REFERENCES)
    for references in defaults:
        evidence = bench.write_evidence(tmp_path / str(references), ROOT / "evidence", bench._taxonomy(), 1, references)
        report = Report()
        load_evidence(evidence, report, workers=1)
        assert not report.errors, report.errors[:3]
