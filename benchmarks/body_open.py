"""What opening a huge article costs the reader screen: blocks from the body, wrapped.

    .venv/bin/python benchmarks/body_open.py

Times (and the peak of Python memory, tracemalloc) for the two shapes issue 15 found
slow: a body of 1,000,000 paragraphs (the 0.1 screen took 11 s and 601 MB) and a 10 MB
one-line summary (21 s); and a structured body of 5,000 nested list levels. The screen
draws at most reader.tui.widgets.article_view.MAX_BODY_CHARS of a body, so these are
bounded by that, not by the article.
"""

from __future__ import annotations

import time
import tracemalloc

from reader.tui.widgets.article_view import _wrap_block, body_blocks

WIDTH = 76


def _open(body: str, summary: str) -> tuple[int, int]:
    body_blocks.cache_clear()
    blocks = body_blocks(body, summary)
    return len(blocks), sum(len(_wrap_block(block, WIDTH)) for block in blocks)


def measure(name: str, body: str, summary: str = "") -> None:
    start = time.perf_counter()
    count, lines = _open(body, summary)
    elapsed = time.perf_counter() - start  # timed without tracemalloc, which slows it
    tracemalloc.start()
    _open(body, summary)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{name:<34} {len(body) + len(summary):>12,} chars  {count:>7,} blocks  {lines:>7,} lines  {elapsed:6.2f} s  peak {peak / 2**20:6.1f} MB")


def main() -> None:
    measure("1,000,000 paragraphs", "\n\n".join(f"Paragraph {n} of a very long article." for n in range(1_000_000)))
    measure("10 MB one-line summary", "A short body.", "word " * 2_000_000)
    measure("5,000 nested list levels", "".join("  " * level + f"- item {level}\n" for level in range(5_000)))


if __name__ == "__main__":
    main()
