"""Validation: every check of one file and across files, and the report of problems a contributor reads."""
