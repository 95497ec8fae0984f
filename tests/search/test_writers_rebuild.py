"""Rebuilds and catch-ups are tasks, never part of a search, and they stop when asked.

Threads are ordered with events, never with sleeps: the indexing thread's progress
callback tells the test it has started and waits for the test's go-ahead.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

import reader.search.index as index_module
from reader.errors import IndexDamaged, IndexRebuilding
from reader.library import Library
from reader.model import Article, article_id
from reader.search.writers import IndexingCancelled

N = 1200


def _articles(n: int = N) -> list[Article]:
    return [
        Article(id=article_id(url=f"https://example.org/r/{i}"), title=f"Story {i}",
                body=f"The harbour council met about lighthouses, number {i}.", language="en",
                url=f"https://example.org/r/{i}")
        for i in range(n)
    ]


class _Paused:
    """A progress callback that stops the indexing thread at its first report until released."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.seen: list[tuple[int, int, str | None]] = []

    def __call__(self, done: int, total: int, stage: str | None = None) -> None:
        self.seen.append((done, total, stage))
        if done and not self.started.is_set():
            self.started.set()
            assert self.release.wait(60)


def _in_thread(job) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            job()
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


@pytest.fixture
def stored(data_dir: Path, monkeypatch) -> Path:
    """A library whose store holds N articles and whose index is missing (to be rebuilt)."""
    monkeypatch.setattr(index_module, "MULTIPROCESS_FROM", 100)  # the parallel writer, in the app's way
    with Library.open(data_dir) as library:
        library.add_articles(_articles())
    shutil.rmtree(data_dir / "index")
    return data_dir


@pytest.mark.parametrize("writer", ["parallel", "single"])
def test_a_search_during_a_rebuild_says_so_at_once_instead_of_waiting(stored: Path, writer: str, monkeypatch) -> None:
    if writer == "single":
        monkeypatch.setattr(index_module, "MULTIPROCESS_FROM", 10**9)
    library = Library.open(stored)
    paused = _Paused()
    thread, errors = _in_thread(lambda: library.sync_index(paused))
    assert paused.started.wait(60)
    with pytest.raises(IndexRebuilding) as raised:
        library.search("lighthouses")
    assert (raised.value.done, raised.value.total) == (100, N)
    assert library.rebuild_progress() is not None
    paused.release.set()
    thread.join()
    assert errors == []
    assert library.rebuild_progress() is None
    assert library.search("lighthouses", limit=2000).total == N
    library.close()


@pytest.mark.parametrize("writer", ["parallel", "single"])
def test_closing_stops_indexing_and_the_next_open_catches_up(stored: Path, writer: str, monkeypatch) -> None:
    if writer == "single":
        monkeypatch.setattr(index_module, "MULTIPROCESS_FROM", 10**9)
    library = Library.open(stored)
    paused = _Paused()
    thread, errors = _in_thread(lambda: library.sync_index(paused))
    assert paused.started.wait(60)
    library.stop_indexing()  # what quitting the app does (close() does it first too)
    paused.release.set()
    thread.join()
    library.close()
    assert len(errors) == 1 and isinstance(errors[0], IndexingCancelled)
    assert max(done for done, _, stage in paused.seen if stage != index_module.WRITING) < N  # it stopped early
    with Library.open(stored) as reopened:
        assert reopened.sync_index() is not None  # rebuilt now, as the next start does
        assert reopened.search("lighthouses", limit=2000).total == N


def test_a_search_that_finds_damage_raises_and_never_rebuilds(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        library.add_articles(_articles(50))
        assert library.search("lighthouses", limit=100).total == 50
    with Library.open(data_dir) as library:  # the next start: its index check first, as the app does
        assert not library.sync_index().rebuilt
        current = data_dir / "index" / "current"
        for postings in current.glob("*.pst"):
            size = postings.stat().st_size
            postings.write_bytes(b"\x00" * size)  # garbled in place, same size
        with pytest.raises(IndexDamaged):
            library.search("harbour council lighthouses", limit=100)
        assert library.rebuild_progress() is None  # nothing was started by the search
        assert library.sync_index(lambda *_: None) is not None  # the task that repairs it
        assert library.search("lighthouses", limit=100).total == 50
