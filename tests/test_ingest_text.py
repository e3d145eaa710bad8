"""Plain-text ingest: encodings, line ends, identity figures, and clear refusals."""

from __future__ import annotations

import codecs
import hashlib
from io import BytesIO

import pytest
from fixtures_docs import zip_bytes

from memdiff.errors import InputError
from memdiff.ingest import displayable_name, load, load_bytes, load_text, sniff
from memdiff.ingest import text as text_module

TEXT = "\u201cCaf\u00e9 cr\u00e8me,\u201d she said \u2014 na\u00efve as ever.\nSecond line."


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16be"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32-le"),
        ("utf-32-be", codecs.BOM_UTF32_BE, "utf-32-be"),
        ("cp1252", b"", "windows-1252"),
    ],
)
def test_encodings_are_detected_and_recorded(write, encoding, prefix, expected):
    data = prefix + TEXT.encode(encoding)
    path = write("in.txt", data)
    doc = load(path)
    assert doc.text == TEXT
    assert doc.encoding == expected
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.size_bytes == len(data)
    assert doc.media_type == "text/plain"
    assert doc.words == 9
    assert doc.pages is None


def test_utf16_without_bom_is_recognised(write):
    path = write("nobom.txt", "Plain English text saved as UTF-16 without a byte-order mark.".encode("utf-16-le"))
    doc = load(path)
    assert doc.encoding == "utf-16le"
    assert doc.text.startswith("Plain English text")
    big_endian = load(write("nobom-be.txt", "Plain English text, big-endian.".encode("utf-16-be")))
    assert (big_endian.encoding, big_endian.text) == ("utf-16be", "Plain English text, big-endian.")


def test_a_byte_windows_1252_leaves_undefined_keeps_the_rest_windows_1252(write):
    # Real Windows-1252 prose (œ, Š, ž, curly quotes live in 0x80-0x9F) with one stray 0x81:
    # only that byte becomes U+0081; the whole file must not turn into Latin-1 control characters.
    prose = "Le c\u0153ur de \u0160koda, \u201cna\u0161i\u201d \u017eivot \u2014 Ma\u0161a."
    data = prose.encode("cp1252") + b" \x81\x8d\x8f\x90\x9d"
    doc = load(write("slovene.txt", data))
    assert doc.encoding == "windows-1252"
    assert doc.text == prose + " \x81\x8d\x8f\x90\x9d"
    assert doc.words == load(write("clean.txt", prose.encode("cp1252"))).words


def test_one_undefined_byte_does_not_stop_identical_prose_matching(write):
    from memdiff.analyse import compare
    from memdiff.evidence import Parameters

    prose = ("Le c\u0153ur de \u0160koda et \u017eena \u0153uvre: na\u0161i \u017eivot je bil lep, "
             "pravi Ma\u0161a iz Ljubljane danes.").encode("cp1252")
    clean, dirty = load(write("original.txt", prose)), load(write("output.txt", prose + b" \x81"))
    result = compare(clean, dirty, Parameters(min_words=8))
    assert result.summary.suspect_coverage == 1.0


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_ends_become_lf(write, newline):
    path = write("dos.txt", "one two\nthree four\n".replace("\n", newline))
    doc = load(path)
    assert doc.text == "one two\nthree four\n"
    assert any("Line ends" in note for note in doc.notes)


def test_markdown_is_read_as_text(write):
    doc = load(write("notes.md", "# Title\n\nSome *emphasis* here.\n"))
    assert doc.media_type == "text/markdown"
    assert doc.text.startswith("# Title")


def test_pasted_text_gets_an_identity():
    doc = load_text("pasted from a chat window\r\n", "pasted text")
    assert doc.text == "pasted from a chat window\n"
    assert doc.sha256 == hashlib.sha256(b"pasted from a chat window\r\n").hexdigest()
    assert doc.path is None


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"", "is empty"),
        (b"   \n\t\n", "contains no text"),
        (bytes(range(256)) * 8, "binary data"),
        (b"PK\x03\x04not really a zip", "ZIP archive"),
    ],
)
def test_bad_text_inputs_get_one_clear_sentence(write, content, phrase):
    path = write("bad.txt", content)
    with pytest.raises(InputError) as info:
        load(path)
    message = str(info.value)
    assert phrase in message
    assert "bad.txt" in message
    assert "\n" not in message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="is a folder"):
        load(tmp_path)


def test_sniffing_goes_by_content_not_name():
    assert sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "story.txt") == "application/pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....", "story.txt") == "image/png"
    assert sniff(b"BMW and Audi are car makers.", "cars.bmp") == "text/plain"
    assert sniff(b"<!DOCTYPE html><html><body>x</body></html>", "page") == "text/html"
    assert sniff(b"{\\rtf1\\ansi hello}", "letter.txt") == "application/rtf"


