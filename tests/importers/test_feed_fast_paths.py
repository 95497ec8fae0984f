"""The importers' shortcuts for markup without tags give what the trees give.

Most RSS descriptions are plain words in an element that feeds declare as HTML; reading
them without building lxml and BeautifulSoup trees is most of a feed's parsing time
saved. The shortcuts are only sound if they give the stored form and the plain text the
trees give, character for character: these tests hold them to it on any text without
``<`` and ``&`` (whitespace of every kind, markup characters of the stored form,
control and invisible characters, escape sequences).
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from reader.body import escape_text
from reader.importers import parse_bytes
from reader.importers.html import html_to_paragraphs
from reader.importers.html_body import (
    fragment_to_markdown,
    html_to_markdown,
    is_plain,
    plain_to_markdown,
    plain_to_paragraphs,
)
from reader.text import strip_unsafe

_EDGES = (
    " \t\n\r\x0b\x0c\xa0\u1680\u2000\u2028\u2029\u202f\u3000\u200b\u200d\ufeff\u00ad"
    "*_`[]\\#>+-=~|!().:;'\"/"
    "0123456789"
    "\x00\x07\x1b\x7f\x85\x9b\x9c\ud800\ue000\ufffd"
    "abcXYZ éßжλ中\U0001f600"
)
PLAIN = st.text(alphabet=st.sampled_from(_EDGES), max_size=80) | st.text(max_size=40).filter(is_plain)


def _tree_markdown(markup: str) -> str:
    """html_to_markdown as it was before the shortcut: lxml's tree, else BeautifulSoup's."""
    markup = strip_unsafe(markup)
    converted = fragment_to_markdown(markup)
    return converted if converted is not None else escape_text(html_to_paragraphs(markup))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=PLAIN)
@example(text="1. first\n\n# not a heading\n> nor a quote")
@example(text="  \t indented four\n    spaces!")
@example(text="\x1b[31mred\x1b[0m and \u2028 separators \u2029 here")
def test_plain_markup_gives_the_tree_stored_form(text: str) -> None:
    assert is_plain(text)
    assert html_to_markdown(text) == _tree_markdown(text)
    assert plain_to_markdown(strip_unsafe(text)) == _tree_markdown(text)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=PLAIN)
@example(text="one\n\n\ntwo\r\nthree")
@example(text="\u2029para\u2028line\x0c")
def test_plain_markup_gives_the_tree_paragraphs(text: str) -> None:
    # BeautifulSoup cannot take a lone surrogate (it encodes the markup to UTF-8, and
    # fails); decoded feed text holds none, and the shortcut cleans one away.
    assume("\ud800" not in text)
    assert plain_to_paragraphs(text) == html_to_paragraphs(text)


def test_markup_with_a_tag_or_a_reference_is_not_plain() -> None:
    assert not is_plain("a <b>bold</b> word")
    assert not is_plain("fish &amp; chips")
    assert not is_plain("<")
    assert is_plain("5 > 3 and *stars*")


def _rss(description: str) -> bytes:
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>T</title>"
        "<link>https://news.example/</link><description>d</description><item><title>One</title>"
        f"<link>https://news.example/1</link><guid>g1</guid><description>{description}</description>"
        "</item></channel></rss>"
    ).encode()


def test_a_plain_description_is_stored_as_the_same_description_with_an_empty_tag() -> None:
    # The empty <span> sends the second through the trees; both must store the same article.
    words = "Lead sentence with *stars*, [brackets] and a_b. 1. Not a list! " + "More words here. " * 40
    plain, = parse_bytes(_rss(words), "feed.xml")
    tree, = parse_bytes(_rss(words + "&lt;span&gt;&lt;/span&gt;"), "feed.xml")
    assert plain == tree
    assert "*stars*" in plain.summary + plain.body.replace("\\", "")
