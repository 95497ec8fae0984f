"""Reader JSON: what ``reader export`` and ``reader show --format json`` write.

A list of article objects (or JSON Lines of them, or a single object) in the shape of
:meth:`Article.to_dict`, so an export imports back as the same articles with the same
ids, bookmarks and read state. The file may have been edited or written by another
tool, so it is validated, not trusted: text fields must be text, every string is
cleaned like any other import, and an ``id`` is kept only if it has the form Reader
gives ids (16 lower-case hex digits); anything else gets the id the article's URL or
source, title and date give it. ``imported_at`` is left to the store. A valid
``language`` is kept as stated (it is what Reader chose when it first imported the
article; detecting it again was a third of the time of reading an export); without one
the language is detected as for any import.

One bad record is skipped, not the whole file: a backup with one article whose
``body`` is a number imports every other article, and the skipped one is named
(``article 50: 'body' is not text``) in the ``skipped`` list the caller passes; only
a file with no readable article at all is refused.

Any size: a list of articles (what ``reader export`` writes) or JSON Lines (what
``reader export --format jsonl`` writes) is read by :func:`stream` a record at a time,
so an export of a whole library imports back whatever its size; the import size limit
stays for the formats that must be held in memory whole. A record itself may be no
larger than that limit.
"""

from __future__ import annotations

import codecs
import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from reader.body import FORMAT as BODY_FORMAT
from reader.errors import ImportFailure
from reader.highlights import Anchor, Highlight, new_id
from reader.importers.build import finish
from reader.importers.jsonfeed import is_json_feed
from reader.model import Article, article_from_dict
from reader.text import clean_paragraphs, strip_unsafe

_TEXT_FIELDS = ("id", "title", "summary", "body", "language", "source", "author", "url", "published")
MAX_RECORD_CHARS = 64 * 1024 * 1024  # one article of a streamed file, as the whole-file limit
_CHUNK = 1 << 20  # characters read at a time by the streaming reader
_SPACE = re.compile(r"[ \t\n\r]*")
_MB = 1024 * 1024
_PEEK = 4096


def parse(value: object, skipped: list[str] | None = None) -> list[Article]:
    """The articles of a parsed Reader JSON document.

    With ``skipped``, a bad record is left out and named there; without it, the first
    bad record refuses the file. A file with records but none readable is refused.
    """
    if isinstance(value, dict) and "title" in value:
        value = [value]
    if not isinstance(value, list):
        raise ImportFailure("JSON is not a list of articles")
    if not value:
        raise ImportFailure("JSON list of articles is empty")
    articles = []
    problems: list[str] = []
    for number, item in enumerate(value, start=1):
        try:
            articles.append(_article(number, item, skipped))
        except ImportFailure as failure:
            if skipped is None:
                raise
            problems.append(str(failure))
    if not articles:
        raise ImportFailure(_none_readable(problems))
    if skipped is not None:
        skipped.extend(f"{problem} (skipped)" for problem in problems)
    return articles


class Layout(StrEnum):
    """How a streamed Reader JSON file holds its records."""

    LIST = "list"  # one JSON list of article objects
    LINES = "lines"  # JSON Lines: one article object a line


LIST, LINES = Layout.LIST, Layout.LINES


def streamable(file: io.BufferedReader) -> Layout | None:
    """:data:`LIST` or :data:`LINES` when ``file`` (a buffered binary file at its start,
    left there) holds what :func:`stream` reads: a JSON list, or JSON Lines of article
    objects; None for anything else (a JSON Feed, one pretty-printed object, UTF-16),
    which is read whole, as before, within the import size limit.
    """
    head = file.peek(_PEEK)[:_PEEK]
    start = head.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")
    if start.startswith(b"["):
        return LIST
    if not start.startswith(b"{"):
        return None
    if file.seekable():
        position = file.tell()
        first = file.readline(MAX_RECORD_CHARS + 1)
        file.seek(position)
    elif b"\n" in head:  # standard input: only what can be seen without consuming it
        first = head[: head.index(b"\n")]
    else:
        return None
    try:
        value = json.loads(first.decode("utf-8-sig"))
    except (ValueError, RecursionError):
        return None  # not one object on its first line: not JSON Lines
    looks_like_article = isinstance(value, dict) and ("title" in value or "id" in value)
    return LINES if looks_like_article and not is_json_feed(value) else None


