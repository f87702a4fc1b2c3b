"""People and their titles, on short invented news sentences."""

import pytest

from pipelines.extract import extract


def titles(doc, name):
    return [t for t, _ in doc.people[name].titles]


def test_comma_title_chain_after_rank_and_name():
    doc = extract("Sáng 12/3, Trung tướng Nguyễn Văn Hưng, Ủy viên Trung ương Đảng, Thứ trưởng Bộ Quốc phòng "
                  "đã tiếp đoàn đại biểu quân sự Lào.")
    assert list(doc.people) == ["Nguyễn Văn Hưng"]
    assert doc.people["Nguyễn Văn Hưng"].titles == [
        ("Trung tướng", None),
        ("Ủy viên Trung ương Đảng", "Trung ương Đảng"),
        ("Thứ trưởng Bộ Quốc phòng", "Bộ Quốc phòng"),
    ]


def test_title_before_name_keeps_its_organization():
    doc = extract("Chủ tịch UBND tỉnh Nghệ An Nguyễn Xuân Bình đã kiểm tra công tác phòng chống lụt bão.")
    assert doc.people["Nguyễn Xuân Bình"].titles == [("Chủ tịch UBND tỉnh Nghệ An", "UBND tỉnh Nghệ An")]


def test_short_ministry_form_is_written_out():
    doc = extract("Bộ trưởng Tài chính Hồ Đức Lâm cho biết, ngân sách năm nay vượt thu so với dự toán.")
    assert doc.people["Hồ Đức Lâm"].titles == [("Bộ trưởng Bộ Tài chính", "Bộ Tài chính")]


def test_title_after_dash_with_named_party_committee():
    doc = extract("Ông Trần Văn Cường - Phó Bí thư Tỉnh ủy Quảng Nam cho biết tỉnh sẽ thu hút đầu tư "
                  "vào công nghiệp chế biến.")
    assert doc.people["Trần Văn Cường"].titles == [("Phó Bí thư Tỉnh ủy Quảng Nam", "Tỉnh ủy Quảng Nam")]


def test_title_after_dash_with_bare_party_committee():
    doc = extract("Ông Trần Văn Cường - Phó Bí thư Tỉnh ủy cho biết tỉnh sẽ thu hút đầu tư vào công nghiệp "
                  "chế biến.")
    assert titles(doc, "Trần Văn Cường") == ["Phó Bí thư Tỉnh ủy"]


def test_title_with_bare_party_committee_before_name():
    doc = extract("Bí thư Tỉnh ủy Trần Văn Cường đã dự buổi lễ. Phát biểu tại buổi lễ, ông Cường nhấn mạnh "
                  "cần chăm lo đời sống người dân vùng lũ.")
    assert titles(doc, "Trần Văn Cường") == ["Bí thư Tỉnh ủy"]


def test_foreign_name_with_title_and_later_short_form():
    body = ("Tổng thống Pháp Emmanuel Macron đã đến Hà Nội. Ông Macron cho biết Pháp muốn thúc đẩy hợp tác "
            "với Việt Nam trong nhiều lĩnh vực.")
    doc = extract(body)
    assert list(doc.people) == ["Emmanuel Macron"]
    assert titles(doc, "Emmanuel Macron") == ["Tổng thống Pháp"]
    person_mentions = [(m.surface, m.name) for m in doc.mentions if m.kind == "person"]
    assert person_mentions == [("Emmanuel Macron", "Emmanuel Macron"), ("Macron", "Emmanuel Macron")]


def test_vietnamese_given_name_resolves_to_full_name():
    body = ("Ông Đặng Quốc Khánh, Chủ tịch UBND tỉnh Hà Giang, đã dự lễ khởi công. "
            "Theo ông Khánh, dự án sẽ tạo việc làm cho hàng nghìn lao động địa phương.")
    doc = extract(body)
    assert list(doc.people) == ["Đặng Quốc Khánh"]
    short = [m for m in doc.mentions if m.kind == "person" and m.surface == "Khánh"]
    assert [m.name for m in short] == ["Đặng Quốc Khánh"]


def test_photo_credit_and_closing_byline_are_not_people():
    body = ("Đoàn công tác đã thăm các hộ dân tại Quảng Ngãi. (Ảnh: Lê Văn Dũng/TTXVN)\n"
            "Ông Phạm Minh Tuấn, Giám đốc Sở Y tế, cho biết bệnh viện đã sẵn sàng tiếp nhận bệnh nhân.\n"
            "Lê Thanh Hà")
    doc = extract(body)
    assert list(doc.people) == ["Phạm Minh Tuấn"]
    assert {m.name for m in doc.mentions if m.kind == "person"} == {"Phạm Minh Tuấn"}


def test_street_named_after_person_is_not_a_person():
    doc = extract("Người dân tập trung đông trên đường Nguyễn Huệ để xem bắn pháo hoa đêm giao thừa.")
    assert doc.people == {}
    assert [m for m in doc.mentions if m.kind == "person"] == []


def test_every_mention_surface_matches_body_offsets():
    body = ("Chiều 26/2, tại Hà Nội, Bộ trưởng Bộ Công Thương Trần Tuấn Anh đã hội đàm với Bộ trưởng Thương mại "
            "Australia. Bộ trưởng nhấn mạnh hai nước cần sớm hoàn tất thủ tục mở cửa thị trường nông sản. "
            "Ông cho biết thêm, các doanh nghiệp Việt Nam đã sẵn sàng.")
    doc = extract(body)
    assert len(doc.mentions) >= 5
    for m in doc.mentions:
        assert body[m.start:m.end] == m.surface
    for q in doc.quotes:
        assert body[q.start:q.end] == q.text


def test_title_is_not_part_of_name():
    doc = extract("Đại tướng Lương Cường đã dự lễ kỷ niệm tại Hà Nội.")
    assert list(doc.people) == ["Lương Cường"]
    assert doc.people["Lương Cường"].titles == [("Đại tướng", None)]
