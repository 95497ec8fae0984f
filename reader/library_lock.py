"""An advisory lock file beside the library database: who has the library open.

Every Reader process that opens a library (the app, each command) holds a *shared*
``flock`` on ``library.lock`` (beside the database) until it closes it; ``reader recover`` needs the
*exclusive* lock, because it renames the database away: an app still open would go on
writing bookmarks into the renamed damaged file. Neither waits: recover refuses with
:class:`~reader.errors.LibraryInUse` while anything holds the library open, and a
Reader started during a recovery is told so. The lock dies with its process (SIGKILL
included), so a crash never leaves the library locked. Without ``fcntl`` (Windows), or
in a folder Reader cannot write, there is no lock and recover relies on SQLite alone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from reader.errors import LibraryInUse

if sys.platform != "win32":
    import fcntl


def lock_path(database: Path) -> Path:
    return database.with_name("library.lock")


class LibraryLock:
    """A shared or exclusive hold on the library; :meth:`release` (or process exit) ends it."""

    def __init__(self, database: Path, *, exclusive: bool) -> None:
        self._fd: int | None = None
        if sys.platform == "win32":
            return
        try:
            self._fd = os.open(lock_path(database), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return  # a read-only folder: nothing here can be renamed by recover either
        try:
            fcntl.flock(self._fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except OSError:
            os.close(self._fd)
            self._fd = None
            raise LibraryInUse(database, "recovering" if not exclusive else "open elsewhere") from None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None
