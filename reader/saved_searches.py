"""Saved searches: a query kept under a name, to run again from the app's sources pane
or with ``reader search --saved NAME``.

They are preferences of the person, so they live where the app's other preferences do:
in the library database's ``meta`` table, beside the search history (``pref.`` keys),
one row per name (``pref.search.saved.<name>``, the value a small JSON object). One row
each means that the app and a ``reader search --save`` run at the same moment cannot
overwrite each other's searches, as rewriting one list would; a rename is one
transaction, so a crash leaves the old name or the new one, never both or neither. No
schema change: a library written by an older Reader simply has none.

Names and queries are text a person typed, drawn later in the app and the terminal:
both are kept as one clean line (no control or bidi characters) and must be drawn as
text, never as markup.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.errors import QueryError, ReaderError, SavedSearchError
from reader.text import clean_line

if TYPE_CHECKING:
    from reader.library import Library
    from reader.store import Store

PREFIX = "pref.search.saved."  # meta key of each saved search: PREFIX + its name
MAX_NAME = 80  # characters of a name: it is a line of a 30-column pane
MAX_QUERY = 1000  # characters of a query (the search box takes no more in practice)


@dataclass(frozen=True)
class SavedSearch:
    """A query kept under ``name``; ``saved`` is when (UTC, ISO 8601)."""

    name: str
    query: str
    saved: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "query": self.query, "saved": self.saved}


@dataclass(frozen=True)
class SearchCounts:
    """How many articles a saved search finds now, and how many of them are unread;
    ``error`` says why it could not be counted (a query the index refuses)."""

    total: int = 0
    unread: int = 0
    estimate: bool = False
    error: str = ""


def clean_name(name: str) -> str:
    """``name`` as it is kept: one line, its spaces folded; SavedSearchError if unusable."""
    cleaned = clean_line(name)
    if not cleaned:
        raise SavedSearchError("a saved search needs a name")
    if len(cleaned) > MAX_NAME:
        raise SavedSearchError(f"a saved search's name has at most {MAX_NAME} characters (this one has {len(cleaned)})")
    return cleaned


def clean_query(query: str) -> str:
    cleaned = clean_line(query)
    if not cleaned:
        raise SavedSearchError("there is no query to save: type one in the search box first")
    if len(cleaned) > MAX_QUERY:
        raise SavedSearchError(f"a saved query has at most {MAX_QUERY} characters (this one has {len(cleaned)})")
    return cleaned


class SavedSearches:
    """The saved searches of one library (``library.saved_searches``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def all(self) -> list[SavedSearch]:
        """Every saved search, by name (case-insensitive). A row this version cannot read
        (written by hand, or by a newer Reader) is shown with its raw value as the query."""
        rows = self._store._query(
            "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ?", (len(PREFIX), PREFIX)
        )
        found = [_decoded(key[len(PREFIX):], value) for key, value in rows]
        return sorted(found, key=lambda s: (s.name.casefold(), s.name))

    def get(self, name: str) -> SavedSearch:
        """The search saved as ``name``: that exact name, else the one name that differs
        only in case; SavedSearchError otherwise."""
        every = self.all()
        for saved in every:
            if saved.name == name:
                return saved
        folded = [s for s in every if s.name.casefold() == clean_line(name).casefold()]
        if len(folded) == 1:
            return folded[0]
        known = ", ".join(s.name for s in every[:10]) or "none yet"
        raise SavedSearchError(f"no saved search named {clean_line(name)!r} (saved: {known})")

    def save(self, name: str, query: str) -> tuple[SavedSearch, bool]:
        """Keep ``query`` under ``name``; returns it and whether it replaced one of that name."""
        from reader.store import utc_now

        saved = SavedSearch(clean_name(name), clean_query(query), utc_now())
        key = PREFIX + saved.name
        with self._store.transaction() as db:
            replaced = db.execute("SELECT 1 FROM meta WHERE key = ?", (key,)).fetchone() is not None
            self._store.put_meta(db, key, _encoded(saved))
        return saved, replaced

    def rename(self, name: str, new_name: str) -> SavedSearch:
        """Give a saved search another name; refused when that name is taken."""
        old = self.get(name)
        new = SavedSearch(clean_name(new_name), old.query, old.saved)
        with self._store.transaction() as db:
            if new.name != old.name and db.execute("SELECT 1 FROM meta WHERE key = ?", (PREFIX + new.name,)).fetchone():
                raise SavedSearchError(f"there is already a saved search named {new.name!r}")
            if not db.execute("DELETE FROM meta WHERE key = ?", (PREFIX + old.name,)).rowcount:
                raise SavedSearchError(f"the saved search {old.name!r} was deleted meanwhile")
            self._store.put_meta(db, PREFIX + new.name, _encoded(new))
        return new

    def delete(self, name: str) -> SavedSearch:
        """Forget a saved search; returns what it was (so that it can be said, or undone)."""
        saved = self.get(name)
        with self._store.transaction() as db:
            if not db.execute("DELETE FROM meta WHERE key = ?", (PREFIX + saved.name,)).rowcount:
                raise SavedSearchError(f"the saved search {saved.name!r} was deleted meanwhile")
        return saved


def _encoded(saved: SavedSearch) -> str:
    return json.dumps({"query": saved.query, "saved": saved.saved}, ensure_ascii=False)


def _decoded(name: str, value: str) -> SavedSearch:
    try:
        data = json.loads(value)
        if isinstance(data, dict) and isinstance(data.get("query"), str):
            return SavedSearch(clean_line(name), clean_line(data["query"]), str(data.get("saved", "")))
    except ValueError:
        pass
    return SavedSearch(clean_line(name), clean_line(value))


def count(library: Library, saved: SavedSearch) -> SearchCounts:
    """What ``saved`` finds now: its results and, of those, the unread ones (``is:``
    applies to the whole query, so ``is:unread`` put in front counts exactly those; in
    front, so that a quote the query leaves open cannot take it in).

    Searches are not cheap: the app counts in a worker, and only what the pane shows."""
    try:
        everything = library.search(saved.query, limit=1)
        unread = library.search(f"is:unread {saved.query}", limit=1) if everything.total else everything
    except QueryError as error:
        return SearchCounts(error=error.detail)
    except ReaderError as error:
        return SearchCounts(error=str(error))
    return SearchCounts(everything.total, unread.total, everything.total_is_estimate or unread.total_is_estimate)
