"""Everything in a pull request is untrusted, not only evidence/ (issue 26, items 1-3).

Each class of attack the review found, made at run time in a temporary copy of the project
(symbolic links and cache files are never committed), against the real validator and the
real MkDocs build:

- code from the build cache: a pickle that runs a command, committed as ``.cache/coprod/``
  or written where the cache lives, is never run; JSON entries of the wrong shape are a miss;
  a committed ``.cache/`` is an error (coprod/read/buildcache.py, coprod/checks/cachedata.py);
- local files published: a symbolic link anywhere in what the build reads is refused with
  where it points, nothing behind it is read, printed or copied, and the build stops before
  MkDocs walks a linked folder (coprod/checks/tree.py);
- active files served: SVG, HTML and XML files under docs/ are refused (tests/fixtures/hostile/files);
- the page policy: raw HTML in a hand-written page is refused by the body check, and an
  inline script no template writes fails the build (coprod/render/csp.py).
"""

from __future__ import annotations

import base64
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import FIXTURES, ROOT, make_evidence, make_project, mkdocs_build

from coprod import rebuild
from coprod.checks import cachedata, tree
from coprod.checks import evidence as evidence_module
from coprod.checks.evidence import check_record_file
from coprod.checks.reference_fields import load_references
from coprod.read import buildcache
from coprod.read.problems import Report
from coprod.rebuild import SiteState
from coprod.render import csp
from coprod.render.packed import pack

HOSTILE_FILES = FIXTURES / "hostile" / "files"
SECRET = "zq-secret-line: root:x:0:0 AWS_SECRET_ACCESS_KEY=zqsecret"
WALK_BOUND = 120  # seconds: the build of the fixture takes seconds; following ../../.. took over 300


def validate(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), "evidence"], cwd=project,
                          capture_output=True, text=True, timeout=300, check=False)


