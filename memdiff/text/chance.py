"""How likely a run of words is to occur by chance: self-information from word frequencies.

Each word is priced at ``-log2 p(word)`` bits, ``p`` being its frequency in
ordinary writing of the text's language (wordfreq's offline tables, which
blend books, news, subtitles and the web; their data files are read
directly, in wordfreq's documented format, through an index cached by
``memdiff.text.frequency_index``). A run's price is the sum of its
words' prices: "at the end of the day" costs about 45 bits, a distinctive
sentence from a novel several hundred. The sum treats words as independent,
which overstates the rarity of stock phrases; that is why short runs of
common words are flagged ``common_phrase`` rather than judged on bits alone.

The threshold is a fixed constant, printed in every result's method section.

The arithmetic cannot differ between machines: wordfreq files each word in a
bucket ``n`` of frequency ``10**(-n/100)``, so the word costs ``n / 100``
decimal digits, ``n * log2(10) / 100`` bits. A run's price is worked out from
the sum of its words' bucket numbers, an exact integer, by one
multiplication and one division (rounded alike by every IEEE-754 machine)
and Python's correctly rounded ``round``; ``pow`` and ``log2`` come from the
platform's maths library and may differ in their last bit, enough to move a
figure across a rounding boundary.
"""

from __future__ import annotations

import gzip
import importlib.util
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from memdiff.text.frequency_index import FrequencyTable, UnpackedTable, load_table

# A run costing fewer bits than this is flagged as a common phrase: one any
# writer might produce without having read the original; about ten everyday
# words ("and then he said that he would not go"). Checked by the validation
# study (version 2026-11-2, docs/VALIDATION.md): the 44 spans of 4+ words that
# unrelated works of the same language share by coincidence cost at most 78.3
# bits, so none reaches 80 (the rule: at most 1 % may pass as "not common";
# 79 is the lowest whole number that meets it).
COMMON_PHRASE_BITS = 80.0

# The price of a word the frequency table does not know (a name, a typo, a
# coinage): as rare as the rarest words listed, about one in 100 million.
UNKNOWN_WORD_FREQUENCY = 1e-8
# Its bucket: 10 ** (-800 / 100) == UNKNOWN_WORD_FREQUENCY. No word costs more.
UNKNOWN_WORD_BUCKET = 800
# log2(10), the double nearest to it.
LOG2_10 = 3.321928094887362

# Small sets of the most frequent words, enough to tell these languages apart
# from a few hundred words of text without loading every frequency table.
_MARKERS: dict[str, frozenset[str]] = {
    "en": frozenset("the of and to a in that is was he for it with as his on be at by i had not are but".split()),
    "de": frozenset("der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es".split()),
    "fr": frozenset("de la le et les des en un du une que est pour qui dans par plus pas au sur ne se".split()),
    "es": frozenset("de la que el en y a los del se las por un para con no una su al lo como".split()),
    "it": frozenset("di e il la che in a per un è non una del le si da con i sono al".split()),
    "nl": frozenset("de en van het een in is dat op te zijn met voor niet aan er die ook als".split()),
    "pt": frozenset("de a o que e do da em um para é com não uma os no se na por mais".split()),
    "sv": frozenset("och i att det som en på är av för med till den har de inte om ett han".split()),
    "pl": frozenset("i w na z się nie do to że jest o jak a co ale po tak za od".split()),
    "ru": frozenset("и в не на я что он с как а то это по но его к из она у за".split()),
    # The other languages wordfreq has tables for (_WIDELY_WRITTEN names those above): their 25 most frequent words in
    # wordfreq 3.1 (numbers and the names of countries left out).
    "ar": frozenset("في من على أن لا إلى و ما عن هذا مع التي كل هذه أو هو كان الذي ذلك بعد لم بين ان كانت يا".split()),
    "bg": frozenset("на и в да е от за се с не си че по ще са това като а ми но до го много най има".split()),
    "ca": frozenset("de la a i que el l d en per del un les els una no amb va és al es ha com més dels".split()),
    "cs": frozenset("a se v na je to že s z si do jsem ale o i tak pro ve za co k jako jak po by".split()),
    "da": frozenset("i og er af det at en til på jeg har for ikke med den der de du kan som så et var vi om".split()),
    "fa": frozenset("و به در از که این با را است رو من تو برای بود هم تا یک ها شده ما آن شد می یا بر".split()),
    "fi": frozenset("ja on ei että se oli mutta ole kun niin myös hän jos ovat voi nyt sen kuin tai en joka olla sitä mitä vain".split()),
    "fil": frozenset("sa ng ang na mga at ay isang hindi ito ko kung may ni si ako pa para mula siya mo o pag kanyang lang".split()),
    "hu": frozenset("a az és nem hogy egy is de meg csak ha van volt ez vagy már még én kell el jó ki azt most akkor".split()),
    "id": frozenset("yang dan di ini dari untuk dengan itu bisa aku ada tidak akan adalah dalam pada kita orang ke juga anda dia saya ya kamu".split()),
    "is": frozenset("og í á að er sem til en við af hann um ekki var fyrir með ég eru frá það þar því eða eftir hún".split()),
    "lt": frozenset("ir kad į su iš yra tai kaip ar o buvo savo tik bet nuo ne apie taip m kai labai dėl per dar gali".split()),
    "lv": frozenset("un ir ar par ka no kā uz kas arī vai bet es tā nav to tas man ja lai bija ko pēc tikai tad".split()),
    "mk": frozenset("на и во да се од за е со не го ќе што дека ги како ја тоа а кој кои си по ми до".split()),
    "ms": frozenset("yang dan di tak boleh dengan untuk saya ini awak dalam dari orang aku tapi kau kita nak adalah ke semua ada pada apa lagi".split()),
    "nb": frozenset("i og er det å på som til en av for ikke med har jeg at de du om den så vi fra var kan".split()),
    "ro": frozenset("de în și a la să din o pe cu nu mai un este că care pentru se au ce fost ca al am sunt".split()),
    "sh": frozenset("je u i da se na od za su a ne sa iz to kao o što godine koji kako bi ali nije još po".split()),
    "sk": frozenset("a v sa na je to z že s ako aj o si do som ale po za tak od čo už bol by pre".split()),
    "sl": frozenset("je in v na se da so za ki pa z tudi lahko s ne kot po še iz bi bo od tako to pri".split()),
    "tr": frozenset("ve bir bu için de da çok ile ne daha en gibi olarak her kadar o olan ben var ama sonra ki iyi yok ya".split()),
    "uk": frozenset("в на не і у з що та до це за а я як про для від так але він його все то є ви".split()),
    "ur": frozenset("کے میں کی ہے اور سے کا کو اس پر ہیں نے بھی ایک کر یہ نہیں کہ تو کیا وہ ہو ان تھا جو".split()),
    "vi": frozenset("là và có của được một các không trong cho người này với ở đã thể để như những đến khi làm sẽ từ ra".split()),
}

