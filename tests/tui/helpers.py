"""Test helpers: wait until the app is idle; read what a widget shows as text.

Assertions about the screen ask the widget that shows a thing (:func:`shown`,
:func:`shown_at`) or the notifications on screen (:func:`toasts`), each from that
widget's own rendering, so that a test names where a text must appear and does not
depend on the layout of a screenshot. :func:`footer_keys` reads the footer's keys and
their places; :func:`drawn` is every widget's text at once, for the checks that hold for
the whole screen (nothing hostile drawn anywhere).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.worker import WorkerCancelled


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Wait for workers (which may start others through messages) and for the screen to update."""
    for _ in range(rounds):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue  # an exclusive worker replaced by a newer one: wait for that one
        await pilot.pause()


def post_keys_at_once(pilot: Pilot, *keys: str) -> None:
    """The keys as one terminal write brings them: posted one after another, without the
    wait for idle that ``pilot.press`` makes between two keys."""
    from textual import events

    for key in keys:
        character = key if len(key) == 1 else {"enter": "\r", "slash": "/", "space": " "}.get(key)
        pilot.app.post_message(events.Key(key, character))


async def wait_until(pilot: Pilot, condition: Callable[[], object], seconds: float = 30) -> None:
    """Let the app run until ``condition()`` is true, for at most ``seconds``.

    For what comes from outside the app's own workers (another process, a poll timer),
    which :func:`settle` cannot wait for. The caller asserts the condition afterwards.
    """
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        await pilot.pause(0.05)


async def open_top_hit(pilot: Pilot, query: str) -> None:
    """``/``, ``query`` and Enter, as fast as keys come: Enter before the results opens the
    top hit when they come, so wait for the reader (settle alone can return in between: the
    search thread waits for typing to settle before it starts)."""
    from reader.tui.screens.article import ArticleScreen

    await pilot.press("slash", *query, "enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ArticleScreen))
    screen = pilot.app.screen
    if not isinstance(screen, ArticleScreen):  # say what the library held then, and now
        again = pilot.app.library.search(query, limit=5)
        raise AssertionError(
            f"the top hit of {query!r} did not open: the focus on {pilot.app.focused!r}, "
            f"the status {shown(screen.query_one('#status')) if screen.query('#status') else None!r}; "
            f"the same search now: {again.total} results, {[hit.title for hit in again.hits]}; "
            f"index rebuild {pilot.app.library.rebuild_progress()!r}, task {pilot.app.current_task!r}"
        )
    await settle(pilot)


def shown(widget: Widget) -> str:
    """The text ``widget`` shows, from its own rendering.

    A Line API widget (the article list, the article body) is read line by line through
    ``render_line``, as the compositor draws it; any other widget through ``render()``
    (a Static's ``Content``, a Toast's message).
    """
    if type(widget).render_line is not Widget.render_line:
        return "\n".join(widget.render_line(y).text for y in range(widget.size.height))
    return _plain(widget.render())


def shown_at(app: App, selector: str) -> str:
    """The text shown by the one widget of the current screen that ``selector`` matches."""
    return shown(app.screen.query_one(selector))


def footer_keys(app: App) -> list[tuple[str, int, int]]:
    """The footer's keys as drawn, left to right: (text, first column, column after it).

    Textual's Footer holds one FooterKey widget a binding (the palette's last, docked
    right); asking each for its text and place tells what fits on the screen."""
    keys = sorted(app.screen.query("Footer FooterKey"), key=lambda key: key.region.x)
    return [(shown(key).strip(), key.region.x, key.region.right) for key in keys]


def toasts(app: App) -> str:
    """The notifications on the current screen (Textual's Toast widgets), one a line.

    Toasts are drawn only when the app runs with ``run_test(notifications=True)``.
    """
    return "\n".join(shown(toast) for toast in app.screen.query("Toast"))


def _widget_lines(app: App) -> Iterator[tuple[Widget, int, int, str]]:
    """Each widget of the current screen drawn on its own (``render_lines`` over its
    region): (widget, its first column, the screen row, the line's text), for the rows
    that fall on the screen."""
    screen = app.screen.region
    for widget in app.screen.query("*"):
        region = widget.region
        if region.area:
            strips = widget.render_lines(Region(0, 0, region.width, region.height))
            for y, strip in enumerate(strips, region.y):
                if screen.y <= y < screen.bottom:
                    yield widget, region.x, y, strip.text


def drawn(app: App) -> str:
    """What every widget of the current screen draws, one line of text a line: for
    checks of the whole screen (nothing hostile shown anywhere), where asking one widget
    would miss the others."""
    return "\n".join(text for _, _, _, text in _widget_lines(app))


async def click_every(pilot: Pilot, needle: str) -> int:
    """Click every place of the screen where a widget draws ``needle``; return how many.

    A spot counts only where that widget is the one on top there (not scrolled away,
    not covered).
    """
    app = pilot.app
    spots: list[tuple[int, int]] = []
    for widget, left, y, text in _widget_lines(app):
        x = text.find(needle)
        point = (left + x, y)
        if x >= 0 and app.screen.region.contains(*point) and app.screen.get_widget_at(*point)[0] is widget:
            spots.append(point)
    for x, y in spots:
        await pilot.click(offset=(x + 1, y))
        await pilot.pause()
        assert app.is_running, f"clicking {needle!r} at {(x, y)} quit the app"
    return len(spots)


def palette(app: App) -> list[str]:
    """The entries the open command palette lists, as text."""
    from textual.command import CommandList

    return [_plain(option.prompt) for option in app.screen.query_one(CommandList).options]


def _plain(visual: object) -> str:
    if isinstance(visual, Content | Text):
        return visual.plain
    return str(visual)


async def run_command(pilot: Pilot, name: str) -> None:
    """Run a command palette entry by typing its name and pressing Enter."""
    await pilot.press("ctrl+p", *name)
    await settle(pilot)  # the palette gathers its hits in a worker
    await pilot.press("enter")
    await settle(pilot)
