"""Open an article's link in the browser or send it to the clipboard: the ``o`` and ``y``
of the reader and of the library, one implementation for both.

Only http(s) links are ever opened or copied (a ``file:`` or ``javascript:`` URL in an
imported article stays text); an article without a link says so instead of doing
nothing. The browser is started in a thread: ``webbrowser.open`` can block for seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.body import is_web_url
from reader.tui.clipboard import send_to_clipboard
from reader.tui.format import quoted
from reader.tui.keys import key_label

if TYPE_CHECKING:
    from reader.tui.screens.base import ReaderScreen

NO_LINK = "This article has no link to open or copy."


def open_link(screen: ReaderScreen, url: str) -> None:
    """``o``: open ``url`` in the browser, or say why not."""
    app = screen.app
    if not url:
        app.say(NO_LINK)
        return
    if not is_web_url(url):
        app.say(f"Not opening {quoted(url)}: only http and https links are opened.", severity="warning")
        return
    app.say(f"Opening {url} in your browser…")
    copy = key_label(screen, "copy_link")

    def start() -> None:
        import webbrowser  # here, not at the top: its import is 0.7 ms of every start

        try:
            opened = webbrowser.open(url)
        except Exception:  # a broken browser setup is the user's environment, not a crash
            opened = False
        if not opened:
            app.call_from_thread(app.say, f"No web browser could be started. Press {copy} to copy the link instead.", severity="warning")

    app.run_worker(start, thread=True, group="browser", exit_on_error=False)


def copy_link(screen: ReaderScreen, url: str, *, shown_where: str) -> None:
    """``y``: send ``url`` to the clipboard, or say why not; ``shown_where`` says where
    the link can be read when the terminal drops it."""
    app = screen.app
    if not url:
        app.say(NO_LINK)
        return
    if not is_web_url(url):
        app.say(f"Not copying {quoted(url)}: only http and https links are offered.", severity="warning")
        return
    send_to_clipboard(app, url, "the link", otherwise=f"The link is {shown_where}.")
