"""Ids for feed entries: no two distinct entries of a feed ever share one.

An entry is known by its guid (RSS ``<guid>``, Atom ``<id>``, JSON Feed ``id``), else by
its link *with* its fragment (Scripting News gives every post of a day the same page
and a different ``#anchor``), else by a hash of its content. A key that is an http(s)
URL without a fragment gives the id the same page imported any other way gets
(reader.model.article_id), so re-importing keeps bookmarks; any other key is hashed
with the feed it belongs to (a guid "42" in one feed is not the "42" of another).

Within one feed, an entry whose key another, different entry already holds falls back
to its next key; an entry that repeats another exactly is skipped with a line naming
it. Entries that fail (no text at all) are skipped with a line too, never the feed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from reader.errors import ImportFailure
from reader.importers.build import Parsed, http_url
from reader.model import Article, article_id
from reader.text import clean_line

_NAME_CHARS = 60


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a feed, before it is built: its keys and how to build its article."""

    guid: str
    link: str
    build: Callable[[], Article]
    label: str  # what names it in a line: its title, else its link, else ""


def articles(entries: Iterable[Entry], scope: str) -> Parsed:
    """The feed's articles, each under an id no other entry of the feed holds; lines for the rest."""
    built: list[Article] = []
    skipped: list[str] = []
    holders: dict[str, str] = {}  # id -> content hash of the entry holding it
    for number, entry in enumerate(entries, 1):
        name = _name(number, entry.label)
        try:
            article = entry.build()
        except ImportFailure as failure:
            skipped.append(f"{name} skipped: {failure}")
            continue
        content = _content_hash(article)
        for key in (entry.guid, entry.link, content):
            if not key:
                continue
            candidate = _id(key, scope)
            holder = holders.get(candidate)
            if holder is None:
                holders[candidate] = content
                built.append(article.replace(id=candidate))
                break
            if holder == content:
                skipped.append(f"{name} skipped: it repeats an earlier entry")
                break
    return Parsed(built, tuple(skipped))


def _id(key: str, scope: str) -> str:
    url = http_url(key)
    if url and not urlsplit(url).fragment:
        return article_id(url=url)
    prefix = "entry-url" if url else f"entry\x00{scope}"
    return hashlib.sha256(f"{prefix}\x00{key.strip()}".encode()).hexdigest()[:16]


def _content_hash(article: Article) -> str:
    fields = (article.title, article.url, article.summary, article.body, article.published)
    return "content:" + hashlib.sha256("\x00".join(fields).encode("utf-8")).hexdigest()


def _name(number: int, label: str) -> str:
    label = clean_line(label)
    if len(label) > _NAME_CHARS:
        label = label[: _NAME_CHARS - 1] + "…"
    return f"entry {number} (“{label}”)" if label else f"entry {number}"
