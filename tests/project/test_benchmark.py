"""scripts/benchmark.py makes its peers' projects from the same bodies (no build here:
speed belongs in the benchmark, not in tests)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
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


# --------------------------------------------------------------------------- benchmark.py all

TABLE_ROWS = ("build", "serve", "validate", "memory", "search")  # every row of issue 25's table
FIGURES = {  # each row's lines in the printed table
    "build": ("cold build, full / plain at 20", "40 / 20"),
    "serve": ("edit one case study → page served (`serve --dirty`, 20)",),
    "validate": ("validation of 40 copies, cold",),
    "memory": ("peak RSS at 40, build process", "peak RSS at 40, children (each process)"),
    "search": ("search at 40, typing to results (median)", "typing to results / Pagefind's own `search()` (medians)",
               "first search, largest of 2 queries", "Pagefind's own `search()` at 40 (median)"),
}


def _all(tmp_path: Path, *options: str) -> tuple[subprocess.CompletedProcess, dict]:
    """``scripts/benchmark.py all`` at a tiny size (20 and 40 case studies, 40 references),
    kept in ``tmp_path``/work: its output and the JSON it wrote."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "benchmark.py"), "all", "--cases", "20", "--large", "40", "--repeat", "1",
         "--edits", "1", "--queries", "2", "--references", "40", "--large-references", "40", "--json",
         str(tmp_path / "all.json"), "--keep", str(tmp_path / "work"), *options],
        check=False, capture_output=True, text=True, timeout=1800, cwd=tmp_path)
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    return result, json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))


def _table(stdout: str) -> dict[str, list[str]]:
    """The printed table: each figure's line, split into its cells."""
    lines = stdout[stdout.index("| figure | now | target | reached |"):].splitlines()[2:]
    cells = [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines if line.startswith("| ")]
    return {row[0]: row[1:] for row in cells}


def _running_in(folder: Path) -> list[str]:
    """Processes whose command line or working folder is in ``folder`` (none may outlive a run)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                line = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
                cwd = os.readlink(f"/proc/{entry}/cwd")
            except OSError:
                continue
            if str(folder) in line or cwd.startswith(str(folder)):
                found.append(line)
    return found


def test_all_prints_every_row_of_the_table_and_writes_it_as_json(tmp_path: Path) -> None:
    result, run = _all(tmp_path, "--rows", *TABLE_ROWS, "--serve-peer")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    table = _table(result.stdout)
    assert list(table) == [title for row in TABLE_ROWS for title in FIGURES[row]]
    assert [row["row"] for row in run["rows"]] == list(TABLE_ROWS)
    for row in run["rows"]:
        assert row["status"] == "ok" and row["why"] is None, row
        assert len(row["load_start"]) == len(row["load_end"]) == 3 and row["elapsed"] > 0
        for key, title in zip(row["figures"], FIGURES[row["row"]]):
            one = row["figures"][key]
            now, target, reached, load, _ = table[title]
            assert now == one["text"] and target  # the table shows what the JSON holds, beside its target
            assert reached == {True: "yes", False: "no", None: "–"}[one["reached"]]
            assert load == f"{row['load_start'][0]:.1f} → {row['load_end'][0]:.1f}"
    rows = {row["row"]: row for row in run["rows"]}
    # each figure is what its row measured, in the same units
    build = rows["build"]["detail"]
    assert set(build) == {"full at 20", "plain at 20", "full at 40"}
    assert rows["build"]["figures"]["full_plain"]["value"] == build["full at 20"]["wall"] / build["plain at 20"]["wall"]
    assert rows["build"]["figures"]["double"]["value"] == build["full at 40"]["wall"] / build["full at 20"]["wall"]
    assert rows["serve"]["figures"]["edit"]["value"] == rows["serve"]["detail"]["edits"][0]
    assert len(rows["serve"]["detail"]["plain"]) == 1  # the same edit, timed in plain MkDocs served beside it
    assert rows["validate"]["figures"]["cold"]["value"] == rows["validate"]["detail"]["wall"]
    memory = rows["memory"]["detail"]
    assert rows["memory"]["figures"]["own"]["value"] * 1024 * 1024 == memory["own"] > 0
    assert {"pagefind", "node"} <= set(memory["children"])  # Pagefind and the citation processor, apart
    assert memory["own"] <= memory["largest"] <= memory["tree"]
    search = rows["search"]["detail"]
    assert [q["query"] for q in search["first_search"]] == ["co-production", "peer researchers"]
    assert all(q["bytes"] > 0 and q["matches"] > 0 for q in search["first_search"])
    assert len(search["alone"]) == 2 and search["summary"]["pagefind_search_ms"] > 0
    assert run["options"]["large"] == 40 and run["elapsed"] > 0
    assert not _running_in(tmp_path / "work") and not _running_in(Path(run["tmp"]))
    assert not Path(run["tmp"]).exists()


def test_a_row_past_its_limit_is_stopped_and_the_run_goes_on(tmp_path: Path) -> None:
    result, run = _all(tmp_path, "--rows", "serve", "validate", "--limit", "serve=3")
    assert result.returncode == 1  # a row not measured
    serve, validate = run["rows"]
    assert serve["status"] == "over its limit" and serve["why"] == "stopped after 3 s" and serve["figures"] is None
    assert validate["status"] == "ok" and validate["figures"]["cold"]["value"] > 0
    table = _table(result.stdout)
    assert table[FIGURES["serve"][0]][:3] == ["over its limit: stopped after 3 s", "≤ 1.0 s", "–"]
    assert "not measured: serve" in result.stdout
    assert not _running_in(Path(run["tmp"]))  # the row's server and build stopped with it
    assert not Path(run["tmp"]).exists()


def test_a_failing_row_says_why_and_the_run_goes_on(tmp_path: Path) -> None:
    """Validation of more references than the bibliography may hold fails (the synthetic
    evidence has errors); the memory row after it still runs, and says why its build failed.
    (That a row after a failed one can succeed is held by the limit test above.)"""
    result, run = _all(tmp_path, "--rows", "validate", "memory", "--large-references", "1200")
    assert result.returncode == 1
    validate, memory = run["rows"]
    assert validate["status"] == "failed" and "the synthetic evidence has errors" in validate["why"]
    assert memory["status"] == "failed" and "failed" in memory["why"] and memory["elapsed"] > 0
    table = _table(result.stdout)
    assert table["validation of 40 copies, cold"][0].startswith("failed: the synthetic evidence has errors")
    assert table["peak RSS at 40, build process"][0].startswith("failed: the build in ")
    assert "not measured: validate, memory" in result.stdout
