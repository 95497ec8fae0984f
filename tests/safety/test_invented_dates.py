"""Item 8 of issue 15: an out-of-range or unparseable date becomes no date; the entry is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.importers import parse_file as import_file
from reader.importers.dates import iso_date

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Entry one</title><link>https://example.org/1</link><description>Some text here.</description><pubDate>{date}</pubDate></item>
</channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x</id>
<entry><title>Entry one</title><id>urn:1</id><link href="https://example.org/1"/><updated>{date}</updated><content>Some text here.</content></entry></feed>"""


@pytest.mark.parametrize(
    ("template", "date"),
    [(RSS, "Mon, 01 Jan 0000 00:00:00 GMT"), (RSS, "99999999999"), (ATOM, "10000-01-01T00:00:00Z"), (ATOM, "10000-01-01")],
)
def test_a_feed_date_that_cannot_be_read_is_no_date(tmp_path: Path, template: str, date: str) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(template.format(date=date), encoding="utf-8")
    (article,) = import_file(path)
    assert article.title == "Entry one"
    assert article.published == ""


def test_a_readable_feed_date_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(RSS.format(date="Tue, 05 Mar 2024 10:00:00 GMT"), encoding="utf-8")
    (article,) = import_file(path)
    assert article.published.startswith("2024-03-05T10:00:00")


def test_rfc822_year_zero_is_not_the_year_2000() -> None:
    assert iso_date("Mon, 01 Jan 0000 00:00:00 GMT") == ""
    assert iso_date("Mon, 01 Jan 99 00:00:00 GMT") == "1999-01-01T00:00:00+00:00"  # two digits: RFC 822


@pytest.mark.parametrize("date", ["2024-13-45", "0000-00-00", "2024-02-30"])
def test_a_bad_date_in_front_matter_keeps_the_file(tmp_path: Path, date: str) -> None:
    path = tmp_path / "note.md"
    path.write_text(f"---\ntitle: A note\ndate: {date}\n---\n\nThe body of the note.\n", encoding="utf-8")
    (article,) = import_file(path)
    assert article.title == "A note" and article.published == ""
    assert "body of the note" in article.summary + article.body


def test_a_good_date_in_front_matter_is_read(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text("---\ntitle: A note\ndate: 2024-03-05\n---\n\nThe body of the note.\n", encoding="utf-8")
    (article,) = import_file(path)
    assert article.published == "2024-03-05"
