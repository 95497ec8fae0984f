"""The feeds schema step (3) on the databases of earlier releases: nothing the user had changes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from reader.feeds_store import FeedStore
from reader.migrations import v003_feeds
from reader.store import Store

FIXTURES = sorted((Path(__file__).parent.parent / "fixtures" / "db").glob("*.sqlite3"))


def _dump(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as db:
        # Not the bodies: step 2 rewrites them (its own test checks how).
        return {
            "articles": sorted(db.execute("SELECT id, title, url, published, source, tags, imported_at FROM articles")),
            "related": sorted(db.execute("SELECT * FROM related")),
            "state": sorted(db.execute("SELECT * FROM state")),
        }


def test_the_fixtures_are_there() -> None:
    assert FIXTURES, "tests/fixtures/db/ holds the databases of earlier releases"


@pytest.mark.parametrize("source", FIXTURES, ids=lambda p: p.name)
def test_migration_keeps_old_data_and_adds_feeds(source: Path, tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    shutil.copy(source, path)
    before = _dump(path)
    with sqlite3.connect(path) as db:
        assert not db.execute("SELECT name FROM sqlite_master WHERE name = 'feeds'").fetchall()
    store = Store.open(path)
    feeds = FeedStore(store)
    feed, new = feeds.add("https://example.org/feed.xml", "Example", ("news",))
    assert new and feeds.find("example").id == feed.id
    store.close()
    assert _dump(path) == before
    with sqlite3.connect(path) as db:
        v003_feeds.migrate(db)  # a second run changes nothing
        assert db.execute("SELECT url, title, tags FROM feeds").fetchall() == [
            ("https://example.org/feed.xml", "Example", '["news"]')
        ]
