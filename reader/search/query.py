"""The query language: the user's string -> a small tree of what it asks for.

Reader has its own tokenizer and parser instead of Whoosh's ``QueryParser`` because the
syntax is ours (``tag:``, ``is:bookmarked``, ``sort:date``, ``-word``, date ranges) and
because one word must become the union of its folded form and its stem in each language
(which :mod:`reader.search.compiler` does; this module knows nothing of Whoosh).

Syntax (documented for users in the README and the TUI help):

- ``harbour strike``: every word must match (title, summary or body), ranked by BM25F
  with the title boosted; ``"container terminal"``: the words adjacent, in order;
  ``harb*``: any word starting with ``harb``.
- ``a OR b``; ``NOT a`` or ``-a``; ``( ... )`` groups. ``OR`` binds tighter than the
  implicit AND: ``hafen hamburg OR bremen`` is ``hafen (hamburg OR bremen)``.
- Fields: ``title:``, ``source:``, ``tag:``, ``lang:`` (a code or a name, in English or
  in the language: ``de``, ``german``, ``deutsch``; ``fi``, ``finnish``, ``suomi``),
  ``published:2026-01``, ``published:[2026-01-01 to 2026-02-01]`` (either end ``*``).
- ``is:bookmarked``, ``is:unread``, ``is:read`` (each may be negated) filter the whole
  query, wherever they are written; they are not OR-able.
- ``has:note``, ``has:highlight``: articles with a note, with a highlight (filters like
  ``is:``). ``in:highlights``: the query's words (and phrases, prefixes) must be in a
  highlighted passage or a note of the article, not in its text.
- ``sort:date``: newest first. A query with no ranked words (only fields, filters or
  negations, e.g. ``is:bookmarked``) is sorted newest first too.

A malformed query (unbalanced quotes, brackets or parentheses, a bare ``title:``, a lone
``*`` or ``-``, a dangling ``OR`` or ``NOT``, an unknown ``is:``/``sort:`` value, a
``published:`` that is no date) never raises: it falls back to its plain words. An
empty query matches nothing.

Every query is bounded, whatever is typed or pasted (the query still runs on what is
kept, and :attr:`ParsedQuery.notes` says what was left out, in plain words): groups
nest at most :data:`MAX_DEPTH` deep (deeper parentheses are ignored), a run of ``NOT``
is one negation or none, a word, phrase or prefix repeated in the same group counts
once, a query keeps its first :data:`MAX_TERMS` words, phrases and prefixes, of which
at most :data:`MAX_PREFIXES` prefixes, and a phrase its first :data:`MAX_PHRASE_WORDS`
words. The parser's recursion is bounded by :data:`MAX_DEPTH`, so no query reaches
Python's recursion limit.

Search as you type (``parse(text, as_you_type=True)``): the user is still typing the
last word, so when the query does not end in whitespace and its last token is a plain,
positive word (not quoted, not a field value, not an operator, not negated, not already
``word*``, at least :data:`MIN_COMPLETION` characters), that word is a :class:`Term`
with ``complete=True``: it matches as itself (its stems) or as a prefix of the
vocabulary, so ``harbour coop`` finds "cooperation". A malformed query completes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, replace
from enum import Enum
from typing import NamedTuple

from reader.language import language_code
from reader.model import ArticleFlag, HighlightFlag, SearchFlag
from reader.search.analysis import WORD, fold

FIELDS = {
    "title": "title",
    "source": "source",
    "tag": "tag",
    "tags": "tag",
    "lang": "lang",
    "language": "lang",
    "published": "published",
    "is": "is",
    "has": "has",
    "in": "in",
    "sort": "sort",
}
FLAGS = {
    "bookmarked": (ArticleFlag.BOOKMARKED, True), "read": (ArticleFlag.READ, True), "unread": (ArticleFlag.READ, False),
}
# has:note, has:highlight: state flags like is:, asked of the library's highlights.
HAS = {
    "note": HighlightFlag.NOTE, "notes": HighlightFlag.NOTE,
    "highlight": HighlightFlag.HIGHLIGHT, "highlights": HighlightFlag.HIGHLIGHT,
}
IN_HIGHLIGHTS = HighlightFlag.IN_HIGHLIGHTS
"""The flag of ``in:highlights``: the query's words are looked for in the highlighted
passages and notes (the library's :class:`StateLookup` answers), not in the articles."""
OPERATORS = ("OR", "NOT", "AND")

_DATE_PREFIX = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
_RANGE_SPLIT = re.compile(r"\s+to\s+", re.IGNORECASE)
_BARE = re.compile(r'[^\s()"]+')

# As you type, a last word shorter than this matches only as itself: a one- or two-letter
# prefix completes to the library's commonest words and narrows nothing, and at 100,000
# articles scoring them took 60 to 120 ms a keystroke (three letters: 10 to 60 ms).
MIN_COMPLETION = 3

# Bounds on what one query may ask for (see the module doc). A query past them is one
# nobody types: "("x1000 ended in a RecursionError, a phrase of "harbour"x2000 took 275 s
# and 130 ORed prefixes 147 s at 10,000 articles before these bounds.
MAX_DEPTH = 16
MAX_TERMS = 64
MAX_PREFIXES = 3  # each expands to up to 64 terms (compiler.MAX_PREFIX_TERMS): 8 took 2.8 s at 10,000
MAX_PHRASE_WORDS = 12

NOTE_DEPTH = f"groups nested deeper than {MAX_DEPTH} were flattened"
NOTE_REPEATED = "repeated words were searched once"
NOTE_TERMS = f"only the first {MAX_TERMS} words, phrases and prefixes were searched"
NOTE_PREFIXES = f"only the first {MAX_PREFIXES} prefixes (word*) were searched"
NOTE_PHRASE = f"phrases were cut to their first {MAX_PHRASE_WORDS} words"



class Malformed(Exception):
    """Internal: the query does not parse; the caller falls back to plain words."""


class Word(NamedTuple):
    """A query word and where it was typed (for "did you mean" rewriting)."""

    text: str
    start: int
    end: int


# The tree. ``scope`` is "text" (title, summary, body), "title" or "source".
@dataclass(frozen=True)
class Term:
    scope: str
    word: Word
    complete: bool = False  # as you type: also a prefix of the vocabulary (see the module doc)


@dataclass(frozen=True)
class Phrase:
    scope: str
    words: tuple[Word, ...]


@dataclass(frozen=True)
class Prefix:
    scope: str  # "text", "title", "source" or "tags"
    text: str


@dataclass(frozen=True)
class Keyword:
    field: str  # "tags" or "language"
    value: str


@dataclass(frozen=True)
class DateRange:
    start: str | None  # inclusive prefixes of yyyy-mm-dd; None is open
    end: str | None


@dataclass(frozen=True)
class Flag:
    flag: SearchFlag
    value: bool


@dataclass(frozen=True)
class SortByDate:
    pass


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class AllOf:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    nodes: tuple[Node, ...]


Node = Term | Phrase | Prefix | Keyword | DateRange | Flag | SortByDate | Not | AllOf | AnyOf


@dataclass(frozen=True)
class ParsedQuery:
    """What a query string asks for.

    ``root`` is None when nothing but filters remain (every article qualifies).
    ``required``/``excluded`` are state flags the article must / must not have.
    ``words`` and ``prefixes`` are the positive words and prefixes of the ranked fields
    (title, summary, body): what is marked in snippets and what ranking is about.
    ``completions`` are those of ``words`` that also match as prefixes (as you type).
    """

    text: str
    root: Node | None
    required: frozenset[SearchFlag] = frozenset()
    excluded: frozenset[SearchFlag] = frozenset()
    sort_by_date: bool = False
    words: tuple[Word, ...] = ()
    prefixes: tuple[str, ...] = ()
    fallback: bool = False
    completions: tuple[Word, ...] = ()
    notes: tuple[str, ...] = ()  # what the bounds left out (see the module doc), for people
    highlight_words: tuple[str, ...] = ()  # in:highlights: looked for in highlights and notes

    @property
    def is_empty(self) -> bool:
        return self.root is None and not self.required and not self.excluded and not self.sort_by_date

    @property
    def terms(self) -> tuple[str, ...]:
        """The positive words as typed, then the prefixes (``SearchResult.terms``)."""
        return tuple(dict.fromkeys(w.text for w in self.words)) + self.prefixes

    @property
    def ranked(self) -> bool:
        """Rank by relevance? Only when there are positive words and no ``sort:date``."""
        return not self.sort_by_date and bool(self.words or self.prefixes)



# ---------------------------------------------------------------------------- lexer


class TokenKind(Enum):
    """What a token of the query is. A plain Enum, not a StrEnum: a kind compared with a
    string (``token.kind == "word"``, always false) is a type error, not a silent miss."""

    WORD = "word"
    PHRASE = "phrase"  # "..."
    FIELD = "field"  # name:value (its ValueKind says how the value was written)
    OPEN = "("
    CLOSE = ")"
    OR = "OR"
    NOT = "NOT"
    MINUS = "-"  # -word


class ValueKind(Enum):
    """How a field's value was written: ``tag:x``, ``title:"a b"``, ``published:[a to b]``."""

    WORD = "word"
    PHRASE = "phrase"
    RANGE = "range"


class _Token(NamedTuple):
    kind: TokenKind
    text: str
    start: int
    field: str = ""
    value_kind: ValueKind | None = None  # FIELD tokens only


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            tokens.append(_Token(TokenKind.OPEN if ch == "(" else TokenKind.CLOSE, ch, i))
            i += 1
        elif ch == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise Malformed("unbalanced quote")
            tokens.append(_Token(TokenKind.PHRASE, text[i + 1 : close], i + 1))
            i = close + 1
        elif ch == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != "-":
            tokens.append(_Token(TokenKind.MINUS, ch, i))
            i += 1
        else:
            bare = _BARE.match(text, i)
            assert bare is not None  # text[i] is none of the characters _BARE stops at
            raw = bare.group()
            token, i = _lex_bare(text, i, raw)
            if token is not None:
                tokens.append(token)
    return tokens


def _lex_bare(text: str, i: int, raw: str) -> tuple[_Token | None, int]:
    """A run of non-space characters: an operator, a ``field:value`` or a word."""
    if raw in OPERATORS:
        return (None if raw == "AND" else _Token(TokenKind(raw), raw, i)), i + len(raw)
    name, colon, rest = raw.partition(":")
    field = FIELDS.get(name.lower()) if colon else None
    if field is None:
        return _Token(TokenKind.WORD, raw, i), i + len(raw)
    value_at = i + len(name) + 1
    if rest.startswith("["):
        close = text.find("]", value_at)
        if close < 0:
            raise Malformed("unbalanced bracket")
        return _Token(TokenKind.FIELD, text[value_at + 1 : close], value_at + 1, field, ValueKind.RANGE), close + 1
    if not rest and text.startswith('"', value_at):
        close = text.find('"', value_at + 1)
        if close < 0:
            raise Malformed("unbalanced quote")
        return _Token(TokenKind.FIELD, text[value_at + 1 : close], value_at + 1, field, ValueKind.PHRASE), close + 1
    if not rest:
        raise Malformed(f"nothing after {name}:")
    return _Token(TokenKind.FIELD, rest, value_at, field, ValueKind.WORD), i + len(raw)


# --------------------------------------------------------------------------- parser


class _Parser:
    """Recursive descent: sequence := or*; or := unary (OR unary)*; unary := (NOT|-) unary | primary."""

    def __init__(self, tokens: list[_Token], complete_at: int | None = None) -> None:
        self.tokens = tokens
        self.pos = 0
        self.complete_at = complete_at  # where the word completed as you type starts

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise Malformed("unexpected end")
        self.pos += 1
        return token

    def sequence(self, nested: bool) -> list[Node]:
        nodes = []
        while (token := self.peek()) is not None and token.kind is not TokenKind.CLOSE:
            node = self.disjunction()
            if node is not None:
                nodes.append(node)
        if (token is None) == nested:
            raise Malformed("unbalanced parenthesis")
        return nodes

    def disjunction(self) -> Node | None:
        nodes = [self.unary()]
        while (token := self.peek()) is not None and token.kind is TokenKind.OR:
            self.take()
            nodes.append(self.unary())
        kept = tuple(node for node in nodes if node is not None)
        if len(kept) <= 1:
            return kept[0] if kept else None
        return AnyOf(kept)

    def unary(self) -> Node | None:
        token = self.take()
        negations = 0
        while token.kind in (TokenKind.NOT, TokenKind.MINUS):  # a loop, not recursion: "NOT "x1000 is one NOT or none
            negations += 1
            token = self.take()
        node = self.primary(token)
        return Not(node) if node is not None and negations % 2 else node

    def primary(self, token: _Token) -> Node | None:
        if token.kind is TokenKind.OPEN:
            nodes = self.sequence(nested=True)
            self.take()  # the ")"
            return _all(nodes)
        if token.kind is TokenKind.WORD:
            node = _bare_word(token.text, token.start, "text")
            if token.start == self.complete_at and isinstance(node, Term):
                node = replace(node, complete=True)
            return node
        if token.kind is TokenKind.PHRASE:
            return _phrase(token.text, token.start, "text")
        if token.kind is TokenKind.FIELD:
            return _field(token)
        raise Malformed(f"unexpected {token.text!r}")


def _flatten_deep_groups(tokens: list[_Token], notes: list[str]) -> list[_Token]:
    """The tokens without the parentheses nested deeper than MAX_DEPTH (their contents
    stay, one level up), so the recursive descent stays shallow. Unbalanced ones are kept
    for the parser to refuse."""
    kept: list[_Token] = []
    open_groups: list[bool] = []  # for each open parenthesis: was it kept?
    for token in tokens:
        if token.kind is TokenKind.OPEN:
            keep = sum(open_groups) < MAX_DEPTH
            open_groups.append(keep)
            if not keep:
                continue
        elif token.kind is TokenKind.CLOSE and open_groups and not open_groups.pop():
            continue
        kept.append(token)
    if len(kept) < len(tokens):
        notes.append(NOTE_DEPTH)
    return kept


def _all(nodes: list[Node]) -> Node | None:
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else AllOf(tuple(nodes))


def _words(text: str, offset: int) -> list[Word]:
    return [Word(m.group(), offset + m.start(), offset + m.end()) for m in WORD.finditer(text)]


def _bare_word(raw: str, start: int, scope: str) -> Node | None:
    """``covid-19`` is a phrase of its words; ``harb*`` a prefix; ``!!`` nothing."""
    if raw.endswith("*"):
        words = _words(raw.rstrip("*"), start)
        if not words:
            raise Malformed("a lone *")
        return _all([*(Term(scope, w) for w in words[:-1]), Prefix(scope, fold(words[-1].text))])
    return _phrase(raw, start, scope)


def _phrase(text: str, start: int, scope: str) -> Node | None:
    words = _words(text, start)
    if len(words) > 1:
        return Phrase(scope, tuple(words))
    return Term(scope, words[0]) if words else None


def _field(token: _Token) -> Node | None:
    field, value, kind = token.field, token.text.strip(), token.value_kind
    if kind is ValueKind.RANGE and field != "published":
        raise Malformed(f"{field}: takes no range")
    if field in ("title", "source"):
        if kind is ValueKind.PHRASE:
            return _phrase(token.text, token.start, field)
        return _bare_word(token.text, token.start, field)
    if not value:
        raise Malformed(f"empty {field}:")
    if field == "tag":
        if value.endswith("*") and kind is ValueKind.WORD:
            return Prefix("tags", fold(value.rstrip("*")))
        return Keyword("tags", fold(value))
    if field == "lang":
        return Keyword("language", language_code(value))
    if field == "published":
        return _date(value, kind)
    if field == "is":
        if value.lower() not in FLAGS:
            raise Malformed(f"unknown is:{value}")
        return Flag(*FLAGS[value.lower()])
    if field == "has":
        if value.lower() not in HAS:
            raise Malformed(f"unknown has:{value}")
        return Flag(HAS[value.lower()], True)
    if field == "in":
        if value.lower() not in ("highlights", "highlight", "notes"):
            raise Malformed(f"unknown in:{value}")
        return Flag(IN_HIGHLIGHTS, True)
    if value.lower() not in ("date", "newest"):  # field == "sort"
        raise Malformed(f"unknown sort:{value}")
    return SortByDate()


def _date(value: str, kind: ValueKind | None) -> DateRange:
    """``2026-01`` is the range of that month; ``[a to b]`` includes both ends."""
    if kind is not ValueKind.RANGE:
        value = value.rstrip("*")
        if not _DATE_PREFIX.fullmatch(value):
            raise Malformed("not a date")
        return DateRange(value, value)
    ends = _RANGE_SPLIT.split(value.strip())
    if len(ends) != 2:
        raise Malformed("a range needs two ends")
    start, end = (None if e == "*" else e for e in ends)
    for end_value in (start, end):
        if end_value is not None and not _DATE_PREFIX.fullmatch(end_value):
            raise Malformed("not a date")
    return DateRange(start, end)


# ------------------------------------------------------------------ post-processing


def parse(text: str, as_you_type: bool = False) -> ParsedQuery:
    """Parse a user's query; never raises. See the module doc for ``as_you_type``."""
    notes: list[str] = []
    try:
        tokens = _lex(text)
        parser = _Parser(_flatten_deep_groups(tokens, notes), _completed_word(text, tokens) if as_you_type else None)
        root = _all(parser.sequence(nested=False))
        fallback = False
    except Malformed:
        notes = []
        root = _all([Term("text", w) for w in _plain_words(text)])
        fallback = True
    root = _Bounds(notes).node(root)
    required: set[SearchFlag] = set()
    excluded: set[SearchFlag] = set()
    sort: list[bool] = []
    root = _extract_filters(root, False, required, excluded, sort)
    excluded.discard(IN_HIGHLIGHTS)  # -in:highlights asks for nothing
    highlight_words: tuple[str, ...] = ()
    if IN_HIGHLIGHTS in required:
        root, highlight_words = _text_words(root)
    words: list[Word] = []
    prefixes: list[str] = []
    completions: list[Word] = []
    _positive_words(root, False, words, prefixes, completions)
    return ParsedQuery(
        text=text,
        root=root,
        required=frozenset(required),
        excluded=frozenset(excluded),
        sort_by_date=bool(sort),
        words=tuple(words),
        prefixes=tuple(prefixes),
        fallback=fallback,
        completions=tuple(completions),
        notes=tuple(dict.fromkeys(notes)),
        highlight_words=highlight_words,
    )


def _text_words(root: Node | None) -> tuple[Node | None, tuple[str, ...]]:
    """``in:highlights``: the words, phrases and prefixes the query requires of the text,
    taken out of the tree (they are looked for in highlights and notes instead); what is
    left (fields, negations, ORs) still filters the articles."""
    nodes = root.nodes if isinstance(root, AllOf) else (root,) if root is not None else ()
    taken: list[str] = []
    kept: list[Node] = []
    for node in nodes:
        if isinstance(node, Term) and node.scope == "text":
            taken.append(node.word.text)
        elif isinstance(node, Phrase) and node.scope == "text":
            taken.append(" ".join(w.text for w in node.words))
        elif isinstance(node, Prefix) and node.scope == "text":
            taken.append(node.text)
        else:
            kept.append(node)
    return _all(kept), tuple(taken)


class _Bounds:
    """The tree within MAX_TERMS, MAX_PREFIXES and MAX_PHRASE_WORDS, repeats removed.

    Leaves are kept in the order they were typed; ``notes`` hears what was left out.
    """

    def __init__(self, notes: list[str]) -> None:
        self.notes = notes
        self.leaves = 0
        self.prefixes = 0

    def node(self, node: Node | None) -> Node | None:
        if isinstance(node, (AllOf, AnyOf)):
            kept: list[Node] = []
            seen: set[Hashable] = set()
            for child in node.nodes:
                key = _key(child)
                if key in seen:
                    self.notes.append(NOTE_REPEATED)
                    continue
                seen.add(key)
                bounded = self.node(child)
                if bounded is not None:
                    kept.append(bounded)
            if len(kept) <= 1:
                return kept[0] if kept else None
            return type(node)(tuple(kept))
        if isinstance(node, Not):
            inner = self.node(node.node)
            return None if inner is None else Not(inner)
        if isinstance(node, (Term, Phrase, Prefix, Keyword, DateRange)):
            if self.leaves == MAX_TERMS:
                self.notes.append(NOTE_TERMS)
                return None
            if isinstance(node, Prefix):
                if self.prefixes == MAX_PREFIXES:
                    self.notes.append(NOTE_PREFIXES)
                    return None
                self.prefixes += 1
            self.leaves += 1
            if isinstance(node, Phrase) and len(node.words) > MAX_PHRASE_WORDS:
                self.notes.append(NOTE_PHRASE)
                return replace(node, words=node.words[:MAX_PHRASE_WORDS])
        return node


def _key(node: Node) -> Hashable:
    """What makes two nodes the same search: their words folded, wherever they were typed."""
    if isinstance(node, Term):
        return ("term", node.scope, fold(node.word.text), node.complete)
    if isinstance(node, Phrase):
        return ("phrase", node.scope, tuple(fold(w.text) for w in node.words))
    if isinstance(node, Not):
        return ("not", _key(node.node))
    if isinstance(node, (AllOf, AnyOf)):
        return (type(node).__name__, tuple(_key(n) for n in node.nodes))
    return node  # frozen dataclasses without positions compare by value


def _completed_word(text: str, tokens: list[_Token]) -> int | None:
    """Where the word being typed starts, if it is to be completed (see the module doc)."""
    if not tokens or not text or text[-1].isspace():
        return None
    last = tokens[-1]
    if last.kind is not TokenKind.WORD or last.start + len(last.text) != len(text) or not WORD.fullmatch(last.text):
        return None  # a field value, a phrase, "word*", "covid-19", or "word AND"
    if len(tokens) > 1 and tokens[-2].kind in (TokenKind.MINUS, TokenKind.NOT):
        return None  # completing an excluded word would hide articles mid-word
    if len(fold(last.text)) < MIN_COMPLETION:
        return None
    return last.start


def _plain_words(text: str) -> list[Word]:
    """A malformed query's words, without operators and field names."""
    return [
        word
        for word in _words(text, 0)
        if word.text not in OPERATORS
        and not (text.startswith(":", word.end) and word.text.lower() in FIELDS)
    ]


def _extract_filters(
    node: Node | None, negated: bool, required: set[SearchFlag], excluded: set[SearchFlag], sort: list[bool]
) -> Node | None:
    """Remove ``is:`` and ``sort:`` from the tree; they apply to the whole query."""
    if isinstance(node, Flag):
        (excluded if node.value == negated else required).add(node.flag)
        return None
    if isinstance(node, SortByDate):
        sort.append(True)
        return None
    if isinstance(node, Not):
        inner = _extract_filters(node.node, not negated, required, excluded, sort)
        return None if inner is None else Not(inner)
    if isinstance(node, (AllOf, AnyOf)):
        kept = [k for k in (_extract_filters(n, negated, required, excluded, sort) for n in node.nodes) if k is not None]
        if len(kept) <= 1:
            return kept[0] if kept else None
        return type(node)(tuple(kept))
    return node


def _positive_words(
    node: Node | None, negated: bool, words: list[Word], prefixes: list[str], completions: list[Word]
) -> None:
    if isinstance(node, Not):
        _positive_words(node.node, not negated, words, prefixes, completions)
    elif isinstance(node, (AllOf, AnyOf)):
        for child in node.nodes:
            _positive_words(child, negated, words, prefixes, completions)
    elif negated or getattr(node, "scope", None) not in ("text", "title"):
        return
    elif isinstance(node, Term):
        words.append(node.word)
        if node.complete:
            completions.append(node.word)
    elif isinstance(node, Phrase):
        words.extend(node.words)
    elif isinstance(node, Prefix):
        prefixes.append(node.text)
