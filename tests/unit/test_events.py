"""Events from an article's lead, on short invented news sentences."""

from pipelines.extract import extract


def event(body):
    events = extract(body).events
    assert len(events) == 1
    return events[0]


def test_talks_with_day_month_place_and_no_invented_year():
    ev = event("Chiều 26/2, tại Hà Nội, Bộ trưởng Bộ Công Thương Trần Tuấn Anh đã hội đàm với "
               "Bộ trưởng Thương mại Australia.")
    assert ev.event_type == "talks"
    assert (ev.date_text, ev.day, ev.month, ev.year) == ("Chiều 26/2", 26, 2, None)
    assert ev.location == "Hà Nội"


def test_visit_with_full_date_gives_year():
    ev = event("Ngày 7/2/2017, Chủ tịch nước Trần Đại Quang đã thăm và chúc Tết cán bộ, chiến sĩ tại Hải Phòng.")
    assert ev.event_type == "visit"
    assert (ev.day, ev.month, ev.year) == (7, 2, 2017)
    assert ev.location == "Hải Phòng"
    assert ev.chair == "Trần Đại Quang"


def test_conference_with_organizer():
    ev = event("Sáng 15/4, Bộ Y tế tổ chức hội nghị tổng kết công tác phòng chống dịch tại Hà Nội.")
    assert ev.event_type == "conference"
    assert (ev.day, ev.month, ev.year) == (15, 4, None)
    assert ev.organizer == "Bộ Y tế"
    assert ev.location == "Hà Nội"
    assert ev.chair is None
    assert ev.participants == [("organization", "Bộ Y tế", "organizer")]


def test_conference_with_chair():
    ev = event("Sáng 7/3, Thủ tướng Phạm Minh Chính chủ trì hội nghị trực tuyến với các địa phương "
               "về giải ngân vốn đầu tư công.")
    assert ev.event_type == "conference"
    assert ev.chair == "Phạm Minh Chính"
    assert (ev.date_text, ev.day, ev.month, ev.year) == ("Sáng 7/3", 7, 3, None)
    assert ev.participants[0] == ("person", "Phạm Minh Chính", "chair")


def test_chair_is_the_one_who_chairs_not_the_first_named():
    ev = event("Sáng 10/10, Bộ trưởng Bộ Y tế Đào Hồng Lan dự hội nghị do Phó Thủ tướng Lê Thành Long "
               "chủ trì tại Hà Nội.")
    assert ev.chair == "Lê Thành Long"
    assert ("person", "Đào Hồng Lan", "attendee") in ev.participants


def test_dash_separated_date():
    ev = event("Sáng nay 6-2, UBND tỉnh Quảng Ninh tổ chức lễ khánh thành cầu Bạch Đằng.")
    assert ev.event_type == "ceremony"
    assert (ev.day, ev.month, ev.year) == (6, 2, None)
    assert ev.organizer == "UBND tỉnh Quảng Ninh"


def test_no_trigger_no_event():
    assert extract("Giá lúa tại đồng bằng sông Cửu Long tăng nhẹ so với tuần trước.").events == []
