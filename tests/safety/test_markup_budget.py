"""Item 6 (part) of issue 15: markup is budgeted in elements and attributes before parsing.

Each hostile file is refused with one line, by the real command; the test's timeout is a
hang guard, not a speed assertion (before the budget, the RSS file never finished).
"""

from __future__ import annotations

from pathlib import Path

from reader.importers import parse_bytes
from reader.importers.detect import HTML, detect_format

from .helpers import assert_terminal_safe, reader


def test_an_rss_root_with_100000_attributes_is_refused(data_dir: Path, tmp_path: Path) -> None:
    attributes = " ".join(f'a{i}="v"' for i in range(100_000))
    path = tmp_path / "feed.xml"
    path.write_text(f'<?xml version="1.0"?><rss version="2.0" {attributes}><channel><title>T</title></channel></rss>', encoding="utf-8")
    result = reader(data_dir, "import", str(path), timeout=120)
    err = assert_terminal_safe(result.stderr, "stderr")
    assert "feed.xml: an element with 100,001 attributes (the limit is 1,000)" in err, err


def test_a_page_of_a_million_elements_is_refused(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body>" + "<b>x</b>" * 1_000_000 + "</body></html>", encoding="utf-8")
    result = reader(data_dir, "import", str(path), timeout=120)
    err = assert_terminal_safe(result.stderr, "stderr")
    assert "page.html: too many elements to read (2,000,004 tags; the limit is 500,000)" in err, err


def test_a_page_behind_64_kb_of_comments_is_html(tmp_path: Path) -> None:
    page = ("<!-- " + "x" * 40_000 + " -->\n") * 2 + "<html><head><title>Behind comments</title></head><body><article><h1>Behind comments</h1><p>A paragraph long enough to be the body of this page.</p></article></body></html>"
    assert detect_format(page, "page.html") == HTML
    (article,) = parse_bytes(page.encode(), "page.html")
    assert article.title == "Behind comments"


def test_ordinary_markup_is_within_the_budget(tmp_path: Path) -> None:
    items = "".join(f"<item><title>Entry {i}</title><link>https://example.org/{i}</link><description>Text {i} here.</description></item>" for i in range(2000))
    articles = parse_bytes(f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode(), "feed.xml")
    assert len(articles) == 2000
