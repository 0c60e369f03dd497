#!/usr/bin/env python3
"""Write every page of the site as plain markdown and data files, for any static-site engine.

    python scripts/export_pages.py --out DIR

DIR becomes a complete docs/ folder: the hand-written pages with citations rendered, and
every generated page and data file, with the same content the MkDocs hooks register.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coprod.export import export


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path, help="folder to write (replaced if it exists)")
    args = parser.parse_args()
    build = export(ROOT, args.out)
    if build.report.errors:
        for problem in build.report.errors:
            print(problem.format())
        print(f"{len(build.report.errors)} error(s); nothing written.")
        return 1
    print(f"Wrote the site's pages to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
