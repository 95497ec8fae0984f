"""The one registry of the classes whose key bindings a person meets.

Each such class says where its keys belong with :func:`binding_source`; the help screen,
the check of config.toml's ``[keys]`` and the tests all read :func:`binding_sources`,
so there is no hand-written list of screen classes to forget one in, and no import of
the app from the help screen (or of the help screen from the app) to build it. This
module imports nothing of the app's, so every module can use the decorator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

SECTIONS = ("Library", "Reading", "Search box", "Everywhere")
"""The help screen's sections, in the order it shows them."""

_T = TypeVar("_T", bound=type)
_SOURCES: dict[type, str | None] = {}


def binding_source(section: str | None) -> Callable[[_T], _T]:
    """Class decorator: this class's ``BINDINGS`` are listed in help under ``section``;
    None for a dialog that shows its own keys."""
    if section is not None and section not in SECTIONS:
        raise ValueError(f"unknown help section {section!r}")

    def register(cls: _T) -> _T:
        _SOURCES[cls] = section
        return cls

    return register


def binding_sources() -> dict[type, str | None]:
    """Every registered class and its section, once every module of ``reader.tui`` is
    imported (some load only when first used, like the article screen).

    In the order of the modules' names, then of the classes in each module: the order
    the classes happened to be imported in (registered in) depended on what the process
    had opened before, so help listed a section's keys in another order after, say, a
    test that opened the sources pane first.
    """
    # Imported here, not at the top: every start imports this module; this runs for the
    # help screen and the config check only.
    import importlib
    import pkgutil

    import reader.tui

    order: dict[str, int] = {}
    for module in pkgutil.walk_packages(reader.tui.__path__, "reader.tui."):
        importlib.import_module(module.name)
        order[module.name] = len(order)
    # sorted is stable: the classes of one module keep their order of definition
    return dict(sorted(_SOURCES.items(), key=lambda item: order.get(item[0].__module__, len(order))))
