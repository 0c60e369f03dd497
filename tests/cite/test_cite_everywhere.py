"""Issue 14, item 3: one decoder, one name type. A title with a bare ``%`` (as JabRef and
Zotero's plain BibTeX export write it) and hyphenated given names read the same on the page,
on the bibliography page, in CSL-JSON, in the JSON-LD and Highwire tags, in the downloads and
in each of the six cite formats.

One real MkDocs build of the fixture site with one more case study and two more references
(``tests/fixtures/bib/everywhere/``; never the shipped references.bib, so a contributor's new
reference cannot change this test). The golden file holds every output side by side.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
import rispy
from helpers import FIXTURES, TESTS, check_golden, make_project, mkdocs_build
from pybtex.database import parse_string

from coprod.cite.bibtex import load_bibliography
from coprod.cite.formats import FILES
from coprod.cite.latex import latex_text
from coprod.cite.processor import CITE_STYLES
from coprod.pages.exports import REFERENCES_BIB, REFERENCES_JSON
from coprod.read.problems import Report

EVERYWHERE = FIXTURES / "bib" / "everywhere"
GOLDEN = TESTS / "golden" / "cite" / "everywhere.txt"
TITLE = "Reaching 50% of services"  # the bare-% reference, and the case study citing it
OTHER = "Half the services: 50% and rising"  # written 50\% in the .bib
KEYS = ("Dupont2020reaching", "Lee2021half")
PAGE = "case-studies/reaching-half/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("everywhere"))
    bib = project / "evidence" / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n" + (EVERYWHERE / "references.bib").read_text(encoding="utf-8"),
                   encoding="utf-8")
    shutil.copy(EVERYWHERE / "case-studies" / "reaching-half.md", project / "evidence" / "case-studies")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def read(site: Path, uri: str) -> str:
    return (site / uri).read_text(encoding="utf-8")


def text_of(fragment: str) -> str:
    """What a reader sees of an HTML fragment."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def reference_items(page: str) -> dict[str, str]:
    """key -> the formatted reference (HTML) of each list item on a page."""
    found = re.findall(r'<span id="ref-([^"]+)"></span>(.*?)(?: <a href="[^"]*">all pages citing this</a>)?'
                       r"(?:</li>|</p>)", page)
    return {key: entry for key, entry in found if key in KEYS}


def cite_box(page: str) -> dict[str, str]:
    """label -> what a reader copies as text: each style (rendered as HTML by the CSL
    processor), then each file format."""
    styles = re.findall(r'<p class="coprod-cite__text" id="cite-\d+" data-accessed-format="[a-z]+">(.*?)</p>', page,
                        re.DOTALL)
    files = re.findall(r'<pre><code id="cite-\d+">(.*?)</code></pre>', page, re.DOTALL)
    assert (len(styles), len(files)) == (len(CITE_STYLES), len(FILES))
    texts = [text_of(block) for block in styles] + [html.unescape(block) for block in files]
    return dict(zip((*CITE_STYLES, *FILES), texts))


