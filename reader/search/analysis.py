"""Text analysis: one word -> the term the index holds for it, per article language.

Each article is indexed with its own language's analysis (English and German Snowball
stemmers; every other language a neutral, unstemmed analysis), always case- and
accent-folded, so ``Öffnungszeiten``, ``offnungszeiten`` and ``Öffnungszeit`` meet.
A query does not know the language of the article it is looking for, so
:func:`query_forms` turns one query word into every form the index could hold for it.

Reader analyses text itself and hands Whoosh ready-made token lists (Whoosh accepts a
list as a field value and numbers the positions itself). That keeps one analysis for
indexing, query expansion, snippets and highlights, so what is marked is exactly what
was matched, and it keeps Reader's classes out of the schema Whoosh pickles into the
index. :func:`term` is cached: the Snowball stemmers are pure Python and cost
microseconds a call, while a Zipf-distributed vocabulary means most words repeat.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

from whoosh.lang import (
    NoStopWords,
    languages,
    stemmer_for_language,
    stopwords_for_language,
    two_letter_code,
)

from reader.text import fold_accents

# A word is a run of letters, digits and underscores: the same expression tokenises for
# the index and finds words for snippets and highlights, so their offsets agree.
WORD = re.compile(r"\w+")

# Words longer than this are noise (hashes, base64, glued URLs): not indexed.
MAX_WORD = 60

STEMMED_LANGUAGES = ("en", "de")


def _common_words() -> frozenset[str]:
    words: set[str] = set()
    for code in languages:
        try:
            words.update(fold_accents(w.lower()).lower() for w in stopwords_for_language(code))
        except NoStopWords:
            continue
    return frozenset(words)


# The words whose pairs are indexed (see reader.search.schema): the stop words of every
# language whoosh.lang has a list for, folded. Lucene's CommonGrams indexes the pairs of
# such words only: they are the words whose phrases are dear (posting lists as long as
# the library), while a phrase of rarer words intersects short lists. Indexing every
# pair made the index of 10,000 articles grow past 1.5 GB, most of it pairs seen once.
COMMON_WORDS = _common_words()
NEUTRAL = ""  # the analysis for every other language: folded, not stemmed


def language_code(language: str) -> str:
    """The primary language subtag: ``"en-GB"``, ``"English"``, ``"eng"`` -> ``"en"``."""
    code = (language or "").strip().lower().replace("_", "-").split("-", 1)[0]
    return two_letter_code(code) or code


def language_key(language: str) -> str:
    """Which analysis an article gets: ``"en"``, ``"de"`` or neutral ``""``."""
    code = language_code(language)
    return code if code in STEMMED_LANGUAGES else NEUTRAL


@cache
def _stemmer(language: str) -> Callable[[str], str]:
    stem: Callable[[str], str] = stemmer_for_language(language)
    return stem


def fold(word: str) -> str:
    """Case- and accent-folded form of a word: ``Öffnungszeit`` -> ``offnungszeit``."""
    if word.isascii():
        return word.lower()
    return fold_accents(word.lower()).lower()


@lru_cache(maxsize=500_000)
def term(language: str, word: str) -> str:
    """The index term for ``word`` in an article analysed as ``language``; "" if not indexed.

    ``language`` is a :func:`language_key`.
    """
    folded = fold(word)
    if not folded or len(folded) > MAX_WORD:
        return ""
    if language == NEUTRAL:
        return folded
    return _stemmer(language)(folded)


def analyse(text: str, language: str) -> tuple[list[str], list[str]]:
    """One pass over ``text``: its index terms in order (positions for phrases) and its
    folded, unstemmed words (the vocabulary for prefixes and suggestions)."""
    analysed: list[str] = []
    vocabulary: list[str] = []
    for match in WORD.finditer(text):
        folded = term(NEUTRAL, match.group())
        if folded:
            vocabulary.append(folded)
            analysed.append(folded if language == NEUTRAL else term(language, match.group()))
    return analysed, vocabulary


def query_forms(word: str) -> tuple[str, ...]:
    """Every term a query word may be indexed as: folded, English stem, German stem."""
    forms = dict.fromkeys(term(language, word) for language in (NEUTRAL, *STEMMED_LANGUAGES))
    forms.pop("", None)
    return tuple(forms)
