"""Schema 2 (reader/migrations/v002_markdown_bodies.py): 0.1 bodies escaped into the
stored form, on the 0.1.0 fixture library, with everything else kept."""

from __future__ import annotations

import shutil
import sqlite3
import textwrap
from pathlib import Path

from reader.body import BlockKind, parse, to_plain_text
from reader.library import Library
from reader.render_text import render_text

FIXTURE = Path(__file__).parent / "fixtures" / "db" / "library-0.1.0.sqlite3"
TRICKY = "*not emphasis* and [not](a link) <b>no</b> &amp; `no`\n\n# not a heading\n\n1. not a list\n\n> not a quote"


def _rows(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return sorted(db.execute(sql).fetchall())


def _prepared(data_dir: Path) -> Path:
    database = data_dir / "library.sqlite3"
    shutil.copyfile(FIXTURE, database)
    with sqlite3.connect(database) as db:  # an 0.1 body whose characters look like markup
        (article_id,) = db.execute("SELECT id FROM articles ORDER BY id LIMIT 1").fetchone()
        db.execute("UPDATE articles SET body = ? WHERE id = ?", (TRICKY, article_id))
    return database


def test_bodies_read_the_same_and_everything_is_kept(data_dir: Path) -> None:
    database = _prepared(data_dir)
    bodies = dict(_rows(database, "SELECT id, body FROM articles"))
    others = _rows(database, "SELECT id, title, summary, language, source, url, published, tags, imported_at, seq FROM articles")
    state = _rows(database, "SELECT * FROM state")
    related = _rows(database, "SELECT * FROM related")
    assert len(bodies) == 47 and state

    with Library.open(data_dir) as library:
        for article_id, old in bodies.items():
            new = library.get(article_id).body
            assert to_plain_text(new) == old, article_id
            assert all(block.kind is BlockKind.PARAGRAPH for block in parse(new).blocks)
            wrapper = textwrap.TextWrapper(width=70, break_on_hyphens=False)
            expected = "\n\n".join("\n".join(wrapper.wrap(paragraph)) for paragraph in old.split("\n\n"))
            assert "\n".join(render_text(new, 70)) == expected
        assert library.search("Lindholm").total > 0

    assert _rows(database, "SELECT id, title, summary, language, source, url, published, tags, imported_at, seq FROM articles") == others
    assert _rows(database, "SELECT * FROM state") == state  # bookmarks, read marks, positions
    assert _rows(database, "SELECT * FROM related") == related


def test_markup_characters_of_old_bodies_stay_characters(data_dir: Path) -> None:
    database = _prepared(data_dir)
    with Library.open(data_dir):
        pass
    [stored] = [body for (body,) in _rows(database, "SELECT body FROM articles") if "not emphasis" in body]
    assert stored != TRICKY  # escaped
    document = parse(stored)
    assert [block.kind for block in document.blocks] == [BlockKind.PARAGRAPH] * 4
    assert all(not span.url and not span.style for block in document.blocks for span in block.spans)
    assert to_plain_text(stored) == TRICKY
