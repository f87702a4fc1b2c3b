"""The analyst's side: ready SQL queries, the chart report, the documented catalog, progress logs."""

import re
from pathlib import Path

import dagster as dg
import pytest

from pipelines import catalog
from pipelines.assets.extract import progress_logger
from pipelines.definitions import defs
from pipelines.resources import read_only_connection
from pipelines.schemas import WAREHOUSE_TABLES

REPO = Path(__file__).resolve().parents[2]
QUERIES = sorted((REPO / "warehouse" / "queries").glob("*.sql"))


def _header(sql: str) -> tuple[str, list[str]]:
    question = re.search(r"^-- Question: (.+)$", sql, re.M)
    columns = re.search(r"^-- Columns: (.+)$", sql, re.M)
    assert question and columns, "each query starts with '-- Question:' and '-- Columns:' comment lines"
    return question.group(1), [c.strip() for c in columns.group(1).split(",")]


def test_a_dozen_queries():
    assert len(QUERIES) >= 12


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_query_returns_rows_with_its_columns(built, path):
    sql = path.read_text(encoding="utf-8")
    _, expected = _header(sql)
    with read_only_connection(built["warehouse"]) as con:
        cursor = con.execute(sql)  # the result of the last statement (after any SET VARIABLE)
        columns = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    assert columns == expected
    assert rows, f"{path.name} returned no rows on the seeds"


def test_report_writes_pngs_and_a_self_contained_page(built):
    reports = built["warehouse"].parent / "reports"
    pngs = {p.name: p.read_bytes() for p in reports.glob("*.png")}
    assert set(pngs) == {"quotes_per_person.png", "events_timeline.png", "people_network.png"}
    assert all(data.startswith(b"\x89PNG") and len(data) > 5000 for data in pngs.values())
    page = (reports / "report.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 3
    assert not re.search(r'(src|href)="(https?:)?//', page), "the page loads nothing from outside"
    [event] = [e for e in built["result"].get_asset_materialization_events()
               if e.asset_key == dg.AssetKey("warehouse_report")]
    metadata = event.materialization.metadata
    assert metadata["charts"].value.count("](data:image/png;base64,") == 3
    assert metadata["report"].value == str(reports / "report.html")


def test_every_warehouse_column_is_described():
    for table, schema in WAREHOUSE_TABLES.items():
        for column in schema:
            assert catalog.COLUMN_DESCRIPTIONS[table].get(column), f"{table}.{column} has no description"


def test_column_descriptions_in_the_duckdb_file(built):
    with read_only_connection(built["warehouse"]) as con:
        missing = con.execute("SELECT table_name, column_name FROM duckdb_columns() "
                              "WHERE schema_name = 'main' AND NOT internal AND comment IS NULL "
                              "AND table_name NOT LIKE 'v\\_%' ESCAPE '\\'").fetchall()
    assert missing == []


def test_every_asset_has_a_description_and_tables_a_documented_schema():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description, f"asset {key.to_user_string()} has no description"
    for table in WAREHOUSE_TABLES:
        schema = graph.get(dg.AssetKey(table)).metadata["dagster/column_schema"]
        assert [c.name for c in schema.columns] == list(WAREHOUSE_TABLES[table])
        assert all(c.description for c in schema.columns)
    groups = {graph.get(k).group_name for k in graph.get_all_asset_keys()}
    assert groups == {"ingest", "normalize", "extract", "warehouse", "report"}


def test_materializations_carry_the_documented_schema(built):
    events = {e.asset_key.to_user_string(): e for e in built["result"].get_asset_materialization_events()}
    schema = events["fact_quote"].materialization.metadata["dagster/column_schema"].value
    described = {c.name: c.description for c in schema.columns}
    assert described["quote_kind"].startswith("direct")


def test_progress_logger_reports_done_total_and_rate():
    lines, ticks = [], iter([0.0, 2.0, 4.0])
    progress = progress_logger(lines.append, clock=lambda: next(ticks))
    progress(500, 1000)
    progress(1000, 1000)
    assert lines[0].startswith("extracted 500/1000 articles (50%), 250.0 articles/s")
    assert lines[1].startswith("extracted 1000/1000 articles (100%), 250.0 articles/s")
