"""Work is partitioned by ingest day: the day (Asia/Ho_Chi_Minh) an inbox file last changed.

Every asset from ingest to the warehouse shares ``ingest_days``, so a user can re-run one
day, or a range of days, from the UI (asset page -> Materialize -> pick partitions); the
range runs as a single run (``BackfillPolicy.single_run``), which is what keeps one writer
and one re-resolution per backfill. A run's files are those whose modification day falls
in its partitions; a file changed today moves to today's partition, as its new version is
today's news. Files older than ``FIRST_DAY`` belong to the first partition, files dated
in the future (a wrong clock) to today's.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Collection
from zoneinfo import ZoneInfo

import dagster as dg
import polars as pl

TIMEZONE = "Asia/Ho_Chi_Minh"
FIRST_DAY = "2025-01-01"

# BackfillPolicy is marked beta in 1.13; single-run backfills are what we rely on, so say it once here.
warnings.filterwarnings("ignore", message=".*backfill_policy.*", category=dg.BetaWarning)

ingest_days = dg.DailyPartitionsDefinition(start_date=FIRST_DAY, timezone=TIMEZONE, end_offset=1)
single_run = dg.BackfillPolicy.single_run()
PARTITIONED = {"partitions_def": ingest_days, "backfill_policy": single_run}

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def today(now: dt.datetime | None = None) -> str:
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(ZoneInfo(TIMEZONE)).date().isoformat()


def ingest_day(mtime_ns: pl.Expr, now: dt.datetime | None = None) -> pl.Expr:
    """The partition key (``YYYY-MM-DD``) of files with these modification times."""
    local = pl.from_epoch(mtime_ns, time_unit="ns").dt.replace_time_zone("UTC").dt.convert_time_zone(TIMEZONE)
    day = local.dt.strftime("%Y-%m-%d")
    return pl.min_horizontal(pl.max_horizontal(day, pl.lit(FIRST_DAY)), pl.lit(today(now)))


def with_days(listing: pl.DataFrame, now: dt.datetime | None = None) -> pl.DataFrame:
    """The inbox listing with each file's ``ingest_day``."""
    return listing.with_columns(ingest_day(pl.col("mtime_ns"), now).alias("ingest_day"))


def days_of(listing: pl.DataFrame, names: Collection[str], now: dt.datetime | None = None) -> list[str]:
    """The sorted ingest days of these files."""
    days = with_days(listing.filter(pl.col("input_name").is_in(list(names))), now)["ingest_day"]
    return sorted(set(days.to_list()))


def range_tags(days: list[str], now: dt.datetime | None = None) -> dict[str, str]:
    """Run tags selecting the partitions from the first to the last of ``days`` (today when none)."""
    first, last = (days[0], days[-1]) if days else (today(now), today(now))
    return {RANGE_START_TAG: first, RANGE_END_TAG: last}
