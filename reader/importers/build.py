"""The last step of every importer: a raw Article in, a clean, complete Article out.

Each importer fills an Article with what it found, uncleaned, with an empty id. Doing
the rest in one place keeps the formats consistent: every text field cleaned by
reader.text, the body in the stored form of reader.body, a title derived from the first sentence when the file has none, the date in
ISO 8601, only http(s) URLs kept (a ``javascript:`` or ``file:`` link is not a page
Reader can show or open), the language detected, and the id that makes re-imports
update instead of duplicate. ``imported_at`` is left to the store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

from reader.body import BlockKind, escape_text, is_web_url, plain_paragraphs, to_plain_text
from reader.body import parse as parse_body
from reader.errors import ImportFailure
from reader.importers.dates import iso_date
from reader.importers.sentences import first_sentence
from reader.language import choose_language, detect_language, language_code
from reader.model import Article, RelatedLink, article_id
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
_HEAD_CHARS = 8_000
_MAX_LEAD_CHARS = 8_000

_ID = re.compile(r"[0-9a-f]{16}")
_SENTENCE_END = (".", "!", "?", "…")
_QUOTES = "\"'”’»«“"


class ImportNote(str):
    """A sentence about what a file kept differently than it was written (nesting kept
    as text): given in an importer's ``skipped`` list like a skipped record, but
    reported as a note (:attr:`reader.library.ImportReport.notes`), not a failure."""


def finish(
    article: Article, language_hint: str = "", declared: str = "", *, structured: bool = False, keep_language: bool = False
) -> Article:
    """``article`` cleaned and completed; ImportFailure("no title found") if it has no text.

    ``article.body`` is plain paragraphs, escaped here into the stored form of
    :mod:`reader.body`; with ``structured`` it is already in that form (Markdown, or
    HTML converted to it) and is only cleaned, its line structure kept. The summary is
    always plain text.

    Without a summary, the body's first paragraph becomes the summary if it is prose
    (not a heading, not a list), as the lead paragraph of a page is.

    The language declared by the file (``article.language``, else ``declared``: an
    ``<html lang>``, a feed's or item's language) is kept unless the text is clearly
    another (reader.language.choose_language); without one it is detected, and
    ``language_hint`` (the interface language of a capture's headings) is used only
    when the text is too short to tell. With ``keep_language`` a valid language the
    article states is kept as it is, not checked against the text (Reader JSON: the
    language Reader itself chose when the article was first imported).
    """
    body = clean_structured(article.body) if structured else escape_text(clean_paragraphs(article.body))
    summary, body = _lead(clean_paragraphs(article.summary), body)
    head = to_plain_text(body[:_HEAD_CHARS])  # enough for a title and the language
    title = _title(article.title, summary, head)
    if not title:
        raise ImportFailure("no title found")
    source = clean_line(article.source)
    author = _capped(clean_line(article.author))
    url = http_url(article.url)
    published = iso_date(article.published)
    stated = language_code(article.language)
    if keep_language and stated:
        language = stated  # detection was a third of the time of reading an export back
    else:
        language = choose_language(
            f"{title}\n{summary}\n{head[:2000]}", stated or language_code(declared)
        ) or language_code(language_hint)
    related = tuple(link for link in map(_finish_link, article.related) if link is not None)
    known = _ID.fullmatch(article.id)
    return article.replace(  # one copy, not two: each is about 1% of parsing a feed
        id=article.id if known else article_id(url=url, source=source, title=title, published=published),
        title=title,
        summary=summary,
        body=body,
        language=language,
        source=source,
        author=author,
        url=url,
        published=published,
        tags=_tags(article.tags),
        related=related,
        imported_at="",
    )


def joined_names(names: Iterable[str]) -> str:
    """Several authors as the one line ``Article.author`` holds ("Ann Lee, Bo Kim"): each
    cleaned, repeats and web addresses (an ``article:author`` profile link names no one)
    left out, "" when none is left: an author is never made up."""
    unique: dict[str, str] = {}
    for name in map(clean_line, names):
        if name and not is_web_url(name):
            unique.setdefault(name.casefold(), name)
    return ", ".join(unique.values())


def http_url(url: str) -> str:
    """``url`` if it is an absolute http(s) URL, else ""."""
    url = clean_line(url).replace(" ", "%20")
    return url if is_web_url(url) else ""


_ABSOLUTE = re.compile(r"https?://", re.IGNORECASE)


def joined_url(base: str, target: str) -> str:
    """``target`` (a link as a document wrote it) resolved against ``base``, as a browser
    resolves it; ``target`` as it is without a base or when either cannot be read as a
    URL (what is not an http(s) URL then is refused where links are kept).

    A reference to the document itself (empty, or a ``#fragment`` alone: a footnote, a
    "jump to comments") is not resolved either: in a feed it would point into the feed,
    and in a page's text it leads nowhere the text does not already hold.
    """
    target = target.strip()
    if not base or not target or target.startswith("#"):
        return target
    if _ABSOLUTE.match(target):  # most links: as written (an empty fragment dropped, as urljoin does), 15 times cheaper
        return target.removesuffix("#")
    try:
        return urljoin(base, target)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return target


def document_base(address: str, declared: str) -> str:
    """What a page's relative links resolve against: its ``<base href>`` (``declared``)
    resolved against the address it came from, when that makes a web URL, else the
    address ("" for a file)."""
    joined = joined_url(address, declared)
    return joined if declared and is_web_url(joined) else address


def clean_structured(body: str) -> str:
    """A body in the stored form, made safe like any text (escapes and invisible
    characters removed) with its lines kept: indentation and line breaks are structure.
    Tabs become spaces to the next multiple of four, which is how CommonMark reads them."""
    lines = [line.expandtabs(4) for line in strip_unsafe(body).split("\n")]
    lines = [line.rstrip() if not line.endswith("  ") else line for line in lines]
    return "\n".join(lines).strip("\n")


def _lead(summary: str, body: str) -> tuple[str, str]:
    """Without a summary, a body that opens with a prose paragraph gives that paragraph up as one."""
    if summary or not body:
        return summary, body
    lead, _, rest = body.partition("\n\n")
    if len(lead) > _MAX_LEAD_CHARS:  # not a lead paragraph, and not worth parsing to see
        return "", body
    plain = plain_paragraphs(lead)  # escaped plain text (most feed entries) read without the parser
    if plain is not None and len(plain) == 1:
        text = " ".join(plain[0].split())
    else:
        blocks = parse_body(lead).blocks
        if len(blocks) != 1 or blocks[0].kind is not BlockKind.PARAGRAPH:
            return "", body
        text = " ".join(blocks[0].text.split())
    if text.rstrip(_QUOTES).endswith(_SENTENCE_END):
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
    return _capped(clean_line(title) or first_sentence(summary or body))


def _capped(line: str) -> str:
    """A title or author line cut at a word before 300 characters, with "…" saying so."""
    if len(line) > _MAX_TITLE_CHARS:
        line = line[:_MAX_TITLE_CHARS].rsplit(" ", 1)[0] + "…"
    return line


def _tags(tags: tuple[str, ...]) -> tuple[str, ...]:
    unique = dict.fromkeys(tag for tag in map(clean_line, tags) if tag)
    return tuple(unique)[:_MAX_TAGS]
