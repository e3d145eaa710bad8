"""Plain text and Markdown: detect the encoding, normalise line ends, refuse binary data.

Encodings are decided from the bytes, in this order: a byte-order mark
(UTF-8, UTF-16 LE/BE, UTF-32), BOM-less UTF-16 recognised by its pattern of
zero bytes, strict UTF-8, UTF-8 with a few stray bytes that are not UTF-8
(read as Windows-1252, with a note) when valid UTF-8 characters clearly
outnumber them, then Windows-1252 as browsers read it (the WHATWG
table): the five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90,
0x9D) become the control characters of the same number, as in Latin-1, and
every other byte keeps its Windows-1252 meaning. Text that reads as
Windows-1252 made almost only of accented letters is not a Western language:
then the legacy encodings of other scripts are tried (Cyrillic, Greek,
Hebrew, Arabic, Thai, Japanese, Korean, Chinese), and the one whose reading
is text of its own script is used, with a note. Text whose Windows-1252
reading puts symbols between letters ("by³o"), or letters no Western
language writes inside a word (Czech ě and ů read as ì and ù: "dùstojnost"),
is tried as Central European (Windows-1250, ISO-8859-2) the same way; so is
text whose Windows-1252 reading is in a Central European language by its most
frequent words (Hungarian ő read as õ, Croatian ć as æ), which wins when that
language's word list spells its words that way far more often. The choice is
recorded in the Document, and a file read as Windows-1252 gets a note saying
so, since Mac Roman, the DOS code pages and a line of Hungarian cannot be told
from it by their bytes.

A plain-text file is its own extracted text: only line ends (CRLF, CR) become
LF and a byte-order mark is dropped, so offsets can be checked against the
file in any editor. A Markdown file is too, but for what its rendered page
does not show (link addresses, images, comments, link definitions; see
:mod:`memdiff.ingest.markdown`). The other formats (PDF, Word, RTF, HTML) are laid out by
one rule, :func:`tidy`, and every reader repairs broken UTF-16 halves with
:func:`repair_surrogates`.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from encodings import cp1252
from functools import cache

from memdiff.errors import InputError
from memdiff.ingest import Extracted

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Windows-1252 as the WHATWG Encoding Standard (every browser) defines it: Python's
#: cp1252 table with its five holes filled by the Latin-1 characters of the same number.
_WINDOWS_1252 = "".join(
    chr(byte) if char == "\ufffe" else char for byte, char in enumerate(cp1252.decoding_table)
)

# Control characters that do not occur in real text; a file made mostly of
# them is binary data whatever its name says. (Tab, line feed, form feed and
# carriage return do occur.)
_BINARY_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
_BINARY_CONTROL_BYTES_RE = re.compile(b"[\x00-\x08\x0b\x0e-\x1f]")

# The layout rule of every document format (see tidy()).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TRAILING_SPACES = re.compile(r"[^\S\n]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def read(data: bytes, name: str, *, media_type: str = "text/plain") -> Extracted:
    text, encoding, notes = decode_noted(data, name)
    if "\r" in text:
        notes += ("Line ends converted to LF (the file used CRLF or CR).",)
    text = clean(text)
    if media_type == "text/markdown":
        from memdiff.ingest.markdown import visible

        text, shown = visible(text)
        notes += shown
    return Extracted(text, media_type, encoding=encoding, notes=notes)


def decode(
    data: bytes, name: str, *, refuse_binary: bool = True, guess_legacy: bool = True
) -> tuple[str, str]:
    """Return the text of ``data`` and the name of the encoding it was read with.

    With ``refuse_binary`` (plain text), data made largely of control characters
    is refused as binary; HTML passes False, since its reader drops control
    characters and a saved web page is never refused for carrying some.
    Without ``guess_legacy`` the legacy encodings of other scripts are not
    tried (for a caller that only asks whether the data is text at all).
    """
    text, encoding, _ = decode_noted(data, name, refuse_binary=refuse_binary, guess_legacy=guess_legacy)
    return text, encoding


def decode_noted(
    data: bytes, name: str, *, refuse_binary: bool = True, guess_legacy: bool = True
) -> tuple[str, str, tuple[str, ...]]:
    """:func:`decode`, with the notes a reader should pass on: how a file that is not Unicode was read (a legacy
    encoding recognised, or Windows-1252 for want of a better answer), and bytes of a UTF-8 file that were not
    UTF-8."""
    check = _refuse_binary if refuse_binary else _keep
    bom_encoding = byte_order_mark(data)
    if bom_encoding:
        try:
            text = data.decode(bom_encoding)
        except UnicodeDecodeError:
            label = bom_encoding.removesuffix("-sig").upper()
            raise InputError(
                f"{name} starts with a {label} byte-order mark but is not valid {label}; re-save it as UTF-8."
            ) from None
        text = text.removeprefix("\ufeff")
        return check(text, name), encoding_name(bom_encoding), ()
    guessed16 = _guess_utf16_without_bom(data)
    if guessed16:
        try:
            return check(data.decode(guessed16), name), encoding_name(guessed16), ()
        except UnicodeDecodeError:
            pass
    try:
        return check(data.decode("utf-8"), name), "utf-8", ()
    except UnicodeDecodeError:
        pass
    if refuse_binary:
        _refuse_binary_bytes(data, name)
    mostly_utf8 = _utf8_with_stray_bytes(data)
    if mostly_utf8 is not None:
        text, stray = mostly_utf8
        return check(text, name), "utf-8", (_stray_bytes_note(stray),)
    text = decode_windows_1252(data)
    if guess_legacy:
        if _implausible_as_western(text):
            legacy, western = _legacy_encoding(data), _NO_WORDS
        else:
            legacy, western = _central_european(data, text), _SYMBOLS_IN_WORDS
            if legacy is None:
                by_words = _central_european_by_words(data, text)
                if by_words is not None:
                    legacy = by_words[:2]
                    western = f"its words with {by_words[2]} were not words of its language"
        if legacy is not None:
            return (*legacy, (_legacy_note(legacy[1], western),))
    return text, "windows-1252", (WINDOWS_1252_NOTE,)


#: Said of every file read as Windows-1252 for want of a better answer: no reading of its bytes can
#: tell Mac Roman, the DOS code pages or a line of Hungarian from Windows-1252, so only the user can.
WINDOWS_1252_NOTE = (
    "The file is not UTF-8 and was read as Windows-1252 (Western European); if it was written in another "
    "encoding (for example Mac Roman, a DOS code page, or Hungarian, whose ő and ű then show as õ and û), its "
    "accented letters are wrong here, so re-save it as UTF-8 and compare that."
)

# What the Windows-1252 reading showed, for the note.
_NO_WORDS = "they made no words of any language"
_SYMBOLS_IN_WORDS = (
    "its words held symbols such as ³ and ¹, or letters such as ì and ù that no Western language writes inside a word"
)


def _legacy_note(encoding: str, western: str) -> str:
    script = _legacy_scripts().get(encoding, "its script's")
    return (
        f"Read as {encoding}: the file has no byte-order mark and is not UTF-8, and its bytes read as "
        f"{script} text in that encoding (as Windows-1252 {western})."
    )


# A byte of a UTF-8 file that is not UTF-8, as Python's "surrogateescape" hands it over.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
#: How many valid multi-byte UTF-8 characters a file must hold per byte that is not UTF-8 to be read as
#: UTF-8 with stray bytes: Windows-1252 text almost never forms a valid UTF-8 sequence (only an accented
#: capital followed by a symbol does, "Ã©"), so in it invalid bytes outnumber valid sequences many times over.
_UTF8_CHARACTERS_PER_STRAY_BYTE = 2


def _utf8_with_stray_bytes(data: bytes) -> tuple[str, int] | None:
    """``data`` read as UTF-8 with each byte that is not UTF-8 read as Windows-1252, and how many there were;
    None unless valid multi-byte characters clearly outnumber those bytes (text pasted together from a UTF-8
    source and a Windows one: a curly apostrophe 0x92 among em dashes and accents)."""
    if len(data) > _FIRST_LOOK:
        # A Windows-1252 file mostly shows what it is in its first 64 KB; when that is clear, the whole
        # need not be decoded. Only a clear sign counts: a first part that is ASCII but for one pasted
        # byte says nothing of the rest. The cut is moved off a character's continuation bytes.
        cut = _FIRST_LOOK
        while cut > _FIRST_LOOK - 3 and 0x80 <= data[cut] <= 0xBF:
            cut -= 1
        stray, multibyte = _stray_and_multibyte(data[:cut].decode("utf-8", "surrogateescape"))
        if stray >= _CLEAR_SIGN and multibyte < _UTF8_CHARACTERS_PER_STRAY_BYTE * stray:
            return None
    text = data.decode("utf-8", "surrogateescape")
    stray, multibyte = _stray_and_multibyte(text)
    if multibyte < _UTF8_CHARACTERS_PER_STRAY_BYTE * stray:
        return None
    return _ESCAPED_BYTE.sub(lambda byte: _WINDOWS_1252[ord(byte.group()) - 0xDC00], text), stray


#: How much of a file is looked at first, and how many stray bytes there make it clearly not UTF-8.
_FIRST_LOOK = 65536
_CLEAR_SIGN = 8


def _stray_and_multibyte(text: str) -> tuple[int, int]:
    """Bytes that were not UTF-8 (escaped as surrogates) and characters of several bytes, in ``text``."""
    stray = len(_ESCAPED_BYTE.findall(text))
    return stray, len(_NON_ASCII.findall(text)) - stray


def _stray_bytes_note(stray: int) -> str:
    bytes_were = "1 byte of the file was" if stray == 1 else f"{stray:,} bytes of the file were"
    return (
        f"Read as UTF-8, although {bytes_were} not valid UTF-8 (text pasted from another program) and "
        "read as Windows-1252, as browsers read such bytes."
    )


# Legacy encodings of other scripts, tried when a file is neither Unicode nor
# plausible Windows-1252: (codec, the script its letters must be in).
_LEGACY_ENCODINGS: tuple[tuple[str, str], ...] = (
    ("windows-1251", "cyrillic"),
    ("koi8-r", "cyrillic"),
    ("windows-1253", "greek"),
    ("windows-1255", "hebrew"),
    ("windows-1256", "arabic"),
    ("cp874", "thai"),
    ("cp932", "japanese"),
    ("euc-jp", "japanese"),
    ("cp949", "korean"),
    ("gb18030", "chinese"),
    ("big5", "chinese"),
)
# The characters of each script a legacy encoding may hold (ranges, for a
# character class); compiled on first use, since only a file in a legacy
# encoding needs them.
_SCRIPT_RANGES = {
    "cyrillic": "\u0400-\u04ff",
    "greek": "\u0370-\u03ff\u1f00-\u1fff",
    "hebrew": "\u0590-\u05ff",
    "arabic": "\u0600-\u06ff\u0750-\u077f",
    "thai": "\u0e00-\u0e7f",
    "japanese": "\u3000-\u30ff\u4e00-\u9fff\uff01-\uff9f",
    "korean": "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e",
    "chinese": "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e",
    "hiragana": "\u3041-\u309f",
    "hangul": "\uac00-\ud7af",
}
# The fifteen or so most frequent letters of each alphabetic script's main
# language: they are most of any real text, and far fewer of a misreading.
_COMMON_LETTERS = {
    "cyrillic": frozenset("оеаинтсрвлкмдпуя"),
    "greek": frozenset("αοειτνσςρκπμυληάέίόή"),
    "hebrew": frozenset("יוהלרמאבתנשעכדק"),
    "arabic": frozenset("الينمورتبهعفكسد"),
    "thai": frozenset("านรอกเมงยดวลสทต่้ัี"),
}
# Characters among the most frequent of written Chinese, in both the simplified
# and the traditional forms: real Chinese text is full of them, a misread is not.
_COMMON_CHINESE = frozenset("的一是不了在人有我他这這中大来來上国國个個到说說们們为為子和你地出道也时時年得就那要下以生会會自着著去之过過家学學对對可")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_C1_CONTROLS = re.compile("[\x80-\x9f]")
_LATIN_LETTERS = re.compile("[A-Za-z\u00c0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e]")


@cache
def _legacy_scripts() -> dict[str, str]:
    """The recorded name of each legacy encoding tried -> its script's name, for the note (made on first use:
    naming them looks the codecs up, which imports their modules)."""
    scripts = {encoding_name(codec): script.capitalize() for codec, script in _LEGACY_ENCODINGS}
    scripts.update((encoding_name(codec), "Central European") for codec in _CENTRAL_EUROPEAN)
    return scripts


# Central European text (Polish, Czech, Slovak, Slovenian, Croatian, Hungarian)
# saved before Unicode: Windows-1250, or ISO-8859-2 on older Unix systems.
# Their letters read as Windows-1252 mostly as other letters (č as è), which no
# count of accents can tell from French; but some become symbols (ł as ³, ą as
# ¹, ż as ¿, and in ISO-8859-2 š as ¹ and ž as ¾), and a symbol between two
# letters, as in "by³o", is not written in any Western language.
# ISO-8859-2 comes first, to win a tie: where both read every symbol as a letter,
# the file lacks š, ś, ť, ž and ź as Windows-1250 writes them (bytes ISO-8859-2
# leaves to control characters), which Windows-1250 text almost never does.
_CENTRAL_EUROPEAN = ("iso8859-2", "cp1250")
#: How many signs (symbols between letters, or the letters below inside a word) the
#: Windows-1252 reading must show before the Central European encodings are tried
#: (a footnote mark or a stray "£5" never makes five).
_MIN_SYMBOLS_IN_WORDS = 5
#: A short text (a paragraph of Polish has two or three signs) qualifies on this many when a Central
#: European reading leaves no symbol between letters at all: then that reading is clearly the better one.
_MIN_SIGNS_OF_CLEAN_READING = 2
# Letters the Windows-1252 reading of Central European text puts where no Western language
# writes them: Czech ě and ů (both encodings) read as ì and ù inside a word (Italian and French
# write them only at its end), Slovak ľ in ISO-8859-2 as µ inside a word, and at the end of a
# word: Polish ś in Windows-1250 as œ ("jesteœ", "Dziœ": French writes œ only before a letter),
# Slovak ľ as ¾ ("Kàde¾"), and ť, Ť, Ź as the control characters 0x9D, 0x8D, 0x8F ("by\x9d"),
# which no text holds. (Not ³, ¹, ² or »: "m³", "nota¹" and «ça» end words in Western text.) Not ò
# (Catalan writes it inside words; it is Czech ň), nor ø, å, à, è, æ (Danish, Swedish, French...),
# nor õ and û (Portuguese, French; they are Hungarian ő and ű, told by words: _central_european_by_words).
_CENTRAL_EUROPEAN_LETTERS = re.compile(
    r"(?<=[^\W\d_])(?:[\u00ec\u00f9\u00cc\u00d9\u00b5](?=[^\W\d_])|[\u0153\u0152\u00be\x8d\x8f\x9d](?![^\W\d_]))"
)


@cache
def _symbols_in_words(codec: str | None) -> re.Pattern[str]:
    """Non-ASCII characters that are no letters, between two letters, in ``codec``'s reading (None: Windows-1252)
    of any byte; for Windows-1252, only those bytes that a Central European encoding reads as letters."""
    bytes_high = bytes(range(0x80, 0x100))
    if codec is None:
        western = decode_windows_1252(bytes_high)
        readings = [bytes_high.decode(c, errors="replace") for c in _CENTRAL_EUROPEAN]
        chars = {w for n, w in enumerate(western) if not _is_letter(w) and any(_is_letter(r[n]) for r in readings)}
    else:
        chars = {c for c in bytes_high.decode(codec, errors="replace") if not _is_letter(c)}
    chars.discard("\ufffd")
    return re.compile(f"(?<=[^\\W\\d_])[{re.escape(''.join(sorted(chars)))}](?=[^\\W\\d_])")


def _is_letter(char: str) -> bool:
    """A letter of a word: a capital or small one. The caron ˇ, a "modifier letter" to Unicode, is not:
    ISO-8859-2 puts it where Windows-1252 has the middle dot of Catalan's "col·lecció"."""
    return unicodedata.category(char) in ("Lu", "Ll")


