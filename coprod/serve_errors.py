"""While ``mkdocs serve`` runs, evidence with errors is shown in the browser.

MkDocs stops a build that raises, and its server then holds every request until a build
succeeds ("the server will appear stuck"): the contributor's browser just spins. Instead,
when serving, a build of evidence with errors succeeds with a site of one page, the
validator's messages, served at every address the contributor may have open (each
hand-written page, each page of the last good build, each case study and claim file), so
the page they are looking at turns into the list of problems, and MkDocs' live reload
turns it back into the page once the file is fixed. ``mkdocs build`` still stops.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .read import urls
from .read.kinds import CASE_STUDY, CLAIM
from .read.problems import Report
from .read.words import counted
from .render.markup import esc

TITLE = "The evidence has errors"
HOME = "index.md"


def page_markdown(report: Report) -> str:
    """The page: what happened, then every problem (paths, lines, fields, hints) as the validator prints it."""
    errors, warnings = report.errors, report.warnings

    def items(problems) -> str:
        return "\n".join(f"<li><code>{esc(p.format())}</code></li>" for p in problems)

    parts = [f"# {TITLE}", "",
             (f"<p>The site is not built while the evidence has {counted(len(errors), 'error')}. "
             "Fix each one below and save the file: this page reloads by itself and shows the site again "
             "once the evidence is valid. <code>python3 scripts/validate.py</code> prints the same list.</p>"), "",
             f'<ul class="coprod-serve-errors">\n{items(errors)}\n</ul>', ""]
    if warnings:
        parts += ["<p>Warnings (fatal in CI, which builds with <code>--strict</code>):</p>", "",
                  f'<ul class="coprod-serve-warnings">\n{items(warnings)}\n</ul>', ""]
    return "\n".join(parts)


def addresses(docs_pages: Iterable[str], last_good: Iterable[str], evidence: Path) -> list[str]:
    """Every page address a contributor may have open: hand-written pages, the pages of the
    last good build, and one per case-study and claim file (a new one has no good build yet)."""
    found = dict.fromkeys([HOME, *docs_pages, *(u for u in last_good if u.endswith(".md"))])
    for folder, address in ((CASE_STUDY.folder, urls.case_study), (CLAIM.folder, urls.claim)):
        for path in sorted((evidence / folder).glob("*.md")) if (evidence / folder).is_dir() else []:
            found[address(path.stem)] = None
    return list(found)


def configure(config, report: Report) -> None:
    """The settings of the one-page site (its nav is the error page alone); the messages are
    printed where ``mkdocs serve`` was started too."""
    import logging

    log = logging.getLogger("mkdocs.hooks.evidence")
    for problem in report.errors:
        log.error(problem.format())
    log.error(f"The evidence has {len(report.errors)} error(s): the browser shows them until they are fixed.")
    config["nav"] = [{TITLE: HOME}]


def replace_pages(files, config, report: Report, last_good: Iterable[str], evidence: Path):
    """The site's pages, each replaced by the error page; theme assets and other files stay."""
    from mkdocs.structure.files import File, InclusionLevel

    docs_pages = [f.src_uri for f in files.documentation_pages()]
    for file in list(files.documentation_pages()):
        files.remove(file)
    content = page_markdown(report)
    for uri in addresses(docs_pages, last_good, evidence):
        level = InclusionLevel.INCLUDED if uri == HOME else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, uri, content=content, inclusion=level))
    return files


def post_build(config) -> None:
    """Any other address (the 404 page) shows the errors too, its links made relative to the
    site's root (the server sends it for any address, at any depth)."""
    from urllib.parse import urlsplit

    site = Path(config["site_dir"])
    home = site / "index.html"
    if home.is_file():
        root = esc(urlsplit(config.get("site_url") or "/").path or "/")
        page = home.read_text(encoding="utf-8").replace("<head>", f'<head>\n<base href="{root}">', 1)
        (site / "404.html").write_text(page, encoding="utf-8")
