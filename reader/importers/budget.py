"""A budget for markup before it is parsed: elements and attributes, not only bytes.

The 64 MB file limit does not bound a parser's time or memory: feedparser is quadratic in
the attributes of one element (100,000 attributes on ``<rss>`` in a 1 MB file never
finish) and an HTML tree costs hundreds of bytes per element (an 8 MB page of
``<b>x</b>`` a million times took 166 s and 1.2 GB). :func:`check_markup` counts, in
linear passes over the text, what the parsers would build, and refuses the file with one
line before any parser sees it. The limits are far above real pages and feeds (a long
news page has a few thousand elements; a feed of 10,000 entries about 200,000).
"""

from __future__ import annotations

import re

from reader.errors import ImportFailure

MAX_TAGS = 500_000  # start and end tags ("<" characters count them from above)
MAX_ATTRIBUTES_PER_ELEMENT = 1_000
_LONG_TAG = re.compile(r"<[^<>]{8192,}")  # only a tag this long can hold over 1,000 attributes


def check_markup(text: str) -> None:
    """Raise ImportFailure when ``text`` (XML or HTML) holds more than the parsers' budget."""
    tags = text.count("<")
    if tags > MAX_TAGS:
        raise ImportFailure(f"too many elements to read ({tags:,} tags; the limit is {MAX_TAGS:,})")
    for match in _LONG_TAG.finditer(text):
        attributes = match.group().count("=")
        if attributes > MAX_ATTRIBUTES_PER_ELEMENT:
            raise ImportFailure(
                f"an element with {attributes:,} attributes (the limit is {MAX_ATTRIBUTES_PER_ELEMENT:,})"
            )
