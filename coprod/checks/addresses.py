"""No record, alias, term or country takes an address the build generates (issue 26).

A case study's id or alias, a claim's, a taxonomy term's key and a country's slug each name
a page in a folder where the build writes pages of its own: the folder's ``index`` and, in
``case-studies``, the catalogue's ``page/``. A value that takes one of those names ended the
build in a traceback ("two generated pages") or, as an alias, redirected the catalogue's
pagination elsewhere. The names come from :func:`coprod.read.urls.reserved_names`, where
the addresses are defined; the folders from the schema's ``x-folder`` annotations.
"""

from __future__ import annotations

import posixpath

from ..model.fieldmap import field_map
from ..read import urls
from ..read.kinds import KINDS
from ..read.problems import Report
from ..read.source import dotted


def check_addresses(evidence, report: Report) -> None:
    """Report every id, alias, term key and derived slug that takes a generated address."""
    for kind in KINDS:
        folder = posixpath.dirname(urls.RECORD_ADDRESS[kind]("x"))
        reserved = urls.reserved_names(folder)
        taken = ", ".join(sorted(reserved))
        for record in evidence.records(kind).values():
            source = record.source
            values = [(("id",), record.data.get("id"), "id")]
            aliases = record.data.get("aliases")
            values += [(("aliases", i), alias, "alias") for i, alias in enumerate(aliases if isinstance(aliases, list) else [])]
            for path, value, what in values:
                if isinstance(value, str) and value in reserved:
                    report.error(source.path, source.line_of(path), dotted(path),
                                 f"{what} '{value}' takes the address /{folder}/{value}/, which is the site's own",
                                 f"choose another {what}: {taken} cannot be used in /{folder}/")
        schema = evidence.schemas.get(kind)
        for annotated in schema.annotated if schema is not None else []:
            folder = annotated.annotations.get("x-folder")
            if not folder or annotated.annotations.get("x-vocabulary"):
                continue  # a vocabulary's terms are checked in the taxonomy below
            reserved = urls.reserved_names(folder)
            for record in evidence.records(kind).values():
                for path, value in annotated.values(record.data):
                    name = urls.slug(value) if isinstance(value, str) else str(value)
                    if name in reserved:
                        report.error(record.source.path, record.source.line_of(path), dotted(path),
                                     f"'{value}' would be shown at /{folder}/{name}/, which the site uses for "
                                     f"its list of {folder}", "write the name in full")
    try:
        folders = field_map(evidence.schemas).folders
    except Exception:  # noqa: BLE001 - a broken schema is reported where it is loaded
        return
    taxonomy = evidence.taxonomy
    for name, vocab in taxonomy.vocabularies.items():
        folder = folders.get(name)
        if not folder:
            continue
        reserved = urls.reserved_names(folder)
        for key, term in vocab.terms.items():
            if key in reserved:
                report.error(taxonomy.path, term.line, f"{name}.terms.{key}.key",
                             f"the key '{key}' takes the address /{folder}/{key}/, which the site uses "
                             f"for the list of {name}", "choose another key")