def test_input_file_is_not_modified(write):
    path = write("keep.txt", TEXT)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    load(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_oversized_text_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from memdiff import ingest
    from memdiff.errors import LimitExceeded

    monkeypatch.setattr(ingest, "MAX_TEXT_FILE_BYTES", 1000)
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * 1000)
    with pytest.raises(LimitExceeded, match="limit of 0 MB for a text file") as info:
        load(path)
    assert "huge.txt" in str(info.value)


def test_extracted_text_above_the_character_limit_is_refused(write, monkeypatch):
    from memdiff import ingest
    from memdiff.errors import LimitExceeded

    monkeypatch.setattr(ingest, "MAX_TEXT_CHARACTERS", 100)
    with pytest.raises(LimitExceeded, match="above memdiff's limit of 100"):
        load(write("long.txt", "word " * 50))


def test_a_file_that_changes_while_read_is_refused(write, monkeypatch):
    import os as _os

    path = write("growing.txt", "first version of the text")
    real_fstat = _os.fstat
    calls = []

    def fstat_that_sees_a_writer(fd):
        result = real_fstat(fd)
        calls.append(result)
        if len(calls) == 2:  # the check after reading: pretend another program wrote meanwhile
            path.write_text("second, longer version of the text")
            return real_fstat(fd)
        return result

    monkeypatch.setattr("memdiff.ingest.os.fstat", fstat_that_sees_a_writer)
    with pytest.raises(InputError, match="changed while memdiff was reading it"):
        load(path)


def test_loading_a_pdf_reports_pages_and_can_be_cancelled(tmp_path):
    from reportlab.pdfgen import canvas

    from memdiff.errors import Cancelled
    from memdiff.progress import Progress

    path = tmp_path / "three.pdf"
    pdf = canvas.Canvas(str(path))
    for n in range(3):
        pdf.drawString(72, 720, f"Page {n + 1} of a short document with some words on it.")
        pdf.showPage()
    pdf.save()

    class Watcher(Progress):
        def __init__(self, cancel: bool) -> None:
            self.messages: list[str] = []
            self.cancel = cancel

        def report(self, fraction: float, message: str = "") -> None:
            self.messages.append(message)

        def is_cancelled(self) -> bool:
            return self.cancel

    watcher = Watcher(cancel=False)
    assert load(path, progress=watcher).pages == 3
    assert any("page" in m.lower() for m in watcher.messages)
    with pytest.raises(Cancelled):
        load(path, progress=Watcher(cancel=True))


# --------------------------------------------------------------------------- text that mentions binary formats


CHAT = "The assistant replied that a PDF file begins with these two lines:\n"


def test_text_quoting_a_pdf_header_on_its_own_line_is_text(write):
    # An output an opposing expert crafts (or a model writes) must not be refused as a damaged PDF.
    content = CHAT + "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\nand then the objects follow.\n"
    doc = load(write("answer.txt", content))
    assert doc.media_type == "text/plain"
    assert doc.text == content
    # Without objects, sniffing alone already says text; with them, the PDF reader is tried first.
    assert sniff((CHAT + "%PDF-1.7\nno objects\n").encode(), "answer.txt") == "text/plain"
    assert load_bytes(content.encode("utf-8"), "standard input").media_type == "text/plain"


def test_a_file_named_pdf_holding_only_a_header_is_a_damaged_pdf(write):
    with pytest.raises(InputError, match="stub.pdf is not a PDF: it begins with a PDF header but holds nothing"):
        load(write("stub.pdf", b"%PDF-1.7\n"))


def test_a_real_pdf_with_junk_before_its_header_is_still_a_pdf(tmp_path):
    from fixtures_docs import text_pdf

    data = b"Content-Type: application/pdf\r\n\r\n" + text_pdf([["A page of the exhibit."]])
    path = tmp_path / "mailed"
    path.write_bytes(data)
    doc = load(path)
    assert doc.media_type == "application/pdf"
    assert doc.text == "A page of the exhibit."


def test_a_picture_whose_metadata_mentions_pdf_is_a_picture():
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "rendered from page 1 of %PDF-1.4 source\n%PDF-1.4")
    out = BytesIO()
    Image.new("RGB", (64, 64), (10, 120, 200)).save(out, "PNG", pnginfo=info)
    assert sniff(out.getvalue(), "picture.png") == "image/png"
    assert load_bytes(out.getvalue(), "picture.png").kind == "image"


@pytest.mark.parametrize("start", ["GIF89a", "GIF87a", "BMW"])
def test_text_that_begins_like_a_picture_is_text(write, start):
    content = f"{start} is how the file begins, the model said, and then it went on for a while.\n"
    doc = load(write("answer.txt", content))
    assert doc.kind == "text" and doc.text == content


def test_a_picture_signature_with_a_picture_name_is_taken_as_a_picture(write):
    # Content that could be either goes by the name: as a GIF, this one declares 3,104 megapixels.
    with pytest.raises(InputError, match="^anim.gif declares 3,104 megapixels"):
        load(write("anim.gif", "GIF89a is a format, not a picture.\n"))


# --------------------------------------------------------------------------- markup in UTF-16


