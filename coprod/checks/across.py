"""The checks across files: each a small unit that reads the whole checked evidence, run
after every file's own checks, in the order :data:`coprod.checks.registry.LIBRARY_CHECKS`
declares them.

A unit is a function of :class:`Across` (the evidence, the hand-written pages that cite,
the records whose id was already taken, and the references cited so far) and the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..cite.syntax import find_citations
from ..read.kinds import CASE_STUDY, CLAIM
from ..read.problems import Report
from ..read.source import dotted
from . import checkwords
from .records import Evidence, Record
from .suggest import Suggester


@dataclass
class Across:
    """What the checks across files read, and what they share: the references cited so far
    (``used``), which the last of them reads to find the ones nothing cites."""

    evidence: Evidence
    citing: list[tuple[Path, str]] = field(default_factory=list)  # (folder of hand-written pages, as shown)
    duplicates: list[tuple[str, Record, Record]] = field(default_factory=list)  # (id, record, the first with it)
    used: set[str] = field(default_factory=set)

    @cached_property
    def _reference_keys(self) -> Suggester:
        return Suggester(self.evidence.bibliography.entries)

    def cite(self, key: str, path: str, line: int, field_name: str, report: Report) -> None:
        """A use of the reference ``key``: counted, or reported if references.bib has no such entry."""
        bib = self.evidence.bibliography
        if bib.get(key) is not None:
            self.used.add(key)
            return
        if key in bib.rejected:
            return  # the entry is in references.bib with errors, reported there
        real = bib.lookup_folded(key)
        if real is not None:
            self.used.add(real)
            hint = f"keys are case-sensitive: did you mean '{real}'?"
        else:
            hint = self._reference_keys.hint(key, path, "add the entry to evidence/references.bib")
        report.error(path, line, field_name, f"unknown reference '{key}'", hint)

    def records(self) -> list[tuple[str, dict[str, Record]]]:
        return [(CASE_STUDY.key, self.evidence.case_studies), (CLAIM.key, self.evidence.claims)]


def unique_ids(across: Across, report: Report) -> None:
    """Two records of a kind with one id: the first keeps it (the loader keeps it), the other is reported."""
    for key, record, first in across.duplicates:
        report.error(record.path, record.source.line_of(("id",)), "id",
                     f"id '{key}' is already used by {first.path}", "choose another id")


def term_sources(across: Across, report: Report) -> None:
    """A taxonomy term's ``source`` is a key in references.bib."""
    taxonomy = across.evidence.taxonomy
    for vocab in taxonomy.vocabularies.values():
        for term in vocab.terms.values():
            if term.source:
                across.cite(term.source, taxonomy.path, term.line, f"{vocab.name}.{term.key}.source", report)


def field_references(across: Across, report: Report) -> None:
    """Every field the schema marks ``x-reference`` names a reference in references.bib
    (``bibtex``) or a case study by its id now (``case-study``), not an old id."""
    evidence = across.evidence
    all_ids = evidence.case_studies
    old_ids = {alias: record.id for record in all_ids.values() for alias in record.data.get("aliases") or []
               if isinstance(alias, str)}
    case_study_ids = Suggester(all_ids)
    for kind, records in across.records():
        schema = evidence.schemas[kind]
        references = [a for a in schema.annotated if a.annotations.get("x-reference")]
        for record in records.values():
            source = record.source
            for annotated in references:
                ref = annotated.annotations["x-reference"]
                for path, value in annotated.values(source.data):
                    if not isinstance(value, str):
                        continue
                    if ref == "bibtex":
                        across.cite(value, source.path, source.line_of(path), dotted(path), report)
                    elif ref == CASE_STUDY.key and value in old_ids and value not in all_ids:
                        report.error(source.path, source.line_of(path), dotted(path),
                                     f"'{value}' is an old id of the case study '{old_ids[value]}' (in its aliases)",
                                     f"write its id now: {old_ids[value]}")
                    elif ref == CASE_STUDY.key and value not in all_ids:
                        report.error(source.path, source.line_of(path), dotted(path), f"unknown case study '{value}'",
                                     case_study_ids.hint(value, source.path, f"give the id of a file in evidence/{CASE_STUDY.folder}/"))


