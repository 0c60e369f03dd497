"""The live part of the home page: a search box, the three ways in with their counts, the
business case at a glance and the newest case studies, as cards."""

from __future__ import annotations

from ..model import Library
from ..read import urls
from ..read.kinds import CASE_STUDY, CLAIM
from ..read.words import counted
from ..render.markup import block, esc
from .listing import card_list, case_study_item, strength_badge_html

NEWEST = 3


def home_stats(library: Library, uri: str = urls.HOME) -> str:
    cases = library.current(CASE_STUDY.key)
    claims = library.current(CLAIM.key)
    gaps = sum(1 for r in claims if r.strength == "gap")
    parts = [_search(uri), _ways_in(library, uri, len(cases), len(claims), gaps),
             _business_case(library, uri, claims), _newest(library, uri, cases)]
    return "\n\n".join(p for p in parts if p) + "\n"


def _search(uri: str) -> str:
    """A search box that works without JavaScript: it opens the catalogue with ?q=, which
    the catalogue's script reads; without the script the catalogue's full list shows."""
    action = esc(urls.href(uri, urls.CATALOGUE))
    return block("div", [
        f'<form role="search" aria-label="Search the case studies" action="{action}" method="get">',
        '<label for="home-search" class="coprod-home-search__label">Search the case studies</label>',
        ('<span class="coprod-home-search__row">'
        '<input type="search" id="home-search" name="q" autocomplete="off" '
        'placeholder="For example: mental health, peer researchers">'
        '<button type="submit" class="md-button md-button--primary">Search</button></span>'),
        "</form>",
    ], ' class="coprod-home-search"')


def _ways_in(library: Library, uri: str, cases: int, claims: int, gaps: int) -> str:
    from .evidence_map import first_view_summary

    mapped, cells = first_view_summary(library)
    ways = [
        (urls.CATALOGUE, "Case studies", CASE_STUDY.counted(cases),
         "What co-produced projects did, who was involved and what changed."),
        (urls.BUSINESS_CASE, "The business case", f"{CLAIM.counted(claims)}, {counted(gaps, 'evidence gap')}",
         "What the evidence says co-production achieves, how strong it is, and the research still needed."),
        (urls.EVIDENCE_MAP, "Evidence map", f"{cells - mapped} of {cells} combinations are gaps",
         "Which ways of working go with which outcomes, and where no case study has looked yet."),
    ]
    items = [f'<li class="coprod-way"><a class="coprod-way__link" href="{esc(urls.href(uri, target))}">{esc(title)}</a>'
             f'<span class="coprod-way__count">{esc(count)}</span>'
             f'<span class="coprod-way__text">{esc(text)}</span></li>' for target, title, count, text in ways]
    return "## Three ways in\n\n" + block("ul", items, ' class="coprod-ways"')


def _business_case(library: Library, uri: str, claims) -> str:
    strengths = library.taxonomy.get(library.vocabulary_of("strength", kind=CLAIM.key))
    if not claims or strengths is None:
        return ""
    order = {key: i for i, key in enumerate(strengths.terms)}
    ranked = sorted(claims, key=lambda r: (order.get(r.strength, 99), r.title.lower()))
    rows = []
    for record in ranked:
        term = strengths.terms.get(record.strength)
        badge = strength_badge_html(term) if term else ""
        gap = " coprod-glance--gap" if record.strength == "gap" else ""
        rows.append(f'<li class="coprod-glance{gap}">{badge}<a href="{esc(urls.href(uri, urls.claim(record.id)))}">'
                    f'{esc(record.title)}</a></li>')
    counts = [(term, sum(1 for r in claims if r.strength == key)) for key, term in strengths.terms.items()]
    tally = ", ".join(f"{n} {term.label.lower()}" for term, n in counts if n)
    link = urls.rel(uri, urls.BUSINESS_CASE)
    return (f"## The business case at a glance\n\nEach claim is graded by how strong its evidence is ({esc(tally)}). "
            f"An evidence gap is a question no study has answered yet.\n\n"
            + block("ul", rows, ' class="coprod-glances"') + f"\n\n[Read the business case]({link})")


def _newest(library: Library, uri: str, cases) -> str:
    newest = sorted(cases, key=lambda r: (r.published, r.id), reverse=True)[:NEWEST]
    lines = ["## Newest case studies", ""]
    if newest:
        lines += [card_list(case_study_item(r, library, uri) for r in newest), ""]
    lines.append(f"[All case studies]({urls.rel(uri, urls.CATALOGUE)})")
    return "\n".join(lines)


def fill_home(markdown: str, library: Library, uri: str = urls.HOME) -> str:
    """The home page's markdown with the marker replaced by the live section."""
    return markdown.replace(urls.HOME_STATS, home_stats(library, uri), 1)
