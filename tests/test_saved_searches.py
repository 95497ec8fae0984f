"""Saved searches: kept under a name in the library's preferences, listed, run, renamed
and deleted, from the library and from the command line; names and queries stay text."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from reader.cli import main
from reader.errors import LibraryReadOnly, SavedSearchError
from reader.library import Library
from reader.model import Article
from reader.saved_searches import MAX_NAME, SavedSearch, count

HOSTILE_NAME = "[@click=app.quit]Tap[/] \x1b[31mred\x1b[0m\n\u202eeman"


@pytest.fixture
def library(data_dir: Path) -> Path:
    articles = [
        Article(id="aaaa1111" * 2, title="Harbour ferry at dawn", body="The harbour ferry runs at dawn.", language="en",
                published="2026-01-02"),
        Article(id="bbbb2222" * 2, title="Ferry timetable", body="New ferry times on Monday.", language="en",
                published="2026-01-01"),
        Article(id="cccc3333" * 2, title="Library hours", body="The library opens late.", language="en",
                published="2026-01-03"),
    ]
    with Library.open(data_dir) as lib:
        lib.add_articles(articles)
    return data_dir


def test_save_list_get_rename_delete(library) -> None:
    with Library.open(library) as lib:
        searches = lib.saved_searches
        assert searches.all() == []
        saved, replaced = searches.save("  Ferries ", "ferry  OR  tram")
        assert (saved.name, saved.query, replaced) == ("Ferries", "ferry OR tram", False)
        searches.save("another", "library")
        assert [s.name for s in searches.all()] == ["another", "Ferries"]  # by name, whatever the case
        assert searches.get("ferries") == saved  # the one name that differs only in case
        again, replaced = searches.save("Ferries", "ferry")
        assert replaced and searches.get("Ferries").query == "ferry"
        renamed = searches.rename("Ferries", "Boats")
        assert renamed == SavedSearch("Boats", "ferry", again.saved)
        assert [s.name for s in searches.all()] == ["another", "Boats"]
        with pytest.raises(SavedSearchError, match="already a saved search named 'another'"):
            searches.rename("Boats", "another")
        assert searches.rename("Boats", "BOATS").name == "BOATS"  # a change of case is a rename
        assert searches.delete("boats").query == "ferry"
        assert [s.name for s in searches.all()] == ["another"]
        with pytest.raises(SavedSearchError, match="no saved search named 'Boats'"):
            searches.delete("Boats")


def test_names_and_queries_are_kept_as_one_clean_line(library) -> None:
    with Library.open(library) as lib:
        saved, _ = lib.saved_searches.save(HOSTILE_NAME, "ferry\n\x1b[2Jtram")
        assert "\x1b" not in saved.name and "\n" not in saved.name and "\u202e" not in saved.name
        assert saved.name.startswith("[@click=app.quit]Tap[/]")  # markup is text, kept as typed
        assert saved.query == "ferry tram"  # the escape sequence is gone, whole
        assert lib.saved_searches.get(saved.name) == saved
        for name, query, reason in (
            (" \n ", "ferry", "needs a name"), ("x" * (MAX_NAME + 1), "ferry", "at most"), ("empty", "  ", "no query"),
        ):
            with pytest.raises(SavedSearchError, match=reason):
                lib.saved_searches.save(name, query)
        assert len(lib.saved_searches.all()) == 1


def test_two_processes_saving_at_once_keep_both(library) -> None:
    """The app and a `reader search --save` each write their own row: neither is lost."""
    with Library.open(library) as app, Library.open(library) as command:
        app_view = app.saved_searches.all()
        command.saved_searches.save("From the command", "ferry")
        app.saved_searches.save("From the app", "library")
        assert app_view == []
        assert {s.name for s in command.saved_searches.all()} == {"From the command", "From the app"}


def test_counts_of_a_saved_search(library) -> None:
    with Library.open(library) as lib:
        ferries, _ = lib.saved_searches.save("Ferries", "ferry")
        lib.set_read("aaaa1111", True)
        counts = count(lib, ferries)
        assert (counts.total, counts.unread, counts.error) == (2, 1, "")
        library_hours, _ = lib.saved_searches.save("Hours", 'title:library "opens late')  # an open quote
        assert (count(lib, library_hours).total, count(lib, library_hours).unread) == (1, 1)


def test_a_read_only_library_lists_but_does_not_save(library, monkeypatch) -> None:
    import reader.store

    with Library.open(library) as lib:
        lib.saved_searches.save("Ferries", "ferry")
    monkeypatch.setattr(reader.store, "writable", lambda path: False)
    with Library.open(library) as lib:
        assert lib.read_only
        assert [s.name for s in lib.saved_searches.all()] == ["Ferries"]
        for change in (lambda: lib.saved_searches.save("Other", "library"),
                       lambda: lib.saved_searches.rename("Ferries", "Boats"),
                       lambda: lib.saved_searches.delete("Ferries")):
            with pytest.raises(LibraryReadOnly):
                change()
        assert [s.name for s in lib.saved_searches.all()] == ["Ferries"]


def test_recover_keeps_the_saved_searches(library, capsys) -> None:
    with Library.open(library) as lib:
        lib.saved_searches.save("Ferries", "ferry")
    database = library / "library.sqlite3"
    # Damage an index of the articles (looked up: where a page lands moves as the schema
    # grows), not the meta table the saved searches live in.
    with sqlite3.connect(database) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute(
            "SELECT rootpage FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'articles' ORDER BY rootpage DESC"
        ).fetchone()[0]
    data = bytearray(database.read_bytes())
    data[(root - 1) * page_size : root * page_size] = b"\xff" * page_size
    database.write_bytes(bytes(data))
    assert main(["recover", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    if report["status"] == "intact":
        pytest.skip("this damage went unnoticed by the integrity check")
    assert report["status"] == "recovered" and report["articles"] == 3 and Path(report["backup"]).exists()
    with Library.open(library) as lib:
        assert [(s.name, s.query) for s in lib.saved_searches.all()] == [("Ferries", "ferry")]


# -- the command line ----------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_save_list_run_rename_delete(capsys, library) -> None:
    code, out, err = run(capsys, "search", "--save", "Ferries", "ferry")
    assert code == 0 and out.startswith("2 results") and "saved the search as 'Ferries': ferry" in err
    code, out, _ = run(capsys, "search", "--saved", "ferries", "--format", "json")
    result = json.loads(out)
    assert code == 0 and result["query"] == "ferry" and result["total"] == 2 and result["saved_search"] == "Ferries"
    code, out, _ = run(capsys, "searches", "--format", "json")
    assert code == 0
    [listed] = json.loads(out)
    assert {k: listed[k] for k in ("name", "query", "total", "unread", "error")} == {
        "name": "Ferries", "query": "ferry", "total": 2, "unread": 2, "error": "",
    }
    code, out, _ = run(capsys, "searches")
    assert code == 0 and out.splitlines()[1].split() == ["Ferries", "2", "2", "ferry"]
    code, out, _ = run(capsys, "searches", "--rename", "Ferries", "Boats", "--format", "json")
    assert json.loads(out) == {"renamed": "Ferries", "to": {"name": "Boats", "query": "ferry", "saved": listed["saved"]}}
    code, out, _ = run(capsys, "searches", "--delete", "Boats", "--format", "json")
    assert code == 0 and json.loads(out)["deleted"]["name"] == "Boats"
    code, out, err = run(capsys, "searches")
    assert code == 0 and out == "" and "no saved searches yet" in err


def test_cli_refuses_what_it_cannot_do_in_one_line(capsys, library) -> None:
    code, _, err = run(capsys, "search", "--saved", "Nothing")
    assert code == 1 and err.strip() == "reader: no saved search named 'Nothing' (saved: none yet)"
    code, _, err = run(capsys, "search")
    assert code == 2 and "give a QUERY" in err
    run(capsys, "search", "--save", "Ferries", "ferry")
    code, _, err = run(capsys, "search", "--saved", "Ferries", "tram")
    assert code == 2 and "not both" in err
    code, _, err = run(capsys, "search", "--save", "\n", "ferry")
    assert code == 1 and err == "reader: a saved search needs a name\n"
    code, out, _ = run(capsys, "searches", "--format", "json")
    assert [s["name"] for s in json.loads(out)] == ["Ferries"]


def test_cli_draws_a_hostile_name_as_text(capsys, library) -> None:
    code, _, err = run(capsys, "search", "--save", HOSTILE_NAME, "ferry")
    assert code == 0 and "\x1b" not in err
    code, out, _ = run(capsys, "searches")
    assert code == 0 and "\x1b" not in out and "\u202e" not in out and "[@click=app.quit]Tap[/]" in out
    code, out, _ = run(capsys, "searches", "--format", "json")
    assert "\x1b" not in out and "\\u202e" not in out  # cleaned when saved, so nothing to escape
    assert json.loads(out)[0]["name"].startswith("[@click=app.quit]Tap[/] ")
