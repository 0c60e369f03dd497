"""Validation: every check of one file (declared in registry.py) and across files, and the one way from a folder to the model (library.py)."""
