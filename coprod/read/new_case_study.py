"""What a new case study starts as, for every way in: the contribute page, the issue form
and the contributor's commands (``scripts/new_case_study.py``, ``scripts/from_issue.py``).

- its id: :func:`slug_id` made from the title, :func:`free_id` among the :func:`taken_ids`;
- its front matter from the :class:`Essentials` a contributor gives (:func:`case_study_data`,
  in the schema's order, with the :data:`DEFAULTS`), and the sections of its story
  (:data:`BODY_SECTIONS`);
- the questions of the case-study issue form (:data:`ISSUE_FIELDS`, which
  :func:`coprod.pages.contribute.issue_form` writes out) and how an answered issue is read
  (:func:`parse_issue`, :func:`case_study_from_issue`).

The page (:mod:`coprod.pages.contribute`) and the commands (:mod:`coprod.cli`) both use
this; neither imports the other.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import frontmatter

from . import urls
from .kinds import CURRENT, DEFAULT_LICENCE
from .problems import Report
from .source import read_source

RESERVED_IDS = tuple(sorted(urls.reserved_names(posixpath.dirname(urls.case_study("x")))))  # the catalogue's
MAX_ID_LENGTH = 40  # an address people type and cite: a few words, not the whole title
DEFAULTS = {"status": CURRENT, "version": "1.0", "licence": DEFAULT_LICENCE}
BODY_SECTIONS = (
    ("What the project was", "What the research was about, who ran it, where and when, citing each source by its key."),
    ("How people were involved", "Who took part, in which roles, at which stages, and how decisions were shared."),
    ("What difference it made", ("The outcomes, and how we know each one: measured, reported by those involved, "
                                "the authors' reflection or an independent evaluation.")),
    ("What we do not know", ("What the sources do not say (payment, cost, who decided what). Leave it out rather "
                            "than guess, and say so here.")),
)


# ----------------------------------------------------------------------------- ids

# little words an id should not end on: a cut just before one falls between phrases
_LINKING_WORDS = frozenset((
    "a", "an", "and", "the", "of", "for", "with", "in", "on", "to", "by", "at", "from", "into", "about", "as", "or",
    "nor", "but", "their", "its", "his", "her", "our", "your", "through", "after", "before", "during", "between",
    "across", "among", "within", "without", "over", "under", "via", "than", "who", "which", "that"))
_PHRASE_BREAK = re.compile(r"[:;,.!?()\[\]/\u2013\u2014]|\s-\s")


def slug_id(title: str) -> str:
    """A permanent id from a title: lower-case words joined by hyphens, at most 60 characters.
    A long title is cut between phrases (at punctuation or before a linking word such as
    'with' or 'a'), never inside a phrase nor after a linking word."""
    lowered = title.lower()
    found = list(re.finditer(r"[a-z0-9]+", lowered))
    words = [m.group() for m in found]
    full = "-".join(words)
    if len(full) > MAX_ID_LENGTH:
        fits = 0  # how many words fit
        while fits < len(words) and len("-".join(words[:fits + 1])) <= MAX_ID_LENGTH:
            fits += 1
        between = [lowered[found[i].end():found[i + 1].start()] for i in range(len(found) - 1)]
        phrase_ends = [n for n in range(1, fits + 1) if words[n - 1] not in _LINKING_WORDS
                       and (words[n] in _LINKING_WORDS or _PHRASE_BREAK.search(between[n - 1]))]
        if phrase_ends and len("-".join(words[:phrase_ends[-1]])) >= MAX_ID_LENGTH // 3:
            fits = phrase_ends[-1]
        while fits > 1 and words[fits - 1] in _LINKING_WORDS:
            fits -= 1
        full = "-".join(words[:fits]) if fits else words[0][:MAX_ID_LENGTH]  # one word longer than an id
    return full if len(full) >= 3 else (full + "-case-study").strip("-")


def taken_ids(folder: Path) -> set[str]:
    """Ids and aliases already used in ``folder`` (unreadable files count by name only)."""
    taken = set(RESERVED_IDS)
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        taken.add(path.stem)
        source = read_source(path, path.name, Report())  # strict and bounded, like the validator
        aliases = source.data.get("aliases") or [] if source.readable else []
        taken |= {a for a in aliases if isinstance(a, str)} if isinstance(aliases, list) else set()
    return taken


def free_id(title: str, taken: set[str]) -> str:
    """The id made from ``title``, with -2, -3, ... added when it is taken."""
    base = slug_id(title)
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


# ----------------------------------------------------------------------------- the template

@dataclass
class Essentials:
    """What a contributor must give for a case study the validator accepts."""

    title: str = ""
    summary: str = ""
    plain_english_summary: str = ""
    project: str = ""
    countries: list[str] = field(default_factory=list)
    settings: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    principles: list[tuple[str, str]] = field(default_factory=list)  # (key, how)
    outcomes: list[tuple[str, str, str]] = field(default_factory=list)  # (area, evidence kind, description)
    sources: list[str] = field(default_factory=list)


def case_study_data(case_id: str, essentials: Essentials, today: date, ready: bool = True) -> dict:
    """Front matter in schema order; what is not known yet is left empty for the validator to
    flag. Not ``ready``: ``status: draft``, which the validator checks and the site leaves out."""
    e = essentials
    project: dict[str, Any] = {"name": e.project}
    if e.countries:
        project["countries"] = e.countries
    return {
        "id": case_id, "title": e.title, "summary": e.summary, "plain_english_summary": e.plain_english_summary,
        "status": DEFAULTS["status"] if ready else "draft", "published": today.isoformat(), "version": DEFAULTS["version"],
        "project": project, "settings": e.settings, "research_stages": e.stages,
        "involved": [{"role": role} for role in e.roles],
        "principles": [{"principle": key, "how": how} for key, how in e.principles],
        "outcomes": [{"area": area, "description": text, "evidence": kind, "sources": list(e.sources)}
                     for area, kind, text in e.outcomes],
        "sources": e.sources, "licence": DEFAULTS["licence"],
    }


def render_case_study(data: dict, body: str) -> str:
    """A finished case-study file (no guidance): front matter in the given order, then the body."""
    post = frontmatter.Post(body.strip() + "\n", **data)
    return frontmatter.dumps(post, sort_keys=False, width=88) + "\n"


# ----------------------------------------------------------------------------- the issue form's questions, and an answered issue

NO_RESPONSE = "_No response_"


class IssueField(NamedTuple):
    """One question of the case-study issue form."""

    key: str  # how the code names it (never by its label, which readers see)
    label: str  # its heading in the form and in the issue's body
    kind: str  # the issue form's element: input, textarea, dropdown, checkboxes
    help: str  # a dropdown's is the field whose vocabulary it offers; {field_subfield} is that vocabulary's keys


# in the order the form asks
ISSUE_FIELDS = (
    IssueField("title", "Title", "input", "What was co-produced, with whom (10 to 200 characters)."),
    IssueField("summary", "One-sentence summary", "input", "What was done and what it showed."),
    IssueField("plain_english_summary", "Plain English summary", "textarea",
               "Short sentences, everyday words, at least 50 characters. Aim for a reading grade of 9 or below."),
    IssueField("project", "Project name", "input", "The research project's name."),
    IssueField("countries", "Countries", "input", "In English, separated by commas, like: United Kingdom, Norway."),
    IssueField("settings", "Settings", "dropdown", "settings"),
    IssueField("stages", "Research stages", "dropdown", "research_stages"),
    IssueField("involved", "Who was involved", "textarea",
               "One role per line, like: peer researchers with lived experience of psychosis. "
               "Do not name anyone here: this issue is public."),
    IssueField("principles", "Principles it shows", "textarea",
               "One per line: principle key, a colon, then how. Keys: {principles_principle}."),
    IssueField("outcomes", "Outcomes", "textarea",
               "One per line: area key | evidence kind key | what happened. Areas: {outcomes_area}. "
               "Kinds of evidence: {outcomes_evidence}."),
    IssueField("sources", "Sources", "textarea",
               "Keys of entries already in evidence/references.bib, one per line, or full BibTeX "
               "entries for new sources (an editor adds them)."),
    IssueField("story", "The story", "textarea", "The case study in your own words, in markdown, citing sources as [@key]."),
    IssueField("consent", "Consent and anonymity", "checkboxes", ""),
)
ISSUE_LABELS = {field.key: field.label for field in ISSUE_FIELDS}
CONSENT_OPTIONS = (
    "No one is named without their recorded consent, and there are no contact details.",
    "There are no health details of identifiable people.",
    "Every fact comes from a source listed above.",
)


def parse_issue(body: str) -> dict[str, str | None]:
    """Sections of an issue made from a form: ``### Label`` then the value; None for no response."""
    sections: dict[str, str | None] = {}
    parts = re.split(r"(?m)^###[ \t]+(.+?)[ \t]*$", body.replace("\r\n", "\n"))
    for label, value in zip(parts[1::2], parts[2::2]):
        value = value.strip()
        sections[label.strip()] = None if value in ("", NO_RESPONSE) else value
    return sections