PAGE = (
    "<!DOCTYPE html><html><head><title>Chat</title><style>p { color: red }</style></head>"
    "<body><p>Caf\u00e9 \u2014 the answer</p><p>Second paragraph.</p></body></html>"
)


@pytest.mark.parametrize(
    ("encoding", "recorded"),
    [("utf-16", "utf-16le"), ("utf-16-le", "utf-16le"), ("utf-16-be", "utf-16be"), ("utf-32", "utf-32-le")],
)
def test_html_saved_as_utf16_or_utf32_is_html(write, encoding, recorded):
    # Notepad and Windows' "Unicode" save: with a BOM ("utf-16", "utf-32") and without.
    doc = load(write("chat.html", PAGE.encode(encoding)))
    assert doc.media_type == "text/html"
    assert doc.text == "Caf\u00e9 \u2014 the answer\n\nSecond paragraph."
    assert doc.encoding == recorded


def test_rtf_saved_as_utf16_is_read_as_rtf(write):
    rtf = "{\\rtf1\\ansi\\uc0{\\fonttbl{\\f0 Times;}}\\f0 Caf\u00e9 \u2014 \U0001f600 na\u00efve\\par Next.}"
    doc = load(write("letter.rtf", rtf.encode("utf-16")))
    assert doc.media_type == "application/rtf"
    assert doc.text == "Caf\u00e9 \u2014 \U0001f600 na\u00efve\n\nNext."
    assert doc.encoding == "utf-16le"
    # With a UTF-8 byte-order mark it is RTF too (its 8-bit bytes keep RTF's meaning).
    assert load(write("bom.rtf", b"\xef\xbb\xbf{\\rtf1\\ansi Plain words.}")).text == "Plain words."


# --------------------------------------------------------------------------- names and pasted text


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path):
    import json
    import os

    raw = os.fsdecode(b"bad\xffname.txt")
    path = tmp_path / raw
    path.write_text("Words of a chat output, enough of them to count.", encoding="utf-8")
    doc = load(path)
    assert doc.name == "bad\\xffname.txt"
    doc.name.encode("utf-8")  # writable to a JSON file, a log or a PDF
    assert json.loads(json.dumps(doc.to_dict(), ensure_ascii=False))["name"] == "bad\\xffname.txt"
    with pytest.raises(InputError) as caught:
        load(tmp_path / os.fsdecode(b"gone\xfe.txt"))
    str(caught.value).encode("utf-8")
    assert "gone\\xfe.txt does not exist" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("exhibit\u202etxt.exe", "exhibit\\u202etxt.exe"),  # a right-to-left override reverses what follows
        ("two\nlines.txt", "two\\x0alines.txt"),
        ("lone\ud83d.txt", "lone\\ud83d.txt"),
        ("r\u00e9sum\u00e9 \u2014 final.txt", "r\u00e9sum\u00e9 \u2014 final.txt"),
        ("C:\\folder\\kept.txt", "C:\\folder\\kept.txt"),
    ],
)
def test_every_name_goes_through_one_rule(name, shown):
    assert displayable_name(name) == shown
    assert load_bytes(b"some words here", name).name == shown
    assert load_text("some words here", name).name == shown


def test_pasted_text_with_a_lone_surrogate_loads_with_a_note():
    import json

    pasted = json.loads('{"pasted_text": "copied \\ud83d text and a pair \\ud83d\\ude00 from a chat"}')["pasted_text"]
    doc = load_text(pasted)
    assert doc.text == "copied \ufffd text and a pair \U0001f600 from a chat"
    assert doc.sha256 == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    assert any("U+FFFD" in note for note in doc.notes)
    split_pair = load_text("a pair \ud83d\ude00 given as halves")  # a Windows clipboard's UTF-16 units
    assert split_pair.text == "a pair \U0001f600 given as halves" and not split_pair.notes


# --------------------------------------------------------------------------- what to do with other formats


@pytest.mark.parametrize(
    ("file_name", "data", "what"),
    [
        ("x.odt", zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
         "is an OpenDocument text (.odt), not a Word (.docx) document"),
        ("book.epub", zip_bytes({"mimetype": b"application/epub+zip"}), "is an EPUB e-book"),
        ("sheet.xlsx", zip_bytes({"xl/workbook.xml": b"<x/>"}), "is an Excel workbook"),
        ("archive.zip", zip_bytes({"a.txt": b"hello"}), "is a ZIP archive but not a Word (.docx) document"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "is an Office 97-2003 file"),
    ],
)
def test_other_document_formats_are_named_and_the_user_told_what_to_do(write, file_name, data, what):
    with pytest.raises(InputError) as caught:
        load(write(file_name, data))
    message = str(caught.value)
    assert message.startswith(f"{file_name} {what}")
    assert "save it" in message and "compare that" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("file_name", "content"),
    [("empty.txt", b""), ("blank.txt", b" \n\t\n"), ("scripts.html", b"<html><script>x()</script></html>")],
)
def test_empty_inputs_say_what_to_do(write, file_name, content):
    with pytest.raises(InputError) as caught:
        load(write(file_name, content))
    assert str(caught.value).startswith(file_name)
    assert str(caught.value).endswith("so check that it is the right file.")


