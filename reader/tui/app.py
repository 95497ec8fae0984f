"""The Textual app: settings, global keys, long-running work and messages to the user.

The app owns the :class:`~reader.library.Library` and the things every screen shares:

* :meth:`ReaderApp.run_task` runs long work (import, reindex, export, first-run
  samples, index repair) in a thread worker, shows its progress on every screen's task
  bar, and turns failures into notifications: never a traceback.
* :meth:`ReaderApp.set_article_flag` is the one way a bookmark or read flag changes: the
  library screen shows it at once and :class:`~reader.tui.state.StateWriter` saves it.
* :meth:`ReaderApp.say` is the one way to notify, with markup off, because messages
  quote file names, queries and titles.
* every two seconds a worker asks the library whether another process changed it
  (``reader import`` in another terminal); if so it brings the search index up to date
  (an import killed halfway in another process is repaired) and the list reloads.
* a read-only library is said once at start; the app then writes nothing on its own
  (read marks, scroll positions, remembered choices) and ``b``/``u`` say why nothing changes.
* the theme picked in the palette and the reading width set with ``<``/``>`` are
  remembered in the library (:meth:`~reader.library.Library.set_preference`) and restored
  on the next start. Precedence: a value set in config.toml wins, then the remembered
  choice, then the default.
"""

from __future__ import annotations

import logging
import weakref
from collections import deque
from collections.abc import Callable, Iterable
from time import monotonic
from typing import Any

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.signal import Signal
from textual.timer import Timer

from reader.config import MAX_READING_WIDTH, MIN_READING_WIDTH, Config
from reader.errors import ReaderError
from reader.library import Library, Progress
from reader.model import ArticleFlag
from reader.paths import styles_dir
from reader.text import clean_line, strip_unsafe
from reader.tui.commands import ArticleCommands, BookmarkCommands, ReaderCommands
from reader.tui.keymap import binding_source
from reader.tui.keys import KEYS_HELD_AT_MOST
from reader.tui.messages import FlagChanged, ReloadLibrary, ToLibrary
from reader.tui.screens.library import LibraryScreen
from reader.tui.screens.palette import OrderedPalette
from reader.tui.state import PREFERENCE, StateWriter, Unsaved
from reader.tui.widgets.sources import FeedCommands, fetch_full_text, start_background_updates
from reader.tui.widgets.task_bar import TaskState
from reader.tui.wording import error_sentence

log = logging.getLogger(__name__)

STYLESHEETS = ("app.tcss", "library.tcss", "article.tcss", "help.tcss", "prompt.tcss", "widgets.tcss")
POLL_SECONDS = 2.0
READ_ONLY_REPEAT = 5.0  # seconds within which pressing b/u again does not repeat the notice
THEME_PREFERENCE = "ui.theme"
WIDTH_PREFERENCE = "ui.reading_width"
QUIT_GRACE = 0.3  # seconds quitting waits for pending writes before showing the countdown
_PROGRESS_INTERVAL = 0.1  # seconds between progress updates sent to the screen


class TaskProgress(Message):
    def __init__(self, state: TaskState) -> None:
        super().__init__()
        self.state = state


class TaskDone(Message):
    def __init__(self, on_done: Callable[[Any], None] | None, result: Any, error: str | None) -> None:
        super().__init__()
        self.on_done = on_done
        self.result = result
        self.error = error


class StateStatus(Message):
    """From the state writer: changes that failed and are not saved yet, and those saved now."""

    def __init__(self, unsaved: list[Unsaved], saved_now: list[Unsaved]) -> None:
        super().__init__()
        self.unsaved = unsaved
        self.saved_now = saved_now


class LibraryReplaced(Message):
    """The database file this app opened is no longer the one at the library's path."""


class LibraryChanged(Message):
    """Another process committed to the library (and the index has caught up with it)."""


