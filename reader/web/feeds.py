"""Subscriptions: finding a page's feeds, OPML in and out, and updating feeds.

Fetched bytes go through :func:`reader.importers.parse_bytes`, the entry point a file
takes, so a feed entry is read exactly like a saved feed file (defusedxml first, the
same HTML cleaning, the same ids). An update:

1. asks with the validators of the last answer (a 304 costs one request, nothing else);
2. parses the entries and compares each with the digest stored at the last update:
   only new and changed entries are written, so a read mark, a bookmark, a reading
   position or a fetched full text survive every update of an unchanged entry; an
   article the user removed is not brought back;
3. for a feed with full text on, fetches the page of each new entry that carries only a
   summary or a cut text, and keeps the extracted article's text;
4. stores the articles with their links and the new validators, several feeds in one
   transaction (feeds_store.py's note says why nothing committed is lost).

Parsing (step 2's importers, and step 3's page extraction) runs in parser processes
when an update has many feeds (:class:`Parsers`): the importers are pure Python, and
in this process's threads they held the interpreter lock that the event loop needs as
well, so one core parsed while the network waited.

Errors of one feed never stop the others; each leaves one line in ``last_error``.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import re
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import AsyncExitStack, contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_for
from typing import TypeVar
from xml.etree.ElementTree import Element, ParseError, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from reader.errors import FetchError, Gone, ImporterCrashed, ImportFailure, RateLimited
from reader.feeds_store import Feed, FeedStore, FeedUpdate, entry_digest
from reader.model import Article
from reader.processes import default_start_method
from reader.text import clean_line
from reader.web.http import DEFAULT_LIMITS, Fetcher, Limits, Response, Validators, host_key

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json")
_CUT_MARKERS = re.compile(r"(\[\s*(…|\.\.\.)\s*\]|…|\.\.\.|read more|continue reading|weiterlesen)\s*$", re.IGNORECASE)
_SHORT_BODY_CHARS = 600
_UNCHANGED_BATCH = 200
# Parser processes: one per core, at most 4, for an update of at least PARSERS_FROM feeds.
# Parsing one feed of 20 entries is about 9 ms of a core, and a parser process costs
# most of a second of a core to start (the importers and the language model load in it),
# so a handful of feeds is parsed in a thread of this process instead.
PARSER_PROCESSES = min(4, os.cpu_count() or 1)
PARSERS_FROM = 20
# Parsers yield the cores to this process: the event loop here starts every fetch and
# reads every answer (and in the app, draws the screen), and each moment it waits for a
# core is a moment no request is in flight. The 1,000 feeds of benchmarks/feeds_bench.py,
# parsers at nice 0: the last fetched after 8.5 to 9.0 s, the update done in 12.1 to
# 13.0 s; at nice 10: 8.0 to 8.2 s and 11.7 to 12.0 s (four runs each, alternating).
# The price is paid when another program keeps a core busy: there the update took 29.0
# and 29.5 s at nice 10 (27.6 and 20.5 s at nice 0), as parsing, background work, gives
# way to the rest of the machine too. Nice 5 was within the noise of nice 10 both ways.
PARSER_NICENESS = 10
# Feeds being fetched, or fetched and not yet parsed (their bodies in memory), are at most
# this many times the update's concurrency (see Updater._update_all).
BACKLOG_FACTOR = 2
# Parsed feeds are stored WRITE_BATCH at a time in one transaction (one commit, an fsync,
# instead of two a feed), and none waits more than WRITE_SECONDS for its batch.
WRITE_BATCH = 25
WRITE_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class FoundFeed:
    """A feed a page links to with ``<link rel="alternate">``."""

    url: str
    title: str
    type: str


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str = ""
    tags: tuple[str, ...] = ()


@dataclass
class FeedResult:
    """How one feed's update went: ``status`` is "updated", "not modified" or "failed"."""

    feed: Feed
    status: str
    added: int = 0
    updated: int = 0
    error: str = ""
    moved_to: str | None = None
    skipped: tuple[str, ...] = ()  # the entries left out, a line each ("entry 3 skipped: no title found")


