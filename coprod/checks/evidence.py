"""Load the whole evidence folder and check it: the one entry point for scripts and hooks.

``load_evidence(folder)`` reads the taxonomy, the bibliography, every case study and claim,
checks each file on its own (strict YAML, schema, vocabularies, plain text, bodies) and then
across files (ids, aliases, citations, claims' evidence against the rubric), each check a
unit declared in :mod:`coprod.checks.registry`, and returns the model with a
:class:`Report` of every problem found.
"""

from __future__ import annotations

import gc
import marshal
import os
import pickle
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cite.bibtex import Bibliography
from ..cite.syntax import Citation, CiteItem
from ..read import buildcache, strictyaml
from ..read.kinds import CASE_STUDY, CLAIM, KINDS
from ..read.problems import Problem, Report
from ..read.schema import AnnotationError, Schema, did_you_mean, load_schemas
from ..read.source import SourceFile, as_written, decode, dotted, parse_front_matter, read_source
from ..read.taxonomy import Taxonomy, Vocabulary, build_taxonomy
from ..render.body_html import Prerendered
from . import cachedata, checkwords, registry, tree
from .across import Across, check_sources_listed
from .annotated import check_annotated, plain_text_paths
from .encodable import check_encodable
from .records import Evidence, Record
from .reference_fields import load_references
from .subject import Subject
from .vocabulary import Term

KIND_FOLDERS = {kind.key: kind.folder for kind in KINDS.values()}
PARALLEL_THRESHOLD = 400  # below this many files a process pool costs more than it saves


# ---------------------------------------------------------------------------------------
# Checking one file. Runs in worker processes for large folders, so it reads only the
# module-level context that :func:`_init_worker` sets.

@dataclass
class _Context:
    root: Path
    schemas: dict[str, Schema]
    vocabularies: dict[str, list[Term]]  # name -> (key, label, definition) of each term


_CONTEXT: _Context | None = None


def _init_worker(root: Path, vocabularies: dict[str, list[Term]]) -> None:
    global _CONTEXT
    _CONTEXT = _Context(root, _schemas(root / "schema"), vocabularies)


_SCHEMAS: dict[str, dict[str, Schema]] = {}  # the compiled schemas of this process, by content


def _schemas(folder: Path, shown: str | None = None) -> dict[str, Schema]:
    """load_schemas, compiled once per process for the same schema files (mkdocs serve
    loads the evidence again on every change); ``shown``: the folder as messages show it."""
    key = buildcache.digest(buildcache.code_version(), buildcache.files_digest(folder))
    if key not in _SCHEMAS:
        _SCHEMAS.clear()
        _SCHEMAS[key] = load_schemas(folder, shown)
    return _SCHEMAS[key]


def check_record_file(kind: str, path: Path, display: str) -> tuple[Record, list[Problem]]:
    """Read and check one case study or claim on its own. Never raises."""
    report = Report()
    record = Record(kind, SourceFile(display))
    try:
        try:
            raw = path.read_bytes()  # read once: for the record, and as written for the checks that read the file
        except OSError:
            raw = None  # read_source reports it
        record.source = read_source(path, display, report, raw)
        if record.source.readable:
            assert _CONTEXT is not None
            _check_file(Subject(record, _CONTEXT.schemas[kind], _CONTEXT.vocabularies, path=path,
                                text=as_written(raw) if raw is not None else None), report)
        # warned of by the checks across files, for the records published: looked for here, where files are checked in parallel
        record.checkwords = checkwords.record_findings(record)
    except Exception as exc:  # noqa: BLE001 - a bug must not hide the other files' problems
        report.error(display, 1, "file", f"internal error while checking this file: {type(exc).__name__}: {exc}",
                     "please report this to the library's maintainers")
        if os.environ.get("COPROD_DEBUG"):
            traceback.print_exc()
    record.valid = not any(p.severity == "error" for p in report.problems)
    return record, report.problems + report.info


def _check_file(subject: Subject, report: Report) -> None:
    """Every check of one file, in the order the registry declares them."""
    for check in registry.FILE_CHECKS:  # looked up here, so a benchmark can time each
        if subject.kind in check.kinds:
            check.run(subject, report)


