"""``--format json`` on every command that prints data or acts: one JSON document on
stdout that ``json.loads`` reads, with the fields the README names; progress and
messages stay on stderr; hostile titles come through as data, escaped."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from reader.cli import build_parser, main
from reader.library import Library
from reader.model import Article

HOSTILE = 'Quote " brace } bracket ] \x1b[31mred\x1b[0m \u202egnp.exe [b]bold[/b]\nsecond line'


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def as_json(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> object:
    got, out, err = run(capsys, *argv, "--format", "json")
    assert got == code, err
    assert "\x1b" not in out and "\u202e" not in out  # escaped (\u001b), never raw
    return json.loads(out)


@pytest.fixture
def library(data_dir: Path) -> list[str]:
    articles = [
        Article(id="aaaa1111" * 2, title=HOSTILE, body="The harbour ferry runs at dawn.", language="en",
                source="Kelmouth Gazette", published="2026-01-02"),
        Article(id="bbbb2222" * 2, title="Ferry timetable", body="New ferry times on Monday.", language="en",
                published="2026-01-01"),
    ]
    with Library.open(data_dir) as lib:
        lib.add_articles(articles)
    return [a.id for a in articles]


# Every command and the arguments it needs; each must take --format json.
JSON_COMMANDS = {
    "import": ["x"], "list": [], "show": ["x"], "search": ["q"], "searches": [],
    "bookmark": ["x"], "unbookmark": ["x"], "read": ["x"], "unread": ["x"], "tag": ["x", "+y"], "tags": [],
    "bookmarks": [], "highlights": [], "export": [], "remove": ["x"], "delete": ["x"], "restore": ["x"], "trash": [], "reindex": [], "recover": [], "info": [],
    "update": [], "add": ["u"],
    "feed add": ["u"], "feed list": [], "feed remove": ["f"], "feed rename": ["f", "t"], "feed set": ["f"],
    "feed import": ["f"],
}
WITHOUT_JSON = {"feed", "feed export"}  # a group of commands; OPML by definition


def listed_commands(capsys: pytest.CaptureFixture[str], *group: str) -> set[str]:
    """The commands ``reader [group] --help`` lists."""
    with pytest.raises(SystemExit):
        main([*group, "--help"])
    out = capsys.readouterr().out
    section = out.split("commands:\n", 1)[1]
    names = set()
    for line in section.splitlines():
        if not line.strip():
            break
        if line.startswith("    ") and not line.startswith("     ") and not line.strip().startswith("COMMAND"):
            names.add(" ".join((*group, line.split()[0])))
    return names


def test_every_command_that_prints_or_acts_offers_json(capsys) -> None:
    every = listed_commands(capsys) | listed_commands(capsys, "feed")
    assert every == set(JSON_COMMANDS) | WITHOUT_JSON
    for name, needed in JSON_COMMANDS.items():
        assert build_parser().parse_args([*name.split(), *needed, "--format", "json"]).format == "json", name


def test_list_show_search_and_info_keep_hostile_titles_as_data(capsys, library) -> None:
    rows = as_json(capsys, "list")
    assert isinstance(rows, list) and {r["id"] for r in rows} == set(library)
    hostile = next(r for r in rows if r["id"] == library[0])
    assert "Quote \" brace } bracket ]" in hostile["title"] and "[b]bold[/b]" in hostile["title"]
    article = as_json(capsys, "show", library[0][:8])
    assert isinstance(article, dict) and article["id"] == library[0] and article["title"] == hostile["title"]
    result = as_json(capsys, "search", "ferry")
    assert isinstance(result, dict) and result["total"] == 2 and len(result["results"]) == 2
    assert "saved_search" not in result  # only with --save or --saved
    info = as_json(capsys, "info")
    assert isinstance(info, dict) and info["articles"] == 2


def test_info_counts_the_trash_tags_feeds_and_saved_searches(capsys, library) -> None:
    before = as_json(capsys, "info")
    assert isinstance(before, dict)
    assert (before["in_trash"], before["tags"], before["feeds"], before["saved_searches"]) == (0, 0, 0, 0)
    assert run(capsys, "tag", library[0][:8], "+later")[0] == 0
    assert run(capsys, "delete", library[1][:8])[0] == 0
    assert run(capsys, "search", "--save", "Ferries", "ferry")[0] == 0
    after = as_json(capsys, "info")
    assert isinstance(after, dict)
    assert (after["articles"], after["in_trash"], after["tags"], after["saved_searches"]) == (1, 1, 1, 1)
    code, out, _ = run(capsys, "info")
    assert code == 0 and "in trash       1" in out and "saved searches 1" in out


def test_search_limit_says_what_is_shown_of_the_total(capsys, library) -> None:
    code, out, _ = run(capsys, "search", "--limit", "1", "ferry")
    assert code == 0 and out.splitlines()[0] == "2 results (showing 1; --limit N for more)"
    result = as_json(capsys, "search", "--limit", "1", "ferry")
    assert isinstance(result, dict) and result["total"] == 2 and len(result["results"]) == 1


def test_bookmark_read_and_their_undo_say_what_changed(capsys, library) -> None:
    first, second = library
    done = as_json(capsys, "bookmark", first[:8])
    assert done == {"action": "bookmarked", "changed": [first], "unchanged": []}
    done = as_json(capsys, "bookmark", first, second[:6], first[:8])  # the same article twice: once
    assert done == {"action": "bookmarked", "changed": [second], "unchanged": [first]}
    assert as_json(capsys, "unbookmark", second) == {"action": "unbookmarked", "changed": [second], "unchanged": []}
    assert as_json(capsys, "read", first, second) == {"action": "read", "changed": [first, second], "unchanged": []}
    assert as_json(capsys, "unread", second) == {"action": "unread", "changed": [second], "unchanged": []}
    assert as_json(capsys, "read", second) == {"action": "read", "changed": [second], "unchanged": []}
    assert as_json(capsys, "read", second)["changed"] == []  # type: ignore[index]
    code, _, err = run(capsys, "bookmark", first)  # the text form is as before, on stderr
    assert code == 0 and err.startswith(f"bookmarked {first[:8]}")


def test_remove_and_reindex_report_ids_and_counts(capsys, library) -> None:
    assert as_json(capsys, "reindex") == {"indexed": 2}
    assert as_json(capsys, "remove", library[1][:8]) == {"removed": [library[1]]}
    assert as_json(capsys, "reindex") == {"indexed": 1}


def test_import_reports_counts_and_each_failure_as_data(capsys, data_dir, tmp_path) -> None:
    good = tmp_path / "good.md"
    good.write_text("---\ntitle: A good note\n---\n\nAbout the quay.\n", encoding="utf-8")
    bad = tmp_path / 'bad "\x1b[31m".json'
    bad.write_text("[{", encoding="utf-8")
    report = as_json(capsys, "import", str(good), str(bad), code=1)
    assert isinstance(report, dict)
    assert (report["added"], report["updated"], report["failed"]) == (1, 0, 1)
    [failure] = report["failures"]
    assert failure["path"] == str(bad) and failure["reason"]
    assert report["notes"] == []
    again = as_json(capsys, "import", str(good))
    assert isinstance(again, dict) and (again["added"], again["updated"], again["failed"]) == (0, 1, 0)


def test_recover_reports_its_status(capsys, data_dir, library) -> None:
    assert as_json(capsys, "recover") == {
        "status": "intact", "database": str(data_dir / "library.sqlite3"), "backup": None,
        "articles": 0, "bookmarks": 0, "read_errors": 0, "problem": "", "cut": [],
    }


def test_recover_of_a_damaged_library_reports_what_it_copied(capsys, data_dir, library) -> None:
    database = data_dir / "library.sqlite3"
    db = sqlite3.connect(database)
    db.execute("PRAGMA journal_mode=DELETE")
    db.close()
    data = bytearray(database.read_bytes())
    data[0:16] = b"garbage garbage!"  # the header gone: SQLite calls it not a database
    database.write_bytes(bytes(data))
    report = as_json(capsys, "recover", code=1)
    assert isinstance(report, dict) and report["status"] == "unreadable" and report["problem"]


def test_the_readme_command_table_lists_each_command_s_formats(capsys) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Commands", 1)[1].split("\n\n| command | prints |", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `reader ")]
    for name in JSON_COMMANDS:
        with pytest.raises(SystemExit):
            main([*name.split(), "--help"])
        usage = capsys.readouterr().out
        choices = usage.split("--format {", 1)[1].split("}", 1)[0].split(",")
        listed = "`--format " + "\\|".join(choices) + "`"
        row = [r for r in rows if re.search(rf"`reader {name}[ `]", r)]
        assert row and listed in row[0], (name, listed)