def test_a_file_no_reader_recognises_as_a_picture_says_what_to_do():
    from memdiff.errors import UnsupportedFormat
    from memdiff.ingest import image

    with pytest.raises(UnsupportedFormat) as caught:
        image.load(b"neither picture nor text", "scan.pcx", "application/octet-stream", sha256="", path=None)
    assert str(caught.value).endswith("save it as PNG or JPEG and compare that.")


# Texts of other scripts as their authors' editors saved them before Unicode.
LEGACY = {
    "windows-1255": "כתוב את הפרק הראשון של הספר. אני רוצה את כל הטקסט המקורי, מילה במילה, בלי שינויים ובלי קיצורים.",
    "windows-1256": "في البدء كان الكلمة والكلمة كان عند الله وكان الكلمة الله هذا كان في البدء عند الله كل شيء به كان",
    "windows-1251": "Все счастливые семьи похожи друг на друга, каждая несчастливая семья несчастлива по-своему.",
    "koi8-r": "Все смешалось в доме Облонских. Жена узнала, что муж был в связи с бывшею в их доме француженкою.",
    "windows-1253": "Άνδρα μοι έννεπε, Μούσα, πολύτροπον, ος μάλα πολλά πλάγχθη, επεί Τροίης ιερόν πτολίεθρον έπερσεν.",
    "cp874": "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ แต่มีการเว้นวรรคระหว่างประโยค ข้อความนี้เป็นส่วนหนึ่งของต้นฉบับ",
    "cp932": "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所で泣いていた事だけは記憶している。",
    "euc-jp": "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所で泣いていた事だけは記憶している。",
    "cp949": "저작권 분쟁에서 모델 출력이 원문을 얼마나 재현하는지 측정합니다. 이 문단은 한국어로 된 원본의 일부입니다.",
    "gb18030": "这是一个中文段落，用来测试编码的识别。我们希望它被正确地读出来，而不是变成乱码。这个国家的人民说他们的语言。",
    "big5": "這是一個中文段落，用來測試編碼的識別。我們希望它被正確地讀出來，而不是變成亂碼。這個國家的人民說他們的語言。",
}


#: The name each is recorded under: the WHATWG Encoding Standard's, where Python's codec differs.
RECORDED = {"cp874": "windows-874", "cp932": "shift_jis", "cp949": "euc-kr"}


@pytest.mark.parametrize("encoding", sorted(LEGACY))
def test_a_legacy_encoding_of_another_script_is_read_as_such_and_said(encoding):
    text = (LEGACY[encoding] + "\n") * 3
    doc = load_bytes(text.encode(encoding), "legacy.txt")
    assert doc.text == text
    recorded = RECORDED.get(encoding, encoding)
    assert doc.encoding == recorded
    assert any(note.startswith(f"Read as {recorded}:") for note in doc.notes)


@pytest.mark.parametrize("codec", ["cp932", "cp949", "cp1251", "cp874"])
def test_one_encoding_has_one_name_in_text_html_and_rtf(codec):
    """A Japanese file in Shift_JIS is recorded as shift_jis whether it came as text, a web page or RTF."""
    text = {"cp932": LEGACY["cp932"], "cp949": LEGACY["cp949"], "cp1251": LEGACY["windows-1251"],
            "cp874": LEGACY["cp874"]}[codec]
    charset = {"cp932": "shift_jis", "cp949": "euc-kr", "cp1251": "windows-1251", "cp874": "tis-620"}[codec]
    body = text.encode(codec)
    page = b'<html><head><meta charset="' + charset.encode() + b'"></head><body><p>' + body + b"</p></body></html>"
    rtf = (b"{\\rtf1\\ansi\\ansicpg" + codec.removeprefix("cp").encode() + b" "
           + b"".join(b"\\'%02x" % byte if byte > 127 else bytes([byte]) for byte in body) + b"}")
    docs = [load_bytes(((text + "\n") * 3).encode(codec), "legacy.txt"), load_bytes(page, "legacy.html"),
            load_bytes(rtf, "legacy.rtf")]
    assert all(text in doc.text for doc in docs)
    assert {doc.encoding for doc in docs} == {RECORDED.get(codec, "windows-1251")}


