"""``scripts/new_case_study.py``: a new case-study file from the schema, asking for the essentials.

- At a terminal it asks for what the options did not give, and checks each answer as it is
  given (vocabulary terms and reference keys, with the validator's "did you mean"), asking
  again until it is right; Ctrl-C or Ctrl-D stops it cleanly and nothing is written.
- Without a terminal it never asks: every essential must come as an option, or
  ``--no-input`` says to leave what is missing for the validator to flag.
- The file has a few short guidance blocks, one per field that needs a choice and one per
  section of the story; ``--remove-guidance FILE`` takes them all out at once.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TextIO

import yaml

from ..checks.guidance import MARKER, REMOVE_COMMAND, remove_guidance
from ..checks.records import Evidence
from ..checks.vocabulary import unknown_term_hint
from ..model.fieldmap import field_map
from ..read.kinds import CASE_STUDY
from ..read.new_case_study import BODY_SECTIONS, Essentials, case_study_data, free_id, slug_id, taken_ids
from ..read.schema import Schema, did_you_mean
from ..read.words import counted
from .command import command_parser

PROG = "new_case_study.py"
WIDTH = 88
VALIDATE_COMMAND = "python3 scripts/validate.py"
FIELD_REFERENCE = "/contribute/fields/ on the site (or evidence/schema/case-study.schema.json)"
CAUTION_FIELDS = ("involved",)  # guidance that is about people's safety, whatever the values
OPTIONAL_LATER = ("aliases", "retraction", "updated", "changes")  # for editors, after publication

# Each essential, as the option that gives it (their argparse names are the same, with _)
ESSENTIALS = ("--title", "--summary", "--plain-english-summary", "--project", "--setting", "--stage", "--role",
              "--principle", "--outcome", "--source")

class Stop(Exception):
    """The contributor stopped at a prompt (Ctrl-C or Ctrl-D)."""


# ----------------------------------------------------------------------------- the command line

def parser() -> argparse.ArgumentParser:
    p = command_parser(PROG, "Write a new case study from the schema, with short guidance to follow. At a "
                       "terminal it asks for what the options do not give; without one, give every essential as "
                       "an option or add --no-input.")
    add = p.add_argument
    add("--title", help="what was co-produced, with whom")
    add("--id", help="the permanent id (default: a few words of the title, free; at a terminal it is shown and "
        "can be changed)")
    add("--summary", help="one sentence: what was done and what it showed")
    add("--plain-english-summary", metavar="TEXT", help="a short summary in plain English")
    add("--project", metavar="NAME", help="the research project's name")
    add("--country", action="append", default=[], help="a country, in English (repeat for more)")
    add("--setting", action="append", default=[], metavar="KEY", help="a settings key from taxonomy.yml (repeat)")
    add("--stage", action="append", default=[], metavar="KEY", help="a research stage key (repeat)")
    add("--role", action="append", default=[], help="a role of the people involved (repeat)")
    add("--principle", action="append", default=[], nargs=2, metavar=("KEY", "HOW"),
        help="a principle key and how the case shows it (repeat)")
    add("--outcome", action="append", default=[], nargs=3, metavar=("AREA", "EVIDENCE", "TEXT"),
        help="an outcome area key, kind of evidence key and description (repeat)")
    add("--source", action="append", default=[], metavar="KEY", help="a key in references.bib (repeat)")
    add("--evidence", default="evidence", metavar="DIR", help="the evidence folder (default: evidence)")
    add("--no-input", action="store_true", help="never ask; leave what is missing for the validator to flag")
    add("--ready", action="store_true",
        help="write status: published with today's date (default: status: draft, which the site leaves out "
             "until you change it)")
    add("--force", action="store_true", help="overwrite the file if it exists")
    add("--remove-guidance", metavar="FILE",
        help="take every guidance block out of FILE (when you have followed them), and write nothing else")
    return p


# ----------------------------------------------------------------------------- checking answers

def vocabulary_of(evidence: Evidence, *fields: str) -> str:
    """The vocabulary of a case-study field (the model's field names, wildcards left out),
    from its ``x-vocabulary`` in the schema: ``vocabulary_of(evidence, "outcomes", "area")``."""
    return evidence.schemas[CASE_STUDY.key].vocabulary_at(*fields)


def term_problems(values: list[str], vocabulary: str, evidence: Evidence) -> list[str]:
    """The validator's message for each value that is not a term of ``vocabulary``."""
    vocab = evidence.taxonomy.get(vocabulary)
    if vocab is None:
        return []
    keys = vocab.keys()
    terms = [(term.key, term.label, " ".join(term.definition.split())) for term in vocab.terms.values()]
    folder = field_map(evidence.schemas).folders.get(vocabulary)
    page = f"/{folder}/" if folder else None
    return [f"unknown term '{v}' in {vocabulary} ({unknown_term_hint(v, vocabulary, terms, page)})"
            for v in values if v not in keys]


def source_problems(keys: list[str], evidence: Evidence) -> list[str]:
    """The validator's message for each key that is not an entry of references.bib."""
    bib = evidence.bibliography
    problems = []
    for key in keys:
        if bib.get(key) is not None:
            continue
        real = bib.lookup_folded(key)
        hint = (f"keys are case-sensitive: did you mean '{real}'?" if real is not None else
                did_you_mean(key, list(bib.entries), "add its entry to evidence/references.bib first, or leave "
                             "it out for now"))
        problems.append(f"unknown reference '{key}' ({hint})")
    return problems


def option_problems(args: argparse.Namespace, evidence: Evidence) -> list[str]:
    """Every term and key given as an option that the validator would reject."""
    def vocabulary(*fields: str) -> str:
        return vocabulary_of(evidence, *fields)

    problems = [f"--setting: {m}" for m in term_problems(args.setting, vocabulary("settings"), evidence)]
    problems += [f"--stage: {m}" for m in term_problems(args.stage, vocabulary("research_stages"), evidence)]
    problems += [f"--principle: {m}" for m in term_problems([p[0] for p in args.principle],
                                                            vocabulary("principles", "principle"), evidence)]
    problems += [f"--outcome: {m}" for m in term_problems([o[0] for o in args.outcome],
                                                          vocabulary("outcomes", "area"), evidence)]
    problems += [f"--outcome: {m}" for m in term_problems([o[1] for o in args.outcome],
                                                          vocabulary("outcomes", "evidence"), evidence)]
    problems += [f"--source: {m}" for m in source_problems(args.source, evidence)]
    return problems


def missing_options(args: argparse.Namespace) -> list[str]:
    return [option for option in ESSENTIALS if not getattr(args, option[2:].replace("-", "_"))]


# ----------------------------------------------------------------------------- asking

class Asker:
    """Asks at the terminal; each answer is checked and asked again until it passes."""

    def __init__(self, evidence: Evidence, read: Callable[[str], str] = input, out: TextIO | None = None) -> None:
        self.evidence, self.read, self.out = evidence, read, out or sys.stdout

    def _line(self, prompt: str) -> str:
        try:
            return self.read(prompt).strip()
        except (EOFError, KeyboardInterrupt) as stop:
            raise Stop from stop

    def text(self, label: str, required: bool = False) -> str:
        while True:
            answer = self._line(f"{label}: ")
            if answer or not required:
                return answer
            print(f"  {label.split(' (')[0]} is needed (Ctrl-C stops without writing anything).", file=self.out)

    def many(self, label: str, check: Callable[[list[str]], list[str]] | None = None) -> list[str]:
        while True:
            answer = self._line(f"{label} (separate with commas; Enter to leave for later): ")
            values = [a.strip() for a in answer.split(",") if a.strip()]
            problems = check(values) if check else []
            if not problems:
                return values
            for problem in problems:
                print(f"  {problem}", file=self.out)

    def one(self, label: str, vocabulary: str) -> str:
        values = self.many(label, lambda v: term_problems(v, vocabulary, self.evidence)
                           or ([f"give one {vocabulary} key, not {len(v)}"] if len(v) > 1 else []))
        return values[0] if values else ""

    def keys(self, vocabulary: str) -> str:
        vocab = self.evidence.taxonomy.get(vocabulary)
        return ", ".join(vocab.keys()) if vocab else ""


def ask_essentials(args: argparse.Namespace, asker: Asker | None) -> Essentials:
    """The essentials from the options, with what they lack asked for when there is a terminal."""
    e = Essentials(title=args.title or "", summary=args.summary or "",
                   plain_english_summary=args.plain_english_summary or "", project=args.project or "",
                   countries=list(args.country), settings=list(args.setting), stages=list(args.stage),
                   roles=list(args.role), principles=[tuple(p) for p in args.principle],
                   outcomes=[tuple(o) for o in args.outcome], sources=list(args.source))
    if asker is None:
        return e
    evidence = asker.evidence
    e.title = e.title or asker.text("Title (what was co-produced, with whom)", required=True)
    e.summary = e.summary or asker.text("One-sentence summary")
    e.plain_english_summary = e.plain_english_summary or asker.text("Plain English summary")
    e.project = e.project or asker.text("Project name")
    e.countries = e.countries or asker.many("Countries, in English")
    for attribute, field, label in (("settings", "settings", "Settings"), ("stages", "research_stages", "Research stages")):
        vocabulary = vocabulary_of(evidence, field)
        if not getattr(e, attribute):
            setattr(e, attribute, asker.many(f"{label} ({asker.keys(vocabulary)})",
                                             lambda v, name=vocabulary: term_problems(v, name, evidence)))
    e.roles = e.roles or asker.many("Roles of the people involved (no names)")
    if not e.principles:
        principles = vocabulary_of(evidence, "principles", "principle")
        for key in asker.many(f"Principles ({asker.keys(principles)})",
                              lambda v: term_problems(v, principles, evidence)):
            e.principles.append((key, asker.text(f"How does it show {key}?")))
    if not e.outcomes:
        areas, kinds = vocabulary_of(evidence, "outcomes", "area"), vocabulary_of(evidence, "outcomes", "evidence")
        area = asker.one(f"An outcome area ({asker.keys(areas)})", areas)
        if area:
            kind = asker.one(f"Its kind of evidence ({asker.keys(kinds)})", kinds)
            e.outcomes.append((area, kind, asker.text("What happened?")))
    if not e.sources:  # references.bib read again at each answer: an entry added meanwhile counts
        e.sources = asker.many("Sources (keys in evidence/references.bib)",
                               lambda v: source_problems(v, _reread_bibliography(evidence)))
    return e


def _reread_bibliography(evidence: Evidence) -> Evidence:
    """``evidence`` with references.bib read again from disk (the contributor may have added
    an entry in another window while the prompt waited); its problems are the validator's
    business, not the prompt's."""
    from ..checks.reference_fields import load_references
    from ..read.problems import Report

    path = Path(evidence.root) / "references.bib"
    if path.is_file() and not path.is_symlink():
        evidence.bibliography = load_references(path, Report(), str(path))
    return evidence


def id_rules(evidence: Evidence) -> dict:
    """The schema's rules for a case study's id (pattern, length), as the schemas read
    already declare them (the id field, its ``$ref`` followed)."""
    return evidence.schemas[CASE_STUDY.key].field_schema(("id",)) or {}


def ask_id(title: str, taken: set[str], asker: Asker) -> str:
    """Show the id made from the title (the page's permanent address) and let the contributor
    keep it (Enter) or type another; an answer that is not a valid, free id is asked again."""
    proposed = free_id(title or "new case study", taken)
    print(f"Its id, the permanent address /case-studies/{proposed}/, is: {proposed}", file=asker.out)
    while True:
        answer = asker._line(f"Id (Enter keeps {proposed}, or type a shorter one): ") or proposed
        problem = id_problem(answer, taken, id_rules(asker.evidence))
        if problem is None:
            return answer
        print(f"  {problem}", file=asker.out)


def id_problem(case_id: str, taken: set[str], rules: dict) -> str | None:
    """Why ``case_id`` cannot be a new case study's id (``rules``: the schema's id), or None."""
    low, high = rules.get("minLength", 1), rules.get("maxLength", 80)
    if not re.fullmatch(rules.get("pattern", ".*"), case_id) or not low <= len(case_id) <= high:
        return (f"'{case_id}' is not an id: use lower-case words and digits joined by hyphens, {low} to {high} "
                f"characters (a few words are best), like {slug_id('peer researchers in housing')}")
    if case_id in taken:
        return f"'{case_id}' is taken (by a case study, an alias or the site); choose another"
    return None


# ----------------------------------------------------------------------------- the file

def _wrap(text: str, prefix: str) -> list[str]:
    indent = "#   " if prefix == "#" else "> "
    return textwrap.wrap(f"{prefix} {MARKER} {text}", WIDTH, subsequent_indent=indent, break_on_hyphens=False,
                         break_long_words=False)


def _vocabularies(node: dict) -> list[tuple[str, str]]:
    """(item field, vocabulary) for a field whose items hold several vocabulary fields."""
    items = node.get("items") if isinstance(node.get("items"), dict) else {}
    return [(name, sub["x-vocabulary"]) for name, sub in items.get("properties", {}).items()
            if isinstance(sub, dict) and sub.get("x-vocabulary")]


def _vocabulary_of(node: dict) -> str | None:
    """The vocabulary of a field, of its items, or of its items' first vocabulary field."""
    items = node.get("items") if isinstance(node.get("items"), dict) else {}
    for candidate in (node, items, *items.get("properties", {}).values()):
        if isinstance(candidate, dict) and candidate.get("x-vocabulary"):
            return candidate["x-vocabulary"]
    return None


def _field_guidance(name: str, node: dict, evidence: Evidence) -> list[str]:
    def keys(vocabulary: str) -> str:
        vocab = evidence.taxonomy.get(vocabulary)
        return ", ".join(vocab.keys()) if vocab else ""

    several = _vocabularies(node)
    if len(several) > 1:
        return _wrap(f"{name}: " + "; ".join(f"{field} is one of {keys(v)}" for field, v in several) + ".", "#")
    vocabulary = _vocabulary_of(node)
    if vocabulary and evidence.taxonomy.get(vocabulary):
        return _wrap(f"{name}: one or more of {keys(vocabulary)}.", "#")
    if name in CAUTION_FIELDS:
        return _wrap(f"{name}: {node.get('description', '')}", "#")
    return []


def template_text(schema: Schema, evidence: Evidence, data: dict, path: str) -> str:
    """The new file: the given fields in schema order, a guidance line where a field needs a
    choice, one block naming the optional fields, and one guidance quote per story section."""
    properties = {pattern[0]: node for pattern, node in schema.fields() if len(pattern) == 1}
    lines = ["---", *_wrap(f"Every field is explained in {FIELD_REFERENCE}. When you have followed the "
                           "GUIDANCE lines, remove them all at once: " + REMOVE_COMMAND.format(path=path), "#")]
    for name, node in properties.items():
        if name not in data:
            continue
        lines += _field_guidance(name, node, evidence)
        if name == "status" and data[name] == "draft":
            lines += _wrap("status: draft is checked but not shown on the site; when the case study is ready, "
                           "change it to published (and published: to that day).", "#")
        lines += yaml.safe_dump({name: data[name]}, sort_keys=False, allow_unicode=True,
                                width=WIDTH).rstrip("\n").split("\n")
    optional = [n for n in properties if n not in data and n not in OPTIONAL_LATER]
    if optional:
        lines += _wrap("Add any of these the sources support, as the field reference shows: "
                       + ", ".join(optional) + ".", "#")
    lines += ["---", ""]
    for number, (heading, prompt) in enumerate(BODY_SECTIONS):
        cite = " Cite a source as `[@key]`, several as `[@a; @b]`; see the guide for pages." if number == 0 else ""
        lines += [f"## {heading}", "", *_wrap(prompt + cite, ">"), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# ----------------------------------------------------------------------------- main

def _load_quietly(folder: Path) -> Evidence:
    from ..checks.evidence import load_evidence
    from ..read.problems import Report

    evidence = load_evidence(folder, Report())
    if evidence is None:
        raise SystemExit(f"{PROG}: cannot read the schemas in {folder / 'schema'}; is --evidence the evidence folder?")
    return evidence


def _remove(path: Path) -> int:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        print(f"{PROG}: cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return 1
    cleaned, count = remove_guidance(text)
    if count:
        path.write_text(cleaned, encoding="utf-8")
    print(f"Removed {counted(count, 'guidance block')} from {path}. "
          f"Check it with: {VALIDATE_COMMAND}")
    return 0


def main(argv: list[str] | None = None, today: date | None = None, read: Callable[[str], str] = input,
         interactive: bool | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return _main(args, today, read, interactive)
    except (Stop, KeyboardInterrupt):  # Ctrl-C or Ctrl-D, at a prompt or while reading the evidence
        print("\nStopped: nothing was written.", file=sys.stderr)
        return 130


def _main(args: argparse.Namespace, today: date | None, read: Callable[[str], str], interactive: bool | None) -> int:
    if args.remove_guidance:
        return _remove(Path(args.remove_guidance))
    folder = Path(args.evidence)
    evidence = _load_quietly(folder)
    problems = option_problems(args, evidence)
    if problems:
        for problem in problems:
            print(f"{PROG}: {problem}", file=sys.stderr)
        print(f"{PROG}: nothing was written.", file=sys.stderr)
        return 2
    if interactive is None:
        interactive = not args.no_input and sys.stdin.isatty()
    if not interactive and not args.no_input:
        missing = missing_options(args)
        if missing:
            print(f"{PROG}: there is no terminal to ask at, so give every essential as an option; missing: "
                  f"{', '.join(missing)}. Or add --no-input to write the file with them left empty for the "
                  "validator to flag. Nothing was written.", file=sys.stderr)
            return 2
    asker = Asker(evidence, read) if interactive else None
    taken = taken_ids(folder / CASE_STUDY.folder)
    own_file = (folder / CASE_STUDY.folder / f"{args.id}.md").exists()  # --force or "already exists", below
    if args.id and (problem := id_problem(args.id, taken - {args.id} if own_file else taken, id_rules(evidence))):
        print(f"{PROG}: --id: {problem}. Nothing was written.", file=sys.stderr)
        return 2
    essentials = ask_essentials(args, asker)
    if args.id:
        case_id = args.id
    elif asker is not None:
        case_id = ask_id(essentials.title, taken, asker)
    else:
        case_id = free_id(essentials.title or "new case study", taken)
    data = case_study_data(case_id, essentials, today or date.today(), ready=args.ready)
    path = folder / CASE_STUDY.folder / f"{case_id}.md"
    if path.exists() and not args.force:
        print(f"{PROG}: {path} already exists; choose another --id or use --force. Nothing was written.",
              file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    in_repository = f"{folder.resolve().name}/{CASE_STUDY.folder}/{case_id}.md"  # as run from the repository root
    path.write_text(template_text(evidence.schemas[CASE_STUDY.key], evidence, data, in_repository), encoding="utf-8")
    print(f"Wrote {path} (id {case_id}, status: {data['status']}). Next:\n"
          f"  1. fill it in, following the GUIDANCE lines;\n"
          f"  2. remove them all: {REMOVE_COMMAND.format(path=path.as_posix())}\n"
          f"  3. check it: {VALIDATE_COMMAND}"
          + ("" if args.ready else "\n  4. when it is ready, change status: draft to status: published"))
    return 0
