"""Cross-article resolution: inbox files -> articles -> extraction -> warehouse."""

import datetime as dt

from pipelines.extract import extract_articles
from pipelines.resolve import build_warehouse
from pipelines.text.ingest import read_inbox
from pipelines.text.normalize import normalize_articles

INGESTED = dt.datetime(2024, 1, 1, 8, 0)

MEETING_A = ("Thủ tướng chủ trì hội nghị với doanh nghiệp\n\n"
             "Chiều 26/2, tại Hà Nội, Thủ tướng Nguyễn Xuân Phúc chủ trì hội nghị Chính phủ với doanh nghiệp. "
             "Thủ tướng nhấn mạnh Chính phủ sẽ tháo gỡ mọi rào cản cho doanh nghiệp.")
MEETING_B = ("Doanh nghiệp kiến nghị tại hội nghị với Thủ tướng\n\n"
             "Chiều 26/2, Thủ tướng Nguyễn Xuân Phúc đã chủ trì hội nghị gặp gỡ cộng đồng doanh nghiệp tại Hà Nội. "
             "Nhiều doanh nghiệp đã nêu kiến nghị về thủ tục thuế.")
YEARLY_2016 = ("Tổng kết năm 2016\n\nNgày 20/1/2016, Bộ trưởng Bộ Y tế Nguyễn Thị Kim Tiến chủ trì "
               "hội nghị tổng kết công tác y tế tại Hà Nội.")
YEARLY_2017 = ("Tổng kết năm 2017\n\nNgày 20/1/2017, Bộ trưởng Bộ Y tế Nguyễn Thị Kim Tiến chủ trì "
               "hội nghị tổng kết công tác y tế tại Hà Nội.")
YEARLY_OTHER_DAY = ("Tổng kết ngành y tế\n\nSáng 18/1, Bộ trưởng Bộ Y tế Nguyễn Thị Kim Tiến chủ trì "
                    "hội nghị tổng kết công tác y tế tại Hà Nội.")
YEARLY_SAME_DAY = ("Hội nghị tổng kết ngành y tế\n\nSáng 20/1, Bộ trưởng Bộ Y tế Nguyễn Thị Kim Tiến chủ trì "
                   "hội nghị tổng kết công tác y tế tại Hà Nội.")


def build(tmp_path, texts):
    inbox = tmp_path / "inbox"
    inbox.mkdir(exist_ok=True)
    for n, text in enumerate(texts):
        (inbox / f"{n:02d}.txt").write_text(text, encoding="utf-8")
    raw, rejections = read_inbox(inbox)
    articles = normalize_articles(raw)
    return build_warehouse(articles, extract_articles(articles), rejections, INGESTED)


def test_same_full_name_in_two_articles_is_one_person(tmp_path):
    w = build(tmp_path, [MEETING_A, MEETING_B])
    people = w["dim_person"]
    assert people["canonical_name"].to_list() == ["Nguyễn Xuân Phúc"]
    person_id = people["person_id"][0]
    mentioned = w["fact_mention"].filter(w["fact_mention"]["entity_kind"] == "person")
    assert set(mentioned["entity_id"].to_list()) == {person_id}
    assert mentioned["article_id"].n_unique() == 2


def test_same_meeting_in_two_articles_is_one_event(tmp_path):
    w = build(tmp_path, [MEETING_A, MEETING_B])
    events = w["fact_event"]
    assert events.height == 1
    row = events.row(0, named=True)
    assert row["article_count"] == 2
    assert row["event_type"] == "conference"
    assert (row["date_text"], row["date_precision"], row["event_date"]) == ("Chiều 26/2", "month_day", None)
    assert row["chair_person_id"] == w["dim_person"]["person_id"][0]
    assert w["bridge_event_article"].height == 2


def test_yearly_meetings_on_the_same_day_of_different_years_stay_apart(tmp_path):
    w = build(tmp_path, [YEARLY_2016, YEARLY_2017])
    events = w["fact_event"].sort("event_date")
    assert events["event_date"].to_list() == [dt.date(2016, 1, 20), dt.date(2017, 1, 20)]
    assert events["article_count"].to_list() == [1, 1]
    assert events["event_id"].n_unique() == 2


def test_yearly_meetings_on_different_days_stay_apart(tmp_path):
    w = build(tmp_path, [YEARLY_OTHER_DAY, YEARLY_SAME_DAY])
    events = w["fact_event"].sort("date_text")
    assert events["date_text"].to_list() == ["Sáng 18/1", "Sáng 20/1"]
    assert events["article_count"].to_list() == [1, 1]


def test_ids_are_identical_across_runs(tmp_path):
    texts = [MEETING_A, MEETING_B, YEARLY_2016, YEARLY_2017]
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = build(tmp_path / "one", texts)
    second = build(tmp_path / "two", texts)
    assert first.keys() == second.keys()
    for name in first:
        assert first[name].equals(second[name]), name
    assert first["fact_event"]["event_id"].to_list() == second["fact_event"]["event_id"].to_list()
    assert first["dim_person"]["person_id"].to_list() == second["dim_person"]["person_id"].to_list()
    assert all(pid.startswith("per_") for pid in first["dim_person"]["person_id"].to_list())


def test_person_titles_link_to_the_shared_person(tmp_path):
    w = build(tmp_path, [YEARLY_2016, YEARLY_2017])
    (person_id,) = w["dim_person"]["person_id"].to_list()
    titles = w["fact_person_title"]
    assert titles["person_id"].to_list() == [person_id, person_id]
    assert titles["title"].to_list() == ["Bộ trưởng Bộ Y tế", "Bộ trưởng Bộ Y tế"]