@dataclass
class UpdateReport:
    results: list[FeedResult] = field(default_factory=list)

    @property
    def failed(self) -> list[FeedResult]:
        return [r for r in self.results if r.status == "failed"]

    def summary(self) -> str:
        added = sum(r.added for r in self.results)
        updated = sum(r.updated for r in self.results)
        unchanged = sum(1 for r in self.results if r.status == "not modified")
        noun = "feed" if len(self.results) == 1 else "feeds"
        return (
            f"{len(self.results)} {noun}: {added} new articles, {updated} updated, "
            f"{unchanged} not modified, {len(self.failed)} failed"
        )


# -- discovery -----------------------------------------------------------------------


def is_feed(data: bytes) -> bool:
    """Whether ``data`` is a feed (RSS, Atom or JSON Feed), as the importers would see it."""
    from reader.importers import detect
    from reader.importers.decode import decode

    try:
        text = decode(data)
    except ImportFailure:
        return False
    kind = detect.detect_format(text, "")
    if kind == detect.XML:
        return True
    return kind == detect.JSON and "jsonfeed.org/version" in text[:2000]


def discover(data: bytes, base_url: str) -> list[FoundFeed]:
    """The feeds an HTML page announces (``<link rel="alternate" type="application/rss+xml">``)."""
    from bs4 import BeautifulSoup

    from reader.body import is_web_url
    from reader.importers.build import document_base, joined_url
    from reader.importers.decode import decode

    try:
        soup = BeautifulSoup(decode(data), "html.parser")
    except ImportFailure:
        return []
    found: list[FoundFeed] = []
    seen: set[str] = set()
    declared = soup.find("base", href=True)
    base_url = document_base(base_url, str(declared.get("href") or "") if declared is not None else "")
    for link in soup.find_all("link", limit=500):
        rel: object = link.get("rel") or []
        rels = [r.lower() for r in (rel if isinstance(rel, list) else str(rel).split())]
        kind = str(link.get("type") or "").split(";")[0].strip().lower()
        href = str(link.get("href") or "").strip()
        if "alternate" not in rels or kind not in FEED_TYPES or not href:
            continue
        url = joined_url(base_url, href)  # an href that is no URL ("http://[x") stays as it is, and is passed over
        if not is_web_url(url) or url in seen:
            continue
        seen.add(url)
        found.append(FoundFeed(url, clean_line(str(link.get("title") or "")), kind))
    return found


