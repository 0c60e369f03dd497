"""MkDocs hooks: load and check the evidence, then hand the generated pages to MkDocs.

Thin by design: the work is in the ``coprod`` package, which tests call without a build.
Hook modules are not reloaded by ``mkdocs serve``, so state is reset in ``on_config``.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coprod import site, urls
from coprod.export import render_docs_page
from coprod.sanitize import sanitize

log = logging.getLogger("mkdocs.hooks.evidence")
_state: dict = {}


def on_config(config):
    _state.clear()
    root = Path(config["config_file_path"]).resolve().parent
    build = site.load(root / "evidence", docs_dir=Path(config["docs_dir"]), display_root=root)
    for problem in build.report.warnings:
        log.warning(problem.format())
    if build.report.errors:
        lines = "\n".join(p.format() for p in build.report.errors)
        raise Abort(f"The evidence has {len(build.report.errors)} error(s); the site was not built:\n{lines}")
    pages = site.generate(build, site.edit_base(config))
    missing = site.missing_from_site(build.evidence, pages)
    if missing:
        raise Abort("Published case studies are missing from the site:\n" + "\n".join(missing))
    contributed = {urls.case_study(r.id) for r in build.evidence.published("case-study")}
    contributed |= {urls.claim(r.id) for r in build.evidence.published("claim")}
    _state.update(build=build, pages=pages, contributed=contributed)
    return config


def on_files(files, config):
    for uri, page in _state["pages"].items():
        if files.get_file_from_path(uri) is not None:
            raise Abort(f"docs/{uri} is also a generated page; remove it from docs/")
        files.append(File.generated(config, uri, content=page.content))
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.generated_by is not None:
        return markdown  # generated pages arrive with citations already rendered
    return render_docs_page(_state["build"], page.file.src_uri, markdown)


def on_page_content(html, page, config, files):
    if page.file.src_uri in _state["contributed"]:
        return sanitize(html)  # pages whose text strangers wrote
    return html
