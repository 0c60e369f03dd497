#!/usr/bin/env python3
"""Write a new case study from the schema. Run from the repository root:
python scripts/new_case_study.py (it asks), or with options (--help lists them)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coprod.contribute import new_case_study_main

if __name__ == "__main__":
    sys.exit(new_case_study_main())
