"""Pages funders can cite: citation formats, metadata, permanent addresses, the feed."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import extruct
import jsonschema
import pytest
import rispy
from helpers import ROOT, TESTS, check_golden, make_evidence
from pybtex.database import parse_string

from coprod import __version__, site
from coprod.cite.formats import ACCESSED, Citable, bibtex, csl_json, ris
from coprod.pages.citing import render_citations

GOLDEN = TESTS / "golden" / "citing"
CSL_SCHEMA = TESTS / "golden" / "exports" / "csl-data.schema.json"  # the CSL project's (MIT)
SITE_URL = "https://coproduction-evidence.example/"


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    root = tmp_path_factory.mktemp("fixture")
    make_evidence(root)
    loaded = site.load(root / "evidence", display_root=root)
    site.generate(loaded, None, SITE_URL)
    return loaded


def test_citation_strings_match_golden(build) -> None:
    GOLDEN.mkdir(exist_ok=True)
    lines = []
    for uri in ("case-studies/peer-researchers.md", "case-studies/learning-disability-panel.md",
                "business-case/relationships-are-core.md", "principles/reciprocity.md", "how-to-cite.md"):
        citable = build.citables[uri]
        for label, html in render_citations([citable])[citable.key].items():
            lines.append(f"{uri} | {label} | {html}")
    check_golden(GOLDEN / "citations.txt", "\n".join(lines) + "\n")


def test_authored_record_cites_its_authors() -> None:
    """Rendered by the CSL processor: authors as people, the library as the site (APA prints
    it once: it is not the author), the version's date, italics as HTML."""
    citable = Citable("case-studies/x.md", "coprod-x", "A title", "https://e.org/case-studies/x/", "case study",
                      "2026-01-15", "2026-03-01", "1.1", ("Smith, Ann Marie", "Peer Research Network"))
    styles = render_citations([citable])["coprod-x"]
    # APA title-cases a site's name: "Co-Production" (hyphenated words both capitalised)
    assert re.match(r"Smith, A\. M\.,? &#38; Peer Research Network\. \(2026, March 1\)\. <i>A title</i>\. "
                    r"Co-Production Evidence Library\. <a href=", styles["APA 7"]), styles["APA 7"]
    # Citing Medicine: a part of a website names the site, then the part
    assert styles["Vancouver"].startswith("Smith AM, Peer Research Network. Co-production Evidence Library "
                                          "[Internet]. 2026")
    assert "A title." in styles["Vancouver"]
    assert f"(Accessed: {ACCESSED})" in styles["Harvard"]


def test_library_is_the_author_once() -> None:
    """A page the library wrote: the institution is the author, whole (never "Library, C."),
    and no site name repeats it."""
    citable = Citable("case-studies/x.md", "coprod-x", "A title", "https://e.org/case-studies/x/", "case study",
                      "2026-01-15", "2026-03-01", "1.1")
    styles = render_citations([citable])["coprod-x"]
    assert styles["APA 7"].startswith("Co-production Evidence Library. (2026, March 1). <i>A title</i>. <a href=")
    assert all(html.count("Co-production Evidence Library") == 1 for html in styles.values()), styles
    item = json.loads(csl_json(citable))[0]
    assert item["author"] == [{"literal": "Co-production Evidence Library"}] and "container-title" not in item
    assert item["issued"] == {"date-parts": [[2026, 3, 1]]} and item["version"] == "1.1"


def test_every_cite_box_parses(build) -> None:
    for uri, citable in build.citables.items():
        entries = parse_string(bibtex(citable), "bibtex").entries
        assert list(entries) == [citable.key], uri
        entry = entries[citable.key]
        assert entry.type == "online" and entry.fields["url"] == citable.url
        assert entry.fields["version"] == citable.version and entry.fields["date"] == citable.date
        records = rispy.loads(ris(citable))
        assert len(records) == 1 and records[0]["title"] == citable.title and records[0]["urls"] == [citable.url]
        assert records[0]["type_of_reference"] == "ELEC" and records[0]["date"] == citable.date.replace("-", "/")
        item = json.loads(csl_json(citable))[0]
        assert item["URL"] == citable.url and item["type"] == "webpage"
        day = [int(part) for part in citable.date.split("-")]
        assert item["issued"] == {"date-parts": [day]}
        for text in (bibtex(citable), ris(citable), csl_json(citable)):  # no placeholder in a file
            assert ACCESSED not in text and "date accessed" not in text


