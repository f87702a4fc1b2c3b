"""Ingest-day partitions: which day a file belongs to, which files a run of some days reads,
and what the warehouse records of the inbox after such a run."""

import datetime as dt

import polars as pl

from pipelines.assets.ingest import files_in_days, listing_to_record
from pipelines.partitions import FIRST_DAY, days_of, range_tags, with_days
from pipelines.text.ingest import INPUT_LISTING

NOW = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.timezone.utc)  # 03:00 on the 24th in Hanoi


def _ns(iso: str) -> int:
    return int(dt.datetime.fromisoformat(iso).timestamp() * 1e9)


def listing(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    """(name, modification time, hash) rows as an inbox listing."""
    return pl.DataFrame([{"input_name": n, "stem": n.rsplit(".", 1)[0], "size": 10, "mtime_ns": _ns(t),
                          "raw_sha256": h} for n, t, h in rows], schema=INPUT_LISTING)


def test_ingest_day_is_the_hanoi_date_clamped_to_the_partitions():
    frame = with_days(listing([
        ("a.txt", "2026-11-20T23:30:00+00:00", "1"),  # 06:30 on the 21st in Hanoi
        ("b.txt", "2026-11-20T16:59:00+00:00", "2"),  # 23:59 on the 20th in Hanoi
        ("old.txt", "2017-05-01T08:00:00+00:00", "3"),  # before the first partition
        ("future.txt", "2030-01-01T00:00:00+00:00", "4"),  # a wrong clock
    ]), now=NOW)
    assert dict(frame.select("input_name", "ingest_day").iter_rows()) == {
        "a.txt": "2026-11-21", "b.txt": "2026-11-20", "old.txt": FIRST_DAY, "future.txt": "2026-11-24"}


def test_a_text_file_and_its_sidecar_go_together_on_the_later_day():
    inbox = listing([("x.txt", "2026-11-10T05:00:00+00:00", "1"), ("x.json", "2026-11-12T05:00:00+00:00", "2"),
                     ("y.txt", "2026-11-10T05:00:00+00:00", "3")])
    assert files_in_days(inbox, {"2026-11-12"}) == {"x.txt", "x.json"}
    assert files_in_days(inbox, {"2026-11-10"}) == {"y.txt"}


def test_range_tags_span_the_days_or_today():
    inbox = listing([("a.txt", "2026-11-02T05:00:00+00:00", "1"), ("b.txt", "2026-11-05T05:00:00+00:00", "2"),
                     ("c.txt", "2026-11-09T05:00:00+00:00", "3")])
    days = days_of(inbox, {"a.txt", "b.txt"})
    assert days == ["2026-11-02", "2026-11-05"]
    assert range_tags(days) == {"dagster/asset_partition_range_start": "2026-11-02",
                                "dagster/asset_partition_range_end": "2026-11-05"}
    assert set(range_tags([], now=NOW).values()) == {"2026-11-24"}


def test_recorded_listing_keeps_unread_new_files_new_and_drops_gone_ones():
    previous = listing([("kept.txt", "2026-11-01T05:00:00+00:00", "k"), ("gone.txt", "2026-11-01T05:00:00+00:00", "g"),
                        ("changed.txt", "2026-11-01T05:00:00+00:00", "old")])
    now = listing([("kept.txt", "2026-11-01T05:00:00+00:00", "k"), ("changed.txt", "2026-11-20T05:00:00+00:00", "new"),
                   ("new_today.txt", "2026-11-20T05:00:00+00:00", "n1"),
                   ("new_other_day.txt", "2026-11-18T05:00:00+00:00", "n2")])
    recorded = listing_to_record(now, previous, read={"changed.txt", "new_today.txt"})
    rows = dict(recorded.select("input_name", "raw_sha256").iter_rows())
    # Read now: recorded as they are now. Not read: as last recorded; a new file of another day
    # stays unrecorded (so it is still new for its own run); a file gone is no longer listed.
    assert rows == {"kept.txt": "k", "changed.txt": "new", "new_today.txt": "n1"}
