"""Tags in the app: ``t`` edits them (library and reader), the reader's header and the
preview show them, and the sources pane's "Tags" section counts and filters (Pilot)."""

from __future__ import annotations

from reader.config import Config
from reader.library import Library
from reader.tui.screens.article import ArticleScreen
from reader.tui.screens.tags import TagPrompt
from reader.tui.widgets.article_list import ArticleList
from reader.tui.widgets.sources import SourcesPane

from .conftest import find_id
from .helpers import post_keys_at_once, settle, shown, shown_at, wait_until

SIZE = (160, 40)  # wide: the preview shows beside the list
PACT = "Kelmouth and Lindholm"
TRAIN = "Night train"


def _tag(library_dir, title: str, *tags: str) -> str:
    article_id = find_id(title)
    with Library.open(library_dir) as lib:
        lib.edit_tags(article_id, add=tags)
    return article_id


def _stored_tags(library_dir, article_id: str) -> tuple[str, ...]:
    with Library.open(library_dir) as lib:
        return lib.get(article_id).shown_tags


async def _open_tag_prompt(pilot) -> None:
    """Once the library is shown, ``t`` on the article under the cursor."""
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)


async def _type_tags(pilot, text: str) -> None:
    await pilot.press("end", *text, "enter")
    await settle(pilot)


async def test_t_in_the_library_edits_the_tags_of_the_article_under_the_cursor(make_test_app, library_dir):
    article_id = _tag(library_dir, PACT, "harbour")
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pilot.app.query_one(ArticleList).entry.id == article_id
        await pilot.press("t")
        await settle(pilot)
        prompt = pilot.app.screen
        assert isinstance(prompt, TagPrompt)
        assert prompt.query_one("#tag-prompt-input").value == "harbour, "  # the current tags, to edit
        await _type_tags(pilot, ", Later")
        assert not isinstance(pilot.app.screen, TagPrompt)
        await wait_until(pilot, lambda: "# later" in shown(pilot.app.screen.query_one(SourcesPane)))
        assert _stored_tags(library_dir, article_id) == ("harbour", "later")
        assert "Tags: harbour, later" in shown_at(pilot.app, "#preview")


async def test_a_name_typed_at_once_adds_a_tag_and_keeps_the_others(make_test_app, library_dir):
    """``t``, a name, Enter: the name is added. The prompt's text was selected when it
    opened (Textual's default), so the name typed replaced every tag the article had."""
    article_id = _tag(library_dir, PACT, "harbour", "economy")
    async with make_test_app().run_test(size=SIZE) as pilot:
        await _open_tag_prompt(pilot)
        await pilot.press(*"later", "enter")
        await settle(pilot)
        await wait_until(pilot, lambda: "later" in _stored_tags(library_dir, article_id))
        assert set(_stored_tags(library_dir, article_id)) == {"harbour", "economy", "later"}


async def test_deleting_a_name_removes_the_tag_and_a_bad_name_keeps_the_prompt(make_test_app, library_dir):
    article_id = _tag(library_dir, PACT, "harbour", "later")
    async with make_test_app().run_test(size=SIZE) as pilot:
        await _open_tag_prompt(pilot)
        box = pilot.app.screen.query_one("#tag-prompt-input")
        box.value = "harbour, " + "x" * 70
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TagPrompt)
        assert "at most 64 characters" in shown_at(pilot.app, "#tag-prompt-hint")
        box.value = "harbour"
        await pilot.press("enter")
        await settle(pilot)
        await wait_until(pilot, lambda: _stored_tags(library_dir, article_id) == ("harbour",))
        assert _stored_tags(library_dir, article_id) == ("harbour",)


async def test_the_tag_prompt_completes_a_tag_of_the_library(make_test_app, library_dir):
    _tag(library_dir, TRAIN, "railways")
    async with make_test_app().run_test(size=SIZE) as pilot:
        await _open_tag_prompt(pilot)
        await pilot.press(*"rai", "tab")
        await settle(pilot)
        assert pilot.app.screen.query_one("#tag-prompt-input").value == "railways"


async def test_the_pane_lists_tags_with_unread_counts_and_filters_the_list(make_test_app, library_dir):
    pact = _tag(library_dir, PACT, "harbour")
    train = _tag(library_dir, TRAIN, "harbour", "rail")
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = pilot.app.screen.query_one(SourcesPane)
        assert pane.display  # no feeds: the tags alone bring the pane
        text = shown(pane)
        assert "All articles 5" in text and "Tags" in text and "# harbour 2" in text and "# rail 1" in text
        pane.focus()
        await pilot.press("down", "enter")  # from All articles past the heading to # harbour
        await settle(pilot)
        assert {e.id for e in pilot.app.query_one(ArticleList).entries} == {pact, train}
        await pilot.press("u")  # the first of them read: its tags count one unread less, at once
        await settle(pilot)
        assert "# harbour 1" in shown(pane) and "# rail 1" in shown(pane)


