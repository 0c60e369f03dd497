"""The hint for an unknown vocabulary term: it teaches the vocabulary.

A contributor who writes ``renal-care`` is not misspelling ``social-care``; they need to see
which terms there are, what each one means, which are closest in meaning (words of the
term's label and definition, not only its spelling), and what to do when none fits. The
terms come from evidence/taxonomy.yml, as (key, label, definition).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Sequence

Term = tuple[str, str, str]  # key, label, definition

LISTED = 6  # terms named in the hint; the rest are counted and where they are said
NEAREST = 3  # terms suggested by meaning
_WORD = re.compile(r"[a-z0-9]+")
_COMMON = frozenset((
    "and", "the", "for", "with", "about", "from", "into", "that", "this", "their", "they", "are", "who", "how", "its",
    "research", "people", "study", "studies", "other", "all", "each", "more", "work", "working"))


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) >= 3 and w not in _COMMON}


def _same(a: str, b: str) -> bool:
    """The same word or forms of one ('care' and 'carers', 'child' and 'children',
    'interviewing' and 'interviews'): a shared start of 4 letters or more and most of the
    shorter word."""
    shared = len(os.path.commonprefix((a, b)))
    return a == b or (shared >= 4 and shared >= 0.8 * min(len(a), len(b)))


def by_meaning(value: str, terms: Sequence[Term]) -> tuple[list[str], list[str]]:
    """(keys of the terms nearest in meaning, best first; words of ``value`` no term uses).
    A word shared by fewer terms counts for more."""
    wanted = _words(value)
    texts = {key: _words(f"{key} {label} {definition}") for key, label, definition in terms}
    found = {(word, key) for word in wanted for key, text in texts.items() if any(_same(word, t) for t in text)}
    uses = {word: sum(1 for w, _ in found if w == word) for word in wanted}
    scores = {key: sum(1 / uses[w] for w, k in found if k == key) for key in texts}
    ranked = sorted((key for key, score in scores.items() if score > 0), key=lambda k: -scores[k])
    unknown = sorted(word for word, count in uses.items() if count == 0)
    return ranked[:NEAREST], unknown


def _close(a: str, b: str, cutoff: float) -> bool:
    return difflib.SequenceMatcher(None, a, b).ratio() >= cutoff


def by_spelling(value: str, keys: Sequence[str]) -> list[str]:
    """The key ``value`` is a misspelling of, if any: close as a whole and word by word
    ('mental-helth', 'publichealth'), so that 'renal-care' is not taken for 'social-care'
    (a different word, not a slip of the keyboard)."""
    squeezed = re.sub(r"[^a-z0-9]", "", value.lower())
    for key in difflib.get_close_matches(value, keys, n=3, cutoff=0.6):
        if _close(squeezed, key.replace("-", ""), 0.85):
            return [key]
        words, key_words = _WORD.findall(value.lower()), key.split("-")
        if words and all(any(_close(w, k, 0.75) for k in key_words) for w in words):
            return [key]
    return []


def unknown_term_hint(value: str, vocabulary: str, terms: Sequence[Term], page: str | None = None) -> str:
    """Did you mean (by spelling, then by meaning), the terms with their labels (the nearest
    first; the first few of a long list and where the rest are), and how to propose a new one."""
    labels = {key: label for key, label, _ in terms}
    keys = list(labels)
    spelt = by_spelling(value, keys)
    meant, unknown = by_meaning(value, terms)
    meant = [key for key in meant if key not in spelt]
    parts = []
    if spelt:
        parts.append(f"did you mean '{spelt[0]}' ({labels[spelt[0]]})?")
    if meant:
        nearest = ", ".join(f"'{key}' ({labels[key]})" for key in meant)
        parts.append(f"{'or, by meaning' if spelt else 'nearest in meaning'}: {nearest}")
    where = f"{vocabulary} in evidence/taxonomy.yml" + (f" and on the site at {page}" if page else "")
    first = [key for key in [*spelt, *meant, *keys] if key not in spelt and key not in meant]
    shown = first[:max(0, LISTED - len(spelt) - len(meant))] if len(keys) > LISTED else first
    if shown:
        rest = len(keys) - len(spelt) - len(meant) - len(shown)
        listing = ", ".join(f"{key} ({labels[key]})" for key in shown)
        parts.append(f"{'other terms' if spelt or meant else 'the terms'}: {listing}"
                     + (f" and {rest} more" if rest else ""))
    parts.append(f"each term's meaning: {where}")
    if not spelt:
        missing = f"no term is about {', '.join(repr(w) for w in unknown)}; " if unknown else ""
        parts.append(f"{missing}if none fits, propose a new term in an issue (an editor adds it to the taxonomy)")
    return "; ".join(parts)
