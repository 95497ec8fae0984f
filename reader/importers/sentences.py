"""Where the first sentence of a text ends, for titles derived from a summary.

A card or a feed item without a title gets one from its first sentence, and a period
is not always a sentence end: "In Seoul on Jan. 8, …", "Dr. J. R. Mendez says …", "am
28. Oktober", "z. B.", "Sr. García". A period ends a sentence only when the next word
starts like a sentence (a capital letter, a digit, a quote) and the word before it is
not an abbreviation of a supported language (en de fr es it nl pt), not a single letter
(an initial), and not a number that the next word shows to be an ordinal or a day of
the month ("28. Oktober", "8. Dezember"). ``!``, ``?`` and ``…`` always end one.

pysbd 0.3.4 was tried and left out: it has no Portuguese, ends a sentence at "janv."
and "okt.", takes 20 to 70 ms per text in English, and installs a top-level
``benchmarks`` package that shadows this project's own.
"""

from __future__ import annotations

import re

_ABBREVIATIONS = frozenset(
    """
    jan feb febr mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    mr mrs ms dr prof st sr jr gen gov sen rep col lt sgt capt cmdr adm rev hon pres supt insp no nos
    vs etc inc ltd co corp bros dept est approx fig vol ed eds al ca cf ie eg e.g i.e a.m p.m u.s u.k
    jän märz okt dez nr str bzw ggf vgl usw evtl sog inkl zzgl u.a z.b d.h s.o u.ä hr fr frl dipl ing mio mrd
    janv févr avr juil sept déc oct m mme mlle mm me pr env
    ene abr ago dic sra srta dra ud uds lic av avda
    gen feb mag giu lug ott sig sigg dott ing avv
    mevr dhr drs ir ing mr prof jl jg
    fev set out dez sr sra dr dra exmo exma
    """.split()
)
_MONTHS = frozenset(
    """
    january february march april may june july august september october november december
    januar jänner februar märz april mai juni juli august september oktober november dezember
    janvier février mars avril mai juin juillet août septembre octobre novembre décembre
    enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
    gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
    januari februari maart april mei juni juli augustus september oktober november december
    janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro
    jan feb mar apr jun jul aug sep sept oct okt nov dec dez
    """.split()
)
_END = re.compile(r"[.!?…]+[\"'”’»)]*(?=\s+(\S+))")
_SPACES = re.compile(r"\s*")
_WORD_BEFORE = re.compile(r"(\S+)$")
_STARTS_SENTENCE = re.compile(r"[\"'“„«(]*[^\W\d_]|\d|[\"'“„«]")


def first_sentence(text: str, limit: int = 90) -> str:
    """The first sentence of ``text`` without its closing punctuation, cut on a word at ``limit``."""
    text = " ".join(text.split())
    sentence = text
    for match in _END.finditer(text):
        if _is_end(text, match):
            sentence = text[: match.start()]
            break
    sentence = sentence.rstrip(".!?… ")
    if len(sentence) > limit:
        cut = sentence[:limit].rsplit(" ", 1)[0]
        sentence = cut.rstrip(",;:") + "…"
    return sentence


def _is_end(text: str, match: re.Match[str]) -> bool:
    mark = match.group(0)
    following = match.group(1)
    if not _STARTS_SENTENCE.match(following):
        return False
    if not mark.startswith(".") or mark.startswith("..."):
        return True
    before = _WORD_BEFORE.search(text, 0, match.start())
    word = before.group(1).lstrip("\"'“„«(").casefold() if before else ""
    if not word:
        return True
    if word in _ABBREVIATIONS or word.rstrip(".") in _ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isalpha():
        return False  # an initial: "J. R. Mendez"
    if "." in word and all(len(part) <= 2 for part in word.split(".")):
        return False  # "z.B", "U.S", "a.m"
    if word.isdigit() and len(word) <= 2:
        nxt = following.strip("\"'“„«(,")
        month = nxt.casefold().rstrip(".")
        return not (month in _MONTHS or nxt[:1].islower())
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Every sentence of ``text`` as ``(start, end)`` offsets, by the rules of
    :func:`first_sentence` (closing punctuation and quotes included, the spaces between
    sentences left out): the steps of the reader's visual mode."""
    spans: list[tuple[int, int]] = []
    start = len(text) - len(text.lstrip())
    for match in _END.finditer(text):
        if match.end() > start and _is_end(text, match):
            spans.append((start, match.end()))
            spaces = _SPACES.match(text, match.end())  # always matches (\s*): the next sentence's start
            start = spaces.end() if spaces else match.end()
    end = len(text.rstrip())
    if start < end:
        spans.append((start, end))
    return spans
