"""Feed subscriptions in the SQLite store: the queries of reader/web/feeds.py.

A companion of store.py, kept apart so that the article store does not grow a second
subject. It shares the Store's connection, lock and transactions (one file, one
writer); its tables come from the schema step reader/migrations/v003_feeds.py, which
Store.open runs.

Durability: :meth:`FeedStore.record_updates` stores the new and changed articles of
several feeds' updates, their feed links and the feeds' new validators in one
transaction. A process killed before the commit has none of them, so the next update
fetches those feeds again (their old validators ask for everything) and finishes; a
commit never records a feed as up to date without its articles.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reader.errors import FeedNotFound, StorageError
from reader.model import Article, ArticleFlag, canonical_url
from reader.store import Store, utc_now


@dataclass(frozen=True, slots=True)
class Feed:
    """One subscription, as stored."""

    id: str
    url: str
    title: str = ""
    tags: tuple[str, ...] = ()
    etag: str = ""
    last_modified: str = ""
    last_update: str | None = None
    last_error: str = ""
    retry_at: str | None = None
    full_text: bool = False
    update_interval: int | None = None
    gone: bool = False
    added_at: str = ""

    @property
    def name(self) -> str:
        return self.title or self.url


@dataclass(frozen=True, slots=True)
class FeedUpdate:
    """What one feed's update writes: its new and changed articles, every entry's digest
    (article id -> digest), the answer's validators, and the URL and title it gave."""

    feed: Feed
    articles: Sequence[Article]
    digests: dict[str, str]
    etag: str = ""
    last_modified: str = ""
    url: str | None = None  # after a permanent redirect
    title: str | None = None


@dataclass(frozen=True, slots=True)
class FeedCounts:
    unread: int
    total: int


_COLUMNS = (
    "id, url, title, tags, etag, last_modified, last_update, last_error, retry_at, full_text, "
    "update_interval, gone, added_at"
)


