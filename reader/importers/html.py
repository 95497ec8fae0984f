"""HTML to article text: whole web pages, and the HTML fragments inside feeds and Markdown.

BeautifulSoup with the stdlib "html.parser" backend tolerates any tag soup, builds its
tree without recursion (a document nested 100,000 deep parses) and never fetches or
runs anything. On top of it, :func:`html_to_paragraphs` turns markup into plain
paragraphs, one per block element, and is the one HTML-to-text conversion every
importer uses.

For a whole page (:func:`parse`) the main text and its metadata come from trafilatura,
which scored body F1 0.960 on the 181 real pages of scrapinghub's
article-extraction-benchmark where our own walk scored 0.865 (``benchmarks/quality.py``).
It parses with lxml's HTML parser as trafilatura sets it up (no network, no DTD
loading, libxml2's nesting limit), is handed a string and never a URL, and its text is
escaped into the stored Markdown subset by html_body.py, so markup in a page stays
text. A page trafilatura finds no text in (or cannot parse, such as one nested deeper
than libxml2 allows) falls back to our own walk: the ``<article>``, else ``<main>``,
else the element holding the most paragraph text; scripts, navigation, forms, embeds,
figures (an image and its caption and credit) and everything whose id or class says
cookie, consent, ad, newsletter, share, comments and the like is dropped. Metadata
comes from the tags publishers fill for link previews (``og:title``, ``og:site_name``,
``article:published_time``, ``<link rel=canonical>``) with trafilatura's findings and
plain-HTML fallbacks; the author is trafilatura's (or the ``author`` meta tag), never
guessed from the text. Links inside a "related" block become the article's related links.
A page with no article text at all is refused with a line, never stored empty.
"""

from __future__ import annotations

import re
import warnings
from collections import defaultdict
from typing import TYPE_CHECKING

from bs4 import (
    BeautifulSoup,
    MarkupResemblesLocatorWarning,
    Tag,
    XMLParsedAsHTMLWarning,
)
from bs4.element import CData, NavigableString

from reader.body import escape_text
from reader.errors import ImportFailure
from reader.importers import html_body
from reader.importers.build import document_base, finish, joined_names, joined_url
from reader.importers.dates import iso_date
from reader.model import Article, RelatedLink
from reader.text import clean_line, clean_paragraphs

if TYPE_CHECKING:
    import trafilatura

_BLOCKS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset "
    "figcaption footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol p pre section "
    "summary table tbody tfoot thead tr ul".split()
)
_DROPPED = frozenset(
    "script style noscript iframe svg nav aside form template object embed canvas video audio "
    "figure picture button select input textarea head title meta link".split()
)
_PAGE_FURNITURE = frozenset(("header", "footer"))  # dropped unless part of an <article>
_BOILERPLATE = frozenset(
    "cookie cookies consent gdpr banner ad ads advert adverts advertisement adslot sponsor "
    "sponsored promo newsletter subscribe subscription share sharing social related comments "
    "comment sidebar breadcrumb breadcrumbs popup modal paywall toolbar menu navigation skip "
    "byline author autor autorin auteur autore dateline meta".split()
)
_ADS = frozenset("ad ads advert adverts advertisement sponsor sponsored promo".split())
_HIDDEN_ROLES = frozenset("navigation banner contentinfo complementary dialog alertdialog search".split())
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_SPACE_RUN = re.compile(r"\s+")
_MAX_CANDIDATES = 50  # <article> elements, or related blocks, looked at
_ROLE_MAIN = " role=main"  # index keys that no tag name can be
_RELATED = " related"
_MAX_RELATED = 50
_DATELINE_MAX_WORDS = 12
_DATELINE_PARTS = re.compile(r"\s*[,—–·|]\s*")
_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publish-date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "citation_publication_date",
)


# BeautifulSoup's advice ("this looks like XML / like a URL") would reach the user's
# terminal as noise; we parse whatever we are given as HTML on purpose.
warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
warnings.filterwarnings("ignore", category=MarkupResemblesLocatorWarning)


