"""Refreshes that happen on their own: a sensor on the inbox and a daily schedule.

Both launch ``refresh_warehouse``, which materializes every asset for the ingest days
(``pipelines.partitions``) of the files new or changed since the warehouse's last
refresh, with ``new_files_only``: the run reads only those files
(``pipelines.resolve.refresh``), so a tick that finds nothing new costs a listing of
the inbox, and a run costs what the new files cost.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

import dagster as dg
import polars as pl

from pipelines.assets.ingest import refresh_run_config
from pipelines.partitions import TIMEZONE, days_of, range_tags
from pipelines.resolve.refresh import files_to_read
from pipelines.resources import InboxResource, WarehouseResource
from pipelines.text.ingest import list_inputs

DEFAULT_CRON = "0 6 * * *"  # 06:00 every day, Hanoi time
SENSOR_INTERVAL_SECONDS = 20  # new files start a run within 30 s of landing in the inbox
# Sensor and schedule start enabled; NEWS_AUTOMATION=off starts them stopped (tests, or a
# deployment that wants refreshes by hand only). Either can be toggled in the UI.
AUTOMATION_ON = os.environ.get("NEWS_AUTOMATION", "on").lower() != "off"
ACTIVE = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
          dg.DagsterRunStatus.STARTED]

refresh_job = dg.define_asset_job(
    "refresh_warehouse",
    selection=dg.AssetSelection.all(),
    description="Refresh the warehouse: read new and changed inbox files, extract them, merge them into the "
                "warehouse and resolve people and events again. Launched by the inbox sensor and the daily schedule.",
)


@dataclass(frozen=True)
class PendingChanges:
    """What a refresh would read now: the inbox listing, the files new or changed since the
    warehouse's last refresh, and their ingest days (the run's partitions)."""

    listing: pl.DataFrame
    read: set[str]
    days: list[str]


def pending_changes(inbox: InboxResource, warehouse: WarehouseResource) -> PendingChanges:
    """List the inbox against the warehouse's last listing (the sensor, the schedule and the CLI)."""
    known = warehouse.previous_listing()
    listing = list_inputs(inbox.directory(), known=known)
    read = files_to_read(listing, known)
    return PendingChanges(listing, read, days_of(listing, read))


def batch_run_key(listing, read: set[str]) -> str:
    """A run key from the contents to read: the same files with the same bytes never trigger twice."""
    batch = sorted((n, h) for n, h in listing.select("input_name", "raw_sha256").iter_rows() if n in read)
    return "inbox-" + hashlib.sha256(json.dumps(batch).encode()).hexdigest()[:16]


@dg.sensor(
    job=refresh_job,
    minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING if AUTOMATION_ON else dg.DefaultSensorStatus.STOPPED,
    description="Watches the inbox. New or changed files start one refresh run; while a refresh is queued or "
                "running, later files wait for the next tick, so a burst of files gives a few runs, not one each.",
)
def inbox_sensor(context: dg.SensorEvaluationContext, inbox: InboxResource, warehouse: WarehouseResource):
    pending = pending_changes(inbox, warehouse)
    listing, read, days = pending.listing, pending.read, pending.days
    if not read:
        return dg.SkipReason(f"inbox unchanged since the last refresh ({listing.height} files)")
    active = context.instance.get_run_records(dg.RunsFilter(job_name=refresh_job.name, statuses=ACTIVE), limit=1)
    if active:
        return dg.SkipReason(f"{len(read)} new or changed files wait for the refresh already queued or running")
    run_key = batch_run_key(listing, read)
    context.update_cursor(json.dumps({"run_key": run_key, "files": len(read), "inbox_files": listing.height,
                                      "days": days}))
    return dg.RunRequest(run_key=run_key, run_config=refresh_run_config(),
                         tags={**range_tags(days), "news/trigger": "inbox_sensor", "news/files": str(len(read))})


@dg.schedule(
    name="daily_refresh",
    job=refresh_job,
    cron_schedule=os.environ.get("NEWS_REFRESH_CRON", DEFAULT_CRON),
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.RUNNING if AUTOMATION_ON else dg.DefaultScheduleStatus.STOPPED,
    description="Refreshes the warehouse every day (06:00 Asia/Ho_Chi_Minh unless NEWS_REFRESH_CRON says "
                "otherwise); the run processes only what changed since the last refresh (today's partition "
                "when nothing did, which still records files gone from the inbox).",
)
def daily_refresh(context: dg.ScheduleEvaluationContext, inbox: InboxResource, warehouse: WarehouseResource):
    pending = pending_changes(inbox, warehouse)
    return dg.RunRequest(run_config=refresh_run_config(), tags={
        **range_tags(pending.days, now=context.scheduled_execution_time), "news/trigger": "daily_refresh",
        "news/files": str(len(pending.read))})
