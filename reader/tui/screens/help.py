"""The help screen, generated from the bindings so it cannot drift from what the keys do.

Each row shows the key(s) as currently mapped (config.toml ``[keys]`` included), what
the key does, and the binding id to use in config.toml. The search syntax follows.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import Footer, Static

from reader.query_syntax import SEARCH_SYNTAX
from reader.tui.keymap import SECTIONS, binding_source, binding_sources
from reader.tui.screens.base import ReaderScreen
from reader.tui.widgets.page_scroll import PageScroll


def binding_sections() -> list[tuple[str, list[Binding]]]:
    """Every binding of the app, grouped the way a user meets them (see reader.tui.keymap):
    in each section the app's keys first, then the screens', then the widgets'."""
    from textual.app import App
    from textual.screen import Screen

    sources = binding_sources()
    first = {"Everywhere": [Binding(App.COMMAND_PALETTE_BINDING, "command_palette", "Command palette")]}
    last = {  # keys the search box handles itself rather than through BINDINGS, and the mouse
        "Reading": [Binding("mouse drag", "", "Select text: ctrl+c copies it, h highlights it (whole words)")],
        "Search box": [Binding("escape", "", "Clear, back to the list")],
    }

    def rank(cls: type) -> int:
        return 0 if issubclass(cls, App) else 1 if issubclass(cls, Screen) else 2

    sections = []
    for section in SECTIONS:
        classes = sorted((cls for cls, where in sources.items() if where == section), key=rank)
        found = [b for cls in classes for b in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])) if b.description]
        sections.append((section, [*first.get(section, []), *found, *last.get(section, [])]))
    return sections


def binding_ids() -> set[str]:
    """The ids config.toml's ``[keys]`` may remap."""
    return {b.id for _, section in binding_sections() for b in section if b.id}


def _merge(section: list[Binding]) -> list[tuple[Binding, list[str]]]:
    """One row per binding id (``down,j`` was split in two by make_bindings), keys in order."""
    rows: dict[object, tuple[Binding, list[str]]] = {}
    for binding in section:
        key = binding.id or (binding.action, binding.description)
        keys = rows.setdefault(key, (binding, []))[1]
        if binding.key not in keys:  # one id may bind a key twice (the library's footer keys)
            keys.append(binding.key)
    return list(rows.values())


@binding_source('Everywhere')
class HelpScreen(ReaderScreen[None]):
    """Every key, its binding id, and the search syntax; two columns when wide."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        Binding("escape,q,question_mark", "app.pop_screen", "Close help", id="close_help"),
        Binding("down,j", "scroll(1)", "Scroll down", show=False, id="help_down"),
        Binding("up,k", "scroll(-1)", "Scroll up", show=False, id="help_up"),
        Binding("pagedown,space", "scroll(20)", "Page down", show=False, id="help_page_down"),
        Binding("pageup", "scroll(-20)", "Page up", show=False, id="help_page_up"),
        Binding("end,G", "scroll(10000)", "Bottom", show=False, id="help_bottom"),
        Binding("home,g", "scroll(-10000)", "Top", show=False, id="help_top"),
    ]

    def compose(self) -> ComposeResult:
        sections = [(title, self._table(section)) for title, section in binding_sections()]
        sections[3:3] = [("Search syntax", self._syntax())]  # beside "Search box" in two columns
        sections.append(("Settings", self._settings()))
        with PageScroll(id="help-scroll"):
            yield Static(Content("Reader — every key, and the search syntax"), classes="help-title")
            # The list's marks, and that this page scrolls: its lower part is below the fold at 80x24.
            yield Static(
                Content.assemble(("•", "bold"), " unread   ", ("★", "bold"), " bookmarked   ", ("j/k, space, PgUp/PgDn scroll this page; q closes it", "dim")),
                id="help-legend",
            )
            with Grid(id="help-grid"):
                for title, content in sections:
                    with Vertical(classes="help-section"):
                        yield Static(Content(title), classes="help-heading")
                        yield Static(content, classes="help-text" if title == "Settings" else "help-table", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def _keys(self, binding: Binding, keys: list[str]) -> str:
        """The keys as a person reads them, after any remapping in config.toml."""
        configured = self.app.config.keys.get(binding.id or "")
        if configured:
            keys = configured.split(",")
        return " / ".join(self.app.get_key_display(Binding(k.strip(), "")) for k in keys)

    def _table(self, section: list[Binding]) -> Content:
        rows = [(self._keys(b, keys), b.description, b.id or "") for b, keys in _merge(section)]
        width = max(len(r[0]) for r in rows) + 2
        described = max(len(r[1]) for r in rows) + 2
        lines = [
            Content.assemble((keys.ljust(width), "bold"), description.ljust(described), (binding_id, "dim"))
            for keys, description, binding_id in rows
        ]
        return Content("\n").join(lines)

    @staticmethod
    def _syntax() -> Content:
        width = max(len(q) for q, _ in SEARCH_SYNTAX) + 2
        return Content("\n").join(Content.assemble((q.ljust(width), "bold"), d) for q, d in SEARCH_SYNTAX)

    def _settings(self) -> Content:
        path = self.app.config.path
        return Content.assemble(
            "Keys, theme and reading width are read from\n",
            (str(path) if path else "config.toml", "bold"),
            ", for example:\n\n",
            ('  theme = "nord"\n  reading_width = 80\n\n  [keys]\n  bookmark = "m"     # a binding id (dim column)\n  search = "/,s"     # several keys: comma-separated', "dim"),
            "\n\nThe theme picked in the palette (ctrl+p, Theme) and the reading width set with < and >\n"
            "are remembered in the library for the next start; a value set in config.toml wins.",
        )

    def action_scroll(self, lines: int) -> None:
        self.query_one("#help-scroll", PageScroll).scroll_relative(y=lines, animate=False)