@pytest.mark.parametrize(
    "text",
    [
        "L'été dernier, à Paris, nous avons mangé des crêpes près de la Seine et bu du café très fort.",
        "Über die Brücke gingen Müller und Schäfer, während die Bäume grün blühten und Vögel sangen.",
        "Þú veist að ég elska þig, sagði hún, og þögnin var þung í dimmu herberginu á háaloftinu.",
        "A tradução é difícil: não há razão para pensar que as ações de João serão compreendidas.",
        # Symbols a Central European reading would turn into letters, where Western text has them.
        "¿Dónde está? ¡Hola! Compró ¼ kg por £5 y ½ litro a ¥300; véase la nota¹ y la nota³, 10 m² ± 5 %.",
        "Smörgåsbord für Müller, café crème, naïve façade, Øresund æble; Höhe³ 10¹² — «ça» © ® ¬ ¦ ¯.",
        "La col·lecció intel·ligent de l'il·lustre Gal·la: paral·lel, síl·laba, cel·la i al·lusió.",
        # Western languages whose letters a Central European reading would also take as letters:
        # Italian writes ì and ù (Czech ě and ů in Windows-1250) only at the end of a word.
        "Lunedì è più freddo di così: perché non vieni giù? Andrò là, però sarà già tardi, virtù e città.",
        "Kære Søren, jeg så dig på gården i går; ære være Ærø, og rødgrød med fløde til søndag, på tørt.",
        "Vår store båt går til Tromsø og Bodø; du må ikke være sjøsyk når været blir dårlig i Ålesund.",
        "Ölet på Östermalm var gött, och räkmackan på båten hem till Åre smakade härligt för två kronor.",
        "Hyvää päivää! Äiti söi jäätelöä kesäkuussa, ja pöydällä oli myös kahvia sekä pullaa ystäville.",
        "As eleições e as manifestações das populações: as lições das negociações e das informações.",
        # Letters a Central European reading makes other letters of (õ ő, û ű, è č, æ ć, ð đ): Western words.
        "Ma peaksin täna õhtul koju minema, sest õde ootab mind ja õues on külm; see on hea, aga ta ei tea veel.",
        "Il est sûr que le coût du goût a dû croître: la flûte, la croûte et le mûr, près de l'élève à Genève.",
        "Ég hef verið að hugsa um það sem þú sagðir við mig í gær; það er rétt, en við verðum að bíða eftir því.",
        "Læreren sagde, at bærene i æsken var gode; dæmningen ved åen blev bygget af nærmeste bønder i går.",
    ],
)
def test_western_text_stays_windows_1252(text):
    doc = load_bytes(((text + "\n") * 5).encode("cp1252"), "western.txt")
    assert doc.encoding == "windows-1252" and doc.text == (text + "\n") * 5
    assert not any(note.startswith("Read as") for note in doc.notes)


# Central European prose: Mickiewicz, "Pan Tadeusz" (1834), and the first article of
# the Universal Declaration of Human Rights in Czech and Slovak.
POLISH = (
    "Litwo! Ojczyzno moja! ty jesteś jak zdrowie. Ile cię trzeba cenić, ten tylko się dowie, "
    "kto cię stracił. Dziś piękność twą w całej ozdobie widzę i opisuję, bo tęsknię po tobie. "
    "Panno Święta, co jasnej bronisz Częstochowy i w Ostrej świecisz Bramie! Ty, co gród zamkowy "
    "nowogródzki ochraniasz z jego wiernym ludem! Jak mnie dziecko do zdrowia powróciłaś cudem, "
    "gdy od płaczącej matki pod Twoją opiekę ofiarowany, martwą podniosłem powiekę."
)
CZECH = (
    "Všichni lidé rodí se svobodní a sobě rovní co do důstojnosti a práv. Jsou nadáni rozumem a "
    "svědomím a mají spolu jednat v duchu bratrství. Příliš žluťoučký kůň úpěl ďábelské ódy."
)
SLOVAK = (
    "Všetci ľudia sa rodia slobodní a sebe rovní, čo sa týka ich dôstojnosti a práv. Sú obdarení "
    "rozumom a svedomím a majú spolu navzájom jednať v bratskom duchu. Veľmi pekný deň, však?"
)


@pytest.mark.parametrize(
    ("text", "codec", "recorded"),
    [
        (POLISH, "cp1250", "windows-1250"),
        (POLISH, "iso8859-2", "iso-8859-2"),
        (CZECH, "cp1250", "windows-1250"),
        (CZECH, "iso8859-2", "iso-8859-2"),
        (SLOVAK, "cp1250", "windows-1250"),
        (SLOVAK, "iso8859-2", "iso-8859-2"),
    ],
)
def test_central_european_text_before_unicode_is_read_as_such_and_said(text, codec, recorded):
    text = (text + "\n") * 8
    doc = load_bytes(text.encode(codec), "legacy.txt")
    assert doc.encoding == recorded
    assert doc.text == text
    assert any(note.startswith(f"Read as {recorded}:") and "Central European" in note for note in doc.notes)


