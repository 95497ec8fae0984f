"""SQLite's errors, mapped once into Reader's (:mod:`reader.errors`).

The store wraps every use of its connection in :func:`wrap`; nothing else looks at
``sqlite3`` exception texts. The primary result code (``sqlite_errorcode``, Python 3.11)
decides the class; the message is kept as ``detail`` for logs.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.errors import (
    DiskFull,
    LibraryBusy,
    LibraryDamaged,
    LibraryReadOnly,
    LibraryUnopenable,
    StorageError,
)

# Primary result codes (https://sqlite.org/rescode.html).
_BUSY, _LOCKED, _READONLY, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 11, 13, 14, 26

_BY_CODE: dict[int, type[StorageError]] = {
    _BUSY: LibraryBusy,
    _LOCKED: LibraryBusy,
    _READONLY: LibraryReadOnly,
    _CORRUPT: LibraryDamaged,
    _NOTADB: LibraryDamaged,
    _FULL: DiskFull,
    _CANTOPEN: LibraryUnopenable,
}


def translate(error: sqlite3.Error, path: Path) -> StorageError:
    """The Reader error for an SQLite error on the database at ``path``."""
    code = getattr(error, "sqlite_errorcode", None)
    kind = _BY_CODE.get(code & 0xFF) if isinstance(code, int) else None
    if kind is None:
        kind = _by_message(str(error))
    if kind is StorageError and disk_full(path, error):  # an -shm or journal that cannot grow
        kind = DiskFull
    return kind(path, str(error))


def disk_full(path: Path, error: sqlite3.Error | OSError | None = None) -> bool:
    """Whether ``error`` (an I/O or "full" error, or any when None) on ``path`` comes from a full disk.

    SQLite reports a full disk as SQLITE_FULL only sometimes: a ``-shm`` or journal that
    cannot grow is SQLITE_IOERR. So an I/O error counts as a full disk when the file
    system holding ``path`` has (almost) no space left.
    """
    if isinstance(error, OSError):
        if error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return True
    elif error is not None:
        code = getattr(error, "sqlite_errorcode", None)
        if not isinstance(code, int) or (code & 0xFF) not in (10, 13):  # SQLITE_IOERR, SQLITE_FULL
            return False
    try:
        return shutil.disk_usage(path.parent if path.parent.exists() else path).free < 1024 * 1024
    except OSError:
        return False


def _by_message(message: str) -> type[StorageError]:
    """Errors raised by the sqlite3 module itself carry no result code."""
    if "not a database" in message or "malformed" in message:
        return LibraryDamaged
    if "readonly" in message or "read-only" in message:
        return LibraryReadOnly
    if "locked" in message or "busy" in message:
        return LibraryBusy
    if "unable to open" in message:
        return LibraryUnopenable
    return StorageError


@contextmanager
def wrap(path: Path) -> Iterator[None]:
    """Raise SQLite errors met inside the block as Reader errors about ``path``."""
    try:
        yield
    except sqlite3.DatabaseError as error:
        raise translate(error, path) from error
