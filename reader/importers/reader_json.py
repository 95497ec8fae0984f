"""Reader JSON: what ``reader export`` and ``reader show --format json`` write.

A list of article objects (or JSON Lines of them, or a single object) in the shape of
:meth:`Article.to_dict`, so an export imports back as the same articles with the same
ids, bookmarks and read state. The file may have been edited or written by another
tool, so it is validated, not trusted: text fields must be text, every string is
cleaned like any other import, and an ``id`` is kept only if it has the form Reader
gives ids (16 lower-case hex digits); anything else gets the id the article's URL or
source, title and date give it. ``imported_at`` is left to the store.
"""

from __future__ import annotations

from reader.body import FORMAT as BODY_FORMAT
from reader.errors import ImportFailure
from reader.importers.build import finish
from reader.model import Article, article_from_dict

_TEXT_FIELDS = ("id", "title", "summary", "body", "language", "source", "url", "published")


def parse(value: object) -> list[Article]:
    """The articles of a parsed Reader JSON document."""
    if isinstance(value, dict) and "title" in value:
        value = [value]
    if not isinstance(value, list):
        raise ImportFailure("JSON is not a list of articles")
    if not value:
        raise ImportFailure("JSON list of articles is empty")
    return [_article(number, item) for number, item in enumerate(value, start=1)]


def _article(number: int, item: object) -> Article:
    if not isinstance(item, dict):
        raise ImportFailure(f"article {number} is not a JSON object")
    for name in _TEXT_FIELDS:
        if item.get(name) is not None and not isinstance(item[name], str):
            raise ImportFailure(f"article {number}: {name!r} is not text")
    tags = item.get("tags")
    if tags is not None and not isinstance(tags, (str, list)):
        raise ImportFailure(f"article {number}: 'tags' is not a list")
    related = item.get("related")
    if related is not None and not isinstance(related, list):
        raise ImportFailure(f"article {number}: 'related' is not a list")
    cleaned = dict(item)
    cleaned["tags"] = [str(tag) for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else tags
    cleaned["related"] = [_link(link) for link in related or () if isinstance(link, dict)]
    cleaned["bookmarked"] = item.get("bookmarked") is True
    cleaned["read"] = item.get("read") is True
    try:
        # finish() keeps a well-formed id and computes the others from the cleaned fields.
        # Exports before 0.2 have no body_format: their bodies are plain paragraphs.
        structured = item.get("body_format") == BODY_FORMAT
        return finish(article_from_dict(cleaned).replace(id=item.get("id") or ""), structured=structured)
    except ImportFailure as failure:
        raise ImportFailure(f"article {number}: {failure}") from None


def _link(link: dict) -> dict:
    """A related link with only text values (anything else becomes empty)."""
    return {key: value for key, value in link.items() if isinstance(value, str)}