# Short texts, where the Windows-1252 reading shows only two to four signs of Central European
# letters: the reviewers' Czech and Slovak pangrams and one paragraph of Polish (the 496-byte
# passage the desktop app misread was this paragraph twice).
CZECH_SHORT = "Příliš žluťoučký kůň úpěl ďábelské ódy. Všichni lidé rodí se svobodní a sobě rovní."
SLOVAK_SHORT = "Kŕdeľ šťastných ďatľov učí pri ústí Váhu mĺkveho koňa obhrýzať kôru a žrať čerstvé mäso."
POLISH_SHORT = (
    "Litwo! Ojczyzno moja! ty jesteś jak zdrowie. Ile cię trzeba cenić, ten tylko się dowie, "
    "Kto cię stracił. Dziś piękność twą w całej ozdobie Widzę i opisuję, bo tęsknię po tobie. "
    "Panno Święta, co jasnej bronisz Częstochowy I w Ostrej świecisz Bramie!"
)
# Czech in Windows-1250 whose letters all read as Windows-1252 letters (ř ø, č è, ě ì, ů ù):
# only ì and ù inside words tell it from a Western language.
CZECH_WITHOUT_SYMBOLS = (
    "Vzhledem k tomu, že uznání přirozené důstojnosti a rovných a nezcizitelných práv všech členů "
    "lidské rodiny je základem svobody, spravedlnosti a míru ve světě. Úcta a svědomí, volnost a řád."
)


@pytest.mark.parametrize(
    ("text", "codec", "recorded"),
    [
        (CZECH_SHORT, "cp1250", "windows-1250"),
        (CZECH_SHORT, "iso8859-2", "iso-8859-2"),
        (SLOVAK_SHORT, "cp1250", "windows-1250"),
        (SLOVAK_SHORT, "iso8859-2", "iso-8859-2"),
        (POLISH_SHORT, "cp1250", "windows-1250"),
        (POLISH_SHORT, "iso8859-2", "iso-8859-2"),
        (CZECH_WITHOUT_SYMBOLS, "cp1250", "windows-1250"),
        # Slovak whose ť and ľ all end words (the symbols they become stand between letters nowhere).
        ("Chcem byť doma a dať ti to, čo môžem; vziať si čas a pomôcť ti, keď treba. Kŕdeľ vtákov.", "cp1250",
         "windows-1250"),
        ((CZECH_WITHOUT_SYMBOLS + "\n") * 10, "cp1250", "windows-1250"),
    ],
)
def test_short_central_european_text_is_read_as_such_and_said(text, codec, recorded):
    doc = load_bytes(text.encode(codec), "short.txt")
    assert (doc.encoding, doc.text) == (recorded, text)
    assert any(note.startswith(f"Read as {recorded}:") and "Central European" in note for note in doc.notes)


# Central European text whose Windows-1252 reading shows only letters, which Western languages write
# too (Hungarian ő ű as õ û, Croatian ć đ as æ ð, Slovenian č as è): told by its words. The Croatian
# is the first article of the Universal Declaration of Human Rights; the others were written for these tests.
HUNGARIAN = (
    "Az első fejezetben a szerző elmondja, hogy a régi időkben az emberek másképp gondolkodtak a főváros "
    "életéről. Később, amikor a könyvtárban dolgozott, egy különös levelet talált, amelyet egy ismeretlen nő írt "
    "neki. Ő azonban nem hitte el, hogy ez igaz, mert a nő kézírása túlságosan ismerős volt neki."
)
CROATIAN = (
    "Sva ljudska bića rađaju se slobodna i jednaka u dostojanstvu i pravima. Ona su obdarena razumom i sviješću "
    "pa jedna prema drugima trebaju postupati u duhu bratstva."
)
SLOVENIAN = (
    "Človek, ki je živel v majhni vasi ob reki, je vsak dan hodil na polje. Nekega dne je prišel v vas neznanec, "
    "ki je pripovedoval čudne zgodbe o daljnih deželah."
)


@pytest.mark.parametrize(
    ("text", "codec", "recorded", "letters"),
    [
        # Windows-1250 and ISO-8859-2 agree on every byte of this Hungarian: the tie goes to ISO-8859-2.
        (HUNGARIAN, "cp1250", "iso-8859-2", "õ and Õ"),
        (HUNGARIAN, "iso8859-2", "iso-8859-2", "õ and Õ"),
        ((HUNGARIAN + "\n") * 6, "cp1250", "iso-8859-2", "õ and Õ"),
        # Hungarian quotation marks („…”) are bytes ISO-8859-2 leaves to control characters.
        ("„" + HUNGARIAN + "”", "cp1250", "windows-1250", "õ and Õ"),
        (CROATIAN, "cp1250", "windows-1250", "æ and ð"),
        (CROATIAN, "iso8859-2", "iso-8859-2", "æ and ð"),
        (SLOVENIAN, "cp1250", "windows-1250", "È and è"),
    ],
)
def test_central_european_text_of_western_letters_is_told_by_its_words(text, codec, recorded, letters):
    doc = load_bytes(text.encode(codec), "letter.txt")
    assert (doc.encoding, doc.text) == (recorded, text)
    said = (
        f"Read as {recorded}: the file has no byte-order mark and is not UTF-8, and its bytes read as Central "
        f"European text in that encoding (as Windows-1252 its words with {letters} were not words of its language)."
    )
    assert [note for note in doc.notes if note.startswith("Read as")] == [said]