def vocabularies_of(taxonomy: Taxonomy) -> dict[str, list[Term]]:
    """What the per-file checks know of the taxonomy: (key, label, definition) of each term."""
    return {name: [(term.key, term.label, " ".join(term.definition.split())) for term in vocab.terms.values()]
            for name, vocab in taxonomy.vocabularies.items()}


_OLD_CONTEXT: dict[str, Taxonomy] = {}  # the taxonomy the context was last made for by check_old_version


def check_old_version(kind: str, text: str, display: str, root: Path, taxonomy: Taxonomy, bibliography: Bibliography,
                      case_studies: Iterable[str]) -> tuple[Record, list[Problem]]:
    """An earlier state of a record file (from the git history, coprod.read.history), checked
    as a file of today's evidence would be: its own checks, then its references and case
    studies against today's (``case_studies``: their ids). Never raises; the problems are
    returned, the errors among them meaning the version cannot be built."""
    report = Report()
    record = Record(kind, SourceFile(display))
    try:
        if _CONTEXT is None or _CONTEXT.root != root or _OLD_CONTEXT.get("taxonomy") is not taxonomy:
            _init_worker(root, vocabularies_of(taxonomy))  # the schemas compiled once per process (_schemas)
            _OLD_CONTEXT["taxonomy"] = taxonomy
        parse_front_matter(text, record.source, report)
        if record.source.readable:
            _check_file(Subject(record, _CONTEXT.schemas[kind], _CONTEXT.vocabularies, text=text), report)
        if not report.errors:
            _check_old_links(record, bibliography, set(case_studies), report)
    except Exception as exc:  # noqa: BLE001 - an old file must never stop the build
        report.error(display, 1, "file", f"internal error while checking this version: {type(exc).__name__}: {exc}")
    record.valid = not report.errors
    return record, report.problems


def _check_old_links(record: Record, bibliography: Bibliography, case_ids: set[str], report: Report) -> None:
    source = record.source
    schema = _CONTEXT.schemas[record.kind]
    for annotated in schema.annotated:
        ref = annotated.annotations.get("x-reference")
        for path, value in annotated.values(source.data) if ref else ():
            if ref == "bibtex" and isinstance(value, str) and bibliography.get(value) is None:
                report.error(source.path, source.line_of(path), dotted(path), f"reference '{value}' is no longer in references.bib")
            elif ref == CASE_STUDY.key and isinstance(value, str) and value not in case_ids:
                report.error(source.path, source.line_of(path), dotted(path), f"case study '{value}' no longer exists")
    for citation in record.citations:
        for item in citation.items:
            if bibliography.get(item.key) is None:
                report.error(source.path, source.body_line + citation.line - 1, "body",
                             f"reference '{item.key}' is no longer in references.bib")
    if record.kind == CASE_STUDY.key:
        check_sources_listed(record, bibliography, report)


# ---------------------------------------------------------------------------------------
# The whole folder.

def load_evidence(root: Path, report: Report, citing_dirs: Iterable[Path] = (), workers: int | None = None,
                  display_root: Path | None = None, cache_dir: Path | None = None) -> Evidence | None:
    """Load and check ``root`` (the evidence folder). None only if the schemas are unusable.

    ``citing_dirs`` are folders of hand-written pages (docs/) whose ``[@key]`` citations
    count as uses of references. ``display_root`` is what paths in messages are relative to
    (default: the folder that holds ``root``). ``cache_dir`` (see coprod.read.buildcache) keeps
    each file's own checks, keyed by its bytes, the schemas, the vocabularies and the code,
    so that a file that did not change is not checked again; the checks across files
    always run.
    """
    # Loading makes millions of small objects that all live to the end: the cyclic garbage
    # collector would rescan them again and again (time grows faster than the file count).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_evidence(root, report, citing_dirs, workers, display_root, cache_dir)
    finally:
        if enabled:
            gc.enable()


