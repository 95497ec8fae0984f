"""Schema step: a highlight keeps the words it was first made on (``original``).

When an article is re-imported with the highlighted passage reworded, the highlight is
found again in the new words (reader/highlights.py) and its quote becomes them; the
words the reader first highlighted stay in ``original`` (empty while they are the quote),
so an edit of the article never loses them. A column of its own, added to the table of
step 4, which libraries made by development builds already have.
"""

from __future__ import annotations

import sqlite3


def migrate(db: sqlite3.Connection) -> None:
    """Add ``highlights.original`` (inside the caller's transaction); once only."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(highlights)")}
    if "original" not in columns:
        db.execute("ALTER TABLE highlights ADD COLUMN original TEXT NOT NULL DEFAULT ''")
