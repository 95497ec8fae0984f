""""Did you mean": the query with its unknown words replaced by the index's own words.

Suggestions come from the ``words`` field (folded, unstemmed vocabulary), so they are
words people actually read in their library, in any language: ``harbur`` -> ``harbour``,
``offnungzeiten`` -> ``öffnungszeiten``. The vocabulary is folded (no accents, lower
case), so a suggestion's accents are found again in one of the few articles having it
(:func:`display_form`), lower case as the vocabulary. A word counts as known when any of
its forms is indexed. Candidates within one edit (two for longer words) come from
Whoosh's Levenshtein automaton, run over each segment's vocabulary held in memory (walking
the on-disk term table cost a file seek and read per step: 50 ms a word at 100,000
articles; the list is a few thousand words, read once per segment, see :func:`warm`); the
closest by Damerau distance wins, then the one in most articles (counted through its
stems: the vocabulary field has no per-article postings). A word being typed (search as
you type) is not corrected while some library word starts with it."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from whoosh.automata.fsa import find_all_matches
from whoosh.automata.lev import levenshtein_automaton
from whoosh.reading import IndexReader
from whoosh.support.levenshtein import damerau_levenshtein

from reader.search.analysis import NEUTRAL, WORD, fold, query_forms, term
from reader.search.fastscore import Cache
from reader.search.query import ParsedQuery
from reader.search.schema import TEXT_FIELD, VOCABULARY, languages_in

# Distinct words a suggestion looks at, at most: each unknown one walks an automaton over
# the vocabulary (64 unknown words took 1.1 s at 10,000 articles).
MAX_CORRECTED = 8


def suggestion(reader: IndexReader, parsed: ParsedQuery) -> str | None:
    """The whole query string with each word missing from the vocabulary corrected, or None."""
    corrected: dict[tuple[str, bool], str | None] = {}  # once per distinct word, however often typed
    for word in parsed.words:
        folded = term(NEUTRAL, word.text)
        typing = word in parsed.completions
        if folded and (folded, typing) not in corrected and len(corrected) < MAX_CORRECTED:
            corrected[folded, typing] = _correction(reader, folded, typing)
    better = {folded: found for (folded, _), found in corrected.items() if found}
    if not better:
        return None

    def rewrite(match: re.Match[str]) -> str:  # every place the word was typed (repeats were searched once)
        if parsed.text.startswith(":", match.end()):
            return match.group()  # a field name
        return better.get(term(NEUTRAL, match.group()), match.group())

    return WORD.sub(rewrite, parsed.text)


def _correction(reader: IndexReader, folded: str, typing: bool) -> str | None:
    """The display form of the word to put in place of ``folded``, or None if it is known
    (or, ``typing``, still being typed and some word of the library starts with it)."""
    if _popularity(reader, folded) or (typing and _completes(reader, folded)):
        return None
    better = closest_word(reader, folded)
    return display_form(reader, better) if better else None


def closest_word(reader: IndexReader, word: str) -> str | None:
    """The vocabulary word nearest to ``word`` (one edit, or two for longer words)."""
    if len(word) < 3 or word.isdigit():
        return None
    for limit in (1, 2) if len(word) > 4 else (1,):
        candidates = words_within(reader, word, limit)
        candidates.discard(word)
        if candidates:
            # Whoosh's automaton counts a swap of two letters as two edits; people make it
            # as one ("potery": "poetry" before "power").
            return min(sorted(candidates), key=lambda c: (damerau_levenshtein(word, c), -_popularity(reader, c)))
    return None


def words_within(reader: IndexReader, word: str, limit: int) -> set[str]:
    """The vocabulary words within ``limit`` edits of ``word`` sharing its first letter:
    what Whoosh's ``terms_within(..., prefix=1)`` gives, walking lists held in memory."""
    automaton = levenshtein_automaton(word, limit, prefix=1).to_dfa()
    found: set[str] = set()
    for words in _vocabularies(reader):
        found.update(find_all_matches(automaton, words.first_from))
    return found


class _Words:
    """A segment's vocabulary, sorted, with the term-table lookup the automaton walks."""

    def __init__(self, words: list[str]) -> None:
        self.words = words

    def first_from(self, text: str) -> str | None:
        """The first word at or after ``text``, or None (what a term cursor's find gives)."""
        i = bisect_left(self.words, text)
        return self.words[i] if i < len(self.words) else None


def _vocabularies(reader: IndexReader) -> list[_Words]:
    """Each segment's vocabulary, read once and kept (segments never change)."""
    found: list[_Words] = []
    for leaf, _ in reader.leaf_readers():
        if not leaf.doc_count_all():
            continue
        key = leaf.segment().segment_id()
        words = _vocabulary_cache.get(key)
        if words is None:
            # UTF-8 byte order is code point order: the decoded words stay sorted.
            words = _Words([text.decode("utf-8") for text in leaf.lexicon(VOCABULARY)])
            words = _vocabulary_cache.put(key, words, len(words.words))
        found.append(words)
    return found


def warm(reader: IndexReader) -> None:
    """Read every segment's vocabulary now, not on the first query needing a suggestion."""
    _vocabularies(reader)


VOCABULARY_CACHED = 2_000_000  # vocabulary words kept in memory, all segments together
_vocabulary_cache: Cache[str, _Words] = Cache(VOCABULARY_CACHED)  # by segment id

# Articles read, at most, to find a suggestion's accented form (it is in nearly every one).
DISPLAY_ARTICLES = 3
_TEXT_FIELDS = ("title", "summary", "body")


def display_form(reader: IndexReader, word: str) -> str:
    """``word`` (folded) as the library writes it, accents included, in lower case:
    ``pflegekrafte`` -> ``pflegekräfte``. The word itself when no accented form is found."""
    for docnum in _articles(reader, word):
        fields = reader.stored_fields(docnum)
        for name in _TEXT_FIELDS:
            for match in WORD.finditer(fields.get(name) or ""):
                found = match.group()
                if not found.isascii() and abs(len(found) - len(word)) <= 2 and fold(found) == word:
                    return found.lower()
    return word


def _articles(reader: IndexReader, word: str) -> Iterator[int]:
    """Up to DISPLAY_ARTICLES live articles having one of the word's forms."""
    seen: set[int] = set()
    for form in query_forms(word, languages_in(reader)):
        if not reader.doc_frequency(TEXT_FIELD, form):
            continue
        for docnum in reader.postings(TEXT_FIELD, form).all_ids():
            if docnum not in seen:
                seen.add(docnum)
                yield docnum
                if len(seen) == DISPLAY_ARTICLES:
                    return


def _completes(reader: IndexReader, prefix: str) -> bool:
    return any(True for _ in reader.expand_prefix(VOCABULARY, prefix))


def _popularity(reader: IndexReader, word: str) -> int:
    """In how many articles the word occurs, in any of its forms (a stem may be shared)."""
    return max(int(reader.doc_frequency(TEXT_FIELD, form)) for form in query_forms(word, languages_in(reader)))
