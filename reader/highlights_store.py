"""Highlights in the SQLite store: the queries behind the library's highlight methods.

A companion of store.py like feeds_store.py: it shares the Store's connection, lock and
transactions; its table comes from the schema step reader/migrations/v004_highlights.py.
A read-only library made before that step has no table: it has no highlights either, and
reading them gives none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from reader.errors import HighlightNotFound
from reader.highlights import Anchor, Highlight, new_id
from reader.model import ArticleFlag, HighlightFlag, SearchFlag
from reader.store import Store, utc_now
from reader.text import fold_accents

_COLUMNS = 'id, article_id, exact, prefix, suffix, start, "end", note, created_at, updated_at, orphaned, text_digest, original'
MIN_PREFIX = 4  # characters of a highlight id that name it on the command line


class HighlightStore:
    """Highlights, in the database of ``store``."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._table: bool | None = None  # whether the table exists (asked once: only an open migrates)

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """The rows of a query; none in a read-only library made before highlights (no table)."""
        if self._table is None:
            self._table = bool(self._store._query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'highlights'"))
        return self._store._query(sql, params) if self._table else []

    def for_article(self, article_id: str) -> list[Highlight]:
        rows = self._rows(f"SELECT {_COLUMNS} FROM highlights WHERE article_id = ? ORDER BY start, created_at", (article_id,))
        return [_highlight(r) for r in rows]

    def all(self) -> list[Highlight]:
        """Every highlight, by article then place in it."""
        return [_highlight(r) for r in self._rows(f"SELECT {_COLUMNS} FROM highlights ORDER BY article_id, start, created_at")]

    def get(self, key: str) -> Highlight:
        """The highlight with this id or unambiguous id prefix (at least MIN_PREFIX characters)."""
        key = key.strip().lower()
        rows = self._rows(f"SELECT {_COLUMNS} FROM highlights WHERE id = ?", (key,))
        if not rows and len(key) >= MIN_PREFIX:
            rows = self._rows(f"SELECT {_COLUMNS} FROM highlights WHERE id >= ? AND id < ? LIMIT 2", (key, key + "g"))
        if len(rows) != 1:
            raise HighlightNotFound(f"no highlight with id {key!r}" if not rows else f"{key!r} names several highlights")
        return _highlight(rows[0])

    def article_ids(self, *, with_note: bool = False) -> set[str]:
        """Ids of the articles that have highlights (with a note, if asked)."""
        where = " WHERE note != ''" if with_note else ""
        return {r[0] for r in self._rows(f"SELECT DISTINCT article_id FROM highlights{where}")}

    def texts(self) -> list[tuple[str, str, str]]:
        """``(article id, quote, note)`` of every highlight, for ``in:highlights``."""
        return [(r[0], r[1], r[2]) for r in self._rows("SELECT article_id, exact, note FROM highlights")]

    def add(self, article_id: str, anchor: Anchor, note: str, text_digest: str) -> Highlight:
        now = utc_now()
        highlight = Highlight(new_id(), article_id, anchor, note, now, now, False, text_digest)
        self.put([highlight])
        return highlight

    def put(self, highlights: Iterable[Highlight], *, newer_only: bool = False) -> int:
        """Store highlights (insert, or replace the one with the same id); with
        ``newer_only`` (an import), an existing one is replaced only by a later version.
        Returns how many rows were written."""
        condition = " WHERE excluded.updated_at > highlights.updated_at" if newer_only else ""
        written = 0
        with self._store.transaction() as db:
            for h in highlights:
                a = h.anchor
                written += db.execute(
                    f"INSERT INTO highlights ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET "
                    "article_id=excluded.article_id, exact=excluded.exact, prefix=excluded.prefix, "
                    'suffix=excluded.suffix, start=excluded.start, "end"=excluded."end", note=excluded.note, '
                    "created_at=excluded.created_at, updated_at=excluded.updated_at, orphaned=excluded.orphaned, "
                    f"text_digest=excluded.text_digest, original=excluded.original{condition}",
                    (h.id, h.article_id, a.exact, a.prefix, a.suffix, a.start, a.end, h.note, h.created_at,
                     h.updated_at, int(h.orphaned), h.text_digest, h.original),
                ).rowcount
        return written

    def set_note(self, highlight_id: str, note: str) -> None:
        with self._store.transaction() as db:
            if not db.execute("UPDATE highlights SET note = ?, updated_at = ? WHERE id = ?", (note, utc_now(), highlight_id)).rowcount:
                raise HighlightNotFound(f"no highlight with id {highlight_id!r}")

    def remove(self, highlight_id: str) -> None:
        with self._store.transaction() as db:
            if not db.execute("DELETE FROM highlights WHERE id = ?", (highlight_id,)).rowcount:
                raise HighlightNotFound(f"no highlight with id {highlight_id!r}")


def _highlight(row: tuple[Any, ...]) -> Highlight:
    anchor = Anchor(row[2], row[3], row[4], int(row[5]), int(row[6]))
    return Highlight(row[0], row[1], anchor, row[7], row[8], row[9], bool(row[10]), row[11], row[12])


class SearchState:
    """The library's user state as a search asks for it (``reader.search``'s
    ``StateLookup``): bookmarks and read marks from the store, ``has:highlight`` and
    ``has:note`` from the highlights, and the articles whose highlighted passages or
    notes hold words (``in:highlights``)."""

    def __init__(self, store: Store, highlights: HighlightStore) -> None:
        self._store = store
        self._highlights = highlights

    def ids_with(self, flag: SearchFlag) -> set[str]:
        if isinstance(flag, ArticleFlag):
            return self._store.ids_with(flag)
        if flag == HighlightFlag.IN_HIGHLIGHTS:
            raise ValueError("in:highlights is answered by ids_in_highlights, not by a flag")
        return self._highlights.article_ids(with_note=flag == HighlightFlag.NOTE)

    def flags(self, ids: Sequence[str]) -> dict[str, tuple[bool, bool]]:
        return self._store.flags(ids)

    def ids_in_highlights(self, words: Sequence[str]) -> set[str]:
        """Articles with a highlight whose passage or note has every word, each at the
        start of a word of it, case and accents aside (``harb`` finds "Harbour").

        A plain scan in Python: a library holds hundreds or thousands of highlights, not
        the hundreds of thousands of articles the index is for.
        """
        patterns = [re.compile(r"(?<!\w)" + re.escape(_folded(word))) for word in words if word.strip()]
        found: set[str] = set()
        for article_id, exact, note in self._highlights.texts():
            folded = _folded(f"{exact}\n{note}")
            if all(pattern.search(folded) for pattern in patterns):
                found.add(article_id)
        return found


def _folded(text: str) -> str:
    return fold_accents(text).casefold()
