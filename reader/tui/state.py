"""Bookmark, read-state, scroll-position and preference writes, off the UI thread, last wish wins.

A key press changes what the screen shows at once and hands the write to a thread
worker, so the UI never waits on SQLite (which may wait on another process's import).
Writes are keyed by (article, what): when several changes to one key are pending, only
the newest is written, so the order in which worker threads run cannot matter.
:meth:`StateWriter.flush` writes whatever is still pending; the app calls it before it
closes the library, so a change is on disk once its key was handled and the app exits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from reader.errors import ReaderError
from reader.tui.wording import error_sentence
from reader.library import Library

BOOKMARKED, READ, POSITION, PREFERENCE = "bookmarked", "read", "position", "preference"


class StateWriter:
    """Queues per-article state changes and writes them in worker threads."""

    def __init__(self, library: Library, start_worker: Callable[[Callable[[], None]], None], on_error: Callable[[str], None]) -> None:
        self._library = library
        self._start_worker = start_worker
        self._on_error = on_error
        self._pending: dict[tuple[str, str], object] = {}
        self._pending_lock = threading.Lock()
        self._write_lock = threading.Lock()

    def set(self, article_id: str, what: str, value: bool | float | str) -> None:
        """Record a change and schedule its write (for PREFERENCE, ``article_id`` is the key)."""
        key = (article_id, what)
        with self._pending_lock:
            self._pending[key] = value
        self._start_worker(lambda: self._write(key))

    def flush(self) -> None:
        """Write everything pending now, in this thread."""
        with self._pending_lock:
            keys = list(self._pending)
        for key in keys:
            self._write(key)

    def _write(self, key: tuple[str, str]) -> None:
        with self._write_lock:
            with self._pending_lock:
                if key not in self._pending:
                    return  # a newer worker (or flush) already wrote the newest value
                value = self._pending.pop(key)
            article_id, what = key
            try:
                if what == BOOKMARKED:
                    self._library.set_bookmarked(article_id, bool(value))
                elif what == READ:
                    self._library.set_read(article_id, bool(value))
                elif what == PREFERENCE:
                    self._library.set_preference(article_id, str(value))
                else:
                    self._library.set_position(article_id, float(value))
            except ReaderError as exc:
                self._on_error(f"Could not save the {what} state: {error_sentence(exc)}")
