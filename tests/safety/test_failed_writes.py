"""Item 1 of issue 15: a write the screen shows is a write on disk, or the screen says otherwise.

Another process holds ``BEGIN EXCLUSIVE`` on the library (tests/safety/locker.py) while
the person presses ``b``: the screen shows the stars and says which changes are not saved
yet; when the lock goes, every change reaches the disk. ``b`` pressed again on a star
that was never written replaces the pending wish (it does not remove something else).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.library import Library
from reader.model import Article
from reader.paths import database_path

from .helpers import check_ok, reader

LOCKER = Path(__file__).with_name("locker.py")


def make_library(data_dir: Path, count: int = 8) -> None:
    with Library.open(data_dir) as library:
        library.add_articles(
            [Article(id=f"{i:032x}", title=f"Article number {i}", body=f"Body {i} words here.", published=f"2024-01-{i + 1:02d}") for i in range(count)]
        )


def bookmarked_on_disk(data_dir: Path) -> set[str]:
    db = sqlite3.connect(f"{database_path(data_dir).as_uri()}?mode=ro", uri=True)
    try:
        return {row[0] for row in db.execute("SELECT a.title FROM state s JOIN articles a ON a.id = s.article_id WHERE s.bookmarked = 1")}
    finally:
        db.close()


class ForeignLock:
    """``BEGIN EXCLUSIVE`` held by another process until :meth:`release`."""

    def __init__(self, data_dir: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(LOCKER), str(database_path(data_dir))], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("\n")
            self.process.stdin.flush()
            self.process.wait(timeout=30)


@pytest.fixture
def foreign_lock(data_dir: Path) -> Iterator[ForeignLock]:
    make_library(data_dir)
    lock = ForeignLock(data_dir)
    yield lock
    lock.release()


async def test_bookmarks_pressed_during_a_foreign_lock_all_reach_the_disk(data_dir: Path, foreign_lock: ForeignLock) -> None:
    from reader.config import Config
    from reader.tui import make_app

    from .helpers import settle, shown_at, toasts, wait_until

    app = make_app(data_dir, Config())
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await settle(pilot)
        for _ in range(5):
            await pilot.press("b", "j")
        await pilot.press("k", "k", "k", "k", "k", "b", "b")  # the first one again, twice: still a bookmark
        await wait_until(pilot, lambda: len([u for u in app.writer.unsaved() if u.reason]) >= 5)
        unsaved = app.writer.unsaved()
        assert len(unsaved) == 5 and all("busy" in u.reason for u in unsaved), unsaved
        assert shown_at(app, "#status").endswith(" · 5 bookmarked")
        await wait_until(pilot, lambda: "Not saved yet" in toasts(app))
        said = toasts(app)
        assert "Not saved yet" in said and "bookmark on “Article number 7”" in said, said
        assert bookmarked_on_disk(data_dir) == set()  # nothing written yet: and the screen said so

        foreign_lock.release()
        await wait_until(pilot, lambda: not app.writer.unsaved())
        assert not app.writer.unsaved()
        await settle(pilot)
        await wait_until(pilot, lambda: "Saved now" in toasts(app))
        said = toasts(app)
        assert "Saved now" in said, said
    assert bookmarked_on_disk(data_dir) == {f"Article number {i}" for i in (7, 6, 5, 4, 3)}
    listed = check_ok(reader(data_dir, "bookmarks"), "bookmarks")[0]
    assert listed.count("Article number") == 5
