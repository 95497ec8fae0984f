"""The index's life: creation, schema versions, damage, rebuilds, writes and concurrency."""

from __future__ import annotations

import json
import multiprocessing
import threading

import pytest
from whoosh.util.filelock import FileLock

from reader.errors import IndexBusy, IndexDamaged, SearchError
from reader.search import SCHEMA_VERSION, SearchIndex
from reader.search import index as index_module
from reader.search.index import WRITING


def test_a_missing_index_is_created_empty_and_asks_for_a_rebuild(tmp_path):
    index = SearchIndex.open(tmp_path / "index")
    assert (index.needs_rebuild, index.rebuild_reason) == (True, "index missing")
    assert index.count() == 0
    assert index.search("anything").total == 0
    index.close()
    again = SearchIndex.open(tmp_path / "index")
    assert (again.needs_rebuild, again.rebuild_reason) == (False, "")
    again.close()


def test_add_replaces_by_id_and_delete_removes(fresh_index, library, make_article):
    assert fresh_index.add(library.values()) == len(library)
    assert fresh_index.add([]) == 0
    changed = library["strike"].replace(title="Harbour workers return", body="Quiet quayside again.")
    fresh_index.add([changed])
    assert fresh_index.count() == len(library)
    assert fresh_index.search("quayside").hits[0].title == "Harbour workers return"
    assert fresh_index.search('"week-long strike"').total == 0
    fresh_index.delete([library["strike"].id, "unknown-id"])
    assert fresh_index.count() == len(library) - 1
    assert fresh_index.search("quayside").total == 0
    assert fresh_index.search("is:unread").total == len(library) - 1


def test_rebuild_swaps_in_a_fresh_index_and_reports_progress(fresh_index, library):
    fresh_index.add([library["strike"]])
    seen = []
    fresh_index.rebuild(
        iter(library.values()), len(library), progress=lambda done, total, stage=None: seen.append((done, total, stage))
    )
    assert seen[-2:] == [(len(library), len(library), None), (0, 0, WRITING)]
    assert fresh_index.count() == len(library)
    assert not fresh_index.needs_rebuild
    assert not list(fresh_index.root.glob("build-*")) and not list(fresh_index.root.glob("retired-*"))
    meta = json.loads((fresh_index.root / "current" / "reader-index.json").read_text())
    assert meta["schema_version"] == SCHEMA_VERSION


def test_a_failed_rebuild_leaves_the_old_index(fresh_index, library):
    fresh_index.add(library.values())

    def broken():
        yield library["strike"]
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError):
        fresh_index.rebuild(broken(), len(library))
    assert fresh_index.count() == len(library)
    assert not list(fresh_index.root.glob("build-*"))


def test_the_multiprocess_writer_builds_the_same_index(tmp_path, library, monkeypatch, keys):
    monkeypatch.setattr(index_module, "MULTIPROCESS_FROM", 1)
    index = SearchIndex.open(tmp_path / "index")
    index.rebuild(library.values(), len(library))
    assert index.count() == len(library)
    assert keys(index.search("cooperati*")) == {"strike", "marseille"}
    assert index.search("harbur").suggestion == "harbour"
    index.close()


def test_a_schema_change_asks_for_a_rebuild(tmp_path, library):
    index = SearchIndex.open(tmp_path / "index")
    index.rebuild(library.values(), len(library))
    index.close()
    meta = tmp_path / "index" / "current" / "reader-index.json"
    meta.write_text(json.dumps({"schema_version": SCHEMA_VERSION - 1}))
    reopened = SearchIndex.open(tmp_path / "index")
    assert reopened.needs_rebuild
    assert reopened.rebuild_reason == f"index schema changed (v{SCHEMA_VERSION - 1} -> v{SCHEMA_VERSION})"
    assert reopened.count() == 0
    reopened.close()
    meta.unlink()
    unversioned = SearchIndex.open(tmp_path / "index")
    assert unversioned.needs_rebuild and "schema changed" in unversioned.rebuild_reason
    unversioned.close()


