"""Shared fixtures for the importer tests: the fixture files and the safe-text check."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.model import Article

# What a terminal could act on: C0 controls but newline, DEL, C1 controls, bidi and zero-width characters.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b-\u200f\ufeff]")


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "fixtures" / "importers"


@pytest.fixture(scope="session")
def fixture_path(fixtures_dir: Path) -> Callable[[str], Path]:
    return lambda name: fixtures_dir / name


@pytest.fixture(scope="session")
def assert_safe() -> Callable[[list[Article]], None]:
    """Check that articles are complete and no text field holds a control, escape or bidi character."""

    def check(articles: list[Article]) -> None:
        assert articles
        for article in articles:
            assert isinstance(article, Article)
            assert article.title and "\n" not in article.title + article.source
            assert len(article.id) == 16
            fields = [article.id, article.title, article.summary, article.body, article.language,
                      article.source, article.url, article.published, *article.tags]
            for link in article.related:
                assert link.title
                fields += [link.title, link.summary, link.language, link.url]
            for value in fields:
                assert isinstance(value, str) and not _UNSAFE.search(value), repr(value[:200])

    return check


@pytest.fixture(scope="session", autouse=True)
def _language_model_loaded() -> None:
    """Load the language model (about two seconds, once per process) before any test times a parse."""
    from reader.language import detect_language

    detect_language("The language model is loaded once per process.")
