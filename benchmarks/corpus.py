"""A reproducible synthetic news library for benchmarks: ``generate(n, seed=42)``.

About 600-word bodies, 80% English and 20% German, words drawn from a Zipf (Mandelbrot)
distribution over a vocabulary of real common words, topic words (so that articles on
one topic resemble each other, which more-like-this needs), and a plausible long tail
of syllable-built words with the inflections the stemmers deal with ("-ation", "-ing",
"-ungen", "-keit", compounds). Fixed seed: the same ``n`` and ``seed`` give the same
articles, and ``generate(1000)`` is the first thousand of ``generate(100000)``.

Articles carry 0 to 4 related links, so that opening one resolves real links: most point
at an earlier article on the same topic (by URL, as feeds link to older stories), a few
at outside pages. They come from a random stream of their own, so adding them changed
none of the other fields, and pointing only backwards keeps every prefix self-contained.

``benchmarks/bench.py`` writes the corpus as Reader's JSON Lines import format (one
``Article.to_dict()`` per line) and imports it with ``reader import``.
"""

from __future__ import annotations

import itertools
import random
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reader.model import Article, RelatedLink, article_id

# Roughly in order of frequency; real words. Multi-word entries are emitted together,
# which gives phrase queries something to find.
EN_COMMON = """
the of and to a in that is was he for it with as his on be at by i this had not are but
from or have an they which one you were her all she there would their we him been has
when who will more no if out so said what up its about into than them can only other new
some could time these two may then do first any my now such like our over man me even
most made after also did many before must through back years where much your way well
down should because each just those people how too little state good very make world
still own see men work long get here between both life being under never day same
another know while last might us great old year off come since against go came right
used take three states himself few house use during without again place american around
however home small found thought went say part once general high upon school every don
does got united left number course war until always away something fact though water
less public put think almost hand enough far took head yet government system better set
told nothing night end why called didn eyes find going look asked later knew point next
city give group business toward young let room president side social present given
several order national possible rather second face per among form important often things
looked early white case john become large big need four within felt along children saw
best church ever least power development light thought family interest want members
mind country area others done turned although open god service certain kind problem
began different door thus help sense means whole matter perhaps itself york times law
human line above name example action company hands local show whether five history gave
today either act feet across taken past quite anything having seen death experience body
word half really week field car words already themselves information tell together
college shall money period held keep sure probably free seems political real behind
clear feel fire minister court building report market policy council economy growth
prices workers union strike election party vote voters campaign leader leaders officials
police minister ministers parliament committee agreement deal talks plan plans budget
taxes tax spending health hospital doctors patients schools teachers students research
university science scientists study energy climate weather storm rain flood city
cities region regional centre center town village street road roads transport traffic
train trains rail railway airport flights airline passengers bus buses port ports
harbour ship ships shipping container trade exports imports companies industry jobs
unemployment wages pay inflation bank banks rates investment investors shares stock
markets technology software internet data digital online phone mobile network security
safety risk crisis emergency response support funding costs cost price rising fall
fell rose increase decrease percent million billion thousand hundred figures numbers
reported according statement spokesman spokeswoman announced confirmed expected likely
""".split()

