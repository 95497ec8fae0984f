"""The canary for reader/search/whoosh_private.py: Whoosh is the version it was written
against, every private attribute it uses is there, and block reading gives what Whoosh's
public matcher gives. A failure here means: read whoosh_private.py before upgrading."""

from __future__ import annotations

import random
from importlib.metadata import version

import pytest
from whoosh.codec import base as whoosh_codec_base
from whoosh.codec.whoosh3 import W3LeafMatcher

from reader.search import whoosh_private
from reader.search.analysis import term
from reader.search.schema import TEXT_FIELD

HARBOUR = term("en", "harbour")  # the term of "harbour" in an English article


def test_whoosh_is_the_pinned_version():
    assert version("whoosh-reloaded") == whoosh_private.WHOOSH_VERSION


def test_every_private_attribute_used_is_there(library_index, make_article, tmp_path):
    from reader.search import SearchIndex

    with SearchIndex.open(tmp_path / "index") as index:  # long enough for blocks, not inline postings
        index.add([make_article(f"Report {i}", "harbour " * 5 + f"word{i}") for i in range(300)])
        reader = index.searcher().reader()
        (leaf, _), = reader.leaf_readers()
        matcher = getattr(leaf.postings(TEXT_FIELD, HARBOUR), "child", leaf.postings(TEXT_FIELD, HARBOUR))
        assert isinstance(matcher, W3LeafMatcher)
        missing = [name for name in whoosh_private.MATCHER_ATTRIBUTES if not hasattr(matcher, name)]
        assert not missing, f"Whoosh's W3LeafMatcher no longer has {missing}"
    assert hasattr(whoosh_codec_base.Segment, "_random_id")


@pytest.mark.parametrize("with_values", [False, True])
def test_blocks_agree_with_whooshs_matcher(tmp_path, make_article, with_values):
    from reader.search import SearchIndex

    rng = random.Random(3)
    with SearchIndex.open(tmp_path / "index") as index:
        index.add([make_article(f"Report {i}", " ".join(rng.choices(["harbour", "the", "port"], k=40))) for i in range(400)])
        (leaf, _), = index.searcher().reader().leaf_readers()
        ids, weights, values = [], [], []
        for block_ids, block_weights, block_values in whoosh_private.blocks(leaf.postings(TEXT_FIELD, HARBOUR), with_values):
            ids += block_ids
            weights += block_weights
            values += block_values if with_values else []
        public = leaf.postings(TEXT_FIELD, HARBOUR)
        expected = list(public.items_as("weight"))
        assert list(zip(ids, weights, strict=False)) == expected
        if with_values:
            matcher, expected_values = leaf.postings(TEXT_FIELD, HARBOUR), []
            while matcher.is_active():
                expected_values.append(matcher.value())
                matcher.next()
            assert values == expected_values


def test_segment_names_do_not_follow_the_global_random():
    random.seed(1)
    first = whoosh_codec_base.Segment._random_id()
    random.seed(1)
    assert whoosh_codec_base.Segment._random_id() != first