def highwire(page: str) -> list[tuple[str, str]]:
    return [(name, html.unescape(content))
            for name, content in re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', page)]


def json_ld(page: str) -> dict:
    (text,) = re.findall(r'<script type="application/ld\+json">\n(.*?)\n</script>', page, re.DOTALL)
    return json.loads(text)


def bib_entries(text: str) -> list[str]:
    """The two fixture entries of a .bib file, as written."""
    return [chunk.strip() for chunk in re.split(r"\n(?=@)", "\n" + text) if any(f"{{{key}," in chunk for key in KEYS)]


@pytest.fixture(scope="module")
def outputs(site: Path) -> dict[str, object]:
    page = read(site, PAGE + "index.html")
    csl = {item["id"]: item for item in json.loads(read(site, REFERENCES_JSON)) if item["id"] in KEYS}
    return {
        "page": page,
        "case study page: references": reference_items(page),
        "bibliography page: references": reference_items(read(site, "references/index.html")),
        "data/references.json (CSL-JSON)": [csl[key] for key in KEYS],
        "JSON-LD": json_ld(page),
        "Highwire tags": highwire(page),
        "cite box": cite_box(page),
        "cite.bib": read(site, PAGE + "cite.bib"),
        "cite.ris": read(site, PAGE + "cite.ris"),
        "data/references.bib": bib_entries(read(site, REFERENCES_BIB)),
    }


def test_every_output_golden(outputs: dict[str, object]) -> None:
    parts = []
    for name, value in outputs.items():
        if name == "page":
            continue
        if isinstance(value, str):
            shown = value.rstrip()
        elif isinstance(value, dict) and name == "cite box":
            shown = "\n".join(f"-- {label}\n{text.rstrip()}" for label, text in value.items())
        elif isinstance(value, dict) and name.endswith("references"):
            shown = "\n".join(f"{key}: {entry}" for key, entry in value.items())
        elif isinstance(value, list) and value and isinstance(value[0], tuple):
            shown = "\n".join(f"{tag} = {content}" for tag, content in value)
        elif isinstance(value, list) and value and isinstance(value[0], str):
            shown = "\n\n".join(value)
        else:
            shown = json.dumps(value, indent=1, ensure_ascii=False)
        parts.append(f"== {name}\n{shown}\n")
    check_golden(GOLDEN, "\n".join(parts))


def texts(name: str, value: object) -> list[tuple[str, str]]:
    """Every string in an output, each with where it is (" > cite box > BibTeX")."""
    if isinstance(value, str):
        return [(name, value)]
    if not isinstance(value, (dict, list, tuple)):
        return []
    items = value.items() if isinstance(value, dict) else enumerate(value)  # type: ignore[union-attr]
    return [found for key, part in items for found in texts(f"{name} > {key}", part)]


def test_the_bare_percent_title_is_whole_everywhere(outputs: dict[str, object]) -> None:
    """Wherever "Reaching 50" is written, "% of services" follows (``\\%`` in BibTeX)."""
    seen = set()
    for where, text in texts("", outputs):
        if where == " > page":  # the page as a reader sees it; its cite box is checked as "cite box"
            text = html.unescape(re.sub(r"<pre>.*?</pre>", "", text, flags=re.DOTALL))
        found = re.findall(r"Reaching 50(\\?%) of services", text)
        assert text.count("Reaching 50") == len(found), (where, text)
        bibtex = where.endswith((".bib", "> BibTeX")) or "data/references.bib >" in where
        assert all(percent == ("\\%" if bibtex else "%") for percent in found), (where, found)
        if found:
            seen.add(where.split(" > ")[1])
    assert seen == set(outputs)


def test_the_page_shows_the_reference_as_the_data_files_give_it(outputs: dict[str, object]) -> None:
    on_page = outputs["case study page: references"]
    assert on_page == outputs["bibliography page: references"]  # one formatter for both pages
    assert text_of(on_page["Dupont2020reaching"]).startswith(
        f"Dupont, J.-P., van der Berg, A.-M., & Ng, R. C. (2020). {TITLE}. Journal of Service Reach, 12, 1–9.")
    assert text_of(on_page["Lee2021half"]).startswith(f"Centre for Reach, Health Services. (2021, March). {OTHER}.")
    reaching, half = outputs["data/references.json (CSL-JSON)"]
    assert reaching["title"] == TITLE and half["title"] == OTHER
    assert reaching["author"] == [{"family": "Dupont", "given": "Jean-Pierre"},
                                  {"family": "Berg", "given": "Anne-Marie", "non-dropping-particle": "van der"},
                                  {"family": "Ng", "given": "R.C."}]
    assert half["author"] == [{"literal": "Centre for Reach, Health Services"}]
    assert reaching["issued"] == {"date-parts": [[2020, 3]]} and half["issued"] == {"date-parts": [[2021, 3]]}
    assert half["URL"] == "https://example.org/reach%20report"


def test_the_head_metadata_names_people_as_the_page_does(outputs: dict[str, object]) -> None:
    data = outputs["JSON-LD"]
    assert data["name"] == TITLE
    assert data["author"][0] == {"@type": "Person", "familyName": "Dupont", "givenName": "Jean-Pierre",
                                 "name": "Jean-Pierre Dupont"}
    citations = {c["name"]: c for c in data["citation"]}
    assert set(citations) == {TITLE, OTHER}
    assert [a["name"] for a in citations[TITLE]["author"]] == [
        "Dupont, Jean-Pierre", "van der Berg, Anne-Marie", "Ng, R.C."]
    assert citations[OTHER]["author"] == [{"@type": "Organization", "name": "Centre for Reach, Health Services"}]
    tags = outputs["Highwire tags"]
    assert ("citation_title", TITLE) in tags and ("citation_author", "Dupont, Jean-Pierre") in tags
    (reaching,) = [content for tag, content in tags if tag == "citation_reference" and TITLE in content]
    assert reaching.startswith(f"citation_title={TITLE}; citation_author=Dupont, Jean-Pierre; "
                               "citation_author=van der Berg, Anne-Marie; citation_author=Ng, R.C.")


def test_each_cite_format_gives_the_title_and_the_same_initials(outputs: dict[str, object]) -> None:
    box = outputs["cite box"]
    # rendered by the CSL processor from the page's one CSL-JSON item
    assert box["APA 7"].startswith(f"Dupont, J.-P., & van der Berg, A.-M. (2026, February 1). {TITLE}. ")
    assert box["Harvard"].startswith(f"Dupont, J.-P. and van der Berg, A.-M. (2026) {TITLE}, ")
    assert box["Vancouver"].startswith("Dupont JP, van der Berg AM. ") and f" {TITLE}. " in box["Vancouver"]
    for bibtex in (box["BibTeX"], outputs["cite.bib"]):
        entry = parse_string(bibtex, "bibtex").entries["coprod-reaching-half"]
        assert latex_text(entry.fields["title"]) == TITLE
        assert [str(person) for person in entry.persons["author"]] == ["Dupont, Jean-Pierre", "van der Berg, Anne-Marie"]
    for ris in (box["RIS"], outputs["cite.ris"]):
        (record,) = rispy.loads(ris)
        assert record["title"] == TITLE and record["authors"] == ["Dupont, Jean-Pierre", "van der Berg, Anne-Marie"]
    (item,) = json.loads(box["CSL-JSON"])
    assert item["title"] == TITLE
    assert item["author"] == [{"family": "Dupont", "given": "Jean-Pierre"}, {"family": "van der Berg", "given": "Anne-Marie"}]
    # one initials rule: no output spells the hyphenated name's initials another way
    for name, value in outputs.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        assert not re.search(r"\bJ\. ?P\.|\bA\. M\.|\bJ-P\b", text), name


def test_the_bib_download_reads_back_as_the_page_shows_it(outputs: dict[str, object], tmp_path: Path) -> None:
    """The download writes the bare % as \\% (so a reader's LaTeX keeps it), leaves \\% and
    the URL's %20 as they were, and reads back to the same text."""
    reaching, half = outputs["data/references.bib"]
    assert 'title = "Reaching 50\\% of services"' in reaching
    assert 'title = "Half the services: 50\\% and rising"' in half and "\\\\%" not in half
    assert 'url = "https://example.org/reach%20report"' in half
    path = tmp_path / "download.bib"
    path.write_text("\n\n".join(outputs["data/references.bib"]) + "\n", encoding="utf-8")
    report = Report()
    bibliography = load_bibliography(path, report)
    assert not report.problems, report.problems
    assert [latex_text(bibliography.entries[key].fields["title"]) for key in KEYS] == [TITLE, OTHER]
