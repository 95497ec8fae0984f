"""Analysis: language keys, folding, stemming and the forms a query word expands to."""

from __future__ import annotations

from reader.search.analysis import analyse, fold, language_key, query_forms, term


def test_language_keys():
    assert [language_key(x) for x in ("en", "en-GB", "English", "eng", "DE_at", "deutsch")] == ["en"] * 4 + ["de"] * 2
    assert [language_key(x) for x in ("fr", "", "xx-yy", "русский язык")] == ["", "", "", ""]


def test_folding():
    assert fold("Öffnungszeit") == "offnungszeit"
    assert fold("Straße") == "strasse"
    assert fold("ÉCOLE") == "ecole"
    assert fold("ﬁne") == "fine"


def test_stemming_per_language():
    assert term("en", "cooperation") == term("en", "cooperate") == "cooper"
    assert term("de", "Öffnungszeiten") == term("de", "offnungszeit")
    assert term("de", "Häfen") == term("de", "Hafen")
    assert term("", "cooperation") == "cooperation"
    assert term("en", "x" * 61) == ""


def test_query_forms_cover_every_analysis():
    assert set(query_forms("cooperation")) == {"cooperation", "cooper"}
    assert term("de", "Öffnungszeiten") in query_forms("offnungszeiten")


def test_analyse_gives_positions_and_vocabulary():
    terms, vocabulary = analyse("Die Häfen, die Hafen!", "de")
    assert terms == ["die", "haf", "die", "haf"]
    assert vocabulary == ["die", "hafen", "die", "hafen"]
