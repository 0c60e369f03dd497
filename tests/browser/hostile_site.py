"""A site built from hostile evidence with the validator bypassed, for test_hostile.py.

The temporary project has the repository's mkdocs.yml, overrides/ and docs/, the fixture
evidence (tests/conftest.py ``make_evidence``) plus tests/fixtures/hostile, and one test-only
hook, :data:`HOOK`: hooks/evidence.py itself, with the evidence's errors ignored. Every event
handler IS the real one, so the generated pages are registered and contributed pages
sanitised exactly as in the shipped site.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
HOSTILE_CASE_STUDY = "hostile-markdown"

HOOK = '''\
"""Test-only: hooks/evidence.py, except that the evidence's errors are ignored (never shipped).

The real hook module is loaded from the repository and every event handler is its own;
only ``coprod.checks.evidence.load_evidence``, through which ``site.build`` checks the evidence, is wrapped, so that
its report has no errors and the model is built. The warnings stay, and everything after loading runs as in the real build.
"""
import importlib.util
import sys
from pathlib import Path

ROOT = Path({root!r})
sys.path.insert(0, str(ROOT))
from coprod import site as _site
from coprod.checks import evidence as _evidence

_spec = importlib.util.spec_from_file_location("coprod_real_hooks", ROOT / "hooks" / "evidence.py")
real = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(real)


_real_load = _evidence.load_evidence


def _load_ignoring_errors(folder, report, *args, **kwargs):
    evidence = _real_load(folder, report, *args, **kwargs)
    report.problems[:] = [p for p in report.problems if p.severity != "error"]
    return evidence


assert getattr(real, "site", None) is _site, "hooks/evidence.py no longer calls coprod.site: update hostile_site.py"
_evidence.load_evidence = _load_ignoring_errors  # coprod.checks.library.load checks through it (this test build's process only)

for _name in dir(real):
    if _name.startswith("on_"):
        globals()[_name] = getattr(real, _name)
'''


def make_hostile_evidence(target: Path) -> Path:
    """The fixture evidence folder with the hostile case study and references added."""
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers import make_evidence  # tests/helpers.py

    evidence = make_evidence(target)
    for folder in ("case-studies", "claims"):
        for path in (HOSTILE / folder).glob("*.md"):
            shutil.copy(path, evidence / folder / path.name)
    with (evidence / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write((HOSTILE / "references.bib").read_text(encoding="utf-8"))
    return evidence


def build_hostile_site(project: Path) -> Path:
    """Build the hostile project in ``project``; returns the built site folder."""
    make_hostile_evidence(project)
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    (project / "hooks").mkdir()
    (project / "hooks" / "evidence.py").write_text(HOOK.format(root=str(ROOT)), encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "hooks/evidence.py" in config, "mkdocs.yml no longer names hooks/evidence.py: update hostile_site.py"
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")  # same name: the test hook stands in
    site = project / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)], cwd=project,
                            env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return site
