"""Importers: files in, Articles out, or one clear line saying why not.

The library calls :func:`parse_file` (or :func:`parse_bytes` for standard input) for each
path :func:`iter_files` yields. The steps are the same for every file: refuse it if it
is over :data:`MAX_FILE_BYTES` (before reading it), decode the bytes (decode.py), tell
the format from the content (detect.py; the extension is only a hint), and hand the
text to the format's module. Every failure, expected or not, leaves as
:class:`ImportFailure` with a short reason and no file name (the caller prefixes the
path), so one bad file never stops a batch and never shows a traceback.
"""

from __future__ import annotations

import io
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from reader.errors import ImporterCrashed, ImportFailure
from reader.importers import capture, detect, feeds, html, jsonfeed, markdown, reader_json
from reader.importers.budget import check_markup
from reader.importers.build import Parsed
from reader.importers.decode import decode
from reader.importers.jsondata import load_json
from reader.model import Article
from reader.text import clean_line

MAX_FILE_BYTES = 64 * 1024 * 1024
_MB = 1024 * 1024
_MAX_REASON_CHARS = 200
# An Atom feed saved inside an XHTML page (feedjira's DuplicateContentAtomFeed.xml): the
# page has nothing but the feed, which feedparser reads; so do we.
_EMBEDDED_ATOM = re.compile(r"<feed\b[^>]*\bxmlns=[\"']http://www\.w3\.org/2005/Atom[\"'].*</feed>", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Format:
    """One import format, as the README lists it."""

    name: str
    extensions: tuple[str, ...]
    detected_by: str


FORMATS = (
    Format("Page capture", (".txt",), "plain text that is not Markdown (the fallback)"),
    Format("Markdown", detect.MARKDOWN_EXTENSIONS, "YAML front matter or a '# ' heading first, or the extension"),
    Format("HTML page", (".html", ".htm", ".xhtml"), "an HTML doctype or an HTML root element"),
    Format("RSS 2.0 / Atom feed", (".xml", ".rss", ".atom"), "an <rss>, <rdf:RDF> or <feed> root element"),
    Format("JSON Feed 1.0 / 1.1", (".json",), 'JSON with "version": "https://jsonfeed.org/version/..."'),
    Format("Reader JSON", (".json", ".jsonl"), "any other JSON or JSON Lines: articles as `reader export` writes them"),
)


class SkippedFile(type(Path())):  # type: ignore[misc]
    """A path :func:`iter_files` found but will not read; :func:`parse_file` reports why."""

    reason = ""


def _skipped(path: Path, reason: str) -> SkippedFile:
    skipped = SkippedFile(path)
    skipped.reason = reason
    return skipped


# Pseudo-file systems: their "regular files" are the process's environment, memory, devices.
_NEVER_READ = tuple(Path(p) for p in ("/proc", "/sys", "/dev"))


def is_folder_readme(name: str) -> bool:
    """README, README.md, readme.txt…: a folder's description (the bundled sample_data has
    one), skipped, and named as skipped, when the folder is walked; given by name, it is read."""
    stem, _, suffix = name.partition(".")
    return stem.lower() == "readme" and suffix.lower() in ("", "md", "markdown", "txt", "rst")


def iter_files(paths: Iterable[Path], *, follow_links: bool = False) -> Iterator[Path]:
    """Files as given; folders walked in sorted order, without hidden entries or symlinked folders.

    A symlinked file inside a folder is read only when it points inside that folder (or
    with ``follow_links``): an archive unpacked from anywhere may hold ``notes.txt ->
    ~/.ssh/id_ed25519``. Such a link is yielded as a :class:`SkippedFile`, so the import
    names it. A folder that cannot be listed is yielded itself, so that parse_file reports it.
    """
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        root = Path(os.path.realpath(path))
        unreadable: list[Path] = []

        def note(error: OSError, unreadable: list[Path] = unreadable) -> None:
            unreadable.append(Path(error.filename))

        for folder, dirnames, filenames in os.walk(path, onerror=note):
            yield from unreadable
            unreadable.clear()
            dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                file = Path(folder, name)
                # realpath, not resolve(): a symlink loop is for parse_file to report, not an error here
                if not follow_links and file.is_symlink() and not Path(os.path.realpath(file)).is_relative_to(root):
                    yield _skipped(file, "a symlink to a file outside the imported folder (not followed; --follow-links reads it)")
                elif is_folder_readme(name):
                    yield _skipped(file, "the folder's README, not an article (import the file by name to read it)")
                else:
                    yield file
        yield from unreadable


def read_file(path: Path, skipped: list[str]) -> Iterator[Article]:
    """The articles of the file at ``path``, as they are read; bad records of a file that
    has several are named in ``skipped`` and left out (see :mod:`reader_json`).

    A Reader JSON list or JSON Lines file is streamed, whatever its size; every other
    file is read whole, within :data:`MAX_FILE_BYTES`. A failure is an ImportFailure with
    a short reason, possibly after some articles were given. The file is opened only as
    :func:`_open_regular` allows.
    """
    with _open_regular(path) as file:
        try:
            kind = reader_json.streamable(file)
            if kind is None:
                _check_size(os.fstat(file.fileno()).st_size)
                data = file.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise ImportFailure(_os_reason(error)) from None
        if kind is not None:
            yield from _streamed(file, kind, skipped)
            return
    yield from parse_bytes(data, path.name, skipped)  # checks the size again: the file may have grown


def read_stream(stream: IO[bytes], name: str, skipped: list[str]) -> Iterator[Article]:
    """What a stream (standard input) holds: streamed as :func:`read_file` streams, or
    read whole up to the import limit."""
    # A stream that cannot peek is given a buffer.
    buffered: io.BufferedReader[Any] = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)
    kind = reader_json.streamable(buffered)
    if kind is not None:
        yield from _streamed(buffered, kind, skipped)
    else:
        yield from parse_bytes(buffered.read(MAX_FILE_BYTES + 1), name, skipped)


