"""What real news holds that tidy samples do not: one short, invented example per phenomenon.

The examples are written for these tests (names of private persons are invented); none is
copied from the dev articles.
"""

import datetime as dt

import polars as pl

from pipelines.extract import extract, extract_articles
from pipelines.resolve import build_warehouse
from pipelines.schemas import REJECTION, empty
from pipelines.text.clean import clean_text
from pipelines.text.normalize import normalize_text


def doc_of(raw: str):
    return extract(raw, clean=True)


def names(doc) -> set[str]:
    return set(doc.people)


def titles(doc, name) -> list[str]:
    return [t for t, _ in doc.people[name].titles]


def speakers(doc) -> list[tuple[str | None, str]]:
    return [(q.speaker_name, q.kind) for q in doc.quotes]


# --- scraper layout -----------------------------------------------------------------------

def test_lead_moved_to_the_end_still_gives_the_event():
    raw = ("Hà Tĩnh bàn giải pháp chống ngập\n\n"
           "Nhiều tuyến đường đã ngập sâu trong đợt mưa vừa qua.\n"
           "Người dân mong sớm có giải pháp.\n"
           "Minh Châu\n\n\n"
           "Sáng 14/3, Chủ tịch UBND tỉnh Hà Tĩnh Lê Văn Khánh đã chủ trì cuộc họp về chống ngập tại TP Hà Tĩnh.")
    doc = doc_of(raw)
    [event] = doc.events
    assert (event.event_type, event.day, event.month, event.chair) == ("meeting", 14, 3, "Lê Văn Khánh")
    assert "Minh Châu" not in names(doc)  # the byline before the moved lead


def test_sentence_broken_where_a_link_was():
    body = clean_text("Ông Lê Văn Khánh trả lời báo \nTuổi Trẻ\n, nói rằng công trình sẽ xong trong năm nay.")
    assert body == "Ông Lê Văn Khánh trả lời báo Tuổi Trẻ, nói rằng công trình sẽ xong trong năm nay."


def test_inline_captions_and_credits_are_not_people():
    doc = doc_of("Thủ tướng Nguyễn Xuân Phúc thăm nhà máy. (Ảnh: Trần Quốc Dũng/TTXVN)\n"
                 "Công nhân làm việc trong xưởng. Ảnh: LÊ HOÀNG VŨ\n"
                 "Thủ tướng đề nghị doanh nghiệp đầu tư thêm cho công nghệ mới.")
    assert names(doc) == {"Nguyễn Xuân Phúc"}


# --- foreign names and short forms -----------------------------------------------------------

def test_lao_chinese_western_korean_names():
    doc = doc_of("Thủ tướng Lào Khamla Phommachanh đã hội đàm với Chủ tịch Trung Quốc Tập Cận Bình. "
                 "Tổng thống Mỹ Donald Trump và Tổng thống Hàn Quốc Moon Jae-in cùng gửi điện chúc mừng.")
    assert {"Khamla Phommachanh", "Tập Cận Bình", "Donald Trump", "Moon Jae-in"} <= names(doc)
    assert titles(doc, "Tập Cận Bình") == ["Chủ tịch Trung Quốc"]
    assert titles(doc, "Moon Jae-in") == ["Tổng thống Hàn Quốc"]


def test_short_forms_resolve_to_the_full_name():
    doc = doc_of("Thiếu tướng Lê Hồng Phong, Giám đốc Công an tỉnh Bình Dương, đã có mặt. "
                 "Tổng thống Mỹ Donald Trump cũng lên tiếng. "
                 "Ông Phong cho biết lực lượng chức năng đã bắt giữ 12 đối tượng. "
                 "Ông Trump nói rằng nước Mỹ sẽ hợp tác với các đồng minh.")
    assert names(doc) == {"Lê Hồng Phong", "Donald Trump"}
    assert speakers(doc) == [("Lê Hồng Phong", "indirect"), ("Donald Trump", "indirect")]


# --- title and name order -------------------------------------------------------------------

def test_titles_after_the_name_with_a_dash_and_commas():
    doc = doc_of("Ông Trần Văn Hùng - Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh Quảng Nam cho biết "
                 "tỉnh sẽ đầu tư thêm cho giáo dục.")
    assert titles(doc, "Trần Văn Hùng") == ["Phó Bí thư Tỉnh ủy", "Chủ tịch UBND tỉnh Quảng Nam"]


