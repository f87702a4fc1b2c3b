"""Report: charts of the built warehouse, as PNG files, one HTML page, and UI metadata."""

import dagster as dg

from pipelines.reporting.charts import build_report
from pipelines.resources import WarehouseResource, read_only_connection

# The tables and views the charts read (views are rebuilt with the tables).
READS = ["dim_article", "dim_person", "fact_quote", "fact_event", "bridge_event_article",
         "bridge_event_participant", "dim_location", "dim_organization"]


@dg.asset(
    group_name="report",
    kinds={"python", "html"},
    deps=READS,
    description="Charts for analysts, read from the warehouse (read-only): quotes per person, an events "
                "timeline, and a network of who appears with whom at events. Writes one PNG per chart and a "
                "self-contained report.html to reports/ beside the warehouse file; the charts show here too.",
)
def warehouse_report(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    if not warehouse.target.is_file():
        raise dg.Failure(description=f"Warehouse {warehouse.target} does not exist yet: materialize it first.")
    out_dir = warehouse.target.parent / "reports"
    with read_only_connection(warehouse.target) as con:
        charts, page = build_report(con, out_dir, warehouse=str(warehouse.target))
    context.log.info(f"report written to {page}")
    gallery = "\n\n".join(f"### {c.title}\n\n{c.caption}\n\n![{c.title}]({c.data_uri()})\n\n`{c.path}`"
                          for c in charts)
    return dg.MaterializeResult(metadata={
        "charts": dg.MetadataValue.md(gallery),
        "report": dg.MetadataValue.path(str(page)),
        **{f"{c.name}_png": dg.MetadataValue.path(str(c.path)) for c in charts},
    })