def case_study_from_issue(sections: dict[str, str | None], taken: set[str], today: date) -> tuple[str, dict, str]:
    """(id, front matter, body) from a parsed issue; what is missing stays empty for the validator."""
    def answer(key: str) -> str:
        return sections.get(ISSUE_LABELS[key]) or ""

    def text(key: str) -> str:
        return " ".join(answer(key).split())

    def lines(key: str) -> list[str]:
        return [line.strip(" -*\t") for line in answer(key).split("\n") if line.strip(" -*\t")]

    sources, _ = issue_sources(answer("sources"))
    essentials = Essentials(
        title=text("title"), summary=text("summary"), plain_english_summary=text("plain_english_summary"),
        project=text("project"), countries=[c.strip() for c in text("countries").split(",") if c.strip()],
        settings=_keys(text("settings")), stages=_keys(text("stages")), roles=lines("involved"),
        principles=[_split(line, ":", 2) for line in lines("principles")],  # type: ignore[misc]
        outcomes=[_split(line, "|", 3) for line in lines("outcomes")],  # type: ignore[misc]
        sources=sources)
    case_id = free_id(essentials.title or "new case study", taken)
    return case_id, case_study_data(case_id, essentials, today), answer("story").strip()


def issue_sources(text: str) -> tuple[list[str], list[str]]:
    """(keys, new BibTeX entries) from the Sources section: plain keys and pasted entries."""
    entries = re.findall(r"(?ms)^@\w+\s*\{.*?^\}", text)
    keys = [re.match(r"@\w+\s*\{\s*([^,\s]+)", entry).group(1) for entry in entries]  # type: ignore[union-attr]
    rest = re.sub(r"(?ms)^@\w+\s*\{.*?^\}", "", text.replace("```bibtex", "").replace("```", ""))
    keys += [word.strip(" -*,;") for word in rest.split() if re.fullmatch(r"[A-Za-z0-9_:.-]+", word.strip(" -*,;"))]
    return list(dict.fromkeys(keys)), entries


def _keys(value: str) -> list[str]:
    """Dropdown answers 'key: Label, key: Label' to keys."""
    return [item.split(":")[0].strip() for item in value.split(",") if item.strip()]


def _split(line: str, separator: str, parts: int) -> tuple[str, ...]:
    found = [part.strip() for part in line.split(separator, parts - 1)]
    return tuple(found + [""] * (parts - len(found)))
