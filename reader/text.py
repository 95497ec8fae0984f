"""Untrusted text to safe plain text: at import, and again for everything shown.

:func:`strip_unsafe` is the one cleaning for every text that reaches a terminal: the CLI
applies it to what it prints, the app to its notifications, file names, titles read back
from the database (another program may have written them) and config values. Styles
(search highlights) are added after cleaning, never read from the text.

Article text comes from the web. Before it is stored it loses everything a terminal or
Textual could interpret: ANSI CSI/OSC/DCS escape sequences, C0 and C1 control
characters (except newline and tab), bidi overrides and isolates, zero-width and other
invisible format characters, every Default_Ignorable code point. Markup such as ``[@click=app.quit]`` stays as literal text:
it is harmless once rendered with APIs that do not parse markup (see DESIGN.md).
"""

from __future__ import annotations

import re
import unicodedata

from reader.ignorable import DEFAULT_IGNORABLE

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P/X/^/_ ... ST), and two-character escapes. Their 8-bit C1 forms are handled too.
# A string sequence must be terminated within 4 KiB to count as one: a stray C1 byte from a
# mis-decoded legacy file must not swallow the rest of the article (it is removed alone
# by _INVISIBLE below).
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]                                       # CSI
  | (?:\x1b\]|\x9d)[^\x07\x1b\x9c]{0,4096}(?:\x07|\x1b\\|\x9c)            # OSC, ended by BEL or ST
  | (?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]{0,4096}(?:\x1b\\|\x9c)   # DCS, SOS, PM, APC
  | \x1b[ -/]*[0-~]?                                                    # other ESC sequences
    """,
    re.VERBOSE,
)
_ESCAPE_START = re.compile("[\x1b\x90\x98\x9b\x9d\x9e\x9f]")  # what every _ESCAPES match starts with

# Invisible format characters: bidi marks, embeddings, overrides and isolates,
# zero-width characters, BOM, interlinear annotations (a character class's inside).
_FORMAT = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
# Characters removed outright: C0 controls but \t and \n, DEL, C1 controls, the format ones.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + _FORMAT + "]")
# Characters JSON may carry raw but a terminal could act on or hide text with: DEL and C1
# controls, the format characters, line and paragraph separators, lone surrogates. The
# command line escapes them (``\\uXXXX`` in JSON strings means the same), never drops them.
JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029" + _FORMAT + "\ud800-\udfff]")
# The same plus C0 controls (newline and tab included): for file names in one-line messages.
NAME_UNSAFE = re.compile("[\x00-\x1f" + JSON_UNSAFE.pattern[1:])
# Every Default_Ignorable_Code_Point (generated table): Hangul fillers, combining grapheme
# joiner, Khmer inherent vowels, variation selectors, tags... render as nothing or as blanks.
_IGNORABLE = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in DEFAULT_IGNORABLE) + "]")
# What strip_unsafe would remove that a terminal acts on or hides text with: the quick test of
# text read back from the database, which was cleaned at import unless another program wrote it.
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufff9-\ufffb" + _IGNORABLE.pattern[1:-1] + "]"
)
_LINE_UNSAFE = re.compile("[\\t\\n" + _TERMINAL_UNSAFE.pattern[1:])
_ASCII_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_ASCII_LINE_CONTROL = re.compile("[\x00-\x1f\x7f]")
_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def strip_unsafe(text: str) -> str:
    """Remove escape sequences and invisible/control characters; keep everything else.

    Printable ASCII (most titles, names, links and tags: nine of the strings cleaned for
    each feed entry) holds none of them and is returned as it is, after two C checks.
    """
    if not text:
        return ""
    if text.isascii() and text.isprintable():
        return text
    return _stripped(text)


def _stripped(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ESCAPE_START.search(text):  # a scan for one character class is 10 times quicker
        text = _ESCAPES.sub("", text)
    text = _INVISIBLE.sub("", text)
    if not text.isascii():
        text = _IGNORABLE.sub("", text)
    # Other format (Cf) characters and unassigned/private code points render unpredictably.
    if not text.isascii():  # each distinct character checked once (8 ms -> 1.6 ms for 9 KB)
        for ch in {ch for ch in set(text) if not ch.isascii() and unicodedata.category(ch) in ("Cf", "Co", "Cs", "Cn")}:
            text = text.replace(ch, "")
    return text.replace("\u2028", "\n").replace("\u2029", "\n\n")


def clean_line(text: str) -> str:
    """One safe line: for titles, sources, tags and labels."""
    return " ".join(strip_unsafe(text).split())


def shown(text: str) -> str:
    """``text`` safe for a terminal: unchanged (and fast) when it already is, else strip_unsafe."""
    unsafe = _ASCII_CONTROL if text.isascii() else _TERMINAL_UNSAFE
    return strip_unsafe(text) if unsafe.search(text) else text


def shown_line(text: str) -> str:
    """One line safe for a terminal: unchanged (and fast) when it already is, else clean_line."""
    unsafe = _ASCII_LINE_CONTROL if text.isascii() else _LINE_UNSAFE
    if unsafe.search(text) or "  " in text or text[:1] == " " or text[-1:] == " ":
        return clean_line(text)
    return text


def clean_paragraphs(text: str) -> str:
    """Safe body text: paragraphs separated by one blank line, spaces folded within lines."""
    text = strip_unsafe(text).replace("\t", " ")
    paragraphs = []
    for block in _BLANK_LINES.split(text):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        joined = " ".join(line for line in lines if line)
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def first_sentence(text: str, limit: int = 90) -> str:
    """The first sentence of ``text``, shortened on a word boundary to ``limit`` characters."""
    text = " ".join(text.split())
    match = re.search(r"(?<=[.!?…])\s", text)
    sentence = text[: match.start()] if match else text
    sentence = sentence.rstrip(".!?… ")
    if len(sentence) > limit:
        cut = sentence[:limit].rsplit(" ", 1)[0]
        sentence = cut.rstrip(",;:") + "…"
    return sentence


def fold_accents(text: str) -> str:
    """``Öffnungszeit`` -> ``Offnungszeit``; ß becomes ss. Used for matching, never display."""
    text = text.replace("ß", "ss").replace("ẞ", "SS")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