EN_TOPICS = {
    "ports": """harbour harbours port dock docks dockworkers container containers terminal
        container_terminal shipping cargo vessel vessels crane cranes quay berth freight
        ferry ferries logistics customs tanker tankers pilot pilots lighthouse tide tides
        cooperation cooperate cooperative strike strikes union_leaders port_authority""",
    "climate": """climate climate_change emissions carbon warming temperatures drought
        wildfire wildfires renewable renewables solar wind_farms turbines glacier glaciers
        sea_level flooding heatwave heatwaves adaptation biodiversity forest forests
        deforestation greenhouse_gases net_zero coal pipeline conservation""",
    "economy": """economy economic inflation interest_rates central_bank recession growth
        unemployment wages consumers consumer spending retail retailers exports tariffs
        trade_deal supply_chains manufacturing factories productivity earnings profits
        quarterly forecast forecasts investors bond bonds currency""",
    "politics": """election elections parliament coalition opposition minister ministers
        chancellor senator senators legislation reform reforms referendum candidate
        candidates ballot polling polls campaign campaigns governing cabinet mayor
        municipal council councillors constitution constitutional""",
    "science": """research researchers scientists laboratory experiment experiments
        discovery telescope astronomers galaxy galaxies physics chemistry molecules
        genome genetic vaccine vaccines clinical_trial microscope satellite satellites
        mission spacecraft orbit particles quantum""",
    "technology": """software developers startup startups platform platforms algorithm
        algorithms artificial_intelligence machine_learning privacy encryption
        cybersecurity hackers breach servers cloud smartphone smartphones semiconductor
        chips chipmakers broadband open_source browser updates""",
    "health": """hospital hospitals doctors nurses patients treatment treatments disease
        diseases outbreak infection infections symptoms diagnosis surgery medicine
        medicines pharmacy prescriptions mental_health waiting_lists clinic clinics
        nutrition obesity screening""",
    "culture": """museum museums exhibition exhibitions artist artists gallery theatre
        festival festivals concert concerts orchestra novel novelist author authors
        film films director premiere audience audiences heritage library libraries
        poetry sculpture""",
    "sport": """football match matches tournament championship league season coach
        players striker goalkeeper stadium fans victory defeat final finals olympic
        athletes marathon cycling tennis transfer transfers injury referee""",
    "transport": """railway railways trains commuters timetable delays motorway traffic
        congestion cyclists bicycle electric_vehicles charging_stations buses tram trams
        airport runway flights aviation tickets fares infrastructure bridge tunnel""",
}

DE_COMMON = """
der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch
es an werden aus er hat dass sie nach wird bei einer um am sind noch wie einem über
einen so zum war haben nur oder aber vor zur bis mehr durch man sein wurde sei schon
wenn jahr jahren können diese ihre kann gegen vom seit unter sehr zwei hatte ab beim
wir zwischen ich dann ihr ihren seine habe keine hier allem bereits heute mich bis
wieder wo alle dieser viele neue neuen ersten neues gibt soll sollen damit denn doch
immer andere anderen ohne etwa rund weil jetzt etwas müssen muss könnte mal weiter
Stadt Land Menschen Zeit Prozent Euro Millionen Milliarden Regierung Bundesregierung
Unternehmen Arbeit Geld Woche Tag Tage Monat Monate Ende Anfang Teil Frage Fragen
Leben Welt Kinder Familie Schule Schulen Universität Straße Straßen Platz Bahn Zug
Züge Hafen Häfen Schiff Schiffe Wirtschaft Politik Partei Parteien Wahl Wahlen Kanzler
Minister Ministerin Bürgermeister Bürgermeisterin Gemeinderat Rathaus Polizei Gericht
Gesetz Gesetze Haushalt Steuern Preise Kosten Mieten Wohnungen Wohnung Krankenhaus
Ärzte Patienten Gesundheit Klima Wetter Energie Strom Gas Wasser Umwelt Verkehr Auto
Autos Fahrrad Öffnungszeiten Öffnungszeit Bürger Bürgerinnen Verwaltung Behörde
Behörden Sicherheit Zukunft Entwicklung Forschung Wissenschaft Kultur Museum Theater
sagte sagt erklärte berichtet berichtete teilte mit wollen will geht gehen steht stehen
kommt kommen macht machen gibt geben hatten wurden worden gewesen große großen großer
kleine kleinen neu alt alten deutschen deutsche europäischen öffentlichen wichtig
wichtigen schnell später früher bisher derzeit zudem allerdings jedoch künftig
""".split()

