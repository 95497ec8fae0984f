"""House rules that keep the app fast, remappable and documented."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from textual.binding import Binding

from reader.tui.keymap import binding_sources
from reader.tui.screens.help import binding_sections


def _all_binding_classes():
    """Every class of reader.tui that declares key bindings, found by walking the package
    (not a hand-written list), each of which must be in the registry."""
    import inspect

    sources = binding_sources()  # imports every module of reader.tui
    found = [
        cls for name, module in sorted(sys.modules.items()) if name.startswith("reader.tui")
        for cls in vars(module).values()
        if inspect.isclass(cls) and cls.__module__ == name and cls.__dict__.get("BINDINGS")
    ]
    missing = [cls.__name__ for cls in found if cls not in sources]
    assert not missing, f"not registered with reader.tui.keymap.binding_source: {missing}"
    return found


def test_every_binding_has_a_description_and_an_id():
    for cls in _all_binding_classes():
        bindings = list(Binding.make_bindings(cls.__dict__.get("BINDINGS", [])))
        assert bindings, cls
        for binding in bindings:
            assert binding.description and binding.id, (cls.__name__, binding)
        ids = {b.id for b in bindings}
        # an action's name, not its parameters: the library binds s and U twice under one
        # id, the footer's binding marked by a parameter (one shown where it fits)
        actions = {(b.id, b.action.split("(")[0]) for b in bindings}
        assert len(ids) == len(actions), f"{cls.__name__}: one id names two actions"


def test_the_help_screen_lists_every_binding():
    listed = {b.id for _, section in binding_sections() for b in section if b.id}
    for cls in _all_binding_classes():
        if binding_sources()[cls] is None:
            continue  # a dialog that shows its own keys
        for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
            assert binding.id in listed, (cls.__name__, binding.id)


def test_the_first_frame_needs_neither_whoosh_nor_the_importers(library_dir):
    """The list comes from the store; the index and the importers load later, lazily."""
    script = textwrap.dedent(
        f"""
        import asyncio, sys
        from reader.tui import make_app
        from reader.config import Config
        import reader.tui.screens.library as library_module

        # The index check is timed to start a second after the start; on a busy machine the
        # first frame can take longer, and what it loaded is what this test asks about.
        library_module.INDEX_CHECK_DELAY = 600

        async def main():
            app = make_app({str(library_dir)!r}, Config())
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                assert app.screen.article_list.entries, "no titles"
                # And none of what only some keys need (a browser, a progress bar, the
                # keymap's walk over every screen module).
                lazy = ("whoosh", "reader.search", "reader.importers", "webbrowser", "pkgutil", "textual.widgets._progress_bar")
                loaded = [m for m in lazy if m in sys.modules]
                assert not loaded, loaded

        asyncio.run(main())
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]



def test_messages_for_the_library_screen_do_not_bubble():
    """The app hands them to the library screen, whose parent is the app: a bubbling one
    would go round forever."""
    from reader.tui import messages

    kinds = [k for k in vars(messages).values() if isinstance(k, type) and issubclass(k, messages.ToLibrary)]
    assert len(kinds) >= 6
    assert not [k.__name__ for k in kinds if k.bubble]


async def test_app_tests_run_with_a_steady_cursor(make_test_app):
    from textual.widgets import Input

    async with make_test_app().run_test(size=(120, 40)) as pilot:
        boxes = list(pilot.app.query(Input))
        assert boxes and not any(box.cursor_blink for box in boxes)


async def test_every_text_box_of_an_app_test_has_a_steady_cursor(make_test_app):
    """The conftest fixture `_no_cursor_blink` reaches every Input the app makes (the search
    box, the palette's, the path prompt's): a blinking cursor makes two looks at the same
    screen differ, and snapshots fail by chance."""
    from textual.widgets import Input

    from .helpers import run_command, settle

    async with make_test_app().run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        boxes = list(pilot.app.screen.query(Input))
        await pilot.press("ctrl+p")
        await settle(pilot)
        boxes += pilot.app.screen.query(Input)
        await pilot.press("escape")
        await run_command(pilot, "import")
        boxes += pilot.app.screen.query(Input)
        assert len(boxes) >= 3
        assert [box for box in boxes if box.cursor_blink] == []
