"""The benchmark corpus is reproducible and shaped as promised."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generate_is_deterministic_and_prefix_stable():
    corpus = load_corpus()
    first = list(corpus.generate(60))
    assert first == list(corpus.generate(60))
    assert first[:30] == list(corpus.generate(30))
    assert first != list(corpus.generate(60, seed=7))


def test_articles_look_like_the_brief():
    articles = list(load_corpus().generate(300))
    german = sum(a.language == "de" for a in articles) / len(articles)
    assert 0.12 < german < 0.28
    words = sum(a.word_count for a in articles) / len(articles)
    assert 550 < words < 650
    assert len({a.id for a in articles}) == len(articles)
    assert all(a.title and a.summary and a.source and a.published and a.tags for a in articles)


def test_related_links_point_back_into_the_corpus_or_outside():
    articles = list(load_corpus().generate(300))
    seen: set[str] = set()
    inside = outside = 0
    for article in articles:
        assert len(article.related) <= 4
        for link in article.related:
            if link.url in seen:
                inside += 1
            else:
                assert link.url.startswith("https://elsewhere.example/")
                outside += 1
        seen.add(article.url)
    assert inside > 5 * outside > 0
