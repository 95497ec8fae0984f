"""Every use of Whoosh's private attributes in Reader, in one place.

Whoosh's public API has no way to read a term's posting block as a whole (document
numbers and weights at once, positions left compressed), which is what makes the fast
path fast (:mod:`reader.search.fastscore`), nor to choose how segments are named. Both
are done here, against whoosh-reloaded 2.7.5 exactly (pinned in pyproject.toml), and
``tests/search/test_whoosh_private.py`` is the canary: it fails loudly, naming the
attribute, when another Whoosh version changes what is used here.

Used: ``W3LeafMatcher._atend``, ``._maxid``, ``._next_block``, ``._read_data``,
``._read_values``, ``._read_weights``, ``._data``, ``._weights``, ``._values``,
``._byteids``, ``._postfile``, ``._dataoffset``, ``._nextoffset``, ``._compression``,
``._fixedsize``, ``._blocklength``; the pickle layout of a W3 posting block; and
``Segment._random_id``. (``writers.py`` overrides ``MpWriter`` hooks on its own.)
"""

from __future__ import annotations

import pickle
import random
import zlib
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from itertools import accumulate
from typing import Any

from whoosh.codec import base as whoosh_codec_base
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching import Matcher
from whoosh.util import IDCHARS

WHOOSH_VERSION = "2.7.5"  # the version all of this was written against (and pinned)
MATCHER_ATTRIBUTES = (
    "_atend", "_maxid", "_next_block", "_read_data", "_read_values", "_read_weights", "_data", "_weights",
    "_values", "_byteids", "_postfile", "_dataoffset", "_nextoffset", "_compression", "_fixedsize", "_blocklength",
)


# A posting block: document numbers (ascending), weights, and the encoded values (a
# sequence of bytes, one per document) or None when they were not read.
Block = tuple[Sequence[int], Sequence[float], Any]


def blocks(matcher: Matcher, with_values: bool = False, wanted: Sequence[int] | None = None) -> Iterator[Block]:
    """The (ids, weights, values or None) of each posting block; deletions are the
    caller's business. With ``wanted`` (ascending), blocks whose id range holds none of
    them are skipped unread: their header gives the range."""
    matcher = getattr(matcher, "child", matcher)  # unwrap the deletion filter
    if isinstance(matcher, W3LeafMatcher):
        previous_max = -1
        while not matcher._atend:
            if wanted is not None:
                first_wanted = bisect_right(wanted, previous_max)
                previous_max = matcher._maxid
                if first_wanted == len(wanted):
                    return
                if wanted[first_wanted] > previous_max:
                    matcher._next_block()
                    continue
            if with_values:
                matcher._read_data()
                matcher._read_values()
            else:
                matcher._data = _without_values(matcher)
            matcher._read_weights()
            block_ids: Sequence[int] = matcher._data[0]
            if not matcher._byteids:
                block_ids = list(accumulate(block_ids))  # what Whoosh's delta_decode does, in C
            yield block_ids, matcher._weights, matcher._values
            matcher._next_block()
        return
    # short posting lists stored inline in the term info
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes | None] = []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        values.append(matcher.value() if with_values else None)
        matcher.next()
    yield ids, weights, values


# A block's data is ``pickle.dumps((ids, weights, values), 2)``, compressed. The values
# are bytes (a tuple of them, or one string of fixed-size values), which protocol 2
# writes as calls of ``_codecs.encode``: the first such GLOBAL opcode is where the values
# begin. It cannot occur earlier: ids and weights are opcodes with at most 8 bytes of
# argument, and none of those opcodes is a byte of this string.
_VALUES_START = b"c_codecs\nencode\n"
_HEAD = 4096  # bytes decompressed to find it: more than 128 ids and weights take
_VALUES_NONE = b"N\x87."  # None as the values; TUPLE3 (the block's tuple); STOP


def _without_values(matcher: W3LeafMatcher) -> Block:
    """The block's ``(ids, weights, None)``, without decompressing and unpickling the
    positions, which are most of a block of the text field: a word's postings decode
    in about a third of the time. Blocks without values are decoded whole."""
    data = matcher._postfile.get(matcher._dataoffset, matcher._nextoffset - matcher._dataoffset)
    head = zlib.decompressobj().decompress(data, _HEAD) if matcher._compression else data
    start = head.find(_VALUES_START)
    if start < 0:
        matcher._read_data()
        return matcher._data[0], matcher._data[1], None
    if (matcher._fixedsize is None or matcher._fixedsize < 0) and matcher._blocklength > 3:
        start -= 1  # a tuple of over three values opens with a MARK
    block: Block = pickle.loads(head[:start] + _VALUES_NONE)
    return block



# ------------------------------------------------------------------ segment names

_SEGMENT_NAMES = random.SystemRandom()


def _segment_id(cls: type, size: int = 16) -> str:

    return "".join(_SEGMENT_NAMES.choice(IDCHARS) for _ in range(size))


def name_segments_from_the_os() -> None:
    """Whoosh names a new segment with the global ``random``: a process that seeds it
    (Hypothesis does, before every example) gets the same name again, and the next commit
    overwrites a live segment's files. Names come from the OS instead. Every segment
    class inherits the method; methods are not pickled into the table of contents, so
    indexes stay readable with or without it."""
    whoosh_codec_base.Segment._random_id = classmethod(_segment_id)
