"""Incremental refresh: equivalence with a build in one go, changed and deleted files,
concurrent refreshes, the inbox sensor and the daily schedule."""

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from pipelines.partitions import today
from pipelines.automation import TIMEZONE, daily_refresh, inbox_sensor
from pipelines.resources import InboxResource, WarehouseResource, read_only_connection
from pipelines.schemas import WAREHOUSE_TABLES
from tests.integration.conftest import REPO, SEEDS, materialize

# Timestamps differ between builds by design; everything else must be equal, row for row.
CLOCK_COLUMNS = {"ingested_at", "rejected_at"}

EXTRA_ARTICLES = [
    "Sáng 6/2, Chủ tịch UBND TP Đà Nẵng Huỳnh Đức Thơ chủ trì cuộc họp giao ban với các sở ngành thành phố. "
    "Ông Huỳnh Đức Thơ yêu cầu các sở khẩn trương giải ngân vốn đầu tư công ngay từ đầu năm.",
    "Tại cuộc họp giao ban sáng 6-2, Chủ tịch UBND TP Đà Nẵng Huỳnh Đức Thơ nhấn mạnh, các dự án chậm tiến độ "
    "phải được rà soát và báo cáo trước ngày 15/2.",
    "Chiều 7/2, tại Hà Nội, Bộ trưởng Bộ Y tế Nguyễn Thị Kim Tiến đã thăm Bệnh viện Bạch Mai. "
    "Bộ trưởng Nguyễn Thị Kim Tiến đề nghị bệnh viện giảm tải cho các khoa cấp cứu trong dịp lễ.",
]


def write_extras(inbox: Path, which: range) -> None:
    for i in which:
        (inbox / f"extra_{i}.txt").write_text(EXTRA_ARTICLES[i], encoding="utf-8")


def new_inbox(root: Path, name: str) -> Path:
    inbox = root / name
    inbox.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, inbox / seed.name)
    return inbox


def inbox_and_warehouse(tmp_path: Path, extras: range = range(0)) -> tuple[Path, Path]:
    """A seeds inbox (plus the chosen extra articles) and where its warehouse goes."""
    warehouse = tmp_path / "wh" / "news.duckdb"
    warehouse.parent.mkdir()
    inbox = new_inbox(tmp_path, "inbox")
    write_extras(inbox, extras)
    return inbox, warehouse


def rows(warehouse: Path) -> dict[str, list[tuple]]:
    """Every contract table, sorted, without the clock columns."""
    out = {}
    with read_only_connection(warehouse) as con:
        for table, schema in WAREHOUSE_TABLES.items():
            cols = ", ".join(f'"{c}"' for c in schema if c not in CLOCK_COLUMNS)
            out[table] = con.execute(f"SELECT {cols} FROM {table} ORDER BY ALL").fetchall()
    return out


def run(inbox: Path, warehouse: Path):
    result = materialize(inbox, warehouse)
    assert result.success
    return result


def refresh_stats(result) -> dict[str, int]:
    [mat] = [m for m in result.get_asset_materialization_events() if m.asset_key == dg.AssetKey("dim_article")]
    meta = mat.materialization.metadata
    return {k.split("/", 1)[1]: v.value for k, v in meta.items() if k.startswith("refresh/")}


def test_building_in_increments_equals_building_in_one_go(tmp_path):
    whole, parts = tmp_path / "whole" / "news.duckdb", tmp_path / "parts" / "news.duckdb"
    whole.parent.mkdir()
    parts.parent.mkdir()
    inbox_whole = new_inbox(tmp_path, "inbox_whole")
    write_extras(inbox_whole, range(3))
    run(inbox_whole, whole)

    inbox_parts = new_inbox(tmp_path, "inbox_parts")
    run(inbox_parts, parts)
    write_extras(inbox_parts, range(1))
    run(inbox_parts, parts)
    write_extras(inbox_parts, range(1, 3))
    result = run(inbox_parts, parts)

    assert refresh_stats(result)["articles_extracted"] == 2  # only the two new files were read
    assert rows(parts) == rows(whole)
    with read_only_connection(parts) as con:
        # The two reports of the Đà Nẵng meeting, arriving in different refreshes, are one event.
        assert con.execute("SELECT max(article_count) FROM fact_event").fetchone()[0] == 2


def test_a_copy_arriving_later_is_recorded_as_a_duplicate_as_in_one_go(tmp_path):
    """A new file holding the text of an article already in the warehouse is recorded as a
    duplicate of it, as a build in one go records it (not folded silently into that article)."""
    whole, parts = tmp_path / "whole" / "news.duckdb", tmp_path / "parts" / "news.duckdb"
    whole.parent.mkdir()
    parts.parent.mkdir()
    inbox_parts = new_inbox(tmp_path, "inbox_parts")
    run(inbox_parts, parts)
    first = sorted(inbox_parts.glob("*.txt"))[0]
    shutil.copy(first, inbox_parts / f"zz_copy_of_{first.name}")  # sorts after the original
    run(inbox_parts, parts)
    inbox_whole = new_inbox(tmp_path, "inbox_whole")
    shutil.copy(first, inbox_whole / f"zz_copy_of_{first.name}")
    run(inbox_whole, whole)
    assert rows(parts) == rows(whole)
    assert [r[2] for r in rows(parts)["ingest_rejection"]] == ["duplicate"]


