"""scripts/export_pages.py writes exactly what the MkDocs hooks register."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, make_project, mkdocs_build
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from coprod import site


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
        assert exported == hooks.render_docs_page(hooks._run.build, uri, page.read_text(encoding="utf-8"))
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


def test_one_build_with_the_same_checks_for_hooks_and_export(tmp_path: Path) -> None:
    """site.build is frozen and runs the site's checks: an address already published that
    no longer resolves is an error of the build itself, for the hooks and the export alike."""
    project = make_project(tmp_path)
    build = site.build(project, site.read_site_config(project))
    assert build.ok and build.pages and build.citables and build.handwritten == ("about.md", "contribute/guide.md",
                                                                                 "index.md")
    with pytest.raises(AttributeError):
        build.pages = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        build.pages["x.md"] = None  # type: ignore[index]
    (project / "evidence" / "published-urls.txt").write_text("/case-studies/gone/\n", encoding="utf-8")
    broken = site.build(project, site.read_site_config(project))
    assert not broken.ok and not broken.pages
    assert broken.report.errors[0].format().startswith("evidence/published-urls.txt: urls: /case-studies/gone/")
    exported = subprocess.run([sys.executable, str(ROOT / "scripts" / "export_pages.py"), "--root", str(project), "--out",
                               str(tmp_path / "out")], capture_output=True, text=True, timeout=300, check=False)
    assert exported.returncode == 1 and "evidence/published-urls.txt: urls: /case-studies/gone/" in exported.stdout
    assert not (tmp_path / "out").exists()
    built = mkdocs_build(project)
    assert built.returncode != 0 and "evidence/published-urls.txt: urls: /case-studies/gone/" in built.stderr


def test_export_publishes_the_addresses_the_build_would(tmp_path: Path) -> None:
    """SITE_URL and REPO_URL replace mkdocs.yml's placeholders in the export as in the MkDocs build."""
    import os

    project = make_project(tmp_path)
    env = dict(os.environ, SITE_URL="https://fork.example.org/library", REPO_URL="https://github.com/someone/fork")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "export_pages.py"), "--root", str(project), "--out",
                             str(tmp_path / "out")], capture_output=True, text=True, timeout=300, check=False, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "site https://fork.example.org/library/ (from SITE_URL)" in result.stdout
    feed = (tmp_path / "out" / "feed.xml").read_text(encoding="utf-8")
    assert "https://fork.example.org/library/case-studies/peer-researchers/" in feed
    assert "coproduction-evidence.example" not in feed
    page = (tmp_path / "out" / "case-studies" / "peer-researchers.md").read_text(encoding="utf-8")
    assert "https://github.com/someone/fork/edit/main/evidence/case-studies/peer-researchers.md" in page
    env["SITE_URL"] = "not an address"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "export_pages.py"), "--root", str(project), "--out",
                             str(tmp_path / "again")], capture_output=True, text=True, timeout=300, check=False, env=env)
    assert result.returncode == 1 and "SITE_URL='not an address' is not a web address" in result.stdout
