"""Tags: the names, the tags an article shows, and the edits a person types. No I/O.

An article carries the tags its file or feed gave it (``Article.tags``, replaced by every
re-import) and the tags its reader added or took away (``Article.user_tags`` and
``Article.removed_tags``, kept in the store apart from the text, like bookmarks, so a
re-import or a feed update keeps them). What it shows is::

    importer tags  ∪  user tags  −  tags the user removed

A person may remove a tag the importer gave: the removal is stored, so the next update
of the feed does not bring it back.

Names are untrusted text (feeds, front matter, what is typed): cleaned of control and
invisible characters, trimmed, inner whitespace made one space, lower case (the search
index folds them the same way, so ``tag:Politics`` finds ``politics``), at most
:data:`MAX_TAG` characters, never empty and without commas (a comma separates tags,
in the index and in the app's tag prompt).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from reader.errors import InvalidTag
from reader.text import clean_line

MAX_TAG = 64  # characters of a tag name


@lru_cache(maxsize=8192)  # the tag counts fold every importer tag of the library: few distinct
def _folded(text: str) -> str:
    return " ".join(clean_line(text).split()).lower()


def tag_name(text: str) -> str:
    """The stored form of a tag name a person gives; :class:`InvalidTag` says why ``text`` is none."""
    name = _folded(text)
    if not name:
        raise InvalidTag("a tag needs a name")
    if "," in name:
        raise InvalidTag(f"a tag name cannot hold a comma: {name!r}")
    if len(name) > MAX_TAG:
        raise InvalidTag(f"a tag name is at most {MAX_TAG} characters: {name[:MAX_TAG]!r}…")
    return name


def importer_tags(tags: Iterable[str]) -> list[str]:
    """An importer's tags folded like names, in their order, once each. Only the empty
    ones are left out: a long one, or one with a comma, is what the file said, and is
    shown, counted and found as it is (the limits are for names a person types)."""
    return list(dict.fromkeys(name for name in map(_folded, tags) if name))


def shown_tags(tags: Iterable[str], added: Iterable[str] = (), removed: Iterable[str] = ()) -> tuple[str, ...]:
    """Importer tags ∪ user tags − removed tags, sorted (a fixed place for each)."""
    gone = set(removed)
    return tuple(sorted({*(t for t in importer_tags(tags) if t not in gone), *added}))


def parse_edits(words: Sequence[str]) -> tuple[list[str], list[str]]:
    """``+name`` and ``-name`` words (the CLI's ``reader tag ID +a -b``) as (to add, to
    remove); raises :class:`InvalidTag` for a word without its sign or name."""
    add: list[str] = []
    remove: list[str] = []
    for word in words:
        sign, rest = word[:1], word[1:]
        if sign not in "+-" or not sign:
            raise InvalidTag(f"{word!r} is neither +TAG nor -TAG")
        (add if sign == "+" else remove).append(tag_name(rest))
    return add, remove


def edits_from_list(current: Sequence[str], typed: str) -> tuple[list[str], list[str]]:
    """What changes when the comma list ``current`` was edited into ``typed`` (the app's
    prompt): (to add, to remove). Empty items are passed over (a trailing comma)."""
    wanted: dict[str, None] = {}
    for part in typed.split(","):
        if part.strip():
            wanted[tag_name(part)] = None
    return [t for t in wanted if t not in current], [t for t in current if t not in wanted]


def as_list(tags: Sequence[str]) -> str:
    """Tags as the prompt's editable comma list."""
    return ", ".join(tags)


@dataclass(frozen=True)
class TagCount:
    """A tag with how many articles show it and how many of those are unread."""

    name: str
    articles: int
    unread: int

    def to_dict(self) -> dict[str, object]:
        return {"tag": self.name, "articles": self.articles, "unread": self.unread}


def counts(tagged: Iterable[tuple[str, bool, Sequence[str]]]) -> list[TagCount]:
    """Every tag of ``(id, read, tags)`` rows with its counts, by name."""
    totals: dict[str, list[int]] = {}
    for _, read, tags in tagged:
        for tag in tags:
            count = totals.setdefault(tag, [0, 0])
            count[0] += 1
            count[1] += not read
    return [TagCount(name, total, unread) for name, (total, unread) in sorted(totals.items())]
