"""Article.author end to end: stored, shown by ``reader show``, exported and imported back,
and kept empty for libraries and exports made before it existed."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from reader import migrations
from reader.cli import main
from reader.feeds_store import entry_digest
from reader.library import Library
from reader.model import Article
from reader.salvage import salvage

V010 = Path(__file__).parent / "fixtures" / "db" / "library-0.1.0.sqlite3"
NOTE = "---\ntitle: Harbour notes\nauthor: Ines Laurent\n---\nThe ferries run again from Monday, the harbour master said.\n"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def _imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    note = tmp_path / "note.md"
    note.write_text(NOTE, encoding="utf-8")
    _run(capsys, "import", str(note))
    [row] = json.loads(_run(capsys, "list", "--format", "json"))
    return str(row["id"])


def test_show_gives_the_author_in_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article_id = _imported(tmp_path, capsys)
    assert json.loads(_run(capsys, "show", article_id, "--format", "json"))["author"] == "Ines Laurent"
    meta = _run(capsys, "show", article_id).splitlines()[1]
    assert meta.startswith("by Ines Laurent · ")


def test_export_then_import_keeps_the_author(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _imported(tmp_path, capsys)
    exported = tmp_path / "export.json"
    exported.write_text(_run(capsys, "export"), encoding="utf-8")
    assert [a["author"] for a in json.loads(exported.read_text(encoding="utf-8"))] == ["Ines Laurent"]
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "fresh"))
    _run(capsys, "import", str(exported))
    [article] = json.loads(_run(capsys, "export"))
    assert article["author"] == "Ines Laurent"


def test_an_export_without_authors_imports_with_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = [{"title": "Before authors", "body": "Written by an older Reader.", "url": "https://old.example/a"}]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    _run(capsys, "import", str(path))
    [article] = json.loads(_run(capsys, "export"))
    assert article["title"] == "Before authors" and article["author"] == ""


def _everything(database: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(database) as db:
        return {
            "articles": sorted(db.execute(
                "SELECT id, title, summary, language, source, url, canonical_url, published, tags, imported_at, seq FROM articles"
            )),
            "state": sorted(db.execute("SELECT * FROM state")),
            "related": sorted(db.execute("SELECT * FROM related")),
        }


def test_010_library_upgraded_through_every_step_keeps_everything_with_empty_authors(data_dir: Path) -> None:
    database = data_dir / "library.sqlite3"
    shutil.copyfile(V010, database)
    before = _everything(database)
    with Library.open(data_dir) as library:
        articles = [library.get(row.id) for row in library.list_articles()]
    assert len(articles) == 47 and {a.author for a in articles} == {""}
    assert _everything(database) == before
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(migrations.current_version())
        assert db.execute("SELECT COUNT(*) FROM articles WHERE author = ''").fetchone()[0] == 47


def test_author_is_stored_and_recover_copies_it_also_from_a_library_without_the_column(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article_id = _imported(tmp_path, capsys)
    counts = salvage(data_dir / "library.sqlite3", tmp_path / "salvaged.sqlite3")
    assert counts["articles"] == 1 and counts["unreadable"] == 0
    with sqlite3.connect(tmp_path / "salvaged.sqlite3") as db:
        assert db.execute("SELECT author FROM articles WHERE id = ?", (article_id,)).fetchone() == ("Ines Laurent",)

    old = tmp_path / "old.sqlite3"
    shutil.copyfile(V010, old)  # schema 1: no author column
    counts = salvage(old, tmp_path / "from-old.sqlite3")
    assert counts["articles"] == 47 and counts["unreadable"] == 0
    with sqlite3.connect(tmp_path / "from-old.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM articles WHERE author = ''").fetchone()[0] == 47


def test_a_feed_entry_digest_counts_the_author_only_when_there_is_one() -> None:
    entry = Article(id="a1b2c3d4e5f60718", title="Harbour reopens", body="Ferries run.", url="https://k.example/a", tags=("port",))
    before_authors = hashlib.sha256(
        "\x1f".join((entry.title, entry.summary, entry.body, entry.url, entry.published, "port")).encode("utf-8")
    ).hexdigest()[:32]
    assert entry_digest(entry) == before_authors  # stored digests stay valid: no rewrite of every entry
    assert entry_digest(entry.replace(author="Ann Lee")) != before_authors  # the update brings the author in
