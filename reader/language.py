"""Which language an article is written in: py3langid, with a news library's prior.

Reader stems and searches each article in its own language, so every article and every
related card needs a language, often from no more than a title and a two-sentence
summary. py3langid (a maintained langid.py: a naive Bayes model over byte n-grams for
about 140 languages) was measured against lingua-language-detector on single sentences
of lingua-py's own language-testdata (``benchmarks/quality.py``): over the sixteen
languages Whoosh stems, py3langid 0.4.0 was right on 98.1% of sentences and lingua 2.1.1
on 97.4%, and lingua needed 1.1 GB of memory and ran at 119 sentences a second against
py3langid's 130 MB and 2,500 a second.

Two adjustments, both measured on the same data:

- Regional varieties and scripts that a short sentence of a big neighbour is mistaken
  for (Aragonese and Extremaduran for Spanish, Frisian and Luxembourgish for Dutch and
  German, Turkmen for Turkish, Nigerian Pidgin for English, ...) are left out, as are
  labels without a two-letter ISO 639-1 code, which is what Reader stores. A file that
  declares one of them keeps it (see :func:`choose_language`).
- A prior: an article in a news library is more likely to be in one of the languages
  Reader stems than in another, so those languages' probabilities count double. This
  lifts Spanish from 98.9% to 99.4% and Russian from 95.7% to 98.9% while Afrikaans
  stays at 99.0%.

Norwegian comes out as "no" whichever written standard it is (the stemmer is one).

:func:`language_code` is the one reading of a language as people and files write it
(``"de-DE"``, ``"en_GB"``, ``"deu"``, ``"German"``, ``"suomi"``): the importers use it for
declared languages, the index for the language field, ``lang:`` for what is typed.

The model takes about two seconds to load, so it is loaded on the first detection,
once per process, and py3langid (and numpy) is imported then too, not when this module
is: the search modules read language names through it.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import TYPE_CHECKING

from whoosh.lang import aliases as _whoosh_aliases

from reader.text import clean_line, fold_accents

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# The languages whoosh.lang has a stemmer or a stop list for (all but Turkish have a
# stemmer; see reader.search.analysis), which Reader searches best.
STEMMED = frozenset("ar da de en es fi fr hu it nl no pt ro ru sv tr".split())

_SAMPLE_CHARS = 2000
# Below this probability a text (a name, "OK", "12:30 · 4.5 km") is too short to tell;
# on lingua-py's sentences it costs 0.1 points of accuracy (99.3% -> 99.2%).
_MIN_CONFIDENCE = 0.2
_PRIOR = 2.0  # weight of a STEMMED language's probability against any other's
# Left out of the model's choices: mistaken for a big neighbour on short texts.
_REGIONAL = frozenset("an ext oc lij vec pcm gcf gcr crh tk fy wa ltg lb sa vo".split())
_ALIASES = {"nb": "no", "nn": "no"}
_TAG = re.compile(r"([a-z]{2})(?:[-_][a-z0-9]+)*")  # BCP 47's shape: "de", "de-AT", "zh_Hant_TW"
# Names of the languages of STEMMED beyond whoosh.lang's (ISO 639-2 codes, English names
# and the languages' own names): the own name without its accents, short forms, and
# Norwegian's two written standards.
_MORE_NAMES = {
    "русский": "ru", "castellano": "es", "română": "ro", "romana": "ro", "bokmål": "no",
    "norsk bokmål": "no", "nynorsk": "no", "nob": "no", "nno": "no", "vlaams": "nl", "flemish": "nl",
}
# A declared language is overruled only by a text this long that is this sure.
_OVERRULE_MIN_CHARS = 100
_OVERRULE_MIN_CONFIDENCE = 0.999
_LETTER = re.compile(r"[^\W\d_]")
_lock = threading.Lock()


def _fold_name(name: str) -> str:
    return fold_accents(name.lower()).lower()


_NAMES = {_fold_name(name): code for name, code in (*_whoosh_aliases.items(), *_MORE_NAMES.items())}


def language_code(value: str) -> str:
    """The ISO 639-1 code ``value`` names, or "" if it names none.

    ``value`` is a language tag (``"de-DE"``, ``"en_GB"``, ``"EN"``), an ISO 639-2 code
    (``"deu"``) or a name of one of the languages Reader stems, in English or in that
    language, accents optional (``"German"``, ``"deutsch"``, ``"suomi"``, ``"francais"``).
    Norwegian is ``"no"`` whichever written standard (``"nb"``, ``"nn"``, ``"bokmål"``):
    one stemmer serves both.
    """
    text = clean_line(value).strip().lower()
    match = _TAG.fullmatch(text)
    code = match.group(1) if match else _NAMES.get(_fold_name(text), "")
    return _ALIASES.get(code, code)


@functools.cache
def _identifier() -> LanguageIdentifier:
    import numpy
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    with _lock:
        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        identifier.set_languages(
            [label for label in identifier.labels if len(label) == 2 and label not in _REGIONAL]
        )
        # set_languages leaves the model's table (features x languages) in column order,
        # so scoring a text gathers each of its features' rows across the whole table: a
        # row-ordered copy of the same values scores the same, and a 2,000-character text
        # takes 0.48 ms instead of 0.64 (tests/test_language.py checks the scores are equal).
        identifier.nb_ptc = numpy.ascontiguousarray(identifier.nb_ptc)
        return identifier


def known_languages() -> frozenset[str]:
    """Every code :func:`detect_language` can return."""
    return frozenset(_ALIASES.get(label, label) for label in _identifier().labels)


def detect(text: str) -> tuple[str, float]:
    """The ISO 639-1 code of ``text`` and the model's probability for it; ("", 0.0) without letters."""
    sample = text[:_SAMPLE_CHARS]
    if not _LETTER.search(sample):
        return "", 0.0
    weights = _label_weights()
    merged: dict[str, float] = {}
    for label, p in _identifier().rank(sample):
        code, factor = weights[label]
        merged[code] = merged.get(code, 0.0) + p * factor
    total = sum(merged.values()) or 1.0
    code = max(merged, key=merged.__getitem__)
    return code, merged[code] / total


@functools.cache
def _label_weights() -> dict[str, tuple[str, float]]:
    """Each model label's code (aliases merged) and its prior's factor, worked out once:
    per label and detection, it was a sixth of the time of detecting a feed entry's language."""
    weights = {}
    for label in _identifier().labels:
        code = _ALIASES.get(label, label)
        weights[label] = (code, _PRIOR if code in STEMMED else 1.0)
    return weights


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``, or "" if it is too short or too mixed to tell."""
    code, confidence = detect(text)
    return code if confidence >= _MIN_CONFIDENCE else ""


def choose_language(text: str, declared: str = "") -> str:
    """The article's language: ``declared`` (a valid code) unless ``text`` is clearly another.

    Pages keep an ``<html lang="en">`` from their template whatever they hold, so a
    long text that the model is all but certain of overrules the declaration; a short
    or ambiguous one never does (Portuguese declared is kept even when a sentence
    looks Spanish).
    """
    declared = _ALIASES.get(declared, declared)
    if not declared:
        return detect_language(text)
    sample = text[:_SAMPLE_CHARS]
    if len(sample) < _OVERRULE_MIN_CHARS:
        return declared
    code, confidence = detect(sample)
    if code and code != declared and confidence >= _OVERRULE_MIN_CONFIDENCE:
        return code
    return declared