def _streamed(file: io.BufferedReader, kind: reader_json.Layout, skipped: list[str]) -> Iterator[Article]:
    try:
        yield from reader_json.stream(file, kind, skipped)
    except ImportFailure as failure:
        raise ImportFailure(_short(str(failure))) from None
    except OSError as error:
        raise ImportFailure(_os_reason(error)) from None
    except MemoryError:
        raise ImportFailure("too large to read into memory") from None


def parse_file(path: Path, skipped: list[str] | None = None) -> list[Article]:
    """The articles of the file at ``path``; ImportFailure with a short reason otherwise.

    With ``skipped``, a bad record of a file of several is named there and left out."""
    return list(read_file(path, [] if skipped is None else skipped))


def read_bytes(data: bytes, name: str = "") -> Parsed:
    """:func:`parse_bytes` with the lines naming what was skipped, for callers without a report."""
    skipped: list[str] = []
    articles = parse_bytes(data, name, skipped)
    return Parsed(articles, tuple(skipped))


def _open_regular(path: Path) -> io.BufferedReader:
    """Open ``path`` for reading if it is a regular file Reader may import; else ImportFailure.

    Only regular files are read, never one in /proc, /sys or /dev, nor one that
    :func:`iter_files` skipped (a link out of the folder), and a FIFO or device swapped
    in after the check is not waited on (opened non-blocking, checked again).
    """
    if isinstance(path, SkippedFile):
        raise ImportFailure(path.reason)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            readable = os.access(path, os.R_OK | os.X_OK)
            raise ImportFailure("is a folder, not a file" if readable else "is a folder that cannot be read")
        if not stat.S_ISREG(info.st_mode):
            raise ImportFailure("not a regular file")
        if any(Path(os.path.realpath(path)).is_relative_to(never) for never in _NEVER_READ):
            raise ImportFailure("a system file (/proc, /sys or /dev), never imported")
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        file = os.fdopen(descriptor, "rb")
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            file.close()
            raise ImportFailure("not a regular file")
    except OSError as error:
        raise ImportFailure(_os_reason(error)) from None
    return file


def parse_bytes(data: bytes, name: str = "", skipped: list[str] | None = None, *, address: str = "") -> list[Article]:
    """The articles in ``data``; ``name`` (a file name) is only a hint for the format.

    ``address``: the URL ``data`` was fetched from, which relative links of a page or a
    feed are resolved against (reader.importers.html, reader.importers.feeds).
    """
    try:
        return _parse(data, name, skipped, address)
    except ImportFailure as failure:
        raise ImportFailure(_short(str(failure))) from None
    except RecursionError:
        raise ImportFailure("nested too deeply to read") from None
    except MemoryError:
        raise ImportFailure("too large to read into memory") from None
    except Exception as error:
        # A parser bug, not a bad file: a distinct error, so the batch goes on (the library
        # reports the file) while tests that accept refusals do not accept crashes.
        raise ImporterCrashed(error, _short(f"{type(error).__name__}: {error}")) from error


def _parse(data: bytes, name: str, skipped: list[str] | None, address: str) -> list[Article]:
    _check_size(len(data))
    text = decode(data)
    kind = detect.detect_format(text, name)
    if kind == detect.JSON:
        value = load_json(text)
        if jsonfeed.is_json_feed(value):
            return _unpack(jsonfeed.parse(value, address), skipped)
        return reader_json.parse(value, skipped)
    if kind in (detect.XML, detect.HTML):
        check_markup(text)  # elements and attributes, before a parser builds them
    if kind == detect.XML:
        return _unpack(feeds.parse(text, address), skipped)
    if kind == detect.HTML:
        embedded = _EMBEDDED_ATOM.search(text)
        return _unpack(feeds.parse(embedded.group(0), address), skipped) if embedded else html.parse(text, address)
    if kind == detect.MARKDOWN:
        return markdown.parse(text, skipped)
    return capture.parse(text)


def _unpack(parsed: Parsed, skipped: list[str] | None) -> list[Article]:
    """A feed's articles; the entries it skipped are named in ``skipped`` (or dropped
    only where the caller asked for articles alone, as :func:`parse_bytes` without it)."""
    if skipped is not None:
        skipped.extend(_short(line) for line in parsed.skipped)
    return parsed.articles


def _check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ImportFailure(f"file is {size / _MB:.1f} MB, over the {MAX_FILE_BYTES // _MB} MB import limit")


def _os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, IsADirectoryError):
        return "is a folder, not a file"
    return (error.strerror or type(error).__name__).lower()


def _short(reason: str) -> str:
    reason = clean_line(reason)
    return reason if len(reason) <= _MAX_REASON_CHARS else reason[: _MAX_REASON_CHARS - 1] + "…"
