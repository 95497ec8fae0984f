"""The SQLite store: the source of truth for articles, related links, bookmarks, read state and user tags.

Stdlib ``sqlite3`` in WAL mode with ``synchronous=FULL``: a bookmark is on disk once
:meth:`Store.set_flag` returns, and a process killed mid-import leaves every committed
batch intact. Articles and user state live in separate tables so that re-importing an
article (same id) replaces its text and keeps its bookmark, read state and position.

Every change to ``articles`` bumps a sequence number (``seq``), and removals leave a
row in ``removed``; the library uses them to bring the derived search index up to
date after a crash or a write by another process, without a full rebuild.

Deleting an article moves it, with its state, into the ``trash`` table (see
:meth:`Store.trash`), and its id into ``deleted`` for good, so that no query on
``articles`` can show it and no later write brings it back unasked.

A related link's ``target_id`` is not stored: it is resolved when read, by canonical URL
or exact title, so a link finds its article also when that article is imported later.

One connection is shared by the threads of a process (the TUI imports in a worker);
a lock serialises its use. Other processes wait on SQLite's busy timeout.

A database in a directory Reader cannot write (a read-only mount, another user's
files) is opened read-only: reading, listing and searching work, and every write
raises :class:`~reader.errors.LibraryReadOnly`. A damaged database is
never deleted here: :func:`reader.salvage.salvage` reads it read-only and copies what can still be
read into a new file, for ``reader recover``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from reader import migrations
from reader.errors import (
    ArticleNotFound,
    DiskFull,
    LibraryDamaged,
    LibraryNeedsUpgrade,
    LibraryReadOnly,
    MigrationFailed,
    NewerSchema,
)
from reader.model import (
    MIN_ID_PREFIX,
    Article,
    ArticleFlag,
    ArticleRow,
    ListOrder,
    RelatedLink,
    canonical_url,
)
from reader.sqlite_errors import disk_full, translate, wrap
from reader.tags import importer_tags, shown_tags
from reader.text import shown as shown_text
from reader.text import shown_line
from reader.trash import TrashedArticle

BASELINE_VERSION = migrations.BASELINE_VERSION
_BUSY_TIMEOUT = 30.0  # seconds a write waits for another process's lock
# The state table's column of each flag: SQL names come from here, never from a caller.
_FLAG_COLUMNS = {ArticleFlag.BOOKMARKED: "bookmarked", ArticleFlag.READ: "read"}

# The schema of release 0.1.0 (version 1). Frozen: never edit it, add a step to
# reader.migrations instead (new databases are created from it and then upgraded).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    canonical_url TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    imported_at TEXT NOT NULL,
    seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published DESC, id);
CREATE INDEX IF NOT EXISTS articles_canonical_url ON articles (canonical_url);
CREATE INDEX IF NOT EXISTS articles_title ON articles (title);
CREATE INDEX IF NOT EXISTS articles_seq ON articles (seq);
CREATE TABLE IF NOT EXISTS related (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    canonical_url TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, position)
);
CREATE TABLE IF NOT EXISTS state (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    bookmarked INTEGER NOT NULL DEFAULT 0,
    read INTEGER NOT NULL DEFAULT 0,
    position REAL NOT NULL DEFAULT 0,
    bookmarked_at TEXT
);
CREATE INDEX IF NOT EXISTS state_bookmarked ON state (bookmarked) WHERE bookmarked = 1;
CREATE TABLE IF NOT EXISTS removed (article_id TEXT PRIMARY KEY, seq INTEGER NOT NULL);
"""

_ROW_COLUMNS = (
    "a.id, a.title, a.source, a.published, a.language, "
    "COALESCE(s.bookmarked, 0), COALESCE(s.read, 0)"
)
_ARTICLE_COLUMNS = (
    "a.id, a.title, a.summary, a.body, a.language, a.source, a.url, a.published, a.tags, "
    "a.imported_at, COALESCE(s.bookmarked, 0), COALESCE(s.read, 0), a.author"
)
# Named, not positional: columns added by migration steps (author, step 6) come after seq.
_WRITTEN_COLUMNS = "id, title, summary, body, language, source, url, canonical_url, published, tags, imported_at, seq, author"
_RELATED_QUERY = """
SELECT r.title, r.summary, r.language, r.url,
       COALESCE(
           (SELECT t.id FROM articles t
             WHERE r.canonical_url != '' AND t.canonical_url = r.canonical_url AND t.id != r.article_id
             LIMIT 1),
           (SELECT t.id FROM articles t WHERE t.title = r.title AND t.id != r.article_id LIMIT 1))
  FROM related r WHERE r.article_id = ? ORDER BY r.position
"""


