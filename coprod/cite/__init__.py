"""Everything the library does with citations, in one package.

- :mod:`.bibtex`: read ``references.bib`` (every good entry kept, every bad one reported
  with its line) and write it back for the download.
- :mod:`.latex`: the one LaTeX-to-Unicode decoder every output uses.
- :mod:`.names`: the one person-name type (one initials rule, one "Family, Given" split)
  and the one month table.
- :mod:`.syntax`: the citation markers of a markdown body (``[@key]``, ``@key``).
- :mod:`.processor`: the CSL processor (citeproc-js, one Node process, with the official
  CSL styles) that renders every human-readable citation from CSL-JSON items.
- :mod:`.references`: author-year labels, marker links and the references, as the
  processor renders them in the site's style (APA 7).
- :mod:`.csl`: BibTeX entries as CSL-JSON.
- :mod:`.formats`: what a citation of a page says, the page as one CSL-JSON item, and the
  files reference managers import (BibTeX, RIS, CSL-JSON).
- :mod:`.head`: what reference managers and search engines read in a page's ``<head>``.

The package has no re-exports: import from the module (``from coprod.cite.references
import References``), which keeps :mod:`coprod.checks.body` (which needs :mod:`.syntax`) free of
an import cycle through :mod:`.bibtex`.
"""
