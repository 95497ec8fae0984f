"""The key a person presses for a binding, as mapped now: for hints written in sentences.

The footer and the help screen follow ``[keys]`` in config.toml by themselves; a hint in
a status line ("☆ Not bookmarked (b)", "n next, N previous") must ask, or it names a key
that no longer does the thing after a remap.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.dom import DOMNode

KEYS_HELD_AT_MOST = 3.0
"""Seconds the app holds keys typed while a screen is not ready for them (a search's
Enter waiting for its top hit, a reader placing its view; ReaderApp.on_event), at most:
after that they are given to the screen shown, so that nothing swallows the keyboard."""


def binding_keys(node: DOMNode, binding_id: str) -> list[str]:
    """The keys bound to ``binding_id`` on ``node``'s class (or the app's), after remapping."""
    app = node.app
    configured = getattr(app, "config", None)
    remapped = configured.keys.get(binding_id) if configured is not None else None
    if remapped:
        return [key.strip() for key in remapped.split(",") if key.strip()]
    for owner in (type(node), type(app)):
        for binding in Binding.make_bindings(getattr(owner, "BINDINGS", [])):
            if binding.id == binding_id:
                return [key.strip() for key in binding.key.split(",")]
    raise KeyError(binding_id)


def key_label(node: DOMNode, binding_id: str) -> str:
    """The first key of ``binding_id`` as a sentence names it ("?", "b", "^d", "Tab", "Escape")."""
    shown = node.app.get_key_display(Binding(binding_keys(node, binding_id)[0], ""))
    if shown == "esc":
        return "Escape"
    return shown.capitalize() if len(shown) > 1 and shown.isalpha() else shown
