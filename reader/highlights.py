"""Highlights: passages of an article the reader marked, and how they find their text again.

A highlight is anchored to the text the reader screen shows, not to the stored Markdown:
:func:`article_text` lays the article out as its blocks (the summary, then every text
block of the body in reading order, the blocks the screen draws) joined by blank lines,
and offsets are offsets into that string. The anchor is what the W3C Web Annotation
model calls a TextQuoteSelector plus a TextPositionSelector: the quoted text
(``exact``), a little context before and after it (``prefix``, ``suffix``), and where
it was (``start``, ``end``).

An article is re-imported or updated with edited paragraphs: :func:`refind` finds the
passage again, in this order:

1. where it was, if the text there is still the quote;
2. the quote anywhere else, the occurrence whose context agrees best, the nearest to
   the old place among equals;
3. the most similar passage, if it is similar enough (:data:`MIN_SIMILARITY`, difflib's
   ratio): runs of sentences are ranked by the words they share with the quote, and
   only the best few are aligned with difflib, within :data:`MAX_FUZZY_SECONDS`; quotes
   longer than :data:`MAX_FUZZY_CHARS` are not searched fuzzily. An edit of a long
   article costs milliseconds to a quarter of a second, never minutes.

A passage not found is *orphaned*: kept with its text and note, shown as such, and
tried again at the next change of the text, never dropped.

Pure functions, no I/O: the store (reader/highlights_store.py) keeps highlights, the
library re-anchors them when the text they were anchored on changed.
"""

from __future__ import annotations

import bisect
import difflib
import hashlib
import re
import secrets
import time
from dataclasses import dataclass, replace

from reader.body import flatten, parse, plain_paragraphs

CONTEXT = 32
"""Characters of context kept on each side of a quote."""
MIN_SIMILARITY = 0.7
"""How alike (difflib ratio) an edited passage must be to its old quote to be re-found."""
MAX_OCCURRENCES = 4000
"""At most this many occurrences of a quote are weighed by their context."""
MAX_FUZZY_CHARS = 2000
"""A quote longer than this is re-found exactly or not at all."""
FUZZY_FINALISTS = 12
"""Candidates (runs of sentences sharing the most words with the quote) aligned by difflib."""
MAX_FUZZY_SECONDS = 0.25
"""The alignments stop after this long, whatever is left (a guard: twelve take milliseconds)."""
MAX_SENTENCE_BLOCK = 20_000
"""A block longer than this is cut in pieces instead of sentences (sentence rules look back)."""
SEPARATOR = "\n\n"


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a passage is: its text, the context around it, and its offsets."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Highlight:
    """One highlight of an article, as stored; ``orphaned`` when its passage is gone from
    the article's current text (it is kept, with its quote and note)."""

    id: str
    article_id: str
    anchor: Anchor
    note: str = ""
    created_at: str = ""
    updated_at: str = ""
    orphaned: bool = False
    text_digest: str = ""  # digest of the article text the anchor was last found in
    original: str = ""  # the passage as it was highlighted, kept when an edit changes it

    @property
    def first_text(self) -> str:
        """The words as they were highlighted (the quote now, unless an edit changed it)."""
        return self.original or self.anchor.exact

    @property
    def text(self) -> str:
        return self.anchor.exact

    @property
    def start(self) -> int:
        return self.anchor.start

    @property
    def end(self) -> int:
        return self.anchor.end


@dataclass(frozen=True, slots=True)
class ArticleText:
    """An article's text as the reader shows it: ``blocks`` joined by blank lines into
    ``text``; ``starts[i]`` is where block ``i`` begins in ``text``."""

    blocks: tuple[str, ...]
    text: str
    starts: tuple[int, ...]

    @property
    def digest(self) -> str:
        return text_digest(self.text)

    def locate(self, offset: int) -> tuple[int, int]:
        """``(block, offset in the block)`` of an offset of :attr:`text`."""
        if not self.blocks:
            return 0, 0
        block = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return block, min(offset - self.starts[block], len(self.blocks[block]))

    def offset(self, block: int, offset: int) -> int:
        """The offset of :attr:`text` of ``offset`` in block ``block``."""
        return self.starts[block] + offset

    def sentences(self) -> list[tuple[int, int]]:
        """Every sentence as ``(start, end)`` offsets of :attr:`text`, block by block (a
        sentence never runs over into the next block): what visual mode steps through."""
        # Here, not at the top: reader.importers loads every importer (which import this module).
        from reader.importers.sentences import sentence_spans

        spans = []
        for start, block in zip(self.starts, self.blocks, strict=True):
            spans += [(start + a, start + b) for a, b in sentence_spans(block)]
        return spans


