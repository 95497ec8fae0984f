"""The reader screen draws a body's structure, and reaches its links from the keyboard.

Lines are read from the body widget itself (its Line API strips), not from a picture of
the screen.
"""

from __future__ import annotations

import webbrowser

from reader.library import Library
from reader.model import Article, RelatedLink, article_id
from reader.tui.screens.article import ArticleScreen
from reader.tui.widgets.article_view import MAX_BODY_CHARS, ArticleBody, body_blocks
from reader.tui.widgets.related import RelatedCard

from .conftest import find_id
from .helpers import settle

SIZE = (120, 40)

BODY = """## Tides and berths

The pilots read the *tide tables* with the **ferry crews**, and the [port authority](https://port.example/notice) agreed.

- first point, long enough to wrap onto a second line of the reading column so that the hanging indent shows
- second point
  - nested point
  - another [night train](https://news.example/night-train-to-the) link

> The harbour master said the quay is ready.
>
> > And the cranes too.

```
berth  42   ready
```

A [hostile link](javascript:alert(1)) and a [file](file:///etc/passwd) stay text.
"""

STRUCTURED = Article(
    id=article_id(url="https://news.example/structured", source="Kelmouth Gazette", title="Structured", published="2026-03-11"),
    title="Structured piece about the quay",
    body=BODY,
    language="en",
    source="Kelmouth Gazette",
    url="https://news.example/structured",
    published="2026-03-11",
    related=(RelatedLink("Fishermen fear new quota rules", "", "en", "https://elsewhere.example/quota"),),
)


def body_lines(body: ArticleBody) -> list[str]:
    return [body.render_line(y).text.rstrip() for y in range(body.virtual_size.height)]


async def open_structured(pilot, library_dir) -> ArticleScreen:
    with Library.open(library_dir) as library:
        library.add_articles([STRUCTURED])
    await settle(pilot)
    pilot.app.push_screen(ArticleScreen(STRUCTURED.id))
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ArticleScreen)
    return screen


async def test_headings_lists_quotes_code_and_links_are_drawn(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_structured(pilot, library_dir)
        lines = body_lines(screen.body)
        assert lines[0] == "Tides and berths"
        assert "The pilots read the tide tables with the ferry crews, and the port authority" in lines[2]
        first = next(i for i, line in enumerate(lines) if line.startswith("• first point"))
        assert lines[first + 1].startswith("  ") and not lines[first + 1].startswith("  •")  # hanging indent
        assert "• second point" in lines
        assert "  ◦ nested point" in lines
        assert "  ◦ another night train link" in lines
        quote = lines.index("│ The harbour master said the quay is ready.")
        assert lines[quote + 1] == "│"  # the bar continues through the blank line
        assert lines[quote + 2] == "│ │ And the cranes too."
        assert "berth  42   ready" in lines
        assert "A hostile link and a file stay text." in lines
        # Styles come from the structure: the heading is bold, emphasis italic.
        heading = screen.body.render_line(0)
        assert any(segment.style and segment.style.bold for segment in heading)
        row = screen.body.render_line(2)
        assert any(segment.text == "tide tables" and segment.style.italic for segment in row)


async def test_tab_cycles_links_in_the_text_then_related_links(make_test_app, library_dir, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_structured(pilot, library_dir)
        body = screen.body
        # Only http(s) links are stops: not javascript: nor file:.
        assert [link.url for link in body.links] == ["https://port.example/notice", "https://news.example/night-train-to-the"]
        await pilot.press("tab")
        assert body.selected_link is not None and body.selected_link.url == "https://port.example/notice"
        await pilot.press("tab")
        assert body.selected_link.url == "https://news.example/night-train-to-the"
        await pilot.press("tab")
        await settle(pilot)
        assert body.selected_link is None
        assert isinstance(pilot.app.focused, RelatedCard)
        cards = list(screen.query(RelatedCard))
        for _ in cards[1:]:
            await pilot.press("tab")
        assert pilot.app.focused is cards[-1]
        await pilot.press("tab")  # around to the first link of the text
        assert body.selected_link.url == "https://port.example/notice"
        await pilot.press("shift+tab")
        assert pilot.app.focused is cards[-1] and body.selected_link is None
        await pilot.press("shift+tab")
        for _ in cards[:-1]:
            await pilot.press("shift+tab")
        assert body.selected_link.url == "https://news.example/night-train-to-the"

        # Enter on a link to an article of the library opens it here.
        await pilot.press("enter")
        await settle(pilot)
        assert screen.page.article_id == find_id("Night train")
        assert opened == []
        # Back, then Enter on a link elsewhere opens the browser.
        await pilot.press("escape")
        await settle(pilot)
        assert screen.page.article_id == STRUCTURED.id
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert opened == ["https://port.example/notice"]


def test_a_million_paragraphs_are_cut_with_a_note() -> None:
    body = "\n\n".join(f"Paragraph {n} of a very long article." for n in range(1_000_000))
    blocks = body_blocks(body)
    shown = sum(len(block.text) for block in blocks)
    assert shown <= MAX_BODY_CHARS
    assert blocks[-1].kind == "note"
    assert "more characters" in blocks[-1].text and "reader show" in blocks[-1].text
    assert blocks[-2].text.startswith("Paragraph ")  # cut between paragraphs


def test_a_ten_megabyte_summary_is_cut_with_a_note() -> None:
    blocks = body_blocks("A short body.", "word" * 2_500_000)
    assert blocks[0].kind == "summary" and len(blocks[0].text) <= 20_000
    assert blocks[1].kind == "note"
    assert blocks[2].text == "A short body."


async def test_a_huge_article_opens_and_scrolls_to_its_end(make_test_app, library_dir):
    huge = Article(
        id=article_id(url="https://news.example/huge", source="s", title="Huge", published="2026-03-12"),
        title="Huge", body="\n\n".join(f"Paragraph {n} of a long one." for n in range(20_000)), url="https://news.example/huge",
        language="en", source="s", published="2026-03-12",
    )
    with Library.open(library_dir) as library:
        library.add_articles([huge])
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        pilot.app.push_screen(ArticleScreen(huge.id))
        await settle(pilot)
        screen = pilot.app.screen
        await pilot.press("G")
        await settle(pilot)
        assert len(huge.body) > MAX_BODY_CHARS
        lines = body_lines(screen.body)
        assert "The article continues for" in " ".join(lines[-3:])
        assert screen.scroller.scroll_y == screen.scroller.max_scroll_y > 0
