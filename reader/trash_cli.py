"""The trash on the command line: ``reader delete``, ``reader restore``, ``reader trash``.

Parsing and wording only, like cli.py (whose helpers these use); the work is
:class:`reader.library.Library`'s (reader/trash.py says what the trash keeps and for how
long). ``reader remove`` is the old name of ``reader delete`` and does the same: an
article leaves the library through the trash, and only emptying the trash (by hand, or
after :data:`~reader.trash.TRASH_DAYS` days) deletes it for good.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from reader.cli import EXIT_OK, EXIT_USAGE, OutputFormat, _given_ids, _json, _open, _table
from reader.model import date_of
from reader.text import strip_unsafe
from reader.trash import TRASH_DAYS

Command = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]
Formats = Callable[[argparse.ArgumentParser, tuple[OutputFormat, ...]], None]
_IDS_HELP = "article ids or id prefixes; - reads them from standard input (ids, or the JSON of reader list)"


def add_commands(command: Command, formats: Formats) -> None:
    """Add ``delete`` (and its old name ``remove``), ``restore`` and ``trash`` to cli.py's parser."""
    for name, help_text in (
        ("delete", f"move articles to the trash (restorable for {TRASH_DAYS} days)"),
        ("remove", "the same as delete: move articles to the trash"),
    ):
        p = command(name, cmd_delete, help_text)
        p.set_defaults(command_name=name)
        p.add_argument("ids", nargs="*", metavar="ID", help=_IDS_HELP)
        p.add_argument("--samples", action="store_true", help="every bundled sample article (reader import --samples)")
        formats(p, (OutputFormat.TEXT, OutputFormat.JSON))

    p = command("restore", cmd_restore, "bring deleted articles back from the trash, with their bookmarks, notes and places")
    p.add_argument("ids", nargs="+", metavar="ID", help=_IDS_HELP)
    formats(p, (OutputFormat.TEXT, OutputFormat.JSON))

    p = command("trash", cmd_trash, f"list the trash (emptied {TRASH_DAYS} days after each deletion), or --empty it")
    p.add_argument("--empty", action="store_true", help="delete everything in the trash for good (asks first)")
    p.add_argument("--yes", action="store_true", help="with --empty: do not ask (needed when not at a terminal)")
    formats(p, (OutputFormat.TABLE, OutputFormat.JSON))


def _ids(args: argparse.Namespace) -> list[str] | None:
    """The ids given (``-``: from standard input); None, said, when stdin is not readable."""
    try:
        return _given_ids(args.ids)
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        print(f"reader: standard input is neither ids nor Reader JSON: {exc}", file=sys.stderr)
        return None


def cmd_delete(args: argparse.Namespace) -> int:
    ids = _ids(args)
    if ids is None:
        return EXIT_USAGE
    if not ids and not args.samples:
        print(f"reader {args.command_name}: give article ids, - for standard input, or --samples", file=sys.stderr)
        return EXIT_USAGE
    with _open(args) as lib:
        articles = [lib.get(i) for i in ids]  # every id resolved first: a bad one deletes nothing
        if args.samples:
            articles += [lib.get(i) for i in sorted(lib.sample_ids())]
        titles = {article.id: article.title for article in articles}
        deleted = lib.delete(list(titles))
    if args.format == OutputFormat.JSON:  # {"deleted": ids}, or {"removed": ids} under the old name
        _json({"removed" if args.command_name == "remove" else "deleted": deleted})
        return EXIT_OK
    for article_id in deleted:
        print(strip_unsafe(f"deleted {article_id[:8]}  {titles[article_id]}"), file=sys.stderr)
    if args.samples and not titles:
        print("no sample articles in the library", file=sys.stderr)
    elif deleted:
        print(
            f"moved {len(deleted)} to the trash for {TRASH_DAYS} days: `reader restore ID` brings one back, "
            "`reader trash` lists them",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    ids = _ids(args)
    if ids is None:
        return EXIT_USAGE
    with _open(args) as lib:
        restored, forgotten = lib.restore(ids)
        titles = {i: lib.get(i).title for i in restored}
    if args.format == OutputFormat.JSON:
        _json({"restored": restored, "forgotten": forgotten})
        return EXIT_OK
    for article_id in restored:
        print(strip_unsafe(f"restored {article_id[:8]}  {titles[article_id]}"), file=sys.stderr)
    for article_id in forgotten:
        print(
            f"{article_id[:8]} was emptied from the trash, so its text is gone; it is no longer kept out: "
            "importing or updating it again brings it back",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_trash(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        trashed = lib.trash()
        if args.empty:
            if trashed and not args.yes and not _confirmed(len(trashed)):
                return EXIT_USAGE
            emptied = lib.empty_trash() if trashed else 0
            if args.format == OutputFormat.JSON:
                _json({"emptied": emptied})
            else:
                print(f"emptied the trash: {emptied} article{'' if emptied == 1 else 's'} deleted for good", file=sys.stderr)
            return EXIT_OK
    if args.format == OutputFormat.JSON:
        _json([t.to_dict() for t in trashed])
    elif not trashed:
        print("the trash is empty", file=sys.stderr)
    else:
        _table(
            ("ID", "DELETED", "UNTIL", "SOURCE", "TITLE"),
            [(t.id[:8], date_of(t.deleted_at), date_of(t.expires_at), t.source, t.title) for t in trashed],
            (8, 10, 10, 22, None),
        )
    return EXIT_OK


def _confirmed(count: int) -> bool:
    """Ask at a terminal; elsewhere (a script) refuse without --yes, saying so."""
    question = f"Delete the {count} article{'' if count == 1 else 's'} in the trash for good? [y/N] "
    if not sys.stdin.isatty():
        print("reader trash --empty: not at a terminal to ask; add --yes to empty the trash", file=sys.stderr)
        return False
    sys.stderr.write(question)
    sys.stderr.flush()
    answer = sys.stdin.readline().strip().lower()
    if answer not in ("y", "yes"):
        print("the trash was left as it was", file=sys.stderr)
        return False
    return True
