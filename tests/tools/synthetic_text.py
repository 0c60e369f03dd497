"""Realistic text for synthetic case studies: sentences of real writing about co-production.

:class:`tools.synthetic.Words` draws words one by one, each as often as it occurs in the
shipped evidence: a page of it is a bag of about 1,500 words in random order, so no two
words go together, every page holds most common words, and a two-word query matches the
pages that hold both words anywhere. :class:`Sentences` writes text a search index meets in
a real library instead:

- whole sentences from what the repository holds: the shipped case studies' and claims'
  prose (their bodies and the text fields of their front matter), the taxonomy's
  definitions, the hand-written pages, and the titles and abstracts of the bibliographies
  in ``evidence/`` and ``tests/fixtures/bib/`` (the JabRef fixture's 67 abstracts, cut at
  120 characters, among them);
- mixed with new sentences made from those by a second-order Markov chain over their
  words, so that no page is a copy of another but words keep the company they keep in real
  writing ("young people", "mental health", "peer researchers"), and each word is as common
  across pages as it is in the real text;
- and, in those new sentences, one word in fifty (``rare_share``) replaced by a word of a
  made-up lexicon (``rare_words``, 40,000 words spelt like the real ones, drawn with Zipf's
  weights 1/rank): the names of places, projects, people and conditions that make a real
  library's vocabulary grow with its size (Heaps' law), which the 2,600 words of the
  repository's text alone would not. It makes the index's word list, and so Pagefind's
  metadata file that every first search loads, as long as a library's would be.

Each page keeps to a topic: most of its sentences come from two real documents (a case
study, a reference's title and abstract, a page), so a word is common on the pages about
its subject and rare elsewhere, as in a real library, rather than spread over every page.

It has the same ``sentence(rng, words)`` as :class:`~tools.synthetic.Words`, and
``page(rng)`` for one page's text, so ``write_evidence(..., words=Sentences(root))``
writes the same records with this text.

Everything it writes is safe for the synthetic records: plain YAML scalars (no ``: ``, no
``#``, no leading quote or indicator), no brackets, braces, backslashes or markup
characters, no words the published-text checks warn about, and no control characters.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from itertools import accumulate
from pathlib import Path

import yaml

from coprod.checks.checkwords import find_checkwords

# front-matter fields that are identifiers, keys or dates, not prose
_NOT_PROSE = frozenset({"id", "status", "published", "version", "licence", "sources", "principle", "barrier",
                        "enabler", "area", "evidence", "settings", "research_stages", "feature", "features",
                        "aliases", "key", "source", "supporting", "contrary", "category", "strength", "url",
                        "doi", "start_year", "end_year", "number", "date"})
_BIB_FIELD = re.compile(r"^\s*(title|abstract|note|booktitle)\s*=\s*[{\"](.*)[}\"],?\s*$", re.MULTILINE | re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
_CITATION = re.compile(r"\[-?@[^\]]*\]|\[\^[^\]]*\]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]*>|&[a-z]+;|&#[0-9]+;")
_UNSAFE = re.compile(r"[^A-Za-z0-9À-ɏ ,.;()'\-–%/]+")


def _strings(value) -> list[str]:
    """Every prose string in a YAML value, skipping the fields that are not prose."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for key, item in value.items() if key not in _NOT_PROSE for s in _strings(item)]
    return []


def _record_texts(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---"):
        return [text]
    head, _, body = text[3:].partition("\n---")
    try:
        data = yaml.safe_load(head)
    except yaml.YAMLError:
        data = None
    return _strings(data) + [body]


def _markdown_lines(text: str) -> list[str]:
    """Prose lines of a Markdown text: headings, tables, fences, HTML and admonition lines out."""
    kept = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "|", "<", "```", "!!!", "???", "{", "---", "*[")):
            continue
        kept.append(re.sub(r"^([-*+]|\d+\.)\s+", "", stripped))
    return kept


def clean(sentence: str) -> str:
    """One sentence as plain text safe for a synthetic record (see the module's notes)."""
    text = _LINK.sub(r"\1", _CITATION.sub("", _TAG.sub(" ", sentence))).replace("[...]", "").replace("…", "")
    text = text.replace(": ", ", ").replace("’", "'")
    text = _UNSAFE.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;-–/'")
    text = re.sub(r"\s+([,.;])", r"\1", text)
    return text


def source_documents(root: Path) -> list[list[str]]:
    """The real writing in the repository at ``root``, one list of paragraphs or lines per
    document: a case study or claim, a hand-written page, the taxonomy, a reference."""
    documents: list[list[str]] = []
    for folder in ("evidence/case-studies", "evidence/claims", "tests/fixtures/evidence/case-studies",
                   "tests/fixtures/evidence/claims"):
        for path in sorted((root / folder).glob("*.md")):
            documents.append([line for text in _record_texts(path) for line in _markdown_lines(text)])
    taxonomy = root / "evidence" / "taxonomy.yml"
    if taxonomy.is_file():
        documents.append(_strings(yaml.safe_load(taxonomy.read_text(encoding="utf-8"))))
    for path in sorted((root / "docs").rglob("*.md")):
        documents.append(_markdown_lines(path.read_text(encoding="utf-8")))
    for path in [root / "evidence" / "references.bib", *sorted((root / "tests" / "fixtures" / "bib").glob("*.bib"))]:
        if path.is_file():
            for entry in re.split(r"\n@", path.read_text(encoding="utf-8")):
                documents.append([m.group(2).replace("{", "").replace("}", "") for m in _BIB_FIELD.finditer(entry)])
    return [d for d in documents if d]


