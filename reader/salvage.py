"""Salvage and integrity check of a damaged library database (``reader recover``).

Kept apart from the store: this is forensic work on a file the store refuses to open.
:func:`check` asks SQLite whether a database is intact; :func:`salvage` reads a damaged
one read-only, row by row past unreadable pages, and copies what it can into a new
database made by :class:`~reader.store.Store`. The damaged file is never changed.
"""

from __future__ import annotations

import itertools
import json
import sqlite3
from pathlib import Path
from typing import Any

from reader.store import Store, utc_now

# The tables and columns copied by salvage, in an order that keeps foreign keys valid.
_SALVAGE_TABLES = (
    ("articles", "id, title, summary, body, language, source, url, canonical_url, published, tags, imported_at, seq, author"),
    ("related", "article_id, position, title, summary, language, url, canonical_url"),
    ("state", "article_id, bookmarked, read, position, bookmarked_at"),
    ("removed", "article_id, seq"),
    # Highlights outlive their article (reader/migrations/v004_highlights.py): all are kept.
    ("highlights", 'id, article_id, exact, prefix, suffix, start, "end", note, orphaned, text_digest, created_at, updated_at, original'),
    # The trash and the deleted ids (v007_trash.py): a recovered library keeps both.
    ("trash", "article_id, deleted_at, title, source, published, saved"),
    ("deleted", "article_id, deleted_at"),
    # User tags outlive their article too (reader/migrations/v008_user_tags.py).
    ("user_tags", "article_id, tag, removed, changed_at"),
)
_BASELINE_ARTICLE_COLUMNS = 12  # id to seq: what every library has
_WITHOUT_ARTICLE = ("removed", "highlights", "trash", "deleted", "user_tags")  # rows kept whether or not their article was saved
_LATER_TABLES = ("highlights", "trash", "deleted", "user_tags")  # absent from libraries made before their step
NUL = "\x00"  # what SQLite reads from a zeroed page inside a text value; never in stored text
_SKIP_BUDGET = 20_000  # failed reads past damaged pages before a table is given up


