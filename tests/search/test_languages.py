"""Every language Reader stems, through the index: a word meets its inflected forms in an
article of that language (and the match is what is highlighted), a word of another
language never meets an article through that article's stemmer, and ``lang:`` takes
each language's code and names."""

from __future__ import annotations

import json

import pytest

from reader.language import language_code
from reader.search import SearchIndex
from reader.search.analysis import STEMMED_LANGUAGES, STOP_WORDS, fold, term, untagged
from reader.search.bestmatch import stop_language
from tests.search.conftest import make

# language: (query word, inflected form in the article, a sentence holding that form)
INFLECTED = {
    "ar": ("كتاب", "الكتاب", "قرأت الكتاب في الصباح قبل العمل."),
    "da": ("huse", "huset", "Vi malede huset om sommeren."),
    "de": ("Zeitung", "Zeitungen", "Am Kiosk lagen die Zeitungen vom Montag."),
    "en": ("cooperate", "cooperation", "The cooperation of the unions ended the strike."),
    "es": ("canción", "canciones", "Escuchamos canciones toda la noche."),
    "fi": ("talo", "talossa", "Asuimme vanhassa talossa kylän laidalla."),
    "fr": ("continuer", "continuait", "La pluie continuait sur la ville."),
    "hu": ("ház", "házak", "A régi házak a folyó mellett állnak."),
    "it": ("gattino", "gattini", "I gattini dormivano sul divano."),
    "nl": ("boek", "boeken", "Zij las drie boeken in de vakantie."),
    "no": ("båt", "båtene", "Vi fortøyde båtene ved sjøen."),
    "pt": ("livro", "livros", "Comprei dois livros na feira."),
    "ro": ("casa", "casele", "Toate casele din sat sunt vechi."),
    "ru": ("книга", "книги", "На столе лежали старые книги."),
    "sv": ("bil", "bilarna", "Vi tvättade bilarna i går."),
}

# language B: (the query word, in language A; a word of an article in B, unrelated to it).
# Without the language tag on stems, A's stem of the query word (or, for a language Reader
# does not stem, the word itself) is B's stem of the article's word, so they would meet.
UNRELATED = {
    "ar": ("fa", "توسط", "المتوسط"),  # Persian "by"; Arabic "the average"
    "da": ("en", "funding", "fundet"),  # Danish "found"
    "de": ("en", "sitting", "Site"),
    "en": ("de", "worden", "words"),  # German "become"
    "es": ("en", "planning", "plan"),
    "fi": ("en", "using", "usein"),  # Finnish "often"
    "fr": ("en", "during", "durée"),  # French "duration"
    "hu": ("en", "most", "mosta"),  # Hungarian "just now"
    "it": ("en", "line", "linea"),
    "nl": ("en", "wanted", "want"),  # Dutch "because"
    "no": ("en", "evening", "even"),  # Norwegian "ability"
    "pt": ("en", "university", "universo"),  # Portuguese "universe"
    "ro": ("en", "care", "cărei"),  # Romanian "whose"
    "ru": ("uk", "нема", "немало"),  # Ukrainian "there is none"; Russian "a good many"
    "sv": ("en", "emotional", "emot"),  # Swedish "against"
}


def _article(key: str, language: str, title: str, body: str):
    return make(title, body, language=language, source=f"Source {key}", published="2026-01-10T08:00:00Z")


@pytest.fixture(scope="module")
def languages_index(tmp_path_factory):
    articles = {}
    for code, (_, _, sentence) in INFLECTED.items():
        articles[f"inflected-{code}"] = _article(f"inflected-{code}", code, f"Article {code}", sentence)
    for code, (other, query, word) in UNRELATED.items():
        articles[f"unrelated-{code}"] = _article(f"unrelated-{code}", code, f"Report {code}", f"{word} {word}")
        articles[f"query-{code}"] = _article(f"query-{code}", other, f"Notes {code}", f"{query} {query}")
    articles["turkish"] = _article("turkish", "tr", "Haber", "İstanbul'da evler ve sokaklar sessizdi.")
    index = SearchIndex.open(tmp_path_factory.mktemp("languages") / "index")
    index.add(articles.values())
    by_id = {a.id: key for key, a in articles.items()}
    yield index, lambda result: {by_id[h.id] for h in result.hits}
    index.close()


def test_every_stemmed_language_is_tested():
    assert sorted(INFLECTED) == sorted(UNRELATED) == list(STEMMED_LANGUAGES)


@pytest.mark.parametrize("code", sorted(INFLECTED))
def test_a_word_meets_its_inflected_form(languages_index, code):
    index, keys = languages_index
    word, form, _ = INFLECTED[code]
    assert fold(word) != fold(form)  # an inflected form, not the word again
    result = index.search(word)
    assert keys(result) == {f"inflected-{code}"}
    (hit,) = result.hits
    marked = {hit.snippet[start:end] for start, end in hit.matches}
    assert form in marked  # what matched is what is highlighted


@pytest.mark.parametrize("code", sorted(UNRELATED))
def test_a_word_never_meets_another_language_through_its_stemmer(languages_index, code):
    index, keys = languages_index
    other, query, word = UNRELATED[code]
    # the collision that language tags prevent: the query word's analysis in its own
    # language (stemmed, or the folded word) is the article's stem in ``code``
    own = untagged(term(other, query)) if other in STEMMED_LANGUAGES else fold(query)
    assert own == untagged(term(code, word))
    assert term(code, query) != term(code, word)
    assert keys(index.search(query)) == {f"query-{code}"}
    assert f"unrelated-{code}" in keys(index.search(word))


