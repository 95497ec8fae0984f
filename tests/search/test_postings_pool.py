"""The writer processes' postings pool gives back what Whoosh's own pool gives back.

:class:`reader.search.postings_pool.SpillingPool` replaces Whoosh's ``PostingPool`` in
the parallel writer's children for speed; a segment is only right if the postings come
back complete and in Whoosh's order, however many runs were spilled to disk. A writer
adds its documents in order, so the postings are given in document order here too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import PostingPool

import reader.search.postings_pool as pool_module
from reader.search.postings_pool import PostingsOutOfOrder, SpillingPool

postings = st.lists(
    st.tuples(
        st.sampled_from(["text", "pairs", "title"]),
        st.binary(min_size=1, max_size=20),
        st.integers(0, 5000),
        st.floats(0.5, 10, allow_nan=False),
        st.one_of(st.none(), st.binary(max_size=30)),
    ),
    max_size=400,
    unique_by=lambda p: p[:3],  # a document gives a term of a field one posting
)


def _whoosh(items: list, tmp: Path) -> list:
    whoosh_pool = PostingPool(FileStorage(str(tmp)).create(), None, limitmb=1)
    whoosh_pool.limit = 2_000  # bytes: spill as often as ours does
    for item in sorted(items, key=lambda posting: posting[2]):
        whoosh_pool.add(item)
    return list(whoosh_pool.iter_postings())


@settings(max_examples=60, deadline=None)
@given(items=postings, chunk=st.sampled_from([1, 3, 50]), max_runs=st.sampled_from([2, 3, 64]))
def test_postings_come_back_as_whooshs_pool_gives_them(tmp_path_factory, items, chunk, max_runs) -> None:
    folder = tmp_path_factory.mktemp("pool")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pool_module, "CHUNK", chunk)
        patch.setattr(pool_module, "MAX_RUNS", max_runs)
        pool = SpillingPool(str(folder), limit=2_000)  # bytes: a run every few postings
        for item in sorted(items, key=lambda posting: posting[2]):
            pool.add(item)
        got = list(pool.iter_postings())
        pool.cleanup()
    assert got == sorted(items) == _whoosh(items, tmp_path_factory.mktemp("whoosh"))
    assert list(folder.iterdir()) == []  # the runs and their folder are gone


def test_a_posting_out_of_document_order_is_refused(tmp_path) -> None:
    """The order of a term's postings is the order they came in: one for an earlier
    document than the last would give a garbled segment, so it raises instead."""
    pool = SpillingPool(str(tmp_path), limit=1 << 20)
    pool.add(("text", b"harbour", 7, 1.0, None))
    pool.add(("text", b"ship", 3, 1.0, None))  # another term: any document
    with pytest.raises(PostingsOutOfOrder, match="document 5 after 7"):
        pool.add(("text", b"harbour", 5, 1.0, None))


def test_a_spilled_chunk_holds_at_most_chunk_postings(tmp_path, monkeypatch) -> None:
    """What a run being merged holds in memory is one chunk: a term found in every
    document (a stop word's list is as long as the run) is cut into pieces, so a chunk
    stays within CHUNK postings however the postings fall into terms."""
    written: list[int] = []  # the postings of each chunk written
    real = pool_module._write_chunk

    def counted(run, chunk) -> None:
        written.append(sum(len(postings) for _, _, postings in chunk))
        real(run, chunk)

    monkeypatch.setattr(pool_module, "CHUNK", 10)
    monkeypatch.setattr(pool_module, "_write_chunk", counted)
    pool = SpillingPool(str(tmp_path), limit=20_000)
    items = [("text", b"the", doc, 1.0, b"xx") for doc in range(200)]
    items += [("text", f"w{doc}".encode(), doc, 1.0, None) for doc in range(200)]
    for item in sorted(items, key=lambda posting: posting[2]):
        pool.add(item)
    got = list(pool.iter_postings())
    pool.cleanup()
    assert got == sorted(items)
    assert written and max(written) <= 10
