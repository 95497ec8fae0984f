"""Schema step: highlights and notes (reader/highlights.py, reader/highlights_store.py).

One row per highlight: the article it belongs to, its anchor (the quoted text, the
context before and after it, and its offsets in the text the reader shows), the note
written with it, when it was made and last changed, whether its passage could not be
found in the article's current text (``orphaned``: kept and shown, never dropped), and
the digest of the text the anchor was last found in, so that it is looked for again
only when the article's text changed.

No foreign key to ``articles``: a note outlives its article. An article removed and
imported again (the same id) gets its highlights back, and `reader highlights` lists
those of a removed article instead of losing them silently.

Idempotent (``IF NOT EXISTS``), like the steps before it.
"""

from __future__ import annotations

import sqlite3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS highlights (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    exact TEXT NOT NULL,
    prefix TEXT NOT NULL DEFAULT '',
    suffix TEXT NOT NULL DEFAULT '',
    start INTEGER NOT NULL DEFAULT 0,
    "end" INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    orphaned INTEGER NOT NULL DEFAULT 0,
    text_digest TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS highlights_article ON highlights (article_id, start)
"""


def migrate(db: sqlite3.Connection) -> None:
    """Add the highlights table (inside the caller's transaction)."""
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
