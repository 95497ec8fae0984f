"""``reader delete`` (and its old name ``remove``), ``reader restore``, ``reader trash``."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.library import Library

NOTE = b"Harbour notes\n\nThe pilots met the ferry crews on the quay.\n"
OTHER = b"Library hours\n\nThe reading room opens until ten.\n"


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ids(data_dir: Path, tmp_path: Path) -> dict[str, str]:
    for name, data in (("notes.txt", NOTE), ("hours.txt", OTHER)):
        (tmp_path / name).write_bytes(data)
    with Library.open(data_dir) as library:
        library.import_paths([tmp_path / "notes.txt", tmp_path / "hours.txt"])
        return {row.title: row.id for row in library.list_articles()}


def test_delete_lists_trash_and_restore(capsys, ids: dict[str, str]) -> None:
    harbour = ids["Harbour notes"]
    assert run(capsys, "bookmark", harbour)[0] == 0
    code, _, err = run(capsys, "delete", harbour[:6])
    assert code == 0
    assert f"deleted {harbour[:8]}  Harbour notes" in err and "moved 1 to the trash for 30 days" in err
    assert [a["title"] for a in json.loads(run(capsys, "list", "--format", "json")[1])] == ["Library hours"]
    assert json.loads(run(capsys, "bookmarks", "--format", "json")[1]) == []
    code, out, _ = run(capsys, "trash")
    assert out.splitlines()[0].split() == ["ID", "DELETED", "UNTIL", "SOURCE", "TITLE"]
    assert harbour[:8] in out and "Harbour notes" in out
    [item] = json.loads(run(capsys, "trash", "--format", "json")[1])
    assert item["id"] == harbour and item["title"] == "Harbour notes" and item["expires_at"] > item["deleted_at"]
    code, out, _ = run(capsys, "restore", harbour[:6], "--format", "json")
    assert json.loads(out) == {"restored": [harbour], "forgotten": []}
    assert [a["title"] for a in json.loads(run(capsys, "bookmarks", "--format", "json")[1])] == ["Harbour notes"]
    assert "the trash is empty" in run(capsys, "trash")[2]


def test_delete_reads_ids_from_standard_input(capsys, monkeypatch, ids: dict[str, str]) -> None:
    listed = run(capsys, "list", "--format", "json")[1]
    code, out, _ = run(capsys, "delete", "-", "--format", "json", stdin=listed, monkeypatch=monkeypatch)
    assert code == 0
    assert sorted(json.loads(out)["deleted"]) == sorted(ids.values())
    assert json.loads(run(capsys, "list", "--format", "json")[1]) == []
    code, _, err = run(capsys, "restore", "-", stdin=" ".join(ids.values()), monkeypatch=monkeypatch)
    assert code == 0 and err.count("restored ") == 2


def test_an_unknown_id_deletes_nothing(capsys, ids: dict[str, str]) -> None:
    code, _, err = run(capsys, "delete", ids["Harbour notes"], "ffffffffff")
    assert code == 1 and "no article with id 'ffffffffff'" in err
    assert len(json.loads(run(capsys, "list", "--format", "json")[1])) == 2
    code, _, err = run(capsys, "delete")
    assert code == 2 and "give article ids" in err


def test_remove_is_delete(capsys, ids: dict[str, str]) -> None:
    code, out, _ = run(capsys, "remove", ids["Library hours"][:8], "--format", "json")
    assert code == 0 and json.loads(out) == {"removed": [ids["Library hours"]]}
    assert [t["title"] for t in json.loads(run(capsys, "trash", "--format", "json")[1])] == ["Library hours"]


def test_empty_needs_yes_when_it_cannot_ask(capsys, monkeypatch, ids: dict[str, str]) -> None:
    run(capsys, "delete", ids["Library hours"])
    code, _, err = run(capsys, "trash", "--empty", stdin="", monkeypatch=monkeypatch)
    assert code == 2 and "add --yes" in err
    assert len(json.loads(run(capsys, "trash", "--format", "json")[1])) == 1
    code, out, _ = run(capsys, "trash", "--empty", "--yes", "--format", "json")
    assert code == 0 and json.loads(out) == {"emptied": 1}
    assert json.loads(run(capsys, "trash", "--format", "json")[1]) == []
    code, _, err = run(capsys, "restore", ids["Library hours"])
    assert code == 0 and "was emptied from the trash, so its text is gone" in err


def test_import_of_a_deleted_article_skips_it_in_one_line(capsys, ids: dict[str, str], tmp_path: Path) -> None:
    run(capsys, "delete", ids["Harbour notes"])
    code, _, err = run(capsys, "import", str(tmp_path / "notes.txt"))
    assert code == 0
    assert err.splitlines() == [
        f"reader: skipped 1 article you deleted ({ids['Harbour notes'][:8]}); `reader restore ID` brings one back",
        "imported 0, updated 0, failed 0",
    ]


def test_delete_samples_leaves_the_users_own_articles(capsys, ids: dict[str, str]) -> None:
    assert run(capsys, "import", "--samples")[0] == 0
    code, out, err = run(capsys, "delete", "--samples", "--format", "json")
    assert code == 0 and len(json.loads(out)["deleted"]) > 40
    assert sorted(a["title"] for a in json.loads(run(capsys, "list", "--format", "json")[1])) == ["Harbour notes", "Library hours"]
    code, _, err = run(capsys, "delete", "--samples")
    assert code == 0 and "no sample articles in the library" in err