def stream(file: io.BufferedReader, kind: Layout, skipped: list[str]) -> Iterator[Article]:
    """The articles of a Reader JSON list or JSON Lines file (``kind`` from
    :func:`streamable`), one record in memory at a time.

    A bad record (not an object, a field of the wrong type, a malformed JSON Lines line)
    is named in ``skipped`` and left out. Malformed JSON between the records of a list
    ends the file there, with an ImportFailure that says how many came before.
    """
    text = io.TextIOWrapper(file, encoding="utf-8-sig", errors="strict", newline="")
    found = 0
    try:
        for number, item in _list_items(text) if kind == LIST else _lines(text):
            if isinstance(item, ImportFailure):
                skipped.append(f"{item} (skipped)")
                continue
            try:
                article = _article(number, item, skipped)
            except ImportFailure as failure:
                skipped.append(f"{failure} (skipped)")
                continue
            found += 1
            yield article
    except UnicodeDecodeError as error:
        raise ImportFailure(_after(found, f"not UTF-8 text ({error.reason})")) from None
    except ImportFailure as failure:
        raise ImportFailure(_after(found, str(failure))) from None
    finally:
        text.detach()  # the caller's file stays open, and the caller's to close
    if not found:
        if not skipped:
            raise ImportFailure("JSON list of articles is empty")
        problems = [line.removesuffix(" (skipped)") for line in skipped]
        skipped.clear()  # the file's one failure line says it all
        raise ImportFailure(_none_readable(problems))


def _none_readable(problems: list[str]) -> str:
    """The failure of a file none of whose records could be read, naming the first problem."""
    if len(problems) == 1:
        return f"no article could be read ({problems[0]})"
    return f"none of its {len(problems)} records could be read (the first: {problems[0]})"


def _after(found: int, reason: str) -> str:
    return f"{reason}; the {found} articles before it were imported" if found else reason


