"""Reader JSON: export and import round-trip; foreign or edited files are validated."""

from __future__ import annotations

import json

import pytest

from reader.errors import ImportFailure
from reader.importers import parse_bytes, parse_file
from reader.model import article_id


def test_reader_export_fixture(fixture_path, assert_safe) -> None:
    articles = parse_file(fixture_path("reader_export.json"))
    assert_safe(articles)
    first, kept, replaced = articles
    assert first.id == article_id(url=first.url)
    assert first.bookmarked is True and first.read is False
    assert first.imported_at == ""  # the store sets it
    assert first.related[0].title == "Night train links Kelmouth with the Alps"
    assert first.related[0].language == "en"
    assert kept.id == "0123456789abcdef"
    assert kept.tags == ("one", "two")
    assert kept.bookmarked is False  # only JSON true counts
    assert kept.read is True
    assert kept.language == "en"  # detected when missing
    assert replaced.title == "Replaced id"
    assert replaced.url == ""
    assert replaced.id == article_id(source="", title="Replaced id", published="")


@pytest.fixture
def exported(fixture_path) -> list:
    return [
        *parse_file(fixture_path("capture_en.txt")),
        *parse_file(fixture_path("feed_rss.xml")),
        *parse_file(fixture_path("page.html")),
    ]


def test_json_list_round_trip(exported) -> None:
    data = json.dumps([article.to_dict() for article in exported], ensure_ascii=False).encode()
    assert parse_bytes(data, "export.json") == exported


def test_json_lines_round_trip(exported) -> None:
    data = "\n".join(json.dumps(article.to_dict()) for article in exported).encode()
    assert parse_bytes(data, "export.jsonl") == exported


def test_single_object_as_show_writes_it(exported) -> None:
    data = json.dumps(exported[0].to_dict(), indent=2).encode()
    assert parse_bytes(data, "show.json") == [exported[0]]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"items": []}', "JSON is not a list of articles"),
        (b"[]", "empty"),
        (b'["text"]', "article 1 is not a JSON object"),
        (b'[{"title": 5}]', "article 1: 'title' is not text"),
        (b'[{"title": "x", "tags": {"a": 1}}]', "'tags' is not a list"),
        (b'[{"title": "x", "related": "y"}]', "'related' is not a list"),
        (b'[{"title": "", "summary": ""}]', "article 1: no title found"),
        (b'{"title": "a"}\n{"title": ', "malformed JSON Lines at line 2"),
        (b'[{"title": "x"},]', "malformed JSON at line 1"),
    ],
)
def test_invalid_reader_json(data: bytes, reason: str) -> None:
    with pytest.raises(ImportFailure, match=reason):
        parse_bytes(data, "bad.json")


def test_a_stated_language_is_kept_as_reader_chose_it_and_a_missing_one_detected() -> None:
    # A long English text stated as German: any other importer takes the text's word
    # for it (the <html lang> of a template); an export keeps what Reader chose.
    body = " ".join(["The harbour authority said the ships would wait for the tide."] * 10)
    records = [
        {"title": "Stated German", "body": body, "language": "de"},
        {"title": "Stated nothing", "body": body},
    ]
    stated, missing = parse_bytes("\n".join(map(json.dumps, records)).encode(), "export.jsonl")
    assert stated.language == "de"
    assert missing.language == "en"
