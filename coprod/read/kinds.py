"""The kinds of record, the statuses that make one public, the default licence: written here once.

The lowest layer holds them so every other module (reader, checker, model, pages, exports)
can import them without reaching upward. A record kind's key is how the code, the schema
files and the data export name it; its folder is where its files live under ``evidence/``;
its singular and plural are the words pages use for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .words import counted


@dataclass(frozen=True)
class Kind:
    key: str  # "case-study": the records' kind in the code, the schema and the export
    folder: str  # "case-studies": the folder of its files under evidence/ (its pages' folder is in coprod.read.urls)
    singular: str  # "case study"
    plural: str  # "case studies"
    schema: str  # the schema's file name in evidence/schema/

    def counted(self, number: int) -> str:
        """'1 case study', '3 case studies'."""
        return counted(number, self.singular, self.plural)

    @property
    def title(self) -> str:
        """'Case study': the singular as a heading starts it."""
        return self.singular.capitalize()


CASE_STUDY = Kind("case-study", "case-studies", "case study", "case studies", "case-study.schema.json")
CLAIM = Kind("claim", "claims", "claim", "claims", "claim.schema.json")
KINDS: dict[str, Kind] = {kind.key: kind for kind in (CASE_STUDY, CLAIM)}  # in the order pages list them
SINGULARS = tuple(kind.singular for kind in KINDS.values())  # a record's kind as pages and citations name it

# a record with one of these statuses has a public page (a retracted one keeps its page, marked);
# any other status (a draft) is read and checked but not published
CURRENT = "published"  # public and not retracted: what the counts, charts and newest lists count
PUBLIC_STATUSES = (CURRENT, "retracted")


class Records:
    """What the checked evidence and the model share: the records of each kind, by id, in file
    order, and which of them are public. Written once here for both."""

    case_studies: dict
    claims: dict

    def records(self, kind: str) -> dict:
        """The records of one kind (a key of ``KINDS``), drafts included."""
        return self.case_studies if kind == CASE_STUDY.key else self.claims

    def published(self, kind: str = CASE_STUDY.key) -> list:
        """Published and retracted records (a retracted page stays online), in file order."""
        return [r for r in self.records(kind).values() if r.status in PUBLIC_STATUSES]

    def every_published(self) -> list:
        """The published records of every kind: case studies, then claims, each in file order."""
        return [r for kind in KINDS for r in self.published(kind)]

    def current(self, kind: str = CASE_STUDY.key) -> list:
        """Published and not retracted: the records the counts and charts count, in file order."""
        return [r for r in self.records(kind).values() if r.status == CURRENT]

# the licence of a record that names none; the schema's ``licence`` default says the same
# (evidence/schema/common.schema.json), and a test holds the two together
DEFAULT_LICENCE = "CC-BY-4.0"
