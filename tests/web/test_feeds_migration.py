"""The feeds schema step on a library made before it: nothing of the old data changes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from reader.feeds_store import FeedStore
from reader.migrations import v013_feeds
from reader.model import Article, article_id
from reader.store import Store

FIXTURES = sorted((Path(__file__).parent.parent / "fixtures" / "db").glob("*.sqlite3"))


def _made_by_0_1_0(path: Path) -> Path:
    """A database in the 0.1.0 schema (the Store of this release writes it), with user state."""
    store = Store.open(path)
    articles = [
        Article(id=article_id(url=f"https://example.org/{i}"), title=f"Article {i}", body="Text.", url=f"https://example.org/{i}")
        for i in range(3)
    ]
    store.upsert(articles)
    store.set_flag(articles[0].id, "bookmarked", True)
    store.set_flag(articles[1].id, "read", True)
    store.close()
    return path


def _dump(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as db:
        return {table: sorted(db.execute(f"SELECT * FROM {table}").fetchall()) for table in ("articles", "related", "state")}


@pytest.mark.parametrize("source", ["made", *FIXTURES], ids=lambda p: getattr(p, "name", p))
def test_migration_keeps_old_data_and_adds_feeds(source, tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite3"
    if source == "made":
        _made_by_0_1_0(path)
    else:
        shutil.copy(source, path)
    before = _dump(path)
    with sqlite3.connect(path) as db:
        assert not db.execute("SELECT name FROM sqlite_master WHERE name = 'feeds'").fetchall()
    store = Store.open(path)
    feeds = FeedStore(store)  # runs the step
    feed, new = feeds.add("https://example.org/feed.xml", "Example", ("news",))
    assert new and feeds.find("example").id == feed.id
    store.close()
    assert _dump(path) == before
    with sqlite3.connect(path) as db:
        v013_feeds.migrate(db)  # a second run changes nothing
        assert db.execute("SELECT url, title, tags FROM feeds").fetchall() == [
            ("https://example.org/feed.xml", "Example", '["news"]')
        ]
