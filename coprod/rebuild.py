"""Rebuilding only what changed: which files a dirty build may leave as they are.

MkDocs' ``--dirty`` (``mkdocs build --dirty``, ``mkdocs serve --dirty``) skips a file only if
its output is newer than its source; every generated page has no source file, so all of
them were rendered again. Here each file of the build gets a key that hashes everything its
output is made from:

- the site's key: the code (coprod.read.buildcache.code_version and the hook), mkdocs.yml and
  the settings the hook changes, the theme's overrides, every hand-written page and asset,
  whether it is served, and the list of every file of the site with its address (so that
  a page added, removed or renamed changes the navigation and links of all pages);
- the file's own part: a generated file's content and edit address, a hand-written page's
  text after the hook fills it in from the evidence, its citation metadata and search
  markup, the bytes of a static file.

A dirty build leaves a file as it is only if the site's key is unchanged, the file's key is
the one recorded by the last build of the same site folder, and the file is still there;
when the site's key changed, the folder is emptied and everything is built, as a clean
build does. So a dirty build writes the same files a clean build writes.

The record of a build (:class:`SiteState`: the keys, and the document of each searchable
page as given to Pagefind, so that the index can be written whole again without rendering
every page) is kept in memory for ``mkdocs serve`` and in the cache folder for
``mkdocs build`` (as checked plain data and one file of the documents,
:func:`site_state_to_data`); it is forgotten when a build starts and written when it ends,
so a build that failed half way leaves none. The documents are held compressed
(coprod/render/packed.py): at 10,000 case studies they are about 400 MB of text, held from
the page's rendering to the build's end, and written as one file of bytes, never as text
of JSON (which took them twice more while it was made).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .read import buildcache
from .render.packed import Spilled

CONFIG_KEYS = ("site_url", "repo_url", "edit_uri", "copyright", "site_dir", "docs_dir", "use_directory_urls",
               "site_name", "site_description", "nav", "extra", "extra_css", "extra_javascript")
ENVIRONMENT = ("COPROD_NO_PRERENDER",)


@dataclass
class SiteState:
    """What one build wrote into a site folder."""

    site_key: str
    keys: dict[str, str]  # src_uri -> the file's key
    # searchable src_uri -> its Pagefind document, packed (a dict, or on disk: coprod.render.packed.Spilled)
    documents: Mapping[str, bytes] = field(default_factory=dict)


def site_key(config, hook_file: Path, serving: bool, files) -> str:
    """The key of everything that every page of the site depends on."""
    parts: list[str] = [buildcache.code_version(), buildcache.files_digest(Path(hook_file)), str(serving)]
    config_file = config.get("config_file_path")
    parts.append(buildcache.files_digest(Path(config_file)) if config_file else "-")
    parts += [f"{key}={config.get(key)!r}" for key in CONFIG_KEYS]
    parts += [f"{name}={os.environ.get(name, '')}" for name in ENVIRONMENT]
    custom = config["theme"].custom_dir if hasattr(config["theme"], "custom_dir") else None
    parts.append(buildcache.files_digest(Path(custom)) if custom else "-")
    parts.append(buildcache.files_digest(Path(config["docs_dir"])))
    parts += [f"{f.src_uri}>{f.dest_uri}:{f.inclusion}" for f in sorted(files, key=lambda f: f.src_uri)]
    return buildcache.digest(*parts)


def file_key(site: str, file, own: str | bytes) -> str:
    return buildcache.digest(site, file.src_uri, file.dest_uri, str(file.edit_uri), own)


def source_part(file, docs_dir: Path) -> str | bytes:
    """A file's own part when nothing else is known of it: a generated file's content, the
    bytes of a file in docs/, the path of a theme file (whose bytes the code version covers)."""
    if file.generated_by is not None:
        return file.content_bytes
    path = Path(file.abs_src_path)
    if path.is_relative_to(docs_dir):
        try:
            return path.read_bytes()
        except OSError:
            return "\0missing"
    return str(path)


@dataclass
class Plan:
    """One build's keys against the last build's."""

    state: SiteState
    previous: SiteState | None

    @property
    def same_site(self) -> bool:
        return self.previous is not None and self.previous.site_key == self.state.site_key

    def unchanged(self, file) -> bool:
        """The file may be left as the last build wrote it."""
        return (self.same_site and self.previous.keys.get(file.src_uri) == self.state.keys.get(file.src_uri)
                and os.path.isfile(file.abs_dest_path))


# ---- the record of the last build, by site folder

_MEMORY: dict[str, SiteState] = {}


def _name(site_dir: Path) -> str:
    return "site-" + buildcache.digest(str(Path(site_dir).resolve()))


def recall(site_dir: Path, cache_dir: Path | None) -> SiteState | None:
    name = _name(site_dir)
    if name in _MEMORY:
        return _MEMORY[name]
    store = buildcache.Store(cache_dir, "sites")
    found = buildcache.decode(store.get(name))
    return None if found is None else site_state_from_data(found, store.get(name + DOCUMENTS))


def forget(site_dir: Path, cache_dir: Path | None) -> None:
    """A build is starting to write into ``site_dir``: no record may claim what is there."""
    name = _name(site_dir)
    _MEMORY.pop(name, None)
    store = buildcache.Store(cache_dir, "sites")
    if store.path is not None:
        (store.path / name).unlink(missing_ok=True)
        (store.path / (name + DOCUMENTS)).unlink(missing_ok=True)


def remember(site_dir: Path, state: SiteState, cache_dir: Path | None, in_memory: bool) -> None:
    """The build finished: record it in memory (mkdocs serve) or in the cache folder."""
    name = _name(site_dir)
    if in_memory:
        _MEMORY[name] = state
    else:
        store = buildcache.Store(cache_dir, "sites")
        data = site_state_data(state)
        # first: the state names the documents' digest; written one at a time, never joined
        store.put(name + DOCUMENTS, (state.documents[uri] for uri in state.documents))
        store.put(name, buildcache.encode(data))


DOCUMENTS = "-documents"  # the file of a state's documents, beside it


def site_state_to_data(state: SiteState) -> tuple[list, bytes]:
    """The state as plain data, and its documents (packed) one after the other as one
    file, which the data locates ({uri: [offset, length]}) and names (its digest)."""
    return site_state_data(state), b"".join(state.documents[uri] for uri in state.documents)


def site_state_data(state: SiteState) -> list:
    """:func:`site_state_to_data`'s data alone: the documents are read one at a time (they
    may be on disk, coprod.render.packed.Spilled), never joined."""
    documents = state.documents
    where: dict[str, list[int]] = {}
    offset = 0
    for uri in documents:
        length = documents.size(uri) if isinstance(documents, Spilled) else len(documents[uri])
        where[uri] = [offset, length]
        offset += length
    return [state.site_key, dict(state.keys), where,
            buildcache.digest_joined((documents[uri] for uri in documents), offset)]


def site_state_from_data(value: Any, blob: bytes | None) -> SiteState | None:
    """What :func:`site_state_to_data` wrote, or None for anything else (a torn file, another
    format, an entry written by hand: the caller treats it as a miss). Documents whose file
    is missing or is not the one the state names are left out (the dirty build then indexes
    the written site, coprod/search)."""
    if type(value) is not list or len(value) != 4 or type(value[0]) is not str or type(value[3]) is not str:
        return None
    site, keys, where, named = value
    if type(keys) is not dict or not all(type(item) is str for item in keys.values()) or type(where) is not dict:
        return None
    if not all(type(span) is list and len(span) == 2 and all(type(n) is int and n >= 0 for n in span)
               for span in where.values()):
        return None
    documents: dict[str, bytes] = {}
    if blob is not None and buildcache.digest(blob) == named:
        documents = {uri: blob[offset:offset + length] for uri, (offset, length) in where.items()
                     if offset + length <= len(blob)}
    return SiteState(site, dict(keys), documents)
