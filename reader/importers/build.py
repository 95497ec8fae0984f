"""The last step of every importer: a raw Article in, a clean, complete Article out.

Each importer fills an Article with what it found, uncleaned, with an empty id. Doing
the rest in one place keeps the formats consistent: every text field cleaned by
reader.text, a title derived from the first sentence when the file has none, the date in
ISO 8601, only http(s) URLs kept (a ``javascript:`` or ``file:`` link is not a page
Reader can show or open), the language detected, and the id that makes re-imports
update instead of duplicate. ``imported_at`` is left to the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from reader.errors import ImportFailure
from reader.importers import html_body
from reader.importers.dates import iso_date
from reader.language import choose_language, detect_language
from reader.model import Article, RelatedLink, article_id
from reader.importers.sentences import first_sentence
from reader.text import clean_line, clean_paragraphs, strip_unsafe



@dataclass(frozen=True, slots=True)
class Parsed:
    """What a file gave: its articles, and one line for each part of it that was skipped.

    A feed with one broken entry still imports the others; the broken one is named in
    ``skipped`` ("entry 3 (“Title”): no title found") so that nothing is lost silently.
    """

    articles: list[Article]
    skipped: tuple[str, ...] = ()


_MAX_TITLE_CHARS = 300
_MAX_TAGS = 50

_ID = re.compile(r"[0-9a-f]{16}")
_SENTENCE_END = (".", "!", "?", "…")
_QUOTES = "\"'”’»«“"
_LANGUAGE = re.compile(r"([a-z]{2})(?:[-_][a-z0-9]+)*")


def finish(article: Article, language_hint: str = "", declared: str = "", *, structured: bool = False) -> Article:
    """``article`` cleaned and completed; ImportFailure("no title found") if it has no text.

    Without a summary, the body's first paragraph becomes the summary if it is prose
    (not a heading), as the lead paragraph of a page is.

    The language declared by the file (``article.language``, else ``declared``: an
    ``<html lang>``, a feed's or item's language) is kept unless the text is clearly
    another (reader.language.choose_language); without one it is detected, and
    ``language_hint`` (the interface language of a capture's headings) is used only
    when the text is too short to tell.

    With ``structured`` the body is already in the stored Markdown subset (HTML
    converted by html_body.py): it is made safe line by line, its lines kept, since
    indentation and line breaks are its structure.
    """
    body = _clean_structured(article.body) if structured else clean_paragraphs(article.body)
    summary, body = _lead(clean_paragraphs(article.summary), body, structured=structured)
    title = _title(article.title, summary, body)
    if not title:
        raise ImportFailure("no title found")
    source = clean_line(article.source)
    url = http_url(article.url)
    published = iso_date(article.published)
    language = choose_language(
        f"{title}\n{summary}\n{body[:2000]}", language_code(article.language) or language_code(declared)
    ) or language_code(language_hint)
    related = tuple(link for link in map(_finish_link, article.related) if link is not None)
    if not _ID.fullmatch(article.id):
        article = article.replace(id=article_id(url=url, source=source, title=title, published=published))
    return article.replace(
        title=title,
        summary=summary,
        body=body,
        language=language,
        source=source,
        url=url,
        published=published,
        tags=_tags(article.tags),
        related=related,
        imported_at="",
    )


def http_url(url: str) -> str:
    """``url`` if it is an absolute http(s) URL, else ""."""
    url = clean_line(url).replace(" ", "%20")
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def language_code(value: str) -> str:
    """"de-DE", "en_GB", "EN" -> the two-letter code; anything else -> ""."""
    match = _LANGUAGE.fullmatch(clean_line(value).lower())
    if not match:
        return ""
    code = match.group(1)
    return "no" if code in ("nb", "nn") else code  # one Norwegian, one stemmer


def _clean_structured(body: str) -> str:
    lines = [line.rstrip() for line in strip_unsafe(body).replace("\t", "    ").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _lead(summary: str, body: str, *, structured: bool = False) -> tuple[str, str]:
    """Without a summary, a body that opens with a prose paragraph gives that paragraph up as one."""
    if summary or not body:
        return summary, body
    lead, _, rest = body.partition("\n\n")
    text = html_body.paragraph_text(lead) if structured else lead
    if text and text.rstrip(_QUOTES).endswith(_SENTENCE_END):
        return text, rest
    return "", body


def _finish_link(link: RelatedLink) -> RelatedLink | None:
    summary = clean_paragraphs(link.summary)
    title = _title(link.title, summary, "")
    if not title:
        return None
    target = link.target_id if link.target_id and _ID.fullmatch(link.target_id) else None
    return RelatedLink(
        title=title,
        summary=summary,
        language=language_code(link.language) or detect_language(f"{title}\n{summary}"),
        url=http_url(link.url),
        target_id=target,
    )


def _title(title: str, summary: str, body: str) -> str:
    title = clean_line(title) or first_sentence(summary or body)
    if len(title) > _MAX_TITLE_CHARS:
        title = title[:_MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return title


def _tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    unique = dict.fromkeys(tag for tag in map(clean_line, tags) if tag)
    return tuple(unique)[:_MAX_TAGS]