def new_id() -> str:
    """A random id for a new highlight: one passage highlighted twice is two highlights."""
    return secrets.token_hex(6)


def block_texts(body: str, summary: str = "") -> list[str]:
    """The text blocks the reader screen draws for an article, in order: the summary (if
    any), then the body's paragraphs, headings, items and code (a rule is an empty block)."""
    blocks = [summary] if summary else []
    plain = plain_paragraphs(body)
    if plain is not None:
        return blocks + plain
    return blocks + [leaf.block.text for leaf in flatten(parse(body))]


def article_text(body: str, summary: str = "") -> ArticleText:
    """The text highlights are anchored in (see the module doc)."""
    blocks = tuple(block_texts(body, summary))
    starts = []
    offset = 0
    for block in blocks:
        starts.append(offset)
        offset += len(block) + len(SEPARATOR)
    return ArticleText(blocks, SEPARATOR.join(blocks), tuple(starts))


def text_digest(text: str) -> str:
    """A short digest of an article's text: a stored anchor is checked again only when it changed."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def make_anchor(text: str, start: int, end: int) -> Anchor:
    """The anchor of ``text[start:end]``, its surrounding whitespace left out."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if end < start:
        start, end = end, start
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValueError("a highlight needs some text")
    return Anchor(text[start:end], text[max(0, start - CONTEXT) : start], text[end : end + CONTEXT], start, end)


def refind(text: str, anchor: Anchor) -> Anchor | None:
    """The anchor of the passage in ``text`` (a new version of the article), or None."""
    exact = anchor.exact
    if not exact:
        return None
    if text[anchor.start : anchor.end] == exact:
        return make_anchor(text, anchor.start, anchor.end)
    found = _exact(text, anchor)
    if found is not None:
        return make_anchor(text, found, found + len(exact))
    span = _fuzzy(text, anchor)
    return make_anchor(text, *span) if span is not None else None


def _context_score(text: str, anchor: Anchor, start: int, end: int) -> int:
    """How many characters of context around ``[start, end)`` agree with the anchor's."""
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    agree = 0
    for a, b in zip(reversed(before), reversed(anchor.prefix), strict=False):
        if a != b:
            break
        agree += 1
    for a, b in zip(after, anchor.suffix, strict=False):
        if a != b:
            break
        agree += 1
    return agree


def _exact(text: str, anchor: Anchor) -> int | None:
    """The start of the occurrence of the quote whose context agrees best (nearest first)."""
    best: tuple[int, int] | None = None  # (score, -distance)
    best_start = None
    position = text.find(anchor.exact)
    seen = 0
    while position >= 0 and seen < MAX_OCCURRENCES:
        score = (_context_score(text, anchor, position, position + len(anchor.exact)), -abs(position - anchor.start))
        if best is None or score > best:
            best, best_start = score, position
        position = text.find(anchor.exact, position + 1)
        seen += 1
    return best_start


