"""reader/export.py: the one Markdown builder the CLI and the app share."""

from __future__ import annotations

from reader.atomic import write_atomically
from reader.export import bookmarks_markdown
from reader.model import Article


def _article(title: str, url: str = "https://news.example/a", source: str = "Gazette", published: str = "2026-03-10T08:00:00") -> Article:
    return Article(id="a" * 16, title=title, body="x", url=url, source=source, published=published)


def test_titles_are_cleaned_before_brackets_are_escaped():
    text = bookmarks_markdown([_article("Red \x1b[31malert\x1b[0m and [@click=app.quit]x[/]\n  now")])
    assert text == (
        "# Bookmarks\n\n"
        "- [Red alert and \\[@click=app.quit\\]x\\[/\\] now](https://news.example/a) — Gazette, 2026-03-10\n"
    )
    assert "\x1b" not in text and "31m" not in text


def test_only_web_urls_become_links_and_empty_meta_is_left_out():
    text = bookmarks_markdown([_article("Local", url="file:///etc/passwd", source="", published="")])
    assert text.splitlines()[-1] == "- Local"


def test_write_atomically_replaces_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "out" / "bookmarks.md"
    write_atomically(target, "old\n")
    write_atomically(target, "new\n")
    assert target.read_text() == "new\n"
    assert [p.name for p in target.parent.iterdir()] == ["bookmarks.md"]
