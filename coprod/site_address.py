"""Where the site is published and which repository it comes from.

``mkdocs.yml`` holds placeholders; a build takes the real addresses from the environment,
so a fork publishes its own without editing a file. The Pages workflow sets ``SITE_URL``
from GitHub Pages (``actions/configure-pages``' ``base_url``) and ``REPO_URL`` from the run
(``GITHUB_REPOSITORY``), and ``EDITORS_EMAIL`` (a repository secret) is where the
contribute page's e-mail route sends a reader's answers (``extra.editors_email`` in
mkdocs.yml otherwise). Every build says which addresses it used and where they came from.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, MutableMapping
from urllib.parse import urlsplit

from .read.hosts import WEB_SCHEMES

SITE_VARIABLE = "SITE_URL"
REPO_VARIABLE = "REPO_URL"
EDITORS_VARIABLE = "EDITORS_EMAIL"
_EMAIL = re.compile(r"[^@\s?&#/<>\"',;:]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}\Z")


class AddressError(ValueError):
    """An address in the environment that cannot be published."""


def _checked(name: str, value: str, *, directory: bool) -> str:
    parts = urlsplit(value)
    if parts.scheme not in WEB_SCHEMES or not parts.netloc or parts.query or parts.fragment \
            or any(c.isspace() or ord(c) < 32 for c in value):
        raise AddressError(f"{name}={value!r} is not a web address; expected one like "
                           f"'https://example.org/library/' (or unset {name} to use mkdocs.yml's)")
    if directory and not value.endswith("/"):
        value += "/"  # MkDocs' site_url is a folder: page addresses are joined onto it
    return value


def apply(config: MutableMapping, environ: Mapping[str, str] | None = None, serving: bool = False) -> str:
    """Override ``site_url`` and ``repo_url`` in ``config`` from ``SITE_URL`` and ``REPO_URL``
    when they are set (and not empty). Returns a line saying which addresses are used.
    Raises :class:`AddressError` for a value that is not an http(s) address. While
    ``serving``, the site's address is the one ``mkdocs serve`` listens on, whatever is set."""
    environ = os.environ if environ is None else environ
    said = []
    for key, variable, directory, what in (("site_url", SITE_VARIABLE, True, "site"),
                                           ("repo_url", REPO_VARIABLE, False, "repository")):
        value = (environ.get(variable) or "").strip()
        if serving and key == "site_url":
            said.append(f"{what} {config.get(key)} (where mkdocs serve listens)")
            continue
        if value:
            config[key] = _checked(variable, value, directory=directory)
            origin = f"from {variable}"
        else:
            origin = f"from mkdocs.yml; set {variable} to change it"
        said.append(f"{what} {config.get(key) or '(none)'} ({origin})")
    value = (environ.get(EDITORS_VARIABLE) or "").strip()
    if value:
        if not _EMAIL.match(value):
            raise AddressError(f"{EDITORS_VARIABLE}={value!r} is not an e-mail address; expected one like "
                               f"'editors@example.org' (or unset {EDITORS_VARIABLE} to use mkdocs.yml's)")
        extra = config.get("extra")
        if isinstance(extra, MutableMapping):  # MkDocs' extra (a dict-like of its own)
            extra["editors_email"] = value
        else:
            config["extra"] = {**(extra or {}), "editors_email": value}
        said.append(f"editors {value} (from {EDITORS_VARIABLE})")
    return "Addresses: " + ", ".join(said)
