"""reader.body: the stored form of bodies, parsed, escaped, flattened to text."""

from __future__ import annotations

from fuzzing import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.body import (
    MAX_DEPTH,
    Block,
    BlockKind,
    Link,
    Span,
    Style,
    escape_inline,
    escape_text,
    iter_leaves,
    links,
    normalize_plain,
    parse,
    plain_paragraphs,
    to_plain_text,
)

SAMPLE = """# The harbour

A paragraph with *emphasis*, **strong** and `code`, and [a link](https://example.org/a).

## Details

- first
- second
  1. inner one
  2. inner two

> Quoted words.
>
> > Deeper.

```
verbatim   text
  indented
```
"""


def kinds(blocks: tuple[Block, ...]) -> list[BlockKind]:
    return [block.kind for block in blocks]


def test_blocks_keep_their_structure() -> None:
    document = parse(SAMPLE)
    assert kinds(document.blocks) == [
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.HEADING,
        BlockKind.BULLET_LIST,
        BlockKind.QUOTE,
        BlockKind.CODE,
    ]
    heading, _paragraph, subheading, bullets, quote, code = document.blocks
    assert (heading.level, heading.text) == (1, "The harbour")
    assert subheading.level == 2
    assert [item.kind for item in bullets.children] == [BlockKind.LIST_ITEM, BlockKind.LIST_ITEM]
    second = bullets.children[1]
    assert kinds(second.children) == [BlockKind.PARAGRAPH, BlockKind.ORDERED_LIST]
    inner = second.children[1]
    assert [item.children[0].text for item in inner.children] == ["inner one", "inner two"]
    assert kinds(quote.children) == [BlockKind.PARAGRAPH, BlockKind.QUOTE]
    assert quote.children[1].children[0].text == "Deeper."
    assert code.text == "verbatim   text\n  indented"
    assert document.flattened == 0


def test_inline_styles_and_links() -> None:
    paragraph = parse(SAMPLE).blocks[1]
    assert Span("emphasis", Style.EMPHASIS) in paragraph.spans
    assert Span("strong", Style.STRONG) in paragraph.spans
    assert Span("code", Style.CODE) in paragraph.spans
    assert Span("a link", Style.PLAIN, "https://example.org/a") in paragraph.spans
    nested = parse("**bold *both***").blocks[0]
    assert nested.spans == (Span("bold ", Style.STRONG), Span("both", Style.STRONG | Style.EMPHASIS))


def test_ordered_list_keeps_its_first_number() -> None:
    assert parse("7. seven\n8. eight").blocks[0].start == 7


def test_only_web_links_are_followable() -> None:
    body = "[web](https://a.example/) [mail](mailto:x@example.org) [file](file:///etc/passwd) [rel](/path) [js](javascript:alert(1))"
    assert links(body) == [Link("web", "https://a.example/")]
    # The other links keep their text; none of it is lost.
    assert to_plain_text(body) == "web mail file rel js"


def test_a_link_with_emphasis_inside_is_one_link() -> None:
    assert links("see [the *whole* story](http://x.example/s) now") == [Link("the whole story", "http://x.example/s")]


def test_markup_outside_the_subset_is_kept_as_text() -> None:
    body = '<b>bold?</b> <script>alert(1)</script> [@click=app.quit] [ref]\n\n[ref]: https://x.example'
    text = to_plain_text(body)
    assert "<b>bold?</b>" in text and "<script>alert(1)</script>" in text
    assert "[@click=app.quit]" in text
    assert "[ref]: https://x.example" in text
    assert links(body) == []


def test_images_are_links_with_their_alt_text() -> None:
    assert links("![a harbour at dawn](https://img.example/h.jpg)") == [Link("a harbour at dawn", "https://img.example/h.jpg")]


def test_plain_text_leaves_out_markers_and_urls() -> None:
    text = to_plain_text(SAMPLE)
    assert text.split("\n\n")[:3] == [
        "The harbour",
        "A paragraph with emphasis, strong and code, and a link.",
        "Details",
    ]
    assert "https://" not in text and "#" not in text and ">" not in text
    assert "verbatim   text\n  indented" in text


