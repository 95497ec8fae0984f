"""What find in the article (``/`` in the reader) costs per key on a long article.

    .venv/bin/python benchmarks/find_in_article.py

A 4,300-word article (the size issue 14 read), in English (ASCII: folded with
``str.lower``) and in German (accents: folded character by character, once): the
first search (which folds the text), then each prefix of a word as it is typed, then a
single letter (thousands of matches). Then the app: the same article opened in the
reader under Pilot and the word typed into the find bar, from the first key to the
count shown, per key. Best of three runs each.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path

from reader.tui.widgets.article_view import body_blocks
from reader.tui.widgets.find_bar import Finder

SENTENCE_EN = "The harbour pilots met the ferry crews again to talk about tides, berths and the new quay at Kelmouth."
SENTENCE_DE = "Die Lotsen des Hafens trafen die Fährleute wieder, um über Gezeiten, Liegeplätze und die neue Kaimauer zu sprechen."
WORDS = 4_300


def article_body(sentence: str) -> str:
    per = len(sentence.split())
    sentences = [sentence] * (WORDS // per + 1)
    return "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))


def best(run, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def finder_figures(name: str, body: str, word: str) -> None:
    blocks = body_blocks(body)
    first = best(lambda: Finder(blocks).find(word[:1]))
    finder = Finder(blocks)
    finder.find("x")
    typed = best(lambda: [finder.find(word[:n]) for n in range(1, len(word) + 1)]) / len(word)
    letter = best(lambda: finder.find("e"))
    print(f"{name:<8} {len(body.split()):>6,} words  first search (folds) {first * 1000:6.2f} ms  "
          f"per key of {word!r} {typed * 1000:6.3f} ms  'e' ({len(finder.find('e')):,} matches) {letter * 1000:6.2f} ms")


async def app_figure(name: str, body: str, word: str) -> None:
    from reader.config import Config
    from reader.library import Library
    from reader.model import Article, article_id
    from reader.tui import make_app

    root = Path(tempfile.mkdtemp()) / "data"
    os.environ.setdefault("READER_CONFIG_DIR", str(root.parent / "config"))
    article = Article(id=article_id(url="https://x.example/a", source="Bench", title="A long article", published="2026-01-01"),
                      title="A long article", summary="", body=body, language="en", source="Bench", url="https://x.example/a",
                      published="2026-01-01")
    with Library.open(root) as library:
        library.add_articles([article])
    app = make_app(root, Config())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.0)
        await pilot.press("enter")
        await pilot.pause(1.0)
        await pilot.press("slash")
        await pilot.pause()
        times = []
        for key in word:
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            times.append(time.perf_counter() - start)
        count = str(app.screen.query_one("#find-count").render())
    print(f"app, {name:<17} per key typed into the bar (press + one refresh), {len(word)} keys: "
          f"median {sorted(times)[len(times) // 2] * 1000:.1f} ms, worst {max(times) * 1000:.1f} ms; count {count}")


def main() -> None:
    english, german = article_body(SENTENCE_EN), article_body(SENTENCE_DE)
    finder_figures("English", english, "kelmouth")
    finder_figures("German", german, "fahrleute")
    # the same keys on a one-paragraph article: what Pilot's press and refresh cost anyway
    asyncio.run(app_figure("one paragraph", SENTENCE_EN, "kelmouth"))
    asyncio.run(app_figure("4,300 words", english, "kelmouth"))


if __name__ == "__main__":
    main()