@binding_source('Everywhere')
class ReaderApp(App[int]):
    """Reader's terminal app. Build it with :func:`reader.tui.make_app`."""

    TITLE = "Reader"
    CSS_PATH = [styles_dir() / name for name in STYLESHEETS]
    COMMANDS = App.COMMANDS | {ReaderCommands, ArticleCommands, BookmarkCommands, FeedCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit_app"),
        # Textual's ctrl+c only says how to quit; here it copies the text selected with the
        # mouse, and quits when nothing is selected (on the quit screen, at once).
        Binding("ctrl+c", "copy_or_quit", "Copy the selected text, or quit", show=False, priority=True, id="copy_or_quit"),
        Binding("F", "full_text", "Fetch the full text (or a card's page)", show=False, id="full_text"),
    ]

    reading_width: reactive[int] = reactive(80, init=False)

    def __init__(self, library: Library, config: Config) -> None:
        super().__init__()
        self.library = library
        self.config = config
        self.set_reactive(ReaderApp.reading_width, self._initial_reading_width())
        self.task_signal: Signal[TaskState | None] = Signal(self, "task")
        self.current_task: TaskState | None = None
        self._held_keys: deque[events.Key] = deque()  # typed and not yet given out: _give_keys
        self.holding_until_ready = False
        """True while the keys wait for the screen on top to be ready for them: one just
        pushed, or the one the palette's Enter leads to (:meth:`hold_keys_until_ready`)."""
        self._hold_ends: Timer | None = None
        self._ready_screens: weakref.WeakSet[Screen] = weakref.WeakSet()  # see _takes_keys
        self._key_in_flight: float | None = None  # when the key being handled was given out
        self._stall_check: Timer | None = None  # see _give_keys
        self._waiting_task: tuple[str, Callable[[Progress], Any], Callable[[Any], None] | None] | None = None
        self.writer = StateWriter(library, self._state_status, self._title_of)
        self.unsaved_at_exit: list[Unsaved] = []  # what quitting left unsaved, said after the app ends
        self._unsaved_told: frozenset[tuple[str, str]] = frozenset()
        self._replaced_told = False
        self._library_screen = LibraryScreen()
        self._read_only_told = -READ_ONLY_REPEAT

    # -- start and stop ----------------------------------------------------------------

    def get_default_screen(self) -> LibraryScreen:
        return self._library_screen

    @on(ToLibrary)  # and every subclass: Textual matches decorated handlers along the message's MRO
    def _to_library(self, message: ToLibrary) -> None:
        """Hand a message for the library screen to it (see reader.tui.messages)."""
        self._library_screen.post_message(message)

    def on_mount(self) -> None:
        self._apply_config()
        # Watched only now: the theme and width applied at start are not choices to save.
        self.watch(self, "theme", self._remember_theme, init=False)
        self.watch(self, "reading_width", self._remember_width, init=False)
        if self.library.disk_full:
            self.say(
                f"The disk holding the library ({self.library.data_dir}) is full: reading, searching and "
                "export work, but bookmarks, read marks, imports and settings made here are not saved "
                "until there is space again.",
                severity="error",
                timeout=15,
            )
        elif self.library.read_only:
            self.say(
                "This library is read-only: reading and searching work, but bookmarks, read marks, "
                f"imports and settings made here are not saved ({self.library.data_dir}).",
                severity="warning",
                timeout=10,
            )
        self.set_interval(POLL_SECONDS, self.poll_changes)
        start_background_updates(self)

    def on_unmount(self) -> None:
        # Quitting waited (with a countdown) for pending writes; what is left is said by run().
        self.unsaved_at_exit = self.writer.stop()
        self.library.close()

    async def action_quit(self) -> None:
        """Quit once every change is on disk; otherwise a countdown that says what would be lost.

        Pressed again on the countdown screen (q, ctrl+q or ctrl+c), it quits at once.
        """
        from reader.tui.screens.quit import QuitScreen

        if isinstance(self.screen, QuitScreen) or not self.writer.wait(QUIT_GRACE):
            self.exit()
        else:
            self.push_screen(QuitScreen(self.writer))

    async def action_copy_or_quit(self) -> None:
        """ctrl+c: the mouse's selection to the clipboard (Screen.get_selected_text), or quit."""
        from reader.tui.clipboard import send_to_clipboard

        selected = self.screen.get_selected_text()
        if selected:
            send_to_clipboard(self, selected, "the selected text")
            self.screen.clear_selection()
        else:
            await self.action_quit()

    def _apply_config(self) -> None:
        """Theme and keymap from config.toml; each problem is one warning, never a crash."""
        problems = list(self.config.problems)
        theme = self.config.theme
        if theme and theme not in self.available_themes:
            problems.append(f"theme: unknown theme {theme!r}; try one from the palette's Theme command")
            theme = None
        # config.toml wins; otherwise the theme last picked in the palette, if it still exists
        theme = theme or self._preference(THEME_PREFERENCE)
        if theme in self.available_themes:
            self.theme = theme
        if self.config.keys:  # the help module imports every screen: only when needed
            from reader.tui.screens.help import binding_ids

            known = binding_ids()
            keys = {binding_id: key for binding_id, key in self.config.keys.items() if binding_id in known}
            problems += [f"[keys] {unknown}: no such binding id (see ? for the ids)" for unknown in self.config.keys.keys() - known]
            self.set_keymap(keys)
        if problems:
            where = self.config.path.name if self.config.path else "config.toml"
            self.say(f"Problems in {where}, defaults used:\n" + "\n".join(problems), severity="warning", timeout=12)

    # -- remembered choices ------------------------------------------------------------

    def _preference(self, key: str) -> str | None:
        try:
            return self.library.preference(key)
        except ReaderError:
            return None

    def _initial_reading_width(self) -> int:
        """config.toml's reading_width when set there, else the width last chosen with < and >."""
        if "reading_width" not in self.config.explicit:
            saved = self._preference(WIDTH_PREFERENCE)
            if saved and saved.isdigit():
                return self.clamp_reading_width(int(saved))
        return self.config.reading_width

    def _remember(self, key: str, value: str) -> None:
        if not self.library.read_only:
            self.writer.set(key, PREFERENCE, value)

    def _remember_theme(self, theme: str) -> None:
        self._remember(THEME_PREFERENCE, theme)

    def _remember_width(self, width: int) -> None:
        self._remember(WIDTH_PREFERENCE, str(width))

    # -- messages to the user ----------------------------------------------------------

    def say(self, message: str, *, severity: str = "information", timeout: float | None = None) -> None:
        """Notify cleaned and without parsing markup: messages quote untrusted names and text.

        File names come from the file system, not from an import's cleaning: a name can hold
        an OSC 52 or clear-screen sequence, which must reach the terminal as nothing.
        """
        self.notify(strip_unsafe(message), severity=severity, timeout=timeout, markup=False)  # type: ignore[arg-type]

    # -- state writes that failed -------------------------------------------------------

    def _title_of(self, article_id: str) -> str:
        """The title a "not saved" message names (called in the writer thread)."""
        return self.library.get(article_id).title

    def _state_status(self, unsaved: list[Unsaved], saved_now: list[Unsaved]) -> None:
        # In the writer thread: post_message is thread-safe and never waits for this thread.
        self.post_message(StateStatus(unsaved, saved_now))

    def on_state_status(self, message: StateStatus) -> None:
        """Say which changes are not saved yet (once per new set), and when they are."""
        keys = frozenset((u.article_id, u.what) for u in message.unsaved)
        if message.unsaved and keys != self._unsaved_told:
            reason = message.unsaved[-1].reason
            self.say(
                f"Not saved yet, retrying ({reason}): " + "; ".join(u.describe() for u in message.unsaved),
                severity="error",
                timeout=10,
            )
        self._unsaved_told = keys
        if message.saved_now and not message.unsaved:
            self.say("Saved now: " + "; ".join(u.describe() for u in message.saved_now))

    # -- shared state ------------------------------------------------------------------

    def set_article_flag(self, article_id: str, flag: ArticleFlag, value: bool, *, automatic: bool = False) -> bool:
        """Change a bookmark or read flag: shown at once, saved in the background.

        In a read-only library nothing changes and False is returned; a key press
        (not ``automatic``, like the read mark of opening an article) is told why.
        """
        if self.library.read_only:
            if not automatic:
                self.tell_read_only()
            return False
        self.writer.set(article_id, flag, value)
        self._library_screen.post_message(FlagChanged(article_id, flag, value))
        return True

    def tell_read_only(self) -> None:
        """Say that a change cannot be saved; not again while the last notice is still fresh."""
        now = monotonic()
        if now - self._read_only_told >= READ_ONLY_REPEAT:
            self._read_only_told = now
            why = "The disk holding the library is full" if self.library.disk_full else "The library is read-only"
            self.say(f"{why}: this change cannot be saved.", severity="warning", timeout=READ_ONLY_REPEAT)

    def clamp_reading_width(self, width: int) -> int:
        return max(MIN_READING_WIDTH, min(MAX_READING_WIDTH, width))

    # -- keys typed while a screen is not ready for them -------------------------------

    async def on_event(self, event: events.Event) -> None:
        """A key typed while the screen shown says ``holding_keys`` waits, so that it
        reaches the screen the person will see next, where they meant it: a prompt
        answering its Enter (reader/tui/screens/ordered_prompt.py), the search box's Enter
        before the results came, a reader placing its view (screens/library.py and
        screens/article.py). Each of them calls :meth:`release_keys`.

        Every other key waits for the one before it: Textual hands a key to the focused
        widget's queue and takes the next at once, and a key's binding runs only when the
        key has bubbled up to the app, so the keys after one that opens a prompt reached
        the screen below it ("t urgent" in one write opened the tag prompt and lost the
        letters). A key is given out once the one before has been handled all the way up
        (:meth:`_follow_key`) and the screen on top can take keys (:meth:`_takes_keys`)."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._held_keys.append(event)
            await self._give_keys()
            return
        await super().on_event(event)

    async def _give_keys(self) -> None:
        """Give out the keys waiting, in the order typed, one at a time: each once the one
        before has been handled, while no screen holds them and the screen on top takes
        keys. Each is given as Textual gives a key (App.on_event: the priority bindings,
        else the focused widget); the event itself, never a copy, which would carry the
        releasing screen as its sender, and Textual bubbles no message back to its sender."""
        held = self._held_keys
        while held:
            if self._key_in_flight is not None:
                if monotonic() - self._key_in_flight < KEYS_HELD_AT_MOST:
                    if self._stall_check is None:  # in case its way up is lost: look again then
                        self._stall_check = self.set_timer(KEYS_HELD_AT_MOST, self._look_again)
                    return  # _key_done gives the next
                self._key_in_flight = None  # its way up was lost (a widget removed meanwhile)
            if self.holding_until_ready or getattr(self.screen, "holding_keys", False):
                return  # the holder calls release_keys
            if not self._takes_keys(self.screen):
                self.hold_keys_until_ready()
                self.release_keys_when_ready()
                return
            event = held.popleft()
            target = self.focused or self.screen  # where Textual gives the key
            self._key_in_flight = monotonic()
            await super().on_event(event)
            self._follow_key(target)

    def _follow_key(self, node: DOMNode | None) -> None:
        """Wait, queue by queue up to the app, until the key given to ``node`` has been
        handled: a callback queued behind it in each node runs after the node has passed
        the key on (or stopped it), so the last one, the app's, comes after its bindings."""
        while node is not None and node is not self:
            if node.call_later(self._follow_key, node.parent):
                return
            node = node.parent  # closing: it will not pass anything on
        self.call_later(self._key_done)

    def _look_again(self) -> None:
        self._stall_check = None
        self.release_keys()

    def _key_done(self) -> None:
        self._key_in_flight = None
        if self._held_keys:
            self.release_keys()

    def _takes_keys(self, screen: Screen) -> bool:
        """Whether ``screen`` can take keys: mounted, and focused if anything in it can be.
        Asked once per screen until it is (then remembered): a screen whose focus goes
        away later (a click on its background) still takes its keys."""
        if screen in self._ready_screens:
            return True
        if screen.is_mounted and (screen.focused is not None or not screen.focus_chain):
            self._ready_screens.add(screen)
            return True
        return False

    def hold_keys_until_ready(self) -> None:
        """Hold the keys typed from now on, whatever screen is shown, until
        :meth:`release_keys_when_ready` finds the screen on top ready for them, or
        :data:`~reader.tui.keys.KEYS_HELD_AT_MOST` seconds have passed."""
        self.holding_until_ready = True
        if self._hold_ends is not None:
            self._hold_ends.stop()
        self._hold_ends = self.set_timer(KEYS_HELD_AT_MOST, self._end_hold)

    def _end_hold(self) -> None:
        self._ready_screens.add(self.screen)  # ready or not: after KEYS_HELD_AT_MOST, it gets its keys
        if self._hold_ends is not None:
            self._hold_ends.stop()
            self._hold_ends = None
        if self.holding_until_ready:
            self.holding_until_ready = False
            self.release_keys()

    def release_keys_when_ready(self) -> None:
        """Release the keys held by :attr:`holding_until_ready` once the screen on top
        can take them: mounted, and focused if anything in it can be (a prompt pushed by
        a command focuses its box only when it is shown); the hold's timer ends it
        otherwise. Asked when the palette has closed (its command is queued before
        this) or has kept the Enter's keys."""
        self.call_later(self._release_when_ready)

    def on_command_palette_closed(self, event: CommandPalette.Closed) -> None:
        if self.holding_until_ready:
            self.release_keys_when_ready()  # queued after the command the palette chose

    def _release_when_ready(self) -> None:
        if not self.holding_until_ready:
            return
        if self._takes_keys(self.screen):
            self._end_hold()
        else:
            self.set_timer(0.01, self._release_when_ready)

    def release_keys(self) -> None:
        """Give out the keys held (:meth:`_give_keys`), once the app's queue reaches this:
        called by whatever held them (a screen's ``holding_keys`` ended, a hold here)."""
        self.call_later(self._give_keys)

    # -- long work ---------------------------------------------------------------------

    def run_task(
        self,
        label: str,
        job: Callable[[Progress], Any],
        on_done: Callable[[Any], None] | None = None,
        *,
        quiet: bool = False,
    ) -> bool:
        """Run ``job(progress)`` in a thread with a progress bar; False if a task is already running.

        A task a person asked for while a quiet one runs (the index check at start) waits
        for it and then starts, shown as waiting: the person never sees a task they did not
        start refuse theirs. Only one waits; beyond that, the person is asked to wait."""
        label = clean_line(label)  # labels quote file names
        current = self.current_task
        if current is not None:
            if current.quiet and not quiet and self._waiting_task is None:
                self._waiting_task = (label, job, on_done)
                self._show_task(TaskState(f"{label} (after “{current.label}”)"))
                return True
            self.say(f"Please wait until “{current.label}” has finished.", severity="warning")
            return False
        self._start_task(label, job, on_done, quiet)
        return True

    def _start_task(self, label: str, job: Callable[[Progress], Any], on_done: Callable[[Any], None] | None, quiet: bool) -> None:
        self._show_task(TaskState(label, quiet=quiet))
        self.run_worker(lambda: self._task_body(label, job, on_done, quiet), thread=True, group="task", exit_on_error=False)

    def _task_body(self, label: str, job: Callable[[Progress], Any], on_done: Callable[[Any], None] | None, quiet: bool) -> None:
        last = 0.0

        def progress(done: int, total: int, stage: str | None = None) -> None:
            nonlocal last
            now = monotonic()
            if now - last >= _PROGRESS_INTERVAL or done >= total:
                last = now
                shown = f"{label}: {stage.lower()}" if stage else label
                self.post_message(TaskProgress(TaskState(shown, done, total, quiet)))

        try:
            result = job(progress)
        except ReaderError as exc:
            saved = f" {exc.saved[:1].upper()}{exc.saved[1:]}." if exc.saved else ""
            self.post_message(TaskDone(None, None, f"{label} failed: {error_sentence(exc)}{saved}"))
        except Exception as exc:  # a bug must still not show a traceback
            log.exception("task %r failed", label)
            self.post_message(TaskDone(None, None, f"{label} failed unexpectedly: {type(exc).__name__}: {exc}"))
        else:
            self.post_message(TaskDone(on_done, result, None))

    def on_task_progress(self, message: TaskProgress) -> None:
        if self.current_task is not None and self._waiting_task is None:  # else the bar names the waiting one
            self._show_task(message.state)

    def on_task_done(self, message: TaskDone) -> None:
        if not self.is_running:
            # Quitting: the screens a callback would update are being taken down (a
            # start-up index check that ended then failed with NoMatches in a test run).
            return
        self._show_task(None)
        if message.error:
            self.say(message.error, severity="error", timeout=10)
        elif message.on_done is not None:
            message.on_done(message.result)
        waiting = self._waiting_task
        if waiting is not None and self.current_task is None:  # else it waits for the task on_done began
            self._waiting_task = None
            self._start_task(*waiting, quiet=False)

    def _show_task(self, state: TaskState | None) -> None:
        self.current_task = state
        self.task_signal.publish(state)

    # -- other processes ---------------------------------------------------------------

    def poll_changes(self) -> None:
        """Ask, in a worker, whether another process changed the library, and catch up if so.

        Runs every POLL_SECONDS; public so that a test can ask now instead of waiting."""
        self.run_worker(self._check_changes, thread=True, group="poll", exclusive=True, exit_on_error=False)

    def _check_changes(self) -> None:
        if not self._replaced_told and self.library.replaced():
            self._replaced_told = True
            self.post_message(LibraryReplaced())
        try:
            if not self.library.changed_elsewhere():
                return
        except ReaderError:
            return  # busy or briefly unavailable: the next poll asks again
        try:
            # Catch up with what the other process stored; this also repairs an import
            # killed there between its store commit and its index commit.
            self.library.sync_index()
        except ReaderError as exc:
            log.warning("index sync after an outside change failed: %s", exc)
        self.post_message(LibraryChanged())

    def on_library_changed(self) -> None:
        self._library_screen.post_message(ReloadLibrary())

    def on_library_replaced(self) -> None:
        self.say(
            f"The library database {self.library.data_dir} was replaced or removed by another program while "
            "Reader had it open: changes made now go to the old file. Quit and start Reader again to open the new one.",
            severity="error",
            timeout=30,
        )

    # -- the palette's own commands ----------------------------------------------------

    # Textual's "Keys" panel (Escape does not close it; ? shows every key) and
    # "Screenshot" (saves an SVG somewhere, and fails without a reason) are not for readers.
    HIDDEN_SYSTEM_COMMANDS = frozenset({"Keys", "Screenshot"})

    def action_command_palette(self) -> None:
        """Textual's palette with an Enter that waits for the commands found for what
        was typed (reader/tui/screens/palette.py)."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(OrderedPalette(id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title not in self.HIDDEN_SYSTEM_COMMANDS:
                yield command

    # -- actions -----------------------------------------------------------------------

    def action_full_text(self) -> None:
        fetch_full_text(self)

    def action_help(self) -> None:
        from reader.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())
