"""mkdocs serve: the edited case study's page first, the rest of the site after it.

MkDocs builds the whole site again on every saved change: with ``--dirty`` it writes only
the files whose inputs changed (coprod/rebuild.py), but it still loads the config and the
theme, lists every file, builds the navigation and the sitemap, and the hooks make every
generated page again to find out which changed; its server holds every request until
that build ends. At 1,000 case studies MkDocs' own dirty rebuild of plain pages can take
over a second (``scripts/benchmark_serve.py --floor``), and this site's takes several.

So, while serving with ``--dirty`` (what ``dev.py serve`` runs), each rebuild first looks at
what was saved. When it is only case-study files that the last build published, each
passing its own checks, the edited pages are made and rendered at once,
through MkDocs' own page functions, with the config, theme, files and navigation the last
build left in memory; they are served and the browsers reload. Then the whole build runs
as before (the pages that list the case study, the exports, the search index), serving
meanwhile what is there (a file read the moment it is rewritten may come half-written),
and the browsers reload again when it ends. The page made first
is the page the whole build writes (a test compares them). An edited file with an error,
a reference missing from references.bib, a changed id or status, or any other change (a
new file, references.bib, taxonomy.yml, a page in docs/, mkdocs.yml, the theme) goes
straight to the whole build, which shows the errors or the change; an error only the
checks across files find shows when the whole build ends, as before.

It relies on three attributes of MkDocs' LiveReloadServer (``_epoch_cond``,
``_wanted_epoch``, ``_visible_epoch``: which version of the site is served, and when the
browsers reload); where they are missing, every rebuild is whole, as before. Without
``--dirty`` every rebuild empties the site first, so nothing may be served during it.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.evidence")

Snapshot = dict[str, tuple[int, int]]  # path -> (mtime in ns, size)


def snapshot(roots: list[Path]) -> Snapshot:
    """The modification time and size of every file under ``roots`` (files or folders)."""
    found: Snapshot = {}
    for root in roots:
        if root.is_file():
            stat = root.stat()
            found[str(root)] = (stat.st_mtime_ns, stat.st_size)
            continue
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def changed(before: Snapshot, after: Snapshot) -> list[Path]:
    """The files added, removed or changed between two snapshots."""
    return sorted(Path(p) for p in set(before) | set(after) if before.get(p) != after.get(p))


def _can_reload(server) -> bool:
    return all(hasattr(server, name) for name in ("_epoch_cond", "_wanted_epoch", "_visible_epoch"))


class EditFirst:
    """The builder MkDocs' server calls on each change: the edited pages first
    (``preview``, which returns whether it wrote them), then the whole ``builder``."""

    def __init__(self, server, builder, roots: list[Path], preview) -> None:
        self.server, self.builder, self.roots, self.preview = server, builder, roots, preview
        self.seen = snapshot(roots)
        self.enabled = _can_reload(server)

    def __call__(self, config=None) -> None:
        now = snapshot(self.roots)
        edited, self.seen = changed(self.seen, now), now  # taken before the build reads anything
        shown = False
        if self.enabled and edited:
            start = time.perf_counter()
            try:
                shown = self.preview(edited)
            except Exception as error:  # noqa: BLE001 - the whole build follows, and reports what is wrong
                log.debug(f"No preview of the edited page: {type(error).__name__}: {error}")
            if shown:
                self._show()  # the server answers again, the browsers reload: the edited page is there
                log.info(f"Edited page served in {time.perf_counter() - start:.2f} s; the rest of the site follows")
        self.builder(config) if config is not None else self.builder()
        if shown:  # the pages that list it changed too: reload once more, now that they are written
            with self.server._epoch_cond:
                self.server._wanted_epoch = _timestamp()

    def _show(self) -> None:
        with self.server._epoch_cond:
            self.server._visible_epoch = self.server._wanted_epoch
            self.server._epoch_cond.notify_all()


def _timestamp() -> int:
    return round(time.monotonic() * 1000)  # as MkDocs' livereload counts its epochs
