"""Analysis: language keys, folding, stemming and the forms a query word expands to."""

from __future__ import annotations

from reader.search.analysis import STEMMED_LANGUAGES, analyse, fold, language_key, query_forms, term


def test_language_keys():
    assert [language_key(x) for x in ("en", "en-GB", "English", "eng", "DE_at", "deutsch")] == ["en"] * 4 + ["de"] * 2
    assert [language_key(x) for x in ("fr", "suomi", "nb", "Norwegian", "русский язык")] == ["fr", "fi", "no", "no", "ru"]
    assert [language_key(x) for x in ("", "xx-yy", "ja", "tr", "klingon")] == ["", "", "", "", ""]  # tr: no stemmer


def test_fifteen_stemmers():
    assert STEMMED_LANGUAGES == ("ar", "da", "de", "en", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv")


def test_folding():
    assert fold("Öffnungszeit") == "offnungszeit"
    assert fold("Straße") == "strasse"
    assert fold("ÉCOLE") == "ecole"
    assert fold("ﬁne") == "fine"


def test_stemming_per_language():
    assert term("en", "cooperation") == term("en", "cooperate") == "cooper:en"
    assert term("de", "Öffnungszeiten") == term("de", "offnungszeit")
    assert term("de", "Häfen") == term("de", "Hafen") == "haf:de"
    assert term("", "cooperation") == "cooperation"
    assert term("en", "x" * 61) == ""


def test_stems_carry_their_language():
    # untagged, the French stem of "cooperation" would be the English one
    assert term("en", "cooperation") != term("fr", "cooperation")
    assert {term(code, "cooperation").split(":")[0] for code in ("en", "fr")} == {"cooper"}


def test_query_forms_cover_every_analysis():
    assert query_forms("cooperation", ("en", "de")) == ("cooperation", "cooper:en", "cooperation:de")
    assert query_forms("cooperation", ()) == ("cooperation",)
    forms = query_forms("offnungszeiten")
    assert term("de", "Öffnungszeiten") in forms and term("fi", "Öffnungszeiten") in forms
    assert len(forms) == 1 + len(STEMMED_LANGUAGES)


def test_analyse_gives_positions_and_vocabulary():
    terms, vocabulary = analyse("Die Häfen, die Hafen!", "de")
    assert terms == ["die:de", "haf:de", "die:de", "haf:de"]
    assert vocabulary == ["die", "hafen", "die", "hafen"]