def _central_european(data: bytes, western: str) -> tuple[str, str] | None:
    """Windows-1250 or ISO-8859-2, if ``western`` (``data`` read as Windows-1252) shows signs of Central European
    letters (symbols between letters, ì and ù inside words, œ ending one) and one of those encodings reads (almost) every
    such symbol as a letter; else None.

    Five signs suffice when the better reading leaves at most a tenth of them;
    two when it leaves none (a short text: a paragraph of Polish or a sentence
    of Czech).
    """
    sample = western[:65536]
    found = len(_symbols_in_words(None).findall(sample))
    found += len(_CENTRAL_EUROPEAN_LETTERS.findall(sample))
    if found < _MIN_SIGNS_OF_CLEAN_READING:
        return None
    allowed = found // 10 if found >= _MIN_SYMBOLS_IN_WORDS else 0
    best: tuple[int, str, str] | None = None
    for codec in _CENTRAL_EUROPEAN:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        # A control character of 0x80-0x9F is no letter either: it is how ISO-8859-2 reads
        # Windows-1250's š, ť and ž, wherever they stand.
        left = len(_symbols_in_words(codec).findall(text[:65536])) + len(_C1_CONTROLS.findall(text[:65536]))
        if left <= allowed and (best is None or left < best[0]):
            best = (left, text, codec)
    return None if best is None else (best[1], encoding_name(best[2]))


