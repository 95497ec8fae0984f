"""A workload, not examples: many queries per type drawn from the corpus itself, timed
on Reader and on SQLite FTS5 in the same run, p50/p95/p99 in milliseconds.

    .venv/bin/python benchmarks/workload.py --library DATA_DIR --corpus CORPUS_DIR [--per-type 1000]

``DATA_DIR`` is a library imported from ``CORPUS_DIR`` (a folder of Reader JSON Lines
files, as :mod:`benchmarks.importing` writes them); building one takes minutes at
100,000 articles, so it is made once and reused. FTS5 is loaded from the same files
(``benchmarks.fts``: porter, ``prefix='1 2 3'``, bm25 with Reader's weights).

Query types, all drawn with a fixed seed from the articles:

- *phrase, present*: 2 or 3 adjacent words of an article, every one among the
  corpus's 300 commonest words (so stop words too: "of the", "said that it");
- *phrase, absent*: 2 or 3 of those common words in a random order ("of have and");
- *words*: 2 to 5 words of one article; *question*: the first 8 to 14 words of one of
  its sentences, as a question ("what ... ?"), which FTS5 gets ORed;
- *prefix*: 1 to 4 first letters of a word; *field*: ``title:word``; *filter*:
  ``word is:bookmarked``; *sort by date*: ``word sort:date``; *suggestion*: a word
  with one letter dropped or swapped; *more-like-this*: an article id;
- *as you type*: every keystroke of typing 2 to 3 words of an article.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import fts, importing
from benchmarks.latency import _clock, percentile
from benchmarks.queries import _misspell
from reader.library import Library
from reader.tui.screens.library import SEARCH_LIMIT

_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE = re.compile(r"[^.!?]+[.!?]")
COMMON_WORDS = 300
WARM_UP = 20


def draw(corpus: Path, per_type: int, seed: int) -> dict[str, list[str]]:
    """The queries of each type (see the module doc)."""
    rng = random.Random(seed)
    articles = list(importing.read_corpus(corpus))
    counts: Counter[str] = Counter()
    for a in rng.sample(articles, min(len(articles), 2000)):
        counts.update(w.lower() for w in _WORD.findall(a["body"]))
    common = [w for w, _ in counts.most_common(COMMON_WORDS)]
    common_set = set(common)
    sample = [rng.choice(articles) for _ in range(per_type * 3)]
    present, words, questions, typed = [], [], [], []
    for a in sample:
        tokens = _WORD.findall(a["body"])
        if len(tokens) < 20:
            continue
        n = rng.choice((2, 3))
        for _ in range(30):
            i = rng.randrange(len(tokens) - n)
            run = [t.lower() for t in tokens[i : i + n]]
            if all(t in common_set for t in run):
                present.append('"' + " ".join(run) + '"')
                break
        i = rng.randrange(len(tokens) - 5)
        words.append(" ".join(tokens[i : i + rng.randint(2, 5)]).lower())
        sentences = [s for s in _SENTENCE.findall(a["body"]) if len(_WORD.findall(s)) >= 8]
        if sentences:
            question = _WORD.findall(rng.choice(sentences))[: rng.randint(8, 14)]
            questions.append("what " + " ".join(question).lower() + "?")
        i = rng.randrange(len(tokens) - 3)
        typed.append(" ".join(tokens[i : i + rng.randint(2, 3)]).lower())
    long_words = [w for w in counts if len(w) >= 6][:5000]
    topics = rng.sample(long_words, min(len(long_words), per_type))
    ids = [a["id"] for a in rng.sample(articles, min(len(articles), per_type + WARM_UP))]
    return {
        "phrase, present": present[:per_type],
        "phrase, absent": ['"' + " ".join(rng.sample(common, rng.choice((2, 3)))) + '"' for _ in range(per_type)],
        "words (2-5)": words[:per_type],
        "question": questions[:per_type],
        "prefix (1-4 letters)": [w[: rng.randint(1, 4)] + "*" for w in rng.sample(long_words, min(len(long_words), per_type))],
        "field": [f"title:{w}" for w in topics],
        "filter": [f"{w} is:bookmarked" for w in topics],
        "sort by date": [f"{w} sort:date" for w in topics],
        "suggestion": [_misspell(w, rng) for w in topics],
        "more-like-this": ids,
        "as you type": typed[: max(1, per_type // 10)],  # ~10 keystrokes each
    }


def _fts_question(query: str) -> str:
    return " OR ".join(fts._quote(w) for w in _WORD.findall(query))


def run(library: Library, baseline: fts.Fts, sets: dict[str, list[str]]) -> list[dict]:
    rows = []
    for kind, queries in sets.items():
        if kind == "more-like-this":
            ours_fn, theirs_fn = (lambda i: library.more_like_this(i, limit=5)), baseline.more_like_this
        elif kind == "as you type":
            queries = [text[:i] for text in queries for i in range(1, len(text) + 1) if not text[:i].endswith(" ")]
            ours_fn, theirs_fn = (lambda t: library.search(t, SEARCH_LIMIT, as_you_type=True)), baseline.as_you_type
        elif kind == "suggestion":
            ours_fn, theirs_fn = (lambda q: library.search(q, fts.LIMIT)), baseline.suggestion
        elif kind == "question":
            ours_fn, theirs_fn = (
                (lambda q: library.search(q, fts.LIMIT)),
                (lambda q: baseline._page(_fts_question(q), "", "ORDER BY rank")),
            )
        else:
            ours_fn, theirs_fn = (lambda q: library.search(q, fts.LIMIT)), baseline.ranked
        warm, timed = queries[:WARM_UP], queries[WARM_UP:] if len(queries) > 2 * WARM_UP else queries
        for q in warm:
            ours_fn(q)
            theirs_fn(q)
        ours, theirs = [], []
        for q in timed:  # interleaved: both sides see the same moments of a shared machine
            ours.append(_clock(ours_fn, q))
            theirs.append(_clock(theirs_fn, q))
        row = {"type": kind, "example": timed[0], "samples": len(timed)}
        for name, samples in (("reader", ours), ("fts5", theirs)):
            for p in (50, 95, 99):
                row[f"{name}_p{p}"] = round(percentile(samples, p), 1)
        row["p95_ratio"] = round(row["reader_p95"] / max(row["fts5_p95"], 0.01), 2)
        rows.append(row)
        print(json.dumps(row, ensure_ascii=False), file=sys.stderr, flush=True)
    return rows


def markdown(rows: list[dict], articles: int) -> str:
    lines = [f"Workload at {articles:,} articles (ms)", "",
             "| type | n | Reader p50 | p95 | p99 | FTS5 p50 | p95 | p99 | p95 ratio |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['type']} | {r['samples']} | {r['reader_p50']} | {r['reader_p95']} | {r['reader_p99']} | "
                     f"{r['fts5_p50']} | {r['fts5_p95']} | {r['fts5_p99']} | {r['p95_ratio']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", type=Path, required=True, help="a library imported from --corpus")
    parser.add_argument("--corpus", type=Path, required=True, help="its folder of JSON Lines files")
    parser.add_argument("--per-type", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--fts", type=Path, help="an FTS5 database made by an earlier run (else built in a temp dir)")
    args = parser.parse_args(argv)
    sets = draw(args.corpus, args.per_type, args.seed)
    ids = [a["id"] for a in importing.read_corpus(args.corpus)]
    bookmarked = set(ids[::20])
    importing.bookmark(args.library, bookmarked)
    with tempfile.TemporaryDirectory(prefix="workload-") as tmp:
        database = args.fts or Path(tmp) / "fts.sqlite3"
        if not database.exists():
            print("loading FTS5 …", file=sys.stderr)
            fts.build(database, importing.read_corpus(args.corpus), bookmarked)
        with Library.open(args.library) as library, fts.Fts(database) as baseline:
            library.warm_search()
            rows = run(library, baseline, sets)
    print(markdown(rows, len(ids)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
