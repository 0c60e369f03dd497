"""Hostile content end to end: the validator rejects every way of smuggling script into a
case study (markdown body, front matter) or the bibliography, and with the validator
bypassed the built pages still run no script.

Fixtures: tests/fixtures/hostile/ (see its README). The bypassed build is made by
hostile_site.py: the real hooks, with the evidence's errors ignored.
"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .hostile_site import HOSTILE, HOSTILE_CASE_STUDY, ROOT, build_hostile_site, make_hostile_evidence

MARKER = "XSS"
CASE_STUDY_FILE = f"case-studies/{HOSTILE_CASE_STUDY}.md"
IDS_CASE_STUDY = "hostile-ids"
IDS_FILE = f"case-studies/{IDS_CASE_STUDY}.md"
CLAIM_FILE = "claims/hostile-claim.md"

# (entry, field) of references.bib that hold script or markup: each must be reported.
BIB_URL_FIELDS = [("Hostile2024url", "url"), ("Hostile2024url", "doi"), ("Hostile2024data", "url")]
BIB_TEXT_FIELDS = [("Hostile2024xss", "author"), ("Hostile2024xss", "title"), ("Hostile2024xss", "howpublished"),
                   ("Hostile2024xss", "note")]

# Pages of the bypassed build that show hostile text: the case study, the lists it is on,
# and the pages that format the hostile references.
HOSTILE_PAGES = [
    f"/case-studies/{HOSTILE_CASE_STUDY}/",
    f"/case-studies/{IDS_CASE_STUDY}/",
    "/case-studies/",
    "/principles/sharing-power/",
    "/barriers/bureaucracy/",
    "/countries/united-kingdom/",
    "/references/",
    "/evidence-map/",
    "/data/",
    "/business-case/hostile-claim/",
    "/business-case/",
]


@pytest.fixture(scope="module")
def validator_output(tmp_path_factory) -> str:
    project = tmp_path_factory.mktemp("hostile-evidence")
    make_hostile_evidence(project)
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), "evidence"], cwd=project,
                            capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stdout


def _reported_lines(output: str, path: str) -> set[int]:
    return {int(n) for n in re.findall(rf"^{re.escape(path)}:(\d+): ", output, flags=re.MULTILINE)}


def test_validator_reports_every_hostile_line_of_the_case_study(validator_output: str) -> None:
    lines = (HOSTILE / CASE_STUDY_FILE).read_text(encoding="utf-8").splitlines()
    hostile = {n for n, line in enumerate(lines, start=1) if MARKER in line}
    assert len(hostile) > 40, "the fixture lost its hostile lines"
    missed = sorted(hostile - _reported_lines(validator_output, f"evidence/{CASE_STUDY_FILE}"))
    assert not missed, "not reported:\n" + "\n".join(f"{n}: {lines[n - 1]}" for n in missed) + "\n\n" + validator_output


def test_validator_reports_every_hostile_line_of_the_ids_case_study(validator_output: str) -> None:
    """Images on other hosts, the site's own classes, data- attributes (issue 12): each is
    an error at its line, not a silent loss on the page. Its claimed ids are accepted."""
    lines = (HOSTILE / IDS_FILE).read_text(encoding="utf-8").splitlines()
    hostile = {n for n, line in enumerate(lines, start=1) if MARKER in line}
    assert len(hostile) >= 6, "the fixture lost its hostile lines"
    reported = _reported_lines(validator_output, f"evidence/{IDS_FILE}")
    missed = sorted(hostile - reported)
    assert not missed, "not reported:\n" + "\n".join(f"{n}: {lines[n - 1]}" for n in missed) + "\n\n" + validator_output
    claimed = {n for n, line in enumerate(lines, start=1) if "{: #" in line or line.startswith("### __config")}
    assert claimed and not claimed & reported, "an id in a body is namespaced on the page, not an error"


def test_validator_reports_every_hostile_line_of_the_claim(validator_output: str) -> None:
    lines = (HOSTILE / CLAIM_FILE).read_text(encoding="utf-8").splitlines()
    hostile = {n for n, line in enumerate(lines, start=1) if MARKER in line}
    assert len(hostile) >= 7, "the fixture lost its hostile lines"
    missed = sorted(hostile - _reported_lines(validator_output, f"evidence/{CLAIM_FILE}"))
    assert not missed, "not reported:\n" + "\n".join(f"{n}: {lines[n - 1]}" for n in missed) + "\n\n" + validator_output


def test_validator_reports_script_addresses_in_the_bibliography(validator_output: str) -> None:
    missed = [f"references[{key}].{name}" for key, name in BIB_URL_FIELDS
              if f"references[{key}].{name}:" not in validator_output]
    assert not missed, f"not reported: {missed}\n{validator_output}"


def test_validator_reports_markup_in_bibliography_text_fields(validator_output: str) -> None:
    missed = [f"references[{key}].{name}" for key, name in BIB_TEXT_FIELDS
              if f"references[{key}].{name}:" not in validator_output]
    assert not missed, f"not reported: {missed}\n{validator_output}"


# --------------------------------------------------------------------------- the built pages

TITLE_PAYLOAD = 'alert("title")'


class TitleBreakout(AssertionError):
    """The one known hole (and only it): a case-study title ends Material's <title> element."""




