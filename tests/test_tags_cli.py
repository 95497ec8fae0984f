"""``reader tag``, ``reader tags``, ``reader list --tag`` and the tags of ``reader show``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from reader.cli import main

RECORDS = [
    {"title": "Rotor sails on the ferry", "url": "https://h.example/a", "body": "Sails spin.", "tags": ["Harbour", "Ferries"]},
    {"title": "Night train returns", "url": "https://h.example/b", "body": "It runs in May.", "tags": ["Rail"]},
]


def _run(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> tuple[str, str]:
    capsys.readouterr()
    assert main(list(argv)) == code
    captured = capsys.readouterr()
    return captured.out, captured.err


@pytest.fixture
def ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    _run(capsys, "import", str(path))
    rows = json.loads(_run(capsys, "list", "--format", "json")[0])
    return {row["title"].split()[0].lower(): row["id"] for row in rows}


def test_tag_adds_and_removes_and_show_prints_the_tags(ids: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    _, err = _run(capsys, "tag", ids["rotor"][:6], "+Later", "-ferries")
    assert "[harbour, later]" in err
    out, _ = _run(capsys, "show", ids["rotor"])
    assert "tags: harbour, later" in out.splitlines()
    shown = json.loads(_run(capsys, "show", ids["rotor"], "--format", "json")[0])
    assert (shown["user_tags"], shown["removed_tags"], shown["shown_tags"]) == (["later"], ["ferries"], ["harbour", "later"])


def test_tag_prints_json_and_takes_options_after_the_words(
    ids: dict[str, str], capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    out, err = _run(capsys, "tag", ids["night"][:6], ids["night"], "-rail", "+Sleeper", "--format", "json", "--data-dir", str(data_dir))
    assert err == ""
    assert json.loads(out) == {"added": ["sleeper"], "removed": ["rail"], "articles": [{"id": ids["night"], "tags": ["sleeper"]}]}


def test_tag_takes_ids_from_standard_input(
    ids: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = _run(capsys, "list", "--format", "json")[0]
    monkeypatch.setattr("sys.stdin", io.StringIO(listing))
    _run(capsys, "tag", "-", "+batch")
    out, _ = _run(capsys, "list", "--tag", "Batch", "--format", "json")
    assert {row["id"] for row in json.loads(out)} == set(ids.values())


def test_a_bad_word_or_id_changes_nothing(ids: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    _, err = _run(capsys, "tag", ids["rotor"], "+good", "+a,b", code=2)
    assert "comma" in err
    _, err = _run(capsys, "tag", ids["rotor"], code=2)
    assert "+NAME" in err
    _run(capsys, "tag", ids["rotor"], "ffffffffffffffff", "+good", code=1)
    assert json.loads(_run(capsys, "list", "--tag", "good", "--format", "json")[0]) == []


def test_tags_lists_counts_in_table_and_json(ids: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "read", ids["night"])
    _run(capsys, "tag", ids["night"], "+harbour")
    data = json.loads(_run(capsys, "tags", "--format", "json")[0])
    assert data == [
        {"tag": "ferries", "articles": 1, "unread": 1},
        {"tag": "harbour", "articles": 2, "unread": 1},
        {"tag": "rail", "articles": 1, "unread": 0},
    ]
    out, _ = _run(capsys, "tags")
    assert out.splitlines()[0].split() == ["TAG", "ARTICLES", "UNREAD"]
    assert out.splitlines()[2].split() == ["harbour", "2", "1"]


def test_list_by_a_tag_nothing_has_says_so(ids: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    out, err = _run(capsys, "list", "--tag", "nothing")
    assert out == "" and "--tag nothing" in err


def test_tags_in_an_empty_library(capsys: pytest.CaptureFixture[str]) -> None:
    out, err = _run(capsys, "tags")
    assert out == "" and "no tags yet" in err
