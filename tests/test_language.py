"""Language detection on short texts in every language, and declared languages kept."""

from __future__ import annotations

import pytest

from reader.language import choose_language, detect_language, known_languages

ENGLISH = [
    "The harbour reopens on Monday. Ferries will run every hour until midnight.",
    "Shore power comes to the Kelmouth cruise terminal",
    "The council approved its budget on Tuesday. Flood defences are the largest item.",
    "Researchers measured an average loss of 3.8 metres of ice this summer.",
    "A startup in Kelmouth turns old fishing nets into bicycle parts.",
    "The new app works offline. Tickets are signed and checked without a network.",
    "Night buses return to the eastern districts after a two-year pause.",
    "Our kindergarten has a new garden, and the zeitgeist is all about wanderlust.",
    "Frau Müller from Düsseldorf said the Bürgermeister was wrong about the Straße.",
    "The Volkswagen plant in Wolfsburg will build the new model from March.",
    "Angst about the economy is spreading, the Bundesbank warned in its report.",
    "Cloud computing and machine learning are changing how the port plans its berths.",
    "Why the harbour's digital twin needs open data",
    "Is it worth it? Most people who tried the service say yes.",
    "Volunteers at the reading café on Mill Street are looking for help on Saturday mornings.",
    "The Schadenfreude of rival fans was obvious when the Harriers lost.",
    "Scientists say the glacier has lost nearly half of its area since 1980.",
    "We were told the water here is rough. Nobody told us it would be this rough.",
]

GERMAN = [
    "Der Hafen öffnet am Montag wieder. Die Fähren fahren dann jede Stunde.",
    "Neue Öffnungszeiten für die Stadtbibliothek Lindholm",
    "Lindholmer Handballerinnen steigen in die zweite Liga auf",
    "Das Start-up launcht eine App für Smart-Home-Devices und Cloud-Services.",
    "Die Software nutzt Machine Learning, um den Traffic im Hafen zu analysieren.",
    "Der CEO sagte, das Meeting sei ein Game Changer für das Business.",
    "Seehunde schlafen im Wasser oft nur wenige Minuten am Stück.",
    "Wie Seehunde im Wattenmeer schlafen",
    "Mit einem Sieg im letzten Saisonspiel haben die Handballerinnen den Aufstieg perfekt gemacht.",
    "Windpark vor Lindholm liefert ersten Strom",
    "Das Team empfiehlt größere Abstände zu den Liegeplätzen der Tiere.",
    "Nachtzug verbindet Sankt Aurel mit der Küste",
    "Weil der Schnee immer später kommt, öffnet das Skigebiet auch im Sommer.",
    "Die Band spielte beim Open Air ihre neue Single vor ausverkauftem Haus.",
    "Was bedeutet das für die Pendler? Die Bahn will im Herbst informieren.",
    "Bücher kommen per Seilbahn in die Bergbibliothek",
    "Der Gemeinderat hat die Parkgebühren im Ortszentrum erhöht.",
    "Ab November gelten für alle Inselfähren im Kreis neue Fahrpläne.",
    # No umlauts at all: the function words alone decide.
    "Die Stadt plant eine neue Linie vom Bahnhof bis zum Zentrum.",
    "Er sagte, das sei ein guter Tag gewesen, und die Leute waren froh.",
]

OTHERS = [
    ("Le recyclage des batteries progresse en Europe. Les industriels espèrent réduire leur dépendance.", "fr"),
    ("Plusieurs usines ouvrent cette année dans le nord de la France.", "fr"),
    ("El puerto reabre el lunes y los barcos salen cada hora desde la mañana.", "es"),
    ("La nueva línea de tranvía une la estación con el centro de la ciudad.", "es"),
    ("Il porto riapre lunedì e i traghetti partono ogni ora dalla mattina.", "it"),
    ("La biblioteca della città è aperta anche la domenica per gli studenti.", "it"),
    ("De haven gaat maandag weer open en de veerboten varen elk uur.", "nl"),
    ("Het museum in de stad is nu ook op zondag open voor bezoekers.", "nl"),
]


@pytest.mark.parametrize("text", ENGLISH)
def test_english(text: str) -> None:
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", GERMAN)
def test_german(text: str) -> None:
    assert detect_language(text) == "de"


