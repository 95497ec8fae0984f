"""Item 7 of issue 15: a full disk is named as a full disk, and reading keeps working.

On a full disk SQLite cannot grow the ``-shm`` file and every statement failed with
"disk I/O error", which reads as damage: not even ``reader export`` worked. The library
now opens for reading (WAL index in memory), and every write says the disk is full,
naming the file and what was and was not saved.

The full disk is a small tmpfs: the test needs to mount one (root) and is skipped otherwise.
"""

from __future__ import annotations

import errno
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from reader.errors import DiskFull, IndexUnwritable
from reader.library import Library

from .helpers import assert_terminal_safe, reader, reader_env
from .test_failed_writes import make_library


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _fill(mount: Path) -> None:
    with open(mount / "filler", "wb") as file:
        try:
            while True:
                file.write(b"\0" * 65536)
                file.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def test_reading_works_and_writes_say_the_disk_is_full(full_disk: Path, tmp_path: Path) -> None:
    data = full_disk / "data"
    make_library(data, count=200)
    _fill(full_disk)
    env = reader_env(data)

    listed = reader(data, "list", "--limit", "3", env=env)
    assert listed.returncode == 0, listed.stderr
    exported = reader(data, "export", env=env)
    assert exported.returncode == 0, exported.stderr
    (tmp_path / "backup.json").write_bytes(exported.stdout)  # to another disk
    assert len(json.loads(exported.stdout)) == 200
    found = reader(data, "search", "words", "--limit", "1", env=env)
    assert found.returncode == 0, found.stderr

    note = tmp_path / "note.md"
    note.write_text("# A note\n\nSome words of a note.\n", encoding="utf-8")
    for args in (["import", str(note)], ["bookmark", f"{5:032x}"]):
        result = reader(data, *args, env=env)
        err = assert_terminal_safe(result.stderr, "stderr")
        assert result.returncode == 1
        assert f"cannot write the library database {data / 'library.sqlite3'}: the disk is full" in err, err
        assert "disk I/O error" not in err and "damaged" not in err


def test_a_full_disk_while_indexing_says_what_was_saved(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    note = tmp_path / "note.md"
    note.write_text("# A note\n\nSome words of a note.\n", encoding="utf-8")

    def no_space(self: Library, progress: object = None) -> None:
        raise IndexUnwritable("No space left on device", index_dir=self.index_dir)

    monkeypatch.setattr(Library, "_index_stored", no_space)
    with Library.open(data_dir) as library:
        with pytest.raises(IndexUnwritable) as raised:
            library.import_paths([note])
        assert library.count() == 1  # stored
    assert raised.value.saved.startswith("1 new and 0 updated articles were saved in the library")
    assert "not searchable until the index is written (reader reindex)" in raised.value.saved


def test_a_full_disk_during_the_store_says_how_many_were_saved(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reader import library as library_module
    from reader.store import Store

    monkeypatch.setattr(library_module, "_BATCH", 2)
    calls = {"n": 0}
    real = Store.upsert

    def fills_up(self: Store, articles, **options):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] > 1:
            raise DiskFull(self.path, "database or disk is full")
        return real(self, articles, **options)

    monkeypatch.setattr(Store, "upsert", fills_up)
    folder = tmp_path / "notes"
    folder.mkdir()
    for i in range(5):
        (folder / f"n{i}.md").write_text(f"# Note {i}\n\nWords of note {i}.\n", encoding="utf-8")
    with Library.open(data_dir) as library:
        with pytest.raises(DiskFull) as raised:
            library.import_paths([folder])
    assert raised.value.saved == "2 new and 0 updated articles of this import were saved before the disk filled; the rest were not"