# Central European text whose Windows-1252 reading shows only letters: Hungarian ő and ű read as õ and û,
# Slovenian and Croatian č, ć and đ as è, æ and ð (their š and ž are the same bytes in Windows-1252).
# Portuguese writes õ, French û and è, Danish æ: no sign in the letters tells these apart, but the
# words do. When the Windows-1252 reading is in a Central European language (by its most frequent
# words, which these letters seldom touch), each word the readings spell differently is looked up in
# that language's word list, and the spelling the language writes more often wins it ("első" over
# "elsõ": the list has both, as people typed ő as õ where their keyboard or font lacked it).
_CENTRAL_EUROPEAN_LANGUAGES = frozenset(("cs", "hu", "pl", "ro", "sh", "sk", "sl"))
#: How many words the better Central European reading must win, and how many times as many as it loses.
_MIN_WORDS_WON = 2
_WORDS_WON_PER_LOST = 3
_WORD = re.compile(r"[^\W\d_]+")
_NOT_LISTED = 1 << 16  # the bucket of a word the list does not hold: rarer than any it does


@cache
def _differing_bytes() -> bytes:
    """A translate table: each byte 0x80-0xFF that Windows-1252 and a Central European encoding read as
    different letters -> 1, every other byte -> 0."""
    high = bytes(range(0x80, 0x100))
    western = decode_windows_1252(high)
    readings = [high.decode(codec, errors="replace") for codec in _CENTRAL_EUROPEAN]
    table = bytearray(256)
    for n, char in enumerate(western):
        if _is_letter(char) and any(r[n] != char and _is_letter(r[n]) for r in readings):
            table[0x80 + n] = 1
    return bytes(table)


