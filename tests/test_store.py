"""The SQLite store: upserts keep user state, links resolve late, changes are sequenced."""

import sqlite3

import pytest

from reader.errors import ArticleNotFound, LibraryDamaged, NewerSchema, StorageError
from reader.model import Article, RelatedLink
from reader.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "library.sqlite3")
    yield s
    s.close()


def art(id, title, **kw):
    return Article(id=id, title=title, **kw)


def test_upsert_reports_added_and_updated(store):
    assert store.upsert([art("a", "One"), art("b", "Two")]) == (["a", "b"], [])
    assert store.upsert([art("a", "One, revised")]) == ([], ["a"])
    assert store.get("a").title == "One, revised"
    assert store.count() == 2


def test_reimport_keeps_bookmark_read_state_position_and_imported_at(store):
    store.upsert([art("a", "One")])
    first_import = store.get("a").imported_at
    store.set_flag("a", "bookmarked", True)
    store.set_flag("a", "read", True)
    store.set_position("a", 42.0)
    store.upsert([art("a", "One again", body="new body")])
    again = store.get("a")
    assert (again.bookmarked, again.read, again.body) == (True, True, "new body")
    assert store.position("a") == 42.0
    assert again.imported_at == first_import


def test_incoming_flags_are_applied_never_cleared(store):
    store.upsert([art("a", "One", bookmarked=True)])
    assert store.get("a").bookmarked
    store.upsert([art("a", "One", bookmarked=False)])
    assert store.get("a").bookmarked


def test_related_link_resolves_by_url_or_title_also_when_imported_later(store):
    store.upsert([
        art("a", "Source", related=(
            RelatedLink(title="By title"),
            RelatedLink(title="Other name", url="https://www.example.org/b?utm_source=x"),
            RelatedLink(title="Nowhere"),
        ))
    ])
    assert [link.target_id for link in store.get("a").related] == [None, None, None]
    store.upsert([art("t", "By title"), art("u", "Under a URL", url="https://example.org/b/")])
    assert [link.target_id for link in store.get("a").related] == ["t", "u", None]


def test_rows_are_newest_first_and_filter(store):
    store.upsert([
        art("old", "Old", published="2025-01-01", language="en", source="Gazette"),
        art("new", "New", published="2026-03-01T10:00:00+00:00", language="de", source="Kurier"),
        art("mid", "Mid", published="2025-06-01", language="en", source="Gazette"),
    ])
    store.set_flag("mid", "bookmarked", True)
    store.set_flag("new", "read", True)
    assert [r.id for r in store.rows()] == ["new", "mid", "old"]
    assert [r.id for r in store.rows(bookmarked=True)] == ["mid"]
    assert [r.id for r in store.rows(unread=True)] == ["mid", "old"]
    assert [r.id for r in store.rows(language="DE")] == ["new"]
    assert [r.id for r in store.rows(source="gazette")] == ["mid", "old"]
    assert [r.id for r in store.rows(limit=1, offset=1)] == ["mid"]
    assert store.count(unread=True) == 2


def test_flags_and_ids_with(store):
    store.upsert([art("a", "A"), art("b", "B")])
    store.set_flag("b", "bookmarked", True)
    assert store.ids_with("bookmarked") == {"b"}
    assert store.flags(["a", "b", "zz"]) == {"a": (False, False), "b": (True, False), "zz": (False, False)}
    with pytest.raises(ArticleNotFound):
        store.set_flag("zz", "read", True)


def test_trash_takes_state_and_records_tombstones(store):
    store.upsert([art("a", "A"), art("b", "B")])
    store.set_flag("a", "bookmarked", True)
    seq = int(store.meta("seq"))
    assert store.trash(["a", "missing"], "2026-01-01T00:00:00+00:00") == ["a"]
    assert store.removed_since(seq) == ["a"]
    assert store.ids_with("bookmarked") == set()
    with pytest.raises(ArticleNotFound):
        store.get("a")


def test_iter_articles_since_seq_sees_only_later_changes(store):
    store.upsert([art("a", "A"), art("b", "B")])
    seq = int(store.meta("seq"))
    store.upsert([art("a", "A2")])
    assert [a.title for a in store.iter_articles(since_seq=seq)] == ["A2"]
    assert store.changes_after(seq) == 1
    assert sorted(a.id for a in store.iter_articles(batch=1)) == ["a", "b"]


def test_resolve_id_accepts_unambiguous_prefixes(store):
    store.upsert([art("abcd1234", "A"), art("abce5678", "B")])
    assert store.resolve_id("abcd") == "abcd1234"
    with pytest.raises(ArticleNotFound):
        store.resolve_id("abc")  # too short
    with pytest.raises(ArticleNotFound):
        store.resolve_id("0000")


def test_data_version_moves_when_another_connection_commits(store, tmp_path):
    before = store.data_version()
    other = Store.open(store.path)
    other.upsert([art("x", "X")])
    other.close()
    assert store.data_version() != before


def test_damaged_database_is_a_clear_error(tmp_path):
    path = tmp_path / "library.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(LibraryDamaged) as raised:
        Store.open(path)
    assert raised.value.path == path and isinstance(raised.value, StorageError)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "library.sqlite3"
    Store.open(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(NewerSchema) as raised:
        Store.open(path)
    assert (raised.value.found, raised.value.path) == (99, path)


def test_iterating_without_related_links_leaves_them_out(store):
    store.upsert([art("a", "A", related=(RelatedLink("B", url="https://example.org/b/"),))])
    [full] = store.iter_articles()
    [light] = store.iter_articles(related=False)
    assert [link.title for link in full.related] == ["B"]
    assert light.related == () and light.replace(related=full.related) == full
