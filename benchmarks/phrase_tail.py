"""The slow end of phrase search, on its own: the phrases of ``workload.py``'s draw, each
searched once on a warm library, the slowest listed and the p50/p95 given for phrases
with a stop word (whose word pairs are indexed) and without one.

    .venv/bin/python -m benchmarks.phrase_tail --library DATA_DIR --corpus CORPUS_DIR [--per-type 200]

Quicker than the whole workload (no FTS5 to load) when a change is about phrases only;
compare with the workload's FTS5 figures for the same library.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from benchmarks.latency import percentile
from benchmarks.workload import draw
from reader.library import Library
from reader.search.analysis import COMMON_WORDS

KINDS = ("phrase, present", "phrase, absent")
WARM_UP = 20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--per-type", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    sets = draw(args.corpus, args.per_type, args.seed)
    rows: list[tuple[float, str, str, int, bool]] = []
    with Library.open(args.library) as library:
        for query in sets[KINDS[0]][:WARM_UP]:
            library.search(query, 20)
        for kind in KINDS:
            for query in sets[kind][: args.per_type]:
                start = time.perf_counter()
                result = library.search(query, 20)
                ms = 1000 * (time.perf_counter() - start)
                with_stop_word = any(word in COMMON_WORDS for word in query.strip('"').split())
                rows.append((ms, kind, query, result.total, with_stop_word))
    for ms, kind, query, total, stop in sorted(rows, reverse=True)[:15]:
        print(f"{ms:8.1f} ms  {kind:16s} {query:40s} {total:6d} found  {'stop word' if stop else ''}")
    for stop in (True, False):
        times = [row[0] for row in rows if row[4] == stop]
        if times:
            label = "with a stop word" if stop else "without one"
            print(f"{label}: {len(times)} phrases, p50 {percentile(times, 50):.1f} ms, p95 {percentile(times, 95):.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
