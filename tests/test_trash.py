"""The trash: delete keeps an article whole until it is restored or 30 days have passed,
and a deleted article never comes back unasked (feed updates, imports)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from reader.errors import ArticleNotFound, LibraryReadOnly
from reader.library import Library
from reader.model import Article, RelatedLink, article_id
from reader.trash import TRASH_DAYS

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def _article(title: str, words: str, published: str = "2026-11-01") -> Article:
    url = f"https://news.example/{'-'.join(title.lower().split())}"
    return Article(
        id=article_id(url=url, source="Gazette", title=title, published=published), title=title,
        body=f"{words}\n\nA second paragraph about the harbour.", source="Gazette", url=url, published=published,
        language="en", related=(RelatedLink("Elsewhere", "A card.", "en", "https://elsewhere.example/x"),),
    )


@pytest.fixture
def lib(data_dir: Path):
    library = Library.open(data_dir, clock=lambda: NOW)
    library.add_articles([_article("Ferry strike ends", "quayside ferries sail"), _article("Library hours", "reading room")])
    yield library
    library.close()


def _ids(lib: Library) -> dict[str, str]:
    return {row.title: row.id for row in lib.list_articles()}


def test_delete_takes_an_article_out_of_everything_and_restore_brings_all_back(lib: Library) -> None:
    ferry = _ids(lib)["Ferry strike ends"]
    lib.set_bookmarked(ferry, True)
    lib.set_read(ferry, True)
    lib.set_position(ferry, 0.625)
    highlight = lib.add_highlight(ferry, 0, 9, "a note")
    assert lib.search("quayside").total == 1

    assert lib.delete([ferry[:6]]) == [ferry]
    assert list(_ids(lib)) == ["Library hours"]
    assert lib.count() == 1 and lib.count(bookmarked=True) == 0 and lib.bookmarks() == []
    assert lib.search("quayside").total == 0
    assert [a.id for a in lib.export()] == [_ids(lib)["Library hours"]]
    assert lib.info()["bookmarks"] == 0 and lib.info()["read"] == 0
    assert lib.highlights() == []  # in the trash: its highlights come back with it
    with pytest.raises(ArticleNotFound):
        lib.get(ferry)
    [trashed] = lib.trash()
    assert (trashed.id, trashed.title, trashed.deleted_at) == (ferry, "Ferry strike ends", "2026-12-02T09:00:00+00:00")
    assert trashed.expires_at == "2027-01-01T09:00:00+00:00"

    assert lib.restore([ferry[:6]]) == ([ferry], [])
    article = lib.get(ferry)
    assert article.bookmarked and article.read and lib.position(ferry) == 0.625
    assert [link.title for link in article.related] == ["Elsewhere"]
    assert [h.id for h in lib.highlights(ferry)] == [highlight.id]
    assert lib.search("quayside").total == 1
    assert lib.trash() == []


def test_an_unknown_id_deletes_nothing(lib: Library) -> None:
    with pytest.raises(ArticleNotFound):
        lib.delete([_ids(lib)["Library hours"], "ffffffffff"])
    assert lib.count() == 2 and lib.trash() == []
    with pytest.raises(ArticleNotFound):
        lib.restore(["ffffffffff"])


def test_the_trash_is_emptied_on_open_after_thirty_days_and_the_id_stays_deleted(data_dir: Path, lib: Library) -> None:
    ferry = _ids(lib)["Ferry strike ends"]
    lib.delete([ferry])
    lib.close()
    with Library.open(data_dir, clock=lambda: NOW + timedelta(days=TRASH_DAYS - 1)) as later:
        assert [t.id for t in later.trash()] == [ferry]
    with Library.open(data_dir, clock=lambda: NOW + timedelta(days=TRASH_DAYS, seconds=1)) as later:
        assert later.trash() == []
        assert later.count() == 1
        report = later.add_articles([_article("Ferry strike ends", "quayside ferries sail")])
        assert (report.added, report.deleted) == (0, [ferry])  # emptied, and still not brought back
        assert later.restore([ferry]) == ([], [ferry])  # only forgotten: its text is gone
        assert later.add_articles([_article("Ferry strike ends", "quayside ferries sail")]).added == 1


def test_empty_trash_deletes_for_good_and_keeps_highlights(lib: Library) -> None:
    ferry = _ids(lib)["Ferry strike ends"]
    lib.add_highlight(ferry, 0, 9, "kept")
    lib.delete([ferry])
    assert lib.empty_trash() == 1
    assert lib.trash() == [] and lib.count() == 1
    assert [h.note for h in lib.highlights()] == ["kept"]  # notes outlive their article, as before


def test_an_import_skips_a_deleted_article_and_says_so(lib: Library, tmp_path: Path) -> None:
    ferry = _ids(lib)["Ferry strike ends"]
    lib.set_bookmarked(ferry, True)
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps([a.to_dict() for a in lib.export()]), encoding="utf-8")
    lib.delete([ferry])
    report = lib.import_paths([exported])
    assert (report.added, report.updated, report.deleted) == (0, 1, [ferry])
    assert report.deleted_note() == f"skipped 1 article you deleted ({ferry[:8]}); `reader restore ID` brings one back"
    assert [t.id for t in lib.trash()] == [ferry]  # still in the trash, untouched


def _sql(data_dir: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / "library.sqlite3") as db:
        return db.execute(sql, params).fetchall()


def test_a_table_a_later_step_adds_goes_into_the_trash_too(data_dir: Path, lib: Library) -> None:
    hours = _ids(lib)["Library hours"]
    # A stand-in for a later schema step (reading notes, say) with a foreign key to the articles.
    _sql(data_dir, "CREATE TABLE later_notes (article_id TEXT REFERENCES articles (id) ON DELETE CASCADE, tag TEXT)")
    _sql(data_dir, "INSERT INTO later_notes VALUES (?, 'work')", hours)
    lib.delete([hours])
    assert _sql(data_dir, "SELECT COUNT(*) FROM later_notes") == [(0,)]
    lib.restore([hours])
    assert _sql(data_dir, "SELECT article_id, tag FROM later_notes") == [(hours, "work")]


def test_a_position_saved_after_the_delete_is_refused_as_not_found(lib: Library) -> None:
    ferry = _ids(lib)["Ferry strike ends"]
    lib.delete([ferry])
    with pytest.raises(ArticleNotFound):  # the app's writer drops it instead of retrying for ever
        lib.set_position(ferry, 0.5)


def test_samples_are_found_by_reading_the_bundled_files(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        library.import_samples()
        library.add_articles([_article("My own note", "mine")])
        samples = library.count() - 1
        assert len(library.sample_ids()) == samples
        assert len(library.delete_samples()) == samples
        assert [row.title for row in library.list_articles()] == ["My own note"]
        assert len(library.trash()) == samples


def test_a_read_only_library_lists_the_trash_but_deletes_nothing(data_dir: Path, lib: Library) -> None:
    lib.delete([_ids(lib)["Ferry strike ends"]])
    lib.close()
    (data_dir / "library.sqlite3").chmod(0o444)
    try:
        with Library.open(data_dir) as library:
            if not library.read_only:
                pytest.skip("running as a user that can write a read-only file (root)")
            assert len(library.trash()) == 1
            with pytest.raises(LibraryReadOnly):
                library.delete([_ids(library)["Library hours"]])
    finally:
        (data_dir / "library.sqlite3").chmod(0o644)


def test_a_salvaged_library_keeps_its_trash_and_its_deleted_ids(data_dir: Path, lib: Library, tmp_path: Path) -> None:
    from reader.salvage import salvage

    ids = _ids(lib)
    lib.delete([ids["Ferry strike ends"]])
    lib.empty_trash()
    lib.set_bookmarked(ids["Library hours"], True)
    lib.delete([ids["Library hours"]])
    lib.close()
    target = tmp_path / "copy" / "library.sqlite3"
    target.parent.mkdir()
    salvage(data_dir / "library.sqlite3", target)  # what `reader recover` copies
    with Library.open(target.parent, clock=lambda: NOW) as copy:
        assert [t.title for t in copy.trash()] == ["Library hours"]
        report = copy.add_articles([_article("Ferry strike ends", "quayside ferries sail")])
        assert (report.added, report.deleted) == (0, [ids["Ferry strike ends"]])
        copy.restore([ids["Library hours"]])
        assert copy.get(ids["Library hours"]).bookmarked
