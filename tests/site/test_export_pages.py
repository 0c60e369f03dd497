"""scripts/export_pages.py writes exactly what the MkDocs hooks register."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from helpers import ROOT, forbid_rendering, make_project, mkdocs_build
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from coprod import site
from coprod.export import as_markdown, front_matter, markdown_headings, render_docs_page, source_digest
from coprod.render.templates import Outline


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
    made = hooks.BUILD.run.site.pages
    assert any(made[uri].is_html for uri in registered)
    for uri, content in registered.items():
        exported = (out / uri).read_bytes()
        if uri in made and made[uri].is_html:  # MkDocs is given only its front matter: the hook gives it the rest
            assert content.endswith(b"\n---\n") and exported.startswith(content) and len(exported) > len(content), uri
        else:
            assert exported == content, uri
    # the hand-written pages, as the hooks render them, are there too
    for page in (ROOT / "docs").rglob("*.md"):
        uri = page.relative_to(ROOT / "docs").as_posix()
        assert uri not in registered
        exported = (out / uri).read_text(encoding="utf-8")
        assert exported == render_docs_page(hooks.BUILD.run.site, uri, page.read_text(encoding="utf-8"))
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


def test_the_export_and_the_finishing_pass_use_what_a_build_of_the_same_content_made(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    """export_pages.py builds as the hooks do, with the user's cache of results keyed by
    their content: once the same content was built, an export renders no citation and the
    pass that finishes another engine's site makes the business case's PDF with no
    WeasyPrint."""
    import logging

    from coprod import finish
    from coprod.export import export
    from coprod.pages import pdf

    monkeypatch.setenv("COPROD_CACHE_HOME", str(tmp_path / "cache-home"))
    project = make_project(tmp_path)
    log = logging.getLogger("test")
    for engine_site in ("first-site", "second-site"):  # the engine built the business case's page: the PDF goes beside it
        (tmp_path / engine_site / pdf.PAGE_HTML).parent.mkdir(parents=True)
        (tmp_path / engine_site / pdf.PAGE_HTML).write_text("<!doctype html><title>The business case</title>\n")
    first = export(project, tmp_path / "first")
    assert first.ok and finish.business_case_pdf(tmp_path / "first-site", first, log) is not None
    forbid_rendering(monkeypatch, "the export")
    second = export(project, tmp_path / "second")
    assert second.ok
    made = {p.relative_to(tmp_path / "first").as_posix(): p.read_bytes() for p in (tmp_path / "first").rglob("*")
            if p.is_file()}
    assert made and made == {p.relative_to(tmp_path / "second").as_posix(): p.read_bytes()
                             for p in (tmp_path / "second").rglob("*") if p.is_file()}
    pdf_file = finish.business_case_pdf(tmp_path / "second-site", second, log)
    assert pdf_file is not None
    assert pdf_file.read_bytes() == (tmp_path / "first-site" / pdf_file.relative_to(tmp_path / "second-site")).read_bytes()


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


def _markdown(config) -> markdown.Markdown:
    """Python-Markdown with the site's extensions and settings (mkdocs.yml), as an engine
    without the hooks (Zensical, MkDocs alone) reads an exported page."""
    names, settings = [], {}
    for extension in config["markdown_extensions"]:
        name, options = next(iter(extension.items())) if isinstance(extension, dict) else (extension, {})
        names.append(name)
        settings[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=settings)


def _same_html(text: str) -> str:
    # Python-Markdown leaves quotes unescaped in text, which the templates write as &quot; and &#x27;
    return re.sub(r"\s+", " ", text.replace("&quot;", '"').replace("&#x27;", "'")).strip()


def test_a_page_made_as_html_keeps_its_headings_for_another_engine(tmp_path: Path) -> None:
    """Exported for another engine, each page made from a template reads, through
    Python-Markdown with the site's settings, as the same HTML, and its ``toc`` finds the
    page's headings with their ids: the engine's table of contents is the page's own."""
    project = make_project(tmp_path)
    config = site.read_site_config(project)
    build = site.build(project, config)
    made = [page for page in build.pages.values() if page.is_html]
    assert len(made) > 20
    assert any(page.body is not None for page in made)  # case-study pages carry a contributor's body
    for page in made:
        md = _markdown(config)
        exported = as_markdown(page)
        body = exported.split("\n---\n\n", 1)[1]
        if page.body is None:
            assert _same_html(md.convert(body)) == _same_html(page.content), page.uri
            assert md.toc_tokens == page.toc and page.toc, page.uri
        else:  # the body goes in as markdown: the page's own headings and the body's are all in the engine's toc
            md.convert(body)
            assert _ids(page.toc) and _ids(page.toc) <= _ids(md.toc_tokens), page.uri


def _ids(tokens: list[dict]) -> set[str]:
    return {token["id"] for token in tokens} | {ident for token in tokens for ident in _ids(token["children"])}


def test_exported_heading_text_stays_text(tmp_path: Path) -> None:
    """A heading's text (a term's label, a title) is text in the exported markdown too: no
    emphasis, code, link, attribute list or HTML comes of it."""
    outline = Outline()
    hostile = 'A *b* _c_ `d` [e](f) <b>g</b> & "h" # {: .evil onclick=x } {#i}'
    content = "\n".join(['<div class="x">', "<p>before</p>", "</div>", str(outline.heading(2, hostile)),
                         '<section><h2 id="inside">Inside</h2></section>', "<p>after</p>"])
    md = _markdown(site.read_site_config(ROOT))
    converted = md.convert(markdown_headings(content))
    heading = re.search(r"<h2 id=\"([^\"]+)\">(.*?)<a class=\"headerlink\"", converted)
    assert heading.group(1) == outline.tokens[0]["id"]
    assert heading.group(2) == 'A *b* _c_ `d` [e](f) &lt;b&gt;g&lt;/b&gt; &amp; "h" # {: .evil onclick=x } {#i}'
    assert re.fullmatch(r' id="[^"]+"', converted.split("<h2", 2)[1].split(">", 1)[0])  # no attribute of the text's
    assert [token["id"] for token in md.toc_tokens] == [outline.tokens[0]["id"]]  # the one inside <section> stays HTML
    assert '<section><h2 id="inside">Inside</h2></section>' in converted


def test_a_page_made_as_html_is_registered_by_its_front_matter_and_keyed_by_its_whole_source(tmp_path: Path) -> None:
    """MkDocs is given only a template page's front matter; the page's rebuild key stands for
    its whole exported source, so it changes with its title, its HTML and its body's
    markdown, and with nothing else."""
    from dataclasses import replace

    project = make_project(tmp_path)
    build = site.build(project, site.read_site_config(project))
    page = next(p for p in build.pages.values() if p.is_html and p.body is not None)
    assert as_markdown(page).startswith(front_matter(page) + "\n")
    key = source_digest(page)
    assert source_digest(replace(page)) == key
    assert source_digest(replace(page, heading=page.shown_title + " again")) != key
    assert source_digest(replace(page, content=page.content + "\n<p>more</p>")) != key
    assert source_digest(replace(page, body=replace(page.body, markdown=page.body.markdown + " more"))) != key