DE_TOPICS = {
    "ports": """Hafen Häfen Hafenarbeiter Containerterminal Container Reederei Reedereien
        Frachter Schifffahrt Kai Kran Kräne Fähre Fähren Lotsen Zoll Hafenbehörde Streik
        Streiks Gewerkschaft Zusammenarbeit Öffnungszeiten Elbe Weser Leuchtturm Ladung
        Umschlag Hafengeburtstag""",
    "climate": """Klimawandel Klimaschutz Emissionen Erwärmung Dürre Hitzewelle Hitze
        Windkraft Windräder Solaranlagen Photovoltaik Kohleausstieg Gletscher Hochwasser
        Überschwemmungen Artenvielfalt Wälder Waldbrand Treibhausgase Energiewende
        Wärmepumpe Wärmepumpen Heizung""",
    "economy": """Inflation Zinsen Zentralbank Rezession Wachstum Arbeitslosigkeit Löhne
        Verbraucher Einzelhandel Exporte Zölle Lieferketten Industrie Fabriken Gewinne
        Umsatz Prognose Anleger Aktien Börse Mittelstand Fachkräftemangel""",
    "politics": """Bundestag Koalition Opposition Kanzlerin Landtag Landesregierung Gesetzentwurf
        Reform Reformen Abstimmung Kandidat Kandidatin Umfrage Umfragen Wahlkampf
        Kabinett Bürgermeisterwahl Stadtrat Verfassung Verfassungsgericht Ministerpräsident""",
    "science": """Forscher Forscherinnen Wissenschaftler Labor Experiment Entdeckung
        Teleskop Sterne Galaxie Physik Chemie Moleküle Genom Impfstoff Studie Studien
        Satellit Raumfahrt Umlaufbahn Teilchen Quanten""",
    "technology": """Software Entwickler Plattform Algorithmen Künstliche_Intelligenz
        Datenschutz Verschlüsselung Cyberangriff Hacker Server Smartphone Halbleiter
        Chips Breitband Digitalisierung Glasfaser Netzausbau""",
    "health": """Krankenhaus Krankenhäuser Ärztin Pflegekräfte Pflege Behandlung
        Krankheit Krankheiten Infektion Symptome Diagnose Operation Medikamente Apotheke
        Apotheken Rezept Wartezeiten Praxis Praxen Vorsorge""",
    "culture": """Ausstellung Ausstellungen Künstler Künstlerin Galerie Festival Konzert
        Konzerte Orchester Roman Autorin Autor Film Regisseur Premiere Publikum
        Denkmal Bibliothek Bibliotheken Lesung Oper""",
    "sport": """Fußball Spiel Spiele Turnier Meisterschaft Bundesliga Saison Trainer
        Spieler Stürmer Torwart Stadion Fans Sieg Niederlage Finale Olympia Marathon
        Radsport Tennis Verletzung Schiedsrichter""",
    "transport": """Deutsche_Bahn Fahrplan Verspätungen Pendler Autobahn Stau Radfahrer
        Radwege Elektroautos Ladesäulen Straßenbahn Nahverkehr Flughafen Flüge
        Luftfahrt Fahrkarten Deutschlandticket Brücke Tunnel Baustelle""",
}

EN_SOURCES = [
    ("Harbour Herald", "harbourherald.example"),
    ("The Daily Ledger", "dailyledger.example"),
    ("Northern Post", "northernpost.example"),
    ("Metro Wire", "metrowire.example"),
    ("Coastal Times", "coastaltimes.example"),
    ("The Evening Standard Bearer", "standardbearer.example"),
    ("Valley Chronicle", "valleychronicle.example"),
    ("Science Weekly Review", "scienceweekly.example"),
    ("Tech Current", "techcurrent.example"),
    ("City Observer", "cityobserver.example"),
    ("The Morning Dispatch", "morningdispatch.example"),
    ("Riverside Gazette", "riversidegazette.example"),
]
DE_SOURCES = [
    ("Hafenblatt", "hafenblatt.example"),
    ("Tageskurier", "tageskurier.example"),
    ("Rheinische Rundschau", "rundschau.example"),
    ("Nordsee-Zeitung Beispiel", "nordsee-zeitung.example"),
    ("Süddeutscher Anzeiger", "anzeiger.example"),
    ("Berliner Abendpost", "abendpost.example"),
]