def _load_evidence(root: Path, report: Report, citing_dirs: Iterable[Path], workers: int | None,
                   display_root: Path | None, cache_dir: Path | None = None) -> Evidence | None:
    root = Path(root)
    base = Path(display_root) if display_root is not None else root.parent

    def show(path: Path) -> str:
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            return path.as_posix()

    # a link could publish any file of the build machine: each is reported, and nothing is read through one
    links = tree.find_links(root, report, show)
    if any(link == root or link.is_relative_to(root / "schema") for link in links):
        return None
    try:
        schemas = _schemas(root / "schema", show(root / "schema"))
    except AnnotationError as error:  # each at its file and line; no record can be checked against them
        report.extend(error.problems)
        return None
    except Exception as exc:  # noqa: BLE001
        report.error(show(root / "schema"), 1, "schema", f"the schemas cannot be loaded: {type(exc).__name__}: {exc}")
        return None
    taxonomy = _load_taxonomy(root / "taxonomy.yml", show(root / "taxonomy.yml"), schemas, report)
    _check_vocabularies_named(schemas, taxonomy, lambda kind: show(root / "schema" / KINDS[kind].schema), report)
    evidence = Evidence(root, schemas, taxonomy, Bibliography())
    bib_path = root / "references.bib"

    def load_references() -> None:  # runs while the worker processes check the files
        if bib_path in links:
            evidence.bibliography = Bibliography(path=show(bib_path))
        elif bib_path.exists():
            evidence.bibliography = _cached_bibliography(bib_path, report, show(bib_path), cache_dir)
        else:
            report.error(show(bib_path), 0, "references", "the bibliography is missing",
                         "create evidence/references.bib")
            evidence.bibliography = Bibliography(path=show(bib_path))

    vocabularies = vocabularies_of(taxonomy)
    jobs: list[tuple[str, Path, str]] = []
    for kind, folder in KIND_FOLDERS.items():
        directory = root / folder
        if not directory.is_dir() or directory in links:
            continue
        for path in sorted(directory.iterdir()):
            if path.name.startswith(".") or path.name.lower() == "readme.md":
                continue
            if path in links:  # reported above
                continue
            if path.is_dir() or path.suffix != ".md":
                report.error(show(path), 0, "file", f"unexpected {'folder' if path.is_dir() else 'file'} in {folder}/",
                             f"each {kind.replace('-', ' ')} is one <id>.md file")
                continue
            jobs.append((kind, path, show(path)))

    found = Across(evidence, [(Path(d), show(d)) for d in citing_dirs])
    for record, problems in _cached_checks(root, vocabularies, jobs, workers, load_references, cache_dir):
        report.extend(problems)
        records = evidence.records(record.kind)
        key = record.id or Path(record.path).stem
        if key in records:  # the first keeps its id; the unit "ids are unique" reports the other
            found.duplicates.append((key, record, records[key]))
            continue
        records[key] = record

    for check in registry.LIBRARY_CHECKS:  # looked up here, so a benchmark can time each
        check.run(found, report)
    return evidence


# Each file's own checks, by content: the results of the last load in this process (mkdocs
# serve loads again on every change) and, with a cache folder, on disk. Kept as the plain
# data of coprod.checks.cachedata, so that whatever a build does to its records, the next one
# starts from what the check made, and what is read from disk is data that is checked.
_MEMORY: dict[str, Any] = {}
KEEP_IN_MEMORY = [True]  # False for a one-off build (the hook's on_startup): the data of every file is not held to its end
KEEP_OTHERS = 2_000  # files' checks other working trees used, kept in the shared pack beside this load's


def keep_checks_in_memory(keep: bool) -> None:
    """Whether the next loads keep each file's checked data in this process for the load
    after them (``mkdocs serve``); a build that loads once frees it (at 10,000 case studies,
    hundreds of MB held to the end of the build for nothing)."""
    global _MEMORY
    KEEP_IN_MEMORY[0] = keep
    if not keep:
        _MEMORY = {}


