"""A small bilingual library indexed once per module, and a state lookup for is: filters."""

from __future__ import annotations

import pytest

from reader.model import Article, article_id
from reader.search import SearchIndex


def make(title: str, body: str, *, language: str = "en", summary: str = "", source: str = "Harbour Herald",
         published: str = "2026-01-10T08:00:00Z", tags: tuple[str, ...] = ()) -> Article:
    return Article(
        id=article_id(source=source, title=title, published=published),
        title=title,
        summary=summary,
        body=body,
        language=language,
        source=source,
        published=published,
        tags=tags,
    )


LIBRARY = {
    "strike": make(
        "Harbour workers end the strike",
        "The harbour of Hamburg reopened on Monday after a week-long strike by dock workers.\n\n"
        "Union leaders praised the cooperation of the port authority. Cranes at the container terminal "
        "started moving again before noon, and the first ships left the quay in the evening.",
        summary="Dockers agree to cooperate with the port authority after a week of talks.",
        tags=("Labour", "Ports"),
        published="2026-01-12T09:30:00Z",
    ),
    "climate": make(
        "Rising seas threaten old harbours",
        "Engineers warn that rising sea levels will flood several harbours along the coast within decades.\n\n"
        "The city council voted for a new sea wall; the container terminal will be raised by two metres.",
        summary="A report on climate change and coastal infrastructure.",
        tags=("Climate",),
        source="Coastal Times",
        published="2025-11-03T14:00:00Z",
    ),
    "election": make(
        "Council election results",
        "Voters elected a new city council on Sunday. The governing party lost four seats; turnout was low.",
        summary="The governing party lost four seats.",
        tags=("Politics",),
        source="City Observer",
        published="2026-02-02T20:15:00Z",
    ),
    "offnung": make(
        "Neue Öffnungszeiten im Hafen",
        "Ab Montag gelten neue Öffnungszeiten für die Häfen in Hamburg und Bremen.\n\n"
        "Die Hafenbehörde teilte mit, dass die Zusammenarbeit mit den Reedereien gut sei. "
        "Die Straße zum Containerterminal wird nachts gesperrt.",
        language="de",
        summary="Die Häfen öffnen künftig früher.",
        source="Hafenblatt",
        tags=("Häfen", "Verkehr"),
        published="2026-01-20T07:00:00Z",
    ),
    "streik": make(
        "Streik im Hafen beendet",
        "Nach einer Woche ist der Streik im Hamburger Hafen beendet. Die Gewerkschaft lobte die Zusammenarbeit "
        "mit der Hafenbehörde. Der Hafen öffnet wieder zu den üblichen Öffnungszeiten.",
        language="de-DE",
        summary="Die Arbeit im Hafen geht weiter.",
        source="Tageskurier",
        tags=("Arbeit",),
        published="2026-01-13T06:00:00Z",
    ),
    "marseille": make(
        "Le port de Marseille",
        "Le port de Marseille accueille de nouveaux navires. La coopération entre les ports est bonne.",
        language="fr",
        summary="Un port en pleine croissance.",
        source="Le Journal du Port",
        published="2025-12-24T10:00:00Z",
    ),
}


class State:
    """A StateLookup over plain sets."""

    def __init__(self, bookmarked=(), read=()) -> None:
        self.bookmarked = set(bookmarked)
        self.read = set(read)

    def ids_with(self, flag: str) -> set[str]:
        return set(self.bookmarked if flag == "bookmarked" else self.read)

    def flags(self, ids):
        return {i: (i in self.bookmarked, i in self.read) for i in ids}


@pytest.fixture(scope="module")
def library_index(tmp_path_factory):
    """The LIBRARY, indexed; read-only for the tests that use it."""
    index = SearchIndex.open(tmp_path_factory.mktemp("search") / "index")
    index.add(LIBRARY.values())
    yield index
    index.close()


@pytest.fixture
def fresh_index(tmp_path):
    index = SearchIndex.open(tmp_path / "index")
    yield index
    index.close()


@pytest.fixture(scope="session")
def library() -> dict[str, Article]:
    return LIBRARY


@pytest.fixture(scope="session")
def keys():
    """``keys(result)``: the LIBRARY keys of a result's hits, as a set."""
    by_id = {a.id: key for key, a in LIBRARY.items()}
    return lambda result: {by_id[h.id] for h in result.hits}


@pytest.fixture(scope="session")
def state_class():
    return State


@pytest.fixture(scope="session")
def make_article():
    return make
