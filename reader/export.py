"""Bookmarks as Markdown, and atomic file writes: shared by the CLI and the TUI.

``reader bookmarks --format markdown`` prints :func:`bookmarks_markdown` (through the
CLI's output cleaning) and the app's "Export bookmarks…" command writes it to a file
with :func:`reader.atomic.write_atomically` (temp file, then ``os.replace``): a crash or a full disk
halfway leaves the previous file as it was, never half of one. No Textual import here.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.body import is_web_url
from reader.model import Article, date_of
from reader.text import clean_line


def _escape_brackets(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def bookmarks_markdown(articles: Sequence[Article]) -> str:
    """The bookmarks as a Markdown list; only http(s) URLs become links.

    Titles are cleaned (:func:`reader.text.clean_line`) *before* their brackets are
    escaped: a backslash put in front of the ``[`` of ``ESC [`` would split the escape
    sequence and leave its payload behind as text.
    """
    lines = ["# Bookmarks", ""]
    for article in articles:
        title = _escape_brackets(clean_line(article.title))
        link = f"[{title}]({article.url})" if is_web_url(article.url) else title
        where = ", ".join(x for x in (clean_line(article.source), date_of(article.published)) if x)
        lines.append(f"- {link} — {where}" if where else f"- {link}")
    return "\n".join(lines) + "\n"
