"""Links: only http and https are kept, opened or offered (issue 5, area 6).

At import every format drops a URL whose scheme is not http or https (``file:``,
``javascript:``, ``data:``, ``vbscript:``, ``mailto:``, disguised ones with odd case,
leading controls or whitespace, and scheme-relative or host-less ones), for the article
and for its related cards. In the app, an article or card that still carries another
scheme (a database written by a script, or an older Reader) is refused by ``o`` (open)
and ``y`` (copy) with a message, and nothing is opened or copied; an http(s) link is
handed to the browser (patched here: no browser starts).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.importers import parse_bytes
from reader.library import Library
from reader.model import Article, RelatedLink

from .helpers import check_ok, reader, settle, shown_at

pytestmark = pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")

BAD_URLS = [
    "file:///etc/passwd", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "mailto:someone@example.org", "ftp://files.example/x", "\x01javascript:alert(1)",
    " javascript:alert(1)", "java\tscript:alert(1)", "//evil.example/x", "http:/no-host", "https://", "/relative/path",
    "about:blank", "chrome://settings", "\u202ejavascript:alert(1)",
]
GOOD_URLS = ["http://news.example/a", "https://news.example/b?x=1#top", "HTTPS://NEWS.EXAMPLE/C"]


def _formats(url: str, related: str) -> dict[str, bytes]:
    json_url, json_related = json.dumps(url), json.dumps(related)
    attr = url.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;")
    rel_attr = related.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;")
    xml_url = "".join(c for c in url if c in "\t" or ord(c) >= 0x20).replace("&", "&amp;").replace("<", "&lt;")
    return {
        "reader.json": f'[{{"title": "Link test", "body": "Text.", "url": {json_url}, '
                       f'"related": [{{"title": "Card", "url": {json_related}}}]}}]'.encode(),
        "feed.json": f'{{"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": '
                     f'[{{"id": "1", "title": "Link test", "content_text": "Text.", "url": {json_url}}}]}}'.encode(),
        "page.html": (f"<html><head><title>Link test</title><link rel='canonical' href='{attr}'></head>"
                      f"<body><article><h1>Link test</h1><p>Text of the page.</p></article>"
                      f"<aside class='related'><h2>Related articles</h2><a href='{rel_attr}'>Card title here</a>"
                      f"<p>Card summary text.</p></aside></body></html>").encode(),
        "feed.xml": (f"<rss version='2.0'><channel><title>F</title><item><title>Link test</title>"
                     f"<link>{xml_url}</link><description>Text.</description></item></channel></rss>").encode(),
        "article.md": f"---\ntitle: Link test\nurl: {json_url}\n---\nText of the article.\n".encode(),
    }


@pytest.mark.parametrize("url", BAD_URLS + GOOD_URLS, ids=lambda u: repr(u)[1:30])
def test_importers_keep_only_http_and_https(url: str) -> None:
    keep = url in GOOD_URLS
    for name, data in _formats(url, url).items():
        try:
            articles = parse_bytes(data, name)
        except Exception as error:
            assert type(error).__name__ == "ImportFailure", (name, error)
            continue
        for article in articles:
            urls = [article.url, *(link.url for link in article.related)]
            for found in urls:
                assert found == "" or found.lower().startswith(("http://", "https://")), (name, url, found)
            if not keep:
                assert all(found == "" for found in urls), (name, url, urls)
            else:
                assert article.url, (name, url)  # a web link is kept, in every format
                if name in ("reader.json", "page.html"):
                    assert [link.url.lower() for link in article.related] == [article.url.lower()], (name, urls)


def test_the_command_line_shows_only_web_links(data_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    for number, url in enumerate(BAD_URLS):
        (folder / f"article-{number}.json").write_bytes(
            json.dumps([{"title": f"Scheme test {number}", "body": "Text.", "url": url,
                         "related": [{"title": f"Card {number}", "url": url}]}]).encode())
    check_ok(reader(data_dir, "import", str(folder)), "import")
    exported = json.loads(check_ok(reader(data_dir, "export"), "export")[0])
    assert len(exported) == len(BAD_URLS)
    assert all(a["url"] == "" and all(r["url"] == "" for r in a["related"]) for a in exported)


# -- the app ------------------------------------------------------------------------------


def _article(title: str, url: str, related: tuple[RelatedLink, ...] = ()) -> Article:
    from reader.model import article_id

    return Article(id=article_id(source="Links", title=title, published="2026-03-01"), title=title,
                   body="A paragraph of text.", language="en", source="Links", url=url,
                   published="2026-03-01", related=related)


@pytest.fixture
def link_app(data_dir: Path, monkeypatch):
    """The app on articles whose links bypassed the importers; browser and clipboard recorded."""
    import webbrowser

    from reader.config import Config
    from reader.tui import make_app

    with Library.open(data_dir) as lib:
        lib.add_articles([
            _article("Alpha file link", "file:///etc/passwd"),
            _article("Bravo script link", "javascript:alert(1)"),
            _article("Charlie web link", "https://news.example/charlie",
                     (RelatedLink("Delta data card", "A card whose link is data.", "en", "data:text/html,<b>x</b>"),)),
        ])
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    app = make_app(data_dir, Config())
    said: list[str] = []
    copied: list[str] = []
    real_say = app.say

    def say(message: str, **kwargs) -> None:
        said.append(message)
        real_say(message, **kwargs)

    app.say = say  # type: ignore[method-assign]
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    return app, opened, said, copied


async def _open(pilot, word: str) -> None:
    from reader.tui.screens.article import ArticleScreen

    while isinstance(pilot.app.screen, ArticleScreen):
        await pilot.press("escape")
        await pilot.pause()
    await pilot.press("slash", "ctrl+a", "ctrl+k", *word, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ArticleScreen), word


async def test_app_refuses_to_open_or_copy_other_schemes(link_app) -> None:
    app, opened, said, copied = link_app
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for word, url in (("alpha", "file:///etc/passwd"), ("bravo", "javascript:alert(1)")):
            await _open(pilot, word)
            await pilot.press("o", "y")
            await settle(pilot)
            assert any(m.startswith("Not opening") and "only http and https" in m and url in m for m in said), said
            assert any(m.startswith("Not copying") and url in m for m in said), said
        assert opened == [] and copied == []

        await _open(pilot, "charlie")
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://news.example/charlie"]  # a web link is handed to the browser
        await pilot.press("y")
        assert copied == ["https://news.example/charlie"]

        # Follow the data: card (Tab to it, Enter), then try to open and copy it.
        for _ in range(6):
            await pilot.press("tab")
            focused = app.focused
            if focused is not None and "Delta data card" in str(getattr(getattr(focused, "target", None), "title", "")):
                break
        await pilot.press("enter")
        await settle(pilot)
        assert shown_at(app, "#article-header").startswith("Delta data card\n")
        said.clear()
        await pilot.press("o", "y")
        await settle(pilot)
        assert any(m.startswith("Not opening") and "data:text/html" in m for m in said), said
        assert opened == ["https://news.example/charlie"] and copied == ["https://news.example/charlie"]
        assert app.is_running
