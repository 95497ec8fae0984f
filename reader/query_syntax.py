"""The search syntax in short, for people: one table for the app's help and ``reader search --help``.

It lives apart from ``reader.search`` so that showing help never loads Whoosh.
The full description is in the README and in ``reader/search/query.py``.
"""

SEARCH_SYNTAX = (
    ("harbour ferry", "both words, in any form"),
    ('"night train"', "the exact phrase"),
    ("harb*", "words starting with harb"),
    ("ferry OR tram", "either word; ( ) to group"),
    ("-ferry   NOT ferry", "without ferry"),
    ("title:harbour", "in titles; also source:, tag:"),
    ("lang:de", "German articles only"),
    ("published:2026-01", "a year, a month or a day"),
    ("published:[2026-01 to *]", "a range of dates"),
    ("is:bookmarked  is:unread", "bookmarked / unread only"),
    ("has:note  has:highlight", "with a note / a highlight"),
    ("in:highlights ferry", "ferry in your highlights and notes"),
    ("sort:date", "newest first"),
)
