"""Everything the library does with citations, in one package.

- :mod:`.bibtex`: read ``references.bib`` (every good entry kept, every bad one reported
  with its line) and write it back for the download.
- :mod:`.latex`: the one LaTeX-to-Unicode decoder every output uses.
- :mod:`.names`: the one person-name type (one initials rule, one "Family, Given" split)
  and the one month table.
- :mod:`.syntax`: the citation markers of a markdown body (``[@key]``, ``@key``).
- :mod:`.references`: author-year labels, marker links, and references formatted close
  to APA 7, written straight as HTML.
- :mod:`.csl`: BibTeX entries as CSL-JSON.
- :mod:`.formats`: "Cite this page" in six formats.
- :mod:`.head`: what reference managers and search engines read in a page's ``<head>``.

The package has no re-exports: import from the module (``from coprod.cite.references
import References``), which keeps :mod:`coprod.checks.body` (which needs :mod:`.syntax`) free of
an import cycle through :mod:`.bibtex`.
"""
