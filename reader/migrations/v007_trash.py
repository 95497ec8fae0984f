"""Schema step: the trash, and the ids of every article ever deleted.

``trash`` holds each deleted article whole, until it is restored or emptied (by hand,
or 30 days after its deletion): the article's row of ``articles`` and the rows of every
table that refers to it (its related links, its bookmark, read mark and reading
position in ``state``), as JSON named by column, so that a restore puts back exactly
what was there, also after a later step adds a column. Title, source and date are
columns of their own for listing the trash. The article itself leaves ``articles``:
every list, count, search and export reads that table, so none of them can show a
deleted article by forgetting a filter. Highlights and feed links have no foreign key
to ``articles`` and stay where they are.

``deleted`` keeps the id of every deleted article, also after the trash is emptied: a
feed update or an import that serves the same entry again does not bring it back
silently (newsboat keeps deleted items deleted). A restore takes the id out again.

Idempotent (``IF NOT EXISTS``), like the steps before it.
"""

from __future__ import annotations

import sqlite3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS trash (
    article_id TEXT PRIMARY KEY,
    deleted_at TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    saved TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS trash_deleted_at ON trash (deleted_at);
CREATE TABLE IF NOT EXISTS deleted (
    article_id TEXT PRIMARY KEY,
    deleted_at TEXT NOT NULL
)
"""


def migrate(db: sqlite3.Connection) -> None:
    """Add the trash and the deleted ids (inside the caller's transaction)."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
