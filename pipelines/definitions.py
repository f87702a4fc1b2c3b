"""The Dagster code location: assets, checks, resources, the refresh job, sensor and schedule."""

import dagster as dg

from pipelines.assets import ALL_ASSETS
from pipelines.automation import daily_refresh, inbox_sensor, refresh_job
from pipelines.checks import ALL_CHECKS
from pipelines.resources import default_resources

defs = dg.Definitions(
    assets=ALL_ASSETS,
    asset_checks=ALL_CHECKS,
    resources=default_resources(),
    jobs=[refresh_job],
    schedules=[daily_refresh],
    sensors=[inbox_sensor],
)
