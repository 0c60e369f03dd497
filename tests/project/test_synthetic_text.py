"""The benchmarks' realistic text (tests/tools/synthetic_text.py): real sentences, pages that
keep to a topic, and records that are valid as written."""

from __future__ import annotations

import io
import random
import re

import pytest
from helpers import ROOT
from tools.synthetic import write_evidence
from tools.synthetic_text import Sentences, clean, split_sentences

from coprod.checks.evidence import load_evidence
from coprod.cli import validate as validate_cli
from coprod.read.problems import Report


@pytest.fixture(scope="module")
def sentences() -> Sentences:
    return Sentences(ROOT)


def test_sentences_come_from_the_repositorys_own_writing(sentences: Sentences) -> None:
    assert len(sentences.sentences) > 1000 and len(sentences.documents) > 100
    jabref = (ROOT / "tests" / "fixtures" / "bib" / "jabref-participation-studies.bib").read_text(encoding="utf-8")
    abstract = re.search(r"abstract\s*=\s*\{(.*?)\},?\n", jabref).group(1)
    assert split_sentences([abstract])[0] in sentences.sentences  # the fixture's abstracts are among them
    # the made-up lexicon is new words, none the repository uses
    assert len(sentences.rare) == 40_000 and not sentences.words() & {w.lower() for w in sentences.rare}


def test_cleaned_text_is_a_plain_yaml_scalar_with_no_markup() -> None:
    text = clean("See [the guide](https://x.org) [@Key2020]: <jats:p>a &amp; b</jats:p> #1 {x} [...]")
    assert text == "See the guide, a b 1 x"
    assert not re.search(r"[\[\]{}<>#*_`|\\]|: ", text)


def test_a_page_keeps_to_its_topic(sentences: Sentences) -> None:
    """Most sentences of a page come from its two documents; a word of one document is on
    far fewer pages than a word drawn for every page would be."""
    rng = random.Random(3)
    page = sentences.page(rng)
    drawn = [page.sentence(rng, 40) for _ in range(40)]
    own = sum(any(s in text for s in page.topic) for text in drawn)
    assert own >= 24, own  # topic_share is 0.8 of sentences; each text holds two or three


def test_synthetic_records_with_real_sentences_are_valid(tmp_path, sentences: Sentences) -> None:
    taxonomy = load_evidence(ROOT / "evidence", Report()).taxonomy
    folder = write_evidence(tmp_path, ROOT / "evidence", taxonomy, 150, 40, words=sentences)
    out = io.StringIO()
    validate_cli.run([str(folder)], out=out)
    assert "Errors (" not in out.getvalue(), out.getvalue()[:3000]
