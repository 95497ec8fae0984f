"""Search benchmark: Reader's Whoosh index against SQLite FTS5 on the same corpus.

    .venv/bin/python benchmarks/bench_search.py            # 10,000 articles
    .venv/bin/python benchmarks/bench_search.py --n 100000 --json benchmarks/out/100k.json

Generates the corpus (benchmarks/corpus.py), builds a SearchIndex in a temporary
directory and the same articles into an FTS5 table (porter + unicode61 without
diacritics, bm25 with the same column weights, snippet()), then times each query type
on both: p50/p95 in milliseconds over distinct queries, after one warm-up pass. Each
side does the work a results screen needs: the top 20 with snippets and a total.
Prints a table with the p95 ratio and optionally writes everything as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import DE_TOPICS, EN_TOPICS, generate  # noqa: E402
from reader.search import SearchIndex  # noqa: E402

LIMIT = 20
QUERIES_PER_TYPE = 40
FTS_WEIGHTS = "2.5, 1.5, 1.0"  # title, summary, body: the weights Reader gives them


class State:
    """A StateLookup with ~5% of the articles bookmarked and a third read."""

    def __init__(self, ids: list[str]) -> None:
        self.bookmarked = set(ids[::20])
        self.read = set(ids[::3])

    def ids_with(self, flag: str) -> set[str]:
        return self.bookmarked if flag == "bookmarked" else self.read

    def flags(self, ids):
        return {i: (i in self.bookmarked, i in self.read) for i in ids}


# ----------------------------------------------------------------------- queries


def _topic_words(min_length: int = 5) -> list[str]:
    words = [w for topic in (*EN_TOPICS.values(), *DE_TOPICS.values()) for w in topic.split()]
    return [w for w in words if "_" not in w and len(w) >= min_length]


def _phrases() -> list[str]:
    return [w.replace("_", " ") for topic in (*EN_TOPICS.values(), *DE_TOPICS.values()) for w in topic.split() if "_" in w]


def _misspell(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def query_sets(index: SearchIndex, article_ids: list[str], rare: list[str], seed: int) -> dict[str, list]:
    """Distinct queries per type, the same for Reader and FTS5 (FTS5 syntax derived later)."""
    rng = random.Random(seed)
    topic = _topic_words()
    common = "government people police market report minister council workers city company world money".split()
    common += "economy public health school water energy Regierung Stadt Menschen Unternehmen Wirtschaft".split()
    two = [f"{a} {b}" for a, b in zip(rng.sample(topic, 40), rng.sample(common, len(common)) * 2)]
    misspelled = []
    for word in rng.sample([w for w in topic if w.isalpha() and len(w) >= 6], 60):
        wrong = _misspell(word.lower(), rng)
        if not index.search(wrong, limit=1).total:
            misspelled.append(wrong)
    return {
        "common word": common,
        "rare word": rare,
        "two words": two,
        "phrase": [f'"{p}"' for p in _phrases()],
        "prefix": [f"{w[:4].lower()}*" for w in rng.sample(topic, 40)],
        "field": [f"title:{w.lower()}" for w in rng.sample(topic, 40)],
        "filter": [f"{w.lower()} is:bookmarked" for w in rng.sample(topic, 40)],
        "sort by date": [f"{w.lower()} sort:date" for w in rng.sample(topic, 40)],
        "suggestion": misspelled[:40],
        "more-like-this": rng.sample(article_ids, QUERIES_PER_TYPE),
    }


def rare_words(articles, seed: int) -> list[str]:
    """Words (as written) in between 3 and 20 articles."""
    frequency: Counter[str] = Counter()
    for article in articles:
        frequency.update({w for w in article.body.split() if w.isalpha() and len(w) > 6})
    rare = sorted(w for w, n in frequency.items() if 3 <= n <= 20)
    return random.Random(seed).sample(rare, min(QUERIES_PER_TYPE, len(rare)))


# ------------------------------------------------------------------------ FTS5


def build_fts(path: Path, articles, state: State) -> float:
    start = time.perf_counter()
    db = sqlite3.connect(path)
    db.executescript(
        """
        PRAGMA journal_mode=WAL;
        CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, published TEXT, language TEXT);
        CREATE VIRTUAL TABLE fts USING fts5(title, summary, body, tokenize='porter unicode61 remove_diacritics 2');
        CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, 'row');
        CREATE TABLE bookmarks(rowid INTEGER PRIMARY KEY);
        CREATE INDEX meta_published ON meta(published);
        """
    )
    with db:
        for rowid, a in enumerate(articles, 1):
            db.execute("INSERT INTO meta VALUES (?, ?, ?, ?)", (rowid, a.id, a.published, a.language))
            db.execute("INSERT INTO fts(rowid, title, summary, body) VALUES (?, ?, ?, ?)", (rowid, a.title, a.summary, a.body))
            if a.id in state.bookmarked:
                db.execute("INSERT INTO bookmarks VALUES (?)", (rowid,))
    db.close()
    return time.perf_counter() - start


def _fts_match(query: str) -> str:
    """Reader syntax -> FTS5 syntax for the benchmark's queries."""
    words = query.replace(" is:bookmarked", "").replace(" sort:date", "")
    if words.startswith("title:"):
        return "title : " + _quote(words[6:])
    if words.startswith('"'):
        return words
    if words.endswith("*"):
        return _quote(words[:-1]) + "*"
    return " ".join(_quote(w) for w in words.split())


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class Fts:
    """The FTS5 side: the closest equivalent of each Reader query type."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)

    def ranked(self, query: str) -> int:
        match = _fts_match(query)
        order, join = "ORDER BY rank", ""
        if "sort:date" in query:
            order, join = "ORDER BY m.published DESC", "JOIN meta m ON m.rowid = fts.rowid"
        if "is:bookmarked" in query:
            join = "JOIN bookmarks b ON b.rowid = fts.rowid"
        self.db.execute(
            f"SELECT fts.rowid, title, snippet(fts, 2, '[', ']', '…', 24) FROM fts {join} "
            f"WHERE fts MATCH ? AND rank MATCH 'bm25({FTS_WEIGHTS})' {order} LIMIT {LIMIT}",
            (match,),
        ).fetchall()
        total = self.db.execute(f"SELECT count(*) FROM fts {join} WHERE fts MATCH ?", (match,)).fetchone()[0]
        return total

    def suggestion(self, word: str) -> str | None:
        """No hits, then the nearest vocabulary term sharing the first letter."""
        self.ranked(word)
        candidates = self.db.execute(
            "SELECT term, doc FROM vocab WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?",
            (word[0], word[0] + "\uffff", len(word) - 2, len(word) + 2),
        ).fetchall()
        scored = [(_distance(word, term), -doc, term) for term, doc in candidates]
        best = min(scored, default=None)
        return best[2] if best and best[0] <= 2 else None

    def more_like_this(self, article_id: str) -> list:
        rowid, body, title = self.db.execute(
            "SELECT m.rowid, f.body, f.title FROM meta m JOIN fts f ON f.rowid = m.rowid WHERE m.id = ?", (article_id,)
        ).fetchone()
        words = [w.lower() for w in (title + " " + body).split() if len(w) > 5 and w.isalpha()]
        top = [w for w, _ in Counter(words).most_common(12)]
        match = " OR ".join(_quote(w) for w in top)
        return self.db.execute(
            "SELECT rowid FROM fts WHERE fts MATCH ? AND rowid != ? ORDER BY rank LIMIT 5", (match, rowid)
        ).fetchall()


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# ---------------------------------------------------------------------- timing


def timed(fn: Callable[[object], object], queries: list) -> list[float]:
    for query in queries[:5]:  # warm-up
        fn(query)
    samples = []
    for query in queries:
        start = time.perf_counter()
        fn(query)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def directory_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Reader search benchmark against SQLite FTS5.")
    parser.add_argument("--n", type=int, default=10_000, help="articles (default 10000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="reader-bench-") as tmp:
        tmp = Path(tmp)
        print(f"generating {args.n:,} articles …", file=sys.stderr)
        articles = list(generate(args.n, args.seed))
        state = State([a.id for a in articles])

        print("building the Reader index …", file=sys.stderr)
        index = SearchIndex.open(tmp / "index")
        start = time.perf_counter()
        index.rebuild(articles, len(articles))
        reader_import = time.perf_counter() - start
        index.close()

        print("building FTS5 …", file=sys.stderr)
        fts_import = build_fts(tmp / "fts.sqlite3", articles, state)
        ids = [a.id for a in articles]
        rare = rare_words(articles, args.seed)
        del articles

        index = SearchIndex.open(tmp / "index")
        fts = Fts(tmp / "fts.sqlite3")
        queries = query_sets(index, ids, rare, args.seed)
        rows = []
        for kind, qs in queries.items():
            print(f"timing {kind} ({len(qs)} queries) …", file=sys.stderr)
            if kind == "more-like-this":
                ours = timed(lambda q: index.more_like_this(q, state=state), qs)
                theirs = timed(fts.more_like_this, qs)
            elif kind == "suggestion":
                ours = timed(lambda q: index.search(q, LIMIT, state=state), qs)
                theirs = timed(fts.suggestion, qs)
            else:
                ours = timed(lambda q: index.search(q, LIMIT, state=state), qs)
                theirs = timed(fts.ranked, qs)
            rows.append(
                {
                    "type": kind,
                    "example": qs[0] if kind != "more-like-this" else "(article id)",
                    "queries": len(qs),
                    "reader_p50_ms": round(percentile(ours, 50), 2),
                    "reader_p95_ms": round(percentile(ours, 95), 2),
                    "fts5_p50_ms": round(percentile(theirs, 50), 2),
                    "fts5_p95_ms": round(percentile(theirs, 95), 2),
                }
            )
        result = {
            "articles": args.n,
            "seed": args.seed,
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}",
            "import": {
                "reader_seconds": round(reader_import, 1),
                "reader_articles_per_second": round(args.n / reader_import),
                "reader_index_mb": round(directory_size(tmp / "index") / 1e6, 1),
                "fts5_seconds": round(fts_import, 1),
                "fts5_articles_per_second": round(args.n / fts_import),
                "fts5_db_mb": round(sum(f.stat().st_size for f in tmp.glob("fts.sqlite3*")) / 1e6, 1),
            },
            "queries": rows,
        }
        index.close()
    print(format_table(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return 0


def format_table(result: dict) -> str:
    imp = result["import"]
    lines = [
        f"{result['articles']:,} articles; {result['machine']}",
        f"import: Reader {imp['reader_seconds']} s ({imp['reader_articles_per_second']}/s, index "
        f"{imp['reader_index_mb']} MB); FTS5 {imp['fts5_seconds']} s ({imp['fts5_articles_per_second']}/s, "
        f"{imp['fts5_db_mb']} MB)",
        "",
        "| query type | example | Reader p50 | Reader p95 | FTS5 p50 | FTS5 p95 | p95 ratio |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["queries"]:
        ratio = row["reader_p95_ms"] / max(row["fts5_p95_ms"], 0.01)
        lines.append(
            f"| {row['type']} | `{row['example']}` | {row['reader_p50_ms']:.1f} ms | {row['reader_p95_ms']:.1f} ms | "
            f"{row['fts5_p50_ms']:.1f} ms | {row['fts5_p95_ms']:.1f} ms | {ratio:.1f}x |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