def _lines(text: io.TextIOWrapper) -> Iterator[tuple[int, object]]:
    """``(line number, value)`` of JSON Lines; a malformed line gives an ImportFailure
    value (skipped by the caller), not the end of the file."""
    number = 0
    while True:
        line = text.readline(MAX_RECORD_CHARS + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_RECORD_CHARS:
            raise ImportFailure(f"line {number} is over {MAX_RECORD_CHARS // _MB} MB")
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except RecursionError:
            yield number, ImportFailure(f"line {number}: JSON nested too deeply")
        except ValueError as error:
            message = error.msg if isinstance(error, json.JSONDecodeError) else str(error)[:80]
            yield number, ImportFailure(f"line {number}: malformed JSON ({message})")


def _list_items(text: io.TextIOWrapper) -> Iterator[tuple[int, object]]:
    """``(position, value)`` of the items of a JSON list, read a chunk at a time.

    A value cut by the end of the chunk fails to decode; then the next chunk is
    added and it is decoded again (records are far smaller than a chunk, so this
    costs little), up to MAX_RECORD_CHARS.
    """
    decoder = json.JSONDecoder()
    buffer, position, eof, number = "", 0, False, 0

    def more() -> bool:
        nonlocal buffer, position, eof
        chunk = "" if eof else text.read(_CHUNK)
        eof = not chunk
        buffer, position = buffer[position:] + chunk, 0
        return not eof

    def space() -> None:
        nonlocal position
        while True:
            spaces = _SPACE.match(buffer, position)
            assert spaces is not None  # a run of none matches anywhere
            position = spaces.end()
            if position < len(buffer) or not more():
                return

    space()
    position += 1  # the "[" streamable() saw
    space()
    if position < len(buffer) and buffer[position] == "]":
        position += 1
    else:
        while True:
            space()
            while True:
                try:
                    value, end = decoder.raw_decode(buffer, position)
                    break
                except RecursionError:
                    raise ImportFailure(f"article {number + 1}: JSON nested too deeply") from None
                except ValueError as error:
                    if len(buffer) - position > MAX_RECORD_CHARS:
                        raise ImportFailure(f"article {number + 1} is over {MAX_RECORD_CHARS // _MB} MB") from None
                    if not more():
                        message = error.msg if isinstance(error, json.JSONDecodeError) else str(error)[:80]
                        raise ImportFailure(f"malformed JSON in article {number + 1} ({message})") from None
            number += 1
            position = end
            yield number, value
            space()
            if position >= len(buffer):
                raise ImportFailure(f"the JSON list ends after article {number} without its closing ']'")
            if buffer[position] == "]":
                position += 1
                break
            if buffer[position] != ",":
                raise ImportFailure(f"malformed JSON after article {number} (expected ',' or ']')")
            position += 1
    space()
    if position < len(buffer):
        raise ImportFailure("malformed JSON: more text after the list of articles")


def _article(number: int, item: object, skipped: list[str] | None = None) -> Article:
    if not isinstance(item, dict):
        raise ImportFailure(f"article {number} is not a JSON object")
    for name in _TEXT_FIELDS:
        if item.get(name) is not None and not isinstance(item[name], str):
            raise ImportFailure(f"article {number}: {name!r} is not text")
    tags = item.get("tags")
    if tags is not None and not isinstance(tags, (str, list)):
        raise ImportFailure(f"article {number}: 'tags' is not a list")
    for name in ("user_tags", "removed_tags"):  # a person's tags (reader/tags.py): never dropped unsaid
        value = item.get(name)
        if value is not None and not (isinstance(value, list) and all(isinstance(t, str) for t in value)):
            raise ImportFailure(f"article {number}: {name!r} is not a list of names")
    related = item.get("related")
    if related is not None and not isinstance(related, list):
        raise ImportFailure(f"article {number}: 'related' is not a list")
    cleaned = dict(item)
    cleaned["tags"] = [str(tag) for tag in tags if isinstance(tag, str)] if isinstance(tags, list) else tags
    cleaned["related"] = [_link(link) for link in related or () if isinstance(link, dict)]
    cleaned["bookmarked"] = item.get("bookmarked") is True
    cleaned["read"] = item.get("read") is True
    try:
        # finish() keeps a well-formed id and computes the others from the cleaned fields.
        # Exports before 0.2 have no body_format: their bodies are plain paragraphs.
        structured = item.get("body_format") == BODY_FORMAT
        # A stated language is the one Reader chose at the first import: kept, not detected again.
        article = finish(
            article_from_dict(cleaned).replace(id=item.get("id") or ""), structured=structured, keep_language=True
        )
    except ImportFailure as failure:
        raise ImportFailure(f"article {number}: {failure}") from None
    return article.replace(highlights=_highlights(number, item.get("highlights"), article.id, skipped))


def _highlights(number: int, value: object, article_id: str, skipped: list[str] | None) -> tuple[Highlight, ...]:
    """The highlights of an exported article; a bad one is named in ``skipped`` and left
    out (the article and its other highlights are kept), or refuses the file without it."""
    if value is None:
        return ()
    problems: list[str] = []
    found: list[Highlight] = []
    if not isinstance(value, list):
        problems.append(f"article {number}: 'highlights' is not a list")
    else:
        for place, data in enumerate(value, 1):
            try:
                found.append(highlight_from_dict(data, article_id))
            except ValueError as error:
                problems.append(f"article {number}: highlight {place}: {error}")
    if problems and skipped is None:
        raise ImportFailure(problems[0])
    if skipped is not None:
        skipped.extend(f"{problem} (skipped)" for problem in problems)
    return tuple(found)


def _link(link: dict[str, Any]) -> dict[str, str]:
    """A related link with only text values (anything else becomes empty)."""
    return {key: value for key, value in link.items() if isinstance(value, str)}


_HIGHLIGHT_ID = re.compile(r"[0-9a-f]{4,32}")


def highlight_from_dict(data: object, article_id: str) -> Highlight:
    """A highlight of an export, validated (another tool may have written the file):
    ValueError names what is wrong. Its text is cleaned like any imported text; it is
    found again in the article's text when it is first shown (``text_digest`` empty)."""
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    for name in ("text", "note", "prefix", "suffix", "created_at", "updated_at", "id", "original"):
        if data.get(name) is not None and not isinstance(data[name], str):
            raise ValueError(f"{name!r} is not text")
    for name in ("start", "end"):
        value = data.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name!r} is not a whole number")
    exact = strip_unsafe(data.get("text") or "")
    if not exact.strip():
        raise ValueError("it has no text")
    highlight_id = str(data.get("id") or "").lower()
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    anchor = Anchor(exact, strip_unsafe(data.get("prefix") or ""), strip_unsafe(data.get("suffix") or ""),
                    int(data.get("start", 0)), int(data.get("end", 0)))
    return Highlight(
        id=highlight_id if _HIGHLIGHT_ID.fullmatch(highlight_id) else new_id(),
        article_id=article_id,
        anchor=anchor,
        note=clean_paragraphs(data.get("note") or ""),
        created_at=data.get("created_at") or now,
        updated_at=data.get("updated_at") or data.get("created_at") or now,
        orphaned=data.get("orphaned") is True,
        original=strip_unsafe(data.get("original") or ""),
    )
