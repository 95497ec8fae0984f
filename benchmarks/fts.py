"""The baseline: the same corpus in SQLite FTS5, asked the closest equivalent of each
thing Reader does.

FTS5 is what a Python program would otherwise reach for (it ships with Python's
sqlite3 and does its searching in C), so it is the bar Reader's pure-Python Whoosh index
is held to. It is set up as fairly as we can: the ``porter unicode61 remove_diacritics 2``
tokenizer (stems English, folds accents), a ``prefix='1 2 3'`` index, ``bm25`` with Reader's column weights, and
each query does what Reader's does for a results screen: the top 20 with ``snippet()``
and a total (a second ``count(*)``).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from reader.tui.screens.library import SEARCH_LIMIT

LIMIT = 20
FTS_WEIGHTS = "2.5, 1.5, 1.0"  # title, summary, body: the weights Reader gives them

_SCHEMA = """
PRAGMA journal_mode=WAL;
CREATE TABLE meta(rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, url TEXT, published TEXT, language TEXT,
                  source TEXT, tags TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, summary, body, tokenize='porter unicode61 remove_diacritics 2', prefix='1 2 3');
CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, 'row');
CREATE TABLE related(rowid INTEGER, position INTEGER, title TEXT, summary TEXT, language TEXT, url TEXT,
                     PRIMARY KEY (rowid, position));
CREATE TABLE bookmarks(rowid INTEGER PRIMARY KEY);
CREATE INDEX meta_published ON meta(published);
CREATE INDEX meta_url ON meta(url);
"""


def build(path: Path, articles: Iterable[dict], bookmarked: set[str]) -> float:
    """Load ``articles`` (``Article.to_dict()`` shapes, streamed) into a new database at
    ``path``; return the seconds it took, one transaction as a bulk load would."""
    start = time.perf_counter()
    db = sqlite3.connect(path)
    db.executescript(_SCHEMA)
    with db:
        for rowid, a in enumerate(articles, 1):
            db.execute(
                "INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?)",
                (rowid, a["id"], a["url"], a["published"], a["language"], a["source"], json.dumps(a["tags"])),
            )
            db.execute("INSERT INTO fts(rowid, title, summary, body) VALUES (?, ?, ?, ?)",
                       (rowid, a["title"], a["summary"], a["body"]))
            db.executemany(
                "INSERT INTO related VALUES (?, ?, ?, ?, ?, ?)",
                [(rowid, i, r["title"], r["summary"], r["language"], r["url"]) for i, r in enumerate(a["related"])],
            )
            if a["id"] in bookmarked:
                db.execute("INSERT INTO bookmarks VALUES (?)", (rowid,))
    db.close()
    return time.perf_counter() - start


def reader_to_match(query: str) -> str:
    """Reader query syntax -> FTS5 syntax, for the benchmark's query types."""
    words = query.replace(" is:bookmarked", "").replace(" sort:date", "")
    if words.startswith("title:"):
        return "title : " + _quote(words[6:])
    if words.startswith('"'):
        return words
    if words.endswith("*"):
        return _quote(words[:-1]) + "*"
    return " ".join(_quote(w) for w in words.split())


def typing_to_match(text: str) -> str:
    """What is typed so far -> FTS5: its words, the last one also as a prefix."""
    *done, last = text.split()
    return " ".join([*(_quote(w) for w in done), _quote(last) + "*"])


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class Fts:
    """An FTS5 database made by :func:`build`, with one method per Reader operation."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)

    def __enter__(self) -> Fts:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.db.close()

    def ranked(self, query: str) -> int:
        """A Reader query (any type but suggestion and more-like-this)."""
        join = ""
        order = "ORDER BY rank"
        if "sort:date" in query:
            order, join = "ORDER BY m.published DESC", "JOIN meta m ON m.rowid = fts.rowid"
        if "is:bookmarked" in query:
            join = "JOIN bookmarks b ON b.rowid = fts.rowid"
        return self._page(reader_to_match(query), join, order)

    def as_you_type(self, text: str) -> int:
        """One keystroke in the search box (which shows the app's SEARCH_LIMIT hits)."""
        return self._page(typing_to_match(text), "", "ORDER BY rank", SEARCH_LIMIT)

    def _page(self, match: str, join: str, order: str, limit: int = LIMIT) -> int:
        self.db.execute(
            f"SELECT fts.rowid, title, snippet(fts, 2, '[', ']', '…', 24) FROM fts {join} "
            f"WHERE fts MATCH ? AND rank MATCH 'bm25({FTS_WEIGHTS})' {order} LIMIT {limit}",
            (match,),
        ).fetchall()
        return self.db.execute(f"SELECT count(*) FROM fts {join} WHERE fts MATCH ?", (match,)).fetchone()[0]

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
        """The article's 12 most frequent long words, ORed, best 5 by rank."""
        rowid, body, title = self.db.execute(
            "SELECT m.rowid, f.body, f.title FROM meta m JOIN fts f ON f.rowid = m.rowid WHERE m.id = ?", (article_id,)
        ).fetchone()
        words = [w.lower() for w in (title + " " + body).split() if len(w) > 5 and w.isalpha()]
        top = [w for w, _ in Counter(words).most_common(12)]
        match = " OR ".join(_quote(w) for w in top)
        return self.db.execute(
            "SELECT rowid FROM fts WHERE fts MATCH ? AND rowid != ? ORDER BY rank LIMIT 5", (match, rowid)
        ).fetchall()

    def get(self, article_id: str) -> tuple:
        """The article's row and its related links, each resolved to an article by URL."""
        row = self.db.execute(
            "SELECT m.rowid, m.id, f.title, f.summary, f.body, m.language, m.source, m.url, m.published, m.tags, "
            "b.rowid IS NOT NULL FROM meta m JOIN fts f ON f.rowid = m.rowid "
            "LEFT JOIN bookmarks b ON b.rowid = m.rowid WHERE m.id = ?",
            (article_id,),
        ).fetchone()
        related = self.db.execute(
            "SELECT r.title, r.summary, r.language, r.url, t.id FROM related r "
            "LEFT JOIN meta t ON t.url = r.url AND t.rowid != r.rowid WHERE r.rowid = ? ORDER BY r.position",
            (row[0],),
        ).fetchall()
        return row, related


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]
