"""The saved searches on the command line: ``reader searches`` (list, ``--rename``,
``--delete``) and the ``--save NAME`` / ``--saved NAME`` options of ``reader search``.

Parsing and wording only, like cli.py (whose helpers these use); the work is
:class:`reader.saved_searches.SavedSearches`' (``library.saved_searches``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reader.cli import OutputFormat
from reader.text import clean_line

if TYPE_CHECKING:
    from reader.library import Library

EXIT_OK, EXIT_USAGE = 0, 2

Command = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


def add_search_options(p: argparse.ArgumentParser) -> None:
    """``reader search``'s options for saved searches."""
    p.add_argument("--save", metavar="NAME", help="also keep the query as a saved search named NAME (replacing one of that name)")
    p.add_argument("--saved", metavar="NAME", help="run the search saved as NAME (instead of a QUERY)")


def add_commands(command: Command, formats: Callable[[argparse.ArgumentParser, tuple[OutputFormat, ...]], None]) -> None:
    """Add ``searches`` to the parser of cli.py."""
    p = command("searches", cmd_searches, "list the saved searches with what each finds now; rename or delete one")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--delete", metavar="NAME", help="forget the search saved as NAME")
    group.add_argument("--rename", nargs=2, metavar=("NAME", "NEW_NAME"), help="give a saved search another name")
    formats(p, (OutputFormat.TABLE, OutputFormat.JSON))


def search_query(args: argparse.Namespace, lib: Library) -> tuple[str, str | None] | None:
    """The query ``reader search`` runs and the name of the saved search it comes from:
    the query given, or the one saved as ``--saved``; None (after saying why on stderr)
    when there is neither, or both."""
    query = " ".join(args.query)
    if args.saved is not None:
        if query:
            print("reader search: give a QUERY or --saved NAME, not both", file=sys.stderr)
            return None
        saved = lib.saved_searches.get(args.saved)
        return saved.query, saved.name
    if not query.strip():
        print("reader search: give a QUERY (or --saved NAME; `reader searches` lists them)", file=sys.stderr)
        return None
    return query, None


def remember_search(args: argparse.Namespace, lib: Library, query: str) -> str | None:
    """After the search ran (so that a failing one is not saved): keep the query under
    ``--save NAME``, said on stderr; returns the name it was saved as."""
    if args.save is None:
        return None
    saved, replaced = lib.saved_searches.save(args.save, query)
    if args.format != OutputFormat.JSON:
        verb = "replaced the saved search" if replaced else "saved the search as"
        print(clean_line(f"reader: {verb} {saved.name!r}: {saved.query}"), file=sys.stderr)
    return saved.name


def cmd_searches(args: argparse.Namespace) -> int:
    from reader.cli import _json, _open, _ProgressBar, _table
    from reader.saved_searches import count

    with _open(args) as lib:
        searches = lib.saved_searches
        if args.delete is not None:
            gone = searches.delete(args.delete)
            if args.format == OutputFormat.JSON:
                _json({"deleted": gone.to_dict()})
            else:
                print(clean_line(f"deleted the saved search {gone.name!r} ({gone.query})"), file=sys.stderr)
            return EXIT_OK
        if args.rename is not None:
            old, new = args.rename
            before = searches.get(old)
            renamed = searches.rename(before.name, new)
            if args.format == OutputFormat.JSON:
                _json({"renamed": before.name, "to": renamed.to_dict()})
            else:
                print(clean_line(f"renamed the saved search {before.name!r} to {renamed.name!r}"), file=sys.stderr)
            return EXIT_OK
        every = searches.all()
        rows: list[dict[str, Any]] = []
        if every:
            bar = _ProgressBar("Indexing")
            try:
                lib.sync_index(bar)  # the counts are of the library as it is now
            finally:
                bar.close()
        for saved in every:
            counts = count(lib, saved)
            rows.append({
                **saved.to_dict(), "total": counts.total, "unread": counts.unread,
                "total_is_estimate": counts.estimate, "error": counts.error,
            })
    if args.format == OutputFormat.JSON:
        _json(rows)
        return EXIT_OK
    if not rows:
        print("no saved searches yet ('reader search --save NAME QUERY', or S in the app)", file=sys.stderr)
        return EXIT_OK
    _table(
        ("NAME", "RESULTS", "UNREAD", "QUERY"),
        [
            (r["name"], "?" if r["error"] else f"{'~' if r['total_is_estimate'] else ''}{r['total']:,}",
             "" if r["error"] else f"{r['unread']:,}", r["query"] + (f"  ({r['error']})" if r["error"] else ""))
            for r in rows
        ],
        (24, 7, 6, None),
    )
    return EXIT_OK

