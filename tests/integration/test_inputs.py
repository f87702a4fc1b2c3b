"""The whole pipeline over tests/fixtures/inputs/: every format and encoding, every rejection case."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from pipelines import cli
from pipelines.extract import extract
from pipelines.resources import InboxResource, default_resources, read_only_connection
from pipelines.text.normalize import normalize_text
from tests.fixtures.make_inputs import INPUTS, MAX_BYTES, TWINS

LOADED = {
    "good_crlf.txt", "good_feed.jsonl#1", "good_feed.jsonl#2", "good_feed.jsonl#4", "good_frontmatter.txt",
    "good_mojibake.txt", "good_nfd.txt", "good_page.html", "good_sidecar.txt", "good_tcvn3.txt",
    "good_utf16be_bom.txt", "good_utf16le_bom.txt", "good_utf8.txt", "good_utf8_bom.txt", "good_vni.txt",
    "good_windows1258.txt",
}
REJECTED = {
    "bad_archive.zip": "binary",
    "bad_document.pdf": "binary",
    "bad_empty.txt": "empty",
    "bad_english.txt": "not_vietnamese",
    "bad_image.png": "binary",
    "bad_too_large.txt": "too_large",
    "bad_undecodable.txt": "undecodable",
    "bad_whitespace.txt": "empty",
    "good_feed.jsonl#3": "malformed_jsonl",
    "zz_duplicate.txt": "duplicate",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("inputs")
    warehouse = root / "news.duckdb"
    resources = default_resources(inbox_dir=str(INPUTS), warehouse_path=str(warehouse),
                                  staging_dir=str(root / "staging"))
    resources["inbox"] = InboxResource(path=str(INPUTS), max_bytes=MAX_BYTES)
    result = cli.run(resources)
    with read_only_connection(warehouse) as con:
        tables = {t: con.execute(f"SELECT * FROM {t}").pl() for t in
                  ["dim_article", "article_text", "ingest_rejection", "fact_quote", "fact_mention", "dim_person",
                   "fact_event", "bridge_event_article"]}
    return {"result": result, "tables": tables}


def test_run_succeeds_and_checks_pass(run):
    assert run["result"].success, cli.failures(run["result"])
    assert not cli.failures(run["result"])


def test_which_files_load_and_which_are_rejected(run):
    articles = run["tables"]["dim_article"]
    rejections = run["tables"]["ingest_rejection"]
    assert set(articles["file_name"]) == LOADED
    assert dict(rejections.select("file_name", "reason").iter_rows()) == REJECTED
    assert rejections["detail"].null_count() == 0
    # Every input file is accounted for (the sidecar belongs to good_sidecar.txt; twins/ is a folder).
    names = {n.split("#")[0] for n in LOADED | set(REJECTED)}
    on_disk = {p.name for p in Path(INPUTS).iterdir() if p.is_file()} - {"good_sidecar.json"}
    assert names == on_disk


def test_duplicate_names_the_kept_article(run):
    articles = run["tables"]["dim_article"]
    dup = run["tables"]["ingest_rejection"].filter(pl.col("reason") == "duplicate").row(0, named=True)
    kept = articles.filter(pl.col("file_name") == "good_utf8.txt")["article_id"][0]
    assert dup["duplicate_of"] == kept
    assert "good_utf8.txt" in dup["detail"] and kept in dup["detail"]


def test_rejection_counts_in_asset_metadata(run):
    events = [e for e in run["result"].get_asset_materialization_events()
              if e.asset_key.to_user_string() == "ingest_rejections"]
    metadata = events[0].materialization.metadata
    assert metadata["rejections_by_reason"].value == {"binary": 3, "empty": 2, "duplicate": 1, "malformed_jsonl": 1,
                                                      "not_vietnamese": 1, "too_large": 1, "undecodable": 1}
    assert metadata["rejected_binary"].value == 3 and metadata["rejected_too_short"].value == 0


def test_metadata_fills_dim_article(run):
    rows = {r["file_name"]: r for r in run["tables"]["dim_article"].iter_rows(named=True)}
    page = rows["good_page.html"]
    assert (page["title"], page["source_name"], page["published_date"], page["url"]) == (
        "Bộ trưởng Ngô Xuân Lịch tiếp Bộ trưởng Quốc phòng Ấn Độ", "Báo Quân đội nhân dân", dt.date(2017, 3, 5),
        "https://example.vn/quoc-phong/ngo-xuan-lich-tiep-bo-truong-an-do.html")
    front = rows["good_frontmatter.txt"]
    assert (front["source_name"], front["published_date"]) == ("Báo Nhân Dân", dt.date(2017, 3, 3))
    assert front["title"] == "Chủ tịch nước Trần Đại Quang tiếp Đại sứ Lào"  # the text's own title line
    side = rows["good_sidecar.txt"]
    assert (side["source_name"], side["published_date"], side["url"]) == (
        "Báo Công an nhân dân", dt.date(2017, 3, 4), "https://example.vn/an-ninh/to-lam-lam-viec-tai-da-nang.html")
    feed = rows["good_feed.jsonl#1"]
    assert (feed["title"], feed["source_name"], feed["published_date"]) == (
        "Phó Thủ tướng Vương Đình Huệ làm việc với Bộ Tài chính", "Báo Đầu tư", dt.date(2017, 3, 6))
    bare = rows["good_feed.jsonl#2"]  # a record with only a body
    assert (bare["title"], bare["source_name"], bare["published_date"], bare["url"]) == (None, None, None, None)
    assert rows["good_utf8.txt"]["source_name"] == "TTXVN"  # no metadata: the dateline


def test_html_boilerplate_is_gone(run):
    bodies = dict(run["tables"]["article_text"].join(run["tables"]["dim_article"], on="article_id")
                  .select("file_name", "body").iter_rows())
    page = bodies["good_page.html"]
    assert page.startswith("Bộ trưởng Ngô Xuân Lịch tiếp Bộ trưởng Quốc phòng Ấn Độ\n")
    for noise in ["Trang chủ", "Quảng cáo", "Tin liên quan", "Bản quyền", "Giá vàng"]:
        assert noise not in page


def test_metadata_gives_events_their_year(run):
    t = run["tables"]
    events = (t["fact_event"].join(t["bridge_event_article"], on="event_id")
              .join(t["dim_article"].select("article_id", "file_name"), on="article_id"))
    rows = {r["file_name"]: r for r in events.iter_rows(named=True)}
    assert (rows["good_frontmatter.txt"]["event_date"], rows["good_frontmatter.txt"]["date_precision"]) == (
        dt.date(2017, 3, 3), "year_inferred")
    assert rows["good_feed.jsonl#1"]["event_date"] == dt.date(2017, 3, 6)
    assert (rows["good_utf8.txt"]["event_date"], rows["good_utf8.txt"]["date_precision"]) == (None, "month_day")


def _people_and_quotes(body: str) -> tuple[set, set]:
    doc = extract(body)
    return ({p for p in doc.people}, {(q.speaker_name, q.kind, q.text) for q in doc.quotes})


@pytest.mark.parametrize("name", ["good_windows1258.txt", "good_tcvn3.txt", "good_vni.txt", "good_nfd.txt",
                                  "good_mojibake.txt"])
def test_converted_texts_yield_what_their_utf8_twins_yield(run, name):
    t = run["tables"]
    body = (t["article_text"].join(t["dim_article"], on="article_id")
            .filter(pl.col("file_name") == name)["body"][0])
    twin = normalize_text((TWINS / name).read_text(encoding="utf-8"))["body"]
    assert body == twin
    people, quotes = _people_and_quotes(body)
    assert (people, quotes) == _people_and_quotes(twin)
    assert people and quotes