@pytest.mark.parametrize(
    "damage",
    ["delete terms", "garble terms", "garble postings", "truncate postings", "delete stored fields",
     "truncate the toc", "garble the toc"],
)
def test_a_damaged_index_is_recreated_empty(tmp_path, library, damage):
    index = SearchIndex.open(tmp_path / "index")
    index.rebuild(library.values(), len(library))
    index.close()
    current = tmp_path / "index" / "current"
    suffix = {"terms": ".trm", "postings": ".pst", "stored fields": "._stored.col", "the toc": ".toc"}
    victim = next(p for p in current.iterdir() if p.name.endswith(suffix[damage.split(" ", 1)[1]]))
    if damage.startswith("delete"):
        victim.unlink()
    elif damage.startswith("truncate"):
        victim.write_bytes(victim.read_bytes()[:20])
    else:
        victim.write_bytes(b"\x00" * victim.stat().st_size)
    reopened = SearchIndex.open(tmp_path / "index")
    assert reopened.needs_rebuild
    assert reopened.rebuild_reason.startswith("index unreadable: ")
    assert reopened.count() == 0
    assert reopened.search("harbour").total == 0
    reopened.rebuild(library.values(), len(library))
    assert reopened.search("harbour").total == 2
    reopened.close()


def test_damage_found_while_searching_becomes_a_search_error(tmp_path, library):
    index = SearchIndex.open(tmp_path / "index")
    index.rebuild(library.values(), len(library))
    stored = next(p for p in (tmp_path / "index" / "current").iterdir() if p.name.endswith("._stored.col"))
    stored.write_bytes(b"\x00" * stored.stat().st_size)
    with pytest.raises(IndexDamaged):
        index.search("harbour")
    assert index.needs_rebuild and index.rebuild_reason.startswith("index unreadable")
    index.close()


def test_writes_of_another_instance_become_visible(tmp_path, library, keys):
    reader = SearchIndex.open(tmp_path / "index")
    writer = SearchIndex.open(tmp_path / "index")
    assert reader.search("harbour").total == 0
    writer.add([library["strike"]])
    assert keys(reader.search("harbour")) == {"strike"}
    writer.rebuild(library.values(), len(library))  # a swap of the whole directory
    assert keys(reader.search("harbour")) == {"strike", "climate"}
    reader.add([library["strike"].replace(body="Nothing about ports.", title="Quiet")])
    assert keys(writer.search("harbour")) == {"climate"}
    reader.close()
    writer.close()


