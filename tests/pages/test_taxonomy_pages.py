"""Term, vocabulary, country and year pages: golden files, one-pass indexing, escaping."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from helpers import (
    ROOT,
    check_golden,
    edit_record,
    linked_case_ids,
    load,
    make_evidence,
    render,
)

from coprod.model import Library
from coprod.pages import Page
from coprod.pages.taxonomy_pages import NO_CASE_STUDIES, index_evidence, taxonomy_pages

GOLDEN = ROOT / "tests" / "golden" / "pages"






def by_uri(pages: list[Page]) -> dict[str, Page]:
    uris = [p.uri for p in pages]
    assert len(uris) == len(set(uris)), "two pages with the same address"
    return {p.uri: p for p in pages}




@pytest.fixture
def evidence(tmp_path: Path) -> Library:
    return load(make_evidence(tmp_path))


def test_golden_pages(evidence: Library) -> None:
    pages = taxonomy_pages(evidence)
    for page in pages:
        path = GOLDEN / page.uri
        path.parent.mkdir(parents=True, exist_ok=True)
        check_golden(path, page.content)
    folders = [*evidence.fields.folders.values(), "countries", "years"]
    stray = {p.relative_to(GOLDEN).as_posix() for folder in folders for p in (GOLDEN / folder).glob("*.md")}
    assert stray == {p.uri for p in pages}, "golden files without a page (remove them)"


def test_every_term_and_vocabulary_has_a_page(evidence: Library) -> None:
    pages = by_uri(taxonomy_pages(evidence))
    assert list(evidence.fields.folders) == ["principles", "features", "barriers", "enablers", "outcomes", "stages",
                                             "settings", "evidence_kinds", "groups", "standards",
                                             "outcome_ratings", "gripp2_reporting"]
    for name in evidence.fields.folders:
        assert evidence.vocabulary_page(name) in pages
        for key in evidence.taxonomy[name].terms:
            assert evidence.term_page(name, key) in pages
    for uri in ("countries/index.md", "years/index.md", "countries/united-kingdom.md", "years/2019.md", "years/2020.md"):
        assert uri in pages
    assert not any(p.uri.startswith(("strengths", "claim_categories")) for p in pages.values())


def test_lists_are_exactly_the_case_studies_linked(evidence: Library) -> None:
    for page in taxonomy_pages(evidence):
        assert page.lists == set(linked_case_ids(page.uri, page.content)), page.uri
        assert page.title


def test_term_page_content(evidence: Library) -> None:
    pages = by_uri(taxonomy_pages(evidence))
    reciprocity = pages["principles/reciprocity.md"].content
    assert reciprocity.startswith('<h1 id="reciprocity">Reciprocity<a class="headerlink" href="#reciprocity"')
    # the source by its short name, as readers cite it, not by its key
    assert 'Source: <a href="../../references/#ref-Hickey2018guidance">Hickey et al., 2018</a>' in reciprocity
    assert "<strong>How:</strong> Peer researchers were paid and received training in interviewing." in reciprocity
    assert "No claim in the business case refers to this yet." in reciprocity
    unused = pages["principles/including-all-perspectives.md"]
    assert NO_CASE_STUDIES in unused.content and unused.lists == frozenset()
    caveat = pages["features/personal-growth.md"].content
    assert "<blockquote>\n<p><strong>Caveat:</strong> The wording here is the library&#x27;s own summary" in caveat
    assert 'id="claims"' not in caveat  # claims cannot list features
    claims = pages["principles/building-relationships.md"].content
    assert ('<a href="../../business-case/relationships-are-core/">Relationships and trust are the core of '
            "co-production</a>") in claims
    outcome = pages["outcomes/benefits-to-contributors.md"].content
    assert ("<strong>Outcome:</strong> Peer researchers said they gained confidence and skills. "
            "(evidence: Reported by participants)") in outcome
    kind = pages["evidence/author-reflection.md"]
    assert kind.lists == {"peer-researchers", "learning-disability-panel"}
    index = pages["principles/index.md"].content
    assert '<tr><td><a href="reciprocity/">Reciprocity</a></td><td>Everybody benefits' in index
    assert '<tr><td><a href="building-relationships/">Building and maintaining relationships</a></td>' in index
    assert index.count("<tr><td><a ") == len(evidence.taxonomy["principles"].terms)
    assert 'role="region" aria-label="Principles" tabindex="0"' in index and "style=" not in index


def test_a_term_used_by_two_case_studies_lists_both_with_their_details(tmp_path: Path) -> None:
    folder = make_evidence(tmp_path)
    panel = folder / "case-studies" / "learning-disability-panel.md"
    text = panel.read_text(encoding="utf-8")
    text = text.replace(
        "principles:\n",
        "principles:\n  - principle: reciprocity\n    how: Panel members were paid for every meeting they attended.\n", 1)
    text = text.replace(
        "outcomes:\n",
        "outcomes:\n  - area: benefits-to-contributors\n    description: Members said they felt listened to.\n"
        "    evidence: participant-reported\n    sources: [PARTNERS22020exploring]\n"
        "  - area: reach-and-communication\n    description: Members presented the findings at a conference.\n"
        "    evidence: participant-reported\n    sources: [PARTNERS22020exploring]\n", 1)
    panel.write_text(text, encoding="utf-8")
    evidence = load(folder)
    pages = by_uri(taxonomy_pages(evidence))

    page = pages["principles/reciprocity.md"]
    assert page.lists == {"peer-researchers", "learning-disability-panel"}
    content = page.content
    assert "2 case studies report this." in content
    panel_at = content.index("An advisory panel")  # started 2020: newest first
    peer_at = content.index("Peer researchers shaping")
    assert panel_at < content.index("Panel members were paid for every meeting") < peer_at
    assert peer_at < content.index("Peer researchers were paid and received training")

    # two outcomes of one case in one area: one item, both outcomes under it
    reach = pages["outcomes/reach-and-communication.md"].content
    assert reach.count("An advisory panel") == 1
    assert "easy-read summary" in reach and "presented the findings at a conference" in reach
    kinds = pages["evidence/participant-reported.md"].content
    assert kinds.count("(area: ") == 3 and kinds.count('<li class="coprod-card">') == 2


def test_records_are_indexed_in_one_pass(evidence: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = Library.published

    def counting(self: Library, kind: str = "case-study") -> list:
        calls.append(kind)
        return original(self, kind)

    monkeypatch.setattr(Library, "published", counting)
    taxonomy_pages(evidence)
    assert sorted(calls) == ["case-study", "claim"]
    index = index_evidence(evidence)
    assert [u.record.id for u in index.cases[("evidence_kinds", "author-reflection")]] == [
        "learning-disability-panel", "peer-researchers"]
    assert [r.id for r in index.claims[("principles", "building-relationships")]] == ["relationships-are-core"]
    assert sorted(index.values["year"]) == ["2019", "2020"]  # the year facet, by key


def test_drafts_never_appear_and_retracted_are_marked(evidence: Library) -> None:
    edit_record(evidence, "case-study", "peer-researchers", lambda data: data.update(status="draft"))
    retract = {"status": "retracted", "retraction": {"date": "2026-01-01", "reason": "A test retraction."}}
    edit_record(evidence, "case-study", "learning-disability-panel", lambda data: data.update(retract))
    edit_record(evidence, "claim", "relationships-are-core", lambda data: data.update(retract))
    pages = taxonomy_pages(evidence)
    assert not any("peer-researchers" in p.content or "peer-researchers" in p.lists for p in pages)
    relationships = by_uri(pages)["principles/building-relationships.md"].content
    assert '../../case-studies/learning-disability-panel/">An advisory panel' in relationships
    assert ('with a learning disability</a> <span class="coprod-tag coprod-tag--retracted">Retracted</span>'
            in relationships)
    assert "co-production</a> (retracted)" in relationships
    assert "years/2019.md" not in by_uri(pages)


HOSTILE = "<script>alert(1)</script> [x](javascript:alert(1)) *star* | pipe"


def test_hostile_text_is_escaped_everywhere(evidence: Library) -> None:
    vocab = evidence.taxonomy["principles"]
    term = vocab.terms["reciprocity"]
    vocab.terms["reciprocity"] = dataclasses.replace(term, label=HOSTILE, definition=HOSTILE, note=HOSTILE,
                                                     source="Bad key<script>")
    vocab.title = HOSTILE
    def hostile_case(data: dict) -> None:
        data["title"] = HOSTILE
        data["summary"] = HOSTILE
        data["principles"][1]["how"] = HOSTILE
        data["project"]["countries"] = [HOSTILE]
        data["barriers"][0]["detail"] = HOSTILE

    edit_record(evidence, "case-study", "peer-researchers", hostile_case)
    edit_record(evidence, "claim", "relationships-are-core", lambda data: data.update(title=HOSTILE, principles=["reciprocity"]))
    pages = taxonomy_pages(evidence)
    hostile_pages = 0
    for page in pages:
        html = render(page)
        assert "<script" not in html, page.uri
        assert 'href="javascript' not in html and "<em>star</em>" not in html, page.uri
        assert "<td> pipe" not in html, page.uri
        if "&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1)) *star* | pipe" in html:
            hostile_pages += 1
    assert hostile_pages >= 5
    page = by_uri(pages)["principles/reciprocity.md"]
    assert "ref-Bad-key-script-" in page.content  # the anchor is made safe too
