"""The whole pull request is untrusted: the checks of the files beside the evidence.

A pull request can change any file, not only ``evidence/``. What the build reads or copies
is checked here with the same care as evidence:

- **no symbolic link** anywhere in ``evidence/``, ``docs/``, ``overrides/`` or ``mkdocs.yml``
  (:func:`find_links`): a link could publish any file of the build machine, or make MkDocs
  walk the whole disk (it walks ``docs/`` following links). Each is reported with its path
  and where it points, read with ``readlink``: nothing is read through a link, and no folder
  behind one is walked;
- **static files of allowed types only** in ``docs/`` (:func:`check_static_files`): pages,
  images, PDFs, fonts and text; the site's own scripts and stylesheets only in their two
  folders; nothing that runs script in the site's origin when opened (SVG, HTML, XML);
- **hand-written pages** (``docs/**/*.md``) are checked for raw HTML, event handlers and
  script links by the one check that reads case-study bodies
  (:func:`coprod.checks.body.check_body`);
- **no committed build cache** (:func:`check_committed_cache`): ``.cache/`` tracked by git.

:func:`check_project` runs all of these but the evidence folder's links (which
:func:`coprod.checks.evidence.load_evidence` reports as it loads). It returns whether the
folders an engine walks (docs and the theme's overrides) are free of links: when they are
not, the build stops before MkDocs walks them.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

from ..read import urls
from ..read.problems import Report

LINK_HINT = "commit the file itself, not a symbolic link"

PAGE_TYPES = frozenset({".md"})
STATIC_TYPES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".pdf", ".woff2", ".woff", ".txt"})
"""Static files anyone may add under docs/: none of them can run script when opened."""
OWN_CODE = {"assets/javascripts": frozenset({".js"}), "assets/stylesheets": frozenset({".css"})}
"""The folders of docs/ that hold the site's own scripts and stylesheets (listed in
mkdocs.yml or loaded by the pages we generate), and the types each may hold."""
ACTIVE_TYPES = {
    ".svg": "an SVG image runs the script it holds when opened, in the site's origin",
    ".svgz": "an SVG image runs the script it holds when opened, in the site's origin",
    ".html": "an HTML file is a page of the site that runs its own scripts",
    ".htm": "an HTML file is a page of the site that runs its own scripts",
    ".xhtml": "an XHTML file is a page of the site that runs its own scripts",
    ".xht": "an XHTML file is a page of the site that runs its own scripts",
    ".xml": "an XML file can hold XHTML or SVG that runs script when opened",
    ".xsl": "a stylesheet for XML can run script when a page uses it",
    ".xslt": "a stylesheet for XML can run script when a page uses it",
}
_ACTIVE_HINT = {".svg": "export it as PNG or WebP", ".svgz": "export it as PNG or WebP"}


def _quoted(text: str) -> str:
    """``text`` in quotes with every control and non-ASCII character escaped (a link's
    target is a stranger's text: it must not add a line to a log)."""
    return json.dumps(text)


def walk(folder: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """(regular files, symbolic links, other things such as pipes) under ``folder``, never
    following a link and never entering a linked folder. One pass, no recursion."""
    files: list[Path] = []
    links: list[Path] = []
    other: list[Path] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink():
                links.append(path)
            elif entry.is_dir(follow_symlinks=False):
                pending.append(path)
            elif entry.is_file(follow_symlinks=False):
                files.append(path)
            else:
                other.append(path)
    return sorted(files), sorted(links), sorted(other)


def report_link(link: Path, report: Report, show: Callable[[Path], str]) -> None:
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    report.error(show(link), 0, "file", f"a symbolic link (to {_quoted(target)}) is not allowed: the build neither "
                 "reads nor copies what a link points to", LINK_HINT)


def find_links(folder: Path, report: Report, show: Callable[[Path], str]) -> set[Path]:
    """Report every symbolic link in or under ``folder`` (and ``folder`` itself if it is one,
    then nothing under it is walked), and every file that is neither a regular file nor a
    folder. Returns the links and such files found."""
    folder = Path(folder)
    if folder.is_symlink():
        report_link(folder, report, show)
        return {folder}
    if not folder.is_dir():
        return set()
    _, links, other = walk(folder)
    for link in links:
        report_link(link, report, show)
    for path in other:
        report.error(show(path), 0, "file", "not a regular file (a pipe, socket or device)", "commit a regular file")
    return {*links, *other}


def check_static_files(docs: Path, report: Report, show: Callable[[Path], str]) -> None:
    """Every file under ``docs`` is a page or a static file of an allowed type."""
    files, _, _ = walk(docs)
    for path in files:
        relative = path.relative_to(docs).as_posix()
        if any(part.startswith(".") for part in relative.split("/")):
            continue  # MkDocs leaves out dotfiles (exclude_docs), so they are never served
        suffix = path.suffix.lower()
        folder = relative.rsplit("/", 1)[0] if "/" in relative else ""
        if suffix in PAGE_TYPES or suffix in STATIC_TYPES or suffix in OWN_CODE.get(folder, ()):
            continue
        if suffix in ACTIVE_TYPES:
            report.error(show(path), 0, "file", f"{suffix[1:].upper()} files are not allowed in the site: "
                         f"{ACTIVE_TYPES[suffix]}", _ACTIVE_HINT.get(suffix, "remove it; write the page in markdown"))
        elif any(suffix in types for types in OWN_CODE.values()):
            where = next(f for f, types in OWN_CODE.items() if suffix in types)
            report.error(show(path), 0, "file", f"{suffix[1:]} files belong in docs/{where}/ only (the site's own)",
                         "move it there if the site's pages load it, else remove it")
        else:
            kinds = ", ".join(sorted(t[1:] for t in STATIC_TYPES))
            report.error(show(path), 0, "file", f"files of type '{suffix or path.name}' are not served by the site",
                         f"pages are .md files; other files may be {kinds}")


def check_pages(docs: Path, report: Report, show: Callable[[Path], str]) -> None:
    """Raw HTML, event handlers and script links in the hand-written pages: the check that
    reads case-study bodies (the site's own classes are allowed: no sanitiser runs on these
    pages, and the home page's placeholder for its live part is ours)."""
    from . import body

    files, _, _ = walk(docs)
    for path in files:
        if path.suffix.lower() != ".md":
            continue
        try:
            text = path.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            continue
        if path.relative_to(docs).as_posix() == "index.md":
            text = text.replace(urls.HOME_STATS, " " * len(urls.HOME_STATS), 1)
        body.check_body(text.replace("\r\n", "\n"), report, show(path), 1, own_page=True)


def check_committed_cache(root: Path, report: Report, show: Callable[[Path], str]) -> None:
    """A ``.cache/`` folder tracked by git is an error: the build's cache is never part of
    the repository (the build never reads one from the working tree either)."""
    try:
        listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z", "--", ".cache"], capture_output=True,
                                timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return  # no git: nothing is committed
    if listed.returncode != 0:
        return  # not a repository
    for name in sorted(n for n in listed.stdout.decode("utf-8", "replace").split("\0") if n)[:20]:
        report.error(show(root / name), 0, "file", "the build's cache is committed: a cache is never part of "
                     "the repository, and the build never reads one from the working tree",
                     "remove it with `git rm -r --cached .cache`")


def site_config(root: Path) -> dict:
    """mkdocs.yml as plain data (it holds no tags), never through a link; {} if unreadable."""
    import yaml

    path = Path(root) / "mkdocs.yml"
    if not is_regular_file(path):
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def project_folders(root: Path, config: Mapping) -> tuple[Path, Path | None]:
    """The docs folder and the theme's overrides folder that ``config`` (mkdocs.yml) names."""
    docs = Path(str(config.get("docs_dir") or "docs"))
    theme = config.get("theme")
    # MkDocs' Theme has it as an attribute (and is a Mapping without it); mkdocs.yml read as data, as a key
    custom = getattr(theme, "custom_dir", None) or (theme.get("custom_dir") if isinstance(theme, Mapping) else None)
    custom_dir = Path(custom) if custom else None
    return (docs if docs.is_absolute() else root / docs), \
        (custom_dir if custom_dir is None or custom_dir.is_absolute() else root / custom_dir)


def check_project(root: Path, config: Mapping, report: Report, docs: Path | None = None) -> bool:
    """Every check of this module for the project in ``root`` but the evidence folder's
    links. Returns False when an engine must not walk the docs or overrides folder."""
    root = Path(root)
    base = root.resolve()

    def show(path: Path) -> str:
        try:
            return Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(root))).as_posix()
        except ValueError:
            return path.as_posix()

    docs_dir, custom_dir = project_folders(root, config)
    docs_dir = docs if docs is not None else docs_dir
    walkable = True
    config_file = root / "mkdocs.yml"
    if config_file.is_symlink():
        report_link(config_file, report, show)
        walkable = False
    inside = {}
    for folder in (docs_dir, custom_dir):
        if folder is None or not (folder.is_dir() or folder.is_symlink()):
            continue
        inside[folder] = folder.is_symlink() or folder.resolve().is_relative_to(base)
        if not inside[folder]:
            report.error(show(folder), 0, "mkdocs.yml", "the folder is outside the project",
                         "keep docs_dir and theme.custom_dir inside the repository")
            walkable = False
            continue
        if find_links(folder, report, show):
            walkable = False
    if inside.get(docs_dir) and docs_dir.is_dir() and not docs_dir.is_symlink():  # links are skipped, not walked
        check_static_files(docs_dir, report, show)
        check_pages(docs_dir, report, show)
    check_committed_cache(root, report, show)
    return walkable


def is_regular_file(path: Path) -> bool:
    """Whether ``path`` is a regular file itself, not a link to one."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def behind_link(path: Path, roots: list[Path]) -> bool:
    """Whether ``path``, under one of ``roots``, is a symbolic link or lies in a linked folder
    (a file of the installed theme, under no root, is not)."""
    root = next((r for r in roots if path.is_relative_to(r)), None)
    if root is None:
        return False
    parts = path.relative_to(root).parts
    return any(root.joinpath(*parts[:i + 1]).is_symlink() for i in range(len(parts)))