def test_phrases_stay_in_one_language(languages_index):
    index, keys = languages_index
    assert keys(index.search('"vanhassa talossa"')) == {"inflected-fi"}
    assert keys(index.search('"vanha talo"')) == {"inflected-fi"}  # stems, adjacent
    assert keys(index.search('"i gattini"')) == {"inflected-it"}  # a pair with a stop word
    assert keys(index.search('"la pluie"')) == {"inflected-fr"}


def test_prefixes_and_suggestions_in_every_language(languages_index):
    index, keys = languages_index
    assert keys(index.search("talo*")) == {"inflected-fi"}
    assert keys(index.search("книг*")) == {"inflected-ru"}
    assert index.search("gatini").suggestion == "gattini"
    assert index.search("vahnassa").suggestion == "vanhassa"


def test_turkish_is_folded_not_stemmed(languages_index):
    # whoosh.lang has a Turkish stop list but no Turkish stemmer: the neutral analysis
    index, keys = languages_index
    assert "tr" not in STEMMED_LANGUAGES
    assert keys(index.search("istanbul")) == {"turkish"}  # İ folded
    assert keys(index.search("evler")) == {"turkish"}
    assert keys(index.search("ev")) == set()


@pytest.mark.parametrize(
    ("words", "language"),
    [
        (["ve", "bir", "bu", "istanbul"], "tr"),
        (["في", "من", "الكتاب"], "ar"),
        (["si", "în", "pentru", "casa"], "ro"),
        (["ja", "että", "talo"], "fi"),
    ],
)
def test_best_match_knows_each_languages_stop_words(words, language):
    assert stop_language([fold(w) for w in words]) == language
    assert fold(words[-1]) not in STOP_WORDS[language]


def test_lang_takes_codes_and_names(languages_index):
    index, keys = languages_index
    for value in ("fi", "finnish", "Finnish", "suomi", "fin"):
        assert keys(index.search(f"lang:{value}")) == {"inflected-fi", "unrelated-fi"}, value
    for value in ("no", "nb", "nn", "norwegian", "norsk", "bokmål", "bokmal", "nynorsk"):
        assert keys(index.search(f"lang:{value}")) == {"inflected-no", "unrelated-no"}, value
    for value in ("ru", "russian", "русский"):
        assert keys(index.search(f"lang:{value}")) == {"inflected-ru", "unrelated-ru"}, value
    assert keys(index.search("lang:tr")) == keys(index.search("lang:türkçe")) == {"turkish"}
    assert keys(index.search("lang:klingon")) == set()


def test_language_code_reads_tags_and_names():
    assert [language_code(x) for x in ("de-DE", "en_GB", "EN", "deu", "German", "deutsch", "Français", "francais")] == [
        "de", "en", "en", "de", "de", "de", "fr", "fr"]
    assert [language_code(x) for x in ("nb-NO", "nn", "Norsk bokmål", "العربية", "zh-Hant-TW")] == ["no", "no", "no", "ar", "zh"]
    assert [language_code(x) for x in ("", "klingon", "i-klingon", "12")] == ["", "", "", ""]


def test_an_index_of_the_previous_analysis_is_rebuilt(tmp_path):
    # schema version 2 indexed Finnish unstemmed and English stems untagged: read as it
    # is, "talo" would miss "talossa" and "cooper" would hit other languages' words
    articles = [_article("fi", "fi", "Article fi", INFLECTED["fi"][2])]
    index = SearchIndex.open(tmp_path / "index")
    index.rebuild(articles, len(articles))
    index.close()
    meta = tmp_path / "index" / "current" / "reader-index.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "schema_version": 2}))
    old = SearchIndex.open(tmp_path / "index")
    assert old.needs_rebuild and old.rebuild_reason.startswith("index schema changed (v2 -> ")
    assert old.count() == 0  # not read as if it were of this version
    old.rebuild(articles, len(articles))
    assert not old.needs_rebuild
    assert old.search("talo").total == 1
    old.close()


def test_a_language_added_later_is_searched(tmp_path):
    # the languages a query word is stemmed in are the index's, read once per generation
    with SearchIndex.open(tmp_path / "index") as index:
        index.add([_article("en", "en", "Article en", INFLECTED["en"][2])])
        assert index.search("talo").total == 0
        index.add([_article("fi", "fi", "Article fi", INFLECTED["fi"][2])])
        assert index.search("talo").total == 1


def test_a_query_holds_only_the_stems_the_index_has(tmp_path):
    # an index in Finnish and English, and only the Finnish article has a stem "talo":
    # the folded word is kept (a word the library lacks is still a query), the English
    # stem is left out rather than looked up again while the query is scored
    from whoosh import index as whoosh_index

    from reader.search.compiler import to_whoosh
    from reader.search.query import parse
    from reader.search.schema import build_schema, document

    ix = whoosh_index.create_in(tmp_path, build_schema())
    with ix.writer() as writer:
        for code in ("fi", "en"):
            writer.add_document(**document(_article(code, code, f"Article {code}", INFLECTED[code][2]), set()))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        assert {q.text for q in to_whoosh(parse("talo"), reader).subqueries} == {"talo", "talo:fi"}
        assert {q.text for q in to_whoosh(parse("unions"), reader).subqueries} == {"unions", "union:en"}
        assert to_whoosh(parse("xqzvw"), reader).text == "xqzvw"
