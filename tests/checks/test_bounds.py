"""Every input has a bound and a linear cost, and none ends in a traceback (issue 26, items
4 and 5): the shapes a hostile pull request used, each refused with a message at its line."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from helpers import ROOT

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
    from helpers import make_evidence

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
    """Every folder's own page and the catalogue's pagination, read from coprod.read.urls."""
    from coprod.read import urls

    assert urls.reserved_names("case-studies") == {"index", "page"}
    assert urls.reserved_names("business-case") == {"index"}
    assert urls.reserved_names("countries") == {"index"}
    assert urls.catalogue_page(2).startswith("case-studies/page/")


def _look_alike_bibliography(evidence, count: int) -> None:
    bib = evidence / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "".join(
        f"@misc{{Look{i:04d}alike,\n  title = {{T}},\n  author = {{A, B}},\n  year = {{2020}},\n  howpublished = {{x}}\n}}\n"
        for i in range(count)), encoding="utf-8")


def test_suggestions_for_unknown_keys_have_a_bounded_cost(tmp_path) -> None:
    """2,000 citations of unknown keys against 500 look-alike references: each unknown key
    was compared with every entry (8,000 against 3,000 took 878 s). Now the first 20 of a
    file get a suggestion from a short list, the rest the general hint; every one is reported."""
    import time

    from helpers import make_evidence

    evidence = make_evidence(tmp_path)
    _look_alike_bibliography(evidence, 500)
    case = evidence / "case-studies" / "peer-researchers.md"
    cites = "\n\n".join(" ".join(f"[@Look{j:04d}alikx{j}]" for j in range(i, min(i + 30, 2000))) for i in range(0, 2000, 30))
    case.write_text(case.read_text(encoding="utf-8") + "\n" + cites + "\n", encoding="utf-8")
    start = time.process_time()
    out = _validate(evidence)
    assert time.process_time() - start < 120  # a hang bound, not a speed test
    unknown = [line for line in out.splitlines() if "unknown reference 'Look" in line]
    assert len(unknown) == 2000
    assert unknown[0].endswith("unknown reference 'Look0000alikx0' (did you mean 'Look0000alike'?)")
    assert sum("did you mean" in line for line in unknown) == 20
    assert unknown[-1].endswith("(add the entry to evidence/references.bib)")


def test_the_shortlist_keeps_difflibs_suggestion() -> None:
    """The index changes the cost, not the answer, for ordinary typos."""
    import difflib

    from coprod.checks.suggest import Suggester

    options = [f"Author{i}{2000 + i % 25}topic{i % 7}" for i in range(3000)] + ["Staniszewska2022coproduction"]
    for typo in ("Staniszewska2022coprodution", "Stanizewska2022coproduction", "Author17201topic3", "Author99x"):
        expected = difflib.get_close_matches(typo, options, n=1, cutoff=0.6)
        assert Suggester(options).closest(typo) == (expected[0] if expected else None), typo


def test_a_bibliography_past_its_entry_limit_is_refused_at_the_first_entry_over(tmp_path) -> None:
    """480,000 small entries (within the size limit then) took 153 s and 1.5 GB to validate
    and made a 50 MB references page. Now the entries past MAX_ENTRIES are not read, and
    the file is an error at the first of them."""
    from helpers import make_evidence

    from coprod.cite.bibtex import MAX_ENTRIES

    evidence = make_evidence(tmp_path)
    bib = evidence / "references.bib"
    before = bib.read_text(encoding="utf-8")
    extra = "".join(f"@misc{{Tiny{i},\n  title = {{T}},\n  author = {{A, B}},\n  year = {{2020}},\n  howpublished = {{x}}\n}}\n"
                    for i in range(MAX_ENTRIES + 50))
    bib.write_text(before + extra, encoding="utf-8")
    starts = [n for n, line in enumerate((before + extra).splitlines(), 1)
              if re.match(r"@(?!string|comment|preamble)\w+\{", line, re.IGNORECASE)]
    over = starts[MAX_ENTRIES]  # the first entry past the limit
    out = _validate(evidence)
    errors = [line for line in out.splitlines() if "entries, the limit" in line]
    assert errors == [(f"evidence/references.bib:{over}: references: the file holds more than {MAX_ENTRIES:,} entries, the "
                      "limit; this entry and the ones after it are not read (remove entries that nothing cites)")]
    assert "Tiny3040" not in out  # past the limit: neither read nor reported one by one


def test_the_contribute_form_embeds_only_the_references_the_site_cites(tmp_path) -> None:
    from helpers import make_evidence

    from coprod.checks.library import load
    from coprod.pages.contribute import form_model

    evidence = make_evidence(tmp_path)
    _look_alike_bibliography(evidence, 50)  # cited nowhere
    from coprod.read.problems import Report

    library = load(evidence, Report())
    assert "Look0001alike" in library.bibliography.entries
    keys = [r["key"] for r in form_model(library)["references"]]
    assert "Look0001alike" not in keys
    assert "Example2021peer" in keys  # cited by a published case study


def test_the_weekly_link_checker_never_requests_a_private_address() -> None:
    """The validator refuses private, link-local and loopback hosts in references; lychee,
    which requests every link of the built site, skips them as well (it excluded only
    loopback addresses)."""
    import yaml

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "links.yml").read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    lychee = [step for step in steps if str(step.get("uses", "")).startswith("lycheeverse/lychee-action@")]
    assert len(lychee) == 1
    args = lychee[0]["with"]["args"].split()
    assert {"--exclude-private", "--exclude-link-local", "--exclude-loopback"} <= set(args) or "--exclude-all-private" in args


def test_the_build_stops_with_messages_not_a_traceback_or_a_command(tmp_path) -> None:
    """The real MkDocs build, given one input of each class at once (a claim with id
    'index', an alias 'page', U+FFFF in a title, a key holding workflow commands, 40,000
    levels of YAML): it ended in a traceback ("two generated pages", lxml in the feed), a
    SIGSEGV, or printed lines the CI reads as commands. Now it stops with each message."""
    import json

    from helpers import FIXTURES, make_project, mkdocs_build

    overlay = tmp_path / "overlay"
    (overlay / "claims").mkdir(parents=True)
    (overlay / "case-studies").mkdir()
    claim = (FIXTURES / "evidence" / "claims" / "impact-evidence-gap.md").read_text(encoding="utf-8")
    (overlay / "claims" / "index.md").write_text(claim.replace("id: impact-evidence-gap", "id: index"), encoding="utf-8")
    (overlay / "claims" / "impact-evidence-gap.md.delete").touch()
    case = (FIXTURES / "evidence" / "case-studies" / "peer-researchers.md").read_text(encoding="utf-8")
    key = json.dumps("x\n::notice title=Approved::approved by the editors\n::add-mask::y")
    case = case.replace("licence: CC-BY-4.0\n", f"licence: CC-BY-4.0\naliases: [page]\n{key}: 1\n")
    case = case.replace("title: Peer researchers shaping", 'title: "Peer \\uFFFF researchers shaping').replace(
        "community health study\n", 'community health study"\n', 1)
    (overlay / "case-studies" / "peer-researchers.md").write_text(case, encoding="utf-8")
    panel = (FIXTURES / "evidence" / "case-studies" / "learning-disability-panel.md").read_text(encoding="utf-8")
    panel = panel.replace("\n---\n", "\nextra: " + "[" * DEEP + "]" * DEEP + "\n---\n", 1)
    (overlay / "case-studies" / "learning-disability-panel.md").write_text(panel, encoding="utf-8")
    result = mkdocs_build(make_project(tmp_path, overlay))
    log = result.stderr
    assert result.returncode != 0
    assert "Traceback" not in log and "internal error" not in log, log[-3000:]
    for expected in ("id 'index' takes the address /business-case/index/", "alias 'page' takes the address /case-studies/page/",
                     "U+FFFF NONCHARACTER", "unknown field 'x\\n::notice title=Approved::approved by the editors\\n::add-mask::y'",
                     "nested more than 20 levels deep"):
        assert expected in log, expected
    assert [line for line in log.splitlines() if re.match(r"\s*(::|##)", line)] == []


def test_a_page_the_checks_did_not_foresee_is_a_message_not_a_traceback(tmp_path, monkeypatch) -> None:
    """The backstop behind the address and character checks above: if making the pages
    still fails (as "two generated pages" and lxml's refusal did), the build reports an
    internal error with the advice to report it, as the validator does, instead of a traceback."""
    from helpers import make_project

    from coprod import site

    def fails(*args, **kwargs):
        raise ValueError("two generated pages at business-case/index.md")

    project = make_project(tmp_path)
    monkeypatch.setattr(site, "generate", fails)
    build = site.build(project, site.read_site_config(project))
    assert [p.format() for p in build.report.errors] == [
        ("evidence: site: internal error while making the pages: ValueError: two generated pages at business-case/index.md "
        "(please report this to the library's maintainers (COPROD_DEBUG=1 prints where it happened))")]


def test_both_yaml_paths_stop_at_the_same_collection() -> None:
    """The fast path (libyaml composes) and the event path report the same single problem."""
    from coprod.read import strictyaml

    for text in ("a: 1\nb: " + "[" * 25 + "]" * 25 + "\nc: 2\n", "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 30)) + "  " * 30 + "x: 1\n",
                 "a: " + "{b: " * 21 + "1" + "}" * 21 + "\n"):
        fast, events = strictyaml._load_nodes(text), strictyaml._load_events(text)
        assert fast is not None
        shown = [(fast.data, [(p.line, p.path, p.message) for p in fast.problems]),
                 (events.data, [(p.line, p.path, p.message) for p in events.problems])]
        assert shown[0] == shown[1], text
        assert len(fast.problems) == 1 and "nested more than 20 levels deep" in fast.problems[0].message