def _fuzzy(text: str, anchor: Anchor) -> tuple[int, int] | None:
    """The span of ``text`` most like the quote, if alike enough; bounded (module doc).

    Two stages. Cheap: every run of one to a few consecutive sentences is scored by the
    words it shares with the quote (sets, no alignment), and the best
    :data:`FUZZY_FINALISTS` are kept, the nearest to the old place first among equals.
    Dear: difflib aligns the quote with each finalist (and a sentence either side), the
    tightest span of the alignment is compared with the quote, and the best one alike
    enough wins; this stage stops at :data:`MAX_FUZZY_SECONDS`.
    """
    exact = anchor.exact
    if len(exact) > MAX_FUZZY_CHARS or not text:
        return None
    quote_words = set(_WORDS.findall(exact.casefold()))
    if not quote_words:
        return None
    units = _units(text, len(exact))
    if not units:
        return None
    unit_words = [set(_WORDS.findall(text[a:b].casefold())) for a, b in units]
    reach = max(1, min(6, len(_units(exact, len(exact))) + 1))
    one_block = SEPARATOR not in exact  # then so is what is found
    scored: list[tuple[float, int, int, int]] = []  # (-score, distance, first unit, last unit)
    for first in range(len(units)):
        words: set[str] = set()
        for last in range(first, min(len(units), first + reach)):
            if one_block and last > first and SEPARATOR in text[units[last - 1][1] : units[last][0]]:
                break
            words |= unit_words[last]
            shared = len(words & quote_words)
            if shared:
                score = shared / len(words | quote_words)
                scored.append((-score, abs(units[first][0] - anchor.start), first, last))
    scored.sort()
    deadline = time.monotonic() + MAX_FUZZY_SECONDS
    best_ratio, best_span = MIN_SIMILARITY, None
    for _, _, first, last in scored[:FUZZY_FINALISTS]:
        region_start = units[max(0, first - 1)][0]
        region_end = units[min(len(units) - 1, last + 1)][1]
        if one_block:  # a sentence either side, but not from another block
            block_start = text.rfind(SEPARATOR, region_start, units[first][0])
            region_start = block_start + len(SEPARATOR) if block_start >= 0 else region_start
            block_end = text.find(SEPARATOR, units[last][1], region_end)
            region_end = block_end if block_end >= 0 else region_end
        region = text[region_start:region_end]
        blocks = [b for b in difflib.SequenceMatcher(None, region, exact, autojunk=False).get_matching_blocks() if b.size >= 3]
        if blocks:
            span = (region_start + blocks[0].a, region_start + blocks[-1].a + blocks[-1].size)
            ratio = difflib.SequenceMatcher(None, text[span[0] : span[1]], exact, autojunk=False).ratio()
            if ratio > best_ratio:
                best_ratio, best_span = ratio, span
        if time.monotonic() > deadline:
            break
    if best_span is None:
        return None
    start, end = _whole_words(text, *best_span)
    if _SENTENCES.fullmatch(exact):  # whole sentences were highlighted: whole sentences are found
        start, end = _whole_sentences(text, start, end)
    return start, end


_WORDS = re.compile(r"\w+")


def _units(text: str, size: int) -> list[tuple[int, int]]:
    """The sentences of ``text``, block by block; a block too long to split into sentences
    cheaply (code, a wall of text) is cut into pieces the size of the quote instead."""
    from reader.importers.sentences import sentence_spans

    units: list[tuple[int, int]] = []
    position = 0
    for block in text.split(SEPARATOR):
        if len(block) <= MAX_SENTENCE_BLOCK:
            units += [(position + a, position + b) for a, b in sentence_spans(block)]
        else:
            step = max(80, size)
            units += [(position + a, position + min(a + step, len(block))) for a in range(0, len(block), step)]
        position += len(block) + len(SEPARATOR)
    return units


# A quote that starts like a sentence and ends like one (what visual mode selects).
_SENTENCES = re.compile(r"[\"'“„«(]*[^\W\d_].*[.!?…][\"'”’»)]*", re.DOTALL)


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened to the words it cuts (a fuzzy match may start mid-word)."""
    while start > 0 and not text[start - 1].isspace() and not text[start].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace() and not text[end - 1].isspace():
        end += 1
    return start, end


def _whole_sentences(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` widened to the sentences it touches, within its block."""
    from reader.importers.sentences import sentence_spans

    block_start = text.rfind(SEPARATOR, 0, start)
    block_start = 0 if block_start < 0 else block_start + len(SEPARATOR)
    block_end = text.find(SEPARATOR, end)
    block_end = len(text) if block_end < 0 else block_end
    spans = sentence_spans(text[block_start:block_end])
    touched = [(a + block_start, b + block_start) for a, b in spans if a + block_start < end and b + block_start > start]
    if not touched:
        return start, end
    return min(start, touched[0][0]), max(end, touched[-1][1])


def reanchor(highlight: Highlight, current: ArticleText) -> Highlight:
    """``highlight`` found again in the article's current text: moved, or orphaned.

    An orphaned highlight keeps its old anchor (its quote is what it shows), and is looked
    for again in every later version of the text. A passage found in edited words keeps
    the words first highlighted in ``original``: an edit never loses them.
    """
    digest = current.digest
    if highlight.text_digest == digest:
        return highlight
    found = refind(current.text, highlight.anchor)
    if found is None:
        return replace(highlight, orphaned=True, text_digest=digest)
    return replace(highlight, anchor=found, orphaned=False, text_digest=digest, original=highlight.first_text)
