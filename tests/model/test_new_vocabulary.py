"""The schema is the only field map: a vocabulary added to a fixture's schema and taxonomy,
and nowhere else, appears everywhere a vocabulary does, in a real MkDocs build; a facet or
folder renamed in the schema renames it on the whole site and breaks nothing; and the two
files must agree on the vocabularies they name."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

from helpers import load, make_evidence, make_project, mkdocs_build, render

from coprod.cli.validate import run
from coprod.pages.taxonomy_pages import taxonomy_pages

METHODS = """
methods:
  title: Methods
  description: >-
    How the co-produced research gathered its evidence.
  terms:
    - key: peer-interviews
      label: Peer interviews
      definition: >-
        People with lived experience interview other people with the same experience.
      source: Hickey2018guidance
    - key: photovoice
      label: Photovoice
      definition: >-
        People take photographs of their lives and talk about them with the team.
      source: Hickey2018guidance
"""


def add_methods(project: Path) -> None:
    """A `methods` vocabulary: two terms in taxonomy.yml and its field in the case-study
    schema (nothing else: no code, no other schema, no mkdocs.yml), and one fixture case
    study that uses it."""
    evidence = project / "evidence"
    schema_path = evidence / "schema" / "case-study.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["methods"] = {
        "type": "array", "uniqueItems": True,
        "items": {"type": "string", "x-vocabulary": "methods", "x-folder": "methods",
                  "x-facet": {"name": "method", "label": "Method", "order": 11}},
        "description": "How the research gathered its evidence: keys from the methods list in taxonomy.yml."}
    schema_path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    with (evidence / "taxonomy.yml").open("a", encoding="utf-8") as taxonomy:
        taxonomy.write(METHODS)
    case = evidence / "case-studies" / "peer-researchers.md"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("settings: [public-health, mental-health]\n",
                                 "settings: [public-health, mental-health]\nmethods: [peer-interviews]\n", 1),
                    encoding="utf-8")


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def fingerprints(project: Path) -> dict[str, str]:
    """Every file of the project (its site left out), by path, with a hash of its bytes."""
    return {str(path.relative_to(project)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(project.rglob("*")) if path.is_file() and "site" not in path.relative_to(project).parts}


def test_a_new_vocabulary_needs_only_the_schema_and_the_taxonomy(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    before = fingerprints(project)
    add_methods(project)
    after = fingerprints(project)
    touched = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    # the two places a vocabulary is written, and the case study that uses it (content, not code)
    assert touched == {"evidence/schema/case-study.schema.json", "evidence/taxonomy.yml",
                       "evidence/case-studies/peer-researchers.md"}
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"

    # its index page and a page per term, listing the case study that uses it
    index = read(site, "methods/index.html")
    assert "Peer interviews" in index and "Photovoice" in index
    term = read(site, "methods/peer-interviews/index.html")
    assert 'href="../../case-studies/peer-researchers/"' in term
    assert "learning-disability-panel" not in term
    assert "No case study in the library reports this yet." in read(site, "methods/photovoice/index.html")
    # in the Browse menu, though mkdocs.yml does not list it
    assert re.search(r'href="methods/"[^>]*>\s*<span class="md-ellipsis">\s*Methods', read(site, "index.html"))

    # the catalogue's static filter ("Browse by") and the scripted one (catalogue.json and
    # the folder -> facet map the script reads links with)
    catalogue = read(site, "case-studies/index.html")
    browse = catalogue.split('id="browse-by"')[1]
    assert re.search(r"<h3[^>]*>Method", browse) and 'href="../methods/peer-interviews/"' in browse
    folders = json.loads(re.search(r'data-facet-folders="([^"]+)"', catalogue).group(1).replace("&quot;", '"'))
    assert folders["methods"] == "method"
    data = json.loads(read(site, "data/catalogue.json"))
    facet = next(f for f in data["facets"] if f["name"] == "method")
    assert facet["label"] == "Method" and facet["terms"] == [["peer-interviews", "Peer interviews"],
                                                             ["photovoice", "Photovoice"]]
    peer = next(c for c in data["case_studies"] if c["id"] == "peer-researchers")
    assert peer["facets"]["method"] == ["peer-interviews"]

    # its column in the CSV and its field in the codebook, the field reference and the form
    rows = list(csv.DictReader(io.StringIO(read(site, "data/case-studies.csv"))))
    assert {row["id"]: row["methods"] for row in rows} == {"peer-researchers": "peer-interviews",
                                                          "learning-disability-panel": ""}
    codebook = read(site, "data/index.html")
    assert ('<td>methods</td>\n<td>list of text</td>\n<td>no</td>\n<td>keys of <a href="../methods/">Methods</a>; '
            'no repeats</td>' in codebook)  # the codebook's row
    assert "<li>methods: <code>/methods/KEY/</code></li>" in codebook  # its pages, for the data's users
    assert ", methods," in codebook  # a column of the CSV, in the codebook's list of them
    fields = read(site, "contribute/fields/index.html")
    assert re.search(r"Terms from <a href=\"\.\./\.\./methods/\">Methods</a>: <code>peer-interviews</code>", fields)
    form = read(site, "contribute/index.html")
    assert 'data-field="methods"' in form
    assert '<input type="checkbox" name="cf-methods" value="peer-interviews">' in form
    assert "People take photographs of their lives" in form  # each term's definition, to choose by

    # on the case study's own page: a row of "At a glance" titled as in taxonomy.yml, with the
    # term as a tag linking to its page; not on the page of a case study that does not use it
    page = read(site, "case-studies/peer-researchers/index.html")
    glance = page.split('class="coprod-summary-list"')[1].split("</dl>")[0]
    assert re.search(r'<dt>Methods</dt><dd><ul class="coprod-tags" aria-label="Methods"><li>'
                     r'<a class="coprod-tag" href="\.\./\.\./methods/peer-interviews/">Peer interviews</a></li></ul></dd>',
                     glance), glance
    assert "Photovoice" not in page
    assert "<dt>Methods</dt>" not in read(site, "case-studies/learning-disability-panel/index.html")

    # no Pagefind filter for it: the catalogue filters from catalogue.json (above); the page
    # is Pagefind's for its words, and its label is among them
    assert 'data-pagefind-filter="method"' not in page


def rename_in_schema(project: Path) -> None:
    """The principles' folder and facet, and the countries' folder, facet and page words,
    renamed in the case-study schema only."""
    schema_path = project / "evidence" / "schema" / "case-study.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    principle = schema["properties"]["principles"]["items"]["properties"]["principle"]
    principle["x-folder"] = "values"
    principle["x-facet"] |= {"name": "value", "label": "Value"}
    countries = schema["properties"]["project"]["properties"]["countries"]["items"]
    countries["x-folder"] = "nations"
    countries["x-facet"] |= {"name": "nation", "label": "Nation"}
    countries["x-facet"]["pages"] |= {"title": "Nations", "up": "All nations"}
    schema_path.write_text(json.dumps(schema, indent=2), encoding="utf-8")


def test_a_facet_renamed_in_the_schema_is_renamed_on_the_whole_site(tmp_path: Path) -> None:
    """No code names a facet or a folder: renamed in the schema, the pages move, every link
    and filter follows, and the build (strict, so no link to nothing) passes."""
    project = make_project(tmp_path)
    rename_in_schema(project)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert not (site / "principles").exists() and not (site / "countries").exists()
    assert "peer-researchers" in read(site, "values/reciprocity/index.html")
    nations = read(site, "nations/index.html")
    assert "<h1" in nations and "Nations" in nations and 'href="united-kingdom/"' in nations
    uk = read(site, "nations/united-kingdom/index.html")
    assert 'href="../../case-studies/peer-researchers/"' in uk and 'href="../">All nations</a>' in uk

    page = read(site, "case-studies/peer-researchers/index.html")
    assert 'href="../../values/reciprocity/"' in page and 'href="../../nations/united-kingdom/"' in page
    catalogue = read(site, "case-studies/index.html")
    assert re.search(r"<h3[^>]*>Nation", catalogue) and 'href="../nations/united-kingdom/"' in catalogue
    assert 'data-facet-keywords="[&quot;value&quot;,&quot;setting&quot;]"' in catalogue
    data = json.loads(read(site, "data/catalogue.json"))
    names = [f["name"] for f in data["facets"]]
    assert "value" in names and "nation" in names and "principle" not in names and "country" not in names
    peer = next(c for c in data["case_studies"] if c["id"] == "peer-researchers")
    assert peer["facets"]["nation"] == ["united-kingdom"] and "reciprocity" in peer["facets"]["value"]
    # the menu drops the old folders mkdocs.yml names and lists the new ones
    home = read(site, "index.html")
    assert 'href="values/"' in home and 'href="nations/"' in home
    # no page anywhere links to the old folders
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r'href="[./]*(principles|countries)/', text), path


def validate(evidence: Path) -> tuple[int, str]:
    out = io.StringIO()
    code = run([str(evidence), "--docs", str(evidence / "no-docs")], out=out)
    return code, out.getvalue().replace(str(evidence.parent) + "/", "")


def test_a_vocabulary_in_one_of_the_two_files_only_is_an_error_where_it_is_written(tmp_path: Path) -> None:
    """taxonomy.schema.json takes any vocabulary, so the check that the schemas and the
    taxonomy name the same vocabularies is this one."""
    evidence = make_evidence(tmp_path / "a")
    with (evidence / "taxonomy.yml").open("a", encoding="utf-8") as taxonomy:
        taxonomy.write(METHODS.replace("methods:", "methds:", 1))
    code, output = validate(evidence)
    line = (evidence / "taxonomy.yml").read_text(encoding="utf-8").splitlines().index("methds:") + 1
    assert code == 1
    assert (f"evidence/taxonomy.yml:{line}: methds: no field of the schemas uses the vocabulary 'methds' "
            "(name it in a field's x-vocabulary in evidence/schema/, or remove it)") in output

    evidence = make_evidence(tmp_path / "b")
    add_methods(evidence.parent)
    text = (evidence / "taxonomy.yml").read_text(encoding="utf-8")
    (evidence / "taxonomy.yml").write_text(text.replace(METHODS, ""), encoding="utf-8")
    code, output = validate(evidence)
    assert code == 1
    assert ("evidence/schema/case-study.schema.json:1: methods[]: x-vocabulary names 'methods', which "
            "evidence/taxonomy.yml does not have (add the vocabulary 'methods' (title, description, terms) to "
            "evidence/taxonomy.yml)") in output
    assert "Traceback" not in output


def rename_every_vocabulary(project: Path) -> list[str]:
    """Every vocabulary renamed ("principles" -> "v_principles") in the schemas'
    x-vocabulary and in taxonomy.yml, and nowhere else; the names renamed."""
    evidence = project / "evidence"
    schemas = sorted((evidence / "schema").glob("*.schema.json"))
    names = sorted({name for path in schemas
                    for name in re.findall(r'"x-vocabulary": "([a-z0-9_]+)"', path.read_text(encoding="utf-8"))})
    for path in schemas:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r'"x-vocabulary": "([a-z0-9_]+)"', r'"x-vocabulary": "v_\1"', text), encoding="utf-8")
    taxonomy = (evidence / "taxonomy.yml").read_text(encoding="utf-8")
    for name in names:
        taxonomy, count = re.subn(rf"(?m)^{name}:", f"v_{name}:", taxonomy)
        assert count == 1, name
    (evidence / "taxonomy.yml").write_text(taxonomy, encoding="utf-8")
    return names


def test_every_vocabulary_renamed_in_the_two_files_changes_only_the_open_data(tmp_path: Path, monkeypatch) -> None:
    """No code names a vocabulary (the evidence map, the claims' grades, the taxonomy's rules
    included): with every vocabulary renamed in the schemas and taxonomy.yml, every page a
    reader sees is byte for byte the same; only the open data, which publishes the names, and
    the contribute form's copy of the schema differ."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # the two builds' dates are the same
    (tmp_path / "plain").mkdir()
    (tmp_path / "renamed").mkdir()
    plain, renamed = make_project(tmp_path / "plain"), make_project(tmp_path / "renamed")
    names = rename_every_vocabulary(renamed)
    assert {"principles", "evidence_kinds", "strengths", "outcome_ratings", "gripp2_reporting"} <= set(names)
    for project in (plain, renamed):
        result = mkdocs_build(project)
        assert result.returncode == 0, result.stderr
    a, b = plain / "site", renamed / "site"
    files = sorted(str(p.relative_to(a)) for p in a.rglob("*") if p.is_file())
    assert files and sorted(str(p.relative_to(b)) for p in b.rglob("*") if p.is_file() and "pagefind" not in p.parts) == [
        f for f in files if not f.startswith("pagefind/")]
    differ = {f for f in files if not f.startswith("pagefind/") and (a / f).read_bytes() != (b / f).read_bytes()}
    form = "contribute/index.html"
    assert differ - {form} == {"data/index.html", "data/taxonomy.json", "data/datapackage.json",
                               "data/schema/case-study.schema.json", "data/schema/case-study.record.schema.json",
                               "data/schema/claim.schema.json", "data/schema/claim.record.schema.json"}
    schema_copy = re.compile(r'<script type="application/json" id="contribute-schema">.*?</script>', re.DOTALL)
    assert schema_copy.sub("", read(a, form)) == schema_copy.sub("", read(b, form))
    assert '"vocabulary": "v_principles"' in read(b, form)