def utc_now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# Newest first; articles without a date (published "") after the dated ones, the last
# imported first, so a new capture has a fixed place and not one its random id gives it.
# The articles_published index still serves the first page: ties are sorted per group.
_NEWEST_FIRST = (("a.published", "DESC"), ("a.imported_at", "DESC"), ("a.id", "ASC"))
_ORDER_KEYS: dict[ListOrder, tuple[tuple[str, str], ...]] = {
    ListOrder.DATE: _NEWEST_FIRST,
    ListOrder.TITLE: (("a.title COLLATE NOCASE", "ASC"), *_NEWEST_FIRST),
    ListOrder.SOURCE: (("a.source = ''", "ASC"), ("a.source COLLATE NOCASE", "ASC"), *_NEWEST_FIRST),
}


def _order_by(order: ListOrder, reverse: bool = False) -> str:
    """The ORDER BY of ``order``, built from the fixed keys above only; ``reverse``: the
    same list backwards (every key turned, so ties are reversed too)."""
    flip = {"ASC": "DESC", "DESC": "ASC"}
    return ", ".join(f"{column} {flip[way] if reverse else way}" for column, way in _ORDER_KEYS[order])


_LIST_ORDER = _order_by(ListOrder.DATE)


class Store:
    """Articles and user state in one SQLite file. Use :meth:`open`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self.path = path
        self.read_only = False
        self.disk_full = False  # opened read-only because the disk is full (see _open_on_a_full_disk)
        # Clean text again as it is read (the app sets this: another program may have written
        # the file). Off for the CLI, whose JSON export must hold exactly what was stored and
        # which cleans what it prints.
        self.clean_reads = False
        self._user_tags_table: bool | None = None  # whether user_tags exists (asked once)

    # -- opening ---------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (creating if needed) the database at ``path``; damaged files raise StorageError.

        An existing database that cannot be written (see :func:`writable`) opens read-only.
        """
        if path.exists() and not writable(path):
            return cls._open_read_only(path)
        try:
            db = sqlite3.connect(path, timeout=_BUSY_TIMEOUT, check_same_thread=False, isolation_level=None)
            _refuse_newer(db, path)  # before anything is written to a newer Reader's file
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            # The 0.1.0 baseline; every later change is a step in reader.migrations.
            db.executescript(_SCHEMA)
            found = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            if found is None:
                # A new database: created at the baseline, then taken through every step.
                version = BASELINE_VERSION
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(version),))
                migrations.upgrade(db, path, version, backup=False)
            else:
                version = _check_schema(found[0], path)
                if migrations.pending(version):
                    migrations.upgrade(db, path, version)
                else:
                    migrations.remove_backups(path)
        except sqlite3.DatabaseError as exc:
            if disk_full(path, exc):
                return cls._open_on_a_full_disk(path, exc)
            raise translate(exc, path) from exc
        except migrations.MigrationError as exc:
            kept = migrations.backup_path(path, version)
            raise MigrationFailed(
                path, exc.migration.version, exc.migration.name, str(exc.cause), kept if kept.exists() else None
            ) from exc
        return cls(db, path)

    @classmethod
    def _open_on_a_full_disk(cls, path: Path, error: sqlite3.DatabaseError) -> Store:
        """Read a WAL database when its ``-shm`` file cannot grow: the disk is full.

        SQLite then fails every statement with SQLITE_IOERR_SHMSIZE ("disk I/O error",
        which reads as damage). In EXCLUSIVE locking mode, set before the first read, SQLite
        keeps the WAL index in memory and never touches ``-shm``, so everything committed,
        the WAL included, can still be listed, searched and exported; every write raises
        :class:`DiskFull` (:attr:`disk_full`). This process then holds the file's lock:
        other writers wait, as they would on a full disk anyway.
        """
        try:
            # Not mode=ro: a read-only connection cannot take the exclusive lock that keeps
            # the WAL index in memory (SQLITE_IOERR_LOCK). query_only keeps it from writing.
            db = sqlite3.connect(path, timeout=_BUSY_TIMEOUT, check_same_thread=False, isolation_level=None)
            db.execute("PRAGMA locking_mode=EXCLUSIVE")
            db.execute("PRAGMA query_only=1")
            found = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            db.execute("SELECT 1 FROM articles LIMIT 1").fetchall()
        except sqlite3.DatabaseError:
            raise DiskFull(path, str(error)) from error
        _check_schema(found[0] if found else str(BASELINE_VERSION), path)
        store = cls(db, path)
        store.read_only = True
        store.disk_full = True
        return store

    @classmethod
    def _open_read_only(cls, path: Path) -> Store:
        """Open without writing anything, not even SQLite's ``-shm`` file if it cannot be made.

        ``mode=ro`` reads a WAL database when its ``-wal``/``-shm`` files exist or can be
        created; in a read-only directory without them only ``immutable=1`` can read it.
        """
        error: sqlite3.DatabaseError | None = None
        for options in ("mode=ro", "mode=ro&immutable=1"):
            try:
                db = sqlite3.connect(
                    f"{path.resolve().as_uri()}?{options}", uri=True, timeout=_BUSY_TIMEOUT,
                    check_same_thread=False, isolation_level=None,
                )
            except sqlite3.DatabaseError as exc:
                error = exc
                continue
            try:
                found = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
                db.execute("SELECT 1 FROM articles LIMIT 1").fetchall()
            except sqlite3.DatabaseError as exc:
                db.close()
                error = exc
                continue
            version = _check_schema(found[0] if found else str(migrations.current_version()), path)
            if migrations.pending(version):
                db.close()
                raise LibraryNeedsUpgrade(path, version, migrations.current_version())
            store = cls(db, path)
            store.read_only = True
            return store
        assert error is not None
        raise translate(error, path) from error

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise (DiskFull if self.disk_full else LibraryReadOnly)(self.path)
        with self._lock, wrap(self.path):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def waiting_at_most(self, seconds: float) -> Iterator[None]:
        """Writes in this block wait at most ``seconds`` for another process's lock, then fail busy.

        For the app's background state writes: they retry on their own, and while one waits
        this connection (shared with the screen's reads) is held, so the wait must be short.
        """
        with self._lock:
            self._db.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
            try:
                yield
            finally:
                self._db.execute(f"PRAGMA busy_timeout = {int(_BUSY_TIMEOUT * 1000)}")

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction on the connection itself, for bulk work the store's methods
        do not cover (:func:`reader.salvage.salvage` copies raw rows); SQLite errors are
        translated as everywhere else."""
        return self._transaction()

    @staticmethod
    def put_meta(db: sqlite3.Connection, key: str, value: str) -> None:
        """Set a meta value inside a :meth:`transaction`."""
        Store._set_meta(db, key, value)

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._lock, wrap(self.path):
            return self._db.execute(sql, params).fetchall()

    def _count(self, sql: str, params: Sequence[object] = ()) -> int:
        """The one integer a ``SELECT COUNT(*)`` (or a pragma) returns."""
        return int(self._query(sql, params)[0][0])

    # -- writing articles ------------------------------------------------------------

    def upsert(
        self, articles: Iterable[Article], within: sqlite3.Connection | None = None, *, skipped: list[str] | None = None
    ) -> tuple[list[str], list[str]]:
        """Insert or replace articles in one transaction; return (added ids, updated ids).

        An incoming ``bookmarked``/``read`` flag (from a Reader JSON export) is applied,
        never cleared: re-importing a file does not undo what the user did. ``within``: the
        connection of a :meth:`transaction` the caller holds, to commit the articles with
        rows of its own (a feed update's links and validators); else a transaction of its own.
        An article the user deleted (in the trash or emptied from it) is not written again:
        its id is appended to ``skipped``, for the caller to say so (see :meth:`trash`).
        """
        added: list[str] = []
        updated: list[str] = []
        now = utc_now()
        with self._transaction() if within is None else nullcontext(within) as db:
            seq = self._next_seq(db)
            for article in articles:
                if db.execute("SELECT 1 FROM deleted WHERE article_id = ?", (article.id,)).fetchone():
                    if skipped is not None:
                        skipped.append(article.id)
                    continue
                seq += 1
                existing = db.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone()
                # An upsert, not INSERT OR REPLACE: a replace deletes the row first, and the
                # cascade would take the user's state with it. imported_at keeps its first value.
                db.execute(
                    f"INSERT INTO articles ({_WRITTEN_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) "
                    "ON CONFLICT (id) DO UPDATE SET "
                    "title=excluded.title, summary=excluded.summary, body=excluded.body, "
                    "language=excluded.language, source=excluded.source, url=excluded.url, "
                    "canonical_url=excluded.canonical_url, published=excluded.published, "
                    "tags=excluded.tags, seq=excluded.seq, author=excluded.author",
                    (
                        article.id, article.title, article.summary, article.body, article.language,
                        article.source, article.url, canonical_url(article.url), article.published,
                        json.dumps(list(article.tags), ensure_ascii=False), article.imported_at or now, seq,
                        article.author,
                    ),
                )
                db.execute("DELETE FROM related WHERE article_id = ?", (article.id,))
                db.executemany(
                    "INSERT INTO related VALUES (?,?,?,?,?,?,?)",
                    [
                        (article.id, i, link.title, link.summary, link.language, link.url, canonical_url(link.url))
                        for i, link in enumerate(article.related)
                    ],
                )
                db.execute("DELETE FROM removed WHERE article_id = ?", (article.id,))
                if article.bookmarked:
                    self._set_flag(db, article.id, ArticleFlag.BOOKMARKED, True)
                if article.read:
                    self._set_flag(db, article.id, ArticleFlag.READ, True)
                self._restore_user_tags(db, article, now)
                (updated if existing else added).append(article.id)
            self._set_meta(db, "seq", str(seq))
        return added, updated

    # -- the trash (reader/trash.py, reader/migrations/v007_trash.py) ------------------

    def trash(self, ids: Iterable[str], deleted_at: str) -> list[str]:
        """Move articles to the trash; return the ids moved (unknown ones are passed over).

        The article's row and the rows of every table with a foreign key to it (related
        links, state, whatever a later step adds) are saved by column name and deleted,
        so nothing that reads ``articles`` can show it; its id stays in ``deleted`` for good
        (:meth:`upsert` skips it) and in ``removed``, so the index drops it on catching up.
        """
        moved = []
        with self._transaction() as db:
            seq = self._next_seq(db)
            dependents = _dependents(db)
            for article_id in ids:
                row = _named_rows(db, "SELECT * FROM articles WHERE id = ?", (article_id,))
                if not row:
                    continue
                saved = {
                    "articles": row[0],
                    "rows": {
                        table: _named_rows(db, f'SELECT * FROM "{table}" WHERE "{column}" = ?', (article_id,))
                        for table, column in dependents
                    },
                }
                db.execute(
                    "INSERT OR REPLACE INTO trash VALUES (?, ?, ?, ?, ?, ?)",
                    (article_id, deleted_at, row[0]["title"], row[0]["source"], row[0]["published"],
                     json.dumps(saved, ensure_ascii=False)),
                )
                db.execute("INSERT OR REPLACE INTO deleted VALUES (?, ?)", (article_id, deleted_at))
                for table, column in dependents:
                    db.execute(f'DELETE FROM "{table}" WHERE "{column}" = ?', (article_id,))
                db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
                seq += 1
                db.execute("INSERT OR REPLACE INTO removed VALUES (?, ?)", (article_id, seq))
                moved.append(article_id)
            self._set_meta(db, "seq", str(seq))
        return moved

    def restore(self, ids: Iterable[str]) -> tuple[list[str], list[str]]:
        """Bring articles back from the trash as they were; returns (restored ids, ids
        only forgotten): an article emptied from the trash has no text left, so its id is
        only taken out of ``deleted``, and an import may bring it back."""
        restored: list[str] = []
        forgotten: list[str] = []
        with self._transaction() as db:
            seq = self._next_seq(db)
            for article_id in ids:
                found = db.execute("SELECT saved FROM trash WHERE article_id = ?", (article_id,)).fetchone()
                if db.execute("DELETE FROM deleted WHERE article_id = ?", (article_id,)).rowcount and not found:
                    forgotten.append(article_id)
                if not found:
                    continue
                saved = json.loads(found[0])
                seq += 1
                if not db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
                    _insert_named(db, "articles", {**saved["articles"], "seq": seq})
                for table, rows in saved["rows"].items():
                    for row in rows:
                        _insert_named(db, table, row)
                db.execute("DELETE FROM trash WHERE article_id = ?", (article_id,))
                db.execute("DELETE FROM removed WHERE article_id = ?", (article_id,))
                restored.append(article_id)
            self._set_meta(db, "seq", str(seq))
        return restored, forgotten

    def empty_trash(self, *, deleted_before: str | None = None) -> int:
        """Delete for good what is in the trash (deleted before ``deleted_before``, if
        given); returns how many. Their ids stay in ``deleted``."""
        where, params = (" WHERE deleted_at < ?", (deleted_before,)) if deleted_before else ("", ())
        if not self._has_trash() or not self._query(f"SELECT 1 FROM trash{where} LIMIT 1", params):
            return 0  # nothing to do: no write transaction (every open asks)
        with self._transaction() as db:
            return int(db.execute(f"DELETE FROM trash{where}", params).rowcount)

    def trashed(self) -> list[TrashedArticle]:
        """What is in the trash, the last deleted first."""
        if not self._has_trash():
            return []
        line = shown_line if self.clean_reads else str
        rows = self._query("SELECT article_id, title, source, published, deleted_at FROM trash ORDER BY deleted_at DESC, rowid DESC")
        return [TrashedArticle(r[0], line(r[1]), line(r[2]), r[3], r[4]) for r in rows]

    def resolve_deleted(self, prefix: str) -> str:
        """The full id of a deleted article (in the trash or emptied) for an id or an
        unambiguous prefix of at least 4 characters."""
        prefix = prefix.strip().lower()
        if self._has_trash():
            if self._query("SELECT 1 FROM deleted WHERE article_id = ?", (prefix,)):
                return prefix
            if len(prefix) >= MIN_ID_PREFIX and all(c in "0123456789abcdef" for c in prefix):
                rows = self._query("SELECT article_id FROM deleted WHERE article_id >= ? AND article_id < ? LIMIT 2", (prefix, prefix + "g"))
                if len(rows) == 1:
                    return str(rows[0][0])
        raise ArticleNotFound(prefix)

    def _has_trash(self) -> bool:
        """Whether the trash tables exist: not in a read-only library opened on a full
        disk before step 7 (every other open migrates first)."""
        return bool(self._query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'deleted'"))

    @staticmethod
    def _next_seq(db: sqlite3.Connection) -> int:
        row = db.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    def _set_meta(db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- user state ------------------------------------------------------------------

    def set_flag(self, article_id: str, flag: ArticleFlag, value: bool) -> None:
        """Set ``bookmarked`` or ``read``; durable when this returns."""
        with self._transaction() as db:
            if not db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
                raise ArticleNotFound(article_id)
            self._set_flag(db, article_id, flag, value)

    @staticmethod
    def _set_flag(db: sqlite3.Connection, article_id: str, flag: ArticleFlag, value: bool) -> None:
        column = _flag_column(flag)
        db.execute("INSERT OR IGNORE INTO state (article_id) VALUES (?)", (article_id,))
        db.execute(f"UPDATE state SET {column} = ? WHERE article_id = ?", (int(value), article_id))
        if flag == ArticleFlag.BOOKMARKED:
            db.execute(
                "UPDATE state SET bookmarked_at = ? WHERE article_id = ?",
                (utc_now() if value else None, article_id),
            )

    def set_flag_many(self, article_ids: Iterable[str], flag: ArticleFlag, value: bool) -> int:
        """Set a flag on many articles in one transaction (mark all read); ids removed
        meanwhile are passed over. Returns how many articles were set."""
        done = 0
        with self._transaction() as db:
            for article_id in article_ids:
                if db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
                    self._set_flag(db, article_id, flag, value)
                    done += 1
        return done

    def set_position(self, article_id: str, position: float) -> None:
        """Set the reading position; ArticleNotFound (not a foreign-key error) when the
        article is gone, deleted meanwhile: the app's writer then drops the write."""
        with self._transaction() as db:
            if not db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
                raise ArticleNotFound(article_id)
            db.execute("INSERT OR IGNORE INTO state (article_id) VALUES (?)", (article_id,))
            db.execute("UPDATE state SET position = ? WHERE article_id = ?", (float(position), article_id))

    def position(self, article_id: str) -> float:
        rows = self._query("SELECT position FROM state WHERE article_id = ?", (article_id,))
        return float(rows[0][0]) if rows else 0.0

    def ids_with(self, flag: ArticleFlag) -> set[str]:
        """Ids whose ``flag`` is set (the search index filters ``is:`` queries with these)."""
        return {row[0] for row in self._query(f"SELECT article_id FROM state WHERE {_flag_column(flag)} = 1")}

    def flags(self, ids: Sequence[str]) -> dict[str, tuple[bool, bool]]:
        """id -> (bookmarked, read) for the given ids (missing ids: both False)."""
        result = {article_id: (False, False) for article_id in ids}
        for chunk_start in range(0, len(ids), 500):
            chunk = list(ids[chunk_start : chunk_start + 500])
            marks = ",".join("?" * len(chunk))
            for article_id, bookmarked, read in self._query(
                f"SELECT article_id, bookmarked, read FROM state WHERE article_id IN ({marks})", chunk
            ):
                result[article_id] = (bool(bookmarked), bool(read))
        return result

    # -- reading ---------------------------------------------------------------------

    def get(self, article_id: str) -> Article:
        rows = self._query(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a LEFT JOIN state s ON s.article_id = a.id WHERE a.id = ?",
            (article_id,),
        )
        if not rows:
            raise ArticleNotFound(article_id)
        return self._with_user_tags([self._article(rows[0])])[0]

    def id_for_url(self, url: str) -> str | None:
        """The id of an article whose canonical URL is ``url``'s, if the library has one."""
        key = canonical_url(url)
        rows = self._query("SELECT id FROM articles WHERE canonical_url = ? LIMIT 1", (key,)) if key else []
        return rows[0][0] if rows else None

    def resolve_id(self, prefix: str) -> str:
        """The full id for an id or an unambiguous prefix of at least 4 characters."""
        prefix = prefix.strip().lower()
        if self._query("SELECT 1 FROM articles WHERE id = ?", (prefix,)):
            return prefix
        if len(prefix) >= MIN_ID_PREFIX and all(c in "0123456789abcdef" for c in prefix):
            rows = self._query("SELECT id FROM articles WHERE id >= ? AND id < ? LIMIT 2", (prefix, prefix + "g"))
            if len(rows) == 1:
                return str(rows[0][0])
        raise ArticleNotFound(prefix)

    def rows(
        self,
        *,
        bookmarked: bool = False,
        unread: bool = False,
        language: str | None = None,
        source: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        order: ListOrder = ListOrder.DATE,
        reverse: bool = False,
        ids: Iterable[str] | None = None,
    ) -> list[ArticleRow]:
        """Light rows for the article list, in ``order`` (newest first by default);
        ``ids``: only these articles (those of a tag)."""
        where, params = self._filters(bookmarked, unread, language, source, ids)
        sql = (
            f"SELECT {_ROW_COLUMNS} FROM articles a LEFT JOIN state s ON s.article_id = a.id{where} "
            f"ORDER BY {_order_by(ListOrder(order), reverse)}"
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        line = shown_line if self.clean_reads else str
        return [
            ArticleRow(r[0], line(r[1]), line(r[2]), r[3], r[4], bool(r[5]), bool(r[6]))
            for r in self._query(sql, params)
        ]

    def count(
        self, *, bookmarked: bool = False, unread: bool = False, language: str | None = None, source: str | None = None
    ) -> int:
        where, params = self._filters(bookmarked, unread, language, source)
        return self._count(f"SELECT COUNT(*) FROM articles a LEFT JOIN state s ON s.article_id = a.id{where}", params)

    @staticmethod
    def _filters(
        bookmarked: bool, unread: bool, language: str | None, source: str | None, ids: Iterable[str] | None = None
    ) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if ids is not None:  # one parameter, however many ids: a JSON list
            clauses.append("a.id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(sorted(ids)))
        if bookmarked:
            clauses.append("s.bookmarked = 1")
        if unread:
            clauses.append("COALESCE(s.read, 0) = 0")
        if language:
            clauses.append("a.language = ?")
            params.append(language.lower())
        if source:
            clauses.append("a.source = ? COLLATE NOCASE")
            params.append(source)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def bookmarked_articles(self) -> list[Article]:
        """Bookmarked articles in the order of the list (``reader list --bookmarked``)."""
        rows = self._query(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles a JOIN state s ON s.article_id = a.id "
            f"WHERE s.bookmarked = 1 ORDER BY {_LIST_ORDER}"
        )
        return self._with_user_tags([self._article(r) for r in rows])

    def iter_articles(self, *, since_seq: int = 0, batch: int = 500, related: bool = True) -> Iterator[Article]:
        """Every article (changed after ``since_seq``), in batches, without holding the lock between them.

        ``related=False`` leaves out the related links (one query per article): the index
        does not use them, and indexing 20,000 articles took twice as long reading them.
        """
        last_seq = since_seq
        while True:
            rows = self._query(
                f"SELECT {_ARTICLE_COLUMNS}, a.seq FROM articles a LEFT JOIN state s ON s.article_id = a.id "
                "WHERE a.seq > ? ORDER BY a.seq LIMIT ?",
                (last_seq, batch),
            )
            if not rows:
                return
            yield from self._with_user_tags([self._article(row[:-1], related=related) for row in rows])
            last_seq = rows[-1][-1]

    def removed_since(self, seq: int) -> list[str]:
        return [row[0] for row in self._query("SELECT article_id FROM removed WHERE seq > ?", (seq,))]

    def changes_after(self, seq: int) -> int:
        """How many articles changed after ``seq`` (for a progress bar)."""
        return self._count("SELECT COUNT(*) FROM articles WHERE seq > ?", (seq,))

    def _article(self, row: tuple[Any, ...], *, related: bool = True) -> Article:
        # For the screen, text is cleaned again as it is read (see clean_reads).
        line, shown = (shown_line, shown_text) if self.clean_reads else (str, str)
        links = tuple(
            RelatedLink(title=line(r[0]), summary=shown(r[1]), language=r[2], url=line(r[3]), target_id=r[4])
            for r in self._query(_RELATED_QUERY, (row[0],))
        ) if related else ()
        return Article(
            id=row[0], title=line(row[1]), summary=shown(row[2]), body=shown(row[3]), language=line(row[4]),
            source=line(row[5]), url=line(row[6]), published=line(row[7]),
            tags=tuple(line(t) if isinstance(t, str) else t for t in json.loads(row[8])), imported_at=row[9],
            bookmarked=bool(row[10]), read=bool(row[11]), related=links, author=line(row[12]),
        )

    # -- user tags (reader/tags.py; the table: reader/migrations/v008_user_tags.py) ----

    def _has_user_tags(self) -> bool:
        """Whether the table exists: not in a library opened read-only on a full disk
        before the step that makes it (which has no user tags then)."""
        if self._user_tags_table is None:
            self._user_tags_table = bool(
                self._query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'user_tags'")
            )
        return self._user_tags_table

    def _user_tags(self, ids: Sequence[str]) -> dict[str, tuple[list[str], list[str]]]:
        """id -> (tags added, importer tags removed) for those of ``ids`` that have any."""
        found: dict[str, tuple[list[str], list[str]]] = {}
        if not self._has_user_tags():
            return found
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for article_id, tag, removed in self._query(
                f"SELECT article_id, tag, removed FROM user_tags WHERE article_id IN ({marks}) ORDER BY tag", chunk
            ):
                found.setdefault(article_id, ([], []))[1 if removed else 0].append(tag)
        return found

    def _with_user_tags(self, articles: list[Article]) -> list[Article]:
        found = self._user_tags([a.id for a in articles])
        if not found:
            return articles
        line = shown_line if self.clean_reads else str
        result = []
        for article in articles:
            if article.id in found:
                added, removed = found[article.id]
                article = article.replace(user_tags=tuple(map(line, added)), removed_tags=tuple(map(line, removed)))
            result.append(article)
        return result

    def _restore_user_tags(self, db: sqlite3.Connection, article: Article, now: str) -> None:
        """The user tags an import brings (a Reader JSON export): stored where this
        library has no word of its own on that tag, so a re-import never undoes an edit."""
        rows = [(article.id, t, 0, now) for t in article.user_tags] + [(article.id, t, 1, now) for t in article.removed_tags]
        if rows:
            db.executemany("INSERT OR IGNORE INTO user_tags VALUES (?, ?, ?, ?)", rows)

    def edit_tags(self, article_id: str, add: Iterable[str], remove: Iterable[str]) -> tuple[str, ...]:
        """Add and remove tags (names from :func:`reader.tags.tag_name`) in one
        transaction; return the tags the article shows now.

        A removed tag the importer gave is stored as removed; one only the user gave is
        forgotten. The article's ``seq`` moves, so the search index takes its new tags
        on its next catch-up (one document, see :meth:`reader.library.Library.edit_tags`).
        """
        now = utc_now()
        with self._transaction() as db:
            row = db.execute("SELECT tags FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                raise ArticleNotFound(article_id)
            given = set(importer_tags(json.loads(row[0])))
            for tag in remove:
                if tag in given:
                    db.execute(
                        "INSERT INTO user_tags VALUES (?, ?, 1, ?) ON CONFLICT (article_id, tag) "
                        "DO UPDATE SET removed = 1, changed_at = excluded.changed_at",
                        (article_id, tag, now),
                    )
                else:
                    db.execute("DELETE FROM user_tags WHERE article_id = ? AND tag = ?", (article_id, tag))
            for tag in add:
                db.execute(
                    "INSERT INTO user_tags VALUES (?, ?, 0, ?) ON CONFLICT (article_id, tag) "
                    "DO UPDATE SET removed = 0, changed_at = excluded.changed_at",
                    (article_id, tag, now),
                )
            seq = self._next_seq(db) + 1
            db.execute("UPDATE articles SET seq = ? WHERE id = ?", (seq, article_id))
            self._set_meta(db, "seq", str(seq))
            mine = db.execute("SELECT tag, removed FROM user_tags WHERE article_id = ?", (article_id,)).fetchall()
        return shown_tags(given, [t for t, r in mine if not r], [t for t, r in mine if r])

    def tagged(self) -> Iterator[tuple[str, bool, tuple[str, ...]]]:
        """``(id, read, shown tags)`` of every article that shows a tag: what the tag
        counts and the tag filters are made of.

        One pass in Python, because names are folded the way :func:`reader.tags.tag_name`
        does (SQLite's ``lower`` knows only ASCII); each distinct importer tag is folded
        once.
        """
        mine: dict[str, tuple[list[str], list[str]]] = {}
        if self._has_user_tags():
            for article_id, tag, removed in self._query("SELECT article_id, tag, removed FROM user_tags"):
                mine.setdefault(article_id, ([], []))[1 if removed else 0].append(tag)
        line = shown_line if self.clean_reads else str
        # Per distinct importer list: its names, and what an article without edits shows.
        names: dict[str, tuple[list[str], tuple[str, ...]]] = {}
        rows = self._query(
            "SELECT a.id, COALESCE(s.read, 0), a.tags FROM articles a LEFT JOIN state s ON s.article_id = a.id "
            "WHERE a.tags != '[]'" + (" OR a.id IN (SELECT article_id FROM user_tags)" if mine else "")
        )
        for article_id, read, tags in rows:
            known = names.get(tags)
            if known is None:
                given = importer_tags(json.loads(tags))
                known = names[tags] = (given, tuple(map(line, sorted(given))))
            edits = mine.get(article_id)
            shown = tuple(map(line, shown_tags(known[0], *edits))) if edits else known[1]
            if shown:
                yield article_id, bool(read), shown

    # -- bookkeeping -----------------------------------------------------------------

    def meta(self, key: str, default: str = "") -> str:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else default

    def set_meta(self, key: str, value: str) -> None:
        with self._transaction() as db:
            self._set_meta(db, key, value)

    def advance_meta(self, key: str, value: int) -> None:
        """Set an integer meta value, unless it is already higher (two processes may race)."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value "
                "WHERE CAST(excluded.value AS INTEGER) > CAST(meta.value AS INTEGER)",
                (key, str(value)),
            )

    def data_version(self) -> int:
        """Changes when another connection commits (PRAGMA data_version): cheap to poll."""
        return self._count("PRAGMA data_version")

    def stats(self) -> dict[str, Any]:
        """Counts for ``reader info``."""
        languages: dict[str, int] = dict(self._query("SELECT language, COUNT(*) FROM articles GROUP BY language ORDER BY 2 DESC"))
        # An article without a source is not a source of its own.
        sources = self._count("SELECT COUNT(DISTINCT source) FROM articles WHERE source != ''")
        bookmarks, read = self._query("SELECT COALESCE(SUM(bookmarked), 0), COALESCE(SUM(read), 0) FROM state")[0]
        return {
            "articles": self.count(),
            "bookmarks": bookmarks,
            "read": read,
            "sources": sources,
            "languages": languages,
            "in_trash": self.trash_count(),
        }

    def trash_count(self) -> int:
        """How many articles are in the trash."""
        return self._count("SELECT COUNT(*) FROM trash") if self._has_trash() else 0


def _dependents(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """``(table, column)`` of every foreign key to ``articles``: what an article takes
    with it into the trash (found, not listed, so a later step's table goes along too)."""
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return [
        (table, key[3]) for table in tables
        for key in db.execute(f'PRAGMA foreign_key_list("{table}")') if key[2] == "articles"
    ]


def _named_rows(db: sqlite3.Connection, sql: str, params: Sequence[object]) -> list[dict[str, Any]]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _insert_named(db: sqlite3.Connection, table: str, row: dict[str, Any]) -> None:
    """Insert ``row`` (column -> value) into ``table``, with the columns the table still
    has; a row already there wins (a restore never overwrites newer state)."""
    columns = {r[1] for r in db.execute(f'PRAGMA table_info("{table}")')}
    kept = {name: value for name, value in row.items() if name in columns}
    if not kept:
        return
    names = ", ".join(f'"{name}"' for name in kept)
    db.execute(f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({",".join("?" * len(kept))})', list(kept.values()))


def _flag_column(flag: ArticleFlag) -> str:
    """The state table's column of ``flag``; a ValueError for anything else."""
    column = _FLAG_COLUMNS.get(flag)
    if column is None:
        raise ValueError(f"unknown flag {flag!r}")
    return column


def writable(path: Path) -> bool:
    """Whether Reader may write the database at ``path`` and create files beside it.

    ``os.access`` reports a read-only mount (EROFS) even to root; SQLite needs the
    directory too, for its ``-wal`` and ``-shm`` files.
    """
    return os.access(path.parent, os.W_OK | os.X_OK) and (not path.exists() or os.access(path, os.W_OK))


def _refuse_newer(db: sqlite3.Connection, path: Path) -> None:
    """Raise (closing ``db``) if the file holds a schema newer than this Reader's; else nothing."""
    try:
        has_meta = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        found = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() if has_meta else None
        if found is not None:
            _check_schema(found[0], path)
    except BaseException:
        db.close()
        raise


def _check_schema(found: str, path: Path) -> int:
    """The stored schema version, refusing a damaged value and a newer Reader's database."""
    try:
        version = int(found)
    except ValueError:
        raise LibraryDamaged(path, f"bad schema version {found!r}") from None
    if version > migrations.current_version():
        raise NewerSchema(path, version, migrations.current_version())
    return version
