"""The tag commands: ``reader tag ID… +NAME -NAME`` and ``reader tags``.

Parsing and wording only, like cli.py (whose helpers these use); the work is
:class:`reader.library.Library`'s (``edit_tags``, ``tag_counts``). ``reader list --tag``
and the tags of ``reader show`` are in cli.py with the rest of those commands.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from reader.cli import EXIT_OK, EXIT_USAGE, OutputFormat, _given_ids, _json, _open, _table
from reader.errors import InvalidTag
from reader.tags import parse_edits
from reader.text import strip_unsafe

Command = Callable[[str, Callable[[argparse.Namespace], int], str], argparse.ArgumentParser]


TAG_FORMATS = (OutputFormat.TEXT, OutputFormat.JSON)


class _Words(argparse.Action):
    """The words of ``reader tag``, gathered with REMAINDER so that ``-politics`` is a tag
    to remove and not an unknown option; the options it would swallow too (``--format
    json`` or ``--data-dir DIR`` after the words) are taken out here and set as usual."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object, option_string: str | None = None
    ) -> None:
        options = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
        options.add_argument("--format", choices=[f.value for f in TAG_FORMATS], default=argparse.SUPPRESS)
        options.add_argument("--data-dir", default=argparse.SUPPRESS)
        words = [str(v) for v in values] if isinstance(values, list) else []
        found, rest = options.parse_known_args(words)
        for name, value in vars(found).items():
            setattr(namespace, name, value)
        setattr(namespace, self.dest, rest)


def add_commands(command: Command, formats: Callable[[argparse.ArgumentParser, tuple[OutputFormat, ...]], None]) -> None:
    """Add ``tag`` and ``tags`` to the parser of cli.py."""
    p = command("tag", cmd_tag, "add (+NAME) and remove (-NAME) tags of articles; ids also from - (standard input)")
    formats(p, TAG_FORMATS)
    p.add_argument("words", nargs=argparse.REMAINDER, action=_Words, metavar="ID… +NAME -NAME")
    p = command("tags", cmd_tags, "list every tag with its article and unread counts")
    formats(p, (OutputFormat.TABLE, OutputFormat.JSON))


def cmd_tag(args: argparse.Namespace) -> int:
    """Every id and name checked first, so that one bad word changes nothing.

    ``--format json`` prints ``{"added", "removed", "articles": [{"id", "tags"}]}``: the
    names as stored, and each article (full id, once) with the tags it shows now.
    """
    words = [w for w in args.words if w != "--"]
    ids = [w for w in words if w == "-" or w[:1] not in "+-"]
    try:
        add, remove = parse_edits([w for w in words if w != "-" and w[:1] in "+-"])
    except InvalidTag as exc:
        print(f"reader tag: {strip_unsafe(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    if not add and not remove:
        print("reader tag: give tags to add (+NAME) or remove (-NAME), e.g. reader tag 3f2a +later -news", file=sys.stderr)
        return EXIT_USAGE
    with _open(args) as lib:
        try:
            articles = [lib.get(article_id) for article_id in _given_ids(ids)]
        except json.JSONDecodeError as exc:
            print(f"reader: standard input is neither ids nor Reader JSON: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if not articles:
            print("reader tag: no ids given (standard input was empty)", file=sys.stderr)
            return EXIT_USAGE
        done: dict[str, tuple[str, ...]] = {}
        for article in articles:
            if article.id in done:
                continue  # the same article twice (a prefix and its full id): once
            done[article.id] = shown = lib.edit_tags(article.id, add, remove)
            if args.format != OutputFormat.JSON:
                tags = ", ".join(shown) if shown else "no tags"
                print(strip_unsafe(f"{article.id[:8]}  {article.title}  [{tags}]"), file=sys.stderr)
    if args.format == OutputFormat.JSON:
        _json({"added": add, "removed": remove, "articles": [{"id": i, "tags": list(t)} for i, t in done.items()]})
    return EXIT_OK


def cmd_tags(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        counts = lib.tag_counts()
    if args.format == OutputFormat.JSON:
        _json([count.to_dict() for count in counts])
        return EXIT_OK
    if not counts:
        print("no tags yet (add one with 'reader tag ID +NAME', or t in the app)", file=sys.stderr)
        return EXIT_OK
    _table(
        ("TAG", "ARTICLES", "UNREAD"),
        [(c.name, f"{c.articles:,}", f"{c.unread:,}") for c in counts],
        (None, 8, 8),
    )
    return EXIT_OK
