"""Backfills by ingest day: a run of one day reads that day's files only, refreshes pick up
the other days, and re-running a day leaves the warehouse as it was."""

import os

from pipelines.cli import run
from pipelines.resources import default_resources, read_only_connection
from pipelines.schemas import WAREHOUSE_TABLES
from tests.integration.conftest import make_inbox, snapshot

DAY_A, DAY_B = "2026-03-02", "2026-03-05"
NOON_A, NOON_B = 1_772_427_600, 1_772_686_800  # noon in Hanoi on those days


def _date(inbox, names, when):
    for name in names:
        os.utime(inbox / name, (when, when))


def _stats(result) -> dict[str, int]:
    [event] = [e for e in result.get_asset_materialization_events()
               if e.asset_key.to_user_string() == "inbox_listing"][:1]
    meta = event.step_materialization_data.materialization.metadata
    return {k: meta[k].value for k in ("files_read", "files_waiting")}


def test_a_day_at_a_time_then_the_rest_then_a_rerun(tmp_path):
    inbox = make_inbox(tmp_path)
    first, second = sorted(p.name for p in inbox.glob("*.txt") if not p.name.startswith("zz_"))
    _date(inbox, [first, "zz_empty.txt", "zz_bad_utf8.txt"], NOON_A)
    _date(inbox, [second], NOON_B)
    warehouse = tmp_path / "wh" / "news.duckdb"
    warehouse.parent.mkdir()
    resources = default_resources(inbox_dir=str(inbox), warehouse_path=str(warehouse),
                                  staging_dir=str(tmp_path / "staging"))

    # 1. Day A only: its article and its two rejections; day B's file waits.
    result = run(resources, days=[DAY_A, DAY_A])
    assert result.success
    assert _stats(result) == {"files_read": 3, "files_waiting": 1}
    partitions = {e.partition for e in result.get_asset_materialization_events()}
    assert partitions == {DAY_A, None}  # None: the report, which is not partitioned
    with read_only_connection(warehouse) as con:
        assert con.execute("SELECT file_name FROM dim_article").fetchall() == [(first,)]
        assert con.execute("SELECT count(*) FROM ingest_rejection").fetchone()[0] == 2

    # 2. A refresh finds day B's file still new, and runs day B for it.
    result = run(resources)
    assert result.success and _stats(result) == {"files_read": 1, "files_waiting": 0}
    assert {e.partition for e in result.get_asset_materialization_events()} == {DAY_B, None}
    with read_only_connection(warehouse) as con:
        assert sorted(con.execute("SELECT file_name FROM dim_article").fetchall()) == [(first,), (second,)]
    before = snapshot(warehouse, WAREHOUSE_TABLES)

    # 3. Re-running day A (as from the UI: every file of the day read again) changes nothing.
    result = run(resources, days=[DAY_A, DAY_A], new_files_only=False)
    assert result.success and _stats(result)["files_read"] == 3
    assert snapshot(warehouse, WAREHOUSE_TABLES) == before
