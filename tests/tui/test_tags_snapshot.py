"""A snapshot of the library with the sources pane's Tags section at 80x24 (SVG under
__snapshots__/; ``--snapshot-update`` after an intended change, then look at it)."""

from __future__ import annotations

from reader.library import Library

from .conftest import find_id
from .test_snapshots import steady


def test_library_with_tags_in_the_sources_pane(snap_compare, make_test_app, library_dir):
    with Library.open(library_dir) as lib:
        lib.edit_tags(find_id("Kelmouth and Lindholm"), add=["harbour", "later"])
        lib.edit_tags(find_id("Night train"), add=["rail", "harbour"])
        lib.set_read(find_id("Night train"), True)
    assert snap_compare(make_test_app(), terminal_size=(80, 24), run_before=steady("j"))