def split_sentences(texts: list[str]) -> list[str]:
    """The texts' sentences, cleaned, each of at least four words and none that the
    published-text checks would warn about; each once."""
    found = {}
    for text in texts:
        for part in _SENTENCE_END.split(" ".join(text.split())):
            sentence = re.sub(r"^[^A-Za-z0-9]+", "", clean(part))  # a YAML scalar starts plainly
            if len(sentence.split()) < 4 or find_checkwords(sentence):
                continue
            sentence = sentence[0].upper() + sentence[1:]
            found.setdefault(sentence if sentence.endswith((".", "?", "!")) else sentence + ".", None)
    return list(found)


def _lexicon(known: set[str], size: int, rng: random.Random) -> list[str]:
    """``size`` new words, none of them in ``known``, made by a chain over the letters of
    the known words (three letters of context), capitalised one in three like names."""
    chain: dict[str, list[str]] = defaultdict(list)
    for word in sorted(known):
        if word.isalpha() and len(word) >= 4:
            padded = "^^^" + word + "$"
            for i in range(3, len(padded)):
                chain[padded[i - 3:i]].append(padded[i])
    made: dict[str, None] = {}
    for _ in range(size * 20):
        if len(made) >= size:
            break
        word, state = "", "^^^"
        while len(word) < 14:
            letter = rng.choice(chain[state])
            if letter == "$":
                break
            word += letter
            state = state[1:] + letter
        if len(word) >= 5 and word not in known:
            made.setdefault(word.capitalize() if rng.random() < 1 / 3 else word, None)
    return list(made)


class Sentences:
    """Text of real sentences and new sentences made from them (see the module's notes)."""

    START = ("", "")

    def __init__(self, root: Path, real_share: float = 0.5, rare_share: float = 0.02, rare_words: int = 40_000,
                 topic_share: float = 0.8, seed: int = 7) -> None:
        documents = [split_sentences(d) for d in source_documents(root)]
        self.documents = [d for d in documents if d]
        self.sentences = list(dict.fromkeys(s for d in self.documents for s in d))
        self.topic_share = topic_share
        if len(self.sentences) < 200:
            raise ValueError(f"{root} has too few sentences ({len(self.sentences)}) to draw synthetic text from")
        self.real_share = real_share
        self.chain: dict[tuple[str, str], list[str]] = defaultdict(list)
        for sentence in self.sentences:
            words = sentence.split()
            state = self.START
            for word in words:
                self.chain[state].append(word)
                state = (state[1], word)
            self.chain[state].append("")  # the sentence ends here
        self.rare_share = rare_share
        self.rare = _lexicon(self.words(), rare_words, random.Random(seed))
        self.rare_weights = list(accumulate(1 / rank for rank in range(1, len(self.rare) + 1)))

    def words(self) -> set[str]:
        """The distinct words of the source sentences, lowercased, punctuation off."""
        return {w for s in self.sentences for w in re.findall(r"[a-z0-9]+", s.lower())}

    def _made_up(self, rng: random.Random, limit: int = 45) -> str:
        words: list[str] = []
        state = self.START
        while len(words) < limit:
            word = rng.choice(self.chain[state])
            if not word:
                break
            state = (state[1], word)
            if self.rare and rng.random() < self.rare_share:
                word = rng.choices(self.rare, cum_weights=self.rare_weights)[0]
            words.append(word)
        text = " ".join(words).rstrip(",;")
        return text if text.endswith((".", "?", "!")) else text + "."

    def one(self, rng: random.Random) -> str:
        """A real sentence or a made-up one, as ``real_share`` says."""
        if rng.random() < self.real_share:
            return rng.choice(self.sentences)
        return self._made_up(rng)

    def page(self, rng: random.Random) -> Page:
        """The text source for one page: about two real documents as its topic."""
        return Page(self, rng.sample(self.documents, 2))

    def sentence(self, rng: random.Random, words: int, topic: list[str] | None = None) -> str:
        """About ``words`` words of text: whole sentences while they fit, the first one cut
        at ``words`` if it is longer (for short fields); ``topic_share`` of them from
        ``topic`` (a page's own sentences) if given."""
        parts: list[str] = []
        count = 0
        while count < words:
            text = self.one(rng) if topic is None or rng.random() >= self.topic_share else rng.choice(topic)
            n = len(text.split())
            if not parts and n > words * 1.5:
                text = " ".join(text.split()[:words]).rstrip(",;.") + "."
                n = words
            parts.append(text)
            count += n
        result = " ".join(parts)
        limit = int(words * 1.6) + 1  # fields have lengths to keep to: never far over
        if len(result.split()) > limit:
            result = " ".join(result.split()[:limit]).rstrip(",;.") + "."
        return result[0].upper() + result[1:]


class Page:
    """One page's text: ``topic_share`` of its sentences from its own topic, two real
    documents' sentences (as a real case study keeps to its subject, so that a word like
    "autism" is on the pages about autism, not on every page), the rest as
    :meth:`Sentences.one` gives them."""

    def __init__(self, source: Sentences, documents: list[list[str]]) -> None:
        self.source = source
        self.topic = [s for d in documents for s in d]

    def sentence(self, rng: random.Random, words: int) -> str:
        return self.source.sentence(rng, words, self.topic)
