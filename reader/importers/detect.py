"""Which importer reads a text, decided by its content; the file name is only a hint.

People save feeds as ``.html``, JSON as ``.xml`` and web pages as ``.txt``; trusting the
extension would hand such a file to a parser that can only fail. The first meaningful
characters settle most cases:

- ``{"`` or ``[`` followed by a JSON value: JSON (a JSON Feed or Reader JSON);
- ``<``: markup. An HTML doctype or an HTML root element is HTML; anything else that
  starts like XML (a declaration, another doctype, an unknown root element) goes to the
  feed importer, which checks it for entity tricks first and then wants an RSS or Atom
  root element. A billion-laughs file therefore gets the entity refusal, not "unknown";
- plain text with YAML front matter, a Markdown heading on its first line, or a ``.md``
  name: Markdown;
- any other plain text: a page capture.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import PurePath


class Format(StrEnum):
    """What a text is, so which importer reads it."""

    JSON = "json"
    XML = "xml"
    HTML = "html"
    MARKDOWN = "markdown"
    CAPTURE = "capture"


JSON, XML, HTML, MARKDOWN, CAPTURE = Format.JSON, Format.XML, Format.HTML, Format.MARKDOWN, Format.CAPTURE

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdown", ".mkd")

_JSON_START = re.compile(r'[\[{]\s*(?:["{\[\]}\d-]|true\b|false\b|null\b|$)')
_MARKUP_PROLOG = re.compile(r"<\?xml\b[^>]*>|<!--.*?-->|\s+", re.DOTALL)
_DOCTYPE = re.compile(r"<!doctype\s+([^\s>\[]+)", re.IGNORECASE)
_ELEMENT = re.compile(r"<([A-Za-z][\w:.-]*)")
_HTML_ELEMENTS = frozenset(
    "html head body article main section div p h1 h2 h3 h4 h5 h6 header nav meta title link "
    "span a ul ol li table figure img br blockquote pre script style".split()
)
_FRONT_MATTER = re.compile(r"---[ \t]*\r?\n")
_ATX_HEADING = re.compile(r"#{1,6}[ \t]+\S")


def detect_format(text: str, name: str = "") -> Format:
    """One of JSON, XML, HTML, MARKDOWN, CAPTURE for ``text`` (``name`` is a hint)."""
    start = text.lstrip()
    if _JSON_START.match(start[:64]):
        return JSON
    if start.startswith("<"):
        return _markup_kind(start)
    if _FRONT_MATTER.match(start) or _ATX_HEADING.match(start):
        return MARKDOWN
    if PurePath(name).suffix.lower() in MARKDOWN_EXTENSIONS:
        return MARKDOWN
    return CAPTURE


def _markup_kind(text: str) -> Format:
    # The whole prolog is skipped, however long: a page behind 64 KB of comments is still
    # HTML. Each step is linear (a comment ends at the first "-->"), so this stays cheap.
    position = 0
    head = text
    while match := _MARKUP_PROLOG.match(head, position):
        if match.end() == position:
            break
        position = match.end()
    doctype = _DOCTYPE.match(head, position)
    if doctype:
        return HTML if doctype.group(1).lower() == "html" else XML
    element = _ELEMENT.match(head, position)
    if element and element.group(1).lower() in _HTML_ELEMENTS:
        return HTML
    return XML
