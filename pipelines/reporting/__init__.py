"""Charts and a self-contained HTML report over the warehouse (no Dagster import)."""

from pipelines.reporting.charts import Chart, build_report, load_report_data

__all__ = ["Chart", "build_report", "load_report_data"]
