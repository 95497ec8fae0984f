"""RSS 2.0 (and 0.9x/1.0) and Atom feeds: one article per entry.

feedparser knows decades of feed quirks (date formats, Atom content types, relative
links, namespaced extensions) that we would not want to relearn. It is not a safe XML
parser, though, so every document meets defusedxml first, which refuses before anything
is expanded or fetched:

- entity declarations (the billion-laughs bomb, quadratic blowup),
- external entities (``<!ENTITY x SYSTEM "file:///etc/passwd">``),
- an external DTD (``<!DOCTYPE rss SYSTEM "http://...">``): nothing is ever fetched,
  and a feed that needs its DTD to be read is not one we can read safely.

The same pass reports malformed XML with its line number. Only a well-formed document
with an RSS, RDF or Atom root element reaches feedparser, and only as bytes, so it never
opens a URL or a path. Entry HTML goes through the HTML importer's converter.
"""

from __future__ import annotations

import io
import re
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import fromstring

from reader.errors import ImportFailure
from reader.importers.build import finish
from reader.importers.dates import iso_date, trusted_parsed_date
from reader.importers.html import html_to_paragraphs
from reader.model import Article
from reader.text import clean_line

_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_FEED_ROOTS = ("rss", "rdf", "feed")
_SAME_TEXT_CHARS = 80


def parse(text: str) -> list[Article]:
    """One article per entry of an RSS or Atom feed."""
    # Decoding is done: the declared encoding no longer applies to this text.
    data = _XML_DECLARATION.sub("", text, count=1).encode("utf-8")
    root = _checked_root(data)
    if root not in _FEED_ROOTS:
        raise ImportFailure(f"XML document is not an RSS or Atom feed (root element <{root[:40]}>)")
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    source = _plain(parsed.feed.get("title_detail")) or parsed.feed.get("title", "")
    language = parsed.feed.get("language", "")
    articles = [_article(entry, source, language) for entry in parsed.entries]
    if not articles:
        raise ImportFailure("feed has no entries")
    return articles


def _checked_root(data: bytes) -> str:
    """The local name of the root element, after defusedxml has vetted the document."""
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
        line, column = getattr(error, "position", (0, 0))
        reason = str(error).split(":")[0]
        raise ImportFailure(f"malformed XML at line {line}, column {column}: {reason}") from None
    return root.tag.rsplit("}", 1)[-1].split(":")[-1].lower()


def _article(entry, source: str, language: str) -> Article:
    contents = entry.get("content") or []
    content = max((_html_or_text(c) for c in contents), key=len, default="")
    summary = _html_or_text(entry.get("summary_detail") or {"value": entry.get("summary", "")})
    if not content:
        content, summary = summary, ""
    elif _same_start(summary, content):
        summary = ""
    published = ""
    for key in ("published", "updated", "created"):
        raw = entry.get(key, "")
        published = iso_date(raw) or trusted_parsed_date(raw, entry.get(f"{key}_parsed"))
        if published:
            break
    article = Article(
        id="",
        title=_plain(entry.get("title_detail")) or entry.get("title", ""),
        summary=summary,
        body=content,
        source=source,
        url=entry.get("link", ""),
        published=published,
        tags=tuple(tag.get("term") or tag.get("label") or "" for tag in entry.get("tags") or ()),
    )
    return finish(article, language_hint=language)


def _html_or_text(detail) -> str:
    """A feedparser text construct ({type, value}) as plain paragraphs."""
    value = detail.get("value") or ""
    if "html" in (detail.get("type") or "text/html"):
        return html_to_paragraphs(value)
    return value


def _plain(detail) -> str:
    """A title construct as one line of text."""
    return clean_line(_html_or_text(detail)) if detail else ""


def _same_start(summary: str, content: str) -> bool:
    """True if the summary is the content's beginning (RSS descriptions often are)."""
    a, b = (" ".join(text.split())[:_SAME_TEXT_CHARS].rstrip(".…[] ") for text in (summary, content))
    return bool(a) and b.startswith(a)