def test_escape_text_is_never_read_as_markup() -> None:
    plain = "# not a heading\n\n1. not a list\n\n- nor this\n\n> nor a quote\n\n*not emphasis* [not](a link) <http://x> &amp; `no` \\"
    stored = escape_text(plain)
    document = parse(stored)
    assert kinds(document.blocks) == [BlockKind.PARAGRAPH] * 5
    assert all(span.style == Style.PLAIN and not span.url for block in document.blocks for span in block.spans)
    assert to_plain_text(stored) == plain


def test_escape_inline_keeps_spaces_and_guards_a_following_link() -> None:
    stored = escape_inline("Wow! ") + "[x](https://x.example)"
    assert links(stored) == [Link("x", "https://x.example")]
    stored = escape_inline("Wow!") + "[x](https://x.example)"
    assert to_plain_text(stored) == "Wow!x"
    assert escape_inline("  two  spaces ") == " two  spaces "


def test_quotes_nested_past_the_cap_are_kept_as_text() -> None:
    body = ">" * 100_000 + " the words"
    document = parse(body)
    assert document.flattened == 1
    assert to_plain_text(document).endswith("> the words")


def test_lists_nested_past_the_cap_are_kept_as_text() -> None:
    body = "".join("  " * level + f"- item {level}\n" for level in range(5_000))
    document = parse(body)
    text = to_plain_text(document)
    assert all(f"item {level}" in text for level in (0, 1, 500, 4_999))
    assert text.count("item ") == 5_000
    assert document.flattened > 4_900
    depth = 0
    blocks = document.blocks
    while blocks and blocks[0].children:
        depth += blocks[0].kind is BlockKind.BULLET_LIST
        blocks = blocks[0].children[-1:] if blocks[0].kind is BlockKind.LIST_ITEM else blocks[0].children
    assert depth <= MAX_DEPTH


def test_empty_and_blank_bodies() -> None:
    assert parse("").blocks == ()
    assert parse(" \n\n ").blocks == ()
    assert to_plain_text("") == ""
    assert escape_text("") == ""


@settings(max_examples=examples(300))
@given(st.text())
def test_parse_never_crashes(body: str) -> None:
    document = parse(body)
    list(iter_leaves(document.blocks))
    to_plain_text(document)
    links(document)


markdownish = st.lists(st.sampled_from([*list("ab #>-+*_`[]()!<>&\\=~|1.)\n\t "), "\n\n", "https://x.y", "&amp;"])).map("".join)


@settings(max_examples=examples(500))
@given(st.one_of(st.text(), markdownish))
def test_escape_text_round_trips(plain: str) -> None:
    stored = escape_text(plain)
    document = parse(stored)
    assert all(block.kind is BlockKind.PARAGRAPH for block in document.blocks)
    assert to_plain_text(document) == normalize_plain(plain.replace("\x00", "\ufffd"))


@settings(max_examples=examples(300))
@given(st.lists(st.one_of(st.text(), markdownish), max_size=6))
def test_escaped_runs_between_links_read_as_themselves(runs: list[str]) -> None:
    stored = "[L](https://l.example)".join(escape_inline(run) for run in runs)
    expected = "L".join(runs).replace("\x00", "\ufffd")
    assert " ".join(to_plain_text(stored).split()) == " ".join(expected.split())
    assert all(block.kind is BlockKind.PARAGRAPH for block in parse(stored).blocks)
    assert all(link.url == "https://l.example" for link in links(stored))


@settings(max_examples=examples(500))
@given(st.one_of(st.text(), markdownish, st.builds(escape_text, st.one_of(st.text(), markdownish))))
def test_the_fast_path_for_plain_bodies_reads_as_the_parser(body: str) -> None:
    assert to_plain_text(body) == to_plain_text(parse(body))
    fast = plain_paragraphs(body)
    assert fast is None or fast == [block.text.strip() for block in parse(body).blocks if block.text.strip()]
