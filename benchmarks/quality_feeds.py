"""Feed entries against feedparser: every entry becomes its own article or one line names it.

The files are the feed test data of public feed parsers (feedjira, RSParser, feed-rs,
miniflux), read from checkouts given on the command line. A file counts when
feedparser 6 reads at least one entry from it (RSS, Atom, RDF or JSON Feed). For each
file Reader's importer must give exactly as many distinct articles as feedparser has
entries, less the entries it skipped with a line: an article too few without a line is
*dropped*, two entries under one id are *merged*.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import feedparser

from reader.errors import ImportFailure
from reader.importers import read_bytes

_EXTENSIONS = (".xml", ".rss", ".atom", ".rdf", ".json")
# Where each repository keeps its feed files.
_FOLDERS = ("spec/sample_feeds", "Tests/RSParserTests/Resources", "feed-rs/fixture", "internal/reader")


@dataclass
class FeedResult:
    files: int = 0
    entries: int = 0
    articles: int = 0
    skipped: int = 0
    merged: int = 0
    dropped: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # files feedparser reads and Reader refuses
    problems: list[str] = field(default_factory=list)


def feed_files(checkouts: list[Path]) -> list[Path]:
    files: list[Path] = []
    for checkout in checkouts:
        for folder in _FOLDERS:
            root = checkout / folder
            if root.is_dir():
                files.extend(
                    path
                    for path in sorted(root.rglob("*"))
                    if path.suffix.lower() in _EXTENSIONS
                    and not path.name.endswith(".serde.json")
                    and path.is_file()
                )
    return files


def measure(checkouts: list[Path]) -> FeedResult:
    result = FeedResult()
    for path in feed_files(checkouts):
        data = path.read_bytes()
        expected = len(feedparser.parse(io.BytesIO(data)).entries)
        if not expected:
            continue
        result.files += 1
        result.entries += expected
        name = str(path.relative_to(path.parents[len(path.parents) - 4]))
        try:
            parsed = read_bytes(data, path.name)
        except ImportFailure as failure:
            result.refused.append((name, str(failure)))
            result.dropped += expected
            result.problems.append(f"{name}: refused: {failure}")
            continue
        ids = {article.id for article in parsed.articles}
        merged = len(parsed.articles) - len(ids)
        dropped = expected - len(parsed.articles) - len(parsed.skipped)
        result.articles += len(ids)
        result.skipped += len(parsed.skipped)
        result.merged += merged
        result.dropped += max(dropped, 0)
        if merged or dropped:
            result.problems.append(
                f"{name}: feedparser {expected}, articles {len(parsed.articles)}, distinct ids {len(ids)}, "
                f"skipped {len(parsed.skipped)}"
            )
    return result
