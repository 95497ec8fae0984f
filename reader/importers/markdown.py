"""Markdown files, with optional YAML front matter (title, author, source, published, url, tags...).

Markdown is the stored form of bodies (:mod:`reader.body`), so the file's text *is* the
body: headings, lists, quotes, code, emphasis and links keep their structure, and what
lies outside the subset (tables, reference links, inline HTML) is kept as its text. Only
the title block is taken out of it, and a top-level HTML block is converted to
paragraphs by the HTML importer. Brackets that are not links, such as
"[@click=app.quit]", stay as they are. Nesting deeper than the body form keeps
(:data:`reader.body.MAX_DEPTH`) is kept as text, and the import says so in a note.

Front matter is read with ``yaml.safe_load`` (no Python objects) and only when it is at
most 64 KB: YAML's aliases can make a small text expand into a large structure, and we
read only a few scalar keys from it. The title comes from the front matter, else the
first level-1 heading, else a short first block; the summary from a "summary" or
"description" key, else the first paragraph.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import yaml
from markdown_it import MarkdownIt

from reader.body import MAX_DEPTH, BlockKind, Document, escape_text, source_text
from reader.body import parse as parse_body
from reader.errors import ImportFailure
from reader.importers.build import ImportNote, finish, joined_names
from reader.importers.dates import iso_date
from reader.importers.html import html_to_paragraphs
from reader.model import Article

MAX_FRONT_MATTER_BYTES = 64 * 1024

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_OPENING = re.compile(r"\A---[ \t]*\r?\n")
_FIRST_LINE_MAX_CHARS = 200
_TITLE_WINDOW = 64 * 1024
# A line that opens with this many quote/list marker or indent characters may reach
# reader.body's nesting cap (each level takes at least one of them); others cannot.
_DEEP_LINE = re.compile(rf"^[ \t>*+\-\d.)]{{{MAX_DEPTH - 2},}}", re.MULTILINE)
# Only to find HTML blocks: the body form itself reads HTML as text.
_HTML_FINDER = MarkdownIt("commonmark", {"maxNesting": MAX_DEPTH})


def parse(text: str, notes: list[str] | None = None) -> list[Article]:
    """The article of a Markdown file; what it kept as text instead of structure is
    said in ``notes`` (an :class:`ImportNote`)."""
    front, body_text = _split_front_matter(text)
    body_text = _html_blocks_as_text(source_text(body_text))
    # The title is looked for in the first 64 KB (markdown-it reads about a megabyte a
    # second); the whole body is parsed only if a line is nested deeply enough to reach
    # the nesting cap, to count what is kept as text.
    head = body_text if len(body_text) <= _TITLE_WINDOW else body_text[: body_text.rfind("\n\n", 0, _TITLE_WINDOW) + 1]
    document = parse_body(head)
    if head is not body_text and _DEEP_LINE.search(body_text):
        document = replace(document, flattened=parse_body(body_text).flattened)
    if document.flattened and notes is not None:
        notes.append(ImportNote(
            f"{document.flattened:,} lines nested deeper than {MAX_DEPTH} quotes or"
            f" {MAX_DEPTH // 2} lists are kept as plain text"
        ))
    title = _scalar(front, "title")
    if not title:
        title, body_text = _title_from(document, body_text)
    article = Article(
        id="",
        title=title,
        summary=_scalar(front, "summary") or _scalar(front, "description"),
        body=body_text,
        language=_scalar(front, "language") or _scalar(front, "lang"),
        source=_scalar(front, "source") or _scalar(front, "publisher"),
        author=_authors(front.get("author") or front.get("authors")),
        url=_scalar(front, "url") or _scalar(front, "link"),
        published=iso_date(front.get("published") or front.get("date") or ""),
        tags=_tags(front.get("tags") or front.get("categories") or front.get("keywords")),
    )
    return [finish(article, structured=True)]


class _FrontMatterLoader(yaml.SafeLoader):
    """``yaml.safe_load`` that keeps dates as text: :func:`iso_date` reads them, and an
    impossible one (``2024-13-45``) becomes no date instead of refusing the whole file."""


def _timestamp_as_text(loader: _FrontMatterLoader, node: yaml.Node) -> str:
    return loader.construct_yaml_str(node)


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not _OPENING.match(text):
        return {}, text
    match = _FRONT_MATTER.match(text[: MAX_FRONT_MATTER_BYTES + 1024])
    if not match:
        if len(text) > MAX_FRONT_MATTER_BYTES and _FRONT_MATTER.match(text):
            raise ImportFailure("front matter is larger than 64 KB")
        return {}, text  # an opening "---" that is just a thematic break
    yaml_text = match.group(1)
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise ImportFailure("front matter is larger than 64 KB")
    try:
        data = yaml.load(yaml_text, Loader=_FrontMatterLoader)
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 2 if error.problem_mark else 0
        raise ImportFailure(f"malformed front matter at line {line}: {error.problem or 'syntax error'}") from None
    except (yaml.YAMLError, RecursionError) as error:
        raise ImportFailure(f"malformed front matter: {type(error).__name__}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ImportFailure("front matter is not a set of key: value lines")
    return data, text[match.end() :]


def _scalar(front: dict[str, Any], key: str) -> str:
    value = front.get(key)
    return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def _authors(value: object) -> str:
    """``author: Ann Lee``, or a list of names (``authors: [Ann Lee, Bo Kim]``); an entry
    written as a mapping gives its ``name`` (``- name: Ann Lee``, as Hugo and Jekyll themes do)."""
    people = value if isinstance(value, list) else [value]
    return joined_names(_scalar(person if isinstance(person, dict) else {"name": person}, "name") for person in people)


def _tags(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split(","))
    if isinstance(value, list):
        return tuple(str(tag) for tag in value if isinstance(tag, (str, int, float)))
    return ()


def _html_blocks_as_text(body: str) -> str:
    """Top-level HTML blocks replaced by their text (paragraphs, through the HTML
    importer's converter, escaped): markup a writer embedded is read, not shown raw.
    HTML inside lists or quotes, and inline HTML, stay as their characters."""
    if "<" not in body:
        return body
    lines = body.split("\n")
    replaced = False
    for token in reversed(_HTML_FINDER.parse(body)):
        if token.type == "html_block" and token.level == 0 and token.map:
            first, end = token.map
            lines[first:end] = [escape_text(html_to_paragraphs(token.content))]
            replaced = True
    return "\n".join(lines) if replaced else body


def _title_from(document: Document, body: str) -> tuple[str, str]:
    """The first level-1 heading, else a short first block, else "" (derived later);
    and the body without the block the title was taken from."""
    blocks = document.blocks
    if len(document.lines) != len(blocks):
        return "", body
    chosen = next((i for i, block in enumerate(blocks) if block.kind is BlockKind.HEADING and block.level == 1), None)
    short_first = len(blocks) > 1 and len(blocks[0].text) <= _FIRST_LINE_MAX_CHARS
    if chosen is None and short_first and blocks[0].kind in (BlockKind.PARAGRAPH, BlockKind.HEADING):
        chosen = 0
    if chosen is None:
        return "", body
    first, end = document.lines[chosen]
    lines = body.split("\n")
    return " ".join(blocks[chosen].text.split()), "\n".join(lines[:first] + lines[end:])
