"""Format by content, not by name; bytes to text in every encoding captures come in."""

from __future__ import annotations

import pytest

from reader.errors import ImportFailure
from reader.importers import parse_bytes
from reader.importers.decode import decode
from reader.importers.detect import CAPTURE, HTML, JSON, MARKDOWN, XML, detect_format


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ('[{"title": "x"}]', "feed.xml", JSON),
        ('{"version": "https://jsonfeed.org/version/1.1"}', "page.html", JSON),
        ("<!DOCTYPE html><html><body>x</body></html>", "notes.txt", HTML),
        ('<?xml version="1.0"?>\n<!-- hi -->\n<html xmlns="http://www.w3.org/1999/xhtml">', "a.xml", HTML),
        ("<p>Just a fragment</p>", "", HTML),
        ('<?xml version="1.0"?><rss version="2.0">', "feed.html", XML),
        ('<feed xmlns="http://www.w3.org/2005/Atom">', "feed.txt", XML),
        ("<!DOCTYPE lolz [<!ENTITY lol 'lol'>]><lolz/>", "bomb.txt", XML),
        ("---\ntitle: x\n---\nbody", "a.txt", MARKDOWN),
        ("# Heading\n\ntext", "a.txt", MARKDOWN),
        ("Title\n\ntext", "a.md", MARKDOWN),
        ("Title\n\ntext", "a.txt", CAPTURE),
        ("[Update] Harbour reopens\n\nThe harbour reopened.", "a.json", CAPTURE),
        ("  \n Title\n\ntext", "", CAPTURE),
    ],
)
def test_detect_by_content(text: str, name: str, expected: str) -> None:
    assert detect_format(text, name) == expected


def test_wrong_extensions_import_by_content(fixture_path) -> None:
    rss = fixture_path("feed_rss.xml").read_bytes()
    html = fixture_path("page.html").read_bytes()
    jsonfeed = fixture_path("jsonfeed.json").read_bytes()
    capture = fixture_path("capture_en.txt").read_bytes()
    assert parse_bytes(rss, "feed.html") == parse_bytes(rss, "feed.xml")
    assert parse_bytes(html, "page.txt") == parse_bytes(html, "page.html")
    assert parse_bytes(jsonfeed, "feed.xml") == parse_bytes(jsonfeed, "feed.json")
    assert parse_bytes(capture, "capture.html") == parse_bytes(capture, "capture.txt")


DECLARED_KOI8 = '<?xml version="1.0" encoding="koi8-r"?><rss>Привет</rss>'
RUSSIAN = "Привет, как дела? Это длинный текст на русском языке."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Grüße".encode(), "Grüße"),
        (b"\xef\xbb\xbf" + "Grüße".encode(), "Grüße"),
        (b"\xef\xbb\xbf\xef\xbb\xbf" + "Grüße".encode(), "Grüße"),
        ("Grüße aus Köln".encode("utf-16"), "Grüße aus Köln"),
        ("Grüße aus Köln".encode("utf-16-le"), "Grüße aus Köln"),
        ("Grüße aus Köln".encode("utf-16-be"), "Grüße aus Köln"),
        ("Grüße aus Köln".encode("utf-32"), "Grüße aus Köln"),
        ("Straße".encode("latin-1"), "Straße"),
        ("Die Fähre fährt über die Förde.".encode("latin-1"), "Die Fähre fährt über die Förde."),
        ("„Zitat“ – 5 € … œuvre".encode("cp1252"), "„Zitat“ – 5 € … œuvre"),
        (DECLARED_KOI8.encode("koi8-r"), DECLARED_KOI8),
        (RUSSIAN.encode("cp1251"), RUSSIAN),
        (b"Text with a stray NUL \x00 stays text", "Text with a stray NUL \x00 stays text"),
    ],
)
def test_decode(data: bytes, expected: str) -> None:
    assert decode(data) == expected


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \r\n\t", "only whitespace"),
        ("Grüße €".encode()[:-1], "truncated UTF-8"),
        ("Grüße aus Köln und Düsseldorf".encode()[:4] + b"\xff\xfe" + "äöü".encode(), "invalid UTF-8"),
        (b"\x00" * 64, "binary"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!", "binary"),
        (b"\xff\xfe\x00\xd8", "invalid UTF-16"),
    ],
)
def test_decode_refuses(data: bytes, reason: str) -> None:
    with pytest.raises(ImportFailure, match=reason):
        decode(data)
