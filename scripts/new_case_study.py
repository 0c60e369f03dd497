#!/usr/bin/env python3
"""Write a new case study from the schema. Run from the repository root:
python3 scripts/new_case_study.py (it asks), or with options (--help lists them)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _project_python import use_project_python

use_project_python()

from coprod.cli.scaffold import main

if __name__ == "__main__":
    sys.exit(main())
