"""Fixtures for the app's tests: a small fixed library and the app built on it.

The articles are written here (not the bundled samples) so that the snapshots and the
assertions do not move when the samples change. One of them is hostile: markup with
an action link and a file link in its title, body and related card.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.config import Config
from reader.library import Library
from reader.model import Article, RelatedLink, article_id

HOSTILE = "[@click=app.quit]Tap here[/] and [link=file:///etc/passwd]x[/link]"


def _article(title: str, published: str, body: str, *, source: str = "Kelmouth Gazette", language: str = "en",
             summary: str = "", related: tuple[RelatedLink, ...] = (), url: str | None = None) -> Article:
    slug = "-".join(title.lower().split()[:4])
    url = f"https://news.example/{slug}" if url is None else url
    return Article(
        id=article_id(url=url, source=source, title=title, published=published),
        title=title, summary=summary, body=body, language=language, source=source, url=url,
        published=published, related=related,
    )


def fixed_articles() -> list[Article]:
    paragraphs = "\n\n".join(
        f"Paragraph {n}: the harbour pilots met the ferry crews again to talk about tides, berths and the new quay."
        for n in range(1, 31)
    )
    return [
        _article(
            "Kelmouth and Lindholm sign harbour pact",
            "2026-03-10",
            "The ports of Kelmouth and Lindholm will share pilots and a training centre.\n\n" + paragraphs,
            summary="A ten-year cooperation between two North Sea harbours.",
            related=(
                RelatedLink("Night train to the Alps returns", "The sleeper leaves Kelmouth at nine.", "en",
                            "https://news.example/night-train-to-the"),
                RelatedLink("Fishermen fear new quota rules", "Skippers say half the fleet would stay in port.", "en",
                            "https://elsewhere.example/quota"),
            ),
        ),
        _article("Night train to the Alps returns", "2026-03-08",
                 "The night train from Kelmouth to the Alps runs again from May.\n\nTickets go on sale on Monday.",
                 summary="The sleeper leaves Kelmouth at nine."),
        _article("Neue Elektrofähre für die Lindholmer Bucht", "2026-03-05",
                 "Die neue Fähre fährt ab Juni elektrisch über die Bucht.\n\nDer Hafen baut dafür eine Ladestation.",
                 source="Lindholmer Rundschau", language="de", summary="Eine Fähre ohne Diesel."),
        _article("City library extends opening hours", "2026-02-20",
                 "The city library opens until ten at night on weekdays.\n\nReaders asked for it for years.",
                 source="Kelmouth Gazette"),
        _article(HOSTILE, "2026-01-15",
                 f"Before the link. {HOSTILE} After the link.\n\nA second paragraph with [b]not bold[/b].",
                 source="[red]Evil[/red] Source", summary=HOSTILE, url="file:///etc/passwd",
                 related=(RelatedLink(HOSTILE, HOSTILE, "en", "javascript:alert(1)"),)),
    ]


@pytest.fixture(autouse=True)
def _index_check_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app checks its index INDEX_CHECK_DELAY (1 s) after start, as a task; a test that
    starts a task of its own (import, export, rebuild) near that moment was told "Please
    wait" by chance (seen with -n 2). At 0 the check runs at once, and the test's first
    settle() waits for it."""
    import reader.tui.screens.library as library_screen

    monkeypatch.setattr(library_screen, "INDEX_CHECK_DELAY", 0)


@pytest.fixture(scope="session")
def _library_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixed articles stored and indexed once per run (indexing is the slow part)."""
    root = tmp_path_factory.mktemp("template") / "data"
    with Library.open(root) as library:
        library.add_articles(fixed_articles())
    return root


@pytest.fixture
def library_dir(data_dir: Path, _library_template: Path) -> Path:
    """The test's data dir holding a fresh copy of the fixed library."""
    shutil.copytree(_library_template, data_dir, dirs_exist_ok=True)
    return data_dir


@pytest.fixture
def make_test_app(library_dir: Path):
    """Build the app on the fixed library (``config`` optional), as ``reader`` does."""
    from reader.tui import make_app

    def build(config: Config | None = None):
        return make_app(library_dir, config or Config())

    return build


def find_id(title_start: str) -> str:
    for article in fixed_articles():
        if article.title.startswith(title_start):
            return article.id
    raise KeyError(title_start)
