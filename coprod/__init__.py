"""The core of the Co-production Evidence Library.

Plain Python, importable without MkDocs: it reads the evidence folder strictly, checks it,
and (later) renders pages and data files from it. The MkDocs hooks and the scripts are thin
adapters around this package.
"""

from __future__ import annotations

__version__ = "0.1.0"
