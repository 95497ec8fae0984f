"""The user's settings: ``config.toml`` in the config directory (see :mod:`reader.paths`).

    theme = "nord"            # any theme the command palette's "Theme" command lists
    reading_width = 80        # columns of the reading column (40-200)
    update_interval = 30      # minutes between the app's background feed updates (off when unset)

    [keys]                    # binding id = key(s); ids are listed on the help screen (?)
    bookmark = "m"
    search = "/,s"

The theme picked in the app's palette and the reading width changed with ``<``/``>`` are
remembered in the library (see :meth:`reader.library.Library.preference`); a setting
made here wins over the remembered choice, which wins over the default. ``Config.explicit``
names the settings the file sets, so the app can tell "80 by default" from "80 by choice".

A broken file never stops Reader: each problem becomes one line in
:attr:`Config.problems` (the app shows them as a notification) and the affected setting
keeps its default. No Textual import here, so the settings can be read and tested
headless; the app checks theme names and binding ids, which only it knows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader import paths
from reader.text import clean_line

FILE_NAME = "config.toml"
DEFAULT_READING_WIDTH = 80
MIN_READING_WIDTH = 40
MAX_READING_WIDTH = 200


@dataclass(frozen=True)
class Config:
    """Settings with their defaults; ``problems`` says what was wrong in the file."""

    keys: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    reading_width: int = DEFAULT_READING_WIDTH
    problems: tuple[str, ...] = ()
    path: Path | None = None
    explicit: frozenset[str] = frozenset()  # "theme", "reading_width": set (validly) in the file
    update_interval: int | None = None  # minutes; None: no background updates


def config_path() -> Path:
    return paths.config_dir() / FILE_NAME


def load_config(path: Path | None = None) -> Config:
    """Read the config file; a missing file is the defaults, a bad one is defaults plus problems."""
    path = path or config_path()
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return Config(path=path)
    except (OSError, UnicodeDecodeError) as exc:
        return Config(path=path, problems=(f"cannot read {path}: {exc}; using the defaults",))
    # Imported only now: most starts have no config file, and the import is 1.7 ms of
    # the time to the first titles.
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Config(path=path, problems=(f"{path.name}: {exc}; using the defaults",))
    return parse_config(data, path)


_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})


def valid_keys(spec: str) -> bool:
    """Whether ``spec`` is a list of keys Textual can bind: ``"m"``, ``"ctrl+b"``, ``"m,f2"``.

    Refused: control characters (``"\\u001b"``), empty entries (``",,,"``), a modifier
    without a key (``"ctrl+"``), unknown modifiers, spaces inside a key.
    """
    entries = [entry.strip() for entry in spec.split(",")]
    if not entries or any(not entry for entry in entries):
        return False
    for entry in entries:
        if any(not ch.isprintable() or ch.isspace() for ch in entry) or clean_line(entry) != entry:
            return False
        *modifiers, key = entry.split("+") if entry != "+" else ["+"]
        if not key or any(m.lower() not in _MODIFIERS for m in modifiers):
            return False
    return True


def parse_config(data: dict[str, Any], path: Path | None = None) -> Config:
    """Validate parsed TOML, keeping every good setting and naming every bad one."""
    problems: list[str] = []
    keys: dict[str, str] = {}
    raw_keys = data.get("keys", {})
    if isinstance(raw_keys, dict):
        for binding_id, key in raw_keys.items():
            if isinstance(key, str) and valid_keys(key):
                keys[binding_id] = key.strip()
            else:
                problems.append(f"[keys] {clean_line(str(binding_id))}: expected a key such as \"m\", \"ctrl+b\" or \"m,f2\"")
    else:
        problems.append("[keys] must be a table of binding id = key")

    theme = data.get("theme")
    if theme is not None and not (isinstance(theme, str) and theme.strip()):
        problems.append("theme: expected a theme name such as \"nord\"")
        theme = None

    width = data.get("reading_width", DEFAULT_READING_WIDTH)
    if isinstance(width, bool) or not isinstance(width, int) or not MIN_READING_WIDTH <= width <= MAX_READING_WIDTH:
        problems.append(f"reading_width: expected a whole number from {MIN_READING_WIDTH} to {MAX_READING_WIDTH}")
        width = DEFAULT_READING_WIDTH
    width_set = "reading_width" in data and not any(p.startswith("reading_width:") for p in problems)

    interval = data.get("update_interval")
    if interval is not None and (isinstance(interval, bool) or not isinstance(interval, int) or interval < 1):
        problems.append("update_interval: expected a whole number of minutes (1 or more)")
        interval = None

    for unknown in sorted(set(data) - {"keys", "theme", "reading_width", "update_interval"}):
        problems.append(f"unknown setting {unknown!r} (ignored)")
    explicit = frozenset(
        name for name, present in (("theme", bool(theme)), ("reading_width", width_set))
        if present
    )
    return Config(keys=keys, theme=theme.strip() if theme else None, reading_width=width, problems=tuple(problems),
                  path=path, explicit=explicit, update_interval=interval)
