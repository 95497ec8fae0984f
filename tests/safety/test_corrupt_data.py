"""Corrupt or foreign data: a clear message, a recovery path, never silent loss (issue 5, area 5).

- A truncated or garbage database: every command says in one line which file is damaged
  and to run ``reader recover``; the file is never changed. ``reader recover`` copies
  every readable row into a new database, keeps the damaged file beside it
  (``library.sqlite3.damaged-<time>``) and rebuilds the index; when nothing can be read
  it leaves the file where it is and says how to start afresh.
- An index from an older schema, with a deleted or truncated file, without ``current/``
  (a crash between the two renames of a rebuild), or ahead of its database (a restored
  backup): the next search rebuilds it from the store, says so on stderr, and answers
  correctly.
- A read-only data directory: listing, showing and searching work; bookmarks and imports
  fail with one line saying the library is read-only. Tested for real with a read-only
  bind mount where the system allows it (root with CAP_SYS_ADMIN; skipped otherwise),
  and always in-process with the writability check patched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader.errors import LibraryReadOnly
from reader.library import Library

from .helpers import WORD, assert_terminal_safe, check_ok, ids_of, make_jsonl, reader, reader_env

ARTICLES = 300


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A library of 300 articles, 5 bookmarked, closed cleanly (no -wal left)."""
    root = tmp_path_factory.mktemp("corrupt")
    urls = make_jsonl(root / "articles.jsonl", ARTICLES)
    data = root / "data"
    check_ok(reader(data, "import", str(root / "articles.jsonl")), "import")
    ids = ids_of(urls)
    check_ok(reader(data, "bookmark", *ids[:3], *ids[-2:]), "bookmark")
    assert not (data / "library.sqlite3-wal").exists() or (data / "library.sqlite3-wal").stat().st_size == 0
    return data, ids


@pytest.fixture
def library(template, data_dir: Path) -> tuple[Path, list[str]]:
    shutil.copytree(template[0], data_dir, dirs_exist_ok=True)
    return data_dir, template[1]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_error_line(result: subprocess.CompletedProcess[bytes], what: str) -> str:
    err = assert_terminal_safe(result.stderr, what)
    assert result.returncode == 1, f"{what}: exit {result.returncode}: {err}"
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"{what}: {lines}"
    return lines[0]


def _search_ids(data: Path) -> tuple[set[str], str]:
    out, err = check_ok(reader(data, "search", WORD, "--format", "json", "--limit", "100000"), "search")
    return {hit["id"] for hit in json.loads(out)["results"]}, err


# -- the database ---------------------------------------------------------------------


def test_salvaged_articles_without_a_readable_sequence_number_are_indexed(tmp_path: Path) -> None:
    """A damaged row can come back without its ``seq`` (salvage read it as 0), or two rows with the same one.

    The index is built and caught up by ``seq`` (every article with seq > the index's), so such an article
    was never indexed: after ``reader recover`` of a truncated database, search missed one recovered article,
    and every later search rebuilt the index, in vain. Salvage numbers them anew, above the others.
    """
    from reader.model import Article
    from reader.salvage import salvage

    source = tmp_path / "old"
    with Library.open(source) as lib:
        lib.add_articles([Article(id=f"{n:016x}", title=f"Salvaged {n}", body=f"Quayword body {n}.", language="en")
                          for n in range(1, 6)])
    db = sqlite3.connect(source / "library.sqlite3", isolation_level=None)
    db.execute("UPDATE articles SET seq = 0 WHERE id = ?", (f"{1:016x}",))  # what an unreadable seq becomes
    db.execute("UPDATE articles SET seq = (SELECT seq FROM articles WHERE id = ?) WHERE id = ?", (f"{2:016x}", f"{3:016x}"))
    db.close()
    target = tmp_path / "new"
    target.mkdir()
    counts = salvage(source / "library.sqlite3", target / "library.sqlite3")
    assert counts["articles"] == 5
    with Library.open(target) as lib:
        lib.reindex()
        assert lib.count() == 5
        assert lib.search("quayword", limit=10).total == 5
    seqs = sqlite3.connect(target / "library.sqlite3").execute("SELECT seq FROM articles").fetchall()
    assert len({seq for (seq,) in seqs}) == 5 and min(seqs)[0] >= 1


