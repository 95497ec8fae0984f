"""The pathological queries of issue 15, each through ``reader search``, timed.

    .venv/bin/python benchmarks/pathological.py --library DATA_DIR

Each query is run as a user would run it (the ``reader`` command in a child process,
start-up included) on an existing library, and again in-process on the warmed
library (the app's case, without start-up). The bar is 2 seconds at 10,000 articles.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.library import Library

READER = Path(sys.executable).parent / "reader"

QUERIES = {
    '"(" x 1000': "(" * 1000,
    '"NOT " x 1000': "NOT " * 1000,
    '"harbour" x 2000 as a phrase': '"' + " ".join(["harbour"] * 2000) + '"',
    "130 ORed prefixes": " OR ".join(f"{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}*" for i in range(130)),
    "1000 ORed words": " OR ".join(f"word{i}" for i in range(1000)),
    '"covid-19-" x 1000': '"covid-19-"' * 1000,
    "1000 nested groups around a word": "(" * 1000 + "harbour" + ")" * 1000,
    "2000 misspelled words": " ".join(["harbur", "goverment"] * 1000),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path, required=True)
    args = parser.parse_args(argv)
    env = {**os.environ, "READER_DATA_DIR": str(args.library), "READER_CONFIG_DIR": str(args.library / "no-config")}
    rows = []
    with Library.open(args.library) as library:
        library.warm_search()
        count = library.search("is:unread sort:date", limit=1).total + library.search("is:read", limit=1).total
        for name, query in QUERIES.items():
            start = time.perf_counter()
            result = library.search(query, limit=20)
            in_process = time.perf_counter() - start
            start = time.perf_counter()
            done = subprocess.run([str(READER), "search", query], env=env, capture_output=True, text=True, check=False)
            command = time.perf_counter() - start
            notes = "; ".join(result.notes) or "-"
            rows.append((name, command, in_process, result.total, done.returncode, notes))
    print(f"Pathological queries on {count:,} articles (seconds)\n")
    print("| query | `reader search` | in the app (warm) | results | exit | note |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name, command, in_process, total, code, notes in rows:
        print(f"| {name} | {command:.2f} | {in_process:.3f} | {total} | {code} | {notes} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