def test_a_list_of_officials_with_their_titles():
    doc = doc_of("Cùng dự có các đồng chí Nguyễn Văn Bình, Ủy viên Bộ Chính trị, Trưởng Ban Kinh tế Trung ương; "
                 "Phạm Minh Hòa, Thứ trưởng Bộ Tài chính; Lê Thị Thu, Phó Chủ tịch UBND tỉnh Nghệ An.")
    assert names(doc) == {"Nguyễn Văn Bình", "Phạm Minh Hòa", "Lê Thị Thu"}
    assert titles(doc, "Nguyễn Văn Bình") == ["Ủy viên Bộ Chính trị", "Trưởng Ban Kinh tế Trung ương"]
    assert titles(doc, "Phạm Minh Hòa") == ["Thứ trưởng Bộ Tài chính"]
    assert titles(doc, "Lê Thị Thu") == ["Phó Chủ tịch UBND tỉnh Nghệ An"]


# --- quotes --------------------------------------------------------------------------------

def test_direct_quote_with_the_speaker_after_it():
    doc = doc_of("Thiếu tướng Lê Hồng Phong chủ trì buổi họp. "
                 "“Chúng tôi sẽ không để tội phạm lộng hành trong dịp Tết” - ông Phong nhấn mạnh.")
    [quote] = doc.quotes
    assert (quote.speaker_name, quote.kind, quote.cue) == ("Lê Hồng Phong", "direct", "nhấn mạnh")
    assert quote.text == "Chúng tôi sẽ không để tội phạm lộng hành trong dịp Tết"


def test_direct_quote_spanning_several_sentences():
    doc = doc_of("Bà Nguyễn Thị Lan, Giám đốc Sở Y tế, phát biểu tại hội nghị. "
                 "“Bệnh viện đã quá tải. Chúng tôi cần thêm bác sĩ. Người dân phải chờ rất lâu”, bà Lan nói.")
    [quote] = doc.quotes
    assert quote.speaker_name == "Nguyễn Thị Lan"
    assert quote.text == "Bệnh viện đã quá tải. Chúng tôi cần thêm bác sĩ. Người dân phải chờ rất lâu"


def test_theo_attribution():
    doc = doc_of("Theo ông Nguyễn Văn Tâm, Phó Cục trưởng Cục Thuế, số thu ngân sách năm nay đã vượt kế hoạch.")
    [quote] = doc.quotes
    assert (quote.speaker_name, quote.kind, quote.cue) == ("Nguyễn Văn Tâm", "indirect", "theo")
    assert quote.text == "số thu ngân sách năm nay đã vượt kế hoạch"


def test_reported_speech_with_a_quoted_fragment_is_one_indirect_quote():
    doc = doc_of("Bộ trưởng Nguyễn Văn Thể khẳng định việc mở rộng cao tốc là “bước đi đúng” "
                 "của ngành giao thông trong năm nay.")
    [quote] = doc.quotes
    assert (quote.speaker_name, quote.kind) == ("Nguyễn Văn Thể", "indirect")
    assert "“bước đi đúng”" in quote.text


def test_scare_quotes_are_not_quotes():
    doc = doc_of("Nhóm “xã hội đen” này đã bị bắt vào tuần trước sau nhiều tháng điều tra.")
    assert doc.quotes == []


def test_unnamed_and_organization_speakers():
    doc = doc_of("Một lãnh đạo Sở Xây dựng cho biết công trình sẽ được kiểm tra lại toàn bộ. "
                 "Bộ Công Thương khẳng định giá điện sẽ không tăng trong quý tới.")
    assert [(q.speaker_name, q.speaker_surface) for q in doc.quotes] == [
        (None, "Một lãnh đạo Sở Xây dựng"), (None, "Bộ Công Thương")]


# --- same event, many articles --------------------------------------------------------------

def _warehouse(texts: list[str]) -> dict[str, pl.DataFrame]:
    rows = [{"file_name": f"a{i}.txt", **normalize_text(t)} for i, t in enumerate(texts)]
    articles = pl.DataFrame(rows).with_columns(pl.col("published_date").cast(pl.Date))
    extraction = extract_articles(articles)
    return build_warehouse(articles, extraction, empty(REJECTION), dt.datetime(2026, 1, 1))


def test_one_event_reported_by_three_outlets_and_another_event_the_same_day():
    same = [
        "Sáng 6/2, Chủ tịch UBND TP Đà Nẵng Huỳnh Đức Thơ chủ trì cuộc họp giao ban với các sở ngành.",
        "Tại cuộc họp giao ban sáng 6-2, Chủ tịch UBND TP Đà Nẵng Huỳnh Đức Thơ yêu cầu các sở khẩn trương giải ngân.",
        "Ngày 6/2, ông Huỳnh Đức Thơ, Chủ tịch UBND TP Đà Nẵng, đã chủ trì cuộc họp giao ban đầu năm.",
    ]
    other = "Sáng 6/2, Bộ trưởng Bộ Y tế Nguyễn Thị Kim Tiến thăm Bệnh viện Bạch Mai tại Hà Nội."
    wh = _warehouse(same + [other])
    events = wh["fact_event"].sort("article_count", descending=True)
    assert events["article_count"].to_list() == [3, 1]
    assert wh["bridge_event_article"].height == 4
