"""What the benchmark asks: the queries of each type, the words typed into the search box
and the articles opened, all drawn with a fixed seed so that runs compare.

Queries are in Reader's syntax; :mod:`benchmarks.fts` derives the FTS5 equivalents.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from benchmarks.corpus import DE_TOPICS, EN_TOPICS
from reader.library import Library

QUERIES_PER_TYPE = 40
ARTICLES_OPENED = 60
WARM_UP = 5  # queries run before the timed ones (other articles, where results are cached per article)
TYPED_WORDS = 8  # single topic words typed letter by letter, plus two two-word queries
COMMON = (
    "government people police market report minister council workers city company world money "
    "economy public health school water energy Regierung Stadt Menschen Unternehmen Wirtschaft"
).split()


@dataclass
class CorpusFacts:
    """What the queries need to know of the corpus, gathered in one pass over it."""

    ids: list[str]
    rare: list[str]  # words (as written) in 3 to 20 articles

    @classmethod
    def scan(cls, articles: Iterable[dict], seed: int) -> CorpusFacts:
        ids: list[str] = []
        frequency: Counter[str] = Counter()
        for article in articles:
            ids.append(article["id"])
            frequency.update({w for w in article["body"].split() if w.isalpha() and len(w) > 6})
        rare = sorted(w for w, n in frequency.items() if 3 <= n <= 20)
        return cls(ids, random.Random(seed).sample(rare, min(QUERIES_PER_TYPE, len(rare))))

    @property
    def bookmarked(self) -> set[str]:
        """Every 20th article: the 5% that ``is:bookmarked`` filters to."""
        return set(self.ids[::20])


def _topic_words(min_length: int = 5) -> list[str]:
    words = [w for topic in (*EN_TOPICS.values(), *DE_TOPICS.values()) for w in topic.split()]
    return [w for w in words if "_" not in w and len(w) >= min_length]


def _phrases() -> list[str]:
    return [w.replace("_", " ") for topic in (*EN_TOPICS.values(), *DE_TOPICS.values()) for w in topic.split() if "_" in w]


def _misspell(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def query_sets(library: Library, facts: CorpusFacts, seed: int) -> dict[str, list[str]]:
    """Distinct queries per type; more-like-this takes article ids."""
    rng = random.Random(seed)
    topic = _topic_words()
    two = [f"{a} {b}" for a, b in zip(rng.sample(topic, QUERIES_PER_TYPE), rng.sample(COMMON, len(COMMON)) * 2, strict=False)]
    misspelled = []
    for word in rng.sample([w for w in topic if w.isalpha() and len(w) >= 6], 60):
        wrong = _misspell(word.lower(), rng)
        if not library.search(wrong, limit=1).total:
            misspelled.append(wrong)
    return {
        "common word": COMMON,
        "rare word": facts.rare,
        "two words": two,
        "phrase": [f'"{p}"' for p in _phrases()],
        "prefix": [f"{w[:4].lower()}*" for w in rng.sample(topic, QUERIES_PER_TYPE)],
        "field": [f"title:{w.lower()}" for w in rng.sample(topic, QUERIES_PER_TYPE)],
        "filter": [f"{w.lower()} is:bookmarked" for w in rng.sample(topic, QUERIES_PER_TYPE)],
        "sort by date": [f"{w.lower()} sort:date" for w in rng.sample(topic, QUERIES_PER_TYPE)],
        "suggestion": misspelled[:QUERIES_PER_TYPE],
        "more-like-this": rng.sample(facts.ids, WARM_UP + QUERIES_PER_TYPE),  # the first few warm up
    }


def typed(seed: int) -> list[list[str]]:
    """What is in the search box after each keystroke, per word typed one letter at a time.

    Like the app, which searches for the stripped text, a keystroke that only adds a
    space asks nothing new and is left out. The first word is for warming up.
    """
    rng = random.Random(f"typing-{seed}")
    words = rng.sample([w for w in _topic_words(6) if w.isalpha()], 1 + TYPED_WORDS)
    phrases = [f"{a} {b}" for a, b in zip(rng.sample(_topic_words(6), 2), rng.sample(COMMON, 2), strict=False)]
    return [[text[:i] for i in range(1, len(text) + 1) if not text[:i].endswith(" ")] for text in words + phrases]


def articles_to_open(facts: CorpusFacts, seed: int, besides: Iterable[str]) -> list[str]:
    """Random articles to open, none of ``besides`` (whose more-like-this is cached already);
    the first :data:`WARM_UP` are for warming up."""
    taken = set(besides)
    rng = random.Random(f"open-{seed}")
    return [i for i in rng.sample(facts.ids, ARTICLES_OPENED + WARM_UP + len(taken)) if i not in taken][
        : ARTICLES_OPENED + WARM_UP
    ]
