"""Every web address a case study or claim gives goes where it reads: the check over the
front-matter fields the schema marks ``format: uri`` (the rule itself is
:func:`coprod.read.hosts.host_problem`)."""

from __future__ import annotations

from ..read.hosts import host_problem
from ..read.source import dotted


def check_url_fields(schema, source, report) -> None:
    """Every front-matter field the schema gives ``format: uri``: its host must pass
    :func:`host_problem`. The fields come from the schema, not a list here."""
    for found in schema.uri_fields:
        for path, value in found.values(source.data):
            problem = host_problem(value) if isinstance(value, str) else ""
            if problem:
                report.error(source.path, source.line_of(path), dotted(path), f"web address does not go where it reads: {problem}",
                             "give the public address of the page, written in the letters of the site's own name")
