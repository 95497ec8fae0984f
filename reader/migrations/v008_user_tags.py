"""Schema step: the tags a person adds to an article or takes away from it (reader/tags.py).

One row per article and tag name: ``removed`` 0 is a tag the user added, 1 a tag the
importer gave that the user took away (stored, so the next re-import or feed update does
not bring it back). Apart from ``articles``, like the state table, so a re-import, which
replaces an article's text and importer tags, keeps them.

No foreign key to ``articles``, like the highlights: an article removed and imported
again (the same id) gets its tags back; counts and lists join the articles, so tags of a
removed article are never counted or shown.

The index ``articles_tags`` covers what the tag counts read of every article (its
importer tags and id): without it the scan reads each row's body to reach its tags
column, 60 ms instead of 10 at 10,000 articles (benchmarks/tags_bench.py).

Idempotent (``IF NOT EXISTS``), like the steps before it.
"""

from __future__ import annotations

import sqlite3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS user_tags (
    article_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    changed_at TEXT NOT NULL,
    PRIMARY KEY (article_id, tag)
);
CREATE INDEX IF NOT EXISTS user_tags_tag ON user_tags (tag);
CREATE INDEX IF NOT EXISTS articles_tags ON articles (tags, id)
"""


def migrate(db: sqlite3.Connection) -> None:
    """Add the user_tags table (inside the caller's transaction)."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