# Values a hostile contributor might write (issue 12, item 5): each must come back from every
# format as exactly one record holding the text as written.
HOSTILE_TITLES = [
    "Closing } brace and an opening { one",
    "T}, note = {\\input{/etc/passwd}}, x = {",
    "50% of {people} & 3 # 4 $5 under_score ~tilde ^caret",
    "back\\slash \\emph{not markup} \\\\ and \\",
    "quotes \" and ' and “curly” and {\"}",
    "and others",
    "{{double braces}}",
]
HOSTILE_NAMES = [
    "Smith}, and {Evil, Ann",
    "O'Brien, Seán",
    "Org and Co",
    "Jones, Bob and Carol",
    "{Braced}, Name",
    "Back\\slash, X%",
    "Reyes, Ana, Jr",
]
# Line breaks and invisible controls cannot be carried by a one-line format: they become spaces.
FORGED = {
    "A title\nER  -\n\nTY  - JOUR\nTI  - Forged": "A title ER - TY - JOUR TI - Forged",
    "Invoice\u202egnp.exe\u2028ER  - \u2029x\r\nAU  - Evil": "Invoice gnp.exe ER - x AU - Evil",
    "Tab\there\x85NEL\x00nul\u200bzwsp": "Tab here NEL nul zwsp",
    "ER  - in the middle,   TY  - JOUR": "ER - in the middle, TY - JOUR",  # spaces as a reader sees them
}


def _hostile_citables() -> list[tuple[Citable, str, tuple[str, ...]]]:
    cases = []
    for title in HOSTILE_TITLES:
        cases.append((title, title, tuple(HOSTILE_NAMES)))
    for title, expected in FORGED.items():
        cases.append((title, expected, (f"Smith, {title}",)))
    return [(Citable("case-studies/x.md", "coprod-x", title, "https://e.org/case-studies/x/", "case study",
                     "2026-01-15", "", "1.0", authors), expected, tuple(" ".join(a.split()) for a in
                                                                       (a.replace(title, expected) for a in authors)))
            for title, expected, authors in cases]


def _person_text(person) -> str:
    from coprod.cite.latex import latex_text

    family = latex_text(" ".join(person.prelast_names + person.last_names))
    given = latex_text(" ".join(person.first_names + person.middle_names))
    lineage = latex_text(" ".join(person.lineage_names))
    return ", ".join(part for part in (family, given) if part) + (f", {lineage}" if lineage else "")


@pytest.mark.parametrize("index", range(len(HOSTILE_TITLES) + len(FORGED)))
def test_hostile_values_round_trip_as_one_record(index: int) -> None:
    from coprod.cite.latex import latex_text

    citable, title, authors = _hostile_citables()[index]
    # BibTeX, read by pybtex: one entry, only our fields, the title and every name as written.
    entries = parse_string(bibtex(citable), "bibtex").entries
    assert list(entries) == ["coprod-x"]
    entry = entries["coprod-x"]
    assert set(entry.fields) == {"title", "organization", "date", "year", "month", "version", "url"}
    assert latex_text(entry.fields["title"]) == title
    assert entry.fields["url"] == citable.url
    assert [_person_text(p) for p in entry.persons["author"]] == list(authors)
    # RIS, read by rispy: one record, the same title and names.
    records = rispy.loads(ris(citable))
    assert len(records) == 1
    assert records[0]["title"] == title and records[0]["authors"] == list(authors)
    assert records[0]["urls"] == [citable.url]
    # CSL-JSON, read by json and checked against the CSL project's schema: one item, the same text.
    items = json.loads(csl_json(citable))
    jsonschema.Draft7Validator(json.loads(CSL_SCHEMA.read_text(encoding="utf-8"))).validate(items)
    assert len(items) == 1 and items[0]["title"] == title
    assert [f"{a['family']}, {a['given']}" if "family" in a else a["literal"] for a in items[0]["author"]] == \
        list(authors)
    # The styles, rendered by the processor, carry it on one line.
    for html in render_citations([citable])["coprod-x"].values():
        assert "\n" not in html and "\u202e" not in html


def test_bibtex_url_and_key_cannot_close_their_field() -> None:
    citable = Citable("x.md", "coprod-x}, evil = {1", "T", "https://e.org/a b/}, note = {x/例", "page", "2026-01-15")
    entries = parse_string(bibtex(citable), "bibtex").entries
    assert len(entries) == 1
    (entry,) = entries.values()
    assert "evil" not in entry.fields and "note" not in entry.fields
    assert entry.fields["url"] == "https://e.org/a%20b/%7D,%20note%20=%20%7Bx/例"


def test_downloads_have_no_access_placeholder(build) -> None:
    page = build.pages["case-studies/peer-researchers/cite.bib"].content.decode()
    assert ACCESSED not in page
    assert list(parse_string(page, "bibtex").entries) == ["coprod-peer-researchers"]
    ris_file = build.pages["case-studies/peer-researchers/cite.ris"].content.decode()
    assert rispy.loads(ris_file)[0]["edition"] == "1.0"


