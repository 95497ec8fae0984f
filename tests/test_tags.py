"""User tags through the library: added and removed per article, kept apart from the text
(a re-import keeps them), found by ``tag:`` at once, counted, carried by the export, and
stored by a numbered schema step that a 0.1.0 library goes through with everything kept."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from reader import migrations
from reader.errors import ArticleNotFound, InvalidTag, LibraryReadOnly
from reader.library import Library
from reader.migrations import v008_user_tags
from reader.tags import TagCount, edits_from_list, parse_edits, shown_tags, tag_name

V010 = Path(__file__).parent / "fixtures" / "db" / "library-0.1.0.sqlite3"
URL = "https://harbour.example/news/rotor-sails"


def _record(tags: list[str], body: str = "Rotor sails spin to pull the ferry along.", url: str = URL) -> dict:
    return {"title": "Rotor sails on the Lindholm ferry", "url": url, "source": "Harbour News",
            "language": "en", "body": body, "tags": tags}


def _import(lib: Library, tmp_path: Path, records: list[dict], name: str = "a.json") -> list[str]:
    path = tmp_path / name
    path.write_text(json.dumps(records), encoding="utf-8")
    report = lib.import_paths([path])
    assert not report.failures, report.failures
    return [row.id for row in lib.list_articles()]


# -- names and edits --------------------------------------------------------------------


def test_names_are_trimmed_folded_and_never_empty() -> None:
    assert tag_name("  North   Sea ") == "north sea"
    assert tag_name("Politik\x1b[31m") == "politik"  # an escape sequence is no part of a name
    for bad in ("", "   ", "\x1b[2J", "a,b", "x" * 65):
        with pytest.raises(InvalidTag):
            tag_name(bad)


def test_shown_tags_are_importer_plus_user_minus_removed() -> None:
    assert shown_tags(["Politics", "Harbour", "politics"], ["mine"], ["harbour"]) == ("mine", "politics")
    long = "a feed's category of more than sixty-four characters, with a comma in it"
    assert shown_tags([long, " "]) == (long,)  # what the file said is kept; only empty goes


def test_edits_from_signs_and_from_an_edited_list() -> None:
    assert parse_edits(["+A", "-b c"]) == (["a"], ["b c"])
    with pytest.raises(InvalidTag):
        parse_edits(["plain"])
    assert edits_from_list(["harbour", "politics"], "Harbour, ferries, ") == (["ferries"], ["politics"])


# -- the library ----------------------------------------------------------------------


def test_tag_and_untag_an_article(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        [article_id] = _import(lib, tmp_path, [_record(["Harbour", "Ferries"])])
        assert lib.get(article_id).shown_tags == ("ferries", "harbour")
        assert lib.edit_tags(article_id[:6], add=["  To Read "]) == ("ferries", "harbour", "to read")
        assert lib.edit_tags(article_id, remove=["to read", "HARBOUR"]) == ("ferries",)
        article = lib.get(article_id)
        assert (article.tags, article.user_tags, article.removed_tags) == (("Harbour", "Ferries"), (), ("harbour",))
        assert lib.edit_tags(article_id, add=["harbour"]) == ("ferries", "harbour")  # an importer tag given back
        with pytest.raises(InvalidTag):
            lib.edit_tags(article_id, add=[" , "])
        with pytest.raises(ArticleNotFound):
            lib.edit_tags("ffffffffffffffff", add=["x"])


def test_user_tags_and_removals_survive_a_reimport(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        [article_id] = _import(lib, tmp_path, [_record(["Harbour", "Ferries"])])
        lib.edit_tags(article_id, add=["to read"], remove=["ferries"])
        _import(lib, tmp_path, [_record(["Harbour", "Ferries", "Energy"], body="Edited: the sails spin.")], "b.json")
        article = lib.get(article_id)
        assert "Edited" in article.summary + article.body
        assert article.shown_tags == ("energy", "harbour", "to read")


def test_tag_search_finds_a_user_tag_at_once(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        [article_id] = _import(lib, tmp_path, [_record(["Harbour"])])
        assert lib.search("tag:later").total == 0  # the index is open and up to date
        lib.edit_tags(article_id, add=["Later"])
        assert [h.id for h in lib.search("tag:later").hits] == [article_id]
        assert lib.search("tag:lat*").total == 1
        assert lib.search("rotor OR tag:nothing").total == 1
        lib.edit_tags(article_id, remove=["harbour"])
        assert lib.search("tag:harbour").total == 0
        assert lib.search("-tag:harbour rotor").total == 1
    with Library.open(data_dir) as lib:  # and after a rebuild from the store
        lib.reindex()
        assert lib.search("tag:later").total == 1 and lib.search("tag:harbour").total == 0


def test_the_next_open_after_a_tag_edit_keeps_the_index(data_dir: Path, tmp_path: Path) -> None:
    """The edit replaces a document; the first word of the segment (alphabetically) may
    then be held only by the deleted one, which the index's opening check took for damage
    and rebuilt the whole index for on every start."""
    with Library.open(data_dir) as lib:
        first = _record([], body="Aardvarks 0001 came ashore.", url=URL + "-first")
        ids = _import(lib, tmp_path, [first, _record([], body="Ferries sail at dawn.")])
        lib.edit_tags(next(i for i in ids if "Aardvarks" in (lib.get(i).summary + lib.get(i).body)), add=["x"])
    with Library.open(data_dir) as lib:
        assert lib.sync_index().rebuilt == ""
        assert lib.search("tag:x").total == 1


def test_counts_and_filters(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        ids = _import(lib, tmp_path, [_record(["Harbour"]), _record(["Harbour", "Ferries"], url=URL + "-2"), _record([], url=URL + "-3")])
        untagged = next(i for i in ids if not lib.get(i).tags)
        lib.edit_tags(untagged, add=["harbour"])
        [ferries] = [i for i in ids if "Ferries" in lib.get(i).tags]
        lib.set_read(ferries, True)
        assert lib.tag_counts() == [TagCount("ferries", 1, 0), TagCount("harbour", 3, 2)]
        assert lib.tagged_ids("Harbour") == set(ids)
        assert {row.id for row in lib.list_articles(tag="ferries")} == lib.tagged_ids("ferries")
        assert lib.list_articles(tag="nothing") == [] and lib.tagged_ids(" ") == set()


def test_tags_of_a_deleted_article_are_not_counted_and_come_back_with_it(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        [article_id] = _import(lib, tmp_path, [_record([])])
        lib.edit_tags(article_id, add=["keep"])
        lib.delete([article_id])
        assert lib.tag_counts() == [] and lib.tagged_ids("keep") == set()
        lib.restore([article_id])
        assert lib.get(article_id).shown_tags == ("keep",)
        assert [c.name for c in lib.tag_counts()] == ["keep"]


def test_export_then_import_keeps_user_tags_and_removals(data_dir: Path, tmp_path: Path) -> None:
    from reader.cli import _exported  # what `reader export` writes for each article

    with Library.open(data_dir) as lib:
        [article_id] = _import(lib, tmp_path, [_record(["Harbour", "Ferries"])])
        lib.edit_tags(article_id, add=["to read"], remove=["ferries"])
        exported = [_exported(a, {}) for a in lib.export()]
    assert exported[0]["user_tags"] == ["to read"] and exported[0]["removed_tags"] == ["ferries"]
    fresh = tmp_path / "fresh"
    with Library.open(fresh) as lib:
        _import(lib, tmp_path, exported, "export.json")
        article = lib.get(article_id)
        assert article.shown_tags == ("harbour", "to read")
        assert lib.search("tag:\"to read\"").total == 1


def test_an_export_with_user_tags_that_are_no_list_is_refused_loudly(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{**_record([]), "user_tags": "to read"}]), encoding="utf-8")
    with Library.open(data_dir) as lib:
        report = lib.import_paths([path])
    assert report.failed == 1 and "user_tags" in report.failures[0][1]


def test_a_read_only_library_refuses_tag_edits(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Library.open(data_dir) as lib:
        [article_id] = _import(lib, tmp_path, [_record(["Harbour"])])
    monkeypatch.setattr("reader.store.writable", lambda path: False)
    with Library.open(data_dir) as lib:
        assert lib.tag_counts() == [TagCount("harbour", 1, 1)]
        with pytest.raises(LibraryReadOnly):
            lib.edit_tags(article_id, add=["x"])


def test_recover_keeps_user_tags(data_dir: Path, tmp_path: Path) -> None:
    from reader.salvage import salvage

    with Library.open(data_dir) as lib:
        [article_id] = _import(lib, tmp_path, [_record(["Harbour"])])
        lib.edit_tags(article_id, add=["kept"], remove=["harbour"])
    target = tmp_path / "salvaged" / "library.sqlite3"
    target.parent.mkdir()
    counts = salvage(data_dir / "library.sqlite3", target)
    assert counts["user_tags"] == 2 and counts["unreadable"] == 0
    with Library.open(target.parent) as lib:
        assert lib.get(article_id).shown_tags == ("kept",)
    assert salvage(V010, tmp_path / "old.sqlite3")["unreadable"] == 0  # made before the step


# -- the schema step ------------------------------------------------------------------


def _step() -> migrations.Migration:
    [step] = [m for m in migrations.MIGRATIONS if m.apply is v008_user_tags.migrate]
    return step


def test_010_library_upgrades_through_the_step_with_everything_kept(data_dir: Path, tmp_path: Path) -> None:
    database = data_dir / "library.sqlite3"
    shutil.copyfile(V010, database)
    with sqlite3.connect(database) as db:
        before = sorted(db.execute("SELECT id, tags, seq FROM articles")), sorted(db.execute("SELECT * FROM state"))
    with Library.open(data_dir) as lib:
        counts = lib.tag_counts()
        some = lib.list_articles()[0].id
        lib.edit_tags(some, add=["after the upgrade"])
        assert lib.search('tag:"after the upgrade"').total == 1
    assert counts and all(c.articles for c in counts)  # the samples' own tags, counted
    with sqlite3.connect(database) as db:
        after = sorted(db.execute("SELECT id, tags, seq FROM articles WHERE id != ?", (some,)))
        assert after == [row for row in before[0] if row[0] != some]
        assert sorted(db.execute("SELECT * FROM state")) == before[1]
        version = int(db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0])
        assert version == migrations.current_version() >= _step().version
        assert db.execute("SELECT tag, removed FROM user_tags").fetchall() == [("after the upgrade", 0)]
        indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"user_tags_tag", "articles_tags"} <= indexes


def test_the_step_runs_twice_without_harm(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "x.sqlite3")
    db.execute("CREATE TABLE articles (id TEXT PRIMARY KEY, tags TEXT)")
    v008_user_tags.migrate(db)
    db.execute("INSERT INTO user_tags VALUES ('a', 'b', 0, 'now')")
    v008_user_tags.migrate(db)
    assert db.execute("SELECT COUNT(*) FROM user_tags").fetchone()[0] == 1
