"""Bookmarks and highlights as Markdown, highlights as Reader JSON: shared by the CLI and the TUI.

``reader bookmarks --format markdown`` prints :func:`bookmarks_markdown` (through the
CLI's output cleaning) and the app's "Export bookmarks…" command writes it to a file
with :func:`reader.atomic.write_atomically` (temp file, then ``os.replace``): a crash or a full disk
halfway leaves the previous file as it was, never half of one. No Textual import here.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.body import escape_inline, is_web_url
from reader.highlights import Highlight
from reader.model import Article, date_of
from reader.text import clean_line, clean_paragraphs


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


def highlight_dict(highlight: Highlight) -> dict[str, object]:
    """A highlight as Reader JSON (``reader highlights --format json`` and the
    ``highlights`` of each article in ``reader export``); :func:`reader.importers.reader_json.highlight_from_dict`
    reads it back."""
    anchor = highlight.anchor
    return {
        "id": highlight.id,
        "text": anchor.exact,
        "note": highlight.note,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
        "start": anchor.start,
        "end": anchor.end,
        "orphaned": highlight.orphaned,
        "original": highlight.original,
        "created_at": highlight.created_at,
        "updated_at": highlight.updated_at,
    }


def highlights_markdown(groups: Sequence[tuple[str, Article | None, Sequence[Highlight]]]) -> str:
    """Highlights as Markdown: a heading per article linking to it (its http(s) URL, or
    the ``reader show ID`` that opens it), then each passage as a quote and its note.

    ``groups`` are ``(article id, the article or None if it was removed, its highlights)``.
    Passages and notes are escaped (:func:`reader.body.escape_inline`): a ``#`` or ``[``
    in an article stays a character in the Markdown too.
    """
    lines = ["# Highlights", ""]
    for article_id, article, highlights in groups:
        if article is None:
            lines += [f"## Article {article_id[:8]} (no longer in the library)", ""]
        else:
            title = _escape_brackets(clean_line(article.title))
            if is_web_url(article.url):
                lines += [f"## [{title}]({article.url})", ""]
            else:
                lines += [f"## {title}", "", f"`reader show {article.id[:8]}`", ""]
        for highlight in highlights:
            lines += _quote(highlight.text)
            if highlight.orphaned:
                lines.append("*(this passage is no longer in the article's text)*")
            elif highlight.original and highlight.original != highlight.text:
                lines.append(f"*(first highlighted as: “{escape_inline(' '.join(highlight.original.split()))}”)*")
            if highlight.note:
                lines += ["", *_paragraphs(highlight.note)]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _paragraphs(text: str) -> list[str]:
    """Text as escaped Markdown paragraphs separated by blank lines."""
    out: list[str] = []
    for paragraph in clean_paragraphs(text).split("\n\n"):
        out += ["", escape_inline(paragraph)] if out else [escape_inline(paragraph)]
    return out


def _quote(text: str) -> list[str]:
    return [f"> {line}".rstrip() for line in _paragraphs(text)]
