"""SQLite's errors become Reader's typed errors, in one place (reader/sqlite_errors.py)."""

from __future__ import annotations

import sqlite3

import pytest

from reader.errors import DiskFull, LibraryBusy, LibraryDamaged, LibraryReadOnly, StorageError
from reader.sqlite_errors import translate, wrap


def _raised(action) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as caught:
        action()
    return caught.value


def test_a_locked_database_is_busy(tmp_path):
    path = tmp_path / "x.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    waiter = sqlite3.connect(path, timeout=0, isolation_level=None)
    error = translate(_raised(lambda: waiter.execute("SELECT * FROM t").fetchall()), path)
    assert type(error) is LibraryBusy and error.path == path
    holder.close()
    waiter.close()


def test_garbage_is_damaged(tmp_path):
    path = tmp_path / "x.sqlite3"
    path.write_bytes(b"not a database at all" * 200)
    db = sqlite3.connect(path)
    error = translate(_raised(lambda: db.execute("SELECT * FROM sqlite_master").fetchall()), path)
    assert type(error) is LibraryDamaged and error.detail
    db.close()


def test_a_write_to_a_read_only_connection_is_read_only(tmp_path):
    path = tmp_path / "x.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    error = translate(_raised(lambda: db.execute("INSERT INTO t VALUES (1)")), path)
    assert type(error) is LibraryReadOnly
    db.close()


def test_a_full_database_is_disk_full(tmp_path):
    path = tmp_path / "x.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.execute("PRAGMA max_page_count = 2")  # the file cannot grow: SQLITE_FULL
    error = translate(_raised(lambda: db.execute("INSERT INTO t VALUES (randomblob(100000))")), path)
    assert type(error) is DiskFull
    db.close()


def test_wrap_raises_the_typed_error_with_the_original_as_its_cause(tmp_path):
    path = tmp_path / "x.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    db = sqlite3.connect(path)
    with pytest.raises(StorageError) as caught, wrap(path):
        db.execute("SELECT 1 FROM sqlite_master").fetchall()
    assert isinstance(caught.value, LibraryDamaged)
    assert isinstance(caught.value.__cause__, sqlite3.DatabaseError)
    db.close()
