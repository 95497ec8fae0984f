"""Relevance on the Cranfield collection: questions typed as they are.

    .venv/bin/python benchmarks/cranfield.py PATH     # PATH holds cran.all.1400, cran.qry, cranqrel
    .venv/bin/python benchmarks/cranfield.py PATH     # or NAME.ALL, NAME.QRY, NAME.REL (CISI, CACM, ...)

A folder of SMART-format ``.ALL``/``.QRY``/``.REL`` files (the CISI collection of
library-science abstracts and its 112 questions, for one) is read the same way, as a
second set of questions that no setting was chosen on; its judgements are binary
(every listed pair is relevant, gain 1), and questions are numbered by their ``.I``.

The 1,400 abstracts are indexed by Reader (title as title, abstract as body, English)
and, in the same run, by three baselines:

- **FTS5**: ``porter unicode61`` with ``bm25(fts, 2.5, 1.0)`` (Reader's title and body
  weights), each question's words ORed (as typed, FTS5 requires every word and finds
  next to nothing);
- **plain Whoosh**: a ``StemmingAnalyzer`` schema of title and body, BM25F, the question's
  words parsed by ``MultifieldParser`` with an ``OrGroup`` (its words only, as FTS5 gets
  them: CISI's questions end in ``?``, which Whoosh's parser reads as a wildcard);
- **bm25s** (with PyStemmer's English stemmer and its English stop words).

Each of the 225 questions is given to Reader exactly as written in ``cran.qry``.
Rankings are cut at DEPTH; MAP over every relevant abstract, nDCG@10 with gain
``5 - grade`` for grades 1 to 4 of ``cranqrel`` (grade -1, "no relevance", counts as
not relevant). Queries are numbered by their order in ``cran.qry``, as ``cranqrel`` does.
The collection is not part of the project: pass a path to a checkout holding it.
"""

from __future__ import annotations

import argparse
import math
import re
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.model import Article
from reader.search import SearchIndex

DEPTH = 1000
_FIELD = re.compile(r"^\.([A-Z])(?:\s+(\d+))?\s*$")


def read_collection(path: Path) -> tuple[dict[int, dict[str, str]], list[str], dict[int, dict[int, int]]]:
    """(documents by number with their fields, questions in order, gains by question
    number and document): Cranfield's files, or a SMART-format set of ``.ALL``, ``.QRY``
    and ``.REL`` files."""
    if not (path / "cran.all.1400").exists():
        return _read_smart(path)
    docs = _records(path / "cran.all.1400")
    questions = [record.get("W", "") for _, record in sorted(_records(path / "cran.qry").items())]
    gains: dict[int, dict[int, int]] = defaultdict(dict)
    for line in (path / "cranqrel").read_text().split("\n"):
        parts = line.split()
        if len(parts) >= 3 and 1 <= int(parts[2]) <= 4:  # -1 is "no relevance"
            gains[int(parts[0])][int(parts[1])] = 5 - int(parts[2])
    return docs, questions, gains


def _read_smart(path: Path) -> tuple[dict[int, dict[str, str]], list[str], dict[int, dict[int, int]]]:
    (documents,) = path.glob("*.ALL")
    records = _records(documents)
    questions = _records(documents.with_suffix(".QRY"))
    if sorted(records) != list(range(1, len(records) + 1)) or sorted(questions) != list(range(1, len(questions) + 1)):
        raise SystemExit(f"{path}: documents and questions must be numbered 1, 2, ... in order")
    gains: dict[int, dict[int, int]] = defaultdict(dict)
    for line in documents.with_suffix(".REL").read_text().split("\n"):
        parts = line.split()
        if len(parts) >= 2:
            gains[int(parts[0])][int(parts[1])] = 1
    return records, [questions[n].get("W", "") for n in sorted(questions)], gains


def _records(path: Path) -> dict[int, dict[str, str]]:
    records: dict[int, dict[str, list[str]]] = {}
    current: dict[str, list[str]] | None = None
    field = ""
    for line in path.read_text(encoding="utf-8", errors="replace").split("\n"):
        match = _FIELD.match(line)
        if match and match.group(1) == "I":
            current = records.setdefault(len(records) + 1, defaultdict(list))
            field = ""
        elif match:
            field = match.group(1)
        elif current is not None and field:
            current[field].append(line)
    return {n: {k: " ".join(v).strip() for k, v in r.items()} for n, r in records.items()}


# ------------------------------------------------------------------------- systems


def reader_rankings(docs, questions, folder: Path) -> list[list[int]]:
    articles = {f"cran-{n}": Article(id=f"cran-{n}", title=d.get("T", ""), summary="", body=d.get("W", ""),
                                     language="en", source="Cranfield", published="1960-01-01")
                for n, d in docs.items()}
    with SearchIndex.open(folder / "reader-index") as index:
        index.add(articles.values())
        index.warm()
        return [[int(h.id[5:]) for h in index.search(q, limit=DEPTH).hits] for q in questions]


