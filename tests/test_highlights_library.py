"""Highlights through the library, the CLI and exports: stored by a numbered schema
step, kept when the article is re-imported with edited paragraphs, printed as Markdown
and JSON, carried by ``reader export`` and brought back by ``reader import``."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from reader import migrations
from reader.errors import HighlightNotFound, LibraryReadOnly
from reader.highlights import article_text
from reader.library import Library

FIXTURES = Path(__file__).parent / "fixtures" / "db"
V010 = FIXTURES / "library-0.1.0.sqlite3"
URL = "https://harbour.example/news/rotor-sails"


def _article(paragraphs: list[str], url: str = URL, title: str = "Rotor sails on the Lindholm ferry") -> dict:
    return {"title": title, "url": url, "source": "Harbour News", "language": "en", "body": "\n\n".join(paragraphs)}


ORIGINAL = [
    "The ferry to Lindholm leaves at dawn. It carries forty cars.",
    "Rotor sails were fitted during a refit in the spring. They spin to pull the ship along.",
    "The harbour master said fuel use fell by a fifth. Tickets cost twelve euros on weekdays.",
]
EDITED = [
    "Update: the operator confirmed the figures on Monday.",
    "The ferry to Lindholm leaves at dawn and carries forty cars.",
    "Two rotor sails were fitted during a refit in late spring. They spin to pull the ship along.",
    "The harbour master said fuel use fell by a fifth, a saving of 300 tonnes a year.",
]
PASSAGE = "Rotor sails were fitted during a refit in the spring."


def _import(lib: Library, tmp_path: Path, records: list[dict], name: str = "a.json") -> None:
    path = tmp_path / name
    path.write_text(json.dumps(records), encoding="utf-8")
    report = lib.import_paths([path])
    assert not report.failures, report.failures


def _highlight(lib: Library, article_id: str, passage: str, note: str = ""):
    text = article_text(lib.get(article_id).body, lib.get(article_id).summary).text
    start = text.index(passage)
    return lib.add_highlight(article_id, start, start + len(passage), note)


def reader(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READER_DATA_DIR": str(data_dir), "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, env=env, input=stdin, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc


def test_the_010_library_upgrades_through_every_step_to_one_with_highlights(data_dir: Path) -> None:
    database = data_dir / "library.sqlite3"
    shutil.copyfile(V010, database)
    with Library.open(data_dir) as lib:
        assert lib.highlights() == []
        article_id = lib.list_articles(limit=1)[0].id
        made = _highlight(lib, article_id, lib.get(article_id).paragraphs[0].split(". ")[0], "from 0.1.0")
        assert lib.count(bookmarked=True) == 3  # what 0.1.0 held is still there
    with sqlite3.connect(database) as db:
        version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        assert int(version) == migrations.current_version() >= 4
        assert db.execute("SELECT id, note FROM highlights").fetchall() == [(made.id, "from 0.1.0")]


def test_highlight_survives_a_reimport_with_edited_paragraphs(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        _import(lib, tmp_path, [_article(ORIGINAL)])
        article_id = lib.list_articles()[0].id
        kept = _highlight(lib, article_id, "They spin to pull the ship along.", "how they work")
        edited = _highlight(lib, article_id, PASSAGE, "ask about the cost")
        merged = _highlight(lib, article_id, "It carries forty cars.")
        gone = _highlight(lib, article_id, "Tickets cost twelve euros on weekdays.")
        _import(lib, tmp_path, [_article(EDITED)], "b.json")
        assert lib.list_articles()[0].id == article_id and lib.count() == 1  # updated, not added
        text = article_text(lib.get(article_id).body, lib.get(article_id).summary).text
        found = {h.id: h for h in lib.highlights(article_id)}
        assert text[found[kept.id].start : found[kept.id].end] == "They spin to pull the ship along."
        assert found[edited.id].text == "Two rotor sails were fitted during a refit in late spring."
        assert found[edited.id].note == "ask about the cost" and not found[edited.id].orphaned
        assert found[edited.id].original == PASSAGE  # the words first highlighted are kept
        assert found[merged.id].text == "The ferry to Lindholm leaves at dawn and carries forty cars."
        assert found[gone.id].orphaned and found[gone.id].text == "Tickets cost twelve euros on weekdays."  # kept
    markdown = reader(data_dir, "highlights", "--format", "markdown").stdout
    assert f"## [Rotor sails on the Lindholm ferry]({URL})" in markdown
    assert "> Two rotor sails were fitted during a refit in late spring." in markdown
    assert "ask about the cost" in markdown
    assert f"*(first highlighted as: “{PASSAGE}”)*" in markdown
    assert "> Tickets cost twelve euros on weekdays.\n*(this passage is no longer in the article's text)*" in markdown


def test_markdown_links_an_article_without_url_by_its_show_command(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        _import(lib, tmp_path, [_article(["A [bracketed] *word* here. And # more."], url="", title="No [URL] here")])
        article_id = lib.list_articles()[0].id
        _highlight(lib, article_id, "A [bracketed] *word* here.", "note with `code`")
    markdown = reader(data_dir, "highlights", article_id[:6], "--format", "markdown").stdout
    assert "## No \\[URL\\] here" in markdown
    assert f"`reader show {article_id[:8]}`" in markdown
    assert "> A \\[bracketed\\] \\*word\\* here." in markdown  # article text stays text in Markdown
    assert "note with \\`code\\`" in markdown


def test_json_and_text_listings(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        _import(lib, tmp_path, [_article(ORIGINAL), _article(["Other text. Second sentence."], url="https://x.example/2", title="Other")])
        first, second = (row.id for row in sorted(lib.list_articles(), key=lambda r: r.title))
        a = _highlight(lib, second, PASSAGE, "a note")
        _highlight(lib, first, "Second sentence.")
    rows = json.loads(reader(data_dir, "highlights", "--format", "json").stdout)
    assert len(rows) == 2
    mine = next(r for r in rows if r["id"] == a.id)
    assert mine["text"] == PASSAGE and mine["note"] == "a note" and mine["article_url"] == URL
    assert mine["article_title"] == "Rotor sails on the Lindholm ferry" and not mine["orphaned"]
    one = json.loads(reader(data_dir, "highlights", second, "--format", "json").stdout)
    assert [r["id"] for r in one] == [a.id]
    text = reader(data_dir, "highlights").stdout
    assert f"{a.id[:8]}  “{PASSAGE}”" in text and "a note" in text


def test_notes_edit_and_remove(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        _import(lib, tmp_path, [_article(ORIGINAL)])
        article_id = lib.list_articles()[0].id
        made = _highlight(lib, article_id, PASSAGE)
        assert lib.set_highlight_note(made.id[:6], "  first\x1b[31m line  \n\n second ").note == "first line\n\nsecond"
        assert lib.highlight(made.id).note == "first line\n\nsecond"
        lib.remove_highlight(made.id)
        with pytest.raises(HighlightNotFound):
            lib.highlight(made.id)
        with pytest.raises(ValueError):
            lib.add_highlight(article_id, 3, 3)


def test_highlights_of_a_removed_article_are_kept(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        _import(lib, tmp_path, [_article(ORIGINAL)])
        article_id = lib.list_articles()[0].id
        made = _highlight(lib, article_id, PASSAGE, "precious")
        lib.delete([article_id])
        assert lib.highlights() == []  # in the trash: they come back with a restore
        lib.empty_trash()
        assert [h.id for h in lib.highlights()] == [made.id]
    markdown = reader(data_dir, "highlights", "--format", "markdown").stdout
    assert f"## Article {article_id[:8]} (no longer in the library)" in markdown and "precious" in markdown


def test_export_carries_highlights_and_import_restores_them(data_dir: Path, tmp_path: Path) -> None:
    with Library.open(data_dir) as lib:
        _import(lib, tmp_path, [_article(ORIGINAL)])
        article_id = lib.list_articles()[0].id
        made = _highlight(lib, article_id, PASSAGE, "round trip")
    for fmt in ("json", "jsonl"):
        exported = reader(data_dir, "export", "--format", fmt).stdout
        other = tmp_path / f"other-{fmt}"
        reader(other, "import", "-", stdin=exported)
        with Library.open(other) as lib:
            restored = lib.highlights()
            assert [(h.id, h.article_id, h.text, h.note) for h in restored] == [(made.id, article_id, PASSAGE, "round trip")]
        reader(other, "import", "-", stdin=exported)  # again: nothing doubled
        with Library.open(other) as lib:
            assert len(lib.highlights()) == 1


def test_a_bad_highlight_in_an_export_is_named_and_the_article_kept(data_dir: Path, tmp_path: Path) -> None:
    record = {**_article(ORIGINAL), "highlights": [{"text": 5}, {"text": PASSAGE, "note": "good", "start": 0, "end": 3}]}
    path = tmp_path / "export.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    with Library.open(data_dir) as lib:
        report = lib.import_paths([path])
        assert report.added == 1
        assert [reason for _, reason in report.failures] == ["article 1: highlight 1: 'text' is not text (skipped)"]
        [good] = lib.highlights()
        assert good.note == "good" and good.text == PASSAGE and not good.orphaned


def test_a_read_only_library_lists_highlights_and_refuses_new_ones(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Library.open(data_dir) as lib:
        _import(lib, tmp_path, [_article(ORIGINAL)])
        article_id = lib.list_articles()[0].id
        _highlight(lib, article_id, PASSAGE)
        lib.get(article_id)
    monkeypatch.setattr("reader.store.writable", lambda path: False)  # as on a read-only mount
    with Library.open(data_dir) as lib:
        assert lib.read_only
        assert [h.text for h in lib.highlights()] == [PASSAGE]
        with pytest.raises(LibraryReadOnly):
            lib.add_highlight(article_id, 0, 5)


def test_reader_recover_keeps_the_highlights(data_dir: Path, tmp_path: Path) -> None:
    from reader.salvage import salvage

    with Library.open(data_dir) as lib:
        _import(lib, tmp_path, [_article(ORIGINAL)])
        article_id = lib.list_articles()[0].id
        made = _highlight(lib, article_id, PASSAGE, "kept through a recovery")
    target = tmp_path / "salvaged" / "library.sqlite3"
    target.parent.mkdir()
    counts = salvage(data_dir / "library.sqlite3", target)
    assert counts["highlights"] == 1 and counts["unreadable"] == 0
    with Library.open(target.parent) as lib:
        assert [(h.id, h.note) for h in lib.highlights()] == [(made.id, "kept through a recovery")]


def test_salvage_of_a_library_made_before_highlights_reads_everything(data_dir: Path, tmp_path: Path) -> None:
    from reader.salvage import salvage

    target = tmp_path / "salvaged" / "library.sqlite3"
    target.parent.mkdir()
    counts = salvage(V010, target)
    assert counts["articles"] == 47 and counts["unreadable"] == 0 and counts["highlights"] == 0


def test_a_library_at_schema_4_gets_the_original_column(data_dir: Path, tmp_path: Path) -> None:
    """A library made by a build with step 4 but not 5 (a highlight in it) opens with its
    highlight, and keeps first words from then on."""
    database = data_dir / "library.sqlite3"
    with Library.open(data_dir) as lib:
        _import(lib, tmp_path, [_article(ORIGINAL)])
        article_id = lib.list_articles()[0].id
        made = _highlight(lib, article_id, PASSAGE, "from schema 4")
    with sqlite3.connect(database) as db:  # back to what step 4 made
        db.execute("ALTER TABLE highlights DROP COLUMN original")
        db.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    with Library.open(data_dir) as lib:
        assert [(h.id, h.note, h.original) for h in lib.highlights()] == [(made.id, "from schema 4", "")]
        _import(lib, tmp_path, [_article(EDITED)], "b.json")
        [moved] = lib.highlights()
        assert moved.original == PASSAGE and moved.text != PASSAGE


def test_highlights_show_when_storing_where_they_moved_fails(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.errors import LibraryBusy
    from reader.highlights_store import HighlightStore

    with Library.open(data_dir) as lib:
        _import(lib, tmp_path, [_article(ORIGINAL)])
        article_id = lib.list_articles()[0].id
        made = _highlight(lib, article_id, PASSAGE)
        _import(lib, tmp_path, [_article(EDITED)], "b.json")

        def busy(self, highlights, *, newer_only=False):
            raise LibraryBusy(data_dir / "library.sqlite3", "another process writes")

        monkeypatch.setattr(HighlightStore, "put", busy)
        [found] = lib.highlights(article_id)  # shown, moved, though it could not be stored
        assert found.id == made.id and found.text.startswith("Two rotor sails")
