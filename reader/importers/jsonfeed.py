"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org): one article per item.

The format is small enough that a library would add little: items carry
``content_html`` and/or ``content_text``, an optional ``summary``, ``title`` (optional:
a title-less item gets one from its first sentence), ``date_published``, ``url`` (or
``external_url``), ``tags`` and, in 1.1, ``language``. The feed's title is the source.
"""

from __future__ import annotations

from reader.errors import ImportFailure
from reader.importers.build import finish
from reader.importers.html import html_to_paragraphs
from reader.model import Article

VERSION_PREFIX = "https://jsonfeed.org/version/"


def is_json_feed(value: object) -> bool:
    return isinstance(value, dict) and str(value.get("version", "")).startswith(VERSION_PREFIX)


def parse(feed: dict) -> list[Article]:
    """One article per item of a parsed JSON Feed."""
    items = feed.get("items")
    if not isinstance(items, list):
        raise ImportFailure("JSON Feed has no list of items")
    source = _text(feed, "title")
    language = _text(feed, "language")
    articles = [_article(item, source, language) for item in items if isinstance(item, dict)]
    if not articles:
        raise ImportFailure("JSON Feed has no items")
    return articles


def _article(item: dict, source: str, language: str) -> Article:
    html = _text(item, "content_html")
    body = html_to_paragraphs(html) if html else _text(item, "content_text")
    tags = item.get("tags")
    article = Article(
        id="",
        title=_text(item, "title"),
        summary=_text(item, "summary"),
        body=body,
        source=source,
        url=_text(item, "url") or _text(item, "external_url"),
        published=_text(item, "date_published") or _text(item, "date_modified"),
        tags=tuple(tag for tag in tags if isinstance(tag, str)) if isinstance(tags, list) else (),
    )
    return finish(article, declared=_text(item, "language") or language)


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""