def _secret(tmp_path: Path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n" + "/case-studies/zq-secret-address/\n", encoding="utf-8")
    return secret


def _site_holds(site: Path, text: str) -> list[str]:
    if not site.is_dir():
        return []
    return [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and text.encode() in p.read_bytes()]


def _link_line(path: str, target: str) -> str:
    return (f"{path}: file: a symbolic link (to {json.dumps(target)}) is not allowed: the build neither reads nor "
            "copies what a link points to (commit the file itself, not a symbolic link)")


# --------------------------------------------------------------------------- symbolic links


def test_every_symbolic_link_is_refused_with_where_it_points(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    secret = _secret(tmp_path)
    images = project / "docs" / "assets" / "images"
    images.mkdir(parents=True)
    links = {
        "docs/assets/images/diagram.png": "/etc/passwd",
        "docs/assets/images/environment.png": "/proc/self/environ",
        "docs/assets/images/notes.txt": str(secret),
        "docs/assets/images/gallery": "../../..",
        "docs/contribute/linked.md": str(secret),
        "evidence/published-urls.txt": str(secret),
        "evidence/schema/extra.schema.json": str(secret),
        "overrides/partials/footer.html": str(secret),
    }
    (project / "evidence" / "published-urls.txt").unlink(missing_ok=True)
    for name, target in links.items():
        (project / name).symlink_to(target)
    result = validate(project)
    assert result.returncode == 1, result.stdout
    for name, target in links.items():
        assert _link_line(name, target) in result.stdout, f"{name} not refused:\n{result.stdout}"
    assert "zq-secret" not in result.stdout + result.stderr, "the validator printed a file it reached through a link"
    assert "Traceback" not in result.stdout + result.stderr


def test_the_build_stops_before_mkdocs_walks_a_linked_folder(tmp_path: Path) -> None:
    """MkDocs walks docs/ following links: a link to ../../.. listed the whole disk (4.5 GB,
    killed at 300 s). The build must stop first, quickly, naming the link."""
    project = make_project(tmp_path)
    (project / "docs" / "assets" / "images").mkdir(parents=True)
    (project / "docs" / "assets" / "images" / "gallery").symlink_to("../../..")
    start = time.monotonic()
    try:
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                                env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True,
                                timeout=WALK_BOUND, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build followed the link: still running after {WALK_BOUND} s")
    seconds = time.monotonic() - start
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert _link_line("docs/assets/images/gallery", "../../..") in output
    assert "Traceback" not in output
    assert not (project / "site").exists() or not any((project / "site").rglob("*.md")), "pages were copied"
    print(f"\nthe build stopped in {seconds:.1f} s")


def test_mkdocs_serve_stops_too(tmp_path: Path) -> None:
    """serve shows evidence errors in the browser, which needs MkDocs to walk docs/: a link stops it instead."""
    import socket

    project = make_project(tmp_path)
    (project / "docs" / "assets" / "images").mkdir(parents=True)
    (project / "docs" / "assets" / "images" / "gallery").symlink_to("../../..")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    try:
        result = subprocess.run([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                                env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True,
                                timeout=WALK_BOUND, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"mkdocs serve did not stop within {WALK_BOUND} s")
    assert result.returncode != 0
    assert _link_line("docs/assets/images/gallery", "../../..") in result.stdout + result.stderr


def test_the_build_publishes_and_prints_nothing_through_a_link(tmp_path: Path) -> None:
    """A linked image was copied into the site (the password file, the build's environment);
    a linked published-urls.txt was printed line by line into the CI log."""
    project = make_project(tmp_path)
    secret = _secret(tmp_path)
    images = project / "docs" / "assets" / "images"
    images.mkdir(parents=True)
    (images / "diagram.png").symlink_to(secret)
    (images / "environment.png").symlink_to("/proc/self/environ")
    (project / "evidence" / "published-urls.txt").unlink(missing_ok=True)
    (project / "evidence" / "published-urls.txt").symlink_to(secret)
    (project / "overrides" / "assets").mkdir()
    (project / "overrides" / "assets" / "logo.png").symlink_to(secret)  # the theme's files are copied too
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "zq-secret" not in result.stdout, "the build printed a file it reached through a link"
    assert _link_line("evidence/published-urls.txt", str(secret)) in result.stdout
    assert _link_line("overrides/assets/logo.png", str(secret)) in result.stdout
    assert _site_holds(project / "site", "zq-secret") == []
    assert _site_holds(project / "site", "PATH=") == [], "the build's environment was published"


def test_the_hook_refuses_a_file_behind_a_link_that_mkdocs_listed(tmp_path: Path) -> None:
    """A link made after the check (between on_config and MkDocs' walk) is refused in on_files."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files

    from coprod import mkdocs_build

    docs, elsewhere = tmp_path / "docs", tmp_path / "elsewhere"
    (docs / "assets").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "a.md").write_text("# a\n", encoding="utf-8")
    (docs / "index.md").write_text("# home\n", encoding="utf-8")
    (docs / "assets" / "linked").symlink_to(elsewhere)
    (docs / "passwd.png").symlink_to("/etc/passwd")
    config = MkDocsConfig()
    config.load_dict({"site_name": "t", "docs_dir": str(docs), "site_dir": str(tmp_path / "site")})
    assert not config.validate()[0]
    files = Files([File(name, str(docs), str(tmp_path / "site"), True)
                   for name in ("index.md", "assets/linked/a.md", "passwd.png")])
    assert mkdocs_build.files_through_links(files, config) == ["assets/linked/a.md", "passwd.png"]


def test_the_shipped_project_has_no_problem_of_its_files() -> None:
    """The repository's own docs/, overrides/ and mkdocs.yml pass the checks (a check that
    refused our own pages would be switched off)."""
    report = Report()
    assert tree.check_project(ROOT, tree.site_config(ROOT), report) is True
    assert [p.format() for p in report.problems] == []


# --------------------------------------------------------------------------- active files, raw HTML


def test_active_files_and_foreign_scripts_are_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    shutil.copytree(HOSTILE_FILES / "docs", project / "docs", dirs_exist_ok=True)
    images = project / "docs" / "assets" / "images"
    (images / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (images / "photo.webp").write_bytes(b"RIFF\0\0\0\0WEBP")
    result = validate(project)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("docs/assets/images/")]
    assert lines == [
        ("docs/assets/images/diagram.svg: file: SVG files are not allowed in the site: an SVG image runs the script"
         " it holds when opened, in the site's origin (export it as PNG or WebP)"),
        ("docs/assets/images/feed.xml: file: XML files are not allowed in the site: an XML file can hold XHTML or SVG"
         " that runs script when opened (remove it; write the page in markdown)"),
        ("docs/assets/images/gallery.html: file: HTML files are not allowed in the site: an HTML file is a page of the"
         " site that runs its own scripts (remove it; write the page in markdown)"),
        ("docs/assets/images/helper.js: file: js files belong in docs/assets/javascripts/ only (the site's own)"
         " (move it there if the site's pages load it, else remove it)"),
    ], result.stdout
    built = mkdocs_build(project)
    assert built.returncode != 0 and "diagram.svg: file: SVG files are not allowed" in built.stdout
    assert _site_holds(project / "site", "XSS") == []


def test_raw_html_in_a_hand_written_page_is_refused_at_its_line(tmp_path: Path) -> None:
    """One <script> line in docs/contribute/guide.md ran on the site: the page policy hashed it."""
    project = make_project(tmp_path)
    guide = project / "docs" / "contribute" / "guide.md"
    before = guide.read_text(encoding="utf-8")
    added = (HOSTILE_FILES / "page-lines.md").read_text(encoding="utf-8")
    guide.write_text(before + added, encoding="utf-8")
    result = validate(project)
    assert result.returncode == 1
    offset = len(before.splitlines())
    hostile = {offset + n for n, line in enumerate(added.splitlines(), start=1) if "XSS" in line}
    reported = {int(n) for n in re.findall(r"^docs/contribute/guide\.md:(\d+): body: ", result.stdout, re.MULTILINE)}
    missed = sorted(hostile - reported)
    assert len(hostile) >= 7 and not missed, f"not reported: {missed}\n{result.stdout}"
    built = mkdocs_build(project)
    assert built.returncode != 0 and "docs/contribute/guide.md" in built.stdout
    assert _site_holds(project / "site", 'alert("XSS guide")') == []


def test_a_script_no_template_writes_fails_on_a_built_page(site_dir: Path) -> None:
    """The policy of a real built page, computed from the templates: the page as built
    passes, the same page with one more inline script or style is refused by name."""
    page = (site_dir / "contribute" / "guide" / "index.html").read_text(encoding="utf-8")
    page = re.sub(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">', "", page)
    known = csp.known_in([ROOT / "overrides", csp.theme_templates()])
    assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in csp.policy(page, known)
    for added, shown in (('<script>alert("XSS guide")</script>', 'alert(\\"XSS guide\\")'),
                         ("<style>*{color:red}</style>", "*{color:red}"), ('<b style="x:y">b</b>', "x:y")):
        with pytest.raises(csp.ForeignInline, match=re.escape(f'write: "{shown}"')):
            csp.harden(page.replace("</article>", added + "</article>"), known=known)


# --------------------------------------------------------------------------- the build cache


class _Payload:
    """A pickle that runs a command when loaded (what a committed cache file did)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _hostile_pickle(marker: Path) -> bytes:
    payload = pickle.dumps(_Payload(marker))
    # the fixture is live: loading it runs the command (in a process of its own)
    subprocess.run([sys.executable, "-c", "import pickle, sys; pickle.loads(sys.stdin.buffer.read())"], input=payload,
                   check=True, timeout=60)
    assert marker.exists(), "the hostile pickle does not run its command"
    marker.unlink()
    return payload


def _plant(folder: Path, payload: bytes, site_names: list[str]) -> None:
    for name in ("packs/checks", "bibliography/" + "0" * 40, *(f"sites/{n}" for n in site_names)):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(payload)


def test_a_hostile_cache_is_never_run_and_never_fails_the_build(tmp_path: Path, monkeypatch) -> None:
    """The pickle in .cache/coprod/ of the tree (where the old build read it) and in the
    user's own cache folder (where the build keeps its cache now): the build runs neither
    and succeeds, as a build without a cache."""
    monkeypatch.setenv("COPROD_CACHE_HOME", str(tmp_path / "cache-home"))
    project = make_project(tmp_path)
    marker = tmp_path / "ran"
    payload = _hostile_pickle(marker)
    site_name = "site-" + buildcache.digest(str((project / "site").resolve()))
    _plant(project / ".cache" / "coprod", payload, [site_name])
    cache = buildcache.folder(project)
    assert cache is not None and not cache.is_relative_to(project)
    _plant(cache, payload, [site_name])
    shared = buildcache.shared(project)  # what every tree shares: checks, citations, the PDF
    assert shared is not None and not shared.is_relative_to(project)
    _plant(shared, payload, [])
    for name in ("packs/citations", "pdf/" + "0" * 40):
        (shared / name).parent.mkdir(parents=True, exist_ok=True)
        (shared / name).write_bytes(payload)
    first = mkdocs_build(project)
    assert first.returncode == 0, first.stdout[-3000:]
    assert not marker.exists(), "the build ran a command from a cache file"
    # the build wrote its own entries over the planted ones: JSON, and read again
    for name in ("checks", "citations"):
        assert json.loads((shared / "packs" / name).read_bytes())[0] == buildcache.FORMAT
    second = mkdocs_build(project)  # reads what the first wrote
    assert second.returncode == 0 and not marker.exists()


def test_cache_entries_of_the_wrong_shape_are_a_miss(tmp_path: Path, monkeypatch) -> None:
    """Every entry rewritten as JSON of the wrong shape: the build makes them again and
    writes the same site as a build without any cache."""
    monkeypatch.setenv("COPROD_CACHE_HOME", str(tmp_path / "cache-home"))
    project = make_project(tmp_path)
    assert mkdocs_build(project).returncode == 0
    cache, shared = buildcache.folder(project), buildcache.shared(project)
    entries = [p for p in cache.rglob("*") if p.is_file()]
    assert {p.parent.name for p in entries} == {"sites"}
    shared_entries = [p for p in shared.rglob("*") if p.is_file()]
    assert sorted(p.relative_to(shared).as_posix().split("/", 1)[0] if p.parent.name != "packs"
                  else p.relative_to(shared).as_posix() for p in shared_entries) == \
        ["bibliography", "packs/checks", "packs/citations", "pdf"]
    wrong = [1, "x", None, {"a": [True]}, [[[[]]]]]
    for path in entries + shared_entries:
        found = buildcache.decode(path.read_bytes())
        if path.parent.name == "packs":
            path.write_bytes(buildcache.encode({key: wrong[i % len(wrong)] for i, key in enumerate(found)}))
        elif path.parent.name == "sites":
            path.write_bytes(buildcache.encode(wrong))
        elif path.parent.name == "pdf":  # the right shape, but not a PDF: a page, not the business case
            path.write_bytes(buildcache.encode({"pdf": base64.b64encode(b"<html><script>alert(1)</script>").decode()}))
        else:  # nested deeper than the JSON reader can follow
            path.write_bytes(b'["coprod-cache/1",' + b"[" * 100_000 + b"]" * 100_000 + b"]")
    warm = mkdocs_build(project)
    assert warm.returncode == 0, warm.stdout[-3000:]
    cold = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "cold")],
                          cwd=project, env=dict(os.environ, NO_MKDOCS_2_WARNING="1", COPROD_NO_CACHE="1"),
                          capture_output=True, text=True, timeout=600, check=False)
    assert cold.returncode == 0
    for page in ("case-studies/peer-researchers/index.html", "business-case/business-case.pdf"):
        assert (project / "site" / page).read_bytes() == (tmp_path / "cold" / page).read_bytes(), page


