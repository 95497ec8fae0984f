"""Text sent to the clipboard, and the one sentence that says so.

Textual's :meth:`~textual.app.App.copy_to_clipboard` writes an OSC 52 sequence: the
terminal may store the text or drop it without a word (many do, or cap its length), and
nothing comes back to say which. So no message here says "copied": each says what was
*sent*, how long it was, and what to do if pasting gives nothing. Every copy of the app
(a link with ``y``, the article with ``c``/``C``, a mouse selection with ctrl+c) goes
through :func:`send_to_clipboard`.
"""

from __future__ import annotations

from textual.app import App

from reader.tui.format import plural


def send_to_clipboard(app: App, text: str, what: str, *, otherwise: str = "") -> None:
    """Send ``text`` to the terminal's clipboard and say so honestly.

    ``what`` names it ("the link", "the article as Markdown"); ``otherwise`` says where
    else the text can be found when the terminal did not take it.
    """
    app.copy_to_clipboard(text)
    fallback = f" {otherwise}" if otherwise else ""
    message = (
        f"Sent {what} ({plural(len(text), 'character')}) to the terminal's clipboard. "
        f"If pasting gives nothing, your terminal does not accept it.{fallback}"
    )
    app.notify(message, markup=False)  # no untrusted text in it, but never markup
