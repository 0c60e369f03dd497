"""MkDocs hooks: each event handed to the one object that owns the build.

Thin by design: the work is in the ``coprod`` package (the build's state and its steps in
coprod/mkdocs_build.py), which tests call without a build. MkDocs does not reload hook
modules during ``mkdocs serve``: :data:`BUILD` lasts as long as the process, and makes each
build's own state afresh in ``on_config``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coprod.mkdocs_build import MkDocsBuild

BUILD = MkDocsBuild(hook_file=Path(__file__))

on_startup = BUILD.on_startup
on_config = BUILD.on_config
on_pre_build = BUILD.on_pre_build
on_pre_page = BUILD.on_pre_page
on_files = BUILD.on_files
on_nav = BUILD.on_nav
on_page_markdown = BUILD.on_page_markdown
on_page_content = BUILD.on_page_content
on_page_context = BUILD.on_page_context
on_post_page = BUILD.on_post_page
on_post_template = BUILD.on_post_template
on_env = BUILD.on_env
on_post_build = BUILD.on_post_build
on_build_error = BUILD.on_build_error
on_serve = BUILD.on_serve
on_shutdown = BUILD.on_shutdown
