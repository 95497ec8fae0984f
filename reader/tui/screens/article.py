"""The reader: one article in a centred column, its related links, and a history.

The screen shows a *page*: an article of the library, or a related card that is not in
the library (its title and summary, with an action to search the library for it).
Following a link pushes a page on the screen's history; Backspace or Escape goes back
along it and, at its start, back to the list. ``[`` and ``]`` step through the list the
article was opened from.

Opened from a search, the query's terms are highlighted (the index supplies the spans,
stemmed forms included) and ``n``/``N`` step through them; otherwise the scroll position
saved when the article was last left is restored, and the status line says so ("Resumed
where you left off"). The status line's right end shows how far the reader is: the part of
the text above the bottom of the view, and the minutes left at :data:`WORDS_PER_MINUTE`.

``/`` finds a word or phrase in the text (:mod:`reader.tui.widgets.find_bar`): its
matches replace the search's while it is in force, with ``n``/``N`` and a "3/12"
count; Escape clears them and the search's come back. ``c`` and ``C`` send the whole
article to the clipboard as text or Markdown (:mod:`reader.article_copy`), ``y`` its
link (:mod:`reader.tui.links`, shared with the library).

A drag of the mouse over the text is Textual's text selection: ctrl+c copies it (the
app's ctrl+c quits only when nothing is selected), and the same passage is the
selection that ``h`` highlights, widened to whole words.

The reader's own highlights and notes (visual mode, ``H``) are the part of
:class:`~reader.tui.screens.highlighting.HighlightActions`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Footer, Input, Static

from reader.article_copy import article_as_markdown, article_as_text
from reader.body import is_web_url
from reader.errors import ReaderError
from reader.model import Article, date_of
from reader.tui.clipboard import send_to_clipboard
from reader.tui.format import language_label, quoted
from reader.tui.keymap import binding_source
from reader.tui.keys import KEYS_HELD_AT_MOST, binding_keys, key_label
from reader.tui.links import NO_LINK, copy_link, open_link
from reader.tui.messages import SearchFor
from reader.tui.screens.base import ReaderScreen
from reader.tui.screens.highlighting import LINE, SENTENCE, HighlightActions
from reader.tui.screens.tags import edit_tags, tags_line
from reader.tui.state import BOOKMARKED, POSITION, READ
from reader.tui.widgets.article_header import ArticleHeader
from reader.tui.widgets.article_view import ArticleBody, Block, LineKind, Match, body_blocks
from reader.tui.widgets.find_bar import FindBar, Finder
from reader.tui.widgets.page_scroll import PageScroll
from reader.tui.widgets.related import LinkTarget, RelatedCard
from reader.tui.widgets.task_bar import TaskBar
from reader.tui.wording import error_sentence

WIDTH_STEP = 4
WORDS_PER_MINUTE = 230
"""The reading speed behind "min left" (the header's "min read" uses the same:
:attr:`reader.model.Article.reading_minutes`)."""
MORE_LIKE_THIS = 5


Neighbour = Callable[[str, int], "str | None"]


@dataclass(frozen=True)
class Page:
    """What the screen shows: an article of the library, or a card from outside it."""

    article_id: str | None = None
    card: LinkTarget | None = None
    query: str | None = None


class Highlights(Message):
    def __init__(self, page: Page, spans: list[tuple[tuple[int, int], ...]]) -> None:
        super().__init__()
        self.page = page
        self.spans = spans


class Similar(Message):
    def __init__(self, page: Page, targets: list[LinkTarget]) -> None:
        super().__init__()
        self.page = page
        self.targets = targets


def article_blocks(article: Article) -> list[Block]:
    """The summary, then the body's blocks: the texts the highlight spans refer to."""
    return list(body_blocks(article.body, article.summary))