def _central_european_by_words(data: bytes, western: str) -> tuple[str, str, str] | None:
    """Windows-1250 or ISO-8859-2, if ``western`` (``data`` read as Windows-1252) is in a Central European
    language whose words that encoding spells as the language does far more often than Windows-1252 does,
    with the letters Windows-1252 showed instead ("õ and û"); else None. Western text never gets this far:
    its most frequent words are those of a Western language."""
    head = data[:_FIRST_LOOK]
    marks = head.translate(_differing_bytes())
    if marks.count(1) < _MIN_WORDS_WON:
        return None
    from memdiff.text.chance import detect_language, word_buckets

    sample = western[: len(head)]
    language = detect_language(word.lower() for word in _WORD.findall(sample))
    if language not in _CENTRAL_EUROPEAN_LANGUAGES:
        return None
    # The words with a letter the readings disagree on, where they stand.
    spans = [m.span() for m in _WORD.finditer(sample) if 1 in marks[m.start() : m.end()]]
    best: tuple[int, int, int, str, str] | None = None
    for codec in _CENTRAL_EUROPEAN:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        pairs = [(sample[a:b].lower(), text[a:b].lower()) for a, b in spans]
        pairs = [(w, c) for w, c in pairs if _WORD.fullmatch(c)]
        buckets = word_buckets(language, {word for pair in pairs for word in pair})
        won = sum(1 for w, c in pairs if buckets.get(c, _NOT_LISTED) < buckets.get(w, _NOT_LISTED))
        lost = sum(1 for w, c in pairs if buckets.get(w, _NOT_LISTED) < buckets.get(c, _NOT_LISTED))
        controls = len(_C1_CONTROLS.findall(text, 0, len(head)))
        if best is None or (won - lost, -controls) > (best[0] - best[1], -best[2]):
            best = (won, lost, controls, text, codec)
    if best is None or best[0] < _MIN_WORDS_WON or best[0] < _WORDS_WON_PER_LOST * best[1] + 1:
        return None
    seen = Counter(char for char, mark in zip(sample, marks) if mark)
    shown = [char for char, _ in sorted(seen.items(), key=lambda item: (-item[1], item[0]))[:4]]
    letters = ", ".join(shown[:-1]) + f" and {shown[-1]}" if len(shown) > 1 else shown[0]
    return best[3], encoding_name(best[4]), letters