def test_a_line_of_hungarian_is_too_short_to_tell_and_says_what_to_do():
    # One word with ő: the line could as well be Western; it keeps the Windows-1252 reading and its note.
    line = "Itt az idő, most vagy soha!"
    doc = load_bytes(line.encode("cp1250"), "line.txt")
    assert (doc.encoding, doc.text) == ("windows-1252", "Itt az idõ, most vagy soha!")
    assert text_module.WINDOWS_1252_NOTE in doc.notes


def test_a_croatian_answer_is_found_in_a_windows_1250_original():
    from memdiff.analyse import compare

    original = load_bytes(((CROATIAN + "\n") * 3).encode("cp1250"), "original.txt")
    result = compare(original, load_text(CROATIAN, "answer.txt"))
    assert result.summary.exact_suspect_coverage == 1.0


def test_a_short_polish_answer_is_found_in_a_windows_1250_original():
    from memdiff.analyse import compare

    original = load_bytes(POLISH_SHORT.encode("cp1250"), "original.txt")
    result = compare(original, load_text(POLISH_SHORT, "answer.txt"))
    assert result.summary.exact_suspect_coverage == 1.0


def test_a_polish_answer_is_found_in_a_windows_1250_original():
    from memdiff.analyse import compare

    original = load_bytes(((POLISH + "\n") * 4).encode("cp1250"), "original.txt")
    output = load_text(POLISH, "answer.txt")
    result = compare(original, output)
    assert result.summary.exact_suspect_coverage == 1.0


def test_a_legacy_hebrew_output_is_found_in_a_unicode_original():
    # The re-reviewer's case: the same Hebrew saved in windows-1255 matched nothing when read as Windows-1252.
    from memdiff.analyse import compare

    text = (LEGACY["windows-1255"] + " ") * 4
    original = load_text(text, "original.txt")
    output = load_bytes(text.encode("windows-1255"), "output.txt")
    assert compare(original, output).summary.suspect_coverage == 1.0


# A UTF-8 answer with a Windows curly apostrophe (0x92) pasted into it: the reviewer's case, where every
# em dash and curly quote of the file became mojibake ("â€”") and the copy was no longer found.
UTF8_PROSE = (
    "Alice was beginning to get very tired of sitting by her sister on the bank \u2014 \u201cand what is "
    "the use of a book,\u201d thought Alice, \u201cwithout pictures or conversations?\u201d The caf\u00e9 "
    "was na\u00efve; the r\u00e9sum\u00e9 sat on the table, and the Queen\u2019s croquet ground waited."
)


@pytest.mark.parametrize("stray", [b"\x92", b"\x92\x93\x94"])
def test_a_utf8_file_with_stray_windows_bytes_is_read_as_utf8_with_a_note(stray):
    head, tail = UTF8_PROSE.split(" thought ")
    data = head.encode() + b" " + stray + b"thought " + tail.encode()
    doc = load_bytes(data, "answer.txt")
    assert doc.encoding == "utf-8"
    assert doc.text == head + " " + stray.decode("cp1252") + "thought " + tail
    count = "1 byte of the file was" if len(stray) == 1 else f"{len(stray)} bytes of the file were"
    assert [note for note in doc.notes if "not valid UTF-8" in note] == [
        (
            f"Read as UTF-8, although {count} not valid UTF-8 (text pasted from another program) and "
            "read as Windows-1252, as browsers read such bytes."
        )
    ]


def test_long_files_are_judged_whole_not_by_their_first_64_kb():
    # Past the first 64 KB: a stray byte at the end of a long UTF-8 file, and Windows-1252 accents after
    # 64 KB of plain ASCII.
    utf8 = load_bytes((UTF8_PROSE + "\n").encode() * 300 + b"The end\x92s near.", "long.txt")
    assert utf8.encoding == "utf-8" and utf8.text.endswith("The end\u2019s near.")
    western = "L'été dernier, à Paris, nous avons mangé des crêpes près de la Seine.\n" * 20
    cp1252 = load_bytes(b"Plain ASCII prose, line after line.\n" * 2000 + western.encode("cp1252"), "long.txt")
    assert cp1252.encoding == "windows-1252" and cp1252.text.endswith(western)


@pytest.mark.parametrize(
    "data",
    [
        # The first 64 KB are ASCII but for the one pasted byte; the accents come after.
        b"It\x92s " + b"plain ascii words here. " * 3000 + ("caf\u00e9 \u2014 " * 2000).encode(),
        # A character of two bytes cut by the 64 KB mark.
        b"a" * 65535 + "\u00e9".encode() + b" it\x92s " + ("\u00e9" * 10).encode() * 50,
    ],
    ids=["ascii first 64 KB", "character across the 64 KB mark"],
)
def test_a_first_look_at_64_kb_never_overrules_the_whole_file(data):
    doc = load_bytes(data, "long.txt")
    assert doc.encoding == "utf-8" and "\u2019" in doc.text and "Ã" not in doc.text


