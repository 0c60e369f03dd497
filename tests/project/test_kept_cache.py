"""The test projects' shared build cache kept from one run to the next (tests/conftest.py's
``_cache_home``, helpers ``copy_files`` and ``keep_for_the_next_run``): only regular files
of a folder no one else may write are carried, a kept folder too large is dropped, and the last run's replaces
the one before whole."""

from __future__ import annotations

from pathlib import Path

from helpers import copy_files, keep_for_the_next_run


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_only_regular_files_are_copied_and_a_link_is_never_followed(tmp_path: Path) -> None:
    source, target, elsewhere = tmp_path / "kept", tmp_path / "run", tmp_path / "elsewhere"
    (source / "packs").mkdir(parents=True)
    (source / "packs" / "citations").write_bytes(b"pack")
    elsewhere.mkdir()
    (elsewhere / "secret").write_text("not the cache's", encoding="utf-8")
    (source / "linked-file").symlink_to(elsewhere / "secret")
    (source / "linked-folder").symlink_to(elsewhere, target_is_directory=True)
    assert copy_files(source, target)
    assert _tree(target) == {"packs/citations": b"pack"}
    assert not copy_files(source / "linked-folder", tmp_path / "other")  # a link is not a kept folder
    assert not copy_files(tmp_path / "missing", tmp_path / "other")
    source.chmod(0o777)  # anyone may write it: nothing in it is carried into a folder the build trusts
    assert not copy_files(source, tmp_path / "other")
    assert not (tmp_path / "other").exists()


def test_a_kept_folder_over_its_limit_is_dropped(tmp_path: Path) -> None:
    source = tmp_path / "kept"
    source.mkdir()
    (source / "pdf").write_bytes(b"x" * 1000)
    assert not copy_files(source, tmp_path / "run", limit=999)
    assert not source.exists() and not (tmp_path / "run").exists()


def test_the_last_run_replaces_the_kept_folder_whole(tmp_path: Path) -> None:
    kept = tmp_path / "cache" / "kept"
    first, second = tmp_path / "first", tmp_path / "second"
    (first / "packs").mkdir(parents=True)
    (first / "packs" / "checks").write_bytes(b"one")
    (first / "gone").write_bytes(b"only the first run had it")
    (second / "packs").mkdir(parents=True)
    (second / "packs" / "checks").write_bytes(b"two")
    keep_for_the_next_run(first, kept)
    assert _tree(kept) == {"gone": b"only the first run had it", "packs/checks": b"one"}
    keep_for_the_next_run(second, kept)
    assert _tree(kept) == {"packs/checks": b"two"}
    assert sorted(p.name for p in kept.parent.iterdir()) == ["kept"]  # no half-made folder left beside it
