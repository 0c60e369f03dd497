"""Synthetic evidence folders for benchmarks: N valid case studies citing M references.

Generated in a temporary folder, never in evidence/. Every file is valid, so timings
measure the full path a clean pull request takes.

The text is drawn word by word from the words of the real case studies and claims, each as
often as it occurs there, so that common words are common and most words are rare, as in
real writing. (An earlier version drew from 22 words, so every word was on every page: the
worst case for a search index, where every query matches every page.)
"""

from __future__ import annotations

import random
import re
import shutil
from collections import Counter
from itertools import accumulate
from pathlib import Path

from coprod.read.taxonomy import Taxonomy


class Words:
    """Words to draw from, weighted by how often they occur in the real evidence."""

    def __init__(self, repo_evidence: Path) -> None:
        counts: Counter[str] = Counter()
        for path in sorted(repo_evidence.glob("*/*.md")):
            counts.update(re.findall(r"[a-z]+", path.read_text(encoding="utf-8").lower()))
        if len(counts) < 100:
            raise ValueError(f"{repo_evidence} has too few words to draw synthetic text from")
        self.words = list(counts)
        self.weights = list(accumulate(counts[w] for w in self.words))

    def sentence(self, rng: random.Random, words: int) -> str:
        text = " ".join(rng.choices(self.words, cum_weights=self.weights, k=words))
        return text[0].upper() + text[1:] + "."


def write_evidence(target: Path, repo_evidence: Path, taxonomy: Taxonomy, cases: int, references: int,
                   cites_per_case: int = 6, seed: int = 1, words=None) -> Path:
    """Write ``target``/evidence with the real schemas and taxonomy and synthetic records.
    ``words`` is the text source (anything with ``sentence(rng, words)``: Words of
    ``repo_evidence`` if not given, or tools.synthetic_text.Sentences for real sentences)."""
    rng = random.Random(seed)
    words = words if words is not None else Words(repo_evidence)
    evidence = target / "evidence"
    (evidence / "case-studies").mkdir(parents=True)
    (evidence / "claims").mkdir()
    shutil.copytree(repo_evidence / "schema", evidence / "schema")
    shutil.copy(repo_evidence / "taxonomy.yml", evidence / "taxonomy.yml")
    term_sources = sorted({t.source for v in taxonomy.vocabularies.values() for t in v.terms.values()})
    keys = [f"Ref{i:05d}" for i in range(references)]
    bib = [_bib_entry(key, rng, words) for key in term_sources + keys]
    (evidence / "references.bib").write_text("\n".join(bib), encoding="utf-8")
    vocab = {name: v.keys() for name, v in taxonomy.vocabularies.items()}
    for n in range(cases):
        cited = rng.sample(keys, min(cites_per_case, len(keys))) if keys else term_sources[:1]
        text = words.page(rng) if hasattr(words, "page") else words  # a page's own topic, where the source has one
        (evidence / "case-studies" / f"case-{n:05d}.md").write_text(_case(n, cited, vocab, rng, text), encoding="utf-8")
    # every reference cited somewhere, so the unused-reference warning stays quiet
    if keys:
        # every reference cited, 20 to a paragraph (a paragraph may hold at most 32 brackets)
        body = "\n\n".join(" ".join(f"[@{key}]" for key in keys[i:i + 20]) for i in range(0, len(keys), 20))
        (evidence / "claims" / "synthetic-claim.md").write_text(_claim(body), encoding="utf-8")
    return evidence


def _bib_entry(key: str, rng: random.Random, words: Words) -> str:
    return (f"@article{{{key},\n  author = {{Author, Ann and Writer, Bo}},\n  title = {{{words.sentence(rng, 8)}}},\n"
            f"  journal = {{Journal of Synthetic Studies}},\n  year = {{{rng.randint(2000, 2025)}}},\n"
            f"  doi = {{10.5555/{key.lower()}}}\n}}\n")


def _case(n: int, cited: list[str], vocab: dict[str, list[str]], rng: random.Random, words: Words) -> str:
    sentence = words.sentence
    pick = lambda name, k: rng.sample(vocab[name], min(k, len(vocab[name])))
    principles = "".join(f"  - principle: {p}\n    how: {sentence(rng, 10)}\n" for p in pick("principles", 2))
    barriers = "".join(f"  - barrier: {b}\n    detail: {sentence(rng, 10)}\n" for b in pick("barriers", 1))
    enablers = "".join(f"  - enabler: {e}\n    detail: {sentence(rng, 10)}\n" for e in pick("enablers", 2))
    outcomes = "".join(
        f"  - area: {a}\n    description: {sentence(rng, 10)}\n    evidence: {rng.choice(vocab['evidence_kinds'])}\n"
        f"    sources: [{cited[0]}]\n" for a in pick("outcomes", 2))
    paragraphs = "\n\n".join(f"{sentence(rng, 40)} [@{key}]" for key in cited)
    return f"""---
id: case-{n:05d}
title: Synthetic case study number {n}
summary: {sentence(rng, 14)}
plain_english_summary: {sentence(rng, 8)} {sentence(rng, 8)} {sentence(rng, 8)}
status: published
published: 2026-01-{1 + n % 28:02d}
version: "1.0"
project:
  name: Synthetic project {n}
  start_year: {2000 + n % 25}
  countries: [United Kingdom]
settings: [{", ".join(pick("settings", 2))}]
research_stages: [{", ".join(pick("stages", 3))}]
involved:
  - role: public contributors
    number: {1 + n % 12}
principles:
{principles}barriers:
{barriers}enablers:
{enablers}outcomes:
{outcomes}sources: [{", ".join(cited)}]
licence: CC-BY-4.0
---

## What happened

{paragraphs}
"""


def _claim(body: str) -> str:
    return f"""---
id: synthetic-claim
title: A synthetic claim that cites every reference
category: outcomes
strength: gap
status: draft
published: 2026-01-01
version: "1.0"
supporting: {{}}
research_needed: [A synthetic study of the synthetic question.]
licence: CC-BY-4.0
---

{body}
"""
