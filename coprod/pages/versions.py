"""Every published version of a case study or claim at its own permanent address.

A record's current version is its page (``/case-studies/<id>/``); each earlier version that
was published is rebuilt from the repository's history of its file
(:mod:`coprod.read.history`) at ``/case-studies/<id>/<version>/`` (claims likewise under
``/business-case/``), with a notice linking to the current version, and cited as that
version with its own date (its cite box, ``cite.bib`` and ``cite.ris``, head metadata).

Which state is a version: the newest state of the file whose ``version`` was that number
(later states with the same number were corrections of it), if its ``status`` was public
then and the number is below the current one. Each is checked as a file of today's
evidence would be (:func:`coprod.checks.evidence.check_old_version`: its own checks, then
its references and case studies against today's); one that no longer passes is skipped
with one line saying why, never a traceback and never a failed build.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..checks.evidence import check_old_version
from ..cite.references import References
from ..model import Library, Record, case_study, claim
from ..read import urls
from ..read.history import History, State, read_history
from ..read.kinds import CASE_STUDY, CLAIM, KINDS, PUBLIC_STATUSES
from . import Page
from .business_case import claim_page
from .case_study import case_study_page

_VERSION = re.compile(r'^version:[ \t]*["\']?([0-9]+\.[0-9]+)["\']?[ \t]*$', re.MULTILINE)
# a version page's address: /case-studies/<id>/<MAJOR.MINOR>/ (an id holds no dot, a version always one)
VERSION_ADDRESS = re.compile(r"^/(?:case-studies|business-case)/[a-z0-9-]+/[0-9]+\.[0-9]+/$")


@dataclass(frozen=True)
class OldVersion:
    page: Page
    record: Record  # the version's record, as its file said then
    current: Record


@dataclass(frozen=True)
class Versions:
    old: tuple[OldVersion, ...]
    messages: tuple[str, ...]  # what the build says once: history skipped, versions that could not be built
    read: bool  # the history was read (False: a tarball, a shallow clone, no git)


def version_uri(record_uri: str, version: str) -> str:
    """``case-studies/x.md`` and "1.0" -> ``case-studies/x/1.0.md`` (address /case-studies/x/1.0/)."""
    return f"{record_uri.removesuffix('.md')}/{version}.md"


# What each earlier version made, for the rebuilds of one mkdocs serve: a file state is
# immutable (its blob id names its bytes), so with the same inputs (the ``shared`` key of
# coprod.pagecache: code, taxonomy, bibliography, schemas) and the same current version its
# page, or the line saying why it was skipped, is the same. In memory only, the last build's.
_KEPT: dict[str, tuple[OldVersion | None, str]] = {}


def old_versions(library: Library, refs: References, history: History | None = None,
                 key: Callable[..., str] | None = None) -> Versions:
    """The pages of every earlier published version of the library's public records.
    ``history`` defaults to the git history of the evidence folder. ``key`` (None without
    the build cache) digests a version's own inputs together with everything else a page
    is made from (coprod.pagecache's key): each version's result is kept under it for the
    next rebuild."""
    folders = {kind.key: kind.folder for kind in KINDS.values()}
    if history is None:
        history = read_history(library.root, tuple(folders.values()))
    if history.skipped:
        said = f"Earlier versions of case studies and claims were not built: {history.skipped}. The current versions were."
        return Versions((), (said,), False)
    old: list[OldVersion] = []
    messages: list[str] = []
    used: dict[str, tuple[OldVersion | None, str]] = {}
    case_ids = list(library.case_studies)
    for kind in KINDS:
        for current in library.published(kind):
            name = f"{folders[kind]}/{Path(current.path).name}"
            for version, state in _versions(history.states.get(name, []), current.version):
                kept = None if key is None else key(state.blob, repr(current),
                                                    " ".join(case_ids) if kind == CLAIM.key else "")
                made = _KEPT.get(kept) if kept else None
                if made is None:
                    made = _one_version(library, refs, kind, current, version, state, case_ids)
                if kept:
                    used[kept] = made
                version_page, message = made
                if version_page is not None:  # a new Page each build: the build appends the cite box to it
                    old.append(replace(version_page, page=replace(version_page.page)))
                if message:
                    messages.append(message)
    if key is not None:
        _KEPT.clear()
        _KEPT.update(used)
    return Versions(tuple(old), tuple(messages), True)


def _one_version(library: Library, refs: References, kind: str, current: Record, version: str, state: State,
                 case_ids: list[str]) -> tuple[OldVersion | None, str]:
    """One earlier version's page, or None and the line saying why it is skipped ("" when it
    was never published)."""
    display = f"{current.path} (version {version}, commit {state.commit[:12]})"
    raw, problems = check_old_version(kind, state.text, current.path, library.root, library.taxonomy,
                                      library.bibliography, case_ids)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        first = errors[0]
        return None, (f"{display}: not built at its own address, it no longer passes the checks "
                      f"(line {first.line}, {first.field}: {first.message}"
                      + (f"; and {len(errors) - 1} more" if len(errors) > 1 else "") + ")")
    if raw.id != current.id or raw.status not in PUBLIC_STATUSES:
        return None, ""  # a draft then, or another record's file
    record = case_study(raw, library.fields, library.taxonomy) if kind == CASE_STUDY.key else claim(raw, library.fields)
    uri = version_uri(current.uri, version)
    make = case_study_page if kind == CASE_STUDY.key else claim_page
    page = make(record, library, refs, None, uri=uri, notice=version_notice(record, current, uri))
    return OldVersion(replace(page, lists=frozenset()), record, current), ""


def _versions(states, current: str):
    """(version, newest state of it) for each version below ``current``, newest first."""
    seen = {current}
    for state in states:  # newest first
        found = _VERSION.search(state.text.split("\n---", 1)[0])
        version = found.group(1) if found else ""
        if not version or version in seen:
            continue
        seen.add(version)
        if _number(version) < _number(current):
            yield version, state


def _number(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def version_notice(record: Record, current: Record, uri: str) -> dict:
    """The note at the top of an earlier version (record-top.html): which version and date
    this is, and a link to the current one."""
    return {"version": record.version, "date": record.updated or record.published, "href": urls.href(uri, current.uri),
            "current_version": current.version, "current_date": current.updated or current.published}