def feed_id(url: str) -> str:
    """A stable id for a feed first subscribed at ``url`` (it keeps it when the URL moves)."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:12]


def entry_digest(article: Article) -> str:
    """What an entry said: an update rewrites the article only when this changes.

    The author counts only when there is one, so the digests stored before authors were
    kept stay valid for entries without one, and an entry with one is rewritten once,
    bringing its author into a library made before."""
    parts: tuple[str, ...] = (article.title, article.summary, article.body, article.url, article.published, "\0".join(article.tags))
    parts += (article.author,) if article.author else ()
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


class FeedStore:
    """Feeds and their article links, in the database of ``store``."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._store._query(sql, params)
        except StorageError as error:
            if "no such table" in str(error):  # a read-only library made before feeds
                return []
            raise

    # -- reading ---------------------------------------------------------------------

    def all(self) -> list[Feed]:
        return [_feed(r) for r in self._rows(f"SELECT {_COLUMNS} FROM feeds ORDER BY title COLLATE NOCASE, url")]

    def get(self, feed_id: str) -> Feed:
        rows = self._rows(f"SELECT {_COLUMNS} FROM feeds WHERE id = ?", (feed_id,))
        if not rows:
            raise FeedNotFound(f"no feed with id {feed_id!r}")
        return _feed(rows[0])

    def by_url(self, url: str) -> Feed | None:
        rows = self._rows(f"SELECT {_COLUMNS} FROM feeds WHERE url = ?", (url,))
        return _feed(rows[0]) if rows else None

    def find(self, key: str) -> Feed:
        """The feed named by an id prefix, its URL or its title (case-insensitive)."""
        key = key.strip()
        feeds = self.all()
        tests: tuple[Callable[[Feed], bool], ...] = (
            lambda f: f.id == key.lower() or f.url == key or canonical_url(f.url) == canonical_url(key),
            lambda f: f.title.casefold() == key.casefold(),
            lambda f: len(key) >= 4 and f.id.startswith(key.lower()),
        )
        for test in tests:
            found = [f for f in feeds if test(f)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                names = ", ".join(f"{f.id} ({f.name})" for f in found[:5])
                raise FeedNotFound(f"{key!r} names several feeds: {names}; use an id")
        raise FeedNotFound(f"no feed matches {key!r} (an id prefix, a URL or a title)")

    def counts(self) -> dict[str, FeedCounts]:
        """feed id -> unread and total articles (articles the user removed not counted)."""
        rows = self._rows(
            "SELECT f.feed_id, COUNT(a.id), COALESCE(SUM(CASE WHEN COALESCE(s.read, 0) = 0 THEN 1 ELSE 0 END), 0) "
            "FROM feed_articles f JOIN articles a ON a.id = f.article_id "
            "LEFT JOIN state s ON s.article_id = a.id GROUP BY f.feed_id"
        )
        return {r[0]: FeedCounts(unread=r[2], total=r[1]) for r in rows}

    def digests(self, feed_id: str) -> dict[str, str]:
        """article id -> digest of the entry as last stored, for one feed."""
        return dict(self._rows("SELECT article_id, digest FROM feed_articles WHERE feed_id = ?", (feed_id,)))

    def linked_ids(self, article_ids: Sequence[str]) -> set[str]:
        """Which of these ids an update stored once (from any feed)."""
        found: set[str] = set()
        for start in range(0, len(article_ids), 500):
            chunk = list(article_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            found |= {r[0] for r in self._rows(f"SELECT article_id FROM feed_articles WHERE article_id IN ({marks})", chunk)}
        return found

    def article_ids(self, feed_id: str) -> list[str]:
        """The articles of a feed that are in the library."""
        return [
            r[0] for r in self._rows(
                "SELECT f.article_id FROM feed_articles f JOIN articles a ON a.id = f.article_id WHERE f.feed_id = ?",
                (feed_id,),
            )
        ]

    def existing_article_ids(self, ids: Iterable[str]) -> set[str]:
        wanted = list(ids)
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found |= {r[0] for r in self._rows(f"SELECT id FROM articles WHERE id IN ({marks})", chunk)}
        return found

    # -- writing ---------------------------------------------------------------------

    def add(self, url: str, title: str = "", tags: Sequence[str] = ()) -> tuple[Feed, bool]:
        """Subscribe; returns (the feed, whether it is new). A known URL is not added twice."""
        existing = self.by_url(url)
        if existing is not None:
            return existing, False
        new_id = feed_id(url)
        with self._store._transaction() as db:
            db.execute(
                "INSERT OR IGNORE INTO feeds (id, url, title, tags, added_at) VALUES (?, ?, ?, ?, ?)",
                (new_id, url, title, json.dumps(list(tags), ensure_ascii=False), utc_now()),
            )
        return self.get(new_id), True

    def update_settings(self, feed_id: str, **values: object) -> Feed:
        """Change title, tags, full_text, update_interval or url of a feed."""
        allowed = {"title", "tags", "full_text", "update_interval", "url", "gone"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"unknown feed settings {sorted(unknown)}")
        if "tags" in values:
            values["tags"] = json.dumps(list(values["tags"]), ensure_ascii=False)  # type: ignore[call-overload]
        with self._store._transaction() as db:
            for key, value in values.items():
                try:
                    db.execute(f"UPDATE feeds SET {key} = ? WHERE id = ?", (value, feed_id))
                except sqlite3.IntegrityError:
                    raise FeedNotFound(f"another feed already has the URL {value}") from None
        return self.get(feed_id)

    def remove(self, feed_id: str, *, delete_articles: bool) -> tuple[list[str], int]:
        """Unsubscribe. Returns (ids of articles to delete, bookmarked ones kept).

        The articles stay unless ``delete_articles``; bookmarked ones stay always. The
        caller deletes the returned ids through the library (so the index follows).
        """
        ids = self.article_ids(feed_id)
        bookmarked = self._store.ids_with(ArticleFlag.BOOKMARKED)
        doomed = [i for i in ids if i not in bookmarked] if delete_articles else []
        with self._store._transaction() as db:
            db.execute("DELETE FROM feed_articles WHERE feed_id = ?", (feed_id,))
            db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
        return doomed, sum(1 for i in ids if i in bookmarked) if delete_articles else 0

    def record_updates(self, updates: Sequence[FeedUpdate]) -> list[tuple[list[str], list[str]]]:
        """Store the updates of several feeds in one transaction (see the module's note):
        each one's new and changed articles, links and validators. Returns (added ids,
        updated ids) for each update, in order. One commit (an fsync) for a batch of feeds
        instead of two a feed."""
        counts: list[tuple[list[str], list[str]]] = []
        now = utc_now()
        with self._store._transaction() as db:
            for update in updates:
                counts.append(self._store.upsert(update.articles, within=db) if update.articles else ([], []))
                db.executemany(
                    "INSERT INTO feed_articles VALUES (?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET "
                    "feed_id = excluded.feed_id, digest = excluded.digest",
                    [(article_id, update.feed.id, digest) for article_id, digest in update.digests.items()],
                )
                db.execute(
                    "UPDATE feeds SET etag = ?, last_modified = ?, last_update = ?, last_error = '', retry_at = NULL, "
                    "url = COALESCE(?, url), title = CASE WHEN title = '' THEN COALESCE(?, '') ELSE title END "
                    "WHERE id = ?",
                    (update.etag, update.last_modified, now, update.url, update.title, update.feed.id),
                )
        return counts

    def record_not_modified(self, feeds: Sequence[tuple[Feed, str | None]]) -> None:
        """Record 304 answers (a feed, and its new URL after a permanent redirect, or None)."""
        now = utc_now()
        with self._store._transaction() as db:
            db.executemany(
                "UPDATE feeds SET last_update = ?, last_error = '', retry_at = NULL, url = COALESCE(?, url) WHERE id = ?",
                [(now, url, feed.id) for feed, url in feeds],
            )

    def record_failure(self, feed: Feed, reason: str, *, retry_at: str | None = None, gone: bool = False) -> None:
        with self._store._transaction() as db:
            db.execute(
                "UPDATE feeds SET last_error = ?, retry_at = ?, gone = MAX(gone, ?) WHERE id = ?",
                (reason, retry_at, int(gone), feed.id),
            )


def _feed(row: tuple[Any, ...]) -> Feed:
    try:
        tags = tuple(str(t) for t in json.loads(row[3]))
    except (TypeError, ValueError):
        tags = ()
    return Feed(
        id=row[0], url=row[1], title=row[2], tags=tags, etag=row[4], last_modified=row[5], last_update=row[6],
        last_error=row[7], retry_at=row[8], full_text=bool(row[9]), update_interval=row[10], gone=bool(row[11]),
        added_at=row[12],
    )
