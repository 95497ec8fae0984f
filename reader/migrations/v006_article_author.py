"""Schema step: an article keeps who wrote it (``articles.author``).

Pages, feeds, front matter and exports name their authors, and issue 11 asks that the
metadata of a page survive its import. A column of the articles table, empty for every
article stored before: those imports never kept an author, and none is invented for
them (re-importing the file fills it in). Idempotent like the steps before it, so a
library made by a development build that already has the column opens too.
"""

from __future__ import annotations

import sqlite3


def migrate(db: sqlite3.Connection) -> None:
    """Add ``articles.author`` (inside the caller's transaction); once only."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(articles)")}
    if "author" not in columns:
        db.execute("ALTER TABLE articles ADD COLUMN author TEXT NOT NULL DEFAULT ''")
