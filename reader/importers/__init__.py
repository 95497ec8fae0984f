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

import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reader.errors import ImportFailure
from reader.importers import capture, detect, feeds, html, jsonfeed, markdown, reader_json
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


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders walked in sorted order, without hidden entries or symlinked folders.

    A folder that cannot be listed is yielded itself, so that parse_file reports it.
    """
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        unreadable: list[Path] = []

        def note(error: OSError, unreadable: list[Path] = unreadable) -> None:
            unreadable.append(Path(error.filename))

        for folder, dirnames, filenames in os.walk(path, onerror=note):
            yield from unreadable
            unreadable.clear()
            dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
            for name in sorted(filenames):
                if not name.startswith("."):
                    yield Path(folder, name)
        yield from unreadable


def parse_file(path: Path) -> list[Article]:
    """The articles of the file at ``path``; ImportFailure with a short reason otherwise."""
    return read_file(path).articles


def parse_bytes(data: bytes, name: str = "") -> list[Article]:
    """The articles in ``data``; ``name`` (a file name) is only a hint for the format."""
    return read_bytes(data, name).articles


def read_file(path: Path) -> Parsed:
    """The articles of the file at ``path`` and lines naming what was skipped; ImportFailure otherwise."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            readable = os.access(path, os.R_OK | os.X_OK)
            raise ImportFailure("is a folder, not a file" if readable else "is a folder that cannot be read")
        if not stat.S_ISREG(info.st_mode):
            raise ImportFailure("not a regular file")
        _check_size(info.st_size)
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ImportFailure(_os_reason(error)) from None
    return read_bytes(data, path.name)  # checks the size again: the file may have grown


def read_bytes(data: bytes, name: str = "") -> Parsed:
    """The articles in ``data`` and lines naming what was skipped; ``name`` is only a format hint."""
    try:
        parsed = _parse(data, name)
        if isinstance(parsed, Parsed):
            return Parsed(parsed.articles, tuple(_short(line) for line in parsed.skipped))
        return Parsed(parsed)
    except ImportFailure as failure:
        raise ImportFailure(_short(str(failure))) from None
    except RecursionError:
        raise ImportFailure("nested too deeply to read") from None
    except MemoryError:
        raise ImportFailure("too large to read into memory") from None
    except Exception as error:  # noqa: BLE001 - a parser bug must not end the batch
        raise ImportFailure(_short(f"could not read this file ({type(error).__name__}: {error})")) from None


def _parse(data: bytes, name: str) -> list[Article] | Parsed:
    _check_size(len(data))
    text = decode(data)
    kind = detect.detect_format(text, name)
    if kind == detect.JSON:
        value = load_json(text)
        return jsonfeed.parse(value) if jsonfeed.is_json_feed(value) else reader_json.parse(value)
    if kind == detect.XML:
        return feeds.parse(text)
    if kind == detect.HTML:
        embedded = _EMBEDDED_ATOM.search(text)
        return feeds.parse(embedded.group(0)) if embedded else html.parse(text)
    if kind == detect.MARKDOWN:
        return markdown.parse(text)
    return capture.parse(text)


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
