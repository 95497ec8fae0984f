"""RSS 2.0 (and 0.9x/1.0) and Atom feeds: one article per entry.

feedparser knows decades of feed quirks (date formats, Atom content types, relative
links, namespaced extensions) that we would not want to relearn. It is not a safe XML
parser, though, so every document meets defusedxml first, which refuses before anything
is expanded or fetched:

- entity declarations (the billion-laughs bomb, quadratic blowup),
- external entities (``<!ENTITY x SYSTEM "file:///etc/passwd">``),
- an external DTD (``<!DOCTYPE rss SYSTEM "http://...">``): nothing is ever fetched,
  and a feed that needs its DTD to be read is not one we can read safely.

A document that is not well-formed but holds no DTD and no entity declaration (an
undeclared ``itunes:`` prefix, an HTML entity such as ``&nbsp;``, a truncated end) goes
to feedparser as well, which reads it with its forgiving parser as it would for any
feed reader; only if feedparser finds nothing in it is it refused, with the line of
the first XML error. feedparser only ever gets bytes, so it never opens a URL or a
path. Entry HTML becomes the stored Markdown subset (html_body.py); summaries stay plain.

Each entry is built on its own: one that fails is skipped with a line naming it, and
ids come from reader.importers.entries (guid, then link with its fragment, then
content), so no two entries merge. The title is feedparser's ``title``; its
``title_detail`` can hold a namespaced ``<title>`` nested deeper (an author's job
title in Google's blog feeds), so its type is used only when its value is the title.
The author is feedparser's too (``authors``, ``author_detail``), never guessed.
"""

from __future__ import annotations

import functools
import html
import io
import re
from collections.abc import Mapping
from typing import Any
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import fromstring

from reader.body import escape_text
from reader.errors import ImportFailure
from reader.importers import entries
from reader.importers.build import Parsed, finish, joined_names, joined_url
from reader.importers.dates import iso_date, trusted_parsed_date
from reader.importers.html import html_to_paragraphs
from reader.importers.html_body import html_to_markdown, is_plain, plain_to_paragraphs
from reader.model import Article
from reader.text import clean_line

_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_FEED_ROOTS = ("rss", "rdf", "feed", "entry")  # "entry": an Atom entry document
_SAME_TEXT_CHARS = 80
# Looked for in a document the strict parser could not read, before the forgiving one sees it.
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_EXTERNAL_DTD = re.compile(r"<!DOCTYPE[^>\[]*\b(?:SYSTEM|PUBLIC)\b", re.IGNORECASE)
_MAILBOX = r"[^\s()<>@]+@[^\s()<>@]+"
_ADDRESS = re.compile(rf"\(\s*{_MAILBOX}\s*\)|<\s*{_MAILBOX}\s*>|{_MAILBOX}")  # with its brackets
_ENTITY_REFERENCE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def parse(text: str, address: str = "") -> Parsed:
    """One article per entry of an RSS or Atom feed; a line for each entry skipped.

    ``address`` is where the feed was fetched from, if it was: links feedparser leaves
    relative (no ``xml:base`` made them absolute) are resolved against it, an entry's
    link and the links in its content, as a browser would. An entry's id still comes
    from its link as the feed wrote it, so that resolving links changed no id of an
    article stored before.
    """
    # Decoding is done: the declared encoding no longer applies to this text.
    data = _XML_DECLARATION.sub("", text, count=1).encode("utf-8")
    root, malformed = _checked_root(data, text)
    if root and root not in _FEED_ROOTS:
        raise ImportFailure(f"XML document is not an RSS or Atom feed (root element <{root[:40]}>)")
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    if malformed and not (parsed.get("version") and (parsed.entries or parsed.feed)):
        raise ImportFailure(malformed)
    feed = parsed.feed
    source = _plain(feed.get("title_detail"), feed.get("title", ""))
    language = feed.get("language", "")
    scope = feed.get("id") or feed.get("link") or source
    # Atom's feed-level <author> is, by RFC 4287, the author of every entry without one;
    # RSS has no such rule (its managingEditor is an editor, not the entries' author).
    feed_author = _author(feed) if str(parsed.get("version") or "").startswith("atom") else ""
    result = entries.articles(
        (
            entries.Entry(
                guid=str(entry.get("id") or ""),
                link=str(entry.get("link") or ""),
                build=functools.partial(_article, entry, source, language, feed_author, address),
                label=str(entry.get("title") or entry.get("link") or ""),
            )
            for entry in parsed.entries
        ),
        scope=str(scope),
    )
    if not result.articles:
        raise ImportFailure("feed has no entries" if not result.skipped else f"feed has no readable entries ({result.skipped[0]})")
    return result