@cache
def _script_chars(script: str) -> re.Pattern[str]:
    return re.compile(f"[{_SCRIPT_RANGES[script]}]")


def _implausible_as_western(text: str) -> bool:
    """Whether ``text``, read as Windows-1252, is too rich in accented letters to be a Western language.

    In French, German, Spanish or Icelandic a few letters in a hundred carry
    accents; Hebrew, Arabic, Russian or Korean bytes read as Windows-1252 give
    words made of nothing else.
    """
    sample = text[:65536]
    letters = _LATIN_LETTERS.findall(sample)
    accented = sum(1 for ch in letters if ord(ch) > 0x7F)
    return accented >= 20 and accented > 0.4 * len(letters)


def _legacy_encoding(data: bytes) -> tuple[str, str] | None:
    """The legacy encoding whose reading of ``data`` is text of one script, or None when none fits.

    A candidate must decode every byte, and its non-ASCII characters must be
    of its script: for the alphabets, mostly their language's frequent
    letters; Japanese must show hiragana, Korean hangul, and Chinese the
    common characters of written Chinese. The best fit wins; among equal
    fits, the first in ``_LEGACY_ENCODINGS``.
    """
    best: tuple[float, str, str] | None = None
    for codec, script in _LEGACY_ENCODINGS:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        sample = text[:65536]
        others = len(_NON_ASCII.findall(sample))
        if others < 20:
            continue
        in_script = _script_chars(script).findall(sample)
        fit = len(in_script) / others
        common = _COMMON_LETTERS.get(script)
        if common is not None:
            # Every byte reads as a letter in each of these alphabets: what tells them
            # apart is whether the letters are that language's frequent ones.
            share = sum(1 for ch in in_script if ch.lower() in common) / max(1, len(in_script))
            if share < 0.45:
                continue
            fit *= share
        if script == "japanese" and len(_script_chars("hiragana").findall(sample)) < 0.1 * others:
            continue
        if script == "korean" and len(_script_chars("hangul").findall(sample)) < 0.5 * others:
            continue
        if script == "chinese":
            fit *= min(1.0, 10 * sum(1 for ch in sample if ch in _COMMON_CHINESE) / others)
        if fit >= 0.4 and (best is None or fit > best[0]):
            best = (fit, text, codec)
    return None if best is None else (best[1], encoding_name(best[2]))


