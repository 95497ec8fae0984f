"""The ``reader`` command: argument parsing and output formatting only.

Every command goes through :class:`reader.library.Library`. Errors become one line on
stderr (``reader: ...``) and an exit status, never a traceback. Text output passes
through :func:`reader.text.strip_unsafe` once more, so no control byte stored by any
means reaches the terminal; JSON output escapes control, bidi and invisible characters
(``\\u009b``), so it is as safe to print and still decodes to the same data. File names
in messages show such characters escaped (``\\x1b``), one line per file whatever its
name. ``--format json`` output is stable, for scripts.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size

from reader import __version__, errors
from reader.errors import ReaderError
from reader.model import MIN_ID_PREFIX, Article, ListOrder, date_of
from reader.query_syntax import SEARCH_SYNTAX
from reader.text import JSON_UNSAFE, NAME_UNSAFE, strip_unsafe

if TYPE_CHECKING:
    from reader.highlights import Highlight
    from reader.library import Library

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class OutputFormat(StrEnum):
    """What ``--format`` chooses (each command offers some of them, its default first)."""

    TABLE = "table"
    TEXT = "text"
    JSON = "json"
    JSONL = "jsonl"
    MARKDOWN = "markdown"


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    # Plain `reader` opens the app: building every command's parser (about 8 ms, a
    # thirtieth of the time to the first titles) would parse nothing.
    args = build_parser().parse_args(arguments) if arguments else argparse.Namespace(handler=cmd_tui)
    try:
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except ReaderError as exc:
        saved = f"; {exc.saved}" if exc.saved else ""
        print(f"reader: {strip_unsafe(error_sentence(exc) + saved)}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("reader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `reader list | head`): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # a full disk, a vanished folder: say what and where, no traceback
        where = f": {printable(str(exc.filename))}" if exc.filename else ""
        print(f"reader: {strip_unsafe(exc.strerror or str(exc))}{where}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:
        if os.environ.get("READER_DEBUG"):
            raise
        print(
            strip_unsafe(f"reader: unexpected error ({type(exc).__name__}: {exc}); "
                         "run again with READER_DEBUG=1 to see where, and please report it"),
            file=sys.stderr,
        )
        return EXIT_FAILED


def error_sentence(error: ReaderError) -> str:
    """What the command line says about ``error``: one line naming the file and what to do.

    The one place the CLI words Reader's errors (the app has its own, in reader/tui/wording.py).
    """
    if isinstance(error, errors.StorageError):
        path = printable(str(error.path))
        if isinstance(error, errors.LibraryDamaged):
            return (
                f"the library database {path} is damaged ({error.detail}); run `reader recover` to copy what "
                "can be read into a new database (the damaged file is kept beside it)"
            )
        if isinstance(error, errors.LibraryReadOnly):
            return (
                f"the library in {printable(str(error.path.parent))} is read-only: reading and searching work, "
                "but imports, bookmarks and other changes cannot be saved"
            )
        if isinstance(error, errors.LibraryInUse):
            if error.detail == "recovering":
                return f"`reader recover` is working on {path}; try again when it has finished"
            return (
                f"the library {path} is open in another Reader (the app or a command); `reader recover` "
                "renames the database away, so close that first, then run it again"
            )
        if isinstance(error, errors.LibraryBusy):
            return f"the library database {path} is busy in another process; try again"
        if isinstance(error, errors.DiskFull):
            return (
                f"cannot write the library database {path}: the disk is full (reading, searching and "
                "`reader export > FILE` on another disk still work)"
            )
        if isinstance(error, errors.LibraryUnopenable):
            return f"cannot open the library database {path} ({error.detail})"
        if isinstance(error, errors.NewerSchema):
            return (
                f"{path} was written by a newer Reader (schema {error.found}; this one reads up to "
                f"{error.supported}); upgrade Reader to open it"
            )
        if isinstance(error, errors.LibraryNeedsUpgrade):
            return (
                f"{path} was written by an older Reader (schema {error.found}) and must be upgraded, but it "
                "cannot be written here; open it once where it can be written"
            )
        if isinstance(error, errors.MigrationFailed):
            kept = f"; a copy from before the upgrade is kept at {error.backup}" if error.backup else ""
            return f"could not upgrade {path} ({error.detail}); nothing was changed{kept}"
        if isinstance(error, errors.DataDirUnavailable):
            return f"cannot create the data directory {path}: {error.detail}"
        if isinstance(error, errors.NothingToRecover):
            return f"there is no library database at {path}: nothing to recover"
        return f"library database error ({path}): {error.detail}"
    if isinstance(error, errors.SearchError):
        where = f" in {printable(str(error.index_dir))}" if error.index_dir else ""
        if isinstance(error, errors.IndexBusy):
            return (
                f"the search index{where} is busy: another Reader process has been writing to it for over "
                f"{error.seconds:.0f} s; try again when it has finished"
            )
        if isinstance(error, errors.IndexDamaged):
            return f"the search index{where} is unreadable ({error.detail}); run `reader reindex`"
        if isinstance(error, errors.IndexUnwritable):
            return f"the search index{where} cannot be written ({error.detail}); run `reader reindex` when it can"
        if isinstance(error, errors.IndexNeedsRebuild):
            why = f" ({error.reason})" if error.reason else ""
            if error.read_only:
                return f"the search index{where} needs rebuilding{why}, but the library is read-only"
            return f"the search index{where} needs rebuilding{why}; run `reader reindex`"
        if isinstance(error, errors.IndexRebuilding):
            return (
                f"the search index{where} is being rebuilt ({error.done:,} of {error.total:,} articles); "
                "search again when it has finished"
            )
        if isinstance(error, errors.QueryError):
            return f"cannot search for {error.query!r}: {error.detail}"
        return f"the search index{where} could not answer: {error.detail}"
    if isinstance(error, errors.FetchError):
        # The web layer's reason is already a phrase about the response ("410 Gone: …").
        return f"{error.url}: {error}" if error.url else str(error)
    if isinstance(error, errors.ImporterCrashed):
        return (
            f"an importer failed unexpectedly ({error}); run again with READER_DEBUG=1 to see where, "
            "and please report it"
        )
    if isinstance(error, errors.ArticleNotFound) and len(error.article_id) < MIN_ID_PREFIX:
        return f"{error}: give at least {MIN_ID_PREFIX} characters of an id (see `reader list`)"
    return str(error)  # ImportFailure, ArticleNotFound: their text is the reason


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="library location (default: $READER_DATA_DIR, else the user data directory)",
    )
    parser = argparse.ArgumentParser(
        prog="reader",
        description="A keyboard-first terminal reader for news articles. Without a command, opens the app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.set_defaults(handler=cmd_tui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, handler: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help, parents=[common])
        p.set_defaults(handler=handler)
        return p

    def formats(p: argparse.ArgumentParser, choices: tuple[OutputFormat, ...]) -> None:
        names = [choice.value for choice in choices]  # plain strings: argparse's messages quote them
        p.add_argument("--format", choices=names, default=names[0], help=f"output format (default: {names[0]})")

    p = command("import", cmd_import, "import files, folders (recursively) or - for standard input")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files, folders, or - for standard input")
    p.add_argument("--samples", action="store_true", help="import the bundled sample library")
    p.add_argument(
        "--follow-links", action="store_true",
        help="also read symlinked files in a folder that point outside it (never /proc, /sys, /dev)",
    )
    formats(p, (OutputFormat.TEXT, OutputFormat.JSON))

    p = command("list", cmd_list, "list articles, newest first (or --sort title or source)")
    p.add_argument(
        "--sort", choices=[order.value for order in ListOrder], default=ListOrder.DATE.value,
        help="date: newest first, undated last (the default); title: A to Z; source: A to Z, each newest first",
    )
    p.add_argument("--reverse", action="store_true", help="the chosen order backwards")
    p.add_argument("--bookmarked", action="store_true", help="only bookmarked articles")
    p.add_argument("--unread", action="store_true", help="only unread articles")
    p.add_argument("--lang", metavar="XX", help="only articles in this language (ISO 639-1, e.g. en, de)")
    p.add_argument("--source", metavar="S", help="only articles from this source")
    p.add_argument("--tag", metavar="NAME", help="only articles showing this tag (see reader tags)")
    p.add_argument("--limit", type=_count, metavar="N", help="at most N articles")
    formats(p, (OutputFormat.TABLE, OutputFormat.JSON))

    p = command("show", cmd_show, "show one article (by id or id prefix)")
    p.add_argument("id")
    formats(p, (OutputFormat.TEXT, OutputFormat.JSON))

    p = command("search", cmd_search, "search the library")
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = "query syntax:\n" + "\n".join(f"  {query:<26} {meaning}" for query, meaning in SEARCH_SYNTAX)
    p.add_argument("query", nargs="*", help="the query; several words are joined")
    p.add_argument("--limit", type=_count, default=20, metavar="N", help="at most N results (default: 20)")
    formats(p, (OutputFormat.TABLE, OutputFormat.JSON))
    from reader import saved_searches_cli  # searches, search --save/--saved: the saved searches

    saved_searches_cli.add_search_options(p)
    saved_searches_cli.add_commands(command, formats)

    for name, handler, what in (
        ("bookmark", cmd_bookmark, "bookmark articles"), ("unbookmark", cmd_unbookmark, "remove bookmarks"),
        ("read", cmd_read, "mark articles as read"), ("unread", cmd_unread, "mark articles as unread"),
    ):
        p = command(name, handler, what)
        p.add_argument("ids", nargs="+", metavar="ID", help="ids or id prefixes; - reads them from standard input")
        formats(p, (OutputFormat.TEXT, OutputFormat.JSON))

    p = command("bookmarks", cmd_bookmarks, "list bookmarked articles")
    formats(p, (OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.MARKDOWN))

    p = command("highlights", cmd_highlights, "list highlights and notes, of one article or of the whole library")
    p.add_argument("article", nargs="?", metavar="ARTICLE", help="an article id or id prefix (default: every article)")
    formats(p, (OutputFormat.TEXT, OutputFormat.MARKDOWN, OutputFormat.JSON))

    p = command("export", cmd_export, "write every article as Reader JSON (re-importable)")
    formats(p, (OutputFormat.JSON, OutputFormat.JSONL))

    # delete (and its old name remove), restore, trash
    from reader.trash_cli import add_commands as add_trash_commands

    add_trash_commands(command, formats)

    p = command("reindex", cmd_reindex, "rebuild the search index from the library")
    formats(p, (OutputFormat.TEXT, OutputFormat.JSON))

    p = command(
        "recover",
        cmd_recover,
        "copy what a damaged library database still holds into a new one (the damaged file is kept)",
    )
    formats(p, (OutputFormat.TEXT, OutputFormat.JSON))

    p = command("info", cmd_info, "where the library lives and what it holds")
    formats(p, (OutputFormat.TABLE, OutputFormat.JSON))

    from reader.feeds_cli import add_commands  # feed, update, add URL: the network commands

    add_commands(sub, command, formats)
    from reader.tags_cli import add_commands as add_tag_commands  # tag, tags

    add_tag_commands(command, formats)
    return parser


# -- helpers -------------------------------------------------------------------------


MAX_LIMIT = 10_000_000


def _count(text: str) -> int:
    """``--limit``: a whole number from 1 to MAX_LIMIT; anything else is one line, not an OverflowError."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"expected a whole number from 1 to {MAX_LIMIT:,}, not {strip_unsafe(text)!r}")
    return value


