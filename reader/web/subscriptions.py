"""What the CLI and the app do with feeds and URLs, over one library's store.

:class:`Subscriptions` is what :class:`reader.library.Library` hands out as
``library.feeds``: subscribe (a feed URL, or a page whose feeds are discovered),
list, rename, set options, unsubscribe, OPML in and out, update, save a page by URL
(read-later) and fetch an article's full text. It never touches the search index: the
library indexes what these calls stored (it wraps the calls that store articles).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from reader.errors import FeedChoiceNeeded, FetchError, ImportFailure
from reader.feeds_store import Feed, FeedStore
from reader.model import Article
from reader.store import Store
from reader.web.feeds import (
    FoundFeed,
    OpmlFeed,
    Progress,
    Updater,
    UpdateReport,
    discover,
    export_opml,
    is_due,
    is_feed,
    page_article,
    parse_opml,
    with_full_text,
)
from reader.web.http import DEFAULT_LIMITS, Fetcher, Limits, Response, check_url

_PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True, slots=True)
class OpmlReport:
    added: list[Feed]
    known: list[Feed]
    skipped: list[tuple[OpmlFeed, str]]  # outlines whose xmlUrl is no http(s) URL, and why


class Subscriptions:
    """Feeds and fetching for one store. ``limits`` and ``fetcher_options`` reach the HTTP client."""

    def __init__(
        self, store: Store, limits: Limits = DEFAULT_LIMITS, concurrency: int = 16, processes: int | None = None,
        **fetcher_options: object,
    ) -> None:
        self._store = store
        self.db = FeedStore(store)
        self.limits = limits
        self.concurrency = concurrency
        self.processes = processes  # parser processes of an update (reader.web.feeds.Updater)
        self._options = fetcher_options

    # -- subscribing --------------------------------------------------------------------

    def add(self, url: str, *, choose: str | None = None, first: bool = False, tags: Sequence[str] = ()) -> tuple[Feed, bool]:
        """Subscribe to ``url``: a feed, or a page announcing feeds.

        A page with several feeds raises FeedChoiceNeeded listing them, unless ``choose``
        (a URL or title of one, or its number from 1) or ``first`` picks one. Returns
        (the feed, whether it is new).
        """
        check_url(url)
        response = self._fetch(url)
        data = response.body_for_import()
        if is_feed(data):
            return self.db.add(response.permanent_url or url, _feed_title(data), tags)
        found = discover(data, response.url)
        if not found:
            raise ImportFailure("neither a feed nor a page that links to one")
        pick = _pick(found, choose, first)
        if pick is None:
            raise FeedChoiceNeeded(
                f"the page links to {len(found)} feeds; name one or use --first", [(f.url, f.title) for f in found]
            )
        response = self._fetch(pick.url)
        if not is_feed(response.body_for_import()):
            raise ImportFailure(f"the page's feed at {pick.url} is not a feed")
        feed_url, title = response.permanent_url or pick.url, pick.title
        return self.db.add(feed_url, _feed_title(response.body_for_import()) or title, tags)

    def import_opml(self, data: bytes) -> OpmlReport:
        """Subscribe to every feed of an OPML file (nothing is fetched until an update).

        An outline whose ``xmlUrl`` is no http(s) URL is not subscribed to, and the
        report names it (it used to be passed over without a word).
        """
        feeds: list[OpmlFeed] = parse_opml(data)
        added: list[Feed] = []
        known: list[Feed] = []
        skipped: list[tuple[OpmlFeed, str]] = []
        for item in feeds:
            if not item.url:
                skipped.append((item, "no xmlUrl"))
                continue
            try:
                check_url(item.url)
            except FetchError as error:
                skipped.append((item, str(error)))
                continue
            feed, new = self.db.add(item.url, item.title, item.tags)
            (added if new else known).append(feed)
        return OpmlReport(added, known, skipped)

    def export_opml(self) -> str:
        return export_opml(self.db.all())

    # -- reading ------------------------------------------------------------------------

    def find(self, key: str) -> Feed:
        return self.db.find(key)

    # -- changing -----------------------------------------------------------------------

    def rename(self, key: str, title: str) -> Feed:
        return self.db.update_settings(self.find(key).id, title=title)

    def configure(self, key: str, *, full_text: bool | None = None, update_interval: int | None = None,
                  clear_interval: bool = False, tags: Sequence[str] | None = None) -> Feed:
        feed = self.find(key)
        values: dict[str, object] = {}
        if full_text is not None:
            values["full_text"] = int(full_text)
        if update_interval is not None:
            if update_interval <= 0:
                raise ValueError("the update interval is a number of minutes above 0")
            values["update_interval"] = update_interval
        if clear_interval:
            values["update_interval"] = None
        if tags is not None:
            values["tags"] = tuple(tags)
        return self.db.update_settings(feed.id, **values) if values else feed

    def remove(self, key: str, *, delete_articles: bool = False) -> tuple[Feed, list[str], int]:
        """Unsubscribe; returns (the feed, article ids to delete, bookmarked articles kept)."""
        feed = self.find(key)
        doomed, kept = self.db.remove(feed.id, delete_articles=delete_articles)
        return feed, doomed, kept

    # -- fetching -----------------------------------------------------------------------

    def due(self, keys: Sequence[str] = ()) -> list[Feed]:
        """The feeds named (any state), or every due feed."""
        if keys:
            return list({feed.id: feed for feed in (self.find(key) for key in keys)}.values())
        return [feed for feed in self.db.all() if is_due(feed)]

    def update(self, feeds: Sequence[Feed], progress: Progress | None = None) -> UpdateReport:
        updater = Updater(self.db, self.limits, concurrency=self.concurrency, processes=self.processes, **self._options)  # type: ignore[arg-type]
        return updater.update(feeds, progress)

    def fetch_page(self, url: str) -> Article:
        """The article of the web page at ``url`` (not stored)."""
        check_url(url)
        response = self._fetch(url, _PAGE_ACCEPT)
        if is_feed(response.body_for_import()):
            raise ImportFailure("this URL is a feed; subscribe with `reader feed add`")
        return page_article(response)

    def full_text(self, article: Article) -> Article:
        """``article`` with the text of its page (FetchError/ImportFailure say why not)."""
        if not article.url:
            raise ImportFailure("the article has no URL to fetch")
        extracted = self.fetch_page(article.url)
        if len(extracted.body) <= len(article.body):
            raise ImportFailure("the page holds no more text than the article already has")
        return with_full_text(article, extracted)

    def _fetch(self, url: str, accept: str | None = None) -> Response:
        async def run() -> Response:
            async with Fetcher(self.limits, **self._options) as fetcher:  # type: ignore[arg-type]
                return await (fetcher.fetch(url, accept=accept) if accept else fetcher.fetch(url))

        return asyncio.run(run())


def _feed_title(data: bytes) -> str:
    """The title a feed gives itself ("" when it cannot be read yet, e.g. no entries)."""
    from reader.importers import parse_bytes

    try:
        articles = parse_bytes(data, "feed.xml")
    except ImportFailure:
        return ""
    return articles[0].source if articles else ""


def _pick(found: list[FoundFeed], choose: str | None, first: bool) -> FoundFeed | None:
    if len(found) == 1 or (first and not choose):
        return found[0]
    if choose:
        for number, feed in enumerate(found, 1):
            if choose in (feed.url, str(number)) or feed.title.casefold() == choose.casefold():
                return feed
        raise FeedChoiceNeeded(f"none of the page's feeds is {choose!r}", [(f.url, f.title) for f in found])
    return None