def test_two_threads_writing_at_once_both_succeed(tmp_path, library):
    index = SearchIndex.open(tmp_path / "index")
    other = SearchIndex.open(tmp_path / "index")
    items = list(library.values())
    errors = []

    def write(target, articles):
        try:
            for article in articles:
                target.add([article])
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [
        threading.Thread(target=write, args=(index, items[::2])),
        threading.Thread(target=write, args=(other, items[1::2])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert index.count() == len(library)
    index.close()
    other.close()


def _write_from_process(path, articles):
    index = SearchIndex.open(path)
    for article in articles:
        index.add([article])
    index.close()


def test_two_processes_writing_at_once_both_succeed(tmp_path, library):
    SearchIndex.open(tmp_path / "index").close()
    items = list(library.values())
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_write_from_process, args=(tmp_path / "index", items[::2])),
        context.Process(target=_write_from_process, args=(tmp_path / "index", items[1::2])),
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [p.exitcode for p in processes] == [0, 0]
    index = SearchIndex.open(tmp_path / "index")
    assert index.count() == len(library)
    index.close()


def test_a_lock_held_too_long_becomes_a_search_error(fresh_index, library, monkeypatch):
    monkeypatch.setattr(index_module, "LOCK_TIMEOUT", 0.2)
    other_writer = FileLock(str(fresh_index.root / index_module.LOCK))  # what another process's writer takes
    assert other_writer.acquire()
    try:
        with pytest.raises(IndexBusy):
            fresh_index.add([library["strike"]])
    finally:
        other_writer.release()
    assert fresh_index.add([library["strike"]]) == 1


def test_an_empty_index_answers_every_kind_of_query(fresh_index, state_class):
    state = state_class(bookmarked={"x"}, read={"y"})
    for query in ("is:bookmarked", "is:unread", "sort:date", "harbour sort:date", "harb*", "harbur", '"a b"'):
        assert fresh_index.search(query, state=state).total == 0
    assert fresh_index.more_like_this("x") == []


def test_warm_fills_the_caches_and_changes_nothing(fresh_index, library, keys):
    fresh_index.warm()  # empty index
    fresh_index.add(library.values())
    before = fresh_index.search("harbour")
    fresh_index.warm()
    assert fresh_index.search("harbour") == before


def test_an_article_without_words_keeps_every_search_working(fresh_index, make_article):
    """Whoosh 2.7 reports no length (None) for a document with no token in a field whose
    segment has a length column: it happens once small segments are merged."""
    for n in range(5):
        fresh_index.add([make_article(f"Title {n} words", f"Some text {n} about the harbour.",
                                      published=f"2026-01-{n + 1:02d}")])
    wordless = make_article("$", "$", summary="€ !")
    fresh_index.add([wordless])
    fresh_index.add([make_article("Harbour", "", published="2026-02-01")])  # an empty body, a worded title
    expected = {"harbour": 6, "title:harbour": 1, "harb*": 6, '"the harbour"': 5, "harbour -zug": 6,
                "is:unread": 7, "harbour sort:date": 6}
    assert {query: fresh_index.search(query).total for query in expected} == expected
    fresh_index.warm()
    assert fresh_index.more_like_this(wordless.id) == []
    fresh_index.rebuild([wordless, make_article("The harbour", "A harbour.")], 2)
    assert fresh_index.search("harbour").total == 1
    assert fresh_index.search("is:unread").total == 2


def test_a_rebuild_removes_what_crashed_rebuilds_left(fresh_index, library):
    fresh_index.add(library.values())
    (fresh_index.root / "build-0123").mkdir()
    (fresh_index.root / "build-0123" / "x.seg").write_text("half")
    (fresh_index.root / "retired-build-4567").mkdir()  # a crash between the two renames
    (fresh_index.root / "retired-build-4567" / "MAIN_1.toc").write_text("old")
    fresh_index.rebuild(library.values(), len(library))
    assert sorted(p.name for p in fresh_index.root.iterdir() if p.is_dir()) == ["current"]
    assert fresh_index.search("harbour").total == 2


def test_a_process_that_seeds_random_does_not_reuse_segment_names(fresh_index, make_article):
    """Whoosh names segments with the global ``random``; seeded alike before each commit
    (as Hypothesis does), the names repeated and a commit overwrote a live segment."""
    import random

    for n in range(4):
        random.seed(0)
        fresh_index.add([make_article(f"Note {n}", "/" if n % 2 else f"harbour {n}", published=f"2026-01-0{n + 1}")])
        assert fresh_index.search("harbour").total == (n + 2) // 2
    assert fresh_index.count() == 4


def test_undated_articles_in_their_own_segments_keep_the_date_order(fresh_index, make_article, state_class):
    """A segment of undated articles has no ``published`` column; Whoosh's multi-segment
    column reader skipped it, shifting the dates of every later article."""
    fresh_index.add([make_article("Undated one", "harbour", published="")])
    fresh_index.add([make_article("Dated", "harbour", published="2026-01-05T00:00:00Z")])
    fresh_index.add([make_article("Undated two", "harbour", published="")])
    fresh_index.add([make_article("Newest", "harbour", published="2026-02-01T00:00:00Z")])
    for query in ("is:unread", "harbour sort:date"):
        result = fresh_index.search(query, state=state_class())
        assert [h.title for h in result.hits][:2] == ["Newest", "Dated"], query
        assert result.total == len(result.hits) == 4, query


def test_a_bug_while_searching_raises_and_is_not_damage(tmp_path, library, monkeypatch):
    from reader.search import searching

    index = SearchIndex.open(tmp_path / "index")
    index.rebuild(library.values(), len(library))

    def broken(*args, **kwargs):
        raise TypeError("a plain bug")

    monkeypatch.setattr(searching, "to_whoosh", broken)
    with pytest.raises(TypeError, match="a plain bug"):
        index.search("harbour OR NOT strike")
    assert not index.needs_rebuild
    index.close()


def test_a_generation_opened_mid_swap_is_replaced_by_the_next_search(fresh_index, library, monkeypatch):
    """While another process swaps ``current/`` the generation cannot be identified; the
    next search after the swap opens a fresh one (it once raised IndexDamaged: a TypeError
    comparing the missing token)."""
    fresh_index.add([library["strike"]])

    real_stat = index_module.os.stat
    current = fresh_index.root / "current"

    def mid_swap(path, *args, **kwargs):
        if path == current:
            raise FileNotFoundError(path)
        return real_stat(path, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(index_module.os, "stat", mid_swap)
        assert fresh_index.search("strike").total == 1
    fresh_index.add([library["climate"]])
    assert fresh_index.search("climate").total == 1


def test_a_closed_index_raises_a_search_error(fresh_index, library):
    """A search or write still running as the app closes the index is a SearchError,
    never an AttributeError."""
    fresh_index.add([library["strike"]])
    fresh_index.close()
    with pytest.raises(SearchError, match="closed"):
        fresh_index.search("strike")
    with pytest.raises(SearchError, match="closed"):
        fresh_index.add([library["climate"]])
