"""How a case study or claim appears in any list: the same few lines on every page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from markupsafe import Markup

from ..model import CaseStudy, Claim, Library
from ..read import urls
from ..read.kinds import CLAIM
from ..render import markup, templates

GAP = "gap"  # the strengths key of a claim no evidence supports yet


@dataclass(frozen=True)
class Fact:
    name: str  # what a screen reader hears before the value ("Setting")
    value: str
    slot: str = ""  # in the catalogue's template card: what the script fills in (a facet's name, or "years")


@dataclass(frozen=True)
class Card:
    """What a case study's card shows (overrides/partials/coprod/card.html lays it out)."""

    href: str
    title: str
    retracted: bool = False
    summary: str = ""
    facts: tuple[Fact, ...] = ()
    principles: tuple[str, ...] = ()
    kinds: str = ""  # the kinds of evidence, in words
    detail: Markup | str = ""  # HTML: how a term page's term shows in the case study
    slots: dict | None = None  # the template card only: the facet each list part shows


def case_study_card(record: CaseStudy, library: Library, from_uri: str) -> Card:
    """The facts of a case study's card, as seen from the page ``from_uri``."""
    settings = library.labels(library.vocabulary_of("settings"), record.settings)
    facts = (Fact("Setting", ", ".join(settings)), Fact("Years", record.years), Fact("Country", ", ".join(record.countries)))
    return Card(urls.href(from_uri, record.uri), record.title, record.retracted, record.summary,
                tuple(fact for fact in facts if fact.value),
                tuple(library.labels(library.vocabulary_of("principles", "principle"),
                                     (p.principle for p in record.principles))),
                ", ".join(evidence_kinds(record, library)))


def case_study_item(record: CaseStudy, library: Library, from_uri: str, detail: str = "") -> str:
    """A case study's card (the inside of its ``<li>``; :func:`card_list` makes the list):
    the linked title, the one-line summary, setting, years and country, the principles as
    small tags, the kinds of evidence, then ``detail`` (HTML: how a term page's term shows
    in it), from the template card.html."""
    card = case_study_card(record, library, from_uri)
    if detail:
        card = replace(card, detail=templates.raw(detail))
    return templates.render("card.html", card=card)


def template_card(library: Library) -> str:
    """The card the catalogue's script fills for each result it shows (the same template,
    every part present, each value "…", and each list part naming the facet it shows)."""
    def facet(*fields: str) -> str:  # the facet of a case-study field, by the model's field names
        found = library.fields.facet_at(*fields)
        return found.name if found else ""

    facts = (Fact("Setting", SLOT, facet("settings")), Fact("Years", SLOT, "years"),
             Fact("Country", SLOT, facet("project", "countries")))
    card = Card("#", SLOT, True, SLOT, facts, (SLOT,), SLOT,
                slots={"principles": facet("principles", "principle"), "kinds": facet("outcomes", "evidence")})
    return templates.render("card.html", card=card)


SLOT = "\u2026"  # a value the catalogue's script replaces in the template card


def card_list(cards: Iterable[str]) -> str:
    """A list of case-study cards (each the HTML of :func:`case_study_item`)."""
    return templates.render("cards.html", cards=[templates.raw(card) for card in cards])


def evidence_kinds(record: CaseStudy, library: Library) -> list[str]:
    """The kinds of evidence behind a case study's outcomes, in the taxonomy's order (strongest first)."""
    used = record.evidence_used
    vocab = library.taxonomy.get(library.vocabulary_of("outcomes", "evidence"))
    return [term.label for key, term in vocab.terms.items() if key in used] if vocab else []


def claim_item(record: Claim, library: Library, from_uri: str) -> str:
    """A list item's HTML (for markup.bullet_list): the strength badge, then the linked claim."""
    term = library.term(library.vocabulary_of("strength", kind=CLAIM.key), record.strength)
    grade = strength_badge_html(term) + " " if term else ""
    retracted = " (retracted)" if record.retracted else ""
    return grade + markup.link(urls.href(from_uri, record.uri), markup.esc(record.title)) + retracted


def claim_title(record: Claim, library: Library) -> str:
    """A claim's title as shown: a claim graded as an evidence gap says so in its title
    ("Evidence gap: ..."), so it cannot be quoted as a finding."""
    term = library.term(library.vocabulary_of("strength", kind=CLAIM.key), record.strength)
    return f"{term.label}: {record.title}" if term is not None and record.strength == GAP else record.title


def strength_tally(claims: list[Claim], library: Library) -> str:
    """The claims' grades in words, from the counts: "Of the 11 claims, 6 are moderate, 4
    emerging and 1 an evidence gap; none is yet strong." (plain text)."""
    strengths = library.taxonomy.get(library.vocabulary_of("strength", kind=CLAIM.key))
    if not claims or strengths is None:
        return ""
    counts = [(term, sum(1 for r in claims if r.strength == key)) for key, term in strengths.terms.items()]
    said = [f"{n} {term.label.lower() if term.key != GAP else 'an evidence gap' if n == 1 else 'evidence gaps'}"
            for term, n in counts if n]
    verb = "is" if next((n for _, n in counts if n), 0) == 1 else "are"
    if not said:
        return ""
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    text = f"Of the {CLAIM.counted(len(claims))}, {listed.replace(' ', f' {verb} ', 1)}"
    none = [term.label.lower() for term, n in counts[:1] if not n]
    return text + (f"; none is yet {none[0]}." if none else ".")


def strength_symbol(term) -> str:
    """The at-a-glance rating (●●○), hidden from screen readers, which read the label."""
    return f'<span class="coprod-strength" aria-hidden="true">{markup.esc(term.symbol)}</span>'


def strength_badge_html(term) -> str:
    """A claim's strength as a badge: the symbol of its step on the scale and its word
    (never colour alone: the word is always there, and the symbol differs by step).
    Screen readers hear "Strength of evidence: Moderate"."""
    key = markup.esc(term.key)
    return (f'<span class="coprod-badge coprod-badge--{key}">'
            f'<span class="coprod-sr-only">Strength of evidence: </span>{strength_symbol(term)} '
            f'<span class="coprod-badge__word">{markup.esc(term.label)}</span></span>')


def sort_case_studies(records: list[CaseStudy]) -> list[CaseStudy]:
    """Newest first (by start year, then title), the order lists and search results use."""
    return sorted(records, key=lambda r: (-(r.start_year or 0), r.title.lower()))