def test_a_committed_cache_is_an_error(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    marker = tmp_path / "ran"
    (project / ".cache" / "coprod" / "packs").mkdir(parents=True)
    (project / ".cache" / "coprod" / "packs" / "checks").write_bytes(_hostile_pickle(marker))
    git = ["git", "-C", str(project), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True, timeout=60)
    subprocess.run([*git, "add", "-f", ".cache/coprod/packs/checks"], check=True, timeout=60)
    expected = (".cache/coprod/packs/checks: file: the build's cache is committed: a cache is never part of the "
                "repository, and the build never reads one from the working tree (remove it with "
                "`git rm -r --cached .cache`)")
    result = validate(project)
    assert result.returncode == 1 and expected in result.stdout, result.stdout
    built = mkdocs_build(project)
    assert built.returncode != 0 and expected in built.stdout
    assert not marker.exists()


def test_a_cache_folder_others_can_write_or_inside_the_tree_is_not_used(tmp_path: Path, monkeypatch) -> None:
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.setenv("COPROD_CACHE_HOME", str(tmp_path / "home"))
    own = buildcache.folder(project)
    assert own is not None and (own.stat().st_mode & 0o777) == 0o700
    own.chmod(0o777)
    assert buildcache.folder(project) is None, "a folder anyone may write is not a cache of this user"
    monkeypatch.setenv("COPROD_CACHE_HOME", str(project / ".cache"))
    assert buildcache.folder(project) is None, "a cache folder inside the working tree is not used"
    monkeypatch.setenv("COPROD_CACHE_HOME", str(tmp_path / "linked"))
    (tmp_path / "linked").mkdir()
    (tmp_path / "linked" / own.name).symlink_to(project)
    assert buildcache.folder(project) is None, "a link to another folder is not the cache"


def test_the_decoders_rebuild_what_was_cached_and_refuse_anything_else(tmp_path: Path) -> None:
    folder = make_evidence(tmp_path)
    evidence_module._init_worker(folder, {})
    result = check_record_file("case-study", folder / "case-studies" / "peer-researchers.md",
                               "evidence/case-studies/peer-researchers.md")
    data = json.loads(buildcache.encode(cachedata.checked_to_data(result)))[1]
    record, problems = cachedata.checked_from_data(data)
    assert (record.kind, record.valid, record.source, record.citations, problems) == \
        (result[0].kind, result[0].valid, result[0].source, result[0].citations, result[1])
    bib = load_references(folder / "references.bib", Report(), "evidence/references.bib")
    again, _, _ = cachedata.bibliography_from_data(json.loads(json.dumps(cachedata.bibliography_to_data(bib, [], []))))
    assert again.entries.keys() == bib.entries.keys() and again.lines == bib.lines
    for key, entry in bib.entries.items():
        other = again.entries[key]
        assert (other.type, other.key, list(other.fields.items())) == (entry.type, entry.key, list(entry.fields.items()))
        assert {r: [vars(p) for p in ps] for r, ps in other.persons.items()} == \
            {r: [vars(p) for p in ps] for r, ps in entry.persons.items()}
    state = SiteState("k", {"a.md": "1"}, {"a.md": pack("<p>x</p>"), "b.md": pack("<p>y</p>")})
    state_data, blob = rebuild.site_state_to_data(state)
    assert rebuild.site_state_from_data(state_data, blob) == state
    # the documents' file torn, or another build's: the keys stand, the documents are missing
    for other in (blob[:-1], blob + b"x", None):
        assert rebuild.site_state_from_data(state_data, other) == SiteState("k", {"a.md": "1"}, {})

    def leaves(value, path=()):  # every place in an entry where a value of the wrong type can go
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from leaves(item, (*path, i))
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from leaves(item, (*path, key))
        yield path

    def replaced(value, path, new):
        if not path:
            return new
        copy = list(value) if isinstance(value, list) else dict(value)
        copy[path[0]] = replaced(value[path[0]], path[1:], new)
        return copy

    for decode, good in ((cachedata.checked_from_data, data),
                         (lambda value: rebuild.site_state_from_data(value, blob), state_data)):
        for path in list(leaves(good))[:400]:
            if decode is cachedata.checked_from_data and (path[:2] == (2, 1) and len(path) > 2 or
                                                          path[:2] in ((2, 2), (2, 3)) and len(path) > 4 or
                                                          path[:2] == (2, 4) and len(path) > 3):
                continue  # front matter is any plain data, and a key in its paths is text or a number
            for wrong in (None, 1.5, "x", [], {"x": 1}):
                original = good
                for part in path:
                    original = original[part]
                if type(wrong) is type(original):
                    continue
                assert decode(replaced(good, path, wrong)) is None, (path, wrong)