def test_a_refresh_with_nothing_new_reads_nothing_and_changes_nothing(tmp_path):
    inbox, warehouse = inbox_and_warehouse(tmp_path)
    run(inbox, warehouse)
    before = rows(warehouse)
    result = run(inbox, warehouse)
    assert refresh_stats(result)["files_read"] == 0
    assert rows(warehouse) == before


def test_a_changed_file_is_a_new_version_and_the_old_one_stays_as_history(tmp_path):
    inbox, warehouse = inbox_and_warehouse(tmp_path, range(3))
    run(inbox, warehouse)
    with read_only_connection(warehouse) as con:
        old_id = con.execute("SELECT article_id FROM dim_article WHERE file_name = 'extra_2.txt'").fetchone()[0]

    (inbox / "extra_2.txt").write_text(EXTRA_ARTICLES[2] + " Bệnh viện cam kết thực hiện ngay.", encoding="utf-8")
    result = run(inbox, warehouse)
    assert refresh_stats(result)["files_read"] == 1

    with read_only_connection(warehouse) as con:
        versions = con.execute("SELECT article_id, is_current, superseded_by, in_inbox FROM dim_article "
                               "WHERE file_name = 'extra_2.txt' ORDER BY is_current").fetchall()
        [(old, old_current, new_id, old_in_inbox), (new, new_current, new_superseded, new_in_inbox)] = versions
        assert (old_current, old_in_inbox, new_current, new_superseded, new_in_inbox) == (False, False, True, None, True)
        assert old == old_id and new == new_id != old_id
        # The old text stays queryable; the facts follow the current version only.
        assert con.execute("SELECT count(*) FROM article_text WHERE article_id = ?", [old_id]).fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM fact_mention WHERE article_id = ?", [old_id]).fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM fact_mention WHERE article_id = ?", [new_id]).fetchone()[0] > 0


def test_a_deleted_file_keeps_its_article_out_of_the_inbox(tmp_path):
    inbox, warehouse = inbox_and_warehouse(tmp_path, range(1))
    run(inbox, warehouse)
    (inbox / "extra_0.txt").unlink()
    run(inbox, warehouse)
    with read_only_connection(warehouse) as con:
        assert con.execute("SELECT is_current, in_inbox FROM dim_article WHERE file_name = 'extra_0.txt'"
                           ).fetchall() == [(True, False)]
        assert con.execute("SELECT count(*) FROM dim_article WHERE in_inbox").fetchone()[0] == 2


