"""mkdocs.yml and the core agree."""

from __future__ import annotations

import yaml
from helpers import ROOT

from coprod.checks.body import MARKDOWN_EXTENSIONS


def site_config() -> dict:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def test_body_checks_model_the_sites_markdown_extensions() -> None:
    names = [e if isinstance(e, str) else next(iter(e)) for e in site_config()["markdown_extensions"]]
    assert sorted(names) == sorted(MARKDOWN_EXTENSIONS)


def test_no_google_fonts() -> None:
    assert site_config()["theme"]["font"] is False