_EN_ONSETS = "b c d f g h j k l m n p r s t v w b c d l m n p r s t bl br ch cl cr dr fl fr gr pl pr sh sp st th tr".split()
_EN_NUCLEI = "a e i o u a e i o u a e o ai ea ee oo ou".split()
_EN_CODAS = "b ck d ff ft g l ll lt m mp n nd ng nt p r rd rk rn s ss st t th x".split()
_EN_SUFFIXES = ["", "", "", "s", "ed", "ing", "er", "ers", "ly", "ment", "ments", "ation", "ations", "ness", "ity", "al", "ive", "ism"]
_DE_ONSETS = "b d f g h k l m n p r s t w z b d g h k l m n r s t bl br dr fl fr gr kl kr pf pr sch schw sp st tr zw".split()
_DE_NUCLEI = "a e i o u a e i o u a e ä ö ü au ei ie".split()
_DE_CODAS = "b ch ck d f g k l ll lt m n nd ng nk nt r rt s ss st t tz".split()
_DE_SUFFIXES = ["", "", "e", "en", "er", "ern", "ung", "ungen", "heit", "keit", "lich", "liche", "lichen", "isch", "ische", "schaft"]

LONG_TAIL = 4000  # generated words per language, after the real ones
RELATED_COUNTS = (0, 0, 1, 1, 2, 2, 3, 4)  # links per article, drawn uniformly
OUTSIDE_LINKS = 0.1  # the share of related links that point outside the library


def _syllable_words(rng: random.Random, onsets, nuclei, codas, suffixes, count: int, capitalise: float) -> list[str]:
    """Plausible invented words: 1-3 syllables plus an inflection, some capitalised (nouns)."""
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        word = "".join(
            rng.choice(onsets) + rng.choice(nuclei) + (rng.choice(codas) if rng.random() < 0.6 else "")
            for _ in range(rng.choice((1, 2, 2, 2, 3)))
        ) + rng.choice(suffixes)
        if len(word) < 4 or word in seen:
            continue
        seen.add(word)
        out.append(word.capitalize() if rng.random() < capitalise else word)
    return out


def _german_compounds(rng: random.Random, count: int) -> list[str]:
    """Real-looking German compounds from the topic nouns: Hafen + Behörde -> Hafenbehörde."""
    nouns = [w for words in DE_TOPICS.values() for w in words.split() if w[0].isupper() and "_" not in w]
    nouns += [w for w in DE_COMMON if w[0].isupper()]
    out = set()
    while len(out) < count:
        first, second = rng.sample(nouns, 2)
        out.add(first + second.lower())
    return sorted(out)


