"""The reader screen: header, highlights and n/N, related links, history, keys."""

from __future__ import annotations

import webbrowser

from textual.containers import VerticalScroll

from reader.body import is_web_url
from reader.library import Library
from reader.model import Article, RelatedLink, article_id
from reader.tui import make_app
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.library import LibraryScreen
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.related import RelatedCard

from .conftest import find_id
from .helpers import open_top_hit, post_keys_at_once, settle, shown, shown_at, toasts

SIZE = (120, 40)


async def open_first(pilot, *keys: str) -> ArticleScreen:
    await settle(pilot)
    await pilot.press(*keys, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ArticleScreen)
    return pilot.app.screen


async def test_header_shows_title_source_date_language_time_and_bookmark(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_first(pilot)
        text = shown_at(pilot.app, "#article-header")
        assert "Kelmouth and Lindholm sign harbour pact" in text
        assert "Kelmouth Gazette · 2026-03-10 · English · 3 min read" in text
        assert "☆ Not bookmarked (b)" in text
        await pilot.press("b")
        await settle(pilot)
        assert "★ Bookmarked" in shown_at(pilot.app, "#article-header")


async def test_reading_column_is_centred_and_resizable(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_first(pilot)
        column = pilot.app.screen.query_one("#article-column")
        assert column.size.width == 80 - 4  # width 80 less the padding
        assert column.region.x > 10  # centred, not flush left
        await pilot.press("greater_than_sign", "plus")
        await pilot.pause()
        assert pilot.app.reading_width == 88
        await pilot.press("less_than_sign", "minus", "minus")
        await pilot.pause()
        assert pilot.app.reading_width == 76
        assert shown_at(pilot.app, "#article-status") == "Reading width: 76 columns"


async def test_opening_marks_read_and_u_toggles(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_first(pilot)
        with Library.open(library_dir) as other:
            assert other.get(find_id("Kelmouth")).read
        await pilot.press("u")
        await settle(pilot)
        with Library.open(library_dir) as other:
            assert not other.get(find_id("Kelmouth")).read
        await pilot.press("escape")
        assert not pilot.app.query_one(ArticleList).entry.read


async def test_search_highlights_and_n_N_step_through_matches(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_top_hit(pilot, "pilots")
        screen = pilot.app.screen
        assert isinstance(screen, ArticleScreen)
        matches = screen.body.matches()
        assert len(matches) == 31  # "pilots" in the lead and in each of 30 paragraphs
        assert shown_at(pilot.app, "#article-status").startswith("Match 1 of 31 ·")
        await pilot.press("n", "n")
        assert shown_at(pilot.app, "#article-status").startswith("Match 3 of 31 ·")
        await pilot.press("N")
        assert shown_at(pilot.app, "#article-status").startswith("Match 2 of 31 ·")
        await pilot.press("N", "N")
        assert shown_at(pilot.app, "#article-status").startswith("Match 31 of 31 ·")  # wraps around
        scroller = screen.query_one("#article-scroll", VerticalScroll)
        assert scroller.scroll_y > 0  # the last match is far down


async def test_stemmed_forms_are_highlighted(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_top_hit(pilot, "pilot")  # the text says "pilots"
        assert pilot.app.screen.body.matches()


async def test_scroll_keys(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_first(pilot)
        scroller = pilot.app.screen.query_one("#article-scroll", VerticalScroll)
        await pilot.press("j", "j", "down")
        assert scroller.scroll_y == 3
        await pilot.press("k", "up")
        assert scroller.scroll_y == 1
        await pilot.press("G")
        assert scroller.scroll_y == scroller.max_scroll_y
        await pilot.press("g")
        assert scroller.scroll_y == 0
        await pilot.press("ctrl+d")
        half = scroller.scroll_y
        assert half > 5
        await pilot.press("space")
        assert scroller.scroll_y > half
        await pilot.press("pageup", "ctrl+u")
        assert scroller.scroll_y == 0
        await pilot.press("end")
        assert scroller.scroll_y == scroller.max_scroll_y
        await pilot.press("home", "pagedown")
        assert scroller.scroll_y > 0


async def test_position_is_remembered(make_test_app, library_dir):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("ctrl+d", "ctrl+d")
        scroller = pilot.app.screen.query_one("#article-scroll", VerticalScroll)
        left_at = scroller.scroll_y
        await pilot.press("escape")
        await settle(pilot)
        with Library.open(library_dir) as other:
            assert other.position(find_id("Kelmouth")) > 0
        await pilot.press("enter")
        await settle(pilot)
        scroller = pilot.app.screen.query_one("#article-scroll", VerticalScroll)
        assert abs(scroller.scroll_y - left_at) <= 1


async def test_related_links_tab_enter_and_back(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        cards = screen.query(RelatedCard)
        titles = [card.target.title for card in cards]
        assert titles[:2] == ["Night train to the Alps returns", "Fishermen fear new quota rules"]  # own links first
        assert len(titles) > 2  # then "More like this"
        await pilot.press("G")
        headings = [shown(heading) for heading in screen.query("#related .related-heading")]
        assert headings == ["Related articles", "More like this"]
        assert screen.query_one("#related").region.y < pilot.app.size.height  # scrolled into view
        await pilot.press("tab")
        assert pilot.app.focused is cards[0]
        await pilot.press("tab", "shift+tab")
        assert pilot.app.focused is cards[0]
        await pilot.press("enter")
        await settle(pilot)
        assert shown_at(pilot.app, "#article-header").startswith("Night train to the Alps returns\n")
        assert screen.page.article_id == find_id("Night train")
        await pilot.press("backspace")
        await settle(pilot)
        assert screen.page.article_id == find_id("Kelmouth")
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, LibraryScreen)


async def test_card_not_in_library_opens_as_summary_and_searches(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        await pilot.press("tab", "tab", "enter")
        await settle(pilot)
        assert screen.page.card is not None
        assert shown_at(pilot.app, "#article-header").startswith("Fishermen fear new quota rules\n")
        assert shown(screen.body).strip() == "Skippers say half the fleet would stay in port."
        assert shown_at(pilot.app, "#article-status").startswith("Not in your library")
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, LibraryScreen)
        assert pilot.app.screen.search_box.value == "fishermen OR fear OR new OR quota OR rules"


async def test_brackets_step_through_the_list(make_test_app):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_first(pilot)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.page.article_id == find_id("Night train")
        await pilot.press("right_square_bracket", "left_square_bracket", "left_square_bracket")
        await settle(pilot)
        assert screen.page.article_id == find_id("Kelmouth")
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert "That was the first article of the list." in toasts(pilot.app)
        await pilot.press("escape", "escape")
        assert pilot.app.query_one(ArticleList).cursor == 0


async def test_o_opens_http_links_in_a_worker(make_test_app, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    async with make_test_app().run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert opened == ["https://news.example/kelmouth-and-lindholm-sign"]


async def test_o_without_a_browser_suggests_copying(make_test_app, monkeypatch):
    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await open_first(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert "No web browser could be started" in toasts(pilot.app)


async def test_y_copies_the_link(make_test_app):
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await open_first(pilot)
        await pilot.press("y")
        assert pilot.app.clipboard == "https://news.example/kelmouth-and-lindholm-sign"
        await pilot.pause()
        assert "Sent the link (47 characters) to the terminal's clipboard" in toasts(pilot.app)


async def test_only_web_links_are_opened_or_copied(make_test_app, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    async with make_test_app().run_test(size=SIZE, notifications=True) as pilot:
        await open_first(pilot, "G")  # the hostile article: url file:///etc/passwd
        await pilot.press("o", "y")
        await settle(pilot)
        assert opened == [] and pilot.app.clipboard == ""
        text = toasts(pilot.app)
        assert "Not opening" in text and "Not copying" in text


def test_is_web_url():
    assert is_web_url("https://example.org/a") and is_web_url("HTTP://example.org")
    for url in ("file:///etc/passwd", "javascript:alert(1)", "mailto:a@b", "https://", "", "ftp://x/y", "http://[::1"):
        assert not is_web_url(url)



def _long_read_and_note(data_dir, *, note_links_to_long_read: bool) -> tuple[Article, Article]:
    """A long read and a short note; one has a related link to the other."""
    sentence = "The tidal clock in the harbour office counts the hours to high water, not the hours of the day. "
    long_url, note_url = "https://news.example/tidal-clocks", "https://news.example/notes"
    long_id = article_id(url=long_url, source="Gazette", title="Tidal clocks", published="2026-01-01")
    note_id = article_id(url=note_url, source="Gazette", title="Harbour notes", published="2026-02-01")
    to_long = (RelatedLink("The long read about tidal clocks", "Clocks.", "en", long_url, long_id),)
    to_note = (RelatedLink("Harbour notes of the week", "Notes.", "en", note_url, note_id),)
    long_read = Article(
        id=long_id, title="The long read about tidal clocks",
        body="\n\n".join(f"Paragraph {n}. {sentence * 2}" for n in range(1, 61)),
        language="en", source="Gazette", url=long_url, published="2026-01-01" if note_links_to_long_read else "2026-03-01",
        related=() if note_links_to_long_read else to_note,
    )
    note = Article(
        id=note_id, title="Harbour notes of the week", body="A short note.", language="en", source="Gazette",
        url=note_url, published="2026-02-01", related=to_long if note_links_to_long_read else (),
    )
    library = Library.open(data_dir)
    library.add_articles([note, long_read])
    library.close()
    return long_read, note


async def test_keys_sent_with_the_enter_that_follows_a_link_scroll_the_page_it_opens(data_dir):
    """Tab to a related card, then Enter and three j in one write: the article followed
    opens and the j's scroll it three lines. The card's Enter was a plain binding: the j's
    reached the screen before the card's message, scrolled the page being left, and the
    new page then opened at its top (placed one refresh after it was shown, when the view
    still had the size of the page before)."""
    long_read, note = _long_read_and_note(data_dir, note_links_to_long_read=True)
    async with make_app(data_dir).run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        assert screen.page.article_id == note.id
        await pilot.press("tab")
        assert isinstance(pilot.app.focused, RelatedCard)
        post_keys_at_once(pilot, "enter", "j", "j", "j")
        await settle(pilot, rounds=5)
        assert screen.page.article_id == long_read.id
        assert screen.scroller.scroll_y == 3
        await pilot.press("backspace")
        await settle(pilot)
        assert screen.page.article_id == note.id
        assert pilot.app.focused is screen.query(RelatedCard).first()  # back on the link followed


async def test_back_returns_to_where_the_link_was_followed(data_dir):
    """From the end of a long read, a link followed and Backspace: the long read is where
    it was left (its place is now restored once its text is laid out, see
    ArticleScreen._when_laid_out)."""
    long_read, note = _long_read_and_note(data_dir, note_links_to_long_read=False)
    async with make_app(data_dir).run_test(size=SIZE) as pilot:
        screen = await open_first(pilot)
        assert screen.page.article_id == long_read.id
        await pilot.press("G", "tab")
        await settle(pilot)
        left_at = screen.scroller.scroll_y
        assert left_at > 100
        await pilot.press("enter")
        await settle(pilot)
        assert screen.page.article_id == note.id
        await pilot.press("backspace")
        await settle(pilot, rounds=5)
        assert screen.page.article_id == long_read.id
        # The place is kept as a share of the page, whose height moves by a few lines as
        # its "More like this" cards come in (a worker): near, not to the line.
        assert abs(screen.scroller.scroll_y - left_at) <= 5
