"""Schema migrations: a library of every release opens in this one with everything kept.

``tests/fixtures/db/library-0.1.0.sqlite3`` was made by release 0.1.0 (schema 1): the
bundled samples imported, three bookmarks, five read marks (one of them bookmarked too),
two reading positions and a theme preference. Each later release adds its own fixture.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from reader import migrations
from reader.errors import MigrationFailed, NewerSchema
from reader.library import Library
from reader.migrations import Migration
from reader.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "db"
V010 = FIXTURES / "library-0.1.0.sqlite3"

BOOKMARKED_010 = {"f4081d74871c96f3", "143deef641f897ea", "18d53a9f13e37302"}
READ_010 = {"18d53a9f13e37302", "5f57ba9bfa40f247", "a4106aa9d09f6e5e", "3be71e44bd74a66c", "ed8b3a7e18eded64"}
POSITIONS_010 = {"5f57ba9bfa40f247": 0.42, "2c36a06cb6b2aa54": 0.8}


def _copy_fixture(fixture: Path, data_dir: Path) -> Path:
    target = data_dir / "library.sqlite3"
    shutil.copyfile(fixture, target)
    return target


def _dump(database: Path) -> list[str]:
    with sqlite3.connect(database) as db:
        return list(db.iterdump())


def _schema_version(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return int(db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])


def _add_column_step(version: int) -> Migration:
    def apply(db: sqlite3.Connection) -> None:
        db.execute(f"ALTER TABLE state ADD COLUMN note_v{version} TEXT NOT NULL DEFAULT ''")

    return Migration(version, f"a note column ({version})", apply)


def test_010_library_opens_with_everything_kept(data_dir: Path) -> None:
    _copy_fixture(V010, data_dir)
    library = Library.open(data_dir)
    try:
        ids = {row.id for row in library.list_articles()}
        assert len(ids) == 47
        assert {a.id for a in library.bookmarks()} == BOOKMARKED_010
        for article_id in ids:
            article = library.get(article_id)
            assert article.read == (article_id in READ_010)
            assert article.bookmarked == (article_id in BOOKMARKED_010)
            assert library.position(article_id) == POSITIONS_010.get(article_id, 0.0)
        assert library.preference("theme") == "nord"
        assert library.search("Lindholm").total > 0
    finally:
        library.close()
    assert _schema_version(data_dir / "library.sqlite3") == migrations.current_version()


def test_upgrade_backs_up_then_next_open_removes_the_backup(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = _copy_fixture(V010, data_dir)
    original = _dump(database)
    monkeypatch.setattr(migrations, "MIGRATIONS", (_add_column_step(2), _add_column_step(3)))

    Store.open(database).close()
    backup = migrations.backup_path(database, 1)
    assert _dump(backup) == original  # the copy holds the 0.1.0 library as it was
    assert _schema_version(database) == 3
    with sqlite3.connect(database) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(state)")}
        assert {"note_v2", "note_v3"} <= columns
        assert db.execute("SELECT count(*) FROM state WHERE bookmarked = 1").fetchone()[0] == 3

    Store.open(database).close()  # the next successful open needs no step: the copy goes
    assert not backup.exists()
    assert not list(data_dir.glob("*.partial"))


def test_failed_step_changes_nothing_and_keeps_the_backup(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    database = _copy_fixture(V010, data_dir)

    def broken(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE state ADD COLUMN half_done TEXT")
        raise ValueError("a bug in the step")

    monkeypatch.setattr(migrations, "MIGRATIONS", (_add_column_step(2), Migration(3, "broken", broken)))
    with pytest.raises(MigrationFailed) as failed:
        Store.open(database)
    assert (failed.value.version, failed.value.name) == (3, "broken")
    assert failed.value.backup == migrations.backup_path(database, 1)
    assert _schema_version(database) == 1
    with sqlite3.connect(database) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(state)")}
    assert "note_v2" not in columns and "half_done" not in columns
    assert migrations.backup_path(database, 1).exists()


def test_new_database_runs_every_step_without_a_backup(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrations, "MIGRATIONS", (_add_column_step(2),))
    database = data_dir / "library.sqlite3"
    Store.open(database).close()
    assert _schema_version(database) == 2
    assert not list(data_dir.glob("*.backup-v*"))


def test_newer_schema_is_refused_and_untouched(data_dir: Path) -> None:
    database = _copy_fixture(V010, data_dir)
    with sqlite3.connect(database) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(migrations.current_version() + 1),))
    before = _dump(database)
    with pytest.raises(NewerSchema):
        Store.open(database)
    assert _dump(database) == before


def test_steps_must_be_numbered_in_order(data_dir: Path) -> None:
    database = _copy_fixture(V010, data_dir)
    db = sqlite3.connect(database, isolation_level=None)
    try:
        with pytest.raises(RuntimeError, match="expected 2"):
            migrations.upgrade(db, database, 1, migrations=(_add_column_step(3),))
    finally:
        db.close()


def test_registered_steps_are_numbered_from_the_baseline() -> None:
    for offset, step in enumerate(migrations.MIGRATIONS):
        assert step.version == migrations.BASELINE_VERSION + 1 + offset
