"""Text analysis: one word -> the term the index holds for it, per article language.

Each article is indexed with its own language's analysis: the Snowball stemmer (ISRI for
Arabic) of each language ``whoosh.lang`` ships one for, fifteen of them
(:data:`STEMMED_LANGUAGES`; Whoosh has no Turkish stemmer), and a neutral, unstemmed
analysis for every other language. Words are always case- and accent-folded first, so
``Öffnungszeiten``, ``offnungszeiten`` and ``Öffnungszeit`` meet, and so does a query
typed without its accents: the stemmers see the folded word (measured on lingua-py's
sentences, stemming the accented word and folding after merged 0 to 3% more words per
language but then missed 20 to 50% of the accented words when typed without accents).

**A stem carries its language** (:func:`term`: ``"cooper:en"``, ``"haf:de"``); a folded
word of the neutral analysis does not. A query does not know the language of the article
it is looking for, so :func:`query_forms` turns one query word into the folded word and
its stem in each language; tagged, the Finnish stem of a query word can only match a
Finnish article's Finnish stems, never a Swedish article's word that happens to be
spelled like it, nor an article of a language without a stemmer. A word therefore
meets an article in language L exactly when L's stemmer gives both the same stem. The
compiler asks only for the languages the index holds (see
:func:`reader.search.schema.languages_in`), so a library in English and German still
searches three terms per word, and each tagged posting list holds one language's
articles only.

Reader analyses text itself and hands Whoosh ready-made token lists (Whoosh accepts a
list as a field value and numbers the positions itself). That keeps one analysis for
indexing, query expansion, snippets and highlights, so what is marked is exactly what
was matched, and it keeps Reader's classes out of the schema Whoosh pickles into the
index. :func:`term` is cached: the stemmers are pure Python and cost microseconds a
call, while a Zipf-distributed vocabulary means most words repeat.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import repeat

from whoosh.lang import (
    NoStopWords,
    has_stemmer,
    languages,
    stemmer_for_language,
    stopwords_for_language,
)

from reader.language import language_code
from reader.text import fold_accents

# A word is a run of letters, digits and underscores: the same expression tokenises for
# the index and finds words for snippets and highlights, so their offsets agree.
WORD = re.compile(r"\w+")

# Words longer than this are noise (hashes, base64, glued URLs): not indexed.
MAX_WORD = 60

NEUTRAL = ""  # the analysis for every other language: folded, not stemmed
# Between a stem and its language in a term: never part of a word (see WORD) nor a
# space (the join of a word pair, see reader.search.schema).
TAG = ":"

# The languages whoosh.lang has a stemmer for, by ISO 639-1 code.
STEMMED_LANGUAGES: tuple[str, ...] = tuple(sorted(code for code in languages if has_stemmer(code)))
_STEMMERS: dict[str, Callable[[str], str]] = {code: stemmer_for_language(code) for code in STEMMED_LANGUAGES}

# Stop lists for the two languages whoosh.lang stems but has none for: their commonest
# function words (prepositions, conjunctions, pronouns, forms of "to be" and "to have"),
# written for Reader. Arabic's clitics (و, ب, ل, ال) are parts of words, not words.
_MORE_STOP_WORDS = {
    "ar": "في من على إلى عن مع أن إن أنه كان كانت يكون لا ما لم لن هذا هذه ذلك تلك التي الذي الذين "
    "هو هي هم هما نحن أنا أنت قد ثم أو أم بل كل بين عند حتى إذا كما بعد قبل منذ غير عليه عليها فيه "
    "فيها منه منها به بها له لها ليس وهو وهي وقد ولا وفي ومن",
    "ro": "a acea aceasta această aceste acest acestea acesta acestei acestui acel acela acele acei "
    "ai al ale alt alte am ar are au avea avem avut ca care cât ce cea cei cel cele cu cum da dacă "
    "dar de deci deja deși din dintre doar după ea ei el ele era este eu fără fi fie fiind fost iar "
    "îl îi în însă între își la le li lor lui mai mult multe ne nici noi nu o ori pe pentru peste "
    "poate prin până să sau se și sunt sub tot toți toate tu un una unei unor unui va vor voi",
}


def fold(word: str) -> str:
    """Case- and accent-folded form of a word: ``Öffnungszeit`` -> ``offnungszeit``."""
    if word.isascii():
        return word.lower()
    return fold_accents(word.lower()).lower()


def _stop_words() -> dict[str, frozenset[str]]:
    lists: dict[str, frozenset[str]] = {}
    for code in languages:
        try:
            words: Iterable[str] = stopwords_for_language(code)
        except NoStopWords:
            words = _MORE_STOP_WORDS[code].split()
        lists[code] = frozenset(map(fold, words))
    return lists


# Each language's stop words, folded like query words ("für" -> "fur"), for every
# language of whoosh.lang (Turkish has a stop list but no stemmer).
STOP_WORDS = _stop_words()

# The words whose pairs are indexed (see reader.search.schema): the stop words of every
# language, folded. Lucene's CommonGrams indexes the pairs of such words only: they are
# the words whose phrases are dear (posting lists as long as the library), while a
# phrase of rarer words intersects short lists. Indexing every pair made the index of
# 10,000 articles grow past 1.5 GB, most of it pairs seen once.
COMMON_WORDS = frozenset().union(*STOP_WORDS.values())


def language_key(language: str) -> str:
    """Which analysis an article gets: a code of :data:`STEMMED_LANGUAGES`, or neutral ``""``.

    ``language`` is what the article says (``"de-AT"``, ``"English"``, see
    :func:`reader.language.language_code`).
    """
    code = language_code(language)
    return code if code in _STEMMERS else NEUTRAL


@lru_cache(maxsize=500_000)
def term(language: str, word: str) -> str:
    """The index term for ``word`` in an article analysed as ``language``; "" if not indexed.

    ``language`` is a :func:`language_key`: the folded word, or its stem tagged with the
    language (``"haf:de"``).
    """
    folded = fold(word)
    if not folded or len(folded) > MAX_WORD:
        return ""
    if language == NEUTRAL:
        return folded
    return (_STEMMERS[language](folded) or folded) + TAG + language


def untagged(form: str) -> str:
    """The stem of a term without its language: ``"haf:de"`` -> ``"haf"``."""
    return form.partition(TAG)[0]


def analyse(text: str, language: str) -> tuple[list[str], list[str]]:
    """One pass over ``text``: its index terms in order (positions for phrases) and its
    folded, unstemmed words (the vocabulary for prefixes and suggestions)."""
    found = word_forms(text, language)
    return [forms[1] for forms in found], [forms[0] for forms in found]


def word_forms(text: str, language: str) -> list[tuple[str, str, str]]:
    """``(folded word, term, untagged term)`` of each indexed word of ``text``, in order.

    The indexing loop: one cached look-up per word, the words found and looked up by
    C loops (``findall``, ``map``) rather than per-match Python calls; a third of
    indexing an article was spent here.
    """
    return [forms for forms in map(_forms, repeat(language), WORD.findall(text)) if forms]


@lru_cache(maxsize=500_000)
def _forms(language: str, word: str) -> tuple[str, str, str] | None:
    folded = term(NEUTRAL, word)
    if not folded:
        return None
    if language == NEUTRAL:
        return folded, folded, folded
    tagged = term(language, word)
    return folded, tagged, untagged(tagged)


def query_forms(word: str, stemmed: Iterable[str] = STEMMED_LANGUAGES) -> tuple[str, ...]:
    """Every term a query word may be indexed as: folded (the neutral analysis), and
    its stem in each of the ``stemmed`` languages (the ones an index holds, or all)."""
    forms = dict.fromkeys(term(language, word) for language in (NEUTRAL, *stemmed))
    forms.pop("", None)
    return tuple(forms)