def test_a_row_cut_by_a_zeroed_page_comes_back_without_nuls_and_is_named(tmp_path: Path) -> None:
    """A file cut short (or zeroed) mid-row reads with NUL characters where the text was
    lost: the salvaged article kept them (a language of two NULs, a source of seventeen)
    and nobody was told that its body had lost its end."""
    from reader.model import Article
    from reader.salvage import salvage

    source = tmp_path / "old"
    with Library.open(source) as lib:
        lib.add_articles([Article(id=f"{n:016x}", title=f"Kept {n}", body=f"Quayword body {n}.", language="en", source="Gazette")
                          for n in range(1, 4)])
    db = sqlite3.connect(source / "library.sqlite3", isolation_level=None)
    db.execute("UPDATE articles SET body = 'Quayword bo' || char(0, 0, 0), language = char(0, 0), source = char(0, 0, 0) "
               "WHERE id = ?", (f"{2:016x}",))
    db.close()
    target = tmp_path / "new"
    target.mkdir()
    cut: list[str] = []
    counts = salvage(source / "library.sqlite3", target / "library.sqlite3", cut)
    assert counts["articles"] == 3 and counts["cut"] == 1 and cut == [f"{2:016x}"]
    with Library.open(target) as lib:
        article = lib.get(f"{2:016x}")
        assert (article.body, article.language, article.source) == ("Quayword bo", "", "")
        assert lib.get(f"{1:016x}").source == "Gazette"


