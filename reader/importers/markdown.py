"""Markdown files, with optional YAML front matter (title, source, published, url, tags...).

markdown-it-py (already a dependency of Textual and Rich) parses the body; its token
stream becomes plain paragraphs: headings are paragraphs of their own, list items are
paragraphs starting with "• ", links keep their text, code keeps its text, embedded
HTML goes through the HTML importer's converter, images are dropped. Brackets that are
not links, such as "[@click=app.quit]", stay as they are.

Front matter is read with ``yaml.safe_load`` (no Python objects) and only when it is at
most 64 KB: YAML's aliases can make a small text expand into a large structure, and we
read only a few scalar keys from it. The title comes from the front matter, else the
first level-1 heading, else the first line; the summary from a "summary" or
"description" key, else the first paragraph.
"""

from __future__ import annotations

import re

import yaml
from markdown_it import MarkdownIt

from reader.errors import ImportFailure
from reader.importers.build import finish
from reader.importers.dates import iso_date
from reader.importers.html import html_to_paragraphs
from reader.model import Article

MAX_FRONT_MATTER_BYTES = 64 * 1024

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)
_OPENING = re.compile(r"\A---[ \t]*\r?\n")
_FIRST_LINE_MAX_CHARS = 200
_MARKDOWN = MarkdownIt("commonmark")


def parse(text: str) -> list[Article]:
    """The article of a Markdown file."""
    front, body_text = _split_front_matter(text)
    blocks = _blocks(body_text)
    title = _scalar(front, "title")
    if not title:
        title, blocks = _title_from(blocks)
    article = Article(
        id="",
        title=title,
        summary=_scalar(front, "summary") or _scalar(front, "description"),
        body="\n\n".join(block for block, _ in blocks),
        language=_scalar(front, "language") or _scalar(front, "lang"),
        source=_scalar(front, "source") or _scalar(front, "publisher"),
        url=_scalar(front, "url") or _scalar(front, "link"),
        published=iso_date(front.get("published") or front.get("date") or ""),
        tags=_tags(front.get("tags") or front.get("categories") or front.get("keywords")),
    )
    return [finish(article)]


class _FrontMatterLoader(yaml.SafeLoader):
    """``yaml.safe_load`` that keeps dates as text: :func:`iso_date` reads them, and an
    impossible one (``2024-13-45``) becomes no date instead of refusing the whole file."""


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _split_front_matter(text: str) -> tuple[dict, str]:
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
        data = yaml.load(yaml_text, Loader=_FrontMatterLoader)  # noqa: S506 (a SafeLoader)
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


def _scalar(front: dict, key: str) -> str:
    value = front.get(key)
    return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def _tags(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(value.split(","))
    if isinstance(value, list):
        return tuple(str(tag) for tag in value if isinstance(tag, (str, int, float)))
    return ()


def _title_from(blocks: list[tuple[str, int]]) -> tuple[str, list[tuple[str, int]]]:
    """The first level-1 heading, else a short first block, else "" (derived later)."""
    for index, (text, level) in enumerate(blocks):
        if level == 1:
            return text, blocks[:index] + blocks[index + 1 :]
    if len(blocks) > 1 and len(blocks[0][0]) <= _FIRST_LINE_MAX_CHARS:
        return blocks[0][0], blocks[1:]
    return "", blocks


def _blocks(text: str) -> list[tuple[str, int]]:
    """Paragraphs of the rendered Markdown as (text, heading level or 0)."""
    blocks: list[tuple[str, int]] = []
    heading_level = 0
    list_item_open = False
    for token in _MARKDOWN.parse(text):
        kind = token.type
        if kind == "heading_open":
            heading_level = int(token.tag[1])
        elif kind == "heading_close":
            heading_level = 0
        elif kind == "list_item_open":
            list_item_open = True
        elif kind == "inline":
            content = _inline_text(token)
            if list_item_open:
                content, list_item_open = "• " + content, False
            blocks.append((content, heading_level))
        elif kind in ("fence", "code_block"):
            blocks.append((token.content, 0))
        elif kind == "html_block":
            blocks.extend((paragraph, 0) for paragraph in html_to_paragraphs(token.content).split("\n\n"))
    return [block for block in blocks if block[0].strip()]


def _inline_text(token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)
