"""HTML pages to the stored Markdown subset: structure kept, text never read as markup."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from markdown_it import MarkdownIt

from reader.body import escape_text as escape_block
from reader.importers import parse_bytes
from reader.importers.html_body import _folded, _letters, _one_line, paragraph_text, to_markdown

_MD = MarkdownIt("commonmark")


def _text_of(markdown: str) -> str:
    return "".join(
        child.content
        for token in _MD.parse(markdown)
        if token.type == "inline"
        for child in token.children or ()
        if child.type == "text"
    )


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1))
def test_escaped_text_reads_back_as_exactly_that_text(text: str) -> None:
    plain = " ".join(text.split())
    if not plain:
        return
    markdown = escape_block(plain)
    tokens = _MD.parse(markdown)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert _text_of(markdown) == plain


@pytest.mark.parametrize("text", ["# not a heading", "1. not a list", "- nor this", "> nor a quote", "*not emphasis*",
                                  "[not](https://a.link)", "<b>not html</b>", "&amp; stays", "[@click=app.quit]x[/]"])
def test_markup_in_text_stays_text(text: str) -> None:
    assert paragraph_text(escape_block(text)) == text


def _tree(xml: str) -> etree._Element:
    return etree.fromstring(f"<body>{xml}</body>")


def test_structure_survives() -> None:
    body = _tree(
        '<head rend="h2">What changed</head>'
        '<p>A <hi rend="#i">small</hi> and <hi rend="#b">bold</hi> step, <ref target="https://x.example/a b">read more</ref>.</p>'
        '<list rend="ul"><item>One<list rend="ol"><item>inner</item><item>second</item></list></item><item>Two</item></list>'
        "<quote><p>Quoted words.</p></quote>"
        "<code>x = 1\n  y = ```2```</code>"
        '<p><ref target="javascript:alert(1)">no link</ref></p>'
    )
    assert to_markdown(body) == (
        "## What changed\n\n"
        "A *small* and **bold** step, [read more](https://x.example/a%20b).\n\n"
        "- One\n  1. inner\n  2. second\n- Two\n\n"
        "> Quoted words.\n\n"
        "````\nx = 1\n  y = ```2```\n````\n\n"
        "no link"
    )


def test_a_page_keeps_headings_lists_and_links() -> None:
    page = (
        b"<html lang='en'><head><title>Harbour news</title></head><body><nav>Home | News</nav><article>"
        b"<h1>Harbour news</h1><p>The harbour reopened on Monday after a year of repairs to its walls.</p>"
        b"<h2>What is new</h2><ul><li>A longer quay for the ferries</li><li>New lights</li></ul>"
        b"<p>The <a href='/plans'>plans</a> are online. Fares stay the same for everyone this year.</p>"
        b"</article></body></html>"
    )
    [article] = parse_bytes(page, "page.html")
    assert article.summary == "The harbour reopened on Monday after a year of repairs to its walls."
    assert "## What is new" in article.body
    assert "- A longer quay for the ferries\n- New lights" in article.body
    assert "Home" not in article.body


def test_feed_content_keeps_its_structure_and_escapes_its_text() -> None:
    from reader.importers.html_body import html_to_markdown

    markup = (
        '<p>Hello <em>big</em> <a href="https://x.example/a">world</a>.</p><ul><li>One<ul><li>Two</li></ul></li></ul>'
        "<blockquote><p>Said.</p></blockquote><pre>code *x*</pre><p>[@click=app.quit]x[/] &amp; # no</p>"
    )
    assert html_to_markdown(markup) == (
        "Hello *big* [world](https://x.example/a).\n\n- One\n  - Two\n\n> Said.\n\n```\ncode *x*\n```\n\n"
        "\\[@click=app.quit\\]x\\[/\\] \\& # no"
    )


def test_feed_content_nested_too_deep_for_lxml_keeps_its_text() -> None:
    from reader.importers.html_body import html_to_markdown

    assert html_to_markdown("<div>" * 300 + "deep *text*" + "</div>" * 300) == "deep \\*text\\*"


def test_entities_declared_in_a_page_are_never_expanded_or_fetched() -> None:
    page = (
        b'<!DOCTYPE html [<!ENTITY a "' + b"x" * 1000 + b'"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY e SYSTEM "file:///etc/passwd">]><html><body><article><h1>Title here</h1>'
        b"<p>The text of the page is long enough to be the article text here. &b;&b; &e;</p>"
        b"<p>Second paragraph of the article with enough words in it.</p></article></body></html>"
    )
    [article] = parse_bytes(page, "x.html")
    everything = article.summary + article.body
    assert "xxxxxxxxxx" not in everything and "root:" not in everything
    assert "Second paragraph of the article" in everything


SPACES = st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2000\u2028\u2029\u3000\u200bab"), max_size=30)


@given(SPACES | st.text(max_size=30))
def test_whitespace_is_folded_as_the_regex_folds_it(text: str) -> None:
    assert _folded(text) == re.sub(r"\s+", " ", text)
    assert _one_line(text) == re.sub(r"\s+", " ", text).strip()
    assert _letters(text) == len(re.sub(r"\s+", "", text))


def test_str_split_splits_at_exactly_the_regex_s_whitespace() -> None:
    """What the folding relies on, for every code point."""
    space = re.compile(r"\s")
    assert [c for c in range(0x110000) if bool(space.match(chr(c))) != chr(c).isspace()] == []