def _truncate(database: Path) -> None:
    with open(database, "r+b") as file:
        file.truncate(database.stat().st_size * 6 // 10)


def _overwrite_pages(database: Path) -> None:
    size = database.stat().st_size
    with open(database, "r+b") as file:
        start = (size * 4 // 10) // 4096 * 4096  # whole pages in the middle of the file
        file.seek(start)
        file.write(b"\xff\x00garbage" * (size // 10 // 10))


@pytest.mark.parametrize("damage", [_truncate, _overwrite_pages], ids=["truncated", "pages overwritten"])
def test_damaged_database_is_named_kept_and_recovered(library, damage) -> None:
    data, ids = library
    database = data / "library.sqlite3"
    damage(database)
    failed = 0
    expected_bookmarks = set(ids[:3] + ids[-2:])
    for args in (["list"], ["show", ids[-1]], ["search", WORD], ["bookmarks"], ["export"], ["bookmark", ids[5]]):
        before = _digest(database)
        result = reader(data, *args)
        if result.returncode == 0:  # it touched only undamaged pages (a bookmark may even be saved)
            assert_terminal_safe(result.stdout + result.stderr)
            if args[0] == "bookmark":
                expected_bookmarks.add(ids[5])
            continue
        failed += 1
        line = _one_error_line(result, " ".join(args))
        assert line.startswith(f"reader: the library database {database} is damaged"), line
        assert "reader recover" in line
        assert _digest(database) == before  # a command that found damage wrote nothing
    assert failed >= 1
    damaged = _digest(database)

    result = reader(data, "recover")
    err = assert_terminal_safe(result.stderr, "recover")
    assert result.returncode == 0, err
    backups = sorted(data.glob("library.sqlite3.damaged-*"))
    assert [b.name for b in backups if not b.name.endswith(("-wal", "-shm"))], backups
    backup = next(b for b in backups if not b.name.endswith(("-wal", "-shm")))
    assert _digest(backup) == damaged  # the damaged file, kept as it was
    assert f"the damaged database is kept as {backup}" in err

    listed = json.loads(check_ok(reader(data, "list", "--format", "json"), "list after recover")[0])
    recovered = {row["id"] for row in listed}
    assert 0 < len(recovered) <= ARTICLES and recovered <= set(ids)
    assert f"recovered {len(recovered)} articles" in err
    found, _ = _search_ids(data)
    exported = json.loads(check_ok(reader(data, "export"), "export after recover")[0])
    holding = {a["id"] for a in exported if WORD in (a["title"] + a["summary"] + a["body"]).lower()}
    assert found == holding  # the index was rebuilt from what was recovered (a cut body may have lost the word)
    for lost in recovered - holding:  # an article without the word lost its text's end, and is named
        assert "lost the end of" in err and lost[:8] in err
    bookmarks = {row["id"] for row in json.loads(check_ok(reader(data, "bookmarks", "--format", "json"), "bm")[0])}
    assert bookmarks <= expected_bookmarks & recovered  # a bookmark on a damaged page of `state` is lost
    check_ok(reader(data, "bookmark", ids[0] if ids[0] in recovered else next(iter(recovered))), "bookmark after")

    again = reader(data, "recover")
    assert "is not damaged; nothing to do" in assert_terminal_safe(again.stderr)
    assert again.returncode == 0


def test_a_database_that_is_not_one_is_left_alone(library) -> None:
    data, _ = library
    database = data / "library.sqlite3"
    database.write_bytes(b"this is not an SQLite database, just text that took its name\n" * 100)
    damaged = _digest(database)
    line = _one_error_line(reader(data, "list"), "list")
    assert "is damaged (file is not a database)" in line and "reader recover" in line
    line = _one_error_line(reader(data, "recover"), "recover")
    assert line.startswith(f"reader: nothing could be read from {database}") and "Move it aside" in line
    assert _digest(database) == damaged
    assert not list(data.glob("library.sqlite3.*"))  # no backup, no leftovers: nothing was done


def test_recover_without_a_library_says_so(data_dir: Path) -> None:
    line = _one_error_line(reader(data_dir, "recover"), "recover")
    assert "nothing to recover" in line


# -- the index --------------------------------------------------------------------------


def _index_files(data: Path) -> list[Path]:
    return sorted(p for p in (data / "index" / "current").iterdir() if p.is_file() and not p.name.endswith(("LOCK", ".json")))


DAMAGE = {
    "older schema": lambda data: (data / "index" / "current" / "reader-index.json").write_text('{"schema_version": 0}'),
    "no schema record": lambda data: (data / "index" / "current" / "reader-index.json").unlink(),
    "deleted postings": lambda data: next(p for p in _index_files(data) if p.name.endswith(".pst")).unlink(),
    "deleted terms": lambda data: next(p for p in _index_files(data) if p.name.endswith(".trm")).unlink(),
    "deleted stored fields": lambda data: next(p for p in _index_files(data) if p.name.endswith("_stored.col")).unlink(),
    "every segment file deleted": lambda data: [p.unlink() for p in _index_files(data) if not p.name.endswith(".toc")],
    "truncated largest file": lambda data: os.truncate(
        max(_index_files(data), key=lambda p: p.stat().st_size),
        max(_index_files(data), key=lambda p: p.stat().st_size).stat().st_size // 2),
    "emptied table of contents": lambda data: [os.truncate(p, 0) for p in _index_files(data) if p.name.endswith(".toc")],
    "crash between the renames": lambda data: os.rename(data / "index" / "current", data / "index" / "retired-build-0"),
    "index deleted": lambda data: shutil.rmtree(data / "index"),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_or_old_index_is_rebuilt_by_the_next_search(library, damage: str) -> None:
    data, ids = library
    DAMAGE[damage](data)
    found, err = _search_ids(data)
    assert found == set(ids), f"{damage}: {len(found)} of {len(ids)} found; stderr: {err}"
    if damage != "index deleted" or err:
        assert err.startswith("reader: Rebuilding the search index"), f"{damage}: {err!r}"
    assert len(err.strip().splitlines()) <= 1
    again, err = _search_ids(data)
    assert again == set(ids) and err == ""  # once rebuilt, quiet


def test_a_crash_between_the_renames_leaves_no_old_index_behind(library) -> None:
    data, ids = library
    DAMAGE["crash between the renames"](data)
    found, _ = _search_ids(data)
    assert found == set(ids)
    assert sorted(p.name for p in (data / "index").iterdir() if p.is_dir()) == ["current"]


def test_an_index_ahead_of_a_restored_database_is_rebuilt(tmp_path: Path, library) -> None:
    data, ids = library
    shutil.copy(data / "library.sqlite3", tmp_path / "backup.sqlite3")
    make_jsonl(tmp_path / "more.jsonl", 50, prefix="more")
    check_ok(reader(data, "import", str(tmp_path / "more.jsonl")), "import more")
    for leftover in ("library.sqlite3-wal", "library.sqlite3-shm"):
        (data / leftover).unlink(missing_ok=True)
    shutil.copy(tmp_path / "backup.sqlite3", data / "library.sqlite3")  # the user restores last week's copy
    found, err = _search_ids(data)
    assert found == set(ids)  # not the 50 articles the old database never had
    assert "does not match the library database" in err


# -- a read-only library ------------------------------------------------------------------


def test_read_only_library_reads_and_refuses_changes_in_process(library, monkeypatch) -> None:
    data, ids = library
    import reader.store

    monkeypatch.setattr(reader.store, "writable", lambda path: False)
    with Library.open(data) as lib:
        assert lib.read_only
        assert len(lib.list_articles()) == ARTICLES
        assert lib.get(ids[0]).bookmarked
        assert lib.search(WORD, limit=1000).total == ARTICLES
        with pytest.raises(LibraryReadOnly):
            lib.set_bookmarked(ids[10], True)
        with pytest.raises(LibraryReadOnly):
            lib.import_data(b"A title\n\nA paragraph.\n", "x.txt")
        with pytest.raises(LibraryReadOnly):
            lib.delete([ids[1]])


def _read_only_mount_works() -> bool:
    if not shutil.which("unshare") or not shutil.which("mount") or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount --bind /tmp /tmp && mount -o remount,bind,ro /tmp"],
                           capture_output=True, timeout=20)
    return probe.returncode == 0


def test_read_only_mount_for_real(library) -> None:
    """The data directory on a read-only bind mount: what a read-only disk or share looks like."""
    if not _read_only_mount_works():
        pytest.skip("read-only bind mounts need root with CAP_SYS_ADMIN (unshare -m); the in-process test covers the logic")
    data, ids = library
    before = _digest(data / "library.sqlite3")
    script = "; ".join([
        f"mount --bind {data} {data}",
        f"mount -o remount,bind,ro {data}",
        f"touch {data}/probe 2>/dev/null && echo WRITABLE",
        "exec \"$@\"",
    ])
    env = reader_env(data)

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["unshare", "-m", "sh", "-c", script, "sh", sys.executable, "-m", "reader", *args],
                              env=env, capture_output=True, timeout=60)

    listed = run("list", "--format", "json")
    out, _ = check_ok(listed, "list on a read-only mount")
    assert "WRITABLE" not in out
    assert len(json.loads(out)) == ARTICLES
    check_ok(run("show", ids[0]), "show on a read-only mount")
    check_ok(run("bookmarks", "--format", "markdown"), "bookmarks on a read-only mount")
    assert len(json.loads(check_ok(run("export"), "export on a read-only mount")[0])) == ARTICLES
    found = json.loads(check_ok(run("search", WORD, "--format", "json", "--limit", "1000"), "search")[0])
    assert found["total"] == ARTICLES
    for args in (("bookmark", ids[10]), ("import", str(data / "library.sqlite3")), ("remove", ids[1])):
        line = _one_error_line(run(*args), " ".join(args))
        assert line == (f"reader: the library in {data} is read-only: reading and searching work, "
                        "but imports, bookmarks and other changes cannot be saved"), line
    assert _digest(data / "library.sqlite3") == before
    assert not (data / "probe").exists()
