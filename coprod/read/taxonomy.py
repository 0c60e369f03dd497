"""The controlled vocabularies of ``evidence/taxonomy.yml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .source import SourceFile


@dataclass(frozen=True)
class Term:
    vocabulary: str
    key: str
    label: str
    definition: str
    source: str
    note: str = ""
    symbol: str = ""
    requires: dict = field(default_factory=dict, hash=False, compare=False)
    kinds: tuple[str, ...] = ()  # outcome ratings: the kinds of evidence that give this rating
    counts: tuple[int, ...] = ()  # GRIPP2 reporting: the numbers of items reported under this term
    line: int = 0


@dataclass
class Vocabulary:
    name: str  # the key in taxonomy.yml, like "principles"
    title: str
    description: str
    terms: dict[str, Term]  # in file order
    line: int = 0  # where its name is in taxonomy.yml

    def keys(self) -> list[str]:
        return list(self.terms)


@dataclass
class Taxonomy:
    vocabularies: dict[str, Vocabulary]
    path: str = "evidence/taxonomy.yml"

    def __getitem__(self, name: str) -> Vocabulary:
        return self.vocabularies[name]

    def get(self, name: str) -> Vocabulary | None:
        return self.vocabularies.get(name)

    def term(self, vocabulary: str, key: str) -> Term | None:
        vocab = self.vocabularies.get(vocabulary)
        return vocab.terms.get(key) if vocab else None


def build_taxonomy(source: SourceFile) -> Taxonomy:
    """Build the model from a taxonomy file that passed its schema. Tolerates gaps."""
    vocabularies: dict[str, Vocabulary] = {}
    for name, raw in source.data.items():
        if not isinstance(raw, dict):
            continue
        terms: dict[str, Term] = {}
        for index, item in enumerate(raw.get("terms") or []):
            if not isinstance(item, dict) or not isinstance(item.get("key"), str):
                continue
            key = item["key"]
            if key in terms:
                continue
            terms[key] = Term(
                vocabulary=name,
                key=key,
                label=_text(item.get("label"), key),
                definition=_text(item.get("definition")),
                source=_text(item.get("source")),
                note=_text(item.get("note")),
                symbol=_text(item.get("symbol")),
                requires=item.get("requires") if isinstance(item.get("requires"), dict) else {},
                kinds=tuple(k for k in item.get("kinds") or () if isinstance(k, str)),
                counts=tuple(n for n in item.get("counts") or () if isinstance(n, int)),
                line=source.line_of((name, "terms", index)),
            )
        vocabularies[name] = Vocabulary(name, _text(raw.get("title"), name), _text(raw.get("description")), terms,
                                        source.line_of((name,)))
    return Taxonomy(vocabularies, source.path)


def _text(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default
