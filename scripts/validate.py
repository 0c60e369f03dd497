#!/usr/bin/env python3
"""Check the evidence folder. Run from the repository root: python3 scripts/validate.py [--strict]."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _project_python import use_project_python

use_project_python()

from coprod.cli.validate import main

if __name__ == "__main__":
    main()
