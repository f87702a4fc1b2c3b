"""Materialization metadata for Polars frames: row count, column schema, a markdown preview.

Rendered by hand so the project needs neither pandas nor tabulate.
"""

from __future__ import annotations

import dagster as dg
import polars as pl

from pipelines import catalog

MAX_CELL = 60


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    text = text.replace("\n", " ").replace("|", "\\|")
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def markdown_preview(df: pl.DataFrame, n: int = 5) -> str:
    """The first ``n`` rows as a markdown table (long cells cut, pipes escaped)."""
    if not df.columns:
        return "_no columns_"
    lines = ["| " + " | ".join(df.columns) + " |", "|" + "---|" * len(df.columns)]
    for row in df.head(n).iter_rows():
        lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    if df.height == 0:
        lines.append("| " + " | ".join("" for _ in df.columns) + " |")
    return "\n".join(lines)


def column_schema(df: pl.DataFrame) -> dg.TableSchema:
    return dg.TableSchema(columns=[dg.TableColumn(name, str(dtype)) for name, dtype in df.schema.items()])


def warehouse_column_schema(table: str) -> dg.TableSchema:
    """A warehouse table's columns with their DuckDB types and catalog descriptions."""
    return dg.TableSchema(columns=[dg.TableColumn(name, sql_type, description=description or None)
                                   for name, sql_type, description in catalog.columns(table)])


def frame_metadata(df: pl.DataFrame, preview: pl.DataFrame | None = None,
                   schema: dg.TableSchema | None = None) -> dict[str, object]:
    """Row count, column schema and preview, under Dagster's standard keys where there is one.

    ``preview`` is what to show instead of ``df`` itself (long text cut, nested columns dropped);
    ``schema`` replaces the column schema read off ``df`` (e.g. one with descriptions).
    """
    return {
        "dagster/row_count": df.height,
        "dagster/column_schema": schema or column_schema(df),
        "preview": dg.MetadataValue.md(markdown_preview(df if preview is None else preview)),
    }
