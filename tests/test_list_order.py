"""Undated articles have a fixed place: after the dated ones, the last imported first, in every list."""

from __future__ import annotations

from reader.library import Library
from reader.model import Article, article_id


def _article(title: str, published: str, imported_at: str) -> Article:
    return Article(id=article_id(source="Notes", title=title, published=published), title=title, summary="",
                   body=f"{title}.", language="en", source="Notes", url="", published=published, imported_at=imported_at)


def test_undated_articles_sort_by_import_time_in_the_list_and_the_bookmarks(data_dir):
    # Titles chosen so that id order differs from import order.
    imports = [
        _article("Zebra crossing notes", "", "2026-01-01T10:00:00+00:00"),
        _article("Apple harvest notes", "", "2026-01-03T10:00:00+00:00"),
        _article("Mango market notes", "", "2026-01-02T10:00:00+00:00"),
        _article("A dated report", "2026-05-01", "2026-01-01T09:00:00+00:00"),
    ]
    with Library.open(data_dir) as library:
        for article in imports:
            library.add_articles([article])
            library.set_bookmarked(article.id, True)
        expected = ["A dated report", "Apple harvest notes", "Mango market notes", "Zebra crossing notes"]
        assert [row.title for row in library.list_articles()] == expected
        assert [row.title for row in library.list_articles(bookmarked=True)] == expected
        assert [article.title for article in library.bookmarks()] == expected
