"""Which words of a text match a query, and the ~200-character snippet around the best match.

Matching re-uses :func:`reader.search.analysis.term` with the article's own language,
so a word is marked exactly when the index would match it: ``cooperation`` for the query
``cooperate`` in English, ``Öffnungszeiten`` for ``offnungszeit`` in German.

Speed matters here: a search builds up to ``limit`` snippets from 600-word bodies.
Analysing every word costs too much, so a regular expression first finds the candidate
words, those starting like one of the query's forms (two letters, compared ignoring
case and accents: a Snowball stem keeps its word's first two letters, even porter2's
"dying" -> "die"); only those are analysed. Arabic is the exception: its stemmer takes
off prefixes (``الكتاب`` -> ``كتب``), so a query word in Arabic script makes every
Arabic word a candidate. The scan stops at the first window holding every query word.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter, deque
from collections.abc import Iterable, Sequence

from reader.search.analysis import NEUTRAL, term, untagged
from reader.search.query import ParsedQuery

SNIPPET_WIDTH = 200
ELLIPSIS = "…"

Span = tuple[int, int]

def _accented_letters() -> dict[str, str]:
    """Base letter -> its accented forms in Latin-1, Latin Extended and Cyrillic (ß
    counts as s; й as и, ё as е: folding makes them so)."""
    accented: dict[str, str] = {"s": "ß"}
    for code in (*range(0xC0, 0x250), *range(0x400, 0x500)):
        base = unicodedata.normalize("NFKD", chr(code))[0].lower()
        if base != chr(code).lower() and base.isalpha() and unicodedata.combining(base) == 0:
            accented[base] = accented.get(base, "") + chr(code)
    return accented


# For a candidate regex: each base letter also matches its accented forms, so "off" finds
# "Öffnungszeiten" in the text as it is, case-insensitively.
_ACCENTED = _accented_letters()
_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


def _letters(start: str) -> str:
    """A regex for ``start`` matching accented forms of its letters as well."""
    return "".join(f"[{c}{_ACCENTED[c]}]" if c in _ACCENTED else re.escape(c) for c in start)


class Marker:
    """The query words (in the form each analysis holds them) and prefixes to look for.

    Each query word is a *group*; a snippet window is better the more groups it holds.
    ``completions`` are words also matched as prefixes (search as you type): a word
    starting with one is in that word's group. The words are stemmed in a language only
    when a text of that language is marked: a page of hits is in one or two languages,
    and stemming every query word in all fifteen cost a millisecond a search.
    """

    def __init__(self, words: Iterable[str], prefixes: Iterable[str] = (), completions: Iterable[str] = ()) -> None:
        completed = dict.fromkeys(term(NEUTRAL, w) for w in completions)
        unique_words = dict.fromkeys(term(NEUTRAL, w) for w in words)
        unique_words.update(completed)
        unique_words.pop("", None)
        self._words = tuple(unique_words)
        prefixes = [p for p in dict.fromkeys(prefixes) if p]
        self._prefixes = (
            *((word, group) for group, word in enumerate(unique_words) if word in completed),
            *((p, len(unique_words) + i) for i, p in enumerate(prefixes)),
        )
        self.size = len(unique_words) + len(prefixes)
        self._arabic = any(_ARABIC.match(word) for word in unique_words)
        self._analyses: dict[str, tuple[dict[str, int], re.Pattern[str] | None]] = {}

    @classmethod
    def of(cls, parsed: ParsedQuery) -> Marker:
        """The marker of a :class:`~reader.search.query.ParsedQuery`."""
        return cls((w.text for w in parsed.words), parsed.prefixes, (w.text for w in parsed.completions))

    def __bool__(self) -> bool:
        return self.size > 0

    def _analysis(self, language: str) -> tuple[dict[str, int], re.Pattern[str] | None]:
        """The query words' terms in ``language`` (a language key) -> their groups, and
        the regex of candidate words (see the module doc)."""
        found = self._analyses.get(language)
        if found is None:
            forms: dict[str, int] = {}
            for group, word in enumerate(self._words):
                forms.setdefault(term(language, word), group)
            starts = sorted({untagged(f)[:2] for f in forms} | {p[:2] for p, _ in self._prefixes})
            pattern = "|".join([*map(_letters, starts), *([_ARABIC.pattern] if self._arabic else [])])
            found = self._analyses[language] = (forms, re.compile(rf"\b(?:{pattern})\w*", re.IGNORECASE) if starts else None)
        return found

    def group(self, word: str, language: str) -> int | None:
        """The group ``word`` matches in a text of ``language`` (a language key), or None."""
        found = self._analysis(language)[0].get(term(language, word))
        if found is None and self._prefixes:
            folded = term(NEUTRAL, word)
            for prefix, group in self._prefixes:
                if folded.startswith(prefix):
                    return group
        return found

    def matches(self, text: str, language: str) -> Iterable[tuple[int, int, int]]:
        """``(start, end, group)`` of every matching word of ``text``, in order."""
        candidates = self._analysis(language)[1]
        if candidates is None:
            return
        for match in candidates.finditer(text):
            start, end = match.span()
            group = self.group(text[start:end], language)
            if group is not None:
                yield start, end, group

    def spans(self, text: str, language: str) -> list[Span]:
        return [(start, end) for start, end, _ in self.matches(text, language)]


def snippet(marker: Marker, texts: Sequence[str], language: str, width: int = SNIPPET_WIDTH) -> tuple[str, tuple[Span, ...]]:
    """The best window of the first text that has one (summary, then body), and its marks.

    The best window holds the most distinct query words, then the most matches. Without
    any match (a title-only or filter-only hit) it is the start of the first non-empty text.
    """
    best: tuple[tuple[int, int], str, int, int] | None = None
    for text in texts:
        found = _best_window(marker, text, language, width)
        if found is not None and (best is None or found[0] > best[0]):
            best = (found[0], text, found[1], found[2])
            if found[0][0] == marker.size:
                break
    if best is None:
        text = next((t for t in texts if t.strip()), "")
        return _cut(marker, text, language, 0, 0, width)
    _, text, start, end = best
    return _cut(marker, text, language, start, end, width)


def _best_window(marker: Marker, text: str, language: str, width: int) -> tuple[tuple[int, int], int, int] | None:
    """``((distinct, count), start, end)`` of the best run of matches within ``width``."""
    window: deque[tuple[int, int, int]] = deque()
    groups: Counter[int] = Counter()
    best: tuple[tuple[int, int], int, int] | None = None
    for match in marker.matches(text, language):
        window.append(match)
        groups[match[2]] += 1
        while match[1] - window[0][0] > width:
            dropped = window.popleft()
            groups[dropped[2]] -= 1
            if not groups[dropped[2]]:
                del groups[dropped[2]]
        score = (len(groups), len(window))
        if best is None or score > best[0]:
            best = (score, window[0][0], match[1])
            if score[0] == marker.size:
                break
    return best


def _cut(marker: Marker, text: str, language: str, first: int, last: int, width: int) -> tuple[str, tuple[Span, ...]]:
    """About ``width`` characters of ``text`` around ``[first, last)``, cut at word edges,
    whitespace collapsed, with ellipses where cut and the marks re-found inside."""
    slack = max(0, width - (last - first))
    start = max(0, first - slack * 2 // 5)
    end = min(len(text), start + width)
    start = max(0, min(start, end - width))
    if start > 0 and not text[start - 1].isspace():
        space = text.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    if end < len(text) and not text[end].isspace():
        space = text.rfind(" ", last, end)
        end = space if space >= 0 else end
    piece, marks = _collapse(text[start:end], marker.spans(text[start:end], language))
    if start > 0:
        piece = ELLIPSIS + piece
        marks = [(s + 1, e + 1) for s, e in marks]
    if end < len(text):
        piece += ELLIPSIS
    return piece, tuple(marks)


def _collapse(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """Runs of whitespace (paragraph breaks too) become one space; spans follow."""
    pieces: list[str] = []
    ends: list[int] = []  # where a collapsed run ends in ``text`` ...
    removed: list[int] = []  # ... and how many characters were dropped up to there
    last = dropped = 0
    for run in _SPACE_RUN.finditer(text):
        pieces += (text[last : run.start()], " ")
        dropped += run.end() - run.start() - 1
        ends.append(run.end())
        removed.append(dropped)
        last = run.end()
    pieces.append(text[last:])

    def moved(offset: int) -> int:
        k = bisect_right(ends, offset)
        return offset - (removed[k - 1] if k else 0)

    collapsed = "".join(pieces)
    lead = len(collapsed) - len(collapsed.lstrip())
    return collapsed.strip(), [(moved(s) - lead, moved(e) - lead) for s, e in spans]
