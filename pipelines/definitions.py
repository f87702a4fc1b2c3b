"""The Dagster code location: assets, checks, resources, the refresh jobs, sensor and schedule."""

import dagster as dg

from pipelines.assets import ALL_ASSETS
from pipelines.automation import daily_refresh, inbox_sensor, refresh_job
from pipelines.checks import ALL_CHECKS
from pipelines.resources import default_resources
from pipelines.scale_out import refresh_on_dask_job

defs = dg.Definitions(
    assets=ALL_ASSETS,
    asset_checks=ALL_CHECKS,
    resources=default_resources(),
    jobs=[refresh_job, refresh_on_dask_job],
    schedules=[daily_refresh],
    sensors=[inbox_sensor],
)
