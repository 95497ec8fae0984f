"""Item 2 of issue 15: ``reader recover`` refuses while the library is open elsewhere.

Recover renames the damaged database away; an app still open kept writing bookmarks into
the renamed file (3 there, 1 in the new library). Now every open library holds a shared
lock (library_lock.py), recover needs it exclusively and refuses with one line, and the
app says so when its database file is replaced by another program.
"""

from __future__ import annotations

import os
from pathlib import Path

from reader.library import Library
from reader.paths import database_path

from .helpers import assert_terminal_safe, reader
from .test_failed_writes import make_library


def _damage(database: Path) -> None:
    data = bytearray(database.read_bytes())
    for offset in range(4096 * 2, len(data), 4096 * 3):  # some pages, not the header
        data[offset : offset + 64] = b"\xff" * 64
    database.write_bytes(bytes(data))


def test_recover_refuses_while_a_library_is_open(data_dir: Path) -> None:
    make_library(data_dir, count=50)
    library = Library.open(data_dir)  # as the app holds it
    try:
        _damage(database_path(data_dir))
        before = sorted(p.name for p in data_dir.iterdir())
        result = reader(data_dir, "recover")
        err = assert_terminal_safe(result.stderr, "stderr")
        assert result.returncode != 0
        assert "is open in another Reader" in err and "close that first" in err, err
        assert sorted(p.name for p in data_dir.iterdir()) == before  # nothing renamed
    finally:
        library.close()
    result = reader(data_dir, "recover")  # closed: now it runs
    err = assert_terminal_safe(result.stderr, "stderr")
    assert "is open in another Reader" not in err
    assert any(p.name.startswith("library.sqlite3.damaged-") for p in data_dir.iterdir()), err


def test_commands_still_run_beside_each_other(data_dir: Path) -> None:
    make_library(data_dir, count=5)
    with Library.open(data_dir):  # a shared hold does not stop another reader
        result = reader(data_dir, "list")
        assert result.returncode == 0, result.stderr


async def test_the_app_says_when_its_database_is_replaced(data_dir: Path) -> None:
    from reader.config import Config
    from reader.tui import make_app

    make_library(data_dir, count=5)
    app = make_app(data_dir, Config())
    from .helpers import settle, toasts, wait_until

    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        database = database_path(data_dir)
        os.replace(database, database.with_name("moved.sqlite3"))
        make_library(data_dir, count=3)  # another program puts a new file in its place
        await wait_until(pilot, lambda: "replaced or removed" in toasts(app))  # the app polls every two seconds
        assert "replaced or removed by another program" in toasts(app)