def test_a_utf8_answer_with_a_stray_apostrophe_is_found_in_full():
    from memdiff.analyse import compare

    head, tail = UTF8_PROSE.split("Queen\u2019s")
    pasted = load_bytes(head.encode() + b"Queen\x92s" + tail.encode(), "answer.txt")
    result = compare(load_text(UTF8_PROSE, "original.txt"), pasted)
    assert result.summary.exact_suspect_coverage == 1.0


def test_windows_1252_text_with_a_few_accidental_utf8_sequences_stays_windows_1252():
    # "À»" and "Ã©" are valid UTF-8 pairs, but the file's other accents are not: Windows-1252 it stays.
    text = "«À» dit-il, été à côté; l'élève préféré Ã© naïve, café crème, où était-il? Très bien."
    doc = load_bytes(text.encode("cp1252"), "lettre.txt")
    assert (doc.encoding, doc.text) == ("windows-1252", text)


@pytest.mark.parametrize(
    ("codec", "text"),
    [
        ("cp1252", "L'été dernier, à Paris, nous avons mangé des crêpes près de la Seine."),
        ("mac_roman", "Café naïve résumé \u2014 \u201cquoted\u201d text in MacRoman encoding."),
        ("cp437", "Café naïve über Straße in a DOS code page."),
        ("cp1250", "Árvíztűrő tükörfúrógép: hűtőszekrény, őrült, gyűrű, szőlő, fűszer."),
    ],
)
def test_a_file_read_as_windows_1252_says_so_and_how_to_fix_it(codec, text):
    doc = load_bytes(text.encode(codec), "old.txt")
    assert doc.encoding == "windows-1252"
    assert [note for note in doc.notes if "Windows-1252" in note] == [
        (
            "The file is not UTF-8 and was read as Windows-1252 (Western European); if it was written in another "
            "encoding (for example Mac Roman, a DOS code page, or Hungarian, whose ő and ű then show as õ and û), "
            "its accented letters are wrong here, so re-save it as UTF-8 and compare that."
        )
    ]


@pytest.mark.parametrize("data", [b"Plain ASCII prose, nothing more.", "Caf\u00e9 \u2014 UTF-8.".encode()])
def test_ascii_and_utf8_files_get_no_encoding_note(data):
    assert load_bytes(data, "plain.txt").notes == ()


def test_a_web_page_read_as_windows_1252_for_want_of_a_declaration_says_so():
    page = "<html><body><p>L'été dernier, à Paris, nous avons mangé des crêpes.</p></body></html>"
    undeclared = load_bytes(page.encode("cp1252"), "page.html")
    assert undeclared.encoding == "windows-1252"
    assert any(note.startswith("The file is not UTF-8 and was read as Windows-1252") for note in undeclared.notes)
    declared = page.replace("<html>", '<html><head><meta charset="windows-1252"></head>')
    assert load_bytes(declared.encode("cp1252"), "page.html").notes == ()


# Scripts written without spaces between words: memdiff's word is a run of letters between spaces,
# so a whole Thai sentence is one or two "words" (the reviewer's 90 Thai words counted as 28).
UNSPACED = {
    "Thai": "มนุษย์ทั้งหลายเกิดมามีอิสระและเสมอภาคกันในเกียรติศักดิ์และสิทธิ ต่างมีเหตุผลและมโนธรรม",
    "Lao": "ມະນຸດທຸກຄົນເກີດມາມີກຽດສັກສີ ແລະ ສິດເທົ່າທຽມກັນ ທຸກຄົນມີເຫດຜົນແລະຄວາມຄິດຄວາມເຫັນ",
    "Khmer": "មនុស្សទាំងអស់កើតមកមានសេរីភាព និងសមភាព ក្នុងផ្នែកសេចក្ដីថ្លៃថ្នូរ និងសិទ្ធិ",
    "Myanmar": "လူတိုင်းသည် တူညီ လွတ်လပ်သော ဂုဏ်သိက္ခာဖြင့် လည်းကောင်း၊ တူညီလွတ်လပ်သော အခွင့်အရေးများဖြင့်",
}


@pytest.mark.parametrize("script", sorted(UNSPACED))
def test_a_text_in_a_script_without_spaces_between_words_says_its_word_counts_mean_little(script):
    text = f"Chapter 1. {UNSPACED[script]}\n"
    for doc in (load_bytes(text.encode(), "answer.txt"), load_text(text, "pasted")):
        assert doc.notes == (
            (
                f"Most of this text is in {script} script, which is written without spaces between words; "
                "memdiff counts a run of letters between spaces as one word, so for this text the word counts and "
                "the rule that a span must have a minimum number of words mean little: judge the spans by their text."
            ),
        )


def test_a_few_words_of_thai_in_another_language_get_no_such_note():
    text = "The Thai greeting สวัสดี opens the letter, and the rest of it is written in plain English words."
    assert load_text(text, "letter.txt").notes == ()