def decode_windows_1252(data: bytes) -> str:
    """``data`` read as Windows-1252 the way browsers read it: no byte is lost or replaced."""
    return codecs.charmap_decode(data, "strict", _WINDOWS_1252)[0]


#: Python's codec names (as codecs.lookup gives them) whose encodings have
#: another name in the WHATWG Encoding Standard, which browsers and most tools use.
_STANDARD_NAMES = {
    **{f"cp125{n}": f"windows-125{n}" for n in range(9)},
    "cp874": "windows-874",
    "cp932": "shift_jis",
    "euc_jp": "euc-jp",
    "iso2022_jp": "iso-2022-jp",
    "cp949": "euc-kr",
    "euc_kr": "euc-kr",
    "cp950": "big5",
    "big5hkscs": "big5",
    "cp866": "ibm866",
    "mac-roman": "macintosh",
    "mac-cyrillic": "x-mac-cyrillic",
    # UTF-16 as the standard names it ("UTF-16LE", label "utf-16le"); UTF-32, which it does not
    # define, keeps Python's name. A byte-order mark is no part of the encoding.
    "utf-16-le": "utf-16le",
    "utf-16-be": "utf-16be",
    "utf-8-sig": "utf-8",
}


def encoding_name(codec: str) -> str:
    """The name a record gives the encoding Python's ``codec`` reads: the WHATWG Encoding Standard's where it
    has one (``cp932`` is ``shift_jis``, ``cp1251`` is ``windows-1251``), else Python's own.

    Plain text, HTML and RTF all record through it, so one encoding has one
    name whatever the format that declared it.
    """
    try:
        python = codecs.lookup(codec).name
    except LookupError:
        return codec
    if python.startswith("iso8859-"):
        return "iso-8859-" + python.removeprefix("iso8859-")
    return _STANDARD_NAMES.get(python, python)