# -- OPML ------------------------------------------------------------------------------


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Feeds of an OPML file, folders (nested outlines, or ``category``) as tags.

    Reads the shapes newsboat (``-e``), FreshRSS, Miniflux, Feedly and NetNewsWire export:
    feeds are outlines with an ``xmlUrl`` (any letter case), folders are outlines without.
    An outline typed ``rss`` or ``atom`` without an ``xmlUrl`` and without outlines of
    its own (so no folder) comes back with an empty URL, for the import to name.
    """
    try:
        root = fromstring(data)
    except DefusedXmlException:
        raise ImportFailure("OPML with entity declarations or a DTD is refused") from None
    except ParseError as error:
        raise ImportFailure(f"not valid OPML ({str(error).split(':')[0]})") from None
    if root.tag.lower() != "opml":
        raise ImportFailure(f"not an OPML file (root element <{root.tag[:40]}>)")
    body = next((child for child in root if child.tag.lower() == "body"), None)
    if body is None:
        raise ImportFailure("OPML file without a <body>")
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()

    def walk(element: Element, folders: tuple[str, ...]) -> None:
        for outline in element:
            if outline.tag.lower() != "outline":
                continue
            attributes = {key.lower(): value for key, value in outline.attrib.items()}
            title = clean_line(attributes.get("title") or attributes.get("text") or "")
            url = (attributes.get("xmlurl") or "").strip()
            if not url and len(outline) == 0 and (attributes.get("type") or "").lower() in ("rss", "atom"):
                feeds.append(OpmlFeed("", title, folders))  # a feed without its URL: the import names it
            elif url:
                categories = [
                    part.strip("/ ").rsplit("/", 1)[-1]
                    for part in (attributes.get("category") or "").split(",")
                ]
                tags = tuple(dict.fromkeys(t for t in (*folders, *(clean_line(c) for c in categories)) if t))
                if url not in seen:
                    seen.add(url)
                    feeds.append(OpmlFeed(url, title, tags))
            walk(outline, (*folders, title) if not url and title else folders)

    walk(body, ())
    return feeds


def export_opml(feeds: Sequence[Feed]) -> str:
    """OPML 2.0: feeds without tags at the top, each tagged feed in the folder of its first tag."""
    opml = Element("opml", version="2.0")
    head = SubElement(opml, "head")
    SubElement(head, "title").text = "Reader subscriptions"
    SubElement(head, "dateCreated").text = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    body = SubElement(opml, "body")
    folders: dict[str, Element] = {}
    for feed in feeds:
        parent = body
        if feed.tags:
            parent = folders.get(feed.tags[0]) or folders.setdefault(
                feed.tags[0], SubElement(body, "outline", text=feed.tags[0], title=feed.tags[0])
            )
        attributes = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
        if feed.tags:
            attributes["category"] = ",".join(f"/{tag}" for tag in feed.tags)
        SubElement(parent, "outline", attributes)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(opml, encoding="unicode") + "\n"


# -- updating ---------------------------------------------------------------------------


def is_due(feed: Feed, now: datetime | None = None) -> bool:
    """Whether ``reader update`` (without names) fetches this feed now."""
    now = now or datetime.now(UTC)
    if feed.gone:
        return False
    if feed.retry_at and _parse_time(feed.retry_at) > now:
        return False
    if feed.update_interval and feed.last_update:
        return now - _parse_time(feed.last_update) >= timedelta(minutes=feed.update_interval)
    return True


def is_cut(article: Article) -> bool:
    """An entry that carries only a summary, or a text cut short ("…", "Read more")."""
    body = article.body.strip()
    return not body or len(body) < _SHORT_BODY_CHARS or bool(_CUT_MARKERS.search(body))


Progress = Callable[[int, int], None]
T = TypeVar("T")


def _parser_started(alive: Connection, parent_end: Connection | None) -> None:
    """A parser process's first step: Ctrl+C is the parent's to handle, the process runs
    at a lower priority (:data:`PARSER_NICENESS`), and it ends when the parent does
    (SIGKILL included): ``alive`` reaches end-of-file when the parent, which holds the
    only write end (``parent_end`` is a forked copy), is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with suppress(OSError):  # a priority is a preference: parsing goes on without it
        os.nice(PARSER_NICENESS)
    if parent_end is not None:
        parent_end.close()
    threading.Thread(target=lambda: (wait_for([alive]), os._exit(1)), daemon=True, name="reader-parent-watch").start()


