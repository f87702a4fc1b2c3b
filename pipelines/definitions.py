"""The Dagster code location: assets, checks and resources. Nothing else lives here."""

import dagster as dg

from pipelines.assets import ALL_ASSETS
from pipelines.checks import ALL_CHECKS
from pipelines.resources import default_resources

defs = dg.Definitions(assets=ALL_ASSETS, asset_checks=ALL_CHECKS, resources=default_resources())
