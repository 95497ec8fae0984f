"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org): one article per item.

The format is small enough that a library would add little: items carry
``content_html`` and/or ``content_text``, an optional ``summary``, ``title`` (optional:
a title-less item gets one from its first sentence), ``date_published``, ``url`` (or
``external_url``), ``tags``, ``authors`` (1.0: ``author``; the feed's stand for items without their own)
and, in 1.1, ``language``. The feed's title is the source.

Every version string the spec has used is a JSON Feed: ``https://jsonfeed.org/version/1``,
``.../1.1``, and the ``http://`` form of early feeds. Ids follow reader.importers.entries
(the item's ``id``, then its URL with its fragment, then its content); an item that
fails is skipped with a line naming it.
"""

from __future__ import annotations

import functools
import re
from typing import Any, TypeGuard

from reader.body import escape_text
from reader.errors import ImportFailure
from reader.importers import entries
from reader.importers.build import Parsed, finish, joined_names, joined_url
from reader.importers.html_body import html_to_markdown
from reader.model import Article

_VERSION = re.compile(r"\s*https?://(?:www\.)?jsonfeed\.org/version/", re.IGNORECASE)


def is_json_feed(value: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(value, dict) and bool(_VERSION.match(str(value.get("version", ""))))


def parse(feed: dict[str, Any], address: str = "") -> Parsed:
    """One article per item of a parsed JSON Feed; a line for each item skipped.

    ``address``, where the feed was fetched from, resolves relative item URLs and the
    links of ``content_html`` (as reader.importers.feeds does); ids keep the URL as written.
    """
    items = feed.get("items")
    if not isinstance(items, list):
        raise ImportFailure("JSON Feed has no list of items")
    source = _text(feed, "title")
    language = _text(feed, "language")
    feed_author = _author(feed)
    result = entries.articles(
        (
            entries.Entry(
                guid=str(item.get("id") or "") if isinstance(item.get("id"), (str, int)) else "",
                link=_text(item, "url") or _text(item, "external_url"),
                build=functools.partial(_article, item, source, language, feed_author, address),
                label=_text(item, "title") or _text(item, "url"),
            )
            if isinstance(item, dict)
            else entries.Entry(guid="", link="", build=_not_an_item, label="")
            for item in items
        ),
        scope=_text(feed, "feed_url") or _text(feed, "home_page_url") or source,
    )
    if not result.articles:
        raise ImportFailure("JSON Feed has no items" if not result.skipped else f"JSON Feed has no readable items ({result.skipped[0]})")
    return result


def _not_an_item() -> Article:
    raise ImportFailure("not a JSON object")


def _article(item: dict[str, Any], source: str, language: str, feed_author: str, address: str) -> Article:
    html = _text(item, "content_html")
    body = html_to_markdown(html, address) if html else escape_text(_text(item, "content_text"))
    tags = item.get("tags")
    article = Article(
        id="",
        title=_text(item, "title"),
        summary=_text(item, "summary"),
        body=body,
        source=source,
        author=_author(item) or feed_author,
        url=joined_url(address, _text(item, "url") or _text(item, "external_url")),
        published=_text(item, "date_published") or _text(item, "date_modified"),
        tags=tuple(tag for tag in tags if isinstance(tag, str)) if isinstance(tags, list) else (),
    )
    return finish(article, declared=_text(item, "language") or language, structured=True)


def _author(data: dict[str, Any]) -> str:
    """The names of an item's or the feed's authors: 1.1's ``authors`` list, else 1.0's
    ``author`` object. The spec makes the feed's the authors of every item without its own."""
    people = data.get("authors")
    if not isinstance(people, list) or not people:
        people = [data.get("author")]
    return joined_names(_text(person, "name") for person in people if isinstance(person, dict))


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""
