"""Quotes: who said what, on short invented news sentences."""

import pytest

from pipelines.extract import extract


def quotes(body):
    return [(q.speaker_name, q.kind, q.cue, q.text) for q in extract(body).quotes]


def test_indirect_quote_cue_before_content():
    body = "Thủ tướng Nguyễn Xuân Phúc khẳng định, Chính phủ luôn đồng hành cùng cộng đồng doanh nghiệp."
    assert quotes(body) == [
        ("Nguyễn Xuân Phúc", "indirect", "khẳng định", "Chính phủ luôn đồng hành cùng cộng đồng doanh nghiệp"),
    ]


def test_direct_quote_with_speaker_after_dash():
    body = "“Chúng tôi sẽ xử lý nghiêm mọi sai phạm trong đấu thầu” - ông Đỗ Văn Thắng nói."
    assert quotes(body) == [
        ("Đỗ Văn Thắng", "direct", "nói", "Chúng tôi sẽ xử lý nghiêm mọi sai phạm trong đấu thầu"),
    ]


def test_direct_quote_with_speaker_after_comma():
    body = "“Trường sẽ bổ sung thêm giáo viên cho năm học mới”, bà Phan Thị Lan cho biết."
    assert quotes(body) == [
        ("Phan Thị Lan", "direct", "cho biết", "Trường sẽ bổ sung thêm giáo viên cho năm học mới"),
    ]


def test_fronted_form_gives_two_quotes():
    body = ("Khẳng định Việt Nam coi trọng quan hệ đối tác chiến lược với Nhật Bản, Bộ trưởng Ngoại giao "
            "Phạm Bình Minh nhấn mạnh: hai bên cần mở rộng hợp tác về kinh tế và an ninh.")
    assert quotes(body) == [
        ("Phạm Bình Minh", "indirect", "khẳng định", "Việt Nam coi trọng quan hệ đối tác chiến lược với Nhật Bản"),
        ("Phạm Bình Minh", "indirect", "nhấn mạnh", "hai bên cần mở rộng hợp tác về kinh tế và an ninh"),
    ]


def test_scare_quote_mid_clause_is_not_a_direct_quote():
    body = ("Ông Vũ Hồng Sơn cho rằng nhiều doanh nghiệp vẫn làm ăn theo phương châm “đi tắt đón đầu” "
            "mà thiếu chiến lược dài hạn.")
    got = extract(body).quotes
    assert [q.kind for q in got] == ["indirect"]
    assert got[0].text == ("nhiều doanh nghiệp vẫn làm ăn theo phương châm “đi tắt đón đầu” "
                           "mà thiếu chiến lược dài hạn")


def test_scare_quote_without_speaker_gives_no_quote():
    body = "Nhiều địa phương vẫn chạy theo phương châm “đi tắt đón đầu” trong phát triển công nghiệp."
    assert extract(body).quotes == []


def test_theo_attribution():
    body = "Theo ông Ngô Quang Hải, giá xăng dầu trong quý tới sẽ tiếp tục biến động mạnh."
    assert quotes(body) == [
        ("Ngô Quang Hải", "indirect", "theo", "giá xăng dầu trong quý tới sẽ tiếp tục biến động mạnh"),
    ]


def test_unnamed_speaker_has_no_name():
    body = ("Trao đổi với phóng viên, một lãnh đạo địa phương cho biết cơ quan này đang rà soát "
            "toàn bộ hồ sơ cấp phép.")
    got = extract(body).quotes
    assert [(q.speaker_name, q.speaker_surface, q.cue, q.text) for q in got] == [
        (None, "một lãnh đạo địa phương", "cho biết", "cơ quan này đang rà soát toàn bộ hồ sơ cấp phép"),
    ]


def test_unnamed_speaker_with_capitalized_office():
    body = ("Trao đổi với phóng viên, một lãnh đạo Sở cho biết cơ quan này đang rà soát "
            "toàn bộ hồ sơ cấp phép.")
    got = extract(body).quotes
    assert [(q.speaker_name, q.cue, q.text) for q in got] == [
        (None, "cho biết", "cơ quan này đang rà soát toàn bộ hồ sơ cấp phép"),
    ]


def test_unnamed_speaker_at_sentence_start():
    body = "Một lãnh đạo địa phương cho biết cơ quan này đang rà soát toàn bộ hồ sơ cấp phép."
    got = extract(body).quotes
    assert [(q.speaker_name, q.cue, q.text) for q in got] == [
        (None, "cho biết", "cơ quan này đang rà soát toàn bộ hồ sơ cấp phép"),
    ]


def test_quote_text_excludes_speaker_and_cue():
    body = "Ông Trần Văn Cường - Phó Bí thư Tỉnh ủy Quảng Nam cho biết tỉnh sẽ thu hút đầu tư vào chế biến nông sản."
    (q,) = extract(body).quotes
    assert q.text == "tỉnh sẽ thu hút đầu tư vào chế biến nông sản"
    assert q.speaker_surface == "Ông Trần Văn Cường - Phó Bí thư Tỉnh ủy Quảng Nam"
    assert body[q.start:q.end] == q.text


def test_bare_title_speaker_resolves_to_person():
    body = ("Chiều 26/2, Bộ trưởng Bộ Công Thương Trần Tuấn Anh đã hội đàm với Bộ trưởng Thương mại Australia. "
            "Bộ trưởng nhấn mạnh hai nước cần sớm hoàn tất các thủ tục mở cửa thị trường nông sản.")
    got = extract(body).quotes
    assert [(q.speaker_name, q.speaker_surface, q.cue) for q in got] == [
        ("Trần Tuấn Anh", "Bộ trưởng", "nhấn mạnh"),
    ]


def test_pronoun_speaker_resolves_to_person():
    body = ("Sáng 9/5, Phó Thủ tướng Vũ Đức Đam đã làm việc với lãnh đạo tỉnh Thừa Thiên Huế. "
            "Ông đề nghị tỉnh quan tâm hơn đến phát triển du lịch bền vững.")
    got = extract(body).quotes
    assert [(q.speaker_name, q.speaker_surface, q.cue, q.text) for q in got] == [
        ("Vũ Đức Đam", "Ông", "đề nghị", "tỉnh quan tâm hơn đến phát triển du lịch bền vững"),
    ]


def test_pronoun_picks_the_person_of_matching_gender():
    body = ("Bà Nguyễn Thị Hồng Hạnh, Giám đốc Sở Y tế, đã làm việc với ông Lê Minh Khoa. "
            "Bà cho biết các bệnh viện đều đã chuẩn bị đủ thuốc và vật tư.")
    got = extract(body).quotes
    assert [(q.speaker_name, q.speaker_surface) for q in got] == [("Nguyễn Thị Hồng Hạnh", "Bà")]


def test_short_name_speaker_resolves_to_full_name():
    body = ("Bí thư Tỉnh ủy Quảng Nam Trần Văn Cường đã dự buổi lễ. Phát biểu tại buổi lễ, "
            "ông Cường nhấn mạnh cần chăm lo đời sống người dân vùng lũ.")
    got = extract(body).quotes
    assert [(q.speaker_name, q.speaker_surface, q.text) for q in got] == [
        ("Trần Văn Cường", "ông Cường", "cần chăm lo đời sống người dân vùng lũ"),
    ]
