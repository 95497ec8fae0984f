"""Bookmark, read-state, scroll-position and preference writes, off the UI thread, last wish wins.

A key press changes what the screen shows at once and hands the write to one writer
thread, so the UI never waits on SQLite (which may wait on another process's lock).
Writes are keyed by (article, what): when several changes to one key are pending, only
the newest is written.

A change stays pending until it is on disk. A write that fails (the database is busy
in another process, the disk is full) is retried every :data:`RETRY_SECONDS`, and the
app is told which changes are not saved yet (``on_status``) so that it can say so on
screen; when they are written it is told again. So the screen never keeps showing a
state the disk does not hold without saying so, and a second ``b`` on a bookmark that
failed to save replaces the pending wish instead of removing something never written.

Nothing here blocks the UI thread: the writer thread holds no lock while it reports,
and it reports by a callback that must not wait for the UI (the app posts a message).
:meth:`StateWriter.wait` lets quitting wait for the pending changes with a deadline;
the thread is a daemon, so a write stuck in SQLite never keeps the process alive.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from reader.errors import ArticleNotFound, ReaderError
from reader.library import Library
from reader.model import ArticleFlag
from reader.tui.wording import error_sentence


class Setting(StrEnum):
    """What a change saves besides a flag."""

    POSITION = "position"  # the reading position in an article
    PREFERENCE = "preference"  # an app preference (the key is in ``article_id``)


What = ArticleFlag | Setting  # what a change saves
BOOKMARKED, READ = ArticleFlag.BOOKMARKED, ArticleFlag.READ
POSITION, PREFERENCE = Setting.POSITION, Setting.PREFERENCE

RETRY_SECONDS = 1.0  # between attempts after a failed write
WRITE_WAIT_SECONDS = 0.5  # one attempt waits this long for another process's lock


@dataclass(frozen=True)
class Unsaved:
    """A change not on disk yet: what, on which article, and why the last attempt failed."""

    article_id: str
    what: What
    value: bool | float | str
    label: str
    reason: str

    def describe(self) -> str:
        """A short phrase for a person: "bookmark on “Title”", "read mark removed on “Title”"."""
        name = f"“{self.label}”" if self.label else self.article_id[:12]
        if self.what == BOOKMARKED:
            return f"bookmark on {name}" if self.value else f"bookmark removed from {name}"
        if self.what == READ:
            return f"read mark on {name}" if self.value else f"unread mark on {name}"
        if self.what == POSITION:
            return f"reading position in {name}"
        return f"setting {self.article_id}"


Status = Callable[[list[Unsaved], list[Unsaved]], None]
"""``on_status(unsaved, saved_now)``: the changes still not on disk after a failure, and
those that failed before and are written now. Called in the writer thread; must not wait
for the UI thread."""


class StateWriter:
    """Queues per-article state changes and writes them in one thread, retrying failures."""

    def __init__(self, library: Library, on_status: Status, label: Callable[[str], str] | None = None) -> None:
        self._library = library
        self._on_status = on_status
        self._label = label or (lambda _id: "")
        self._pending: dict[tuple[str, What], bool | float | str] = {}
        self._labels: dict[tuple[str, What], str] = {}
        self._failed: dict[tuple[str, What], str] = {}  # key -> reason of the last failed attempt
        self._changed = threading.Condition()
        self._stopped = False
        self._thread: threading.Thread | None = None

    def set(self, article_id: str, what: What, value: bool | float | str, label: str = "") -> None:
        """Record a change and wake the writer (for PREFERENCE, ``article_id`` is the key)."""
        key = (article_id, what)
        with self._changed:
            if self._stopped:
                return
            self._pending[key] = value
            if label:
                self._labels[key] = label
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="reader-state-writer", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def pending(self, key: tuple[str, What]) -> bool | float | str | None:
        """The value waiting to be written for ``key`` (None when nothing waits)."""
        with self._changed:
            return self._pending.get(key)

    def unsaved(self) -> list[Unsaved]:
        """Every change not on disk yet, oldest first."""
        with self._changed:
            return [self._unsaved(key) for key in self._pending]

    def _unsaved(self, key: tuple[str, What]) -> Unsaved:
        return Unsaved(key[0], key[1], self._pending[key], self._labels.get(key, ""), self._failed.get(key, ""))

    def wait(self, timeout: float | None = None) -> list[Unsaved]:
        """Wait until everything pending is written or ``timeout`` passed; return what is not."""
        with self._changed:
            self._changed.wait_for(lambda: not self._pending or self._stopped, timeout)
            return [self._unsaved(key) for key in self._pending]

    def stop(self) -> list[Unsaved]:
        """Stop writing; return what was not saved. A write under way may still land."""
        with self._changed:
            self._stopped = True
            self._changed.notify_all()
            return [self._unsaved(key) for key in self._pending]

    # -- the writer thread -------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._pending) or self._stopped)
                if self._stopped:
                    return
                batch = dict(self._pending)
            saved_now: list[Unsaved] = []
            for key, value in batch.items():
                error = self._write(key, value)
                with self._changed:
                    if error is None or isinstance(error, ArticleNotFound):
                        # Written (or the article is gone: nothing left to save it on).
                        if self._pending.get(key) == value and key in self._pending:
                            if key in self._failed:
                                saved_now.append(self._unsaved(key))
                            del self._pending[key]
                            self._failed.pop(key, None)
                            self._labels.pop(key, None)
                        self._changed.notify_all()
                    else:
                        if key not in self._labels:
                            self._labels[key] = self._safe_label(key[0]) if key[1] != PREFERENCE else ""
                        self._failed[key] = error_sentence(error)
            with self._changed:
                failing = [self._unsaved(key) for key in self._pending if key in self._failed]
            if failing or saved_now:
                self._on_status(failing, saved_now)
            if failing:
                with self._changed:
                    # Retry after a pause; a new change or stop() wakes the thread earlier.
                    self._changed.wait(RETRY_SECONDS)

    def _safe_label(self, article_id: str) -> str:
        try:
            return self._label(article_id)
        except ReaderError:
            return ""

    def _write(self, key: tuple[str, What], value: bool | float | str) -> ReaderError | None:
        article_id, what = key
        try:
            with self._library.waiting_at_most(WRITE_WAIT_SECONDS):
                if what == BOOKMARKED:
                    self._library.set_bookmarked(article_id, bool(value))
                elif what == READ:
                    self._library.set_read(article_id, bool(value))
                elif what == PREFERENCE:
                    self._library.set_preference(article_id, str(value))
                else:
                    self._library.set_position(article_id, float(value))
        except ReaderError as exc:
            return exc
        except Exception as exc:  # sqlite3.ProgrammingError on a closed database at exit
            return ReaderError(f"{type(exc).__name__}: {exc}")
        return None