def _cached_checks(root: Path, vocabularies: dict[str, list[Term]], jobs: list[tuple[str, Path, str]],
                   workers: int | None, meanwhile: Callable[[], None],
                   cache_dir: Path | None) -> list[tuple[Record, list[Problem]]]:
    """:func:`_run_checks` for the files whose results are not cached."""
    global _MEMORY
    if not buildcache.enabled():
        return _run_checks(root, vocabularies, jobs, workers, meanwhile)
    store = buildcache.Pack(cache_dir, "checks")
    context = buildcache.digest(buildcache.code_version(), buildcache.files_digest(root / "schema"),
                                repr(sorted((name, list(keys)) for name, keys in vocabularies.items())))

    def key_of(kind: str, path: Path, display: str) -> str | None:
        try:
            return buildcache.digest(context, kind, display, path.read_bytes())
        except OSError:
            return None  # unreadable: checked (and reported) every time

    keys = [key_of(*job) for job in jobs]
    stored = [None if key is None else _MEMORY.get(key) or store.get(key) for key in keys]
    results: list[tuple[Record, list[Problem]] | None] = [
        None if data is None else cachedata.checked_from_data(data) for data in stored]
    missing = [i for i, found in enumerate(results) if found is None]
    found = set(range(len(jobs))) - set(missing)
    checked = _run_checks(root, vocabularies, [jobs[i] for i in missing], workers if len(missing) > 1 else 1, meanwhile)
    memory: dict[str, Any] = {}
    for i, result in zip(missing, checked):
        results[i] = result
        # stored only if the file still holds the bytes its key was made from
        if keys[i] is not None and key_of(*jobs[i]) == keys[i]:
            data = cachedata.checked_to_data(result)
            if data is not None:
                memory[keys[i]] = data
    for i in found:
        memory[keys[i]] = stored[i]
    _MEMORY = memory if KEEP_IN_MEMORY[0] else {}
    if missing:
        store.save(memory, keep_earlier=KEEP_OTHERS)
    return results  # type: ignore[return-value]


def _cached_bibliography(path: Path, report: Report, display: str, cache_dir: Path | None) -> Bibliography:
    """load_references, kept by the file's bytes (in this process and in ``cache_dir``)."""
    global _BIBLIOGRAPHY
    try:
        key = buildcache.digest(buildcache.code_version(), display, path.read_bytes()) if buildcache.enabled() else None
    except OSError:
        key = None
    store = buildcache.Store(cache_dir, "bibliography")
    if key is not None:
        data = _BIBLIOGRAPHY.get(key)
        if data is None:
            data = buildcache.decode(store.get(key))
        found = None if data is None else cachedata.bibliography_from_data(data)
        if found is not None:
            _BIBLIOGRAPHY = {key: data}
            bibliography, problems, info = found
            report.extend(problems)
            report.info.extend(info)
            return bibliography
    own = Report()
    bibliography = load_references(path, own, display)
    report.extend(own.problems)
    report.info.extend(own.info)
    try:
        unchanged = key is not None and buildcache.digest(buildcache.code_version(), display, path.read_bytes()) == key
    except OSError:
        unchanged = False
    if unchanged:
        data = cachedata.bibliography_to_data(bibliography, own.problems, own.info)
        _BIBLIOGRAPHY = {key: data}
        store.put(key, buildcache.encode(data))
        store.prune({key})
    return bibliography


_BIBLIOGRAPHY: dict[str, Any] = {}