class _Language:
    """One language's vocabulary and its Zipf sampler."""

    def __init__(self, common, topics, long_tail) -> None:
        self.vocabulary = list(dict.fromkeys(w.replace("_", " ") for w in common + long_tail))
        self.cum = list(itertools.accumulate(1.0 / (rank + 2.7) for rank in range(len(self.vocabulary))))
        self.topics = {
            name: [w.replace("_", " ") for w in words.split()] for name, words in topics.items()
        }
        self.topic_cum = {
            name: list(itertools.accumulate(1.0 / (rank + 1.5) for rank in range(len(words))))
            for name, words in self.topics.items()
        }

    def words(self, rng: random.Random, topic: str, k: int) -> list[str]:
        """``k`` words: three quarters from the whole vocabulary, a quarter on topic."""
        general = rng.choices(self.vocabulary, cum_weights=self.cum, k=k - k // 4)
        on_topic = rng.choices(self.topics[topic], cum_weights=self.topic_cum[topic], k=k // 4)
        words = general + on_topic
        rng.shuffle(words)
        return words


def _languages(seed: int) -> dict[str, _Language]:
    rng = random.Random(f"vocabulary-{seed}")
    en_tail = _syllable_words(rng, _EN_ONSETS, _EN_NUCLEI, _EN_CODAS, _EN_SUFFIXES, LONG_TAIL, 0.05)
    de_tail = _german_compounds(rng, LONG_TAIL // 4) + _syllable_words(
        rng, _DE_ONSETS, _DE_NUCLEI, _DE_CODAS, _DE_SUFFIXES, LONG_TAIL - LONG_TAIL // 4, 0.4
    )
    rng.shuffle(de_tail)
    return {
        "en": _Language(EN_COMMON, EN_TOPICS, en_tail),
        "de": _Language(DE_COMMON, DE_TOPICS, de_tail),
    }


def _sentence(words: list[str], language: str) -> str:
    text = " ".join(words)
    text = text[0].upper() + text[1:]
    if len(words) > 10:
        cut = len(text) // 2
        space = text.find(" ", cut)
        if space > 0:
            text = text[:space] + "," + text[space:]
    return text + "."


def _paragraphs(rng: random.Random, lang: _Language, language: str, topic: str, target: int) -> str:
    words = lang.words(rng, topic, target)
    paragraphs, sentences, i = [], [], 0
    while i < len(words):
        n = rng.randint(8, 22)
        sentences.append(_sentence(words[i : i + n], language))
        i += n
        if len(sentences) >= rng.randint(3, 6) or i >= len(words):
            paragraphs.append(" ".join(sentences))
            sentences = []
    return "\n\n".join(paragraphs)


def generate(n: int, seed: int = 42) -> Iterator[Article]:
    """``n`` articles, deterministic for a given ``seed``."""
    languages = _languages(seed)
    rng = random.Random(seed)
    related = _RelatedLinks(random.Random(f"related-{seed}"))
    start = datetime(2019, 1, 1, tzinfo=UTC)
    span = int((datetime(2026, 6, 30, tzinfo=UTC) - start).total_seconds())
    topics = list(EN_TOPICS)
    for i in range(n):
        language = "de" if rng.random() < 0.2 else "en"
        lang = languages[language]
        topic = rng.choice(topics)
        source, domain = rng.choice(DE_SOURCES if language == "de" else EN_SOURCES)
        published = start + timedelta(seconds=rng.randrange(span))
        title_words = lang.words(rng, topic, rng.randint(4, 8))
        title = " ".join(title_words)
        title = title[0].upper() + title[1:]
        summary = _sentence(lang.words(rng, topic, rng.randint(18, 30)), language)
        body = _paragraphs(rng, lang, language, topic, rng.randint(500, 700))
        slug = "-".join(w.lower() for w in title_words[:5]).replace(" ", "-")
        url = f"https://{domain}/{published:%Y/%m}/{slug}-{i}"
        tags = tuple(dict.fromkeys([topic, *rng.sample(lang.topics[topic][:12], rng.randint(0, 2))]))
        article = Article(
            id=article_id(url=url),
            title=title,
            summary=summary,
            body=body,
            language=language,
            source=source,
            url=url,
            published=published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            tags=tags,
            related=related.draw(topic, i),
        )
        related.remember(topic, article)
        yield article


class _RelatedLinks:
    """Related links for each article in turn, to earlier articles on the same topic.

    Holds one small card (title, short summary, language, URL) per article generated so
    far, about 250 bytes each, not the articles themselves.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.cards: dict[str, list[RelatedLink]] = {}

    def draw(self, topic: str, i: int) -> tuple[RelatedLink, ...]:
        earlier = self.cards.get(topic, [])
        wanted = self.rng.choice(RELATED_COUNTS)
        links = []
        for pick in self.rng.sample(range(len(earlier)), min(wanted, len(earlier))):
            if self.rng.random() < OUTSIDE_LINKS:
                card = earlier[pick]
                links.append(RelatedLink(
                    title=f"Elsewhere: {card.title}", language=card.language,
                    url=f"https://elsewhere.example/story/{i}-{pick}",
                ))
            else:
                links.append(earlier[pick])
        return tuple(links)

    def remember(self, topic: str, article: Article) -> None:
        self.cards.setdefault(topic, []).append(
            RelatedLink(title=article.title, summary=article.summary[:120], language=article.language, url=article.url)
        )
