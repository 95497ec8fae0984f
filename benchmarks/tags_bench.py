"""Tagging an article and finding it by ``tag:``: the two ways it could be done, measured.

    python benchmarks/tags_bench.py [--sizes 10000 100000]

For each size, a library of the synthetic corpus (corpus.py, which gives every article
tags) is built in a temporary directory, then timed, median of 20:

- ``edit``: ``Library.edit_tags`` on one article: the store's transaction plus the
  catch-up that rewrites that article's one index document (what Reader does);
- ``search``: ``tag:NAME`` for the tag just added, on the index (what every search pays);
- ``scan``: ``Library.tagged_articles()`` (``Store.tagged``), the pass over the store that answering ``tag:`` from the
  store (a document-number filter, as for ``is:bookmarked``) would make on each search,
  before any set is built; also what the tag counts of the sources pane cost.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import generate

from reader.library import Library


def _median(job, runs: int = 20) -> float:
    times = []
    for run in range(runs):
        start = time.perf_counter()
        job(run)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    args = parser.parse_args()
    for size in args.sizes:
        _measure(size)


def _measure(size: int) -> None:
    with tempfile.TemporaryDirectory() as folder, Library.open(folder) as library:
        library.add_articles(generate(size))
        ids = [row.id for row in library.list_articles(limit=20)]
        library.search("tag:warmup")
        edit = _median(lambda run: library.edit_tags(ids[run], add=[f"bench {run}"]))
        search = _median(lambda run: library.search(f'tag:"bench {run}"'))
        assert library.search('tag:"bench 3"').total == 1
        scan = _median(lambda run: library.tagged_articles(), runs=5)
        tagged = len(library.tagged_articles())
        print(f"{size:>7,} articles ({tagged:,} tagged): edit {edit * 1000:6.1f} ms  "
              f"search tag: {search * 1000:6.1f} ms  store scan {scan * 1000:6.1f} ms")

if __name__ == "__main__":
    main()
