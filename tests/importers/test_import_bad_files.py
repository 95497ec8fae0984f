"""Bad and hostile files: each refused quickly with a clear one-line reason, or imported safely."""

from __future__ import annotations

import random
import struct
import zlib

import pytest

from reader.errors import ImporterCrashed, ImportFailure
from reader.importers import parse_bytes


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0\0\0\0")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return f'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n{chr(10).join(entities)}\n]>\n<lolz>&lol9;</lolz>'.encode()


def _quadratic_blowup() -> bytes:
    return (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + b"x" * 50_000 + b'">]><rss>'
        + b"&a;" * 50_000 + b"</rss>"
    )


BAD = [
    ("empty", b"", "x.txt", "empty file"),
    ("whitespace", b"  \n\t\r\n  ", "x.txt", "only whitespace"),
    ("png", _png(), "image.txt", "binary file, not text"),
    ("random", random.Random(5).randbytes(8192), "x.xml", "binary file, not text"),
    ("random, no NUL", random.Random(6).randbytes(8192).replace(b"\0", b"\1"), "x.txt", "binary file, not text"),
    ("truncated UTF-8", "Überschrift\n\nGrüße aus Köln €".encode()[:-2], "x.txt", "truncated UTF-8"),
    ("billion laughs", _billion_laughs(), "feed.xml", "entity declarations are refused"),
    ("quadratic blowup", _quadratic_blowup(), "feed.xml", "entity declarations are refused"),
    (
        "external entity",
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss>&xxe;</rss>',
        "feed.xml",
        "external entities are refused",
    ),
    (
        "external parameter entity",
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % p SYSTEM "http://evil.example/x.dtd"> %p;]><rss/>',
        "feed.xml",
        "external entities are refused",
    ),
    (
        "external DTD",
        b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://evil.example/rss.dtd"><rss/>',
        "feed.xml",
        "external DTD is refused",
    ),
    ("malformed XML", b'<?xml version="1.0"?>\n<rss>\n<channel></rss>', "feed.xml", "malformed XML at line 3"),
    ("HTML entity, no entries", b"<rss><channel><title>&nbsp;</title></channel></rss>", "f.xml", "feed has no entries"),
    ("unknown XML", b'<?xml version="1.0"?><catalog/>', "x.xml", "not an RSS or Atom feed"),
    ("feed without entries", b"<rss><channel><title>t</title></channel></rss>", "f.xml", "feed has no entries"),
    ("malformed JSON", b'[{"title": "x",}]', "x.json", "malformed JSON at line 1"),
    ("JSON named .xml", b'{"not": "articles"}', "x.xml", "JSON is not a list of articles"),
    ("deep JSON", b"[" * 100_000 + b"]" * 100_000, "x.json", "nested too deeply"),
    ("deep JSON object", b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "x.json", "nested too deeply"),
    ("JSON Feed, no items", b'{"version": "https://jsonfeed.org/version/1", "title": "t"}', "f.json", "no list of items"),
    ("HTML without text", b"<html><body><script>var a = 1;</script></body></html>", "x.html", "no article text found on the page"),
    ("only furniture", b"Accept\nDecline\nShare\n", "x.txt", "no article text found"),
    ("front matter error", b"---\ntitle: [unclosed\n---\nBody text.\n", "x.md", "malformed front matter"),
    ("front matter not a mapping", b"---\n- a\n- b\n---\nBody text.\n", "x.md", "front matter is not"),
    ("python YAML tag", b"---\ntitle: !!python/object/apply:os.system ['echo']\n---\nBody.\n", "x.md", "malformed front"),
    ("huge front matter", b"---\nk: " + b"v" * 70_000 + b"\n---\nBody.\n", "x.md", "larger than 64 KB"),
]


@pytest.mark.parametrize(("data", "name", "reason"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_file_is_refused_quickly_with_a_reason(data: bytes, name: str, reason: str) -> None:
    with pytest.raises(ImportFailure) as caught:
        parse_bytes(data, name)
    message = str(caught.value)
    assert reason in message
    assert name not in message  # the caller prefixes the path
    assert "\n" not in message and len(message) <= 200
    assert message.isprintable()


def test_yaml_aliases_do_not_expand() -> None:
    aliases = "\n".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9))
    data = f"---\na0: &a0 [x, x, x, x, x, x, x, x, x]\n{aliases}\ntitle: *a8\n---\nThe body is a sentence.\n"
    [article] = parse_bytes(data.encode(), "x.md")
    assert article.title == "The body is a sentence"  # a list is not a title


def test_malformed_html_still_imports() -> None:
    [article] = parse_bytes(b"<html><body><p>Unclosed <b>bold <i>text</p></div></span><h1>A title</body>", "x.html")
    assert article.title == "A title"
    assert "Unclosed bold text" in article.summary + article.body


def test_deeply_nested_html_imports() -> None:
    data = b"<div>" * 100_000 + b"Deep text." + b"</div>" * 100_000
    [article] = parse_bytes(data, "deep.html")
    assert article.title == "Deep text"


@pytest.mark.parametrize("name", ["long.txt", "long.md", "long.html"])
def test_one_megabyte_paragraph(name: str) -> None:
    paragraph = "word " * 200_000
    data = (f"<p>{paragraph}</p>" if name.endswith("html") else f"A title\n\n{paragraph}").encode()
    [article] = parse_bytes(data, name)
    assert len(article.summary + article.body) >= 999_000


@pytest.mark.parametrize("name", ["many.txt", "many.md", "many.html"])
def test_fifty_thousand_paragraphs(name: str) -> None:
    paragraphs = [f"Paragraph number {i} has a sentence in it." for i in range(50_000)]
    if name.endswith("html"):
        data = "<article><h1>A title</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article>"
    else:
        data = "A title\n\n" + "\n\n".join(paragraphs)
    [article] = parse_bytes(data.encode(), name)
    assert article.title == "A title"
    assert len(article.paragraphs) == 49_999  # the first is the summary


def test_oversized_data_is_refused_without_parsing() -> None:
    from reader.importers import MAX_FILE_BYTES

    with pytest.raises(ImportFailure, match="over the 64 MB import limit"):
        parse_bytes(b" " * (MAX_FILE_BYTES + 1), "big.txt")


def test_unexpected_parser_errors_are_crashes_not_import_failures(monkeypatch) -> None:
    from reader.importers import capture

    def broken(text: str) -> list:
        raise ValueError("boom\x1b[2J\nsecond line")

    monkeypatch.setattr(capture, "parse", broken)
    with pytest.raises(ImporterCrashed) as caught:
        parse_bytes(b"Title\n\nText.", "x.txt")
    assert not isinstance(caught.value, ImportFailure)
    assert str(caught.value) == "importer crashed (ValueError: boom second line)"


def test_entities_never_read_files_or_the_network(tmp_path, monkeypatch) -> None:
    import builtins
    import socket

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        assert "secret" not in str(file), "an entity was resolved"
        return real_open(file, *args, **kwargs)

    def no_network(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    documents = [
        f'<!DOCTYPE rss [<!ENTITY x SYSTEM "{secret.as_uri()}">]><rss><channel><title>&x;</title></channel></rss>',
        f'<!DOCTYPE rss SYSTEM "{secret.as_uri()}"><rss/>',
        '<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]><rss/>',
        '<!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "http://127.0.0.1:9/rss.dtd"><rss/>',
    ]
    for document in documents:
        with pytest.raises(ImportFailure) as caught:
            parse_bytes(document.encode(), "feed.xml")
        assert "TOP-SECRET" not in str(caught.value)
