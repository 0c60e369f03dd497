#!/usr/bin/env python3
"""Turn a case-study issue's body into a case-study file: python3 scripts/from_issue.py BODY.md."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _project_python import use_project_python

use_project_python()

from coprod.cli.from_issue import main

if __name__ == "__main__":
    sys.exit(main())
