"""Schema step: feed subscriptions, and which feed each article came from.

``feeds`` holds one row per subscription: where it is, what the user called it and
filed it under (``tags``, from OPML folders), what the server said last time (``etag``,
``last_modified``: the conditional request's validators), when it was last fetched and
how that went (``last_update``, ``last_error``, ``retry_at`` from a Retry-After), and
the user's settings (``full_text``, ``update_interval`` in minutes, NULL for the
default); ``gone`` is set by a 410 and stops updates.

``feed_articles`` links an article to its feed with a digest of the entry as the feed
last sent it, so an update rewrites an article only when its entry changed. It is a
table of its own, not a column of ``articles``: the articles table keeps its shape,
and a link outlives the article on purpose. An article the user removed keeps its
link, so the next update does not bring it back.

Idempotent (``IF NOT EXISTS``): a library made by a development build that created
these tables before the step was numbered opens too.
"""

from __future__ import annotations

import sqlite3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '',
    last_update TEXT,
    last_error TEXT NOT NULL DEFAULT '',
    retry_at TEXT,
    full_text INTEGER NOT NULL DEFAULT 0,
    update_interval INTEGER,
    gone INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feed_articles (
    article_id TEXT PRIMARY KEY,
    feed_id TEXT NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    digest TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS feed_articles_feed ON feed_articles (feed_id);
"""


def migrate(db: sqlite3.Connection) -> None:
    """Add the feeds tables (inside the caller's transaction, if any)."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
