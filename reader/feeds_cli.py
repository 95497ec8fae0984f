"""The commands that use the network: ``reader feed ...``, ``reader update``, ``reader add URL``.

Parsing and wording only, like cli.py (whose helpers these use); the work is
:class:`reader.library.Library`'s (``library.feeds`` and the methods beside it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reader.cli import OutputFormat
from reader.errors import FeedChoiceNeeded, FetchError, ImportFailure, ReaderError
from reader.text import clean_line, strip_unsafe

if TYPE_CHECKING:
    from reader.feeds_store import Feed, FeedCounts

EXIT_OK, EXIT_FAILED = 0, 1

Command = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def add_commands(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], command: Command,
    formats: Callable[[argparse.ArgumentParser, tuple[OutputFormat, ...]], None],
) -> None:
    """Add ``feed``, ``update`` and ``add`` to the parser of cli.py."""
    feed = command("feed", _feed_usage, "subscribe to feeds, list, rename, configure and remove them; OPML")
    feed_sub = feed.add_subparsers(title="feed commands", metavar="ACTION")
    common = [p for p in feed._actions if p.dest == "data_dir"]

    def action(name: str, handler: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        p = feed_sub.add_parser(name, help=help, description=help)
        if common:
            p.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=common[0].help)
        p.set_defaults(handler=handler)
        return p

    p = action("add", cmd_feed_add, "subscribe to a feed URL, or to a feed a web page links to")
    p.add_argument("url", metavar="URL")
    p.add_argument("name", nargs="?", metavar="FEED", help="which of the page's feeds: its URL, title or number")
    p.add_argument("--first", action="store_true", help="take the page's first feed")
    p.add_argument("--tag", action="append", default=[], metavar="TAG", help="file the feed under TAG (repeatable)")
    formats(p, (OutputFormat.TEXT, OutputFormat.JSON))

    p = action("list", cmd_feed_list, "list feeds: title, URL, unread/total, last update, last error")
    formats(p, (OutputFormat.TABLE, OutputFormat.JSON))

    p = action("remove", cmd_feed_remove, "unsubscribe (articles stay unless --delete-articles; bookmarked ones always)")
    p.add_argument("feed", metavar="FEED", help="an id prefix, a URL or a title")
    p.add_argument("--delete-articles", action="store_true", help="also delete its articles that are not bookmarked")
    formats(p, (OutputFormat.TEXT, OutputFormat.JSON))

    p = action("rename", cmd_feed_rename, "give a feed another title")
    p.add_argument("feed", metavar="FEED")
    p.add_argument("title", metavar="TITLE")
    formats(p, (OutputFormat.TEXT, OutputFormat.JSON))

    p = action("set", cmd_feed_set, "per-feed settings: full text, update interval, tags")
    p.add_argument("feed", metavar="FEED")
    p.add_argument("--full-text", choices=("on", "off"), help="fetch the page of entries that carry only a summary")
    p.add_argument("--interval", metavar="MINUTES", help="update at most every MINUTES (or 'default')")
    p.add_argument("--tag", action="append", metavar="TAG", help="replace the feed's tags (repeatable)")
    formats(p, (OutputFormat.TEXT, OutputFormat.JSON))

    p = action("import", cmd_feed_import, "subscribe to the feeds of an OPML file (folders become tags)")
    p.add_argument("file", metavar="FILE.opml")
    formats(p, (OutputFormat.TEXT, OutputFormat.JSON))

    action("export", cmd_feed_export, "write the subscriptions as OPML 2.0 on standard output")

    p = command("update", cmd_update, "fetch due feeds (or the FEEDs named) and store their new articles")
    p.add_argument("feeds", nargs="*", metavar="FEED", help="id prefix, URL or title (default: every due feed)")
    p.add_argument("--quiet", action="store_true", help="print only failures (for timers and cron)")
    formats(p, (OutputFormat.TEXT, OutputFormat.JSON))

    p = command("add", cmd_add, "save web pages as articles (read-later)")
    p.add_argument("urls", nargs="+", metavar="URL")
    formats(p, (OutputFormat.TEXT, OutputFormat.JSON))


def _feed_usage(args: argparse.Namespace) -> int:
    print("reader feed: give an action: add, list, remove, rename, set, import, export (see reader feed --help)",
          file=sys.stderr)
    return 2


def _line(text: str) -> str:
    return clean_line(strip_unsafe(text))


def _json_wanted(args: argparse.Namespace) -> bool:
    return getattr(args, "format", None) == OutputFormat.JSON


def feed_dict(feed: Feed, counts: dict[str, FeedCounts] | None = None) -> dict[str, Any]:
    """One feed as ``--format json`` shows it (``feed list``, ``feed add``, ``feed set`` …);
    ``unread`` and ``total`` only where the command counted them (``counts``)."""
    data: dict[str, Any] = {
        "id": feed.id, "title": feed.title, "url": feed.url, "tags": list(feed.tags),
        "last_update": feed.last_update, "last_error": feed.last_error,
        "full_text": feed.full_text, "update_interval": feed.update_interval, "gone": feed.gone,
    }
    if counts is not None:
        count = counts.get(feed.id)
        data["unread"], data["total"] = (count.unread, count.total) if count else (0, 0)
    return data


def cmd_feed_add(args: argparse.Namespace) -> int:
    from reader.cli import _open, _out

    with _open(args) as lib:
        try:
            feed, new = lib.feeds.add(args.url, choose=args.name, first=args.first, tags=args.tag)
        except FeedChoiceNeeded as choice:
            if _json_wanted(args):  # the choice is data too: a script can pick and ask again
                from reader.cli import _json

                _json({
                    "error": str(choice),
                    "choices": [{"number": n, "url": url, "title": title} for n, (url, title) in enumerate(choice.found, 1)],
                })
                return EXIT_FAILED
            print(f"reader: {_line(str(choice))}:", file=sys.stderr)
            for number, (url, title) in enumerate(choice.found, 1):
                print(f"  {number}. {_line(title) or '(untitled)'}  {_line(url)}", file=sys.stderr)
            return EXIT_FAILED
    if _json_wanted(args):
        from reader.cli import _json

        _json({"subscribed": new, "feed": feed_dict(feed)})
        return EXIT_OK
    _out(f"{'subscribed to' if new else 'already subscribed to'} {feed.name} ({feed.id}) {feed.url}")
    if new:
        _out("run 'reader update' to fetch its articles")
    return EXIT_OK


def cmd_feed_list(args: argparse.Namespace) -> int:
    from reader.cli import _json, _open, _table

    with _open(args) as lib:
        feeds = lib.subscribed()
        counts = lib.feed_counts()
    rows = [feed_dict(feed, counts) for feed in feeds]
    if args.format == OutputFormat.JSON:
        _json(rows)
        return EXIT_OK
    if not rows:
        print("no feeds (subscribe with 'reader feed add URL' or 'reader feed import FILE.opml')", file=sys.stderr)
        return EXIT_OK
    _table(
        ("ID", "TITLE", "URL", "UNREAD", "LAST UPDATE", "LAST ERROR"),
        [
            (r["id"][:8], r["title"] or "(untitled)", r["url"], f"{r['unread']}/{r['total']}",
             (r["last_update"] or "never")[:16].replace("T", " "), ("gone: " if r["gone"] else "") + r["last_error"])
            for r in rows
        ],
        (8, 30, None, 9, 16, None),
    )
    return EXIT_OK


def cmd_feed_remove(args: argparse.Namespace) -> int:
    from reader.cli import _open, _out

    with _open(args) as lib:
        name, deleted, kept = lib.remove_feed(args.feed, delete_articles=args.delete_articles)
    if _json_wanted(args):
        from reader.cli import _json

        _json({"unsubscribed": name, "deleted_articles": deleted, "kept_bookmarked": kept})
        return EXIT_OK
    message = f"unsubscribed from {name}"
    if args.delete_articles:
        message += f"; deleted {deleted} articles" + (f", kept {kept} bookmarked" if kept else "")
    else:
        message += "; its articles stay in the library"
    _out(message)
    return EXIT_OK


def cmd_feed_rename(args: argparse.Namespace) -> int:
    from reader.cli import _open, _out

    with _open(args) as lib:
        feed = lib.feeds.rename(args.feed, _line(args.title))
    if _json_wanted(args):
        from reader.cli import _json

        _json(feed_dict(feed))
        return EXIT_OK
    _out(f"renamed {feed.id} to {feed.title}")
    return EXIT_OK


def cmd_feed_set(args: argparse.Namespace) -> int:
    from reader.cli import _open, _out

    interval, clear = None, False
    if args.interval is not None:
        if args.interval == "default":
            clear = True
        elif args.interval.isascii() and args.interval.isdigit() and int(args.interval) > 0:
            interval = int(args.interval)
        else:
            print("reader feed set: --interval takes a number of minutes, or 'default'", file=sys.stderr)
            return 2
    with _open(args) as lib:
        feed = lib.feeds.configure(
            args.feed,
            full_text=None if args.full_text is None else args.full_text == "on",
            update_interval=interval, clear_interval=clear, tags=args.tag,
        )
    if _json_wanted(args):
        from reader.cli import _json

        _json(feed_dict(feed))
        return EXIT_OK
    every = f"every {feed.update_interval} min" if feed.update_interval else "on every update"
    tags = f"; tags {', '.join(feed.tags)}" if feed.tags else ""
    _out(f"{feed.name}: full text {'on' if feed.full_text else 'off'}, updated {every}{tags}")
    return EXIT_OK


def cmd_feed_import(args: argparse.Namespace) -> int:
    from reader.cli import _open, _out, printable

    try:
        with open(args.file, "rb") as file:
            data = file.read(16 * 1024 * 1024)
    except OSError as error:
        print(f"reader: {printable(args.file)}: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILED
    with _open(args) as lib:
        try:
            report = lib.feeds.import_opml(data)
        except ImportFailure as failure:
            print(f"reader: {printable(args.file)}: {_line(str(failure))}", file=sys.stderr)
            return EXIT_FAILED
    code = EXIT_FAILED if report.skipped else EXIT_OK
    if _json_wanted(args):
        from reader.cli import _json

        _json({
            "added": [feed_dict(f) for f in report.added],
            "known": [feed_dict(f) for f in report.known],
            "skipped": [{"title": item.title, "url": item.url, "reason": reason} for item, reason in report.skipped],
        })
        return code
    for item, reason in report.skipped:
        name = f"“{_line(item.title)}” " if item.title else ""
        where = f"({_line(item.url[:200])}) " if item.url else ""
        print(f"{printable(args.file)}: outline {name}{where}skipped: {_line(reason)}", file=sys.stderr)
    skipped = f"; {len(report.skipped)} skipped" if report.skipped else ""
    _out(f"subscribed to {len(report.added)} feeds ({len(report.known)} already subscribed{skipped})")
    return code


def cmd_feed_export(args: argparse.Namespace) -> int:
    from reader.cli import _open

    with _open(args) as lib:
        sys.stdout.write(lib.feeds.export_opml())
    return EXIT_OK


def cmd_update(args: argparse.Namespace) -> int:
    from reader.cli import _json, _open, _ProgressBar

    with _open(args) as lib:
        bar = _ProgressBar("Updating")
        if args.quiet:
            bar.enabled = False
        try:
            report = lib.update_feeds(args.feeds, bar)
        finally:
            bar.close()
    if _json_wanted(args):  # the progress bar stays on stderr; failures are data here
        _json({
            "feeds": len(report.results),
            "added": sum(r.added for r in report.results),
            "updated": sum(r.updated for r in report.results),
            "not_modified": sum(1 for r in report.results if r.status == "not modified"),
            "failed": len(report.failed),
            "results": [
                {"id": r.feed.id, "title": r.feed.title, "url": r.feed.url, "status": r.status,
                 "added": r.added, "updated": r.updated, "error": r.error, "moved_to": r.moved_to,
                 "skipped": list(r.skipped)}
                for r in report.results
            ],
        })
        return EXIT_FAILED if report.failed else EXIT_OK
    for result in report.failed:
        print(f"{_line(result.feed.name)} ({_line(result.feed.url)}): {_line(result.error)}", file=sys.stderr)
    if not args.quiet:
        for result in report.results:
            for line in result.skipped:  # the rest of the feed was stored
                print(f"{_line(result.feed.name)} ({_line(result.feed.url)}): {_line(line)}", file=sys.stderr)
            if result.moved_to:
                print(f"{_line(result.feed.name)} moved permanently: now {_line(result.moved_to)}", file=sys.stderr)
        print(report.summary(), file=sys.stderr)
    return EXIT_FAILED if report.failed else EXIT_OK


def cmd_add(args: argparse.Namespace) -> int:
    from reader.cli import _open, _out

    saved: list[dict[str, Any]] = []
    failed: list[dict[str, str]] = []
    with _open(args) as lib:
        for url in args.urls:
            try:
                article, new = lib.save_url(url)
            except (FetchError, ImportFailure) as error:
                failed.append({"url": url, "error": str(error)})
                if not _json_wanted(args):
                    print(f"{_line(url)}: {_line(str(error))}", file=sys.stderr)
                continue
            except ReaderError:
                raise
            words = len(article.summary.split()) + len(article.body.split())
            saved.append({
                "id": article.id, "title": article.title, "url": article.url, "source": article.source,
                "new": new, "words": words, "related": len(article.related),
            })
            if not _json_wanted(args):
                related = f", {len(article.related)} related links" if article.related else ""
                _out(
                    f"{'saved' if new else 'updated'} {article.id[:8]}  {article.title}"
                    f" ({article.source or 'no source'}; {words} words{related})"
                )
    if _json_wanted(args):
        from reader.cli import _json

        _json({"saved": saved, "failed": failed})
    return EXIT_FAILED if failed else EXIT_OK