def parse(text: str, address: str = "") -> list[Article]:
    """The article of a web page; ``address`` is where it was fetched from, if it was.

    Its links are resolved as a browser resolves them: against the page's ``<base
    href>``, else the address it was fetched from. A saved file has no address, so its
    canonical URL (or ``og:url``) stands in for one.
    """
    soup = BeautifulSoup(text, "html.parser")
    index = _index(soup)
    meta = _meta(index["meta"])
    url = joined_url(address, _canonical(index["link"]) or meta.get("og:url", ""))
    base = document_base(address, next((str(tag["href"]) for tag in index["base"] if tag.get("href")), "")) or url
    extracted = _extract(text, base)
    heading = _text(_first(index["h1"]))
    source = meta.get("og:site_name") or meta.get("application-name") or _found(extracted, "sitename")
    title = (
        meta.get("og:title")
        or meta.get("twitter:title")
        or _found(extracted, "title")
        or heading
        or _without_site_name(_text(_first(index["title"])), clean_line(source))
    )
    dateline_date = ""
    if extracted is not None:
        blocks = html_body.to_markdown(extracted.body).split("\n\n")
        plain_first = _SPACE_RUN.sub(" ", blocks[0].lstrip("# ").replace("\\", "")).strip().casefold()
        if plain_first in (heading.casefold(), clean_line(title).casefold()):
            blocks = blocks[1:]
        plain = [html_body.paragraph_text(block) or "" for block in blocks]
        kept, dateline_date = _without_datelines(plain)
        body = "\n\n".join(blocks[len(blocks) - len(kept) :])
    else:
        root = _main_element(index) or soup
        paragraphs = _paragraphs(root, inside_article=root.name == "article")
        if paragraphs and paragraphs[0].casefold() in (heading.casefold(), clean_line(title).casefold()):
            paragraphs = paragraphs[1:]
        paragraphs, dateline_date = _without_datelines(paragraphs)
        body = escape_text("\n\n".join(paragraphs))
    if not body.strip():
        raise ImportFailure("no article text found on the page")
    article = Article(
        id="",
        title=title,
        body=body,
        source=source,
        author=_author(extracted, meta),
        url=url or _found(extracted, "url"),
        published=_published(index["time"], meta) or _found(extracted, "date") or dateline_date,
        tags=tuple(_tags(index["meta"], meta)),
        related=tuple(_related_links(index[_RELATED], base)),
    )
    html = _first(index["html"])
    lang = html.get("lang") if html else ""
    return [finish(article, declared=lang if isinstance(lang, str) else "", structured=True)]


def _extract(text: str, base: str) -> trafilatura.settings.Document | None:
    """trafilatura's main text and metadata of the page, or None if it finds no text.

    trafilatura is imported here, at the first page: it is 0.2 s of CPU to import (half
    of importing every importer), and a feed's parser process, which reads feed entries
    and never a whole page, would pay it at each update's start.
    """
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            text,
            include_comments=False,
            include_tables=True,
            include_formatting=True,
            include_links=True,
            with_metadata=True,
            deduplicate=False,
        )
    except (ValueError, RecursionError, LookupError):  # lxml refuses what it cannot parse
        return None
    # A Document, not a dict: as_dict is False.
    if not isinstance(document, trafilatura.settings.Document) or document.body is None or not "".join(document.body.itertext()).strip():
        return None
    for ref in document.body.iter("ref"):
        target = ref.get("target")
        if target:
            ref.set("target", joined_url(base, target))
    return document


def _found(document: trafilatura.settings.Document | None, field: str) -> str:
    value = getattr(document, field, None) if document is not None else None
    return value if isinstance(value, str) else ""


def _author(extracted: trafilatura.settings.Document | None, meta: dict[str, str]) -> str:
    """The page's authors: trafilatura's (from the byline, JSON-LD and author meta tags,
    several joined with "; "), else the ``author`` meta tag when trafilatura found no text."""
    found = _found(extracted, "author")
    return joined_names(found.split(";")) if found else joined_names([meta.get("author", "")])


def html_to_paragraphs(markup: str) -> str:
    """Markup (a fragment or a page) as clean paragraphs separated by blank lines."""
    soup = BeautifulSoup(markup, "html.parser")
    return "\n\n".join(_paragraphs(soup, inside_article=True))


def _paragraphs(root: Tag, *, inside_article: bool) -> list[str]:
    """The text of ``root``, one paragraph per block element, walked without recursion.

    Boilerplate inside ``root`` is skipped; ``root`` itself is kept whatever its class says.
    """
    paragraphs: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        text = "".join(buffer)
        buffer.clear()
        for block in clean_paragraphs(text).split("\n\n"):
            if block:
                paragraphs.append(block)

    stack: list[tuple[object, bool, bool]] = [(root, False, inside_article)]
    while stack:
        node, leaving, in_article = stack.pop()
        if leaving:
            flush()
            continue
        if isinstance(node, NavigableString):
            if type(node) in (NavigableString, CData):
                buffer.append(_SPACE_RUN.sub(" ", node))
            continue
        if not isinstance(node, Tag) or (node is not root and _is_dropped(node, in_article)):
            continue
        name = node.name
        if name == "br":
            buffer.append("\n")
            continue
        in_article = in_article or name == "article"
        if name in _BLOCKS:
            flush()
            stack.append((node, True, in_article))
            if name == "li":
                buffer.append("• ")
        elif name in ("td", "th"):
            buffer.append(" ")
        stack.extend((child, False, in_article) for child in reversed(node.contents))
    flush()
    return paragraphs


def _without_datelines(paragraphs: list[str]) -> tuple[list[str], str]:
    """Drop the short byline/date lines above the text ("Von Hauke Bröker — 27. Januar 2026").

    Returns the remaining paragraphs and the first date found in a dropped line.
    """
    found = ""
    for index, paragraph in enumerate(paragraphs):
        if len(paragraph.split()) > _DATELINE_MAX_WORDS:
            return paragraphs[index:], found
        dates = [iso_date(part) for part in _DATELINE_PARTS.split(paragraph)]
        if not any(dates):
            return paragraphs[index:], found
        found = found or next(date for date in dates if date)
    return [], found