def _open(args: argparse.Namespace) -> Library:
    from reader.library import Library

    return Library.open(getattr(args, "data_dir", None))


def _out(text: str = "") -> None:
    sys.stdout.write(strip_unsafe(text) + "\n")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(name: str) -> str:
    """A file name for a one-line message: invisible and control characters escaped."""
    return NAME_UNSAFE.sub(_escape, name)


def _json_escape(match: re.Match[str]) -> str:
    """JSON_UNSAFE characters occur only inside JSON strings, where ``\\uXXXX`` means the same."""
    return f"\\u{ord(match.group()):04x}"


def _json_text(data: object) -> str:
    """``data`` as one line of JSON, with :data:`JSON_UNSAFE` characters escaped."""
    return JSON_UNSAFE.sub(_json_escape, json.dumps(data, ensure_ascii=False))


def _json(data: object) -> None:
    """``data`` as indented JSON on stdout, written piece by piece (an export can be large)."""
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(data):
        sys.stdout.write(JSON_UNSAFE.sub(_json_escape, chunk))
    sys.stdout.write("\n")


class _ProgressBar:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()
        self._last = -1

    def __call__(self, done: int, total: int, stage: str | None = None) -> None:
        if not self.enabled:
            return
        if stage and stage != self.label:  # the next part of the work: a bar of its own
            self.close()
            self.label, self._last = stage, -1
            if total <= 0:  # of unknown length: its name is all there is to show
                sys.stderr.write(f"\r{self.label}…")
                sys.stderr.flush()
                self._last = 0
                return
        if total <= 0:
            return
        percent = min(100, done * 100 // total)
        if percent == self._last:
            return
        self._last = percent
        width = max(10, min(40, shutil.get_terminal_size().columns - len(self.label) - 25))
        filled = width * percent // 100
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {percent:3d}%")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self._last >= 0:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def _table(headers: Sequence[str], rows: list[Sequence[str]], widths: Sequence[int | None]) -> None:
    """Columns padded to their content; ``None`` widths share what the terminal has left."""
    if not rows:
        return
    # A row is one line: a line break or tab in a stored value (a feed URL a person typed
    # with one) would start a row of its own, so any run of them is one space.
    rows = [[cell if cell.isprintable() else " ".join(strip_unsafe(cell).split()) for cell in row] for row in rows]
    # Piped (`reader list | cat`, grep): nothing is cut; a terminal: the columns it has.
    total = shutil.get_terminal_size((120, 24)).columns if sys.stdout.isatty() else 1_000_000
    natural = [max(cell_len(h), *(cell_len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    fixed = [min(n, w) if w else n for n, w in zip(natural, widths, strict=False)]
    flexible = [i for i, w in enumerate(widths) if w is None]
    spare = total - sum(fixed[i] for i in range(len(headers)) if i not in flexible) - 2 * (len(headers) - 1)
    for i in flexible:
        fixed[i] = max(10, min(natural[i], spare // len(flexible)))
    _out("  ".join(_fit(h, fixed[i]) for i, h in enumerate(headers)).rstrip())
    for row in rows:
        _out("  ".join(_fit(cell, fixed[i]) for i, cell in enumerate(row)).rstrip())


def _fit(text: str, width: int) -> str:
    """``text`` padded or cut to ``width`` terminal cells (a CJK character takes two)."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


# -- commands ------------------------------------------------------------------------


def cmd_tui(args: argparse.Namespace) -> int:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        print("reader: the app needs a terminal; try 'reader list' or 'reader --help'", file=sys.stderr)
        return EXIT_USAGE
    from reader.tui import run

    return run(getattr(args, "data_dir", None))


def cmd_import(args: argparse.Namespace) -> int:
    if not args.paths and not args.samples:
        print("reader import: give files, folders, '-' or --samples", file=sys.stderr)
        return EXIT_USAGE
    with _open(args) as lib:
        bar = _ProgressBar("Importing")
        reports = []
        try:
            if args.samples:
                reports.append(lib.import_samples(bar))
            files = [p for p in args.paths if p != "-"]
            if files:
                reports.append(lib.import_paths(files, bar, follow_links=args.follow_links))
            if "-" in args.paths:
                reports.append(lib.import_stream(sys.stdin.buffer, "<stdin>"))
        finally:
            bar.close()
    added = sum(r.added for r in reports)
    updated = sum(r.updated for r in reports)
    failures = [f for r in reports for f in r.failures]
    notes = [n for r in reports for n in r.notes]
    if args.format == OutputFormat.JSON:
        _json({
            "added": added, "updated": updated, "failed": len(failures),
            "failures": [{"path": path, "reason": reason} for path, reason in failures],
            "notes": [{"path": path, "note": note} for path, note in notes],
        })
        return EXIT_FAILED if failures else EXIT_OK
    for path, reason in failures + notes:
        print(f"{printable(path)}: {' '.join(strip_unsafe(reason).split())}", file=sys.stderr)
    for note in filter(None, (r.deleted_note() for r in reports)):
        print(f"reader: {note}", file=sys.stderr)
    print(f"imported {added}, updated {updated}, failed {len(failures)}", file=sys.stderr)
    return EXIT_FAILED if failures else EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        rows = lib.list_articles(
            bookmarked=args.bookmarked, unread=args.unread, language=args.lang, source=args.source, limit=args.limit,
            order=ListOrder(args.sort), reverse=args.reverse, tag=args.tag,
        )
        total = lib.count() if not rows else len(rows)
    if args.format == OutputFormat.JSON:
        _json([row.to_dict() for row in rows])
        return EXIT_OK
    if not rows:
        print(_no_rows_message(args, total), file=sys.stderr)
        return EXIT_OK
    _table(
        ("ID", "", "DATE", "LANG", "SOURCE", "TITLE"),
        [
            (r.id[:8], ("★" if r.bookmarked else " ") + (" " if r.read else "•"), date_of(r.published), r.language, r.source, r.title)
            for r in rows
        ],
        (8, 2, 10, 4, 22, None),
    )
    return EXIT_OK


def _no_rows_message(args: argparse.Namespace, total: int) -> str:
    """Why `reader list` printed nothing: an empty library, or filters nothing matches."""
    if not total:
        return "no articles (import some with 'reader import PATH' or 'reader import --samples')"
    filters = [f"--{name} {value}" for name, value in (("lang", args.lang), ("source", args.source), ("tag", args.tag)) if value]
    filters += [f"--{name}" for name in ("bookmarked", "unread") if getattr(args, name)]
    hint = " (languages are codes such as en or de)" if args.lang and len(args.lang) > 3 else ""
    return f"no articles match {' '.join(filters)} among the {total:,} in the library{hint}"


def cmd_show(args: argparse.Namespace) -> int:
    from reader.render_text import render_text

    with _open(args) as lib:
        article = lib.get(args.id)
    if args.format == OutputFormat.JSON:
        _json(article.to_dict())
        return EXIT_OK
    width = min(88, shutil.get_terminal_size((88, 24)).columns) if sys.stdout.isatty() else 88

    def wrap(text: str, indent: str = "") -> str:
        return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent)

    byline = f"by {article.author}" if article.author else ""
    meta = [byline, article.source, date_of(article.published), article.language, f"{article.reading_minutes} min read"]
    if article.bookmarked:
        meta.append("★ bookmarked")
    _out(wrap(article.title))
    _out(" · ".join(m for m in meta if m))
    if article.url:
        _out(article.url)
    if article.shown_tags:
        _out(wrap("tags: " + ", ".join(article.shown_tags)))
    if article.summary:
        _out()
        _out(wrap(article.summary))
    body = render_text(article.body, width)
    if body:
        _out()
        _out("\n".join(body))
    if article.related:
        _out()
        _out("Related articles")
        for link in article.related:
            where = f"(reader show {link.target_id[:8]})" if link.target_id else f"({link.url or 'not in the library'})"
            _out(textwrap.fill(f"• {link.title} {where}", width, subsequent_indent="  "))
            if link.summary:
                _out(wrap(link.summary, "  "))
    return EXIT_OK


def cmd_search(args: argparse.Namespace) -> int:
    from reader.saved_searches_cli import remember_search, search_query

    with _open(args) as lib:
        asked = search_query(args, lib)
        if asked is None:
            return EXIT_USAGE
        query, saved_as = asked
        bar = _ProgressBar("Indexing")
        try:
            synced = lib.sync_index(bar)  # catches up after a crash; rebuilds a missing or damaged index
        finally:
            bar.close()
        try:
            result = lib.search(query, limit=max(1, args.limit))
        except errors.IndexDamaged:  # damage the opening check missed: rebuild, as a task with a bar
            bar = _ProgressBar("Indexing")
            try:
                synced = lib.sync_index(bar)
            finally:
                bar.close()
            result = lib.search(query, limit=max(1, args.limit))
        if synced.rebuilt:
            print(f"reader: Rebuilding the search index: {strip_unsafe(synced.rebuilt)}", file=sys.stderr)
        saved_as = remember_search(args, lib, query) or saved_as
    if args.format == OutputFormat.JSON:
        data = result.to_dict()
        shape = {key: data[key] for key in ("query", "total", "suggestion", "results")}
        _json(shape | {"saved_search": saved_as} if saved_as else shape)  # the name only with --save/--saved
        return EXIT_OK
    for note in result.notes:
        print(f"reader: note: {note}", file=sys.stderr)
    if not result.hits:
        hint = f"; did you mean: {result.suggestion}" if result.suggestion else ""
        print(strip_unsafe(f"no results for {query!r}{hint}"), file=sys.stderr)
        return EXIT_OK
    mark = _marker(sys.stdout.isatty())
    about = "about " if result.total_is_estimate else ""
    shown = f" (showing {len(result.hits):,}; --limit N for more)" if result.total > len(result.hits) else ""
    _out(f"{about}{result.total:,} result{'' if result.total == 1 else 's'}{shown}")
    for hit in result.hits:
        _out()
        flags = "★ " if hit.bookmarked else ""
        _styled_out(strip_unsafe(f"{hit.id[:8]}  {flags}") + mark(hit.title, hit.title_matches))
        _out("          " + " · ".join(x for x in (hit.source, date_of(hit.published), hit.language) if x))
        _styled_out("          " + mark(" ".join(hit.snippet.split()), _fold_spans(hit.snippet, hit.matches)))
    return EXIT_OK


def _fold_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Map spans in ``text`` onto the same text with whitespace runs folded to one space."""
    mapping, out_len, previous_space = [], 0, True
    for ch in text:
        mapping.append(out_len)
        if ch.isspace():
            if not previous_space:
                out_len += 1
            previous_space = True
        else:
            out_len += 1
            previous_space = False
    mapping.append(out_len)
    return [(mapping[s], mapping[e]) for s, e in spans if 0 <= s <= e <= len(text)]


def _marker(on: bool) -> Callable[[str, Sequence[tuple[int, int]]], str]:
    """``text`` cleaned, with the matched spans bold-underlined when ``on`` (a terminal).

    The spans are offsets in the uncleaned text, so each piece between them is cleaned on
    its own and our escape codes go around the cleaned pieces, after the cleaning: they
    survive it, and nothing in the text can add or end a style.
    """

    def mark(text: str, spans: Sequence[tuple[int, int]]) -> str:
        out, last = [], 0
        for start, end in sorted(spans) if on else ():
            if start < last:
                continue
            out += [strip_unsafe(text[last:start]), "\x1b[1;4m", strip_unsafe(text[start:end]), "\x1b[0m"]
            last = end
        out.append(strip_unsafe(text[last:]))
        return "".join(out)

    return mark


def _styled_out(text: str) -> None:
    """A line built by :func:`_marker`: already cleaned piece by piece, styles added after."""
    sys.stdout.write(text + "\n")


def cmd_bookmark(args: argparse.Namespace) -> int:
    return _set_bookmarks(args, True)


def cmd_unbookmark(args: argparse.Namespace) -> int:
    return _set_bookmarks(args, False)


def _set_bookmarks(args: argparse.Namespace, value: bool) -> int:
    return _set_flags(
        args, "bookmarked" if value else "unbookmarked", lambda a: a.bookmarked == value,
        lambda lib, article_id: lib.set_bookmarked(article_id, value),
    )


def cmd_read(args: argparse.Namespace) -> int:
    return _set_flags(args, "read", lambda a: a.read, lambda lib, article_id: lib.set_read(article_id, True))


def cmd_unread(args: argparse.Namespace) -> int:
    return _set_flags(args, "unread", lambda a: not a.read, lambda lib, article_id: lib.set_read(article_id, False))


def _given_ids(ids: Sequence[str]) -> list[str]:
    """The ids of the command line; ``-`` stands for those on standard input: whitespace-
    separated ids, or the JSON of ``reader list/search/bookmarks --format json``."""
    given: list[str] = []
    for article_id in ids:
        if article_id != "-":
            given.append(article_id)
            continue
        text = sys.stdin.read()
        if text.lstrip().startswith(("[", "{")):
            data = json.loads(text)
            items = data.get("results", []) if isinstance(data, dict) else data
            given += [str(item["id"]) if isinstance(item, dict) else str(item) for item in items]
        else:
            given += text.split()
    return given


def _set_flags(
    args: argparse.Namespace, done: str, already: Callable[[Article], bool], change: Callable[..., None],
) -> int:
    """Every id resolved first, so that one bad id changes nothing; then each change said.

    ``--format json`` prints ``{"action", "changed", "unchanged"}``: the full ids that
    this command changed, and those that already were so (each id once, in given order).
    """
    with _open(args) as lib:
        try:
            articles = [lib.get(article_id) for article_id in _given_ids(args.ids)]
        except json.JSONDecodeError as exc:
            print(f"reader: standard input is neither ids nor Reader JSON: {exc}", file=sys.stderr)
            return EXIT_USAGE
        changed: list[str] = []
        unchanged: list[str] = []
        seen: set[str] = set()
        for article in articles:
            if article.id in seen:
                continue  # the same article twice (a prefix and its full id): said once
            seen.add(article.id)
            (unchanged if already(article) else changed).append(article.id)
            change(lib, article.id)
            if args.format != OutputFormat.JSON:
                print(strip_unsafe(f"{done} {article.id[:8]}  {article.title}"), file=sys.stderr)
        if not articles:
            print("reader: no ids given (standard input was empty)", file=sys.stderr)
    if args.format == OutputFormat.JSON:
        _json({"action": done, "changed": changed, "unchanged": unchanged})
    return EXIT_OK


def cmd_bookmarks(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        articles = lib.bookmarks()
    if args.format == OutputFormat.JSON:
        _json([a.to_dict() for a in articles])
    elif args.format == OutputFormat.MARKDOWN:
        from reader.export import bookmarks_markdown

        for line in bookmarks_markdown(articles).splitlines():
            _out(line)  # cleaned once more on the way out, like every line the CLI prints
    elif not articles:
        print("no bookmarks yet ('reader bookmark ID', or b in the app)", file=sys.stderr)
    else:
        _table(
            ("ID", "DATE", "SOURCE", "TITLE"),
            [(a.id[:8], date_of(a.published), a.source, a.title) for a in articles],
            (8, 10, 22, None),
        )
    return EXIT_OK


def cmd_highlights(args: argparse.Namespace) -> int:
    from reader.errors import ArticleNotFound
    from reader.export import highlight_dict, highlights_markdown

    with _open(args) as lib:
        highlights = lib.highlights(args.article)
        groups: list[tuple[str, Article | None, list[Highlight]]] = []
        for highlight in highlights:
            if not groups or groups[-1][0] != highlight.article_id:
                try:
                    article = lib.get(highlight.article_id)
                except ArticleNotFound:
                    article = None
                groups.append((highlight.article_id, article, []))
            groups[-1][2].append(highlight)
    if args.format == OutputFormat.JSON:
        _json([
            {**highlight_dict(h), "article_id": owner, "article_title": a.title if a else "", "article_url": a.url if a else ""}
            for owner, a, group in groups for h in group
        ])
    elif args.format == OutputFormat.MARKDOWN:
        for line in highlights_markdown(groups).splitlines():
            _out(line)
    elif not highlights:
        where = "this article" if args.article else "the library"
        print(f"no highlights in {where} yet (v in the app's reader selects a passage, h highlights it)", file=sys.stderr)
    else:
        for number, (owner, article, group) in enumerate(groups):
            if number:
                _out()
            _out(f"{owner[:8]}  {article.title if article else '(no longer in the library)'}")
            for h in group:
                mark = "  (orphaned: no longer in the text)" if h.orphaned else ""
                if not h.orphaned and h.original and h.original != h.text:
                    mark = f"  (first highlighted as “{' '.join(h.original.split())}”)"
                _out(f"  {h.id[:8]}  “{' '.join(h.text.split())}”{mark}")
                for line in h.note.splitlines():
                    _out(f"            {line}" if line else "")
    return EXIT_OK


def _highlights_by_article(lib: Library) -> dict[str, list[dict[str, object]]]:
    """Every highlight as Reader JSON, by article id (for ``reader export``)."""
    from reader.export import highlight_dict

    grouped: dict[str, list[dict[str, object]]] = {}
    for highlight in lib.highlights():
        grouped.setdefault(highlight.article_id, []).append(highlight_dict(highlight))
    return grouped


def _exported(article: Article, highlights: dict[str, list[dict[str, object]]]) -> dict[str, object]:
    data: dict[str, object] = article.to_dict()
    if article.id in highlights:
        data["highlights"] = highlights[article.id]
    return data


def cmd_export(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        highlights = _highlights_by_article(lib)
        if args.format == OutputFormat.JSONL:
            for article in lib.export():
                sys.stdout.write(_json_text(_exported(article, highlights)) + "\n")
        else:  # a list written an article at a time: a whole library never sits in memory
            sys.stdout.write("[")
            for number, article in enumerate(lib.export()):
                sys.stdout.write(",\n" if number else "\n")
                for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(_exported(article, highlights)):
                    sys.stdout.write(JSON_UNSAFE.sub(_json_escape, chunk))
            sys.stdout.write("\n]\n")
    return EXIT_OK


def cmd_reindex(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        bar = _ProgressBar("Indexing")
        try:
            count = lib.reindex(bar)
        finally:
            bar.close()
    if args.format == OutputFormat.JSON:
        _json({"indexed": count})
        return EXIT_OK
    print(f"indexed {count} articles", file=sys.stderr)
    return EXIT_OK


def cmd_recover(args: argparse.Namespace) -> int:
    from reader.library import recover

    bar = _ProgressBar("Indexing")
    try:
        report = recover(getattr(args, "data_dir", None), bar)
    finally:
        bar.close()
    if args.format == OutputFormat.JSON:
        _json({
            "status": report.status, "database": str(report.database),
            "backup": str(report.backup) if report.backup else None, "articles": report.articles,
            "bookmarks": report.bookmarks, "read_errors": report.read_errors, "problem": report.problem,
            "cut": list(report.cut),
        })
        return EXIT_FAILED if report.status == "unreadable" else EXIT_OK
    database = printable(str(report.database))
    if report.status == "intact":
        print(f"reader: the library database {database} is not damaged; nothing to do", file=sys.stderr)
        return EXIT_OK
    if report.status == "unreadable":
        print(
            strip_unsafe(
                f"reader: nothing could be read from {database} ({report.problem}); it is left where it is. "
                f"Move it aside (e.g. mv {database} {database}.damaged) to start a new library"
            ),
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(
        f"recovered {report.articles} articles and {report.bookmarks} bookmarks into a new {database}"
        + ("; damaged parts of the old file could not be read" if report.read_errors else ""),
        file=sys.stderr,
    )
    if report.cut:
        count, shown = len(report.cut), ", ".join(i[:8] for i in report.cut[:10])
        print(
            f"{count:,} recovered article{'' if count == 1 else 's'} lost the end of {'its' if count == 1 else 'their'} text, "
            f"stored where the file is damaged: {shown}{' …' if count > 10 else ''}",
            file=sys.stderr,
        )
    print(f"the damaged database is kept as {printable(str(report.backup))}", file=sys.stderr)
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    with _open(args) as lib:
        info = lib.info()
    if args.format == OutputFormat.JSON:
        _json(info)
        return EXIT_OK
    for key, value in info.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k or '?'}: {v}" for k, v in value.items()) or "-"
        _out(f"{key.replace('_', ' '):<14} {value}")
    return EXIT_OK
