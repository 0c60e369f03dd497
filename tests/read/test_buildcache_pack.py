"""coprod.read.buildcache's packs: a pack shared by several working trees (the rendered
citations) keeps what the other trees used, up to a bound, and the shared folder is used
only where the tree's own would be."""

from __future__ import annotations

from pathlib import Path

from coprod.read import buildcache


def test_a_shared_pack_keeps_what_other_builds_used_up_to_its_bound(tmp_path: Path) -> None:
    buildcache.Pack(tmp_path, "citations").save({"a": 1, "b": 2})
    buildcache.Pack(tmp_path, "citations").save({"c": 3}, keep_earlier=1)  # another tree, since
    assert buildcache.decode((tmp_path / "packs" / "citations").read_bytes()) == {"c": 3, "a": 1}
    later = buildcache.Pack(tmp_path, "citations")
    assert later.get("c") == 3 and later.get("a") == 1 and later.get("b") is None
    later.save({"a": 1}, keep_earlier=5)
    assert buildcache.decode((tmp_path / "packs" / "citations").read_bytes()) == {"a": 1, "c": 3}
    later.save({"d": 4})  # the tree's own packs keep only what the build used
    assert buildcache.decode((tmp_path / "packs" / "citations").read_bytes()) == {"d": 4}


def test_the_shared_folder_follows_the_rules_of_a_trees_own(tmp_path: Path, monkeypatch) -> None:
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.setenv("COPROD_CACHE_HOME", str(tmp_path / "home"))
    shared = buildcache.shared(project)
    assert shared.parent == tmp_path / "home" and shared.name == "shared" and (shared.stat().st_mode & 0o777) == 0o700
    assert buildcache.folder(project) != shared
    shared.chmod(0o777)
    assert buildcache.shared(project) is None, "a folder anyone may write is not a cache of this user"
    monkeypatch.setenv("COPROD_CACHE_HOME", str(project / ".cache"))
    assert buildcache.shared(project) is None, "a cache folder inside the working tree is not used"
    monkeypatch.setenv("COPROD_CACHE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COPROD_NO_CACHE", "1")
    assert buildcache.shared(project) is None