def byte_order_mark(data: bytes) -> str | None:
    """The Python codec a byte-order mark at the start of ``data`` names (UTF-8 as "utf-8-sig"), or None."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def unicode_encoding(data: bytes) -> str | None:
    """The UTF-16 or UTF-32 codec ``data`` is written in (by its byte-order mark or its zero bytes), or None.

    Used to look for markup ("<html", "{\\rtf") in files whose bytes are not ASCII-compatible.
    """
    bom_encoding = byte_order_mark(data)
    if bom_encoding:
        return None if bom_encoding == "utf-8-sig" else bom_encoding
    return _guess_utf16_without_bom(data)


def looks_like_text(data: bytes) -> bool:
    """Whether memdiff's text reader would read ``data`` (judged on its first 64 KB) as text."""
    try:
        decode(data[:65536], "", guess_legacy=False)  # which encoding it is cannot change the answer
    except InputError:
        return False
    return True


def _guess_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of mostly Latin script has a zero in every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > 0.4 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if even_zeros > 0.4 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    return None


def _refuse_binary(text: str, name: str) -> str:
    sample = text[:8192]
    if sample and len(_BINARY_CONTROL_RE.findall(sample)) > max(2, len(sample) // 100):
        raise InputError(f"{name} looks like binary data, not text; open the document it came from instead.")
    return text


def _keep(text: str, name: str) -> str:
    return text


def _refuse_binary_bytes(data: bytes, name: str) -> None:
    sample = data[:8192]
    if len(_BINARY_CONTROL_BYTES_RE.findall(sample)) > max(2, len(sample) // 100):
        raise InputError(f"{name} looks like binary data, not text; open the document it came from instead.")


def clean(text: str) -> str:
    """Line ends to ``\\n`` and a stray byte-order mark removed; nothing else is touched."""
    return line_ends(text).removeprefix("\ufeff")


def line_ends(text: str) -> str:
    """CRLF and lone CR become LF, the one line end every reader hands on."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def repair_surrogates(text: str) -> str:
    """Join UTF-16 halves that pair up and replace lone ones with U+FFFD.

    Broken ToUnicode maps in PDFs, RTF's \\uN halves, JSON's "\\ud83d" and a
    Windows clipboard can all hand over halves of a UTF-16 pair; no file or
    terminal can hold a lone one, so they never leave the reader.
    """
    if _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def tidy(text: str) -> str:
    """The layout rule of every document format (PDF page, Word, RTF, HTML).

    Line ends become LF; UTF-16 halves are repaired; control characters other
    than tab and newline (a NUL from an unmapped glyph, a form feed, an escape)
    are removed; spaces and tabs at the end of a line are dropped, runs of
    blank lines reduced to one, and the text trimmed at both ends.
    """
    text = repair_surrogates(line_ends(text))
    text = _CONTROLS.sub("", text)
    text = _TRAILING_SPACES.sub("\n", text + "\n")
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()
