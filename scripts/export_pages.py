#!/usr/bin/env python3
"""Write every page of the site as plain markdown and data files, for any static-site engine,
and finish the site that engine built.

    python scripts/export_pages.py --out DIR        # DIR becomes a complete docs/ folder
    python scripts/export_pages.py --finish SITE    # after the engine built DIR into SITE

--out: the hand-written pages with citations rendered, and every generated page and data
file, with the same content the MkDocs hooks register (the same build, the same checks).
--finish: what the hooks add after rendering, as one pass over the engine's output folder
(coprod/finish.py): sanitised contributed text, citation metadata and descriptions, the
Content-Security-Policy, the Pagefind search index, the business case's PDF, and the check
that every page and file is there.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coprod import site, site_address
from coprod.export import export
from coprod.finish import FinishError, finish_site
from coprod.render import csp


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--out", type=Path, help="folder to write (replaced if it exists)")
    action.add_argument("--finish", type=Path, metavar="SITE_DIR", help="finish the site an engine built from the export")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project (mkdocs.yml, docs/, evidence/); default: this one")
    parser.add_argument("--theme-dir", type=Path, action="append", default=None, metavar="DIR",
                        help="with --finish: a folder of the templates the engine built with (repeat; default: "
                             "the project's overrides/ and Material's); only their inline scripts and styles are allowed")
    args = parser.parse_args()
    root = args.root.resolve()
    start = time.perf_counter()
    config = site.read_site_config(root)
    try:  # SITE_URL / REPO_URL override mkdocs.yml's placeholders, as in the MkDocs build
        print(site_address.apply(config))
    except site_address.AddressError as error:
        print(error)
        return 1
    build = export(root, args.out, config) if args.out else site.build_with_cache(root, config)
    if build.report.errors:
        for problem in build.report.errors:
            print(problem.format())
        print(f"{len(build.report.errors)} error(s); nothing written.")
        return 1
    for line in build.history if args.out else ():  # earlier versions skipped, and why (said once)
        print(line)
    if args.out:
        print(f"Wrote the site's pages to {args.out}")
        return 0
    log = logging.getLogger("coprod.finish")
    log.addHandler(logging.StreamHandler())
    log.setLevel(logging.INFO)
    try:
        theme_dirs = args.theme_dir or [root / "overrides", csp.theme_templates()]
        done = finish_site(args.finish, build, log, theme_dirs)
    except FinishError as error:
        print(f"The site in {args.finish} is not complete:\n{error}")
        return 1
    print(f"Finished {done.pages} pages in {args.finish}: {done.index.pages} in the search index"
          f"{', the business case PDF' if done.pdf else ''}, in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