#: The language recorded for a text in a script no table covers (ISO 639's code for "undetermined").
UNDETERMINED = "und"

_WIDELY_WRITTEN = frozenset(("en", "de", "fr", "es", "it", "nl", "pt", "sv", "pl", "ru"))

# The script of a word's first letter, by Unicode block: (first, last, script).
_SCRIPT_RANGES = (
    ("\u0370", "\u03ff", "greek"),
    ("\u1f00", "\u1fff", "greek"),
    ("\u0400", "\u052f", "cyrillic"),
    ("\u0590", "\u05ff", "hebrew"),
    ("\u0600", "\u06ff", "arabic"),
    ("\u0750", "\u077f", "arabic"),
    ("\ufb50", "\ufdff", "arabic"),
    ("\ufe70", "\ufeff", "arabic"),
    ("\u0900", "\u097f", "devanagari"),
    ("\u0980", "\u09ff", "bengali"),
    ("\u0b80", "\u0bff", "tamil"),
)
# Scripts that only one language with a table is written in.
_SCRIPT_LANGUAGE = {"greek": "el", "hebrew": "he", "devanagari": "hi", "bengali": "bn", "tamil": "ta"}
# The language a text in each script with several is taken for when no marker list stands out.
_SCRIPT_DEFAULT = {"latin": "en", "cyrillic": "ru", "arabic": "ar"}


def _script(word: str) -> str:
    ch = word[0]
    if ch < "\u0370":
        return "latin"
    for first, last, script in _SCRIPT_RANGES:
        if first <= ch <= last:
            return script
    return "latin" if "\u1e00" <= ch <= "\u1eff" else "other"


@lru_cache(maxsize=1)
def _marker_scripts() -> dict[str, str]:
    """Each marker list's language -> the script it is written in."""
    return {lang: _script(min(markers)) for lang, markers in _MARKERS.items()}


