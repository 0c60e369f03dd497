"""'Did you mean' at a bounded cost (issue 26, item 4).

difflib compares a word with every option, and a hostile pull request can bring thousands of
unknown keys and thousands of look-alike options: 8,000 citations of unknown keys against
3,000 references took 878 s. Here each word is compared only with the few options that
share the most three-letter pieces with it (an index built once, looked up in time linear
in the word's length times the options that share a piece), the same word is answered once,
and only the first :data:`PER_FILE` unknown words of a file and :data:`PER_RUN` of a run get
a suggestion; the others get the general hint. No suggestion difflib would make is lost
within those caps unless more than :data:`SHORTLIST` options are closer by pieces.
"""

from __future__ import annotations

import difflib
from collections import Counter

PER_FILE = 20
PER_RUN = 200
SHORTLIST = 25
MAX_WORD = 100  # no key or id is longer; a longer word is compared by its start


def _pieces(word: str) -> set[str]:
    text = f"  {word.casefold()[:MAX_WORD]} "
    return {text[i:i + 3] for i in range(len(text) - 2)}


class Suggester:
    """Suggestions from one list of options, with the caps above."""

    def __init__(self, options) -> None:
        self.options = list(options)
        self._index: dict[str, list[int]] | None = None
        self._answers: dict[str, str | None] = {}
        self._per_file: Counter[str] = Counter()
        self._run = 0

    def _shortlist(self, word: str) -> list[str]:
        if self._index is None:
            self._index = {}
            for number, option in enumerate(self.options):
                for piece in _pieces(option):
                    self._index.setdefault(piece, []).append(number)
        shared: Counter[int] = Counter()
        for piece in _pieces(word):
            shared.update(self._index.get(piece, ()))
        return [self.options[number] for number, _ in shared.most_common(SHORTLIST)]

    def closest(self, word: str, path: str = "") -> str | None:
        """The closest option to ``word`` (difflib's choice among the shortlist), or None:
        also None once ``path`` or the run has had its share of suggestions."""
        if word in self._answers:
            return self._answers[word]
        if self._per_file[path] >= PER_FILE or self._run >= PER_RUN:
            return None
        self._per_file[path] += 1
        self._run += 1
        match = difflib.get_close_matches(word[:MAX_WORD], self._shortlist(word), n=1, cutoff=0.6)
        self._answers[word] = match[0] if match else None
        return self._answers[word]

    def hint(self, word: str, path: str, otherwise: str) -> str:
        """``did you mean 'x'?``, or ``otherwise``."""
        match = self.closest(word, path)
        return f"did you mean '{match}'?" if match else otherwise
