"""Numbered schema migrations of the library database, and the runner that applies them.

Why: stored data outlives versions. A library written by any released Reader must open in
every later one with everything kept, so the schema is never edited in place: the tables
of release 0.1.0 (schema version 1, ``store._SCHEMA``) are a frozen baseline, and every
change after it is one step here.

How to add a step:

1. Write ``reader/migrations/vNNN_<what>.py`` with ``def migrate(db: sqlite3.Connection) ->
   None`` that changes a version ``NNN - 1`` database into version ``NNN``. It runs inside
   the runner's transaction: no ``BEGIN``/``COMMIT`` of its own, no ``executescript``
   (which commits); plain ``db.execute`` only. It must work on a database made by a
   fresh install too (the runner takes new databases through every step, so each step is
   exercised on every start of the test suite).
2. Add it to :data:`MIGRATIONS` with the next number.
3. Test it on the fixture database made by the release before it (``tests/fixtures/db/``),
   and commit a fixture made by the release that ships the step.

What the runner promises (:func:`upgrade`):

- Before an existing database is changed, a consistent copy is taken with SQLite's
  backup API beside it, ``library.sqlite3.backup-v<old>``; it is kept until the next
  successful open at the current version (:func:`remove_backups`), so a failed upgrade
  or a regretted one can be undone by hand.
- All steps run in one ``BEGIN IMMEDIATE`` transaction with the new ``schema_version``:
  a crash or an error leaves the database exactly as it was.
- A database from a newer Reader is refused (by the store), never downgraded.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reader.migrations import (
    v002_markdown_bodies,
    v003_feeds,
    v004_highlights,
    v005_highlight_original,
    v006_article_author,
    v007_trash,
    v008_user_tags,
)

BASELINE_VERSION = 1
"""The schema of release 0.1.0, created by ``store._SCHEMA``; steps start from here."""


@dataclass(frozen=True)
class Migration:
    """One step: ``apply`` turns a database of ``version - 1`` into one of ``version``."""

    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "bodies in the Markdown subset of reader.body", v002_markdown_bodies.migrate),
    Migration(3, "feed subscriptions and the feed of each article", v003_feeds.migrate),
    Migration(4, "highlights and notes", v004_highlights.migrate),
    Migration(5, "the words a highlight was first made on", v005_highlight_original.migrate),
    Migration(6, "the author of each article", v006_article_author.migrate),
    Migration(7, "the trash and the ids of deleted articles", v007_trash.migrate),
    Migration(8, "tags a person adds to or removes from an article", v008_user_tags.migrate),
)
"""Every step after the baseline, in order; the last one's version is the current schema."""



def current_version(migrations: tuple[Migration, ...] | None = None) -> int:
    """The schema version this Reader writes: the last step's, or the baseline."""
    steps = MIGRATIONS if migrations is None else migrations
    return steps[-1].version if steps else BASELINE_VERSION


class MigrationError(Exception):
    """A step failed; the database was rolled back and the backup is kept. Carries the step."""

    def __init__(self, migration: Migration, cause: BaseException) -> None:
        super().__init__(f"schema migration {migration.version} ({migration.name}) failed: {cause}")
        self.migration = migration
        self.cause = cause


def _check_registry(migrations: tuple[Migration, ...]) -> None:
    expected = BASELINE_VERSION + 1
    for step in migrations:
        if step.version != expected:
            raise RuntimeError(f"migration {step.name!r} is numbered {step.version}, expected {expected}")
        expected += 1


def pending(found: int, migrations: tuple[Migration, ...] | None = None) -> tuple[Migration, ...]:
    """The steps a database at schema ``found`` still needs."""
    steps = MIGRATIONS if migrations is None else migrations
    return tuple(step for step in steps if step.version > found)


def backup_path(database: Path, version: int) -> Path:
    """Where the copy taken before upgrading a version-``version`` database lives."""
    return database.with_name(f"{database.name}.backup-v{version}")


def take_backup(db: sqlite3.Connection, database: Path, version: int) -> Path:
    """Copy the open database consistently (SQLite backup API) and fsync the copy.

    Written under a temporary name and renamed, so a crash never leaves a half copy that
    looks like a backup.
    """
    target = backup_path(database, version)
    partial = target.with_name(target.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    copy = sqlite3.connect(partial)
    try:
        db.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    finally:
        copy.close()
    with open(partial, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return target


def upgrade(
    db: sqlite3.Connection,
    database: Path,
    found: int,
    *,
    migrations: tuple[Migration, ...] | None = None,
    backup: bool = True,
) -> int:
    """Bring ``db`` (autocommit connection, schema ``found``) to the newest version.

    Returns the version it is at afterwards. ``backup=False`` is for a database created
    a moment ago, which holds nothing to lose.
    """
    migrations = MIGRATIONS if migrations is None else migrations
    _check_registry(migrations)
    steps = pending(found, migrations)
    if not steps:
        return found
    if backup:
        take_backup(db, database, found)
    db.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have upgraded while this one waited for the write lock.
        steps = pending(_stored_version(db, found), migrations)
        for step in steps:
            try:
                step.apply(db)
            except Exception as exc:
                raise MigrationError(step, exc) from exc
        if steps:
            db.execute(
                "INSERT INTO meta VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(steps[-1].version),),
            )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return steps[-1].version if steps else _stored_version(db, found)


def _stored_version(db: sqlite3.Connection, default: int) -> int:
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else default


def remove_backups(database: Path) -> list[Path]:
    """Delete the copies taken before earlier upgrades; called after an open that needed none."""
    removed = []
    for path in database.parent.glob(f"{database.name}.backup-v*"):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed
