"""Every input has a bound and a linear cost, and none ends in a traceback (issue 26, items
4 and 5): the shapes a hostile pull request used, each refused with a message at its line."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

DEEP = 40_000

DEEP_SHAPES = {
    "flow lists": "a: " + "[" * DEEP + "]" * DEEP + "\n",
    "flow lists after an anchor": "x: &x 1\na: " + "[" * DEEP + "]" * DEEP + "\n",
    "flow mappings": "a: " + "{b: " * DEEP + "1" + "}" * DEEP + "\n",
    "compact block lists": "a:\n" + "- " * DEEP + "x\n",
}


@pytest.mark.parametrize("shape", DEEP_SHAPES)
def test_deep_yaml_is_refused_once_at_its_line_without_building_it(shape: str) -> None:
    """40,000 levels crashed libyaml's recursive composer (SIGSEGV); with an anchor the event
    path built every level and reported each (quadratic: 249 s, 8.7 GB). Run in a child
    process so that a crash fails this test, not the suite."""
    code = ("import sys; from coprod.read import strictyaml\n"
            "doc = strictyaml.load(sys.stdin.read())\n"
            "print(len(doc.problems)); [print(p.line, p.message) for p in doc.problems]\n")
    result = subprocess.run([sys.executable, "-c", code], input=DEEP_SHAPES[shape], capture_output=True, text=True,
                            cwd=ROOT, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    deep = [line for line in lines[1:] if "nested more than 20 levels deep" in line]
    assert len(deep) == 1, lines[:5]
    assert int(lines[0]) <= 2, lines[:5]  # the depth, and the anchor where there is one
    assert deep[0].split()[0] == ("2" if "anchor" in shape else "1" if "flow" in shape else "2")


def _validate(evidence) -> str:
    import io

    from coprod.cli.validate import run

    out = io.StringIO()
    run([str(evidence), "--docs", str(evidence / "no-docs")], out=out)
    return out.getvalue().replace(str(evidence.parent) + "/", "")


def test_a_term_key_that_takes_a_vocabularys_own_page_is_refused_at_its_line(tmp_path) -> None:
    """A term 'index' in a vocabulary whose pages live in /settings/ would take the page
    that lists the vocabulary (the build ended in "two generated pages")."""
    from conftest import make_evidence

    evidence = make_evidence(tmp_path)
    taxonomy = evidence / "taxonomy.yml"
    text = taxonomy.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == "settings:")
    key = next(i for i in range(at, len(lines)) if lines[i].strip().startswith("- key: "))
    lines[key] = lines[key].split("- key: ")[0] + "- key: index"
    taxonomy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = _validate(evidence)
    assert (f"evidence/taxonomy.yml:{key + 1}: settings.terms.index.key: the key 'index' takes the address "
            "/settings/index/, which the site uses for the list of settings (choose another key)") in out
    assert "Traceback" not in out and "internal error" not in out


def test_reserved_names_come_from_the_addresses_the_build_writes() -> None:
    """Every folder's own page and the catalogue's pagination, read from coprod.pages.urls."""
    from coprod.pages import urls

    assert urls.reserved_names("case-studies") == {"index", "page"}
    assert urls.reserved_names("business-case") == {"index"}
    assert urls.reserved_names("countries") == {"index"}
    assert urls.catalogue_page(2).startswith("case-studies/page/")
