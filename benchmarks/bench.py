"""Reader's benchmark: one command, every figure, against SQLite FTS5 in the same run.

    .venv/bin/python benchmarks/bench.py                        # 1,000, 10,000 and 100,000 articles
    .venv/bin/python benchmarks/bench.py --sizes 1000 10000 --runs 3
    .venv/bin/python benchmarks/bench.py --sizes 10000 --skip-tui

For each size it writes the synthetic corpus (benchmarks/corpus.py) as JSON Lines,
imports it with ``reader import`` into benchmarks/out/library-<n>/ (import time, sizes
on disk, peak memory), bookmarks 5% of it, loads the same articles into FTS5, times
search (each query type and each keystroke of search as you type) and opening an
article on both, and measures the app in tmux on the imported library. It writes
benchmarks/out/bench-<time>.json and .md and prints the Markdown. See
benchmarks/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import fts, importing, latency, machine, queries, report, tui_timing
from reader.library import Library

OUT = Path(__file__).resolve().parent / "out"


def measure_size(n: int, seed: int, out: Path, tui_runs: int) -> dict:
    """Every figure for a library of ``n`` articles."""
    corpus = importing.corpus_folder(out, n, seed)
    data_dir = out / f"library-{n}"
    load = machine.LoadAverage()
    imported = importing.import_library(corpus, data_dir, n)
    loads = {"importing": load.stop()}

    load = machine.LoadAverage()
    facts = queries.CorpusFacts.scan(importing.read_corpus(corpus), seed)
    importing.bookmark(data_dir, facts.bookmarked)
    with tempfile.TemporaryDirectory(prefix="fts-", dir=out) as tmp:
        database = Path(tmp) / "fts.sqlite3"
        print("loading FTS5 …", file=sys.stderr)
        fts_seconds = fts.build(database, importing.read_corpus(corpus), facts.bookmarked)
        fts_import = {
            "seconds": round(fts_seconds, 1),
            "articles_per_second": round(n / fts_seconds),
            "db_mb": round(sum(f.stat().st_size for f in Path(tmp).iterdir()) / 1e6, 1),
        }
        with Library.open(data_dir) as library, fts.Fts(database) as baseline:
            library.warm_search()  # as the app does at start
            sets = queries.query_sets(library, facts, seed)
            print("timing searches …", file=sys.stderr)
            search = latency.query_types(library, baseline, sets)
            typing = latency.as_you_type(library, baseline, queries.typed(seed))
            print("timing opening articles …", file=sys.stderr)
            opened = queries.articles_to_open(facts, seed, besides=sets["more-like-this"])
            opening = latency.open_article(library, baseline, opened)
    loads["timing"] = load.stop()

    tui = None
    if tui_runs:
        print("timing the app in tmux …", file=sys.stderr)
        load = machine.LoadAverage()
        tui = tui_timing.run(data_dir, tui_runs)
        loads["the app"] = load.stop()
    return {
        "articles": n,
        "load": loads,
        "import": imported,
        "fts5_import": fts_import,
        "search": search,
        "as_you_type": typing,
        "open_article": opening,
        "tui": tui,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000],
                        help="library sizes, multiples of 1000 (default: 1000 10000 100000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=5, help="starts of the app per size (default 5)")
    parser.add_argument("--skip-tui", action="store_true", help="leave out the app's timings in tmux")
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write (default {OUT})")
    args = parser.parse_args(argv)
    if any(n <= 0 or n % importing.PER_FILE for n in args.sizes):
        parser.error(f"sizes must be positive multiples of {importing.PER_FILE}")
    if not args.skip_tui and not shutil.which("tmux"):
        parser.error("the app's timings need tmux (or pass --skip-tui)")

    args.out.mkdir(parents=True, exist_ok=True)
    started = datetime.now()
    result = {
        "started": started.isoformat(timespec="seconds"),
        "seed": args.seed,
        "machine": machine.describe(),
        "sizes": [],
    }
    for n in args.sizes:
        print(f"== {n:,} articles", file=sys.stderr)
        result["sizes"].append(measure_size(n, args.seed, args.out, 0 if args.skip_tui else args.runs))
    text = report.markdown(result)
    stem = args.out / f"bench-{started:%Y%m%d-%H%M%S}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    stem.with_suffix(".md").write_text(text, "utf-8")
    print(text)
    print(f"written: {stem}.json, {stem}.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