@pytest.fixture(scope="module")
def hostile_site_dir(tmp_path_factory) -> Path:
    """The site built from the hostile evidence with the validator bypassed (once)."""
    return build_hostile_site(tmp_path_factory.mktemp("hostile-site"))


@pytest.fixture(scope="module")
def hostile_url(hostile_site_dir: Path):
    """The bypassed build, served on loopback for this module."""
    import functools
    import http.server
    import threading

    site = hostile_site_dir

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


# The inline scripts Material writes into every page (and nothing else may be inline).
OWN_INLINE_SCRIPTS = ["__md_scope=new URL(", 'var palette=__md_get("__palette")',
                      "var target=document.getElementById(location.hash.slice(1))"]

# Everything in the page that could run script, found in the live DOM (after Material's JS).
_FIND_UNSAFE = r"""(OWN_INLINE) => {
  const found = [];
  const bad = /^\s*(javascript|data|vbscript):/i;
  const own = (s) => s.id === "__config" || /^(\/|(\.\.\/)*)assets\/javascripts\/[\w.\/-]+\.js$/.test(s.getAttribute("src") || "")
    || (!s.src && OWN_INLINE.some((start) => s.textContent.trim().startsWith(start)));
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(`${el.tagName} ${name}="${attr.value}"`);
      if (["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "poster"].includes(name)
          && (bad.test(attr.value) || name === "srcdoc")) found.push(`${el.tagName} ${name}="${attr.value}"`);
    }
  }
  const data = (s) => /^application\/(ld\+)?json$/i.test(s.type || "");  // data blocks never run
  for (const s of document.querySelectorAll("script")) {
    if (data(s)) { try { JSON.parse(s.textContent); } catch (e) { found.push("BROKEN DATA " + s.outerHTML.slice(0, 80)); } }
    else if (!own(s)) found.push("SCRIPT " + s.outerHTML.slice(0, 80));
  }
  for (const t of ["iframe", "object", "embed", "frame", "base", "form[action]:not(.md-search__form)", "meta[http-equiv]:not(head > meta[http-equiv='Content-Security-Policy'])", "style:not(head style)"])
    for (const el of document.querySelectorAll(t)) found.push(t + " " + el.outerHTML.slice(0, 80));
  for (const el of document.querySelectorAll("svg script, svg foreignObject, svg animate, svg set"))
    found.push("SVG " + el.outerHTML.slice(0, 80));
  return found;
}"""

# Fire the events an inline handler would listen for on every element of the content.
_POKE = r"""() => {
  const events = ["mouseover", "mouseenter", "mousemove", "focus", "blur", "load", "error", "toggle",
                  "animationstart", "transitionend", "pointerover"];
  for (const el of document.querySelectorAll(".md-content *")) {
    for (const type of events) el.dispatchEvent(new Event(type, {bubbles: true}));
  }
}"""


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_bypassed_build_runs_no_script(browser, hostile_url, path: str) -> None:
    context = browser.new_context(base_url=hostile_url)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
    try:
        response = page.goto(path)
        assert response is not None and response.ok, f"{path} was not built"
        page.wait_for_load_state("networkidle")
        if path == f"/case-studies/{HOSTILE_CASE_STUDY}/":
            assert MARKER in page.locator("h1").first.inner_text(), "the hostile case study did not render"
        page.evaluate(_POKE)
        links = page.locator(".md-content a[href]")
        for i in range(min(links.count(), 12)):  # the events of every element were fired above
            link = links.nth(i)
            href = link.get_attribute("href") or ""
            if link.is_visible():
                link.hover(timeout=2000)
            if re.match(r"\s*(javascript|data|vbscript):", href, re.IGNORECASE):
                link.click(timeout=2000)  # would run the script; reported below anyway
        page.keyboard.press("Tab")
        page.wait_for_timeout(100)
        unsafe = page.evaluate(_FIND_UNSAFE, OWN_INLINE_SCRIPTS)
        known = [f for f in unsafe if TITLE_PAYLOAD in f]
        unsafe = [f for f in unsafe if TITLE_PAYLOAD not in f]
        assert [d for d in dialogs if d != "alert: title"] == [], f"script ran on {path}: {dialogs}"
        assert unsafe == [], f"{path} holds what could run script:\n" + "\n".join(unsafe)
        if known or dialogs:
            raise TitleBreakout(f"{path}: the title's script ran: {dialogs} {known}")
    finally:
        context.close()