def test_feed_is_atom_with_ids_dates_and_links(build) -> None:
    root = ET.fromstring(build.pages["feed.xml"].content)
    atom = "{http://www.w3.org/2005/Atom}"
    assert root.tag == f"{atom}feed"
    entries = root.findall(f"{atom}entry")
    assert {e.find(f"{atom}id").text for e in entries} == {
        SITE_URL + "case-studies/learning-disability-panel/", SITE_URL + "case-studies/peer-researchers/"}
    for entry in entries:
        assert entry.find(f"{atom}link").get("href") == entry.find(f"{atom}id").text
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00\+00:00", entry.find(f"{atom}updated").text)
    newest = entries[0]
    assert newest.find(f"{atom}updated").text.startswith("2026-03-01")  # the updated case study comes first


# ------------------------------------------------------------------ the real build


def mkdocs_build(project: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600, check=False)


def copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    for name in ("hooks", "overrides", "docs", "evidence"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


@pytest.fixture(scope="module")
def built(site_dir: Path) -> Path:
    return site_dir


@pytest.mark.parametrize("address", ["case-studies/partners2-mental-health/", "business-case/relationships-and-trust-at-the-core/",
                                     "principles/reciprocity/", "business-case/", "evidence-map/", "how-to-cite/"])
def test_metadata_read_by_real_consumers(built: Path, address: str) -> None:
    html = (built / address / "index.html").read_text(encoding="utf-8")
    data = extruct.extract(html, base_url=SITE_URL + address, syntaxes=["json-ld", "opengraph"], uniform=True)
    ld = data["json-ld"][0]
    cited = SITE_URL if address == "how-to-cite/" else SITE_URL + address  # that page cites the whole library
    assert ld["url"] == cited and ld["datePublished"] and ld["license"]
    assert ld["isPartOf"]["name"] == "Co-production Evidence Library"
    graph = data["opengraph"][0]
    assert graph["og:url"] == cited and graph["og:title"] == ld["name"]
    assert graph["@type"] == "website"  # og:type (extruct names it @type): Zotero's Embedded Metadata translator then saves a Web Page
    tags = re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)"', html)
    names = {name for name, _ in tags}
    assert {"citation_title", "citation_author", "citation_publication_date", "citation_publisher"} <= names
    assert html.count('<meta name="description"') == 1


def test_case_study_metadata_lists_its_citations(built: Path) -> None:
    html = (built / "case-studies/partners2-mental-health/index.html").read_text(encoding="utf-8")
    ld = extruct.extract(html, syntaxes=["json-ld"], uniform=True)["json-ld"][0]
    shipped = (ROOT / "evidence/case-studies/partners2-mental-health.md").read_text(encoding="utf-8")
    version = re.search(r'^version: "([^"]+)"', shipped, re.MULTILINE).group(1)  # the record's own, whatever it is now
    assert ld["@type"] == "ScholarlyArticle" and ld["version"] == version
    assert any(c.get("identifier") == "https://doi.org/10.1186/s40900-020-00224-3" for c in ld["citation"])
    assert "citation_reference" in html


def test_manifest_lists_every_page(built: Path) -> None:
    manifest = (built / "urls.txt").read_text(encoding="utf-8").splitlines()
    assert "/case-studies/partners2-mental-health/" in manifest and "/feed.xml" in manifest
    for address in manifest:
        target = built / address.lstrip("/")
        assert (target / "index.html").exists() if address.endswith("/") else target.exists(), address


