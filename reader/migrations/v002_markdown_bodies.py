"""Schema 2: bodies are stored in the Markdown subset of :mod:`reader.body`.

Release 0.1.0 stored a body as plain paragraphs separated by blank lines. From schema 2
the body column holds the stored form, so every 0.1 body is escaped into it with
:func:`reader.body.escape_text`: a ``*``, ``[`` or leading ``#`` of old text stays a
character, never markup, and ``to_plain_text`` of the new body is the old text (which
0.1 kept normalized: one blank line between paragraphs, spaces folded). The search index
therefore needs no rebuild: it holds the same words, and ``seq`` is left alone.

Summaries (and related links' summaries) stay plain text: they are one-paragraph teasers
shown in lists and cards, where structure has no place; only bodies carry it.

No column changes. The work is one ``UPDATE`` through a SQL function, so SQLite streams
the rows instead of Python holding the library in memory.
"""

from __future__ import annotations

import sqlite3

from reader.body import escape_text

_FUNCTION = "reader_v002_escape_text"


def migrate(db: sqlite3.Connection) -> None:
    """Escape every stored body into the stored form (inside the runner's transaction)."""
    db.create_function(_FUNCTION, 1, _escape, deterministic=True)
    try:
        db.execute(f"UPDATE articles SET body = {_FUNCTION}(body) WHERE body != ''")
    finally:
        db.create_function(_FUNCTION, 1, None)


def _escape(body: str | bytes | int | float | None) -> str | bytes | int | float | None:
    return escape_text(body) if isinstance(body, str) else body
