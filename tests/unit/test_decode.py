"""Decoding and input formats: encodings, legacy fonts, mojibake, binary sniffing, metadata."""

import codecs
import datetime as dt
import unicodedata

import pytest

from pipelines.text import formats, language
from pipelines.text.decode import decode_bytes, encode_windows_1258, fix_mojibake, repair_text, sniff_binary
from pipelines.text.legacy import (decode_8bit, decode_tcvn3, decode_vni, encode_tcvn3, encode_vni, legacy_hints,
                                   tcvn3_table, vni_table)

TEXT = ("Bộ trưởng Ngoại giao Bùi Thanh Sơn khẳng định: “Hai nước sẽ tăng cường hợp tác.” "
        "Người dân Đà Nẵng, Quảng Ngãi và Thừa Thiên - Huế vui mừng đón nhận tin này.")
ALL_LETTERS = sorted({letter for letter in vni_table().values()})


# --- legacy font encodings -----------------------------------------------------

def test_known_tcvn3_strings():
    # The national motto as it appears in countless .VnTime documents (bytes read as Windows-1252).
    assert decode_tcvn3("Céng hßa x· héi chñ nghÜa ViÖt Nam") == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert decode_tcvn3("§éc lËp - Tù do - H¹nh phóc") == "Độc lập - Tự do - Hạnh phúc"
    assert decode_tcvn3(decode_8bit(b"ng\xad\xeai d\xa9n")) == "người dân"  # ư is the soft-hyphen byte


def test_known_vni_strings():
    assert decode_vni("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam") == "Cộng hòa xã hội chủ nghĩa Việt Nam"
    assert decode_vni("Ñoäc laäp - Töï do - Haïnh phuùc") == "Độc lập - Tự do - Hạnh phúc"
    assert decode_vni("ÑAÛNG COÄNG SAÛN VIEÄT NAM") == "ĐẢNG CỘNG SẢN VIỆT NAM"


def test_tables_cover_every_vietnamese_letter():
    assert len(ALL_LETTERS) == 134  # 67 letters (12 vowels x 6 tones - 6 plain + đ), both cases
    lower = {c for c in ALL_LETTERS if c.islower()}
    assert lower <= set(tcvn3_table().values())
    assert all(unicodedata.is_normalized("NFC", c) and len(c) == 1 for c in ALL_LETTERS)


def test_vni_round_trip_every_letter():
    text = " ".join(ALL_LETTERS)
    assert decode_vni(decode_8bit(encode_vni(text))) == text


def test_tcvn3_round_trip_every_lowercase_letter_and_capitals_it_can_hold():
    lower = "chữ " + " ".join(c for c in ALL_LETTERS if c.islower())
    assert decode_tcvn3(decode_8bit(encode_tcvn3(lower))) == lower
    # .VnTime has no capital tone vowels; capitals come back at sentence starts and in all-caps words.
    text = "Ở Hà Nội, người dân vui. Ủy ban họp. CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert decode_tcvn3(decode_8bit(encode_tcvn3(text))) == text


def test_legacy_hints_tell_the_encodings_apart():
    tcvn, vni = decode_8bit(encode_tcvn3(TEXT)), decode_8bit(encode_vni(TEXT))
    assert legacy_hints(tcvn)["tcvn3"] > legacy_hints(tcvn)["vni"]
    assert legacy_hints(vni)["vni"] > 5
    assert legacy_hints(TEXT) == {"tcvn3": legacy_hints(TEXT)["tcvn3"], "vni": 0}


# --- bytes to text ---------------------------------------------------------------

@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode(), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode(), "utf-8-sig"),
    (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
    (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
    (TEXT.encode("utf-16-le"), "utf-16-le"),  # no BOM: NULs in every other byte give it away
    (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le"),
    (encode_windows_1258(TEXT), "windows-1258"),
    (encode_tcvn3(TEXT), "tcvn3"),
    (encode_vni(TEXT), "vni"),
    (encode_tcvn3(TEXT).decode("cp1252").encode(), "utf-8+tcvn3"),  # .VnTime text saved as Unicode
    (encode_vni(TEXT).decode("cp1252").encode(), "utf-8+vni"),
    (decode_8bit(TEXT.encode()).encode(), "utf-8+mojibake"),
    (TEXT.encode().decode("latin-1").encode(), "utf-8+mojibake"),
    (decode_8bit(decode_8bit(TEXT.encode()).encode()).encode(), "utf-8+mojibake"),  # twice
    (unicodedata.normalize("NFD", TEXT).encode(), "utf-8+nfd"),
])
def test_every_encoding_decodes_to_the_same_text(data, encoding):
    decoded = decode_bytes(data)
    assert (decoded.text, decoded.encoding) == (TEXT, encoding)


def test_crlf_is_kept_for_cleaning():
    decoded = decode_bytes((TEXT + "\r\n" + TEXT).encode())
    assert decoded.text == TEXT + "\r\n" + TEXT


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b" \r\n\t ", "empty"),
    (codecs.BOM_UTF8 + "\u200b \n".encode(), "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "binary"),
    (b"PK\x03\x04\x14\x00\x00\x00", "binary"),
    (b"Vi\xe1\xbb\x87t Nam abc\x00\x01\x02\x03", "binary"),
    (bytes(range(1, 32)) * 10, "binary"),
    ("Hà Nội ".encode() + b"\xff\xfe\xc3(", "undecodable"),
    (TEXT.encode().replace("ộ".encode(), b"\xe1\xbb"), "undecodable"),
    (bytes(range(128, 256)) * 4, "undecodable"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8", "undecodable"),  # lone surrogate
])
def test_rejected_bytes(data, reason):
    decoded = decode_bytes(data)
    assert decoded.text is None and decoded.reason == reason, decoded
    assert decoded.detail