def fts_rankings(docs, questions, folder: Path) -> list[list[int]]:
    db = sqlite3.connect(folder / "fts.sqlite3")
    db.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='porter unicode61 remove_diacritics 2')")
    with db:
        db.executemany("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
                       [(n, d.get("T", ""), d.get("W", "")) for n, d in docs.items()])
    rankings = []
    for q in questions:
        words = re.findall(r"\w+", q)
        match = " OR ".join(f'"{w}"' for w in words)
        rows = db.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 2.5, 1.0) LIMIT ?",
                          (match, DEPTH)).fetchall()
        rankings.append([r[0] for r in rows])
    db.close()
    return rankings


def whoosh_rankings(docs, questions, folder: Path) -> list[list[int]]:
    from whoosh import index as whoosh_index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import MultifieldParser, OrGroup

    schema = Schema(n=ID(stored=True), title=TEXT(analyzer=StemmingAnalyzer()), body=TEXT(analyzer=StemmingAnalyzer()))
    ix = whoosh_index.create_in(str(folder / "whoosh"), schema) if (folder / "whoosh").mkdir() is None else None
    writer = ix.writer()
    for n, d in docs.items():
        writer.add_document(n=str(n), title=d.get("T", ""), body=d.get("W", ""))
    writer.commit()
    parser = MultifieldParser(["title", "body"], schema, group=OrGroup)
    rankings = []
    with ix.searcher() as searcher:
        for q in questions:
            hits = searcher.search(parser.parse(" ".join(re.findall(r"\w+", q))), limit=DEPTH)
            rankings.append([int(h["n"]) for h in hits])
    return rankings


def bm25s_rankings(docs, questions, folder: Path) -> list[list[int]]:
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    numbers = list(docs)
    corpus = [f"{docs[n].get('T', '')} {docs[n].get('W', '')}" for n in numbers]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)
    tokens = bm25s.tokenize(questions, stopwords="en", stemmer=stemmer, show_progress=False)
    results, _ = retriever.retrieve(tokens, k=min(DEPTH, len(numbers)), show_progress=False)
    return [[numbers[i] for i in row] for row in results]


# ------------------------------------------------------------------------- metrics


def average_precision(ranking: list[int], relevant: set[int]) -> float:
    found, total = 0, 0.0
    for rank, doc in enumerate(ranking, 1):
        if doc in relevant:
            found += 1
            total += found / rank
    return total / len(relevant) if relevant else 0.0


def ndcg(ranking: list[int], gains: dict[int, int], k: int = 10) -> float:
    dcg = sum(gains.get(doc, 0) / math.log2(rank + 1) for rank, doc in enumerate(ranking[:k], 1))
    ideal = sorted(gains.values(), reverse=True)[:k]
    best = sum(g / math.log2(rank + 1) for rank, g in enumerate(ideal, 1))
    return dcg / best if best else 0.0


def evaluate(rankings: list[list[int]], qrels) -> dict[str, float]:
    aps, ndcgs, empty = [], [], 0
    for number, ranking in enumerate(rankings, 1):
        gains = qrels.get(number, {})
        if not gains:
            continue
        empty += not ranking
        aps.append(average_precision(ranking, set(gains)))
        ndcgs.append(ndcg(ranking, gains))
    return {"MAP": sum(aps) / len(aps), "nDCG@10": sum(ndcgs) / len(ndcgs), "questions": len(aps),
            "found nothing": empty}


SYSTEMS = {"Reader": reader_rankings, "FTS5 bm25": fts_rankings, "plain Whoosh BM25F": whoosh_rankings,
           "bm25s": bm25s_rankings}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="a folder holding cran.all.1400, cran.qry and cranqrel")
    parser.add_argument("--only", nargs="+", choices=list(SYSTEMS), help="run only these systems")
    args = parser.parse_args(argv)
    docs, questions, qrels = read_collection(args.path)
    print(f"{len(docs)} abstracts, {len(questions)} questions, {sum(map(len, qrels.values()))} judgements",
          file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory(prefix="cranfield-") as tmp:
        for name, rank in SYSTEMS.items():
            if args.only and name not in args.only:
                continue
            start = time.perf_counter()
            rankings = rank(docs, questions, Path(tmp))
            rows.append((name, evaluate(rankings, qrels), time.perf_counter() - start))
    print(f"| system | MAP | nDCG@10 | questions finding nothing | seconds (index + {len(questions)} questions) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, scores, seconds in rows:
        print(f"| {name} | {scores['MAP']:.3f} | {scores['nDCG@10']:.3f} | {scores['found nothing']} | {seconds:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