async def test_the_list_follows_when_the_chosen_tag_is_removed(make_test_app, library_dir):
    pact = _tag(library_dir, PACT, "harbour")
    train = _tag(library_dir, TRAIN, "harbour")
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = pilot.app.screen.query_one(SourcesPane)
        pane.focus()
        pane.highlighted = pane.get_option_index("tag:harbour")
        await pilot.press("enter")
        await settle(pilot)
        articles = pilot.app.query_one(ArticleList)
        articles.cursor = [e.id for e in articles.entries].index(pact)
        await pilot.press("t")
        await settle(pilot)
        pilot.app.screen.query_one("#tag-prompt-input").value = ""
        await pilot.press("enter")
        await wait_until(pilot, lambda: [e.id for e in articles.entries] == [train])
        assert [e.id for e in articles.entries] == [train]
        assert "# harbour 1" in shown(pane)


async def test_the_reader_header_shows_tags_and_t_edits_them(make_test_app, library_dir):
    article_id = _tag(library_dir, PACT, "harbour")
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ArticleScreen)
        assert "Tags: harbour" in shown_at(pilot.app, "#article-header")
        await pilot.press("t")
        await settle(pilot)
        await _type_tags(pilot, ", pilots")
        await wait_until(pilot, lambda: "pilots" in shown_at(pilot.app, "#article-header"))
        assert "Tags: harbour, pilots" in shown_at(pilot.app, "#article-header")
        assert _stored_tags(library_dir, article_id) == ("harbour", "pilots")


async def test_an_article_without_tags_has_no_tags_line(make_test_app):
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "Tags:" not in shown_at(pilot.app, "#article-header")


async def test_a_hostile_tag_is_drawn_as_typed(make_test_app, library_dir):
    hostile = "[@click=app.quit]q[/]"  # the markup of HOSTILE, short enough for the pane
    _tag(library_dir, PACT, hostile)
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "# " + hostile in shown(pilot.app.screen.query_one(SourcesPane))
        assert hostile in shown_at(pilot.app, "#preview")
        await pilot.press("enter")
        await settle(pilot)
        assert hostile in shown_at(pilot.app, "#article-header")
        await pilot.press("t")
        await settle(pilot)
        assert pilot.app.screen.query_one("#tag-prompt-input").value == hostile + ", "
        assert pilot.app.is_running  # its [@click=app.quit] ran nothing


async def test_the_tag_key_is_remappable(make_test_app, library_dir):
    _tag(library_dir, PACT, "harbour")
    async with make_test_app(Config(keys={"edit_tags": "T"})).run_test(size=SIZE) as pilot:
        await _open_tag_prompt(pilot)
        assert not isinstance(pilot.app.screen, TagPrompt)
        await pilot.press("T")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TagPrompt)


async def test_a_long_tag_name_is_cut_to_one_line_and_keeps_its_count(make_test_app, library_dir):
    """At 80 columns the pane has 16 cells for a line: "# a-rather-long-tag-name 1" took
    three lines, its count on the last. Now one line, cut with "…", the count beside it;
    wider, the whole name shows."""
    _tag(library_dir, PACT, "a-rather-long-tag-name", "city")
    _tag(library_dir, TRAIN, "a-rather-long-tag-name")
    async with make_test_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = [line.strip() for line in shown(pilot.app.screen.query_one(SourcesPane)).splitlines()]
        long_line = next(line for line in lines if line.startswith("# a-rather"))
        assert long_line.endswith("… 2") and len(long_line) <= 16
        assert "# city 1" in lines
        assert "tag-name" not in "\n".join(lines)  # no second line of it
        await pilot.resize_terminal(200, 40)
        await wait_until(pilot, lambda: "# a-rather-long-tag-name 2" in shown(pilot.app.screen.query_one(SourcesPane)))


async def test_keys_typed_with_the_t_that_opens_the_prompt_land_in_it(make_test_app, library_dir):
    """"t", End, ", later", Enter, "j" and "t" in one write (a fast typist): the tag goes
    to the first article, the cursor moves down and the second's prompt opens. The keys
    after "t" reached the library before its binding had pushed the prompt, and the
    letters were lost (Textual gives a key to the focused widget and takes the next at
    once; a screen's binding runs when the key has bubbled up to the app)."""
    first = _tag(library_dir, PACT, "harbour")
    async with make_test_app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert pilot.app.query_one(ArticleList).entry.id == first
        post_keys_at_once(pilot, "t", "end", *", later", "enter", "j", "t")
        await settle(pilot, rounds=5)
        assert _stored_tags(library_dir, first) == ("harbour", "later")
        prompt = pilot.app.screen
        assert isinstance(prompt, TagPrompt)
        second = pilot.app.query_one(ArticleList).entry
        assert second is not None and second.id != first
        assert prompt.query_one("#tag-prompt-input").value == ", ".join(_stored_tags(library_dir, second.id))