class _Unsafe(HTMLParser):
    """What could run script in HTML as written: foreign <script>, on* attributes, bad URLs,
    embedding tags."""

    EMBEDS = frozenset({"iframe", "object", "embed", "frame", "base", "applet"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._inline: list[str] | None = None

    def handle_data(self, data: str) -> None:
        if self._inline is not None:
            self._inline.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._inline is not None:
            text = "".join(self._inline).strip()
            if not any(text.startswith(start) for start in OWN_INLINE_SCRIPTS):
                self.found.append(f"inline <script>{text[:60]}")
            self._inline = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            src = values.get("src")
            if src is not None and not re.fullmatch(r"(/|(\.\./)*)assets/javascripts/[\w./-]+\.js", src):
                self.found.append(f"<script src={src}>")
            elif src is None and values.get("id") != "__config" and not re.fullmatch(
                    r"application/(ld\+)?json", values.get("type") or "", re.IGNORECASE):
                self._inline = []
        if tag in self.EMBEDS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "srcdoc":
                self.found.append(f"<{tag} {name}=...>")
            elif name in ("href", "src", "action", "formaction", "data", "xlink:href") and \
                    re.match(r"\s*(javascript|data|vbscript):", value or "", re.IGNORECASE):
                self.found.append(f"<{tag} {name}={value}>")


def test_hostile_build_has_no_script_in_its_html(hostile_site_dir: Path) -> None:
    """Every page of the bypassed build, as written (before any script runs)."""
    problems = []
    pages = sorted(hostile_site_dir.rglob("*.html"))
    assert len(pages) > 20
    for html_file in pages:
        parser = _Unsafe()
        parser.feed(html_file.read_text(encoding="utf-8"))
        problems += [f"{html_file.relative_to(hostile_site_dir)}: {f}" for f in parser.found]
    known = [f for f in problems if TITLE_PAYLOAD in f]
    problems = [f for f in problems if TITLE_PAYLOAD not in f]
    assert not problems, "\n".join(problems)
    if known:
        raise TitleBreakout("\n".join(known))


# --------------------------------------------------------------------------- ids, hosts, cite files

def test_contributed_ids_shadow_nothing(browser, hostile_url) -> None:
    """A body's ``{: #__config }``, ``{: #__search }``, ``{: #cite-bibtex }`` and a heading
    titled ``__config`` are namespaced: Material's own elements are the first with their
    ids, no id appears twice, the table of contents still reaches the heading, and the
    page asks no other host for anything (the tracking pixels had their src removed)."""
    context = browser.new_context(base_url=hostile_url)
    page = context.new_page()
    hosts: list[str] = []
    page.on("request", lambda r: hosts.append(r.url))
    try:
        page.goto(f"/case-studies/{IDS_CASE_STUDY}/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.querySelector('#__config').tagName") == "SCRIPT"
        assert page.evaluate("document.querySelector('#__search').tagName") == "INPUT"
        duplicates = page.evaluate("""() => {
          const seen = {}; for (const el of document.querySelectorAll('[id]')) seen[el.id] = (seen[el.id] || 0) + 1;
          return Object.keys(seen).filter((id) => seen[id] > 1);
        }""")
        assert duplicates == [], f"ids used twice: {duplicates}"
        body_ids = page.evaluate("[...document.querySelectorAll('.md-content [id^=\"body-\"]')].map(e => e.id)")
        assert {"body-__config", "body-__search", "body-cite-bibtex"} <= set(body_ids), body_ids
        toc = page.evaluate("[...document.querySelectorAll('.md-nav--secondary a')].map(a => a.getAttribute('href'))")
        assert any(h.startswith("#body-__config") for h in toc), f"the table of contents lost the heading: {toc}"
        broken = [h for h in toc if not page.evaluate("(id) => !!document.getElementById(id)", h[1:])]
        assert broken == [], f"table of contents links to nothing: {broken}"
        link = page.evaluate("document.querySelector('.md-content a[href=\"#body-__config\"]') !== null")
        assert link, "the body's own link to its heading was not renamed with it"
        foreign = [u for u in hosts if not u.startswith(hostile_url)]
        assert foreign == [], f"the page contacted other hosts: {foreign}"
        assert page.evaluate("document.querySelectorAll('.md-content img:not([src])').length") >= 3
    finally:
        context.close()


@pytest.mark.parametrize("case_study", [HOSTILE_CASE_STUDY, IDS_CASE_STUDY])
def test_cite_files_hold_one_record(hostile_site_dir: Path, case_study: str) -> None:
    """What a reader copies into a reference manager is one record, whatever the page holds."""
    import pybtex.database
    import rispy

    folder = hostile_site_dir / "case-studies" / case_study
    records = rispy.loads((folder / "cite.ris").read_text(encoding="utf-8"))
    assert len(records) == 1, records
    entries = pybtex.database.parse_string((folder / "cite.bib").read_text(encoding="utf-8"), "bibtex").entries
    assert len(entries) == 1, list(entries)
    assert set(next(iter(entries.values())).fields) <= {"title", "year", "month", "date", "url", "urldate", "note",
                                                        "howpublished", "publisher", "version", "doi"}


def test_every_hostile_page_has_its_policy(hostile_site_dir: Path) -> None:
    pages = sorted(hostile_site_dir.rglob("*.html"))
    missing = [str(p.relative_to(hostile_site_dir)) for p in pages
               if '<meta http-equiv="Content-Security-Policy"' not in p.read_text(encoding="utf-8")[:6000]]
    assert not missing, missing
