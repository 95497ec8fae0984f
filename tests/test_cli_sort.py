"""``reader list --sort date|title|source`` and ``--reverse``: fixed orders, filters still apply."""

from __future__ import annotations

import json

import pytest

from reader import cli
from reader.library import Library
from reader.model import Article, ListOrder, article_id


def _article(title: str, source: str, published: str, imported_at: str, language: str = "en") -> Article:
    return Article(id=article_id(source=source, title=title, published=published), title=title, summary="",
                   body=f"{title}.", language=language, source=source, url="", published=published,
                   imported_at=imported_at)


ARTICLES = [
    _article("harbour pact signed", "Kelmouth Post", "2026-03-02", "2026-03-05T10:00:00+00:00"),
    _article("Alpine train returns", "Zurich Daily", "2026-03-04", "2026-03-05T10:00:00+00:00"),
    _article("Bibliothek öffnet länger", "kelmouth Post", "2026-03-01", "2026-03-05T10:00:00+00:00", "de"),
    _article("Market notes", "", "", "2026-03-06T10:00:00+00:00"),
    _article("Cycling lanes planned", "Anvil Times", "2026-03-03", "2026-03-05T10:00:00+00:00"),
]


@pytest.fixture
def library(data_dir):
    with Library.open(data_dir) as lib:
        lib.add_articles(ARTICLES)
        lib.set_read(ARTICLES[1].id, True)
    return data_dir


def _titles(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert cli.main(["list", "--format", "json", *args]) == 0
    return [row["title"] for row in json.loads(capsys.readouterr().out)]


def test_default_order_is_newest_first_with_undated_last(library, capsys):
    newest = ["Alpine train returns", "Cycling lanes planned", "harbour pact signed", "Bibliothek öffnet länger", "Market notes"]
    assert _titles(capsys) == newest
    assert _titles(capsys, "--sort", "date") == newest


def test_sort_by_title_ignores_case(library, capsys):
    assert _titles(capsys, "--sort", "title") == [
        "Alpine train returns", "Bibliothek öffnet länger", "Cycling lanes planned", "harbour pact signed", "Market notes",
    ]


def test_sort_by_source_groups_sources_newest_first_and_puts_no_source_last(library, capsys):
    assert _titles(capsys, "--sort", "source") == [
        "Cycling lanes planned",  # Anvil Times
        "harbour pact signed", "Bibliothek öffnet länger",  # Kelmouth Post, either case, newest first
        "Alpine train returns",  # Zurich Daily
        "Market notes",  # no source
    ]


def test_reverse_turns_the_whole_list(library, capsys):
    for order in ListOrder:
        forward = _titles(capsys, "--sort", order.value)
        assert _titles(capsys, "--sort", order.value, "--reverse") == forward[::-1], order


def test_sort_combines_with_filters_and_limit(library, capsys):
    assert _titles(capsys, "--sort", "title", "--unread", "--limit", "2") == ["Bibliothek öffnet länger", "Cycling lanes planned"]
    assert _titles(capsys, "--sort", "title", "--lang", "de") == ["Bibliothek öffnet länger"]


def test_table_output_follows_the_sort(library, capsys):
    assert cli.main(["list", "--sort", "title"]) == 0
    out = capsys.readouterr().out
    positions = [out.index(title) for title in ("Alpine train", "Bibliothek", "Cycling lanes", "harbour pact", "Market notes")]
    assert positions == sorted(positions)


def test_an_unknown_order_is_refused_before_any_sql(library, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["list", "--sort", "title; DROP TABLE articles"])
    assert exit_.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
    with Library.open(library) as lib:
        assert lib.count() == len(ARTICLES)
        with pytest.raises(ValueError):
            lib.list_articles(order="published DESC")  # type: ignore[arg-type]
