"""scripts/export_pages.py writes exactly what the MkDocs hooks register."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from mkdocs.config import load_config
from mkdocs.structure.files import Files


def hook_pages() -> dict[str, bytes]:
    spec = importlib.util.spec_from_file_location("evidence_hooks", ROOT / "hooks" / "evidence.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    config = load_config(str(ROOT / "mkdocs.yml"))
    config.plugins._current_plugin = "hooks/evidence.py"  # as MkDocs sets it while running a hook
    config = hooks.on_config(config)
    files = hooks.on_files(Files([]), config)
    return {f.src_uri: f.content_bytes for f in files}, hooks, config


def test_export_matches_what_the_hooks_register(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "scripts/export_pages.py", "--out", str(out)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    registered, hooks, _config = hook_pages()
    assert len(registered) > 100
    for uri, content in registered.items():
        assert (out / uri).read_bytes() == content, uri
    # the hand-written pages, as the hooks render them, are there too
    for page in (ROOT / "docs").rglob("*.md"):
        uri = page.relative_to(ROOT / "docs").as_posix()
        assert uri not in registered
        exported = (out / uri).read_text(encoding="utf-8")
        assert exported == hooks.render_docs_page(hooks._state["build"], uri, page.read_text(encoding="utf-8"))
    assert "<!-- library-stats -->" not in (out / "index.md").read_text(encoding="utf-8")
    generated = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    handwritten = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*") if p.is_file()}
    assert generated == set(registered) | handwritten


def test_export_refuses_broken_evidence(tmp_path: Path) -> None:
    project = tmp_path / "project"
    for name in ("scripts", "docs", "hooks", "evidence"):
        shutil.copytree(ROOT / name, project / name)
    (project / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    case = next((project / "evidence" / "case-studies").glob("*.md"))
    case.write_text(case.read_text(encoding="utf-8").replace("status: published", "status: publshed"), encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "scripts/export_pages.py", "--out", str(out)], cwd=project,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1
    assert "status: 'publshed' is not one of" in result.stdout
    assert not out.exists()
