"""Schema 7 (reader/migrations/v007_trash.py): the trash and the deleted ids, on the 0.1.0
fixture library: nothing else changes, and every article of it goes into the trash and
comes back with exactly the rows it had."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from reader import migrations
from reader.library import Library
from reader.migrations import v007_trash

FIXTURE = Path(__file__).parent / "fixtures" / "db" / "library-0.1.0.sqlite3"
ARTICLE_COLUMNS = "id, title, summary, body, language, source, url, canonical_url, published, tags, imported_at, author"


def _rows(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return sorted(db.execute(sql).fetchall())


def _copy(data_dir: Path) -> Path:
    database = data_dir / "library.sqlite3"
    shutil.copyfile(FIXTURE, database)
    return database


def test_the_step_adds_an_empty_trash_and_keeps_everything(data_dir: Path) -> None:
    database = _copy(data_dir)
    state = _rows(database, "SELECT * FROM state")
    assert len(state) >= 8  # three bookmarks, five read marks, two positions
    with Library.open(data_dir) as library:
        assert library.trash() == []
        assert library.count() == 47
    assert _rows(database, "SELECT value FROM meta WHERE key = 'schema_version'") == [(str(migrations.current_version()),)]
    assert _rows(database, "SELECT * FROM trash") == [] and _rows(database, "SELECT * FROM deleted") == []
    assert _rows(database, "SELECT * FROM state") == state


def test_the_step_runs_twice_without_harm(data_dir: Path) -> None:
    database = _copy(data_dir)
    with Library.open(data_dir):
        pass
    with sqlite3.connect(database) as db:
        v007_trash.migrate(db)  # a development build's library that has the tables already
    assert _rows(database, "SELECT name FROM sqlite_master WHERE name IN ('trash', 'deleted')") == [("deleted",), ("trash",)]


def test_every_fixture_article_goes_into_the_trash_and_comes_back_as_it_was(data_dir: Path) -> None:
    database = _copy(data_dir)
    with Library.open(data_dir):
        pass
    articles = _rows(database, f"SELECT {ARTICLE_COLUMNS} FROM articles")
    state = _rows(database, "SELECT * FROM state")
    related = _rows(database, "SELECT * FROM related")
    with Library.open(data_dir) as library:
        ids = [row[0] for row in articles]
        assert sorted(library.delete(ids)) == sorted(ids)
        assert library.count() == 0 and library.bookmarks() == []
        assert len(library.trash()) == 47
        assert _rows(database, "SELECT COUNT(*) FROM state") == [(0,)]
        restored, forgotten = library.restore(ids)
        assert sorted(restored) == sorted(ids) and forgotten == []
        assert library.search("Lindholm").total > 0
    assert _rows(database, f"SELECT {ARTICLE_COLUMNS} FROM articles") == articles
    assert _rows(database, "SELECT * FROM state") == state  # bookmarks, their times, read marks, positions
    assert _rows(database, "SELECT * FROM related") == related
    assert _rows(database, "SELECT * FROM trash") == [] and _rows(database, "SELECT * FROM deleted") == []
