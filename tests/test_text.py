"""Untrusted text loses escapes and invisible characters, keeps markup as literal text."""

from hypothesis import given
from hypothesis import strategies as st

from reader.text import clean_line, clean_paragraphs, first_sentence, fold_accents, strip_unsafe


def test_escape_sequences_are_removed():
    raw = "a\x1b[2Jb\x1b]52;c;aGk=\x07c\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\d\x9b31me"
    assert strip_unsafe(raw) == "abclinkde"


def test_controls_bidi_and_zero_width_are_removed():
    assert strip_unsafe("x\x00y\x08z\u202eevil\u2066w\u200bq\ufeff\x85") == "xyzevilwq"


def test_markup_stays_literal():
    text = "[@click=app.quit]Tap here[/] [link=file:///etc/passwd]x[/link]"
    assert strip_unsafe(text) == text


def test_paragraphs_are_normalised():
    assert clean_paragraphs("  one\r\n two  \n\n\n\tthree \n") == "one two\n\nthree"
    assert clean_line(" a \n b\tc ") == "a b c"


def test_first_sentence_and_folding():
    assert first_sentence("The harbour opens. Then more.") == "The harbour opens"
    assert first_sentence("word " * 40).endswith("…")
    assert fold_accents("Öffnungszeit Straße") == "Offnungszeit Strasse"


@given(st.text())
def test_cleaned_text_has_no_control_characters(text):
    for cleaned in (strip_unsafe(text), clean_paragraphs(text), clean_line(text)):
        assert not any(ord(c) < 32 and c not in "\n\t" for c in cleaned)
        assert not any(0x7F <= ord(c) <= 0x9F for c in cleaned)
        assert "\x1b" not in cleaned


@given(st.text())
def test_the_printable_ascii_shortcut_cleans_as_the_full_cleaning_does(text: str) -> None:
    """Printable ASCII comes back as it is, so the shortcut may skip the cleaning: the
    full cleaning leaves it unchanged too, and any other text takes the full cleaning."""
    from reader.text import _stripped

    printable = "".join(ch for ch in text if " " <= ch <= "~")
    assert _stripped(printable) == printable == strip_unsafe(printable)
    assert strip_unsafe(text) == _stripped(text)
