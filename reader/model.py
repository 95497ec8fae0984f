"""The domain: articles, their related links, search results. Plain frozen dataclasses.

No I/O here. :func:`article_id` gives every article an id that is stable across
re-imports, so importing the same thing twice updates it and keeps its bookmark.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from reader.body import FORMAT as BODY_FORMAT
from reader.body import to_plain_text
from reader.tags import importer_tags, shown_tags

if TYPE_CHECKING:
    from reader.highlights import Highlight

# Query parameters that identify a click, not a page: the utm_ family and these names.
# Only known ones: "?reference=1001" or "?ref_id=7" may well name the page.
_TRACKING_PREFIX = "utm_"
_TRACKING_PARAMS = frozenset(("fbclid", "gclid", "mc_cid", "mc_eid", "at_medium", "at_campaign"))


class ArticleFlag(StrEnum):
    """A person's mark on an article: the name of its field on Article, ArticleRow and
    SearchHit and of its ``is:`` filter. Chosen from this set, so a misspelt flag is a
    type error; the store maps each to its column itself (never a caller's string)."""

    BOOKMARKED = "bookmarked"
    READ = "read"


class HighlightFlag(StrEnum):
    """A search filter answered by the library's highlights rather than its state table:
    ``has:highlight``, ``has:note`` and ``in:highlights`` (the query's words looked for in
    the highlighted passages and notes)."""

    HIGHLIGHT = "highlight"
    NOTE = "note"
    IN_HIGHLIGHTS = "in_highlights"


class ListOrder(StrEnum):
    """How the article list is sorted (``reader list --sort``, the app's sort key). The
    store maps each to a fixed ORDER BY of its own; a caller's string never reaches SQL."""

    DATE = "date"  # newest first; undated after the dated ones, the last imported first
    TITLE = "title"  # A to Z, ties newest first
    SOURCE = "source"  # A to Z, articles without a source last, each source newest first


SearchFlag = ArticleFlag | HighlightFlag
"""What a query's ``is:``/``has:``/``in:`` filters ask of the library's StateLookup."""


@dataclass(frozen=True, slots=True)
class RelatedLink:
    """A related-article card: it may point at an article of the library (``target_id``)."""

    title: str
    summary: str = ""
    language: str = ""
    url: str = ""
    target_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "summary": self.summary,
            "language": self.language,
            "url": self.url,
            "target_id": self.target_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RelatedLink:
        return cls(
            title=str(data.get("title") or ""),
            summary=str(data.get("summary") or ""),
            language=str(data.get("language") or ""),
            url=str(data.get("url") or ""),
            target_id=data.get("target_id") or None,
        )


@dataclass(frozen=True, slots=True)
class Article:
    """One article. ``body`` is in the stored form of :mod:`reader.body` (a small Markdown
    subset); ``summary`` and every other field are plain text."""

    id: str
    title: str
    summary: str = ""
    body: str = ""
    language: str = ""
    source: str = ""
    url: str = ""
    published: str = ""  # ISO 8601 date or datetime, "" when unknown
    tags: tuple[str, ...] = ()
    related: tuple[RelatedLink, ...] = ()
    bookmarked: bool = False
    read: bool = False
    imported_at: str = ""
    # Who wrote it, as the file names them (several joined with ", "); "" when it does not say.
    author: str = ""
    # reader.highlights.Highlight values an import brings with the article (a Reader JSON
    # export's "highlights"); the library stores them beside it. Empty otherwise.
    highlights: tuple[Highlight, ...] = ()
    # The tags the reader added and the importer tags they removed (reader/tags.py): kept
    # in the store apart from the text, so a re-import keeps them.
    user_tags: tuple[str, ...] = ()
    removed_tags: tuple[str, ...] = ()

    @property
    def shown_tags(self) -> tuple[str, ...]:
        """The tags the article shows and is found by: importer ∪ user − removed."""
        return shown_tags(self.tags, self.user_tags, self.removed_tags)

    @property
    def paragraphs(self) -> list[str]:
        """The body's text blocks as plain text (markup, list markers and URLs left out)."""
        return [p for p in to_plain_text(self.body).split("\n\n") if p.strip()]

    @property
    def word_count(self) -> int:
        """Words of the body as stored: list and quote markers count, which is cheap and
        close enough for a reading time (parsing a long body just for it would not be)."""
        return len(self.body.split())

    @property
    def reading_minutes(self) -> int:
        """Reading time at 230 words a minute, at least one minute."""
        return max(1, round(self.word_count / 230))

    def to_dict(self) -> dict[str, Any]:
        """The ``show --format json`` / export shape; ``from_dict`` reads it back."""
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "body": self.body,
            "body_format": BODY_FORMAT,
            "language": self.language,
            "source": self.source,
            "author": self.author,
            "url": self.url,
            "published": self.published,
            "tags": list(self.tags),
            "user_tags": list(self.user_tags),
            "removed_tags": list(self.removed_tags),
            "shown_tags": list(self.shown_tags),  # derived, for scripts; an import reads the two above
            "related": [link.to_dict() for link in self.related],
            "bookmarked": self.bookmarked,
            "read": self.read,
            "imported_at": self.imported_at,
        }

    def replace(self, **changes: Any) -> Article:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """What the article list needs of an article: light enough to hold 100,000 of them."""

    id: str
    title: str
    source: str
    published: str
    language: str
    bookmarked: bool
    read: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "published": self.published,
            "language": self.language,
            "bookmarked": self.bookmarked,
            "read": self.read,
        }


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result. ``matches`` are (start, end) offsets of matched terms in ``snippet``."""

    id: str
    title: str
    snippet: str
    score: float
    language: str
    source: str = ""
    published: str = ""
    bookmarked: bool = False
    read: bool = False
    matches: tuple[tuple[int, int], ...] = ()
    title_matches: tuple[tuple[int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "snippet": self.snippet,
            "matches": [list(m) for m in self.matches],
            "score": round(self.score, 4),
            "source": self.source,
            "published": self.published,
            "language": self.language,
            "bookmarked": self.bookmarked,
        }


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A page of hits; ``total`` is exact unless ``total_is_estimate``."""

    query: str
    total: int
    hits: tuple[SearchHit, ...] = ()
    suggestion: str | None = None
    total_is_estimate: bool = False
    terms: tuple[str, ...] = field(default=())  # the query's words, for highlighting
    notes: tuple[str, ...] = ()  # what the query's bounds left out, in plain words

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "total": self.total,
            "total_is_estimate": self.total_is_estimate,
            "suggestion": self.suggestion,
            "notes": list(self.notes),
            "results": [hit.to_dict() for hit in self.hits],
        }


