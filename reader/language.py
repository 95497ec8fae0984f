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

The model is loaded on the first detection, once per process (mapped from the cache
directory, :mod:`reader.language_cache`; unpacking py3langid's own file takes 0.6 s),
and py3langid (and numpy) is imported then too, not when this module is:
the search modules read language names through it. It is scored by
:mod:`reader.language_model`, the same arithmetic as py3langid's without its Python
loop over every byte.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import TYPE_CHECKING

from whoosh.lang import aliases as _whoosh_aliases

from reader.text import clean_line, fold_accents

if TYPE_CHECKING:
    import numpy as np

    from reader.language_model import Model

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
def _scoring() -> _Scoring:
    """py3langid's model, its choices narrowed to the labels Reader stores: mapped from
    the cache directory, or unpacked (and cached) when it is not there."""
    from reader import language_cache

    with _lock:
        return _Scoring.of(language_cache.load_or_build(_narrowed_model, _REGIONAL))


def _narrowed_model() -> Model:
    """py3langid's model as its package ships it, narrowed to the labels Reader stores.

    Only the arrays :class:`reader.language_model.Model` reads are kept; the rest of the
    identifier (the table of all its 142 languages, 28 MB) goes.
    """
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from reader.language_model import Model

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([label for label in identifier.labels if len(label) == 2 and label not in _REGIONAL])
    return Model.of(identifier)


class _Scoring:
    """The model and, per class column, the code it counts for and its prior's factor.

    Worked out once: per label and detection, the prior's lookup was a sixth of the time
    of detecting a feed entry's language. A code's probability is the sum of its
    columns' (py3langid folds an alias's column into its label's the same way).
    """

    def __init__(self, model: Model, codes: list[str], column_codes: np.ndarray, factors: np.ndarray) -> None:
        self.model, self.codes, self.column_codes, self.factors = model, codes, column_codes, factors

    @classmethod
    def of(cls, model: Model) -> _Scoring:
        import numpy

        codes = list(dict.fromkeys(_ALIASES.get(label, label) for label in model.labels))
        column_codes = numpy.array([codes.index(_ALIASES.get(label, label)) for label in model.labels])
        factors = numpy.array([_PRIOR if codes[c] in STEMMED else 1.0 for c in column_codes])
        return cls(model, codes, column_codes, factors)

    def best(self, text: str) -> tuple[str, float]:
        """The most likely code, prior included, and its share of the probability."""
        import numpy

        weighted = self.model.probabilities(text) * self.factors
        merged = numpy.bincount(self.column_codes, weighted, len(self.codes))
        best = int(merged.argmax())  # the first of equals, in the model's order of labels
        return self.codes[best], float(merged[best] / (merged.sum() or 1.0))


def known_languages() -> frozenset[str]:
    """Every code :func:`detect_language` can return."""
    return frozenset(_scoring().codes)


def detect(text: str) -> tuple[str, float]:
    """The ISO 639-1 code of ``text`` and the model's probability for it; ("", 0.0) without letters."""
    sample = text[:_SAMPLE_CHARS]
    if not _LETTER.search(sample):
        return "", 0.0
    return _scoring().best(sample)


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
