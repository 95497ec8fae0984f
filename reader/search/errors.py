"""Whoosh's failures, mapped once into Reader's (:mod:`reader.errors`).

Whoosh raises ``LockError`` for a held lock and a variety of exceptions (``OSError``,
``EOFError``, ``struct.error``, ``KeyError`` ...) for a damaged or half-written file; the
index calls :func:`index_error` wherever a read or write of its files fails.
"""

from __future__ import annotations

from pathlib import Path

from whoosh.index import LockError

from reader.errors import IndexBusy, IndexDamaged, IndexUnwritable, SearchError


def index_error(error: BaseException, root: Path, *, writing: bool = False, lock_timeout: float = 0.0) -> SearchError:
    """The Reader error for a failure of Whoosh reading (or, with ``writing``, opening a
    writer on) the index in ``root``."""
    detail = f"{type(error).__name__}: {error}"
    if isinstance(error, LockError):
        return IndexBusy(lock_timeout, index_dir=root)
    if writing and isinstance(error, OSError):
        return IndexUnwritable(error.strerror or str(error), index_dir=root)
    return IndexDamaged(detail, index_dir=root)
