"""Item 3 of issue 15: one cleaning for all terminal text; Default_Ignorable removed; highlights survive.

``reader search`` on a terminal (a pty here) bold-underlines the matches with its own
escape codes: they used to be stripped by the same cleaning that removes the article's,
so no highlight reached the terminal. Now the styles are added after the cleaning.
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from reader.ignorable import DEFAULT_IGNORABLE
from reader.library import Library
from reader.model import Article
from reader.text import clean_line, shown, shown_line, strip_unsafe

FILLERS = ["\u3164", "\u115f", "\u1160", "\uffa0", "\u034f", "\u17b4", "\u17b5", "\u180b", "\ufe0f", "\U000e0041", "\u2065"]


@pytest.mark.parametrize("filler", FILLERS)
def test_every_default_ignorable_filler_is_removed(filler: str) -> None:
    assert clean_line(f"Bre{filler}aking news{filler}") == "Breaking news"
    assert shown_line(f"Bre{filler}aking") == "Breaking"  # the read-back check catches it too
    assert shown(f"a{filler}b") == "ab"


def test_the_table_covers_every_format_character_it_should() -> None:
    ignorable = {cp for lo, hi in DEFAULT_IGNORABLE for cp in range(lo, hi + 1)}
    # and every other format character (Cf): prepended concatenation marks included
    removed = ignorable | {cp for cp in range(0x110000) if unicodedata.category(chr(cp)) == "Cf"}
    for cp in sorted(removed):
        assert strip_unsafe(f"a{chr(cp)}b") == "ab", hex(cp)


def test_a_title_of_fillers_alone_is_not_a_blank_row(data_dir: Path, tmp_path: Path) -> None:
    page = tmp_path / "filler.md"
    page.write_text("# \u3164\u3164\u3164\n\nThe text of an article whose title is only fillers.\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "reader", "import", str(page)], capture_output=True, check=False)
    with Library.open(data_dir) as library:
        titles = [row.title for row in library.list()]
    assert titles and all(title.strip() for title in titles), titles


def _run_in_pty(args: list[str], env: dict[str, str]) -> bytes:
    primary, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "reader", *args], stdin=subprocess.DEVNULL, stdout=secondary, stderr=secondary, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(primary)
    return b"".join(chunks)


def test_search_highlights_survive_cleaning_on_a_terminal(data_dir: Path) -> None:
    with Library.open(data_dir) as library:
        library.add_articles([Article(id="a" * 32, title="Harbour \x1b[31mstrike\x1b[0m talks", body="The harbour strike ended after long talks at the harbour.")])
    env = {**os.environ, "READER_DATA_DIR": str(data_dir), "COLUMNS": "120"}
    out = _run_in_pty(["search", "harbour"], env)
    assert b"\x1b[1;4m" in out and b"\x1b[0m" in out, out  # our highlight reached the terminal
    highlighted = out.split(b"\x1b[1;4m")[1].split(b"\x1b[0m")[0]
    assert highlighted.lower() == b"harbour"
    assert b"\x1b[31m" not in out  # the article's own escape did not
