"""Thin Dagster assets: read inputs, call the pure library, return frames with metadata.

Data flows one way: inbox -> ingest -> normalize -> extract -> warehouse -> report.
"""

from pipelines.assets.extract import extraction
from pipelines.assets.ingest import ingest_inbox
from pipelines.assets.normalize import articles
from pipelines.assets.report import warehouse_report
from pipelines.assets.warehouse import warehouse_tables

ALL_ASSETS = [ingest_inbox, articles, extraction, warehouse_tables, warehouse_report]
