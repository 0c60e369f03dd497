#!/usr/bin/env python3
"""Check the evidence folder. Run from the repository root: python scripts/validate.py [--strict]."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coprod.validate_cli import main

if __name__ == "__main__":
    main()