def _run_checks(root: Path, vocabularies: dict[str, list[Term]], jobs: list[tuple[str, Path, str]],
                workers: int | None, meanwhile: Callable[[], None]) -> list[tuple[Record, list[Problem]]]:
    """Check every file, in worker processes for large folders; ``meanwhile`` runs in this
    process while they work."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(jobs) >= PARALLEL_THRESHOLD else 1
    if workers <= 1:
        meanwhile()
        if not jobs:
            return []
        _init_worker(root, vocabularies)
        return [check_record_file(*job) for job in jobs]
    # small enough that the workers finish together (a chunk is a worker's last work while the
    # others may be done), large enough that handing them out costs nothing
    chunk = max(1, min(100, len(jobs) // (workers * 8)))
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(root, vocabularies)) as pool:
        results = pool.map(_check_packed, *zip(*jobs), chunksize=chunk)
        meanwhile()
        return [_unpack(packed) for packed in results]


# A worker's result travels as marshal's bytes of plain tuples: made and read at C speed,
# where pickling the records (dataclasses in dataclasses) took more of the workers' time than
# some checks, and unpickling them was work for this process alone. What marshal cannot
# write (never made by the reader, but a worker's result is not assumed) goes pickled.
_MARSHALLED, _PICKLED = b"m", b"p"


def _check_packed(kind: str, path: Path, display: str) -> bytes:
    """:func:`check_record_file` in a worker: its result as :func:`_unpack` reads it."""
    return _to_bytes(check_record_file(kind, path, display))


def _to_bytes(result: tuple[Record, list[Problem]]) -> bytes:
    try:
        return _MARSHALLED + marshal.dumps(_pack(*result))
    except ValueError:  # a value marshal cannot write
        return _PICKLED + pickle.dumps(result, pickle.HIGHEST_PROTOCOL)


def _pack(record: Record, problems: list[Problem]) -> tuple:
    source, pre = record.source, record.body_html
    return (record.kind, record.valid,
            (source.path, source.data, source.lines, source.plain, source.broken, source.body, source.body_line,
             source.readable),
            [(c.start, c.end, [(i.key, i.prefix, i.locator) for i in c.items], c.bracketed, c.line)
             for c in record.citations],
            None if pre is None else (pre.html, pre.token, pre.citations, pre.toc, pre.ids),
            None if record.checkwords is None else [(path, (f.line, f.words, f.why)) for path, f in record.checkwords],
            [(p.path, p.line, p.field, p.message, p.severity, p.hint) for p in problems])


def _unpack(packed: bytes) -> tuple[Record, list[Problem]]:
    if packed[:1] == _PICKLED:
        return pickle.loads(packed[1:])
    kind, valid, source, citations, pre, found, problems = marshal.loads(packed[1:])
    record = Record(kind, SourceFile(*source),
                    [Citation(start, end, tuple(CiteItem(*item) for item in items), bracketed, line)
                     for start, end, items, bracketed, line in citations],
                    valid, None if pre is None else Prerendered(*pre),
                    None if found is None else [(path, checkwords.Found(*f)) for path, f in found])
    return record, [Problem(*p) for p in problems]


def _load_taxonomy(path: Path, display: str, schemas: dict[str, Schema], report: Report) -> Taxonomy:
    schema = schemas["taxonomy"]
    source = SourceFile(display)
    if path.is_symlink():
        return Taxonomy({}, display)
    try:
        raw = path.read_bytes()
    except OSError:
        report.error(display, 0, "taxonomy", "the taxonomy file is missing", "restore evidence/taxonomy.yml")
        return Taxonomy({}, display)
    text = decode(raw, display, report, "taxonomy")
    if text is None:
        return Taxonomy({}, display)
    document = strictyaml.load(text)
    for problem in document.problems:
        report.error(display, problem.line, dotted(problem.path) or "taxonomy", problem.message, problem.hint)
    if not isinstance(document.data, dict):
        if not document.problems:
            report.error(display, 1, "taxonomy", "the taxonomy must be a mapping of vocabularies")
        return Taxonomy({}, display)
    source.data, source.lines, source.plain, source.readable = document.data, document.lines, document.plain, True
    schema.check(source, report)
    check_annotated(schema, source, {}, report)
    check_encodable(source, report, plain_text_paths(schema, source))
    for name, vocab in document.data.items():
        seen: dict[str, int] = {}
        terms = vocab.get("terms") if isinstance(vocab, dict) else None
        for index, term in enumerate(terms if isinstance(terms, list) else []):
            key = term.get("key") if isinstance(term, dict) else None
            if not isinstance(key, str):
                continue
            line = source.line_of((name, "terms", index, "key"))
            if key in seen:
                report.error(display, line, f"{name}.terms[{index}].key",
                             f"duplicate key '{key}' (first on line {seen[key]})", "keys must be unique in a vocabulary")
            seen.setdefault(key, line)
    taxonomy = build_taxonomy(source)
    # the rules' vocabularies, found by the fields that use them (never by a vocabulary's name)
    case_study, claim = schemas.get(CASE_STUDY.key), schemas.get(CLAIM.key)
    kinds = taxonomy.get(case_study.vocabulary_at("outcomes", "evidence")) if case_study else None
    strengths = taxonomy.get(claim.vocabulary_at("strength")) if claim else None
    if kinds and strengths:
        for term in strengths.terms.values():
            for kind in term.requires.get("kinds", []):
                if kind not in kinds.terms:
                    report.error(display, term.line, f"{strengths.name}.{term.key}.requires.kinds",
                                 f"unknown evidence kind '{kind}'", did_you_mean(kind, kinds.keys()))
    if case_study is not None:
        _check_computed_rules(taxonomy, kinds, taxonomy.get(case_study.vocabulary_at("outcome_rating")),
                              taxonomy.get(case_study.vocabulary_at("gripp2_reporting")), display, report)
    return taxonomy


def _check_vocabularies_named(schemas: dict[str, Schema], taxonomy: Taxonomy, show: Callable[[str], str],
                              report: Report) -> None:
    """The schemas' ``x-vocabulary`` annotations and ``taxonomy.yml`` name the same
    vocabularies: a vocabulary is added by writing it in both (taxonomy.schema.json takes any
    name), so a name in one and not the other is a slip, reported where it is written."""
    named: dict[str, tuple[str, str]] = {}  # vocabulary -> (schema file, field), the first naming it
    for kind in KINDS:
        schema = schemas.get(kind)
        if schema is None:
            continue
        fields = [(a.annotations, dotted(a.pattern).replace(".*", "[]")) for a in schema.annotated]
        computed = schema.schema.get("x-computed")
        fields += [(notes, name) for name, notes in (computed.items() if isinstance(computed, dict) else ())
                   if isinstance(notes, dict)]
        for notes, where in fields:
            vocabulary = notes.get("x-vocabulary")
            if isinstance(vocabulary, str):
                named.setdefault(vocabulary, (show(kind), where))
    if not taxonomy.vocabularies:
        return  # the taxonomy's own problems are reported
    for vocabulary, (path, where) in named.items():
        if vocabulary not in taxonomy.vocabularies:
            report.error(path, 1, where, f"x-vocabulary names '{vocabulary}', which {taxonomy.path} does not have",
                         did_you_mean(vocabulary, list(taxonomy.vocabularies),
                                      f"add the vocabulary '{vocabulary}' (title, description, terms) to evidence/taxonomy.yml"))
    for name, vocab in taxonomy.vocabularies.items():
        if name not in named:
            report.error(taxonomy.path, vocab.line or 1, name, f"no field of the schemas uses the vocabulary '{name}'",
                         did_you_mean(name, list(named), "name it in a field's x-vocabulary in evidence/schema/, or remove it"))


def _check_computed_rules(taxonomy: Taxonomy, kinds: Vocabulary | None, ratings: Vocabulary | None,
                          reporting: Vocabulary | None, display: str, report: Report) -> None:
    """The rules of the computed fields give every case study exactly one value: each kind of
    evidence gives an outcome rating, and each number of GRIPP2 items (0 to 5) one term."""
    if kinds and ratings:
        covered: set[str] = set()
        for term in ratings.terms.values():
            for kind in term.kinds:
                if kind not in kinds.terms:
                    report.error(display, term.line, f"{ratings.name}.{term.key}.kinds",
                                 f"unknown evidence kind '{kind}'", did_you_mean(kind, kinds.keys()))
            covered.update(term.kinds)
        for key, term in kinds.terms.items():
            if key not in covered:
                report.error(display, term.line, f"{kinds.name}.{key}",
                             f"the kind of evidence '{key}' gives no outcome rating",
                             f"add it to the kinds of one term of {ratings.name}")
    if reporting:
        counted = [n for term in reporting.terms.values() for n in term.counts]
        for number in range(6):
            if counted.count(number) != 1:
                report.error(display, next(iter(reporting.terms.values())).line if reporting.terms else 0,
                             reporting.name, f"{number} items reported is under {counted.count(number)} terms",
                             "list each number from 0 to 5 in the counts of exactly one term")
