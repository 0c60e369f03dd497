"""The facts coprod.read.kinds writes once agree with the schema and the folders they name."""

from __future__ import annotations

from pathlib import Path

from helpers import FIXTURES, ROOT, make_evidence

from coprod.checks.library import load as load_library
from coprod.read.kinds import CASE_STUDY, CLAIM, DEFAULT_LICENCE, KINDS, PUBLIC_STATUSES, SINGULARS
from coprod.read.problems import Report
from coprod.read.schema import load_schemas
from coprod.read.words import counted, plural

SCHEMA_DIR = ROOT / "evidence" / "schema"


def test_each_kind_has_its_schema_and_its_folder() -> None:
    schemas = load_schemas(SCHEMA_DIR)
    for kind in KINDS.values():
        assert (SCHEMA_DIR / kind.schema).is_file(), kind.schema
        assert schemas[kind.key].kind == kind.key
        assert (ROOT / "evidence" / kind.folder).is_dir() and (FIXTURES / "evidence" / kind.folder).is_dir()


def test_public_statuses_and_default_licence_are_the_schemas() -> None:
    schemas = load_schemas(SCHEMA_DIR)
    for kind in KINDS.values():
        status = schemas[kind.key].field_schema(("status",))
        assert set(PUBLIC_STATUSES) < set(status["enum"]), "a public status the schema does not allow"
        assert schemas[kind.key].field_schema(("licence",))["default"] == DEFAULT_LICENCE


def test_one_plural_rule() -> None:
    assert [counted(n, "reference") for n in (0, 1, 2)] == ["0 references", "1 reference", "2 references"]
    assert [CASE_STUDY.counted(n) for n in (1, 3)] == ["1 case study", "3 case studies"]
    assert CLAIM.counted(1) == "1 claim" and CLAIM.counted(0) == "0 claims"
    assert [plural(n, "entry has", "entries have") for n in (0, 1, 2)] == ["entries have", "entry has", "entries have"]


def test_the_words_pages_use_for_a_kind() -> None:
    assert [kind.title for kind in KINDS.values()] == ["Case study", "Claim"]
    assert SINGULARS == ("case study", "claim")


def test_every_published_record_is_case_studies_then_claims(tmp_path: Path) -> None:
    library = load_library(make_evidence(tmp_path), Report())
    assert library is not None
    every = library.every_published()
    assert every == [*library.published(CASE_STUDY.key), *library.published(CLAIM.key)]
    assert {r.kind for r in every} == set(KINDS), "the fixtures publish a record of each kind"
    assert [r.kind for r in every] == sorted((r.kind for r in every), key=list(KINDS).index)