@pytest.mark.parametrize(("text", "language"), OTHERS)
def test_other_languages(text: str, language: str) -> None:
    assert detect_language(text) == language


# Bare headlines may have no function word to go by: unknown is fine, wrong is not.
HEADLINES = [
    ("Kelmouth rowers win the Lindholm regatta", "en"),
    ("Fishermen fear new quota rules", "en"),
    ("Open-source tide model outperforms commercial forecasts", "en"),
    ("Sea level sensors go solar", "en"),
    ("Gletscher am Hohen Aurel verliert Rekordmenge an Eis", "de"),
    ("Hafenfest zieht Rekordpublikum an", "de"),
    ("Quantensensor misst Grundwasser aus der Luft", "de"),
    ("Werft in Lindholm stellt auf Wasserstoff um", "de"),
    ("Güterzüge fahren wieder bis an den Kai", "de"),
    ("Skigebiet setzt auf Sommerbetrieb", "de"),
]


@pytest.mark.parametrize(("text", "language"), HEADLINES)
def test_headlines_are_never_misread(text: str, language: str) -> None:
    assert detect_language(text) in (language, "")


def test_most_headlines_are_recognised() -> None:
    recognised = [text for text, language in HEADLINES if detect_language(text) == language]
    assert len(recognised) >= 7


@pytest.mark.parametrize("text", ["", "   ", "Hello", "Kelmouth", "12:30 · 4.5 km", "Lindholm Nord", "OK"])
def test_too_little_text_is_unknown(text: str) -> None:
    assert detect_language(text) == ""


def test_mixed_language_text_goes_by_the_majority() -> None:
    text = (
        'Lindholm\'s port director called the deal "Zusammenarbeit mit Zeitplan". '
        "He said both ports faced the same pressures: bigger ships and tighter rules."
    )
    assert detect_language(text) == "en"


def test_only_the_beginning_is_read() -> None:
    text = "Der Hafen ist wieder offen und die Fähren fahren. " * 60 + "The port is open again. " * 500
    assert detect_language(text) == "de"


MORE = [
    ("O porto reabre na segunda-feira e os barcos partem de hora a hora.", "pt"),
    ("Порт снова откроется в понедельник, паромы будут ходить каждый час.", "ru"),
    ("Hamnen öppnar igen på måndag och färjorna går varje timme.", "sv"),
    ("Havnen åbner igen mandag, og færgerne sejler hver time.", "da"),
    ("Havnen åpner igjen på mandag, og fergene går hver time.", "no"),
    ("Satama avataan taas maanantaina, ja lautat kulkevat joka tunti.", "fi"),
    ("A kikötő hétfőn újra megnyílik, és a kompok óránként közlekednek.", "hu"),
    ("Portul se redeschide luni, iar feriboturile pleacă în fiecare oră.", "ro"),
    ("Liman pazartesi günü yeniden açılıyor ve feribotlar her saat kalkıyor.", "tr"),
    ("يعاد فتح الميناء يوم الاثنين وستبحر العبارات كل ساعة.", "ar"),
    ("港は月曜日に再開し、フェリーは毎時運航します。", "ja"),
    ("Port zostanie ponownie otwarty w poniedziałek, a promy będą kursować co godzinę.", "pl"),
]


@pytest.mark.parametrize(("text", "language"), MORE)
def test_languages_beyond_the_first_six(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_a_declared_language_is_kept_when_the_text_is_short_or_close() -> None:
    # A Portuguese sentence that a detector could take for Spanish, declared Portuguese.
    assert choose_language("A casa tem uma sala grande e a cozinha nova.", "pt") == "pt"
    assert choose_language("Kelmouth", "ja") == "ja"
    assert choose_language("Sea level sensors go solar", "nl") == "nl"


def test_a_declared_language_gives_way_to_a_long_text_that_is_clearly_another() -> None:
    german = " ".join(GERMAN)
    assert choose_language(german, "en") == "de"
    assert choose_language(" ".join(ENGLISH), "en") == "en"


def test_without_a_declaration_the_text_decides() -> None:
    assert choose_language(" ".join(GERMAN), "") == "de"
    assert choose_language("OK", "") == ""


def test_norwegian_is_one_code() -> None:
    assert "no" in known_languages() and "nb" not in known_languages() and "nn" not in known_languages()
    assert choose_language("Havnen åpner igjen på mandag.", "nb") == "no"
