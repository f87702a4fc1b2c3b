"""The warehouse writer: atomic swap, crash safety, reader safety, stable timestamps."""

import datetime as dt
import os

import dagster as dg
import duckdb
import polars as pl
import pytest

import pipelines.resources as resources
from pipelines.resources import WarehouseResource, read_only_connection
from pipelines.schemas import WAREHOUSE_TABLES, empty

T1 = dt.datetime(2024, 1, 1, 8, 0)
T2 = dt.datetime(2024, 6, 1, 9, 30)


def tables(article_ids: list[str], at: dt.datetime) -> dict[str, pl.DataFrame]:
    """Minimal warehouse frames: one dim_article/article_text row per id, one rejection."""
    out = {name: empty(schema) for name, schema in WAREHOUSE_TABLES.items()}
    n = len(article_ids)
    out["dim_article"] = pl.DataFrame({
        "article_id": article_ids, "file_name": [f"{a}.txt" for a in article_ids], "source_name": [None] * n,
        "title": [None] * n, "published_date": [None] * n, "url": [None] * n, "content_sha256": article_ids,
        "char_count": [3] * n, "sentence_count": [1] * n, "ingested_at": [at] * n,
        "is_current": [True] * n, "superseded_by": [None] * n, "in_inbox": [True] * n,
    }, schema=WAREHOUSE_TABLES["dim_article"])
    out["article_text"] = pl.DataFrame({"article_id": article_ids, "body": ["abc"] * n},
                                       schema=WAREHOUSE_TABLES["article_text"])
    out["ingest_rejection"] = pl.DataFrame({
        "file_name": ["empty.txt"], "content_sha256": [None], "reason": ["empty"], "detail": ["empty file"],
        "duplicate_of": [None], "rejected_at": [at]}, schema=WAREHOUSE_TABLES["ingest_rejection"])
    return out


def article_ids(path) -> list[str]:
    with read_only_connection(path) as con:
        return [r[0] for r in con.execute("SELECT article_id FROM dim_article ORDER BY 1").fetchall()]


def test_crash_mid_write_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "news.duckdb"
    wh = WarehouseResource(path=str(target))
    wh.write(tables(["a1"], T1))
    before = target.read_bytes()

    def boom(con, frames):
        raise RuntimeError("simulated crash after schema creation")

    monkeypatch.setattr(resources, "_insert_tables", boom)
    with pytest.raises(RuntimeError, match="simulated crash"):
        wh.write(tables(["a1", "a2"], T2))
    assert target.read_bytes() == before
    assert article_ids(target) == ["a1"]
    assert sorted(os.listdir(tmp_path)) == ["news.duckdb"]  # no temporary file left behind


def test_reader_keeps_reading_old_file_across_rebuild(tmp_path):
    target = tmp_path / "news.duckdb"
    wh = WarehouseResource(path=str(target))
    wh.write(tables(["a1"], T1))
    reader = duckdb.connect(str(target), read_only=True)
    try:
        wh.write(tables(["a1", "a2"], T2))
        assert reader.execute("SELECT count(*) FROM dim_article").fetchone()[0] == 1
        assert reader.execute("SELECT count(*) FROM v_quotes").fetchone()[0] == 0
    finally:
        reader.close()
    assert article_ids(target) == ["a1", "a2"]


def test_first_seen_timestamps_survive_rebuild(tmp_path):
    target = tmp_path / "news.duckdb"
    wh = WarehouseResource(path=str(target))
    wh.write(tables(["a1"], T1))
    written = wh.write(tables(["a1", "a2"], T2))
    with read_only_connection(target) as con:
        stamps = dict(con.execute("SELECT article_id, ingested_at FROM dim_article").fetchall())
        rejected = con.execute("SELECT rejected_at FROM ingest_rejection").fetchall()
    assert stamps == {"a1": T1, "a2": T2}
    assert rejected == [(T1,)]  # matched on file_name + NULL sha256
    assert dict(written["dim_article"].select("article_id", "ingested_at").iter_rows()) == stamps


def test_missing_directory_is_a_plain_failure(tmp_path):
    missing = tmp_path / "no-such-dir"
    with pytest.raises(dg.Failure) as info:
        WarehouseResource(path=str(missing / "news.duckdb")).write(tables(["a1"], T1))
    assert str(missing) in info.value.description


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory_is_a_plain_failure(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        with pytest.raises(dg.Failure) as info:
            WarehouseResource(path=str(locked / "news.duckdb")).write(tables(["a1"], T1))
        assert str(locked) in info.value.description
    finally:
        locked.chmod(0o755)


# --- the patch path: a small refresh applied to a copy of the file ----------------------------

def batch(inbox, previous=None):
    """What a refresh of ``inbox`` reads, as the ingest and extract assets give it."""
    from pipelines.extract import extract_articles
    from pipelines.resolve.refresh import files_to_read
    from pipelines.text.ingest import list_inputs, read_inbox
    from pipelines.text.normalize import normalize_articles

    listing = list_inputs(inbox, known=previous)
    read = files_to_read(listing, previous if previous is not None else listing.clear())
    raw, rejections = read_inbox(inbox, only=read)
    articles = normalize_articles(raw)
    return articles, extract_articles(articles), rejections, listing, read


def seeds_inbox(tmp_path):
    from tests.integration.conftest import make_inbox
    return make_inbox(tmp_path)


def test_a_small_refresh_patches_a_copy_and_a_crash_keeps_the_old_file(tmp_path, monkeypatch):
    import pipelines.resolve.incremental as incremental

    inbox = seeds_inbox(tmp_path)
    target = tmp_path / "wh" / "news.duckdb"
    target.parent.mkdir()
    wh = WarehouseResource(path=str(target))
    assert wh.refresh(*batch(inbox), T1).mode == "full"
    (inbox / "extra.txt").write_text("Chiều 7/2, tại Hà Nội, Bộ trưởng Bộ Y tế Nguyễn Thị Kim Tiến đã thăm Bệnh viện "
                                     "Bạch Mai và đề nghị bệnh viện giảm tải.", encoding="utf-8")
    before = target.read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("simulated crash while patching")

    monkeypatch.setattr(incremental, "_patch", boom)
    with pytest.raises(RuntimeError, match="simulated crash"):
        wh.refresh(*batch(inbox, wh.previous_listing()), T2)
    assert target.read_bytes() == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["news.duckdb"]
    monkeypatch.undo()

    reader = duckdb.connect(str(target), read_only=True)  # an analyst: never makes the patch fail
    try:
        done = wh.refresh(*batch(inbox, wh.previous_listing()), T2)
        assert done.mode == "patch" and done.stats["articles_new"] == 1
        assert reader.execute("SELECT count(*) FROM dim_article").fetchone()[0] == 2
    finally:
        reader.close()
    with read_only_connection(target) as con:
        assert con.execute("SELECT count(*) FROM dim_article").fetchone()[0] == 3
        assert con.execute("SELECT ingested_at FROM dim_article WHERE file_name = 'extra.txt'").fetchone()[0] == T2
        assert con.execute("SELECT count(*) FROM staging.write_scope").fetchone()[0] >= 1
    assert done.counts["dim_article"] == 3