def reading_progress(seen: float, words: int) -> Content:
    """"42% · 3 min left": ``seen`` is the part of the text read (0 to 1), taken as the
    part above the bottom of the view; the minutes are the words below it at
    :data:`WORDS_PER_MINUTE`, rounded up, so "1 min left" lasts until the end is in view."""
    seen = min(1.0, max(0.0, seen))
    left = math.ceil(words * (1 - seen) / WORDS_PER_MINUTE)
    return Content(f"{math.floor(seen * 100)}% · {left} min left" if left else f"{math.floor(seen * 100)}% · end")


def any_word_query(title: str) -> str:
    """A query that ranks articles by how many of the title's words they hold (an OR of
    them): a card's whole title with every word required rarely finds anything. Lowercase,
    so that a title's "Or" or "NOT" is a word, not an operator."""
    return " OR ".join(word.lower() for word in re.findall(r"\w+", title))


@binding_source('Reading')
class ArticleScreen(HighlightActions, ReaderScreen[None]):
    """Read an article; follow its related links; come back."""

    BINDINGS = [
        Binding("escape,backspace", "back", "Back", id="back"),
        Binding("q", "close", "Close", id="close_reader"),
        Binding("b", "toggle_bookmark", "Bookmark", id="bookmark"),
        Binding("u", "toggle_read", "Read/unread", show=False, id="toggle_read"),
        Binding("n", "next_match", "Next match", id="next_match"),
        Binding("N", "previous_match", "Previous match", id="previous_match"),
        Binding("tab", "cycle_link(1)", "Links", id="next_link"),
        Binding("shift+tab", "cycle_link(-1)", "Previous link", show=False, id="previous_link"),
        Binding("enter", "follow_text_link", "Follow link", show=False, id="follow_text_link"),
        Binding("left_square_bracket", "step(-1)", "Previous article", show=False, id="previous_article"),
        Binding("right_square_bracket", "step(1)", "Next article", show=False, id="next_article"),
        Binding("s", "search_card", "Search the library", id="search_card"),
        Binding("o", "open_url", "Open in browser", id="open_in_browser"),
        Binding("y", "copy_url", "Copy link", show=False, id="copy_link"),
        # priority: bound as the key arrives, so that the letters typed straight after it
        # land in the find bar (as "/" in the library); off while the bar has the focus.
        Binding("slash", "find", "Find", priority=True, id="find_in_article"),
        Binding("c", "copy_article('text')", "Copy the article as text", show=False, id="copy_text"),
        Binding("C", "copy_article('markdown')", "Copy the article as Markdown", show=False, id="copy_markdown"),
        Binding("less_than_sign,minus", "width(-1)", "Narrower", show=False, id="narrower"),
        Binding("greater_than_sign,plus", "width(1)", "Wider", show=False, id="wider"),
        Binding("down,j", "scroll('down')", "Scroll down", show=False, id="scroll_down"),
        Binding("up,k", "scroll('up')", "Scroll up", show=False, id="scroll_up"),
        Binding("g,home", "scroll('home')", "Top", show=False, id="scroll_top"),
        Binding("G,end", "scroll('end')", "Bottom", show=False, id="scroll_bottom"),
        Binding("ctrl+d", "scroll('half_down')", "Half page down", show=False, id="scroll_half_down"),
        Binding("ctrl+u", "scroll('half_up')", "Half page up", show=False, id="scroll_half_up"),
        Binding("space,pagedown", "scroll('page_down')", "Page down", show=False, id="scroll_page_down"),
        Binding("pageup", "scroll('page_up')", "Page up", show=False, id="scroll_page_up"),
        Binding("v", f"visual('{SENTENCE}')", "Select", id="visual_select"),
        Binding("V", f"visual('{LINE}')", "Select lines", show=False, id="visual_line"),
        Binding("h", "highlight(False)", "Highlight", id="highlight"),
        Binding("a", "highlight(True)", "Highlight with a note", id="highlight_note"),
        Binding("H", "list_highlights", "Highlights", id="list_highlights"),
        Binding("d", "delete_article", "Delete (to the trash)", show=False, id="delete_article"),
        Binding("t", "edit_tags", "Tags: add or remove", show=False, id="edit_tags"),
    ]

    def __init__(
        self,
        article_id: str,
        query: str | None = None,
        neighbour: Neighbour | None = None,
        *,
        highlight: str | None = None,
        edit_note: bool = False,
    ) -> None:
        """``neighbour(article_id, step)``: the id of the article ``step`` rows away in the
        list that opened this screen (which moves its cursor there), or None.
        ``highlight``: the id of a highlight to show (and with ``edit_note``, to write
        the note of) once the article is open."""
        super().__init__()
        self._jump_to = highlight
        self._note_after_jump = edit_note
        self._neighbour = neighbour
        self._history: list[Page] = [Page(article_id=article_id, query=query)]
        self._article: Article | None = None
        self._matches: list[Match] = []
        self._match_index = -1
        self._find: str | None = None  # the text found with /, while its matches are in force
        self._finder: Finder | None = None  # the folded text of the page, made on the first /
        self._find_from: tuple[float, Match | None] = (0.0, None)  # the view when the bar opened
        self._followed: list[LinkTarget] = []  # the link followed from each page below the top
        self._refocus: LinkTarget | None = None  # the link to focus again once back
        # The cards of the last _show_links: the replaced ones stay in the DOM until their
        # removal is processed, and a card focused then takes the keys with it (nothing bubbles).
        self._cards: list[RelatedCard] = []
        # Kept, not queried: the position is saved on unmount, when queries find nothing.
        self.scroller = PageScroll(id="article-scroll")
        self.body = ArticleBody(id="article-body")
        self.progress = Static(id="article-progress", markup=False)  # kept: a late scroll may come after unmount
        self.holding_keys = True  # until the view is placed: see _placed

    def compose(self) -> ComposeResult:
        with self.scroller, Vertical(id="article-column"):
            yield ArticleHeader(id="article-header")
            yield self.body
            yield Vertical(id="related")
        with Horizontal(id="article-status-bar"):
            yield Static(id="article-status", markup=False)
            yield self.progress
        yield FindBar(id="find-bar")
        yield TaskBar()
        yield Footer()

    @property
    def page(self) -> Page:
        return self._history[-1]

    def on_mount(self) -> None:
        self.watch(self.app, "reading_width", self._apply_width)
        # The view moves (keys, mouse, a match, a restored position) or the text rewraps.
        self.watch(self.scroller, "scroll_y", self._show_progress, init=False)
        self.watch(self.scroller, "virtual_size", self._show_progress, init=False)
        self._show(self.page)
        self.scroller.focus()
        if not self.page.query:  # from a search, the place is the first match: on_highlights
            self._when_laid_out(self._placed)  # after the stored position _show asked for
        self.set_timer(KEYS_HELD_AT_MOST, self._placed)  # whatever happened meanwhile

    def hold_keys_until_placed(self) -> None:
        """Hold the keys typed from now on (the app does, ReaderApp.on_event) until the
        page about to be shown has its view placed (:meth:`_go`), at most
        KEYS_HELD_AT_MOST seconds."""
        self.holding_keys = True
        self.set_timer(KEYS_HELD_AT_MOST, self._placed)

    def _when_laid_out(self, callback: Callable[[], object], refreshes: int = 0) -> None:
        """Call ``callback`` once the text shown last is laid out: one refresh after a
        page is shown (a link followed, back) the view still has the size of the page
        before, so a stored position or a key's scroll was lost (at most 50 refreshes:
        then anyway)."""
        if self.body.laid_out() or refreshes >= 50:
            callback()
        else:
            self.call_after_refresh(self._when_laid_out, callback, refreshes + 1)

    def _placed(self) -> None:
        """The view is where the article opens: the keys typed since the Enter that opened
        it (held by the app, ReaderApp.on_event) act now. Dispatched at once, "⏎ j j j"
        scrolled a view that was then moved to its first match or stored position, or
        went to the list below while this screen was being pushed."""
        if self.holding_keys:
            self.holding_keys = False
            self.app.release_keys()

    def on_unmount(self) -> None:
        self._save_position()
        self._placed()  # closed before its view was placed (it could not be read): the keys go on

    def _apply_width(self, width: int) -> None:
        self.query_one("#article-column").styles.width = width

    # -- showing a page ----------------------------------------------------------------

    @property
    def find_bar(self) -> FindBar:
        return self.query_one(FindBar)

    def _show(self, page: Page) -> None:
        self._matches, self._match_index = [], -1
        self._find, self._finder = None, None
        self.find_bar.display = False
        self.clear_selection()  # a mouse selection belongs to the page it was made on
        self._text, self._marked, self._visual = None, [], None
        self.body.set_current(None)
        if page.article_id is not None:
            try:
                article = self.app.library.get(page.article_id)
            except ReaderError as exc:  # removed meanwhile, e.g. by `reader remove`
                self.app.say(f"Cannot open that article: {error_sentence(exc)}", severity="error")
                self._article = None
                self.call_later(self.action_back)
                return
            self._show_article(article, page)
        elif page.card is not None:
            self._article = None
            self._show_card(page.card)
        self.refresh_bindings()

    def _show_article(self, article: Article, page: Page) -> None:
        self._article = article
        self._render_header()
        blocks = article_blocks(article)
        self.body.set_blocks(blocks)
        self._start_highlights(article)
        self._set_status("")
        self.call_after_refresh(self._show_progress)
        self._show_links([LinkTarget.from_related(link) for link in article.related], similar=None)
        self._find_similar(page, article.id)
        if not article.read and self.app.set_article_flag(article.id, READ, True, automatic=True):
            self._article = article.replace(read=True)
        if page.query:
            self._find_highlights(page, blocks, article.language)
            self.call_after_refresh(self.scroller.scroll_home, animate=False, immediate=True)
        else:
            position = self.app.library.position(article.id)
            self._when_laid_out(lambda: self._restore_position(position))

    def _show_card(self, card: LinkTarget) -> None:
        self.query_one(ArticleHeader).show(card.title, [p for p in (language_label(card.language) if card.language else "", card.url) if p], Content(""))
        blocks = [Block(card.summary, LineKind.SUMMARY)] if card.summary else []
        self.body.set_blocks(blocks)
        self._show_links([], similar=None)
        self._show_progress()
        search, open_ = key_label(self, "search_card"), key_label(self, "open_in_browser")
        if is_web_url(card.url):  # the offer to fetch it, first: the line is cut at 80 columns
            fetch = key_label(self, "full_text")
            self._set_status(f"Not in your library: {fetch} fetches and saves it, {search} searches for it, {open_} opens it.")
        else:
            self._set_status(f"Not in your library: only its summary is known. Press {search} to search your library for it, {open_} to open it.")
        self.call_after_refresh(self.scroller.scroll_home, animate=False, immediate=True)

    def _render_header(self) -> None:
        article = self._article
        if article is None:
            return
        mark = "★ Bookmarked" if article.bookmarked else f"☆ Not bookmarked ({key_label(self, 'bookmark')})"
        facts = [
            f"by {article.author}" if article.author else "",
            article.source,
            date_of(article.published),
            language_label(article.language) if article.language else "",
            f"{article.reading_minutes} min read",
        ]
        self.query_one(ArticleHeader).show(
            article.title,
            [fact for fact in facts if fact],
            Content(mark).stylize("bold" if article.bookmarked else "dim"),
            article.url,
            tags_line(article.shown_tags),
        )

    def _show_links(self, own: list[LinkTarget], similar: list[LinkTarget] | None) -> None:
        """Related links: the article's own first, then "More like this" once it is known."""
        related = self.query_one("#related", Vertical)
        related.remove_children()
        widgets: list = []
        if own:
            widgets.append(Static(Content("Related articles"), classes="related-heading"))
            widgets += [RelatedCard(target) for target in own]
        if similar:
            widgets.append(Static(Content("More like this"), classes="related-heading"))
            widgets += [RelatedCard(target) for target in similar]
        self._cards = [widget for widget in widgets if isinstance(widget, RelatedCard)]
        if widgets:
            related.mount_all(widgets)
        if self._refocus is not None:
            self.call_after_refresh(self._focus_followed, final=similar is not None)

    def _focus_followed(self, final: bool) -> None:
        """Back on a page: the focus returns to the link that was followed from it. Its
        card may come with "More like this", which remounts the cards: until that list
        is in, the wish is kept."""
        target = self._refocus
        if target is None:
            return
        for card in self._cards:
            if card.target == target:
                self.set_focus(card)
                break
        if final:
            self._refocus = None

    @work(thread=True, exclusive=True, group="similar", exit_on_error=False)
    def _find_similar(self, page: Page, article_id: str) -> None:
        try:
            hits = self.app.library.more_like_this(article_id, limit=MORE_LIKE_THIS)
        except ReaderError:
            return  # the index is unavailable: the article's own links still show
        self.post_message(Similar(page, [LinkTarget.from_hit(hit) for hit in hits]))

    def on_similar(self, message: Similar) -> None:
        if message.page != self.page or self._article is None:
            return
        own_ids = {link.target_id for link in self._article.related if link.target_id}
        similar = [t for t in message.targets if t.article_id not in own_ids]
        self._show_links([LinkTarget.from_related(link) for link in self._article.related], similar)

    # -- highlights --------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="highlights", exit_on_error=False)
    def _find_highlights(self, page: Page, blocks: list[Block], language: str) -> None:
        library = self.app.library
        try:
            # The query came from the search box, where its last word may be a prefix.
            spans = [
                tuple(library.highlight_spans(page.query or "", block.text, language, as_you_type=True))
                for block in blocks
            ]
        except ReaderError:
            self.app.call_from_thread(self._placed)  # no matches to go to: the view stays
            return
        self.post_message(Highlights(page, spans))

    def on_highlights(self, message: Highlights) -> None:
        if message.page != self.page:
            return
        body = self.body
        blocks = article_blocks(self._article) if self._article else []
        body.set_blocks([replace(b, spans=spans) for b, spans in zip(blocks, message.spans, strict=True)])
        self._draw_marks()
        if self._find is not None:  # found with / meanwhile: those stay in force
            body.set_found(self._matches)
            body.set_current(self._matches[self._match_index] if self._match_index >= 0 else None)
            self._placed()
            return
        self._matches = body.matches()
        if self._matches:
            self.call_after_refresh(self._go_to_match, 0)
        else:
            self._set_status(f"No matches for {quoted(message.page.query or '')} in the text.")
        self.call_after_refresh(self._placed)  # after the first match is in view
        self.refresh_bindings()

    def _go_to_match(self, index: int) -> None:
        if not self._matches:
            return
        self._match_index = index % len(self._matches)
        match = self._matches[self._match_index]
        body = self.body
        body.set_current(match)
        line = body.virtual_region.y + body.line_of(match)
        self.scroller.scroll_to(y=max(0, line - self.scroller.size.height // 3), animate=False, immediate=True)
        keys = f"{key_label(self, 'next_match')} next, {key_label(self, 'previous_match')} previous"
        if self._find is not None:
            count = f"{self._match_index + 1}/{len(self._matches)}"
            self.find_bar.show_count(count)
            self._set_status(f"Find {quoted(self._find, 30)}: {count} · {keys} · {key_label(self, 'back')} clears")
        else:
            self._set_status(f"Match {self._match_index + 1} of {len(self._matches)} · {keys}")

    # -- find in the article -----------------------------------------------------------

    def action_find(self) -> None:
        """/: open the find bar. Focus is set at once (not deferred), so that the keys
        typed straight after / go to it."""
        bar = self.find_bar
        top = self.scroller.scroll_y - self.body.virtual_region.y
        self._find_from = (self.scroller.scroll_y, self.body.anchor_at(int(top)) if top > 0 else None)
        bar.display = True
        bar.input.value = ""
        bar.show_count("")
        self.set_focus(bar.input)

    @on(FindBar.Changed)
    def _find_changed(self, event: FindBar.Changed) -> None:
        text = event.text
        if not text.strip():
            self._clear_found()
            return
        if self._finder is None:
            self._finder = Finder(self.body.blocks)
        found = self._finder.find(text)
        self._find = text
        self._matches, self._match_index = found, -1
        self.body.set_found(found)
        if not found:
            self.body.set_current(None)
            self.find_bar.show_count("no match")
            self._set_status(f"No match for {quoted(text, 40)} in this article.")
            self.scroller.scroll_to(y=self._find_from[0], animate=False)
            return
        # the first match from where the reading was when the bar opened (around to the top)
        anchor = self._find_from[1]
        first = 0
        if anchor is not None:
            first = next((i for i, m in enumerate(found) if (m.block, m.start) >= (anchor.block, anchor.start)), 0)
        self._go_to_match(first)

    @on(FindBar.Closed)
    def _find_closed(self, event: FindBar.Closed) -> None:
        self.find_bar.display = False
        self.scroller.focus()
        if not event.keep or not self._matches:
            back_to = self._find_from[0]
            self._clear_found()
            if not event.keep:
                self.scroller.scroll_to(y=back_to, animate=False)
        self.refresh_bindings()

    def _clear_found(self) -> None:
        """Find's matches gone: the search's (if any) are the matches again."""
        self._find = None
        self.body.set_found(None)
        self.body.set_current(None)
        self._matches, self._match_index = self.body.matches(), -1
        self.find_bar.show_count("")
        self._set_status("")
        self.refresh_bindings()

    # -- copying ------------------------------------------------------------------------

    def action_copy_article(self, form: str) -> None:
        """c / C: the whole article to the clipboard, as plain text or as Markdown."""
        article = self._article
        if article is None:
            self.app.say("This card is not in your library: only its summary is known, there is no article to copy.")
            return
        if form == "markdown":
            send_to_clipboard(self.app, article_as_markdown(article), "the article as Markdown")
        else:
            send_to_clipboard(self.app, article_as_text(article), "the article as text")

    # -- position ----------------------------------------------------------------------

    def _save_position(self) -> None:
        article = self._article
        if article is None or self.app.library.read_only:
            return  # nothing to save, or nowhere to save it
        scroller = self.scroller
        fraction = scroller.scroll_y / scroller.max_scroll_y if scroller.max_scroll_y else 0.0
        self.app.writer.set(article.id, POSITION, round(fraction, 4))

    def _restore_position(self, fraction: float) -> None:
        scroller = self.scroller
        scroller.scroll_to(y=fraction * scroller.max_scroll_y, animate=False, immediate=True)
        if fraction > 0 and scroller.max_scroll_y:
            self._set_status(f"Resumed where you left off ({math.floor(self._seen() * 100)}%).")
        self._show_progress()

    def _seen(self) -> float:
        """The part of the body above the bottom of the view (1.0 when it all fits)."""
        body = self.body.virtual_region
        if body.height <= 0:
            return 1.0
        bottom = self.scroller.scroll_y + self.scroller.size.height
        return min(1.0, max(0.0, (bottom - body.y) / body.height))

    def _show_progress(self, _: object = None) -> None:
        article = self._article
        self.progress.update(reading_progress(self._seen(), article.word_count) if article is not None else Content(""))

    # -- navigation --------------------------------------------------------------------

    def _go(self, page: Page, *, push: bool) -> None:
        self._save_position()
        self._refocus = None
        if push:
            self._history.append(page)
        else:
            self._history = [page]
            self._followed = []
        self._show(page)
        self.scroller.focus()
        self._when_laid_out(self._placed)  # after the stored position _show asked for

    @on(RelatedCard.Followed)
    def _follow(self, event: RelatedCard.Followed) -> None:
        target = event.target
        self._followed.append(target)
        if target.article_id:
            self._go(Page(article_id=target.article_id), push=True)
        else:
            self._go(Page(card=target), push=True)

    def action_back(self) -> None:
        if self._visual is not None:  # Escape leaves visual mode first
            self._leave_visual("Selection cancelled.")
            return
        if self._find is not None:  # then the matches of find
            self._clear_found()
            return
        if len(self._history) > 1:
            self._save_position()
            self._article = None  # saved; do not save again for the page being left
            self._history.pop()
            self._refocus = self._followed.pop() if self._followed else None
            self.scroller.focus()  # before the cards are mounted: their focus comes after
            self._show(self.page)
        else:
            self.app.pop_screen()

    def action_step(self, step: int) -> None:
        first = self._history[0]
        if first.article_id is None:
            return
        neighbour = self._neighbour(first.article_id, step) if self._neighbour else None
        if neighbour is None:
            self.app.say("That was the last article of the list." if step > 0 else "That was the first article of the list.")
            return
        self._go(Page(article_id=neighbour, query=first.query), push=False)

    def action_search_card(self) -> None:
        card = self.page.card
        if card is None:
            return
        self.app.post_message(SearchFor(any_word_query(card.title)))
        self.app.pop_screen()

    def action_close(self) -> None:
        """q: back to the list from anywhere in the history (as q closes the help)."""
        self.app.pop_screen()

    def action_delete_article(self) -> None:
        """d: the article shown to the trash, and back to the list (z there undoes it)."""
        from reader.tui.screens.library import LibraryScreen

        article_id, article = self.page.article_id, self._article
        if article_id is None:
            self.app.say("This card is not an article of the library: there is nothing to delete.")
            return
        self._save_position()  # queued before the deletion, which waits for it: a restore brings it back
        self._article = None  # saved; not again when the screen goes
        while not isinstance(self.app.screen, LibraryScreen):
            self.app.pop_screen()
        self.app.screen.delete_articles([article_id], article.title if article is not None else None)

    # -- flags and links ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_bookmark", "toggle_read"):
            return self._article is not None
        if action in ("next_match", "previous_match"):
            return bool(self._matches)
        if action == "search_card":
            return self.page.card is not None
        if action in ("open_url", "copy_url"):
            return bool(self._url())  # hidden without a link; on_key says why the key did nothing
        if action == "follow_text_link":
            return self.body.selected_link is not None
        if action in ("highlight", "highlight_note"):
            return self._visual is not None
        if action in ("visual", "list_highlights"):
            return self._article is not None
        if action == "find":  # in the bar "/" is a character of the text to find; in visual
            # mode the footer needs the room for the highlight keys
            return not isinstance(self.focused, Input) and self._visual is None
        return True

    def on_key(self, event: events.Key) -> None:
        """o or y on a page without a link: their bindings are off, so say so here."""
        if self._url() or (self.page.card is None and self._article is None):
            return
        if event.key in binding_keys(self, "open_in_browser") + binding_keys(self, "copy_link"):
            event.stop()
            self.app.say(NO_LINK)

    def action_toggle_bookmark(self) -> None:
        article = self._article
        if article is not None and self.app.set_article_flag(article.id, BOOKMARKED, not article.bookmarked):
            self._article = article.replace(bookmarked=not article.bookmarked)
            self._render_header()

    def action_edit_tags(self) -> None:
        article = self._article
        if article is not None:
            edit_tags(self.app, article.id, on_saved=self._tags_saved)

    def _tags_saved(self, tags: tuple[str, ...]) -> None:
        article = self._article
        if article is None or not self.is_attached:
            return
        try:  # the stored tags, with the flags as this screen shows them
            stored = self.app.library.get(article.id)
        except ReaderError:
            return
        self._article = article.replace(tags=stored.tags, user_tags=stored.user_tags, removed_tags=stored.removed_tags)
        self._render_header()

    def action_toggle_read(self) -> None:
        article = self._article
        if article is not None and self.app.set_article_flag(article.id, READ, not article.read):
            self._article = article.replace(read=not article.read)
            self._set_status("Marked as read." if self._article.read else "Marked as unread.")

    def action_next_match(self) -> None:
        self._go_to_match(self._match_index + 1)

    def action_previous_match(self) -> None:
        self._go_to_match(self._match_index - 1)

    def _url(self) -> str:
        if self._article is not None:
            return self._article.url
        return self.page.card.url if self.page.card else ""

    def action_open_url(self) -> None:
        open_link(self, self._url())

    def action_copy_url(self) -> None:
        copy_link(self, self._url(), shown_where="under the title")

    # -- links in the text ---------------------------------------------------------------

    def action_cycle_link(self, step: int) -> None:
        """Tab / Shift+Tab: through the links in the text, then the related links, around.

        A link in the text is selected in the body (the page keeps the focus); a related
        link is a focusable card.
        """
        body = self.body
        cards = self._cards
        stops: list[int | RelatedCard] = [*range(len(body.links)), *cards]
        if not stops:
            return
        focused = self.focused
        if isinstance(focused, RelatedCard) and focused in cards:
            here = len(body.links) + cards.index(focused)
        elif body.selected_index is not None:
            here = body.selected_index
        else:
            here = -1 if step > 0 else len(stops)
        target = stops[(here + step) % len(stops)]
        if isinstance(target, RelatedCard):
            body.select_link(None)
            self.set_focus(target)  # now: a deferred focus() could land after the cards are replaced
            return
        link = body.select_link(target)
        self.scroller.focus()
        if link is not None:
            self._scroll_to_line(body.line_of_link(link))
            self._set_status(f"Link {target + 1} of {len(body.links)}: {link.url} · Enter opens it")

    def _scroll_to_line(self, line: int) -> None:
        """Bring a line of the body into view if it is not (a third from the top)."""
        scroller = self.scroller
        y = self.body.virtual_region.y + line
        if not scroller.scroll_y <= y < scroller.scroll_y + scroller.size.height - 1:
            scroller.scroll_to(y=max(0, y - scroller.size.height // 3), animate=False)

    def action_follow_text_link(self) -> None:
        """Enter on a link of the text: an article of the library opens here, anything
        else in the browser (only http and https links are ever selected)."""
        link = self.body.selected_link
        if link is None:
            return
        try:
            article_id = self.app.library.id_for_url(link.url)
        except ReaderError:
            article_id = None  # the browser can still open it
        if article_id:
            self._go(Page(article_id=article_id), push=True)
            return
        open_link(self, link.url)

    def action_width(self, direction: int) -> None:
        app = self.app
        # The words at the top of the view stay there: the text rewraps around them.
        top = self.scroller.scroll_y - self.body.virtual_region.y
        anchor = self.body.anchor_at(int(top)) if top > 0 else None
        app.reading_width = app.clamp_reading_width(app.reading_width + direction * WIDTH_STEP)
        self._set_status(f"Reading width: {app.reading_width} columns")
        if self._match_index >= 0:
            self.call_after_refresh(self._go_to_match, self._match_index)
        elif anchor is not None:
            self.call_after_refresh(self._scroll_to_anchor, anchor)

    def _scroll_to_anchor(self, anchor: Match) -> None:
        self.scroller.scroll_to(y=self.body.virtual_region.y + self.body.line_of(anchor), animate=False)

    def action_scroll(self, how: str) -> None:
        if self._visual is not None and how in ("down", "up"):  # visual mode: move the selection's end
            self._move_selection(1 if how == "down" else -1)
            return
        scroller = self.scroller
        page = max(1, scroller.size.height - 2)
        if how == "down":
            scroller.scroll_relative(y=1, animate=False, immediate=True)
        elif how == "up":
            scroller.scroll_relative(y=-1, animate=False, immediate=True)
        elif how == "home":
            scroller.scroll_home(animate=False, immediate=True)
        elif how == "end":
            scroller.scroll_end(animate=False, immediate=True)
        elif how == "half_down":
            scroller.scroll_relative(y=page // 2, animate=False, immediate=True)
        elif how == "half_up":
            scroller.scroll_relative(y=-(page // 2), animate=False, immediate=True)
        elif how == "page_down":
            scroller.scroll_relative(y=page, animate=False, immediate=True)
        elif how == "page_up":
            scroller.scroll_relative(y=-page, animate=False, immediate=True)

    def _set_status(self, text: str) -> None:
        self.query_one("#article-status", Static).update(Content(text))