def test_a_value_facets_page_words_come_from_the_schema_as_text(tmp_path: Path) -> None:
    """A facet with no vocabulary takes its browse pages' words from x-facet.pages: its
    {value} and {count} filled in, and everything else text, not markdown or markup (the
    schema is part of a pull request)."""
    evidence = make_evidence(tmp_path)
    schema_path = evidence / "schema" / "case-study.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    countries = schema["properties"]["project"]["properties"]["countries"]["items"]["x-facet"]["pages"]
    countries |= {"title": "Lands", "about": "By land {: onclick=alert(1) } <b>bold</b> [x](javascript:y)",
                  "heading": "Land: {value}", "intro": "{count} in {value}, {not a placeholder}."}
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    pages = {page.uri: page for page in taxonomy_pages(load(evidence))}
    index = render(pages["countries/index.md"].content)
    assert re.search(r"<h1[^>]*>Lands<", index)  # the heading's text, then its permalink
    assert "By land {: onclick=alert(1) } &lt;b&gt;bold&lt;/b&gt; [x](javascript:y)" in index
    assert "onclick=" not in index.replace("{: onclick=alert(1) }", "") and "<a" in index  # only the list's links
    assert 'href="javascript' not in index
    uk = render(pages["countries/united-kingdom.md"].content)
    assert re.search(r"<h1[^>]*>Land: United Kingdom<", uk)
    assert "2 case studies in United Kingdom, {not a placeholder}." in uk
    assert pages["countries/united-kingdom.md"].title == "Land: United Kingdom"
