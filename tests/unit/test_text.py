"""Cleaning, sentence splitting and layout on small Vietnamese examples."""

import unicodedata

from pipelines.text.clean import clean_text, is_nfc
from pipelines.text.layout import find_dateline, noncontent_spans, split_title
from pipelines.text.sentences import split_sentences


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_clean_nfc_zero_width_and_spaces():
    raw = unicodedata.normalize("NFD", "Hà\u200b Nội\u00a0 hôm  nay\r\n")
    out = clean_text(raw)
    assert out == "Hà Nội hôm nay"
    assert is_nfc(out)


def test_clean_rejoins_lines_broken_at_links():
    raw = "Ông Phong trả lời báo \nPháp Luật TP.HCM\n, nói rằng vụ việc đã rõ."
    assert clean_text(raw) == "Ông Phong trả lời báo Pháp Luật TP.HCM, nói rằng vụ việc đã rõ."


def test_clean_keeps_paragraphs_and_one_blank_line():
    assert clean_text("Tiêu đề\n\n\n\nĐoạn một.\nĐoạn hai.") == "Tiêu đề\n\nĐoạn một.\nĐoạn hai."


def test_end_mark_starts_a_new_line():
    assert clean_text("hết bài./.Ảnh: Minh họa") == "hết bài./.\nẢnh: Minh họa"


def test_sentences_respect_abbreviations_and_dates():
    text = "Sáng 26/2, tại TP.HCM, TS. Nguyễn Văn An phát biểu. Ông nói về v.v. nhiều việc. Ngày 7-2 có họp."
    assert sentences(text) == [
        "Sáng 26/2, tại TP.HCM, TS. Nguyễn Văn An phát biểu.",
        "Ông nói về v.v. nhiều việc.",
        "Ngày 7-2 có họp.",
    ]


def test_quote_spanning_sentences_stays_whole():
    text = "“Chúng tôi sẽ làm. Không lùi bước.” - ông Phong nhấn mạnh. Cuộc họp kết thúc."
    assert sentences(text) == ["“Chúng tôi sẽ làm. Không lùi bước.” - ông Phong nhấn mạnh.", "Cuộc họp kết thúc."]


def test_lines_never_share_a_sentence():
    assert sentences("Tiêu đề bài báo\nCâu đầu tiên.") == ["Tiêu đề bài báo", "Câu đầu tiên."]


def test_title_and_dateline():
    body = "Bộ Công an gặp mặt Đại sứ\n\n(Ngày Nay) - Chiều 26/2, tại Hà Nội, Bộ Công an tổ chức gặp mặt."
    title = split_title(body)
    assert title == "Bộ Công an gặp mặt Đại sứ"
    assert find_dateline(body, title)[0] == "Ngày Nay"
    assert find_dateline("(TTXVN) - Hôm nay trời đẹp.", None)[0] == "TTXVN"
    assert split_title("(TTXVN) - Hôm nay trời đẹp.\nCâu hai.") is None


def test_photo_credits_are_noncontent():
    body = "Thủ tướng phát biểu. (Ảnh: Phạm Kiên/TTXVN)\nNông dân thu hoạch lúa. Ảnh: NGUYỄN TÂN\nCâu cuối cùng ở đây."
    spans = noncontent_spans(body)
    covered = [body[s:e] for s, e in spans]
    assert "(Ảnh: Phạm Kiên/TTXVN)" in covered
    assert any(c.startswith("Ảnh: NGUYỄN TÂN") for c in covered)