def _checked_root(data: bytes, text: str) -> tuple[str, str]:
    """The local name of the root element after defusedxml has vetted the document, and "".

    For a document that is not well-formed: ("", the reason), once it is known to hold no
    DTD reference and no entity declaration that a forgiving parser could act on.
    """
    try:
        try:
            root = fromstring(data, forbid_dtd=True)
        except DTDForbidden as doctype:
            if doctype.sysid or doctype.pubid:
                raise ImportFailure("XML external DTD is refused (it would be fetched)") from None
            root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except EntitiesForbidden as entity:
        if entity.sysid or entity.pubid:
            raise ImportFailure("XML external entities are refused (file or network access)") from None
        raise ImportFailure("XML entity declarations are refused (possible entity bomb)") from None
    except ParseError as error:
        if _ENTITY_DECLARATION.search(text):
            raise ImportFailure("XML entity declarations are refused (possible entity bomb)") from None
        if _EXTERNAL_DTD.search(text):
            raise ImportFailure("XML external DTD is refused (it would be fetched)") from None
        line, column = getattr(error, "position", (0, 0))
        reason = str(error).split(":")[0]
        return "", f"malformed XML at line {line}, column {column}: {reason}"
    return root.tag.rsplit("}", 1)[-1].split(":")[-1].lower(), ""


def _article(entry: Mapping[str, Any], source: str, language: str, feed_author: str, address: str) -> Article:
    contents = entry.get("content") or []
    content = max(contents, key=lambda c: len(c.get("value") or ""), default=None)
    summary_detail = entry.get("summary_detail") or {"value": entry.get("summary", "")}
    content_text = _html_or_text(content) if content is not None else ""
    if content is None or not content_text:
        body, summary = _markdown(summary_detail, address), ""  # the summary is the body (finish takes its lead)
    else:
        body = _markdown(content, address)
        summary = _html_or_text(summary_detail)
        if _same_start(summary, content_text):
            summary = ""
    published = ""
    for key in ("published", "updated", "created"):
        raw = entry.get(key, "")
        published = iso_date(raw) or trusted_parsed_date(raw, entry.get(f"{key}_parsed"))
        if published:
            break
    article = Article(
        id="",
        title=_plain(entry.get("title_detail"), entry.get("title", "")),
        summary=summary,
        body=body,
        source=source,
        author=_author(entry) or feed_author,
        url=joined_url(address, entry.get("link", "")),
        published=published,
        tags=tuple(tag.get("term") or tag.get("label") or "" for tag in entry.get("tags") or ()),
    )
    return finish(article, declared=language, structured=True)


def _author(item: Mapping[str, Any]) -> str:
    """The names of an entry's (or an Atom feed's) authors as feedparser reads them: every
    ``authors`` name (Atom ``<author>``, each ``dc:creator``). A single RSS-style
    ``<author>`` ("jane@paper.example (Jane Doe)") is read from feedparser's ``author``
    text instead, its address taken out: feedparser's own split expects a domain of two to
    four letters and names this one "ple (Jane Doe". An address alone gives no author:
    an address is not a name."""
    people = [person for person in item.get("authors") or () if isinstance(person, Mapping)]
    names = [str(person.get("name") or "") for person in people]
    plain = str(item.get("author") or "")
    if len(people) <= 1 and plain:
        names = [_without_address(plain)]
    return joined_names(map(_decoded, names))


def _without_address(text: str) -> str:
    """ "jane@x.example (Jane Doe)", "Jane Doe <jane@x.example>" -> "Jane Doe"; "a@x.example" -> ""."""
    if "@" not in text:
        return text
    text = _ADDRESS.sub("", text).strip()
    return text[1:-1] if text[:1] == "(" and text[-1:] == ")" else text


def _markdown(detail: Mapping[str, Any], address: str) -> str:
    """A feedparser text construct as a body in the stored form (reader.importers.html_body).

    Its links are resolved against its ``xml:base`` (``base``), itself resolved against
    the feed's address: feedparser resolves them only against an absolute base.
    """
    value = detail.get("value") or ""
    if "html" in (detail.get("type") or "text/html"):
        return html_to_markdown(value, joined_url(address, str(detail.get("base") or "")) or address)
    return escape_text(_decoded(value))


def _html_or_text(detail: Mapping[str, Any]) -> str:
    """A feedparser text construct ({type, value}) as plain paragraphs.

    HTML without a tag or a character reference (most RSS descriptions) is read without
    building a tree (html_body.plain_to_paragraphs, the tree walk's result).
    """
    value = detail.get("value") or ""
    if "html" in (detail.get("type") or "text/html"):
        if is_plain(value):
            return plain_to_paragraphs(value)
        return html_to_paragraphs(value)
    return _decoded(value)


def _plain(detail: Mapping[str, Any] | None, value: str) -> str:
    """A title construct as one line of text: ``value``, read as ``detail`` says if it is ``detail``'s."""
    if detail and detail.get("value") == value:
        return clean_line(_html_or_text(detail))
    return clean_line(_decoded(value))


def _decoded(text: str) -> str:
    """Plain text as feeds write it: entity references escaped once more than they should be."""
    return html.unescape(text) if _ENTITY_REFERENCE.search(text) else text


def _same_start(summary: str, content: str) -> bool:
    """True if the summary is the content's beginning (RSS descriptions often are)."""
    a, b = (" ".join(text.split())[:_SAME_TEXT_CHARS].rstrip(".…[] ") for text in (summary, content))
    return bool(a) and b.startswith(a)