def canonical_url(url: str) -> str:
    """The URL that identifies a page: lower-case scheme and host, no fragment, no tracking."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.scheme or not parts.netloc:
        return url
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not (k.lower().startswith(_TRACKING_PREFIX) or k.lower() in _TRACKING_PARAMS)
    ]
    path = parts.path.rstrip("/") or "/"
    host = parts.netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(query), ""))


MIN_ID_PREFIX = 4  # characters of an id that name an article (``reader show 3f2a``)


def article_id(*, url: str = "", source: str = "", title: str = "", published: str = "") -> str:
    """A 16-hex-digit id from the canonical URL, or from source + title + date without one."""
    canon = canonical_url(url)
    if canon:
        key = "url\x00" + canon
    else:
        key = "\x00".join(("doc", source.strip().casefold(), " ".join(title.split()).casefold(), published[:10]))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def article_from_dict(data: dict[str, Any]) -> Article:
    """Build an Article from the JSON shape of :meth:`Article.to_dict` (fields optional)."""
    title = str(data.get("title") or "").strip()
    url = str(data.get("url") or "")
    source = str(data.get("source") or "")
    published = str(data.get("published") or "")
    tags = data.get("tags") or ()
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",")]
    related = data.get("related") or ()
    return Article(
        id=str(data.get("id") or "") or article_id(url=url, source=source, title=title, published=published),
        title=title,
        summary=str(data.get("summary") or ""),
        body=str(data.get("body") or ""),
        language=str(data.get("language") or ""),
        source=source,
        url=url,
        published=published,
        tags=tuple(str(t) for t in tags if str(t).strip()),
        related=tuple(RelatedLink.from_dict(r) for r in related if isinstance(r, dict)),
        bookmarked=bool(data.get("bookmarked", False)),
        read=bool(data.get("read", False)),
        imported_at=str(data.get("imported_at") or ""),
        author=str(data.get("author") or ""),  # older exports have none: no author
        user_tags=_names(data.get("user_tags")),
        removed_tags=_names(data.get("removed_tags")),
    )


def _names(value: object) -> tuple[str, ...]:
    """The user tag names of an export (older exports have none); those that are no
    name are left out (:func:`reader.tags.importer_tags`)."""
    return tuple(importer_tags(t for t in value if isinstance(t, str))) if isinstance(value, list) else ()


def date_of(published: str) -> str:
    """The date part of an ISO 8601 timestamp ("" when unknown): how both front ends show it."""
    return published[:10]


Flagged = TypeVar("Flagged", bound="Article | ArticleRow | SearchHit")


def has_flag(item: Article | ArticleRow | SearchHit, flag: ArticleFlag) -> bool:
    """Whether ``item`` has ``flag`` set (a typed ``getattr``)."""
    if flag == ArticleFlag.BOOKMARKED:
        return item.bookmarked
    if flag == ArticleFlag.READ:
        return item.read
    raise ValueError(f"unknown flag {flag!r}")


def with_flag(item: Flagged, flag: ArticleFlag, value: bool) -> Flagged:
    """``item`` with ``flag`` set to ``value``: a typed ``replace``, where ``**{flag: value}``
    would let any string through as a field name."""
    if flag == ArticleFlag.BOOKMARKED:
        return replace(item, bookmarked=value)
    if flag == ArticleFlag.READ:
        return replace(item, read=value)
    raise ValueError(f"unknown flag {flag!r}")
