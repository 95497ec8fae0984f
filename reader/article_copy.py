"""An article as text to paste elsewhere: plain text, or Markdown.

The reader's ``c`` and ``C`` send these to the clipboard. The plain text is what
``reader show --format text`` prints, unwrapped (the place it is pasted into wraps it):
the title, a line of source, author and date, the URL, the summary, then the body laid
out by :func:`reader.render_text.render_text` (headings underlined, list markers, links
as numbered footnotes). The Markdown has the title as a heading, the same line in
italics, the URL as a link, the summary as a quote, and the body in the stored form,
which is Markdown already (:mod:`reader.body`): headings, lists, quotes, code and links
come through as written. No Textual import here.
"""

from __future__ import annotations

from reader.body import escape_inline, escape_text, is_web_url
from reader.model import Article, date_of
from reader.render_text import render_text
from reader.text import clean_line, clean_paragraphs

UNWRAPPED = 1_000_000
"""The width given to :func:`render_text` so that it never wraps a paragraph."""


def _meta(article: Article) -> str:
    byline = f"by {clean_line(article.author)}" if article.author else ""
    return " · ".join(part for part in (byline, clean_line(article.source), date_of(article.published)) if part)


def article_as_text(article: Article) -> str:
    """The article as plain text (paragraphs unwrapped, links as footnotes)."""
    lines = [clean_line(article.title)]
    meta = _meta(article)
    if meta:
        lines.append(meta)
    if article.url:
        lines.append(clean_line(article.url))
    if article.summary:
        lines += ["", clean_paragraphs(article.summary)]
    body = render_text(article.body, UNWRAPPED)
    if body:
        lines += ["", *body]
    return "\n".join(lines).rstrip() + "\n"


def article_as_markdown(article: Article) -> str:
    """The article as Markdown: a heading, its source and date, its link, its text."""
    lines = [f"# {escape_inline(clean_line(article.title))}", ""]
    meta = _meta(article)
    if meta:
        lines += [f"*{escape_inline(meta)}*", ""]
    if is_web_url(article.url):
        lines += [f"<{article.url}>", ""]
    elif article.url:  # not a web link: shown as text, never as a link
        lines += [escape_inline(clean_line(article.url)), ""]
    if article.summary:
        lines += [f"> {line}".rstrip() for line in escape_text(clean_paragraphs(article.summary)).split("\n")]
        lines.append("")
    if article.body.strip():
        lines.append(article.body.strip("\n"))
    return "\n".join(lines).rstrip() + "\n"
