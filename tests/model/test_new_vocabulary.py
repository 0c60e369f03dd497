"""The schema is the only field map: a vocabulary added to a fixture's schema and taxonomy,
and nowhere else, appears everywhere a vocabulary does, in a real MkDocs build."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from pathlib import Path

from helpers import make_project, mkdocs_build

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
    """A `methods` vocabulary: two terms in taxonomy.yml, its place in the two schemas,
    and one fixture case study that uses it. No code changes."""
    evidence = project / "evidence"
    schema_path = evidence / "schema" / "case-study.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"]["methods"] = {
        "type": "array", "uniqueItems": True,
        "items": {"type": "string", "x-vocabulary": "methods", "x-folder": "methods",
                  "x-facet": {"name": "method", "label": "Method", "order": 11}},
        "description": "How the research gathered its evidence: keys from the methods list in taxonomy.yml."}
    schema_path.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    taxonomy_schema_path = evidence / "schema" / "taxonomy.schema.json"
    taxonomy_schema = json.loads(taxonomy_schema_path.read_text(encoding="utf-8"))
    taxonomy_schema["properties"]["methods"] = {"$ref": "#/$defs/vocabulary", "description": "Research methods."}
    taxonomy_schema_path.write_text(json.dumps(taxonomy_schema, indent=2), encoding="utf-8")
    with (evidence / "taxonomy.yml").open("a", encoding="utf-8") as taxonomy:
        taxonomy.write(METHODS)
    case = evidence / "case-studies" / "peer-researchers.md"
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("settings: [public-health, mental-health]\n",
                                 "settings: [public-health, mental-health]\nmethods: [peer-interviews]\n", 1),
                    encoding="utf-8")


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_a_new_vocabulary_needs_only_the_schema_and_the_taxonomy(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    add_methods(project)
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
    assert "methods" in read(site, "data/index.html")
    assert "peer-interviews" in read(site, "contribute/fields/index.html")
    form = read(site, "contribute/index.html")
    assert re.search(r'name="methods"', form) or '"methods"' in form

    # on the case study's own page: a row of "At a glance" titled as in taxonomy.yml, with the
    # term as a tag linking to its page; not on the page of a case study that does not use it
    page = read(site, "case-studies/peer-researchers/index.html")
    glance = page.split('class="coprod-summary-list"')[1].split("</dl>")[0]
    assert re.search(r'<dt>Methods</dt><dd><ul class="coprod-tags" aria-label="Methods"><li>'
                     r'<a class="coprod-tag" href="\.\./\.\./methods/peer-interviews/">Peer interviews</a></li></ul></dd>',
                     glance), glance
    assert "Photovoice" not in page
    assert "<dt>Methods</dt>" not in read(site, "case-studies/learning-disability-panel/index.html")

    # its Pagefind filter: on the page, and in the built index
    assert '<span data-pagefind-filter="method">peer-interviews</span>' in page
    filters = b"".join(gzip.decompress(path.read_bytes()) for path in (site / "pagefind" / "filter").glob("*.pf_filter"))
    assert b"method" in filters and b"peer-interviews" in filters
