"""Markdown files keep their structure; pathological nesting is kept as text and said."""

from __future__ import annotations

from pathlib import Path

from reader.body import BlockKind, Link, links, to_plain_text
from reader.body import parse as parse_body
from reader.importers import parse_bytes, parse_file
from reader.library import Library


def test_structure_survives_the_import() -> None:
    source = (
        "# Title\n\nLead paragraph, a sentence.\n\n## Part one\n\n"
        "- outer\n  - inner with a [link](https://example.org/x)\n\n> a quote\n\n"
        "```\n  code   kept\n```\n\nText with *emphasis* and **strong**.\n"
    )
    [article] = parse_bytes(source.encode(), "a.md")
    assert article.title == "Title"
    assert article.summary == "Lead paragraph, a sentence."
    kinds = [block.kind for block in parse_body(article.body).blocks]
    assert kinds == [BlockKind.HEADING, BlockKind.BULLET_LIST, BlockKind.QUOTE, BlockKind.CODE, BlockKind.PARAGRAPH]
    assert links(article.body) == [Link("link", "https://example.org/x")]
    assert "  code   kept" in article.body


def test_five_thousand_nested_list_levels_keep_every_item_and_say_so() -> None:
    source = "".join("  " * level + f"- item {level}\n" for level in range(5_000))
    notes: list[str] = []
    [article] = parse_bytes(source.encode(), "deep.md", notes)
    text = to_plain_text(article.body)
    assert all(f"item {level}" in text for level in range(1, 5_000))  # item 0 may be the title
    assert len(notes) == 1 and "kept as plain text" in notes[0] and "deeper than" in notes[0]


def test_a_hundred_thousand_quote_markers_keep_the_text_and_say_so() -> None:
    source = ">" * 100_000 + " the quoted words\n\nAn ordinary paragraph after it.\n"
    notes: list[str] = []
    [article] = parse_bytes(source.encode(), "quotes.md", notes)
    text = to_plain_text(article.body) + " " + article.title + " " + article.summary
    assert "the quoted words" in text
    assert "An ordinary paragraph after it." in text
    assert notes == ["1 lines nested deeper than 32 quotes or 16 lists are kept as plain text"]


def test_the_library_reports_the_note_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "quotes.md"
    path.write_text("# Deep\n\n" + ">" * 1_000 + " deep words\n")
    with Library.open() as library:
        report = library.import_paths([path])
        assert (report.added, report.failed) == (1, 0)
        assert report.notes == [(str(path), "1 lines nested deeper than 32 quotes or 16 lists are kept as plain text")]
        [row] = library.list_articles()
        assert "deep words" in to_plain_text(library.get(row.id).body)


def test_a_plain_markdown_file_has_no_notes(tmp_path: Path) -> None:
    notes: list[str] = []
    path = tmp_path / "plain.md"
    path.write_text("# Plain\n\nNothing deep here.\n")
    parse_file(path, notes)
    assert notes == []