def body_citations(across: Across, report: Report) -> None:
    """Every ``[@key]`` in a record's body is a key in references.bib."""
    for _, records in across.records():
        for record in records.values():
            source = record.source
            for citation in record.citations:
                for item in citation.items:
                    across.cite(item.key, source.path, source.body_line + citation.line - 1, "body", report)


def aliases(across: Across, report: Report) -> None:
    """An alias is an old id no record of its kind uses now, pointing to one record only."""
    for _, records in across.records():
        taken: dict[str, Record] = {}
        for record in records.values():
            source = record.source
            for index, alias in enumerate(record.data.get("aliases") or []):
                if not isinstance(alias, str):
                    continue
                line = source.line_of(("aliases", index))
                if alias in records:
                    report.error(source.path, line, f"aliases[{index}]",
                                 f"alias '{alias}' is the id of {records[alias].path}", "an alias must be an old id no record uses now")
                elif alias in taken:
                    report.error(source.path, line, f"aliases[{index}]",
                                 f"alias '{alias}' is also an alias of {taken[alias].path}", "each old id can point to one record only")
                else:
                    taken[alias] = record


def sources_listed(across: Across, report: Report) -> None:
    """A case study's ``sources`` are every reference it uses (:func:`check_sources_listed`)."""
    for record in across.evidence.case_studies.values():
        check_sources_listed(record, across.evidence.bibliography, report)


def check_sources_listed(record: Record, bib, report: Report) -> None:
    """A case study's ``sources`` are every reference it uses: each key cited in its text or
    its outcomes is listed there, and each listed key is cited (CONTRIBUTING.md's rule)."""
    data, source = record.data, record.source
    listed_value = data.get("sources")
    if not isinstance(listed_value, list):
        return  # missing or the wrong type: the schema check has reported it
    listed = {k for k in listed_value if isinstance(k, str)}
    where = f"list it in sources, line {source.line_of(('sources',))}"
    used: set[str] = set()
    for citation in record.citations:
        for item in citation.items:
            key = item.key
            if key not in listed and key not in used and bib.get(key) is not None:
                report.error(source.path, source.body_line + citation.line - 1, "body",
                             f"'{key}' is cited in the text but not listed in sources",
                             f"{where}: every source the case study uses is listed there")
            used.add(key)
    outcomes = data.get("outcomes") if isinstance(data.get("outcomes"), list) else []
    for i, outcome in enumerate(outcomes):
        keys = outcome.get("sources") if isinstance(outcome, dict) else None
        for j, key in enumerate(keys if isinstance(keys, list) else []):
            if isinstance(key, str) and key not in listed and bib.get(key) is not None:
                report.error(source.path, source.line_of(("outcomes", i, "sources", j)), f"outcomes[{i}].sources[{j}]",
                             f"'{key}' is not listed in sources", where)
            used.add(key)
    for index, key in enumerate(listed_value):
        if isinstance(key, str) and key not in used and bib.get(key) is not None:
            report.warning(source.path, source.line_of(("sources", index)), f"sources[{index}]",
                           f"'{key}' is listed in sources but cited nowhere in the text or the outcomes",
                           f"cite it where its facts are used, as [@{key}], or remove it from sources")


def rubric(across: Across, report: Report) -> None:
    """A claim's evidence meets what the published rubric asks for its grade."""
    for record in across.evidence.claims.values():
        _check_rubric(record, across.evidence, report)


