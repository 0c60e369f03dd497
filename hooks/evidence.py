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

from coprod import site

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
    _state["build"] = build
    return config


def on_files(files, config):
    for uri, content in site.generated_pages(_state["build"]).items():
        files.append(File.generated(config, uri, content=content))
    return files
