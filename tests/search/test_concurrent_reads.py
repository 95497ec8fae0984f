"""Searches from several threads at once on one library give what one thread gives.

The app searches from several threads (the search box, the start-up warm-up, the saved
searches' counts, the reader's similar articles). Whoosh's readers share file objects,
so before reads were serialised (SearchIndex._reading) four threads gave wrong hits and
"index unreadable: unpack requires a buffer of 4 bytes", which marked the index damaged.
"""

from __future__ import annotations

import random
import threading

from reader.library import Library
from reader.model import Article, article_id

WORDS = "harbour pilots ferry quay tide crane museum budget council cycling train ticket offline sensor water".split()


def _articles(count: int) -> list[Article]:
    rng = random.Random(1)
    found = []
    for n in range(count):
        title = f"Story {n} " + " ".join(rng.sample(WORDS, 3))
        body = "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(5))
        url = f"https://news.example/{n}"
        found.append(Article(id=article_id(url=url, source="S", title=title, published="2026-01-01"), title=title,
                             summary="", body=body, language="en", source="S", url=url, published="2026-01-01"))
    return found


def test_four_threads_searching_at_once_get_what_one_gets(data_dir):
    with Library.open(data_dir) as library:
        library.add_articles(_articles(2000))
    library = Library.open(data_dir)
    try:
        expected = {word: [hit.id for hit in library.search(word, limit=20, as_you_type=True).hits] for word in WORDS}
        wrong: list[str] = []
        errors: list[BaseException] = []

        def search(seed: int) -> None:
            rng = random.Random(seed)
            try:
                for _ in range(200):
                    word = rng.choice(WORDS)
                    if [hit.id for hit in library.search(word, limit=20, as_you_type=True).hits] != expected[word]:
                        wrong.append(word)
            except BaseException as error:  # reported below, with the others
                errors.append(error)

        for round_ in range(2):
            library.close()
            library = Library.open(data_dir)  # cold caches: the first searches read the most
            threads = [threading.Thread(target=search, args=(round_ * 10 + n,)) for n in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
            assert not any(thread.is_alive() for thread in threads)
        assert not errors, errors[:3]
        assert not wrong, f"{len(wrong)} searches gave other hits than alone: {wrong[:5]}"
    finally:
        library.close()