def _check_rubric(record: Record, evidence: Evidence, report: Report) -> None:
    strengths = evidence.taxonomy.get(evidence.schemas[CLAIM.key].vocabulary_at("strength"))
    data = record.data
    grade = data.get("strength")
    if strengths is None or not isinstance(grade, str) or grade not in strengths.terms:
        return  # unknown grades were reported by the vocabulary check
    supporting = data.get("supporting") if isinstance(data.get("supporting"), dict) else {}
    references = [k for k in supporting.get("references") or [] if isinstance(k, str)]
    cases = [c for c in supporting.get("case_studies") or [] if isinstance(c, str)]
    research = data.get("research_needed") if isinstance(data.get("research_needed"), list) else []
    facts = _ClaimFacts(len(set(references)) + len(set(cases)), cases, bool(research))

    def meets(requires: dict) -> list[str]:
        unmet = []
        if facts.supporting < requires.get("min_supporting", 0):
            unmet.append(f"at least {requires['min_supporting']} supporting sources (it has {facts.supporting})")
        if "max_supporting" in requires and facts.supporting > requires["max_supporting"]:
            unmet.append(f"at most {requires['max_supporting']} supporting sources (it has {facts.supporting})")
        kinds = set(requires.get("kinds", []))
        strong = sum(1 for case in facts.cases if _case_kinds(evidence, case) & kinds)
        if strong < requires.get("min_strong_items", 0):
            labels = ", ".join(sorted(kinds))
            unmet.append(f"at least {requires['min_strong_items']} supporting case studies with {labels} outcomes (it has {strong})")
        if requires.get("research_needed") and not facts.research_needed:
            unmet.append("a list of research_needed")
        return unmet

    unmet = meets(strengths.terms[grade].requires)
    if unmet:
        allowed = next((key for key, term in strengths.terms.items() if not meets(term.requires)), None)
        hint = f"the evidence supports '{allowed}'" if allowed else "see the rubric in evidence/taxonomy.yml"
        report.error(record.path, record.source.line_of(("strength",)), "strength",
                     f"graded '{grade}', but the rubric asks for " + "; ".join(unmet), hint)


@dataclass
class _ClaimFacts:
    supporting: int
    cases: list[str]
    research_needed: bool


def _case_kinds(evidence: Evidence, case_id: str) -> set[str]:
    record = evidence.case_studies.get(case_id)
    if record is None:
        return set()
    outcomes: Any = record.data.get("outcomes")
    return {o.get("evidence") for o in outcomes if isinstance(o, dict)} if isinstance(outcomes, list) else set()


def page_citations(across: Across, report: Report) -> None:
    """Every ``[@key]`` on a hand-written page (docs/) is a key in references.bib."""
    for directory, name in across.citing:
        for page in sorted(Path(directory).rglob("*.md")):
            if page.is_symlink():  # reported by coprod.checks.tree, never read
                continue
            text = page.read_text(encoding="utf-8", errors="replace")
            display = f"{name}/{page.relative_to(directory).as_posix()}"
            for citation in find_citations(text):
                for item in citation.items:
                    across.cite(item.key, display, citation.line, "body", report)


def words_of_checking(across: Across, report: Report) -> None:
    """Published text is written for readers (:mod:`coprod.checks.checkwords`)."""
    checkwords.check_published_text(across.evidence, report, [d for d, _ in across.citing],
                                    [name for _, name in across.citing])


def references_cited(across: Across, report: Report) -> None:
    """Every entry of references.bib is cited somewhere (run after every check that cites).
    Not known while a record cannot be read."""
    evidence = across.evidence
    if any(not r.source.readable for r in (*evidence.case_studies.values(), *evidence.claims.values())):
        return  # which references are cited is unknown until those files can be read
    bib = evidence.bibliography
    for key, entry_line in bib.lines.items():
        if key in bib.entries and key not in across.used:
            report.warning(bib.path or "evidence/references.bib", entry_line, f"references[{key}]",
                           f"reference '{key}' is not cited anywhere", "cite it from a case study or claim, or remove it")