def test_sniff_binary_names_the_format():
    assert "PDF" in sniff_binary(b"%PDF-1.4")
    assert sniff_binary(TEXT.encode()) is None


def test_repairs_leave_good_text_alone():
    assert repair_text(TEXT) == (TEXT, None)
    # French or Spanish Latin-1 letters inside Vietnamese text are no mojibake.
    text = TEXT + " Cầu thủ Pelé và José Mourinho, café."
    assert repair_text(text) == (text, None)
    assert fix_mojibake(TEXT) is None
    assert fix_mojibake("plain ascii") is None


# --- is it Vietnamese? ---------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    (TEXT, True),
    ("The Prime Minister said on Monday that the government would continue to support the banks.", False),
    ("Le président de la République a déclaré lundi que le gouvernement allait soutenir les banques.", False),
    ("Der Präsident sagte am Montag, dass die Regierung die Banken weiter unterstützen werde.", False),
    ("El presidente dijo el lunes que el gobierno seguirá apoyando a los bancos según un comunicado.", False),
    ("12345 67890 !!! ??? ... 2017", False),
])
def test_vietnamese_detector(text, expected):
    assert language.score(text).is_vietnamese() is expected


def test_syllables():
    assert all(language.is_syllable(w) for w in ["người", "Quốc", "nghiêng", "khuya", "giữ", "Đắk", "ưu"])
    assert not any(language.is_syllable(w) for w in ["bank", "strong", "président", "Müller", "hóá"])


# --- formats --------------------------------------------------------------------

def test_parse_date():
    assert formats.parse_date("2017-03-06T09:15:00+07:00") == dt.date(2017, 3, 6)
    assert formats.parse_date("06/03/2017") == dt.date(2017, 3, 6)
    assert formats.parse_date("6-3-2017 10:00") == dt.date(2017, 3, 6)
    assert formats.parse_date(dt.date(2017, 3, 6)) == dt.date(2017, 3, 6)
    assert formats.parse_date(dt.datetime(2017, 3, 6, 23, 0)) == dt.date(2017, 3, 6)
    assert [formats.parse_date(v) for v in ["2017-13-01", "hôm qua", None, 20170306, "31/02/2017"]] == [None] * 5


def test_front_matter():
    meta, body, problem = formats.split_front_matter(
        "---\r\npublished_at: 2017-03-03\r\nsource: Báo Nhân Dân\r\nurl: https://x.vn/a\r\n---\r\nTiêu đề\r\nThân bài.")
    assert meta == formats.Meta(url="https://x.vn/a", title=None, source="Báo Nhân Dân",
                                published_date=dt.date(2017, 3, 3))
    assert body == "Tiêu đề\r\nThân bài." and problem is None
    meta, body, problem = formats.split_front_matter("---\nsource: [unclosed\n---\nThân bài.")
    assert meta == formats.Meta() and body == "Thân bài." and "YAML" in problem
    assert formats.split_front_matter("Không có front matter.\n---\n") == (formats.Meta(), "Không có front matter.\n---\n",
                                                                         None)


def test_sidecar_and_aliases():
    meta, problem = formats.parse_sidecar('{"date": "05/03/2017", "publisher": "VnExpress", "link": "https://v.vn"}')
    assert meta == formats.Meta(url="https://v.vn", source="VnExpress", published_date=dt.date(2017, 3, 5))
    assert formats.parse_sidecar("[1, 2]")[1] and formats.parse_sidecar("{bad")[1]


def test_jsonl_tolerates_missing_fields_and_reports_bad_lines():
    text = '{"body": "Nội dung", "title": "Tiêu đề"}\n\n{"url": 1,\n[1]\n{"url": "https://a.vn"}\n'
    records = list(formats.jsonl_records(text))
    assert [(r.line, r.problem is None) for r in records] == [(1, True), (3, False), (4, False), (5, True)]
    assert records[0].body == "Nội dung" and records[0].meta.title == "Tiêu đề"
    assert records[3].body == "" and records[3].meta.url == "https://a.vn"


def test_html_article_drops_boilerplate_and_reads_metadata():
    paragraphs = "".join(f"<p>Câu số {i}: Bộ trưởng Tô Lâm khẳng định Bộ Công an sẽ phối hợp chặt chẽ với các "
                         f"bộ, ngành trong thời gian tới.</p>" for i in range(4))
    html = ("<html><head><meta property='og:title' content='Bộ Công an họp'>"
            "<meta property='og:site_name' content='Báo Ngày Nay'>"
            "<meta property='article:published_time' content='2017-02-26T15:30:00+07:00'>"
            "<link rel='canonical' href='https://ngaynay.vn/a.html'></head><body>"
            "<nav><a href='/'>Trang chủ</a> | <a href='/x'>Thời sự</a></nav>"
            f"<article><h1>Bộ Công an họp</h1>{paragraphs}</article>"
            "<footer>Bản quyền thuộc về Báo Ngày Nay</footer></body></html>")
    text, meta = formats.html_article(html)
    assert meta == formats.Meta(url="https://ngaynay.vn/a.html", title="Bộ Công an họp", source="Báo Ngày Nay",
                                published_date=dt.date(2017, 2, 26))
    assert "Câu số 3" in text and "Trang chủ" not in text and "Bản quyền" not in text


def test_compose_puts_the_title_on_top_once():
    assert formats.compose("Tiêu đề", "Thân bài.") == "Tiêu đề\n\nThân bài."
    assert formats.compose("Tiêu đề", "Tiêu đề\nThân bài.") == "Tiêu đề\nThân bài."
    assert formats.compose(None, "Thân bài.") == "Thân bài."
