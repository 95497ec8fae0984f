"""Test helpers: wait until the app is idle; read what is on the screen as text."""

from __future__ import annotations

import html
import re
from collections import defaultdict

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>')
_CELL_WIDTH = 12.2  # the width of one cell in Textual's SVG export


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Wait for workers (which may start others through messages) and for the screen to update."""
    for _ in range(rounds):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:
            continue  # an exclusive worker replaced by a newer one: wait for that one
        await pilot.pause()


def screen_text(app: App) -> str:
    """The screen as plain text lines, from the SVG export (what a person would see)."""
    lines: dict[int, dict[int, str]] = defaultdict(dict)
    for x, line, text in _TEXT.findall(app.export_screenshot()):
        lines[int(line)][round(float(x) / _CELL_WIDTH)] = html.unescape(text).replace("\xa0", " ")
    out = []
    for number in range(max(lines, default=-1) + 1):
        row = ""
        for column, text in sorted(lines[number].items()):
            row = row.ljust(column) + text
        out.append(row.rstrip())
    return "\n".join(out)


async def run_command(pilot: Pilot, name: str) -> None:
    """Run a command palette entry by typing its name and pressing Enter."""
    await pilot.press("ctrl+p", *name)
    await settle(pilot)
    await pilot.pause(0.2)
    await pilot.press("enter")
    await settle(pilot)