def detect_language(words: Iterable[str]) -> str:
    """A wordfreq language code for a sample of normalised words.

    Chinese, Japanese and Korean are told by their scripts, and so are Greek,
    Hebrew, Hindi, Bengali and Tamil; the languages sharing a script (Latin,
    Cyrillic, Arabic) by which list of most frequent words the sample hits
    most often; when nothing stands out, English, Russian or Arabic by the
    script. A text mostly in a script no table covers (Thai, Armenian,
    Georgian...) is "und", undetermined: no table prices its words, so each
    is priced as a word the tables do not list.
    """
    sample = []
    for n, word in enumerate(words):
        if n >= 5000:
            break
        sample.append(word)
    if not sample:
        return "en"
    han = kana = hangul = 0
    for word in sample:
        ch = word[0]
        if "\u3040" <= ch <= "\u30ff":
            kana += 1
        elif "\uac00" <= ch <= "\ud7af":
            hangul += 1
        elif "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000":
            han += 1
    cjk = han + kana + hangul
    if cjk > len(sample) / 3:
        if hangul >= max(han, kana):
            return "ko"
        return "ja" if kana > cjk / 10 else "zh"
    scripts: dict[str, int] = {}
    for word in sample:
        script = _script(word)
        scripts[script] = scripts.get(script, 0) + 1
    script = max(sorted(scripts), key=lambda name: scripts[name])
    if script in _SCRIPT_LANGUAGE and scripts[script] > len(sample) / 3:
        return _SCRIPT_LANGUAGE[script]
    if script == "other" and scripts[script] > len(sample) / 2:
        return UNDETERMINED
    if script not in _SCRIPT_DEFAULT:
        script = "latin"
    written_in = _marker_scripts()
    scores = {
        lang: sum(1 for w in sample if w in markers)
        for lang, markers in _MARKERS.items()
        if written_in[lang] == script
    }
    # A tie goes to the most widely written of the languages (the first ten lists), then by name.
    best = max(sorted(scores), key=lambda lang: (scores[lang], lang in _WIDELY_WRITTEN))
    return best if scores[best] > len(sample) / 50 else _SCRIPT_DEFAULT[script]


def _wordfreq_folder() -> Path | None:
    # Located without importing wordfreq itself, whose import (ftfy, langcodes,
    # regex) would cost more than the whole comparison of a short text.
    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0]) / "data"


def _wordfreq_data(filename: str) -> Path | None:
    folder = _wordfreq_folder()
    path = folder / filename if folder else None
    return path if path is not None and path.is_file() else None


def available_languages() -> list[str]:
    """Language codes for which a word-frequency table is installed."""
    folder = _wordfreq_folder()
    if folder is None:
        return []
    names = (p.name for p in folder.glob("*_*.msgpack.gz"))
    return sorted({n.split("_", 1)[1].removesuffix(".msgpack.gz") for n in names if n.startswith(("large_", "small_"))})


@lru_cache(maxsize=4)
def _frequency_table(language: str) -> FrequencyTable:
    """wordfreq's table for ``language`` (the large one where wordfreq has one); empty when none is installed."""
    for size in ("large", "small"):
        path = _wordfreq_data(f"{size}_{language}.msgpack.gz")
        if path is not None:
            return load_table(path)
    return UnpackedTable(())


def word_buckets(language: str, words: Iterable[str]) -> dict[str, int]:
    """The frequency bucket (see the module's notes) of each of ``words`` (lower case) that ``language``'s
    table lists; the others are left out."""
    return _frequency_table(language).buckets_of(words)


@lru_cache(maxsize=1)
def _chinese_to_simplified() -> dict[int, str]:
    """wordfreq lists Chinese in simplified characters; traditional text is mapped first."""
    import msgpack

    path = _wordfreq_data("_chinese_mapping.msgpack.gz")
    if path is None:
        return {}
    with gzip.open(path, "rb") as handle:
        mapping = msgpack.load(handle, raw=False, strict_map_key=False)
    return str.maketrans(mapping)


def bits_of_run(buckets: Iterable[int]) -> float:
    """The price in bits, to 0.1, of a run of words with these bucket numbers (see the module's notes)."""
    return round(sum(buckets) * LOG2_10 / 100, 1)


class WordPrices:
    """Each word's bucket number for one language (its price: see the module's notes); only the words asked for are looked up."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._buckets: dict[str, int] = {}

    def _key(self, word: str) -> str:
        key = word.casefold()
        if self.language == "zh":
            key = key.translate(_chinese_to_simplified())
        return key

    def price(self, words: Iterable[str]) -> None:
        """Look up every new word of ``words`` in one pass over the table."""
        # Several written forms may share one key ("The" and "the" without
        # case folding, a traditional and a simplified character).
        wanted: dict[str, list[str]] = {}
        for word in words:
            if word not in self._buckets:
                wanted.setdefault(self._key(word), []).append(word)
        if not wanted:
            return
        # The table is read only when a span needs pricing: most outputs of a
        # batch share no span with the original and never pay for it.
        buckets = _frequency_table(self.language).buckets_of(sorted(wanted))
        for key, forms in wanted.items():
            bucket = min(buckets.get(key, UNKNOWN_WORD_BUCKET), UNKNOWN_WORD_BUCKET)
            for word in forms:
                self._buckets[word] = bucket

    def bucket(self, word: str) -> int:
        if word not in self._buckets:
            self.price([word])
        return self._buckets[word]

    def bits(self, word: str) -> float:
        """One word's price, unrounded (for showing; runs are priced by :meth:`run_bits`)."""
        return self.bucket(word) * LOG2_10 / 100

    def run_bits(self, words: Iterable[str]) -> float:
        words = list(words)
        self.price(words)
        return bits_of_run(map(self._buckets.__getitem__, words))


def is_common_phrase(bits: float) -> bool:
    return bits < COMMON_PHRASE_BITS