def salvage(damaged: Path, target: Path, cut_ids: list[str] | None = None) -> dict[str, int]:
    """Copy every row that can still be read from ``damaged`` into a new database ``target``.

    ``damaged`` is opened read-only and never changed. Rows are read in rowid order; when
    a page cannot be read, the copy steps past it (one rowid, then ever larger steps) and
    goes on. Related links and state whose article was lost are dropped (they would
    point at nothing). Returns the rows copied per table, ``"unreadable"``: how many
    times a read failed (0 means the whole file was readable), and ``"cut"``: how many
    articles came back with part of their text lost (see :func:`_sane_article`); their
    ids are appended to ``cut_ids``.
    """
    cut_ids = [] if cut_ids is None else cut_ids
    source = sqlite3.connect(f"{damaged.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    source.text_factory = lambda data: data.decode("utf-8", "replace")
    counts: dict[str, int] = {"unreadable": 0, "cut": 0, **{table: 0 for table, _ in _SALVAGE_TABLES}}
    try:
        # Tolerate a damaged schema (e.g. an index whose pages were cut off): the tables may still read.
        source.execute("PRAGMA writable_schema=ON")
        source.execute("SELECT name FROM sqlite_master").fetchall()
    except sqlite3.DatabaseError:
        source.close()
        counts["unreadable"] = 1  # not even the list of tables: nothing to copy
        return counts
    try:
        store = Store.open(target)
    except BaseException:
        source.close()
        raise
    try:
        with store.transaction() as db:
            ids: set[str] = set()
            for table, columns in _SALVAGE_TABLES:
                if table in _LATER_TABLES and not _has_table(source, table):
                    continue  # a library made before that step: nothing lost, nothing unreadable
                columns = _present_columns(source, table, columns)
                width = columns.count(",") + 1
                marks = ",".join("?" * width)
                copied = 0
                rows, failures = _readable_rows(source, table, columns)
                counts["unreadable"] += failures
                for row in rows:
                    if len(row) != width or not isinstance(row[0], str):
                        continue
                    cut = False
                    if table == "articles":
                        sane = _sane_article(row)
                        if sane is None:
                            continue
                        cut, row = _is_cut(row), sane
                    elif table not in _WITHOUT_ARTICLE and row[0] not in ids:
                        continue
                    try:
                        db.execute(f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({marks})", row)
                    except sqlite3.DatabaseError:
                        continue  # a value that breaks a constraint: that row is lost
                    copied += 1
                    if cut:
                        counts["cut"] += 1
                        cut_ids.append(row[0])
                    if table == "articles":
                        ids.add(row[0])
                counts[table] = copied
            counts["preferences"] = _copy_preferences(source, db)
            highest = db.execute("SELECT MAX(seq) FROM articles UNION ALL SELECT MAX(seq) FROM removed").fetchall()
            seq = _renumber_unsequenced(db, max([0, *(row[0] for row in highest if isinstance(row[0], int))]))
            Store.put_meta(db, "seq", str(seq))
            Store.put_meta(db, "index_seq", "0")  # the index is rebuilt after a salvage
    finally:
        store.close()
        source.close()
    return counts


def _copy_preferences(source: sqlite3.Connection, db: sqlite3.Connection) -> int:
    """The person's preferences (``pref.`` meta rows: the theme, the search history, the
    saved searches) are theirs as much as bookmarks are; the rest of ``meta`` (sequence
    numbers, the schema version) belongs to the new database and is not copied."""
    try:
        rows = source.execute("SELECT key, value FROM meta WHERE substr(key, 1, 5) = 'pref.'").fetchall()
    except sqlite3.DatabaseError:
        return 0  # the page holding them is lost: the rest of the salvage goes on
    copied = 0
    for key, value in rows:
        if isinstance(key, str) and isinstance(value, str):
            Store.put_meta(db, key, value)
            copied += 1
    return copied


def _has_table(source: sqlite3.Connection, table: str) -> bool:
    try:
        return bool(source.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone())
    except sqlite3.DatabaseError:
        return True  # the schema is unreadable: let the copy try, and count what fails


def _present_columns(source: sqlite3.Connection, table: str, columns: str) -> str:
    """``columns`` less the last ones, which later schema steps added, when the damaged
    library's table lacks them (an older library: no ``articles.author``); the copy gets
    their defaults. All of them otherwise: the copy then counts what fails to read."""
    try:
        found = {row[1] for row in source.execute(f"PRAGMA table_info({table})")}
    except sqlite3.DatabaseError:
        return columns
    wanted = [name.strip() for name in columns.split(",")]
    kept = list(itertools.takewhile(lambda name: name.strip('"') in found, wanted))
    missing_tail = all(name.strip('"') not in found for name in wanted[len(kept) :])
    return ", ".join(kept) if kept and missing_tail else columns


def _renumber_unsequenced(db: sqlite3.Connection, highest: int) -> int:
    """Give a fresh ``seq`` above ``highest`` to every article whose seq could not be read (0)
    or is another article's too; return the new highest.

    The index is built and caught up by seq (every article above the index's own, read in
    seq order), so an article at 0 was never indexed, and of two at the same seq one could
    be passed over between two batches: search missed them while every later search
    rebuilt the index for nothing.
    """
    rows = db.execute(
        "SELECT rowid FROM articles AS a WHERE seq < 1"
        " OR EXISTS (SELECT 1 FROM articles AS b WHERE b.seq = a.seq AND b.rowid < a.rowid) ORDER BY rowid"
    ).fetchall()
    for (rowid,) in rows:
        highest += 1
        db.execute("UPDATE articles SET seq = ? WHERE rowid = ?", (highest, rowid))
    return highest


def check(database: Path) -> str | None:
    """None when SQLite finds the database intact, else what is wrong. Opens it read-only."""
    try:
        db = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.DatabaseError as error:
        return str(error)
    try:
        rows = db.execute("PRAGMA quick_check(1)").fetchall()
        db.execute("SELECT COUNT(*) FROM articles").fetchone()
    except sqlite3.DatabaseError as error:
        return str(error)
    finally:
        db.close()
    result = str(rows[0][0]) if rows else "ok"
    return None if result == "ok" else result


def _sane_article(row: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """An article row fit to be read back (text where text belongs), or None if it has no title.

    A row that runs into a zeroed page (a file cut short) reads with NUL characters where
    its text was lost: they are taken out, so a body keeps what was read, a language,
    source or URL that was lost is empty rather than a run of NULs, and :func:`_is_cut`
    tells the caller to count it (``reader recover`` says how many were cut).
    """
    if len(row) < _BASELINE_ARTICLE_COLUMNS or not isinstance(row[1], str) or not row[1].replace(NUL, "").strip():
        return None
    row = tuple(value.replace(NUL, "") if isinstance(value, str) else value for value in row)
    text = tuple(value if isinstance(value, str) else "" for value in row[2:9])
    try:
        tags = row[9] if isinstance(json.loads(row[9]), list) else "[]"
    except (TypeError, ValueError):
        tags = "[]"
    imported_at = row[10] if isinstance(row[10], str) and row[10] else utc_now()
    seq = row[11] if isinstance(row[11], int) else 0
    author = tuple(value if isinstance(value, str) else "" for value in row[12:13])  # none before step 6
    return (row[0], row[1], *text, tags, imported_at, seq, *author)


def _is_cut(row: tuple[Any, ...]) -> bool:
    """Whether a row read from a damaged file lost part of its text (NULs in it)."""
    return any(isinstance(value, str) and NUL in value for value in row)


def _readable_rows(source: sqlite3.Connection, table: str, columns: str) -> tuple[list[tuple[Any, ...]], int]:
    """The rows of ``table`` that can be read, and how many reads failed."""
    rows: list[tuple[Any, ...]] = []
    failures = 0
    last = None  # the last rowid read or skipped
    step = 1
    try:
        highest = source.execute(f"SELECT MAX(rowid) FROM {table}").fetchone()[0]
    except sqlite3.DatabaseError:
        highest = None  # the table's last page is damaged too: the budget ends the search
    while failures < _SKIP_BUDGET and (last is None or highest is None or last < highest):
        try:
            cursor = source.execute(
                f"SELECT rowid, {columns} FROM {table} WHERE rowid > ? ORDER BY rowid",
                (last if last is not None else -(2**63),),
            )
            for row in cursor:
                rows.append(row[1:])
                last = row[0]
                step = 1
            return rows, failures
        except sqlite3.DatabaseError as exc:
            if last is None and "no such table" in str(exc):
                return rows, failures + 1
            failures += 1
            last = (last or 0) + step
            if failures > 1000:
                step = min(step * 2, 1 << 20)  # a large damaged area: skip faster
    return rows, failures