def test_two_refreshes_at_once_neither_fails_nor_duplicates(tmp_path):
    inbox, warehouse = inbox_and_warehouse(tmp_path, range(3))
    env = {**os.environ, "NEWS_INBOX_DIR": str(inbox), "NEWS_WAREHOUSE_PATH": str(warehouse),
           "NEWS_STAGING_DIR": str(tmp_path / "staging")}
    procs = [subprocess.Popen([sys.executable, "-m", "pipelines.cli"], cwd=REPO, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    with read_only_connection(warehouse) as con:
        assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM dim_article").fetchone() == (5, 5)
        assert con.execute("SELECT count(*) = count(DISTINCT mention_id) FROM fact_mention").fetchone()[0]


# --- the sensor and the schedule ------------------------------------------------------------

def test_inbox_sensor_requests_one_run_per_new_content(tmp_path):
    inbox, warehouse = inbox_and_warehouse(tmp_path)
    resources = {"inbox": InboxResource(path=str(inbox)), "warehouse": WarehouseResource(path=str(warehouse))}
    instance = dg.DagsterInstance.ephemeral()

    with dg.build_sensor_context(instance=instance, resources=resources) as context:
        first = inbox_sensor(context)
    assert isinstance(first, dg.RunRequest) and first.run_key.startswith("inbox-")
    cursor = context.cursor
    assert cursor and '"files": 2' in cursor  # the cursor is what Dagster persists between ticks

    # Same files, same bytes: the same run key, which Dagster never launches twice.
    with dg.build_sensor_context(instance=instance, resources=resources, cursor=cursor) as context:
        assert inbox_sensor(context).run_key == first.run_key

    run(inbox, warehouse)  # the refresh happens
    with dg.build_sensor_context(instance=instance, resources=resources, cursor=cursor) as context:
        assert isinstance(inbox_sensor(context), dg.SkipReason)

    write_extras(inbox, range(2))  # a burst of new files: one request for all of them
    with dg.build_sensor_context(instance=instance, resources=resources, cursor=cursor) as context:
        burst = inbox_sensor(context)
    assert isinstance(burst, dg.RunRequest) and burst.run_key != first.run_key
    assert burst.tags["news/files"] == "2"
    # The run covers the new files' ingest day (today: they were just written) and reads only them.
    assert burst.tags["dagster/asset_partition_range_start"] == burst.tags["dagster/asset_partition_range_end"] == today()
    assert burst.run_config["ops"]["ingest_inbox"]["config"] == {"new_files_only": True}


def test_daily_schedule_ticks_at_six_in_hanoi(tmp_path):
    assert daily_refresh.cron_schedule == "0 6 * * *"
    assert daily_refresh.execution_timezone == TIMEZONE == "Asia/Ho_Chi_Minh"
    inbox, warehouse = inbox_and_warehouse(tmp_path)
    day = 1_763_942_400  # 2025-11-24 00:00 UTC, 07:00 in Hanoi: the files' ingest day is 2025-11-24
    for path in inbox.iterdir():
        os.utime(path, (day, day))
    resources = {"inbox": InboxResource(path=str(inbox)), "warehouse": WarehouseResource(path=str(warehouse))}
    tick = dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    with dg.build_schedule_context(scheduled_execution_time=tick, resources=resources) as context:
        [request] = daily_refresh.evaluate_tick(context).run_requests
    assert request.job_name in (None, "refresh_warehouse")
    # The run covers the ingest days of the new files and reads only new and changed files.
    assert request.tags["dagster/asset_partition_range_start"] == "2025-11-24"
    assert request.tags["dagster/asset_partition_range_end"] == "2025-11-24"
    assert request.run_config["ops"]["ingest_inbox"]["config"] == {"new_files_only": True}


@pytest.mark.parametrize("cron", ["30 5 * * 1-5"])
def test_schedule_time_is_configurable(cron):
    env = {**os.environ, "NEWS_REFRESH_CRON": cron}
    out = subprocess.run([sys.executable, "-c", "from pipelines.automation import daily_refresh as s; "
                          "print(s.cron_schedule, s.execution_timezone)"], cwd=REPO, env=env,
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == f"{cron} Asia/Ho_Chi_Minh"


# --- a refresh patches a copy of the file: the same rows as a build in one go ---------------------

def all_rows(warehouse: Path) -> dict[str, list[tuple]]:
    """Every contract table, every table of the refresh state and every derived table, sorted
    (timestamps included)."""
    from pipelines.derived_tables import TABLES as DERIVED_TABLES
    from pipelines.schemas import EXTRACTION_TABLES
    tables = [*WAREHOUSE_TABLES, *(f"staging.extract_{n}" for n in EXTRACTION_TABLES), "staging.inbox_listing",
              *DERIVED_TABLES]
    with read_only_connection(warehouse) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def test_patching_equals_building_whole_at_every_step(tmp_path, monkeypatch):
    """The same refreshes (new files joining a known event, a changed file, a deleted one, a
    change undone) once patched into a copy of the file and once rebuilt whole: equal rows."""
    import pipelines.resources as resources
    from tests.integration.test_writer import batch

    inbox = new_inbox(tmp_path, "inbox")
    whs = {mode: WarehouseResource(path=str(tmp_path / mode / "news.duckdb")) for mode in ("patch", "whole")}
    for wh in whs.values():
        wh.target.parent.mkdir()

    derived = []  # what each patch did to the derived tables

    def refresh(day: int) -> None:
        modes = {}
        known = whs["patch"].previous_listing()
        read = batch(inbox, known if known.height else None)  # both hold the same listing
        for mode, wh in whs.items():
            monkeypatch.setattr(resources, "PATCH_MIN_ARTICLES", 2_000 if mode == "patch" else -1)
            monkeypatch.setattr(resources, "PATCH_SHARE", 0.25 if mode == "patch" else 0.0)
            done = wh.refresh(*read, dt.datetime(2024, 1, day))
            modes[mode] = done.mode
            if mode == "patch" and done.mode == "patch":
                derived.append(done.derived)
        assert all_rows(whs["patch"].target) == all_rows(whs["whole"].target), f"step {day}"
        return modes

    refresh(1)
    write_extras(inbox, range(1))
    assert refresh(2)["patch"] == "patch"
    write_extras(inbox, range(1, 3))
    refresh(3)
    with read_only_connection(whs["patch"].target) as con:
        assert con.execute("SELECT max(article_count) FROM fact_event").fetchone()[0] == 2
    (inbox / "extra_2.txt").write_text(EXTRA_ARTICLES[2] + " Ông Huỳnh Đức Thơ cũng dự buổi làm việc.",
                                       encoding="utf-8")
    (inbox / "extra_0.txt").unlink()
    refresh(4)
    write_extras(inbox, range(2, 3))  # the change undone: the first version is current again
    refresh(5)
    assert refresh(6) == {"patch": "patch", "whole": "patch"}  # nothing new: nothing to rebuild
    # the derived tables were updated by delta (never rebuilt) and kept when nothing changed
    assert "updated" in derived and "rebuilt" not in derived and derived[-1] == "kept"