def test_renaming_without_an_alias_fails_and_an_alias_redirects(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    old = project / "evidence" / "case-studies" / "building-bridges.md"
    text = old.read_text(encoding="utf-8").replace("id: building-bridges", "id: building-bridges-principles", 1)
    old.unlink()
    for claim in (project / "evidence" / "claims").glob("*.md"):  # the contributor updates references too
        claim.write_text(re.sub(r"\bbuilding-bridges\b", "building-bridges-principles", claim.read_text(encoding="utf-8")),
                         encoding="utf-8")
    new = project / "evidence" / "case-studies" / "building-bridges-principles.md"
    new.write_text(text, encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert ("/case-studies/building-bridges/: this published address no longer resolves. If the case study was "
            "renamed, add 'aliases: [building-bridges]' to its front matter so the old address redirects.") in result.stdout
    new.write_text(text.replace("status: published", "aliases: [building-bridges]\nstatus: published", 1),
                   encoding="utf-8")
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stdout
    redirect = (project / "site" / "case-studies" / "building-bridges" / "index.html").read_text(encoding="utf-8")
    target = SITE_URL + "case-studies/building-bridges-principles/"
    assert f'<link rel="canonical" href="{target}">' in redirect
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in redirect


def test_library_version_is_one_number_everywhere(built: Path) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    cff = re.search(r"^version: (\S+)$", (ROOT / "CITATION.cff").read_text(encoding="utf-8"), re.MULTILINE).group(1)
    assert project == cff == __version__
    assert f"Library version {__version__}." in (built / "index.html").read_text(encoding="utf-8")


def test_citation_cff_is_valid() -> None:
    tool = ROOT / ".venv-tools" / "cffconvert" / "bin" / "cffconvert"
    if not tool.exists():
        message = "cffconvert is installed by scripts/dev.py test in .venv-tools/cffconvert"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    result = subprocess.run([str(tool), "--validate", "-i", str(ROOT / "CITATION.cff")], capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_second_processor_agrees_on_the_cite_boxes(tmp_path: Path, capsys) -> None:
    """scripts/compare_citations.py renders a built site's citations with citeproc-py (the
    processor the build does not use): the cite boxes agree in at least 95% in each style,
    and every reference-list difference is one of citeproc-py's known defects. On the
    fixture's site, so that a contributor's new reference cannot fail it (the shipped
    site's figures are the script's to print, in the issue's note)."""
    from helpers import make_project, mkdocs_build

    project = make_project(tmp_path)
    result = mkdocs_build(project)
    assert result.returncode == 0, result.stderr
    built = project / "site"
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import compare_citations
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    compare_citations.main([str(built)])
    out = capsys.readouterr().out
    shares = dict(re.findall(r"^(.+?): \d+ of \d+ identical \((\d+)%\)$", out, re.MULTILINE))
    assert {"APA 7, cite boxes", "Harvard, cite boxes", "Vancouver, cite boxes", "APA 7, /references/"} <= set(shares)
    assert all(int(shares[f"{style}, cite boxes"]) >= 95 for style in ("APA 7", "Harvard", "Vancouver")), out
    assert " other" not in out, out  # no difference of an unknown kind


def test_one_date_per_version_on_every_route(build) -> None:
    """Issue 21: a version 1.1 page gives the same date (its version's) in the box's item,
    RIS, BibTeX, Highwire and JSON-LD's dateModified; JSON-LD keeps the first publication."""
    from coprod.cite.head import head_tags

    citable = build.citables["case-studies/learning-disability-panel.md"]
    assert citable.version == "1.1" and citable.updated and citable.updated != citable.published
    day = citable.updated
    assert parse_string(bibtex(citable), "bibtex").entries[citable.key].fields["date"] == day
    assert rispy.loads(ris(citable))[0]["date"] == day.replace("-", "/")
    assert json.loads(csl_json(citable))[0]["issued"] == {"date-parts": [[int(p) for p in day.split("-")]]}
    head = head_tags(citable, SITE_URL)
    assert f'<meta name="citation_publication_date" content="{day.replace("-", "/")}">' in head
    ld = extruct.extract(head, syntaxes=["json-ld"], uniform=True)["json-ld"][0]
    assert ld["dateModified"] == day and ld["datePublished"] == citable.published and ld["version"] == "1.1"


def test_headline_ends_at_a_word_and_name_is_whole() -> None:
    from coprod.cite.head import HEADLINE_LIMIT, headline, json_ld

    title = ("Young people on a research funder's panel assessing applications for a national adolescent "
             "health study, with a very long tail")
    cut = headline(title)
    assert len(cut) <= HEADLINE_LIMIT and cut.endswith("…")
    assert title.startswith(cut[:-1]) and not title[len(cut) - 1].isalnum()  # cut between words, not in one
    assert headline("Short title") == "Short title"
    citable = Citable("case-studies/x.md", "coprod-x", title, "https://e.org/case-studies/x/", "case study",
                      "2026-01-15")
    data = json.loads(json_ld(citable, SITE_URL).split("\n", 1)[1].rsplit("\n", 1)[0])
    assert data["name"] == title and data["headline"] == cut


def test_business_case_names_its_pdf(build) -> None:
    from coprod.cite.head import highwire

    tags = "\n".join(highwire(build.citables["business-case/index.md"]))
    assert f'<meta name="citation_pdf_url" content="{SITE_URL}business-case/business-case.pdf">' in tags
    assert "citation_pdf_url" not in "\n".join(highwire(build.citables["case-studies/peer-researchers.md"]))


def test_without_the_processor_the_build_says_what_to_install(tmp_path: Path, monkeypatch) -> None:
    """No Node.js or no citeproc package: one clear error naming what to run, no traceback,
    and no pages (nothing half-cited is published)."""
    from coprod.cite import processor

    monkeypatch.setattr(processor, "_MEMO", {})  # nothing answered from memory
    monkeypatch.setattr(processor, "_SHARED", [])  # a process of its own
    monkeypatch.setattr(processor, "citeproc_path", lambda: None)
    root = tmp_path / "project"
    make_evidence(root)
    result = site.build(root, {"site_url": SITE_URL})
    assert not result.ok and not result.pages
    (problem,) = result.report.errors
    assert problem.path == "pyproject.toml" and "citeproc" in problem.message
    assert "python3 scripts/dev.py build" in problem.message