class Parsers:
    """Where an update parses: ``processes`` parser processes, or (0) a thread of this one.

    Under ``fork`` the processes start here, before the update starts any thread. A pool
    whose process died (the out-of-memory killer) is given up, and what it was parsing is
    parsed again in a thread: slower, never lost. Use as a context manager.
    """

    def __init__(self, processes: int, start_method: str | None = None) -> None:
        self._pool: ProcessPoolExecutor | None = None
        if processes <= 0:
            return
        context = multiprocessing.get_context(start_method or default_start_method())
        self._alive, self._parent_end = context.Pipe(duplex=False)
        fork = context.get_start_method() == "fork"
        self._pool = ProcessPoolExecutor(
            processes, mp_context=context, initializer=_parser_started,
            initargs=(self._alive, self._parent_end if fork else None),
        )
        if fork:
            self._pool.submit(int)  # forks every process now (a pool under fork starts them all at once)

    async def run(self, parse: Callable[[Response], T], response: Response) -> T:
        """``parse(response)`` in a parser process (``parse`` is a module-level function)."""
        if self._pool is not None:
            try:
                return await asyncio.get_running_loop().run_in_executor(self._pool, parse, response)
            except BrokenProcessPool:
                self._give_up()
        return await asyncio.to_thread(parse, response)

    def _give_up(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Parsers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if hasattr(self, "_alive"):
            self._parent_end.close()
            self._alive.close()


class _Writes:
    """Feeds' updates committed together (:meth:`FeedStore.record_updates`): a batch is
    committed when it holds :data:`WRITE_BATCH` feeds, :data:`WRITE_SECONDS` after its
    first feed joined, or at :meth:`commit_now`. A feed is counted (and its progress shown)
    once its batch is committed; a batch that fails to commit fails each of its feeds."""

    def __init__(self, feeds: FeedStore, lock: asyncio.Lock) -> None:
        self._feeds = feeds
        self._lock = lock
        self._waiting: list[tuple[FeedUpdate, asyncio.Future[FeedResult]]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._commits: set[asyncio.Task[None]] = set()

    def write(self, update: FeedUpdate) -> asyncio.Future[FeedResult]:
        """Queue ``update``; the future gives how the feed's update went once committed."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[FeedResult] = loop.create_future()
        self._waiting.append((update, done))
        if len(self._waiting) >= WRITE_BATCH:
            self.commit_now()
        elif self._timer is None:
            self._timer = loop.call_later(WRITE_SECONDS, self.commit_now)
        return done

    def commit_now(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._waiting = self._waiting, []
        if batch:
            task = asyncio.get_running_loop().create_task(self._commit(batch))
            self._commits.add(task)
            task.add_done_callback(self._commits.discard)

    async def _commit(self, batch: list[tuple[FeedUpdate, asyncio.Future[FeedResult]]]) -> None:
        try:
            async with self._lock:
                counts = await asyncio.to_thread(self._feeds.record_updates, [update for update, _ in batch])
        except asyncio.CancelledError:
            for _, done in batch:
                done.cancel()
            raise
        except Exception as error:  # a full disk, a busy database: each feed of the batch says so
            for _, done in batch:
                done.set_exception(error)
            return
        for (update, done), (added, updated) in zip(batch, counts, strict=True):
            done.set_result(FeedResult(update.feed, "updated", len(added), len(updated), moved_to=update.url))


class Updater:
    """Updates feeds of a :class:`FeedStore` (the library indexes what it stored afterwards).

    Fetches run concurrently (``limits.per_host`` per host, ``concurrency`` in all);
    parsing runs in ``processes`` parser processes (default :data:`PARSER_PROCESSES`, for
    an update of :data:`PARSERS_FROM` feeds or more; 0: in a thread) and storing in a
    worker thread, so the network never waits on them.
    """

    def __init__(
        self, feeds: FeedStore, limits: Limits = DEFAULT_LIMITS, *, concurrency: int = 16,
        processes: int | None = None, start_method: str | None = None, **fetcher_options: object,
    ) -> None:
        self._feeds = feeds
        self._limits = replace(limits, connections=max(limits.connections, concurrency))
        self._concurrency = concurrency
        self._processes = processes
        self._start_method = start_method
        self._options = fetcher_options
        self._unchanged: list[tuple[Feed, str | None]] = []  # 304s not yet recorded

    def _flush_unchanged(self) -> None:
        """Record the 304s so far in one transaction: one commit (an fsync) per feed was
        most of a warm update's time. Losing these to a crash costs only a refetch."""
        batch, self._unchanged = self._unchanged, []
        if batch:
            self._feeds.record_not_modified(batch)

    def update(self, feeds: Sequence[Feed], progress: Progress | None = None) -> UpdateReport:
        processes = self._processes
        if processes is None:
            processes = PARSER_PROCESSES if len(feeds) >= PARSERS_FROM else 0
        with Parsers(processes, self._start_method) as parsers:
            return asyncio.run(self._update_all(feeds, progress, parsers))

    async def _update_all(self, feeds: Sequence[Feed], progress: Progress | None, parsers: Parsers) -> UpdateReport:
        report = UpdateReport()
        gate = asyncio.Semaphore(self._concurrency)
        # Feeds being fetched or waiting for a parser: enough to keep every parser busy
        # while the network slots fetch the next ones, and bounded (their bodies are in memory).
        backlog = asyncio.Semaphore(self._concurrency * BACKLOG_FACTOR)
        # Entries' pages (full text) are fetched with slots of their own: a feed waiting for
        # a backlog slot holds a network slot, and one holding a backlog slot must never
        # wait for those. Per host, the HTTP client's pools still allow limits.per_host.
        pages = asyncio.Semaphore(self._concurrency)
        hosts: dict[str, asyncio.Semaphore] = {}
        lock = asyncio.Lock()  # one thread stores at a time: SQLite has one writer anyway
        writes = _Writes(self._feeds, lock)
        fetching = len(feeds)
        async with Fetcher(self._limits, **self._options) as fetcher:  # type: ignore[arg-type]

            async def one(feed: Feed) -> None:
                nonlocal fetching
                # A slot of the feed's host first, then one of the update's: a feed that
                # waits for its host must not hold one of the ``concurrency`` slots. (Feeds
                # come sorted by title and URL, so those of one host come together: holding
                # the slot first, 14 of 16 waited for the 2 of their host, and 1,000 feeds
                # were fetched two or three at a time.) Both are slots of the network and
                # are let go once the feed is fetched: holding one while the feed waited
                # for a parser left the parsers short of work.
                host = hosts.setdefault(host_key(feed.url), asyncio.Semaphore(self._limits.per_host))
                async with AsyncExitStack() as held:
                    async with host, gate:
                        await held.enter_async_context(backlog)
                        fetched = await self._fetch_one(fetcher, feed, lock)
                    skipped: tuple[str, ...] = ()
                    if isinstance(fetched, FeedResult):
                        outcome: FeedResult | FeedUpdate = fetched
                    else:
                        outcome, skipped = await self._parse_one(fetcher, feed, fetched, lock, parsers, pages)
                fetching -= 1
                queued = writes.write(outcome) if isinstance(outcome, FeedUpdate) else None
                if not fetching:
                    writes.commit_now()  # nothing else will join the batch
                result = await queued if queued is not None else outcome
                assert isinstance(result, FeedResult)
                report.results.append(replace(result, skipped=skipped) if skipped else result)
                if len(self._unchanged) >= _UNCHANGED_BATCH:
                    async with lock:
                        await asyncio.to_thread(self._flush_unchanged)
                if progress:
                    progress(len(report.results), len(feeds))

            await asyncio.gather(*(one(feed) for feed in feeds))
        self._flush_unchanged()
        order = {feed.id: i for i, feed in enumerate(feeds)}
        report.results.sort(key=lambda r: order[r.feed.id])
        return report

    async def _fetch_one(self, fetcher: Fetcher, feed: Feed, lock: asyncio.Lock) -> Response | FeedResult:
        """Fetch one feed: its response, or how it went (not modified, failed)."""
        try:
            response = await fetcher.fetch(feed.url, Validators(feed.etag, feed.last_modified))
        except FetchError as error:
            return await self._failed(feed, error, lock)
        if response.not_modified:
            self._unchanged.append((feed, response.permanent_url))
            return FeedResult(feed, "not modified", moved_to=response.permanent_url)
        return response

    async def _parse_one(
        self, fetcher: Fetcher, feed: Feed, response: Response, lock: asyncio.Lock, parsers: Parsers,
        pages: asyncio.Semaphore,
    ) -> tuple[FeedResult | FeedUpdate, tuple[str, ...]]:
        """Parse a fetched feed (and fetch its cut entries' pages, each with a slot of
        ``pages``): what to store, or the failure; and a line for each entry left out."""
        try:
            articles, skipped = await parsers.run(_entries, response)
        except ImportFailure as error:
            return await self._failed(feed, error, lock), ()
        fresh, digests, new = self._changes(feed, articles)
        if feed.full_text:
            fresh = [await self._full_text(fetcher, a, parsers, pages) if a.id in new and is_cut(a) else a for a in fresh]
        return FeedUpdate(
            feed, fresh, digests, etag=response.validators.etag, last_modified=response.validators.last_modified,
            url=response.permanent_url, title=articles[0].source if articles else None,
        ), skipped

    async def _failed(self, feed: Feed, error: FetchError | ImportFailure, lock: asyncio.Lock) -> FeedResult:
        reason = clean_line(str(error))
        retry_at = None
        if isinstance(error, RateLimited):
            delay = error.retry_after if error.retry_after is not None else 3600.0
            retry_at = (datetime.now(UTC) + timedelta(seconds=min(delay, 7 * 86400))).isoformat()
        async with lock:
            await asyncio.to_thread(
                self._feeds.record_failure, feed, reason, retry_at=retry_at, gone=isinstance(error, Gone)
            )
        return FeedResult(feed, "failed", error=reason)

    def _changes(self, feed: Feed, articles: Sequence[Article]) -> tuple[list[Article], dict[str, str], set[str]]:
        """The entries to write (new, or changed since the last update), every entry's
        digest, and the ids of the new ones.

        An entry whose article the user removed keeps its link and is not written again.
        """
        stored = self._feeds.digests(feed.id)
        present = self._feeds.existing_article_ids(stored)
        fresh: list[Article] = []
        digests: dict[str, str] = {}
        new: set[str] = set()
        for article in articles:
            if article.id in digests:
                continue  # the same entry twice in one feed: the first wins
            digest = entry_digest(article)
            digests[article.id] = digest
            known = stored.get(article.id)
            if known is None or (known != digest and article.id in present):
                fresh.append(article)
                if known is None:
                    new.add(article.id)
        return fresh, digests, new

    async def _full_text(self, fetcher: Fetcher, entry: Article, parsers: Parsers, pages: asyncio.Semaphore) -> Article:
        """The entry with the text of its page, when that page yields a longer article."""
        if not entry.url:
            return entry
        try:
            async with pages:
                page = await fetcher.fetch(entry.url, accept="text/html, application/xhtml+xml;q=0.9, */*;q=0.5")
            extracted = await parsers.run(page_article, page)
        except (FetchError, ImportFailure):
            return entry  # the summary stays; the next manual full-text fetch says why
        return with_full_text(entry, extracted)


def _entries(response: Response) -> tuple[list[Article], tuple[str, ...]]:
    """The articles of a fetched feed, and a line for each entry left out ("entry 3
    skipped: no title found"; they were dropped without one); run in a parser process
    (see :func:`_importing`)."""
    from reader.importers import parse_bytes

    data = response.body_for_import()
    if not is_feed(data):
        raise ImportFailure("the answer is not a feed (an HTML page or other document)")
    skipped: list[str] = []
    with _importing():
        return parse_bytes(data, "feed.xml", skipped, address=response.url), tuple(skipped)


def page_article(page: Response) -> Article:
    """The article of a fetched web page (the HTML importer's main-text extraction)."""
    from reader.importers import parse_bytes

    with _importing():
        articles = parse_bytes(page.body_for_import(), "page.html", address=page.url)
    article = articles[0]
    if not article.url:
        article = replace(article, url=page.url)
    return article


@contextmanager
def _importing() -> Iterator[None]:
    """An importer's crash as a failure of the feed or page, in the same sentence
    ("importer crashed (...)"): one line of the update's report like any other, never the
    end of the update; and :class:`ImporterCrashed`, which holds an exception that need
    not pickle, would not come back whole from a parser process."""
    try:
        yield
    except ImporterCrashed as crash:
        raise ImportFailure(str(crash)) from None


def with_full_text(entry: Article, extracted: Article) -> Article:
    """``entry`` with the page's text, if the page's text is the longer; its own id and metadata stay."""
    if len(extracted.body) <= len(entry.body):
        return entry
    summary = entry.summary or (entry.body if entry.body and entry.body != extracted.body else "")
    return replace(entry, body=extracted.body, summary=summary, related=entry.related or extracted.related)


def _parse_time(value: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