def _is_dropped(tag: Tag, in_article: bool) -> bool:
    name = tag.name
    if name in _DROPPED or (name in _PAGE_FURNITURE and not in_article):
        return True
    attrs = tag.attrs
    if not attrs:
        return False
    if "hidden" in attrs or attrs.get("aria-hidden") == "true" or attrs.get("role") in _HIDDEN_ROLES:
        return True
    return bool(_BOILERPLATE.intersection(_attribute_tokens(tag)))


def _attribute_tokens(tag: Tag) -> list[str]:
    classes: str | list[str] = tag.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    words = " ".join([*classes, str(tag.get("id") or "")]).lower()
    return _TOKEN_SPLIT.split(words)


def _index(soup: BeautifulSoup) -> defaultdict[str, list[Tag]]:
    """Elements by tag name, and the main and related blocks: one walk instead of a dozen finds."""
    index: defaultdict[str, list[Tag]] = defaultdict(list)
    for node in soup.descendants:
        if not isinstance(node, Tag):
            continue
        index[node.name].append(node)
        if node.attrs:
            if node.get("role") == "main":
                index[_ROLE_MAIN].append(node)
            if "related" in _attribute_tokens(node):
                index[_RELATED].append(node)
    return index


def _first(tags: list[Tag]) -> Tag | None:
    return tags[0] if tags else None


def _main_element(index: dict[str, list[Tag]]) -> Tag | None:
    """The element holding the article text."""
    articles = [tag for tag in index["article"][:_MAX_CANDIDATES] if tag.find_parent("article") is None]
    if articles:
        return max(articles, key=lambda tag: len(tag.get_text()))
    return _first(index["main"]) or _first(index[_ROLE_MAIN]) or _densest(index["p"]) or _first(index["body"])


def _densest(paragraphs: list[Tag]) -> Tag | None:
    """The parent of the most paragraph text (counting only each <p>'s own strings)."""
    scores: dict[int, tuple[int, Tag]] = {}
    for paragraph in paragraphs:
        parent = paragraph.parent
        if not isinstance(parent, Tag):
            continue
        own = sum(len(child) for child in paragraph.contents if type(child) is NavigableString)
        score, _ = scores.get(id(parent), (0, parent))
        scores[id(parent)] = (score + own, parent)
    if not scores:
        return None
    return max(scores.values(), key=lambda pair: pair[0])[1]


def _meta(tags: list[Tag]) -> dict[str, str]:
    """<meta property|name=... content=...>, keys lower-cased; the first of each wins."""
    found: dict[str, str] = {}
    for tag in tags:
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            found.setdefault(key.strip().lower(), content)
    return found


def _text(tag: object) -> str:
    return clean_line(tag.get_text(" ")) if isinstance(tag, Tag) else ""


def _without_site_name(title: str, site: str) -> str:
    """"Harbour reopens — Harbour Gazette" -> "Harbour reopens"."""
    if site and title.endswith(site) and len(title) > len(site):
        return title[: -len(site)].rstrip(" -–—|·:")
    return title


def _canonical(links: list[Tag]) -> str:
    for link in links:
        rel: str | list[str] = link.get("rel") or []
        if "canonical" in (rel if isinstance(rel, list) else [rel]) and link.get("href"):
            return str(link["href"])
    return ""


def _published(times: list[Tag], meta: dict[str, str]) -> str:
    for key in _PUBLISHED_META:
        if key in meta:
            return meta[key]
    return next((str(tag["datetime"]) for tag in times if tag.get("datetime")), "")


def _tags(metas: list[Tag], meta: dict[str, str]) -> list[str]:
    tags = [str(tag.get("content") or "") for tag in metas if tag.get("property") == "article:tag"]
    return tags or meta.get("keywords", "").split(",")


def _related_links(containers: list[Tag], base_url: str) -> list[RelatedLink]:
    """Links inside the page's "related" blocks; a card's other text is its summary."""
    links: list[RelatedLink] = []
    taken: set[int] = set()  # anchors already used: related blocks may nest
    for container in containers[:_MAX_CANDIDATES]:
        if _ADS.intersection(_attribute_tokens(container)):
            continue
        for anchor in container.find_all("a", href=True):
            if id(anchor) in taken or len(links) >= _MAX_RELATED:
                continue
            taken.add(id(anchor))
            href = str(anchor["href"]).strip()
            if href.startswith("#"):  # a place in this page ("Related stories" → #related), not another article
                continue
            title = _text(anchor)
            if len(title.split()) < 2:
                continue
            card = anchor.find_parent(["li", "article"]) or anchor
            summary = [p for p in _paragraphs(card, inside_article=True) if title not in p]
            links.append(
                RelatedLink(title=title, summary="\n\n".join(summary[:2]), url=joined_url(base_url, href))
            )
    return links
