"""Asset checks: keys, foreign keys, offsets and NFC text of the built warehouse.

Each warehouse check is one SQL query returning the offending rows (none = pass),
run read-only against the DuckDB file just written. They are declared as data so
adding one is one line, and run in a single step over one connection.
"""

import unicodedata
from dataclasses import dataclass

import dagster as dg
import polars as pl

from pipelines.assets.meta import markdown_preview
from pipelines.resources import WarehouseResource


@dataclass(frozen=True)
class SqlCheck:
    asset: str
    name: str
    description: str
    bad_rows: str  # SELECT returning the rows that violate the rule


def _unique(table: str, key: str) -> SqlCheck:
    return SqlCheck(table, f"{key}_unique", f"{table}.{key} is a primary key: not null and unique.",
                    f"SELECT {key}, count(*) AS n FROM {table} GROUP BY {key} HAVING count(*) > 1 OR {key} IS NULL")


def _fk(table: str, column: str, dim: str, dim_key: str, nullable: bool = True) -> SqlCheck:
    null_rule = "" if nullable else f" OR t.{column} IS NULL"
    return SqlCheck(table, f"{column}_resolves",
                    f"{table}.{column} refers to an existing {dim}.{dim_key}"
                    + (" (or is NULL)." if nullable else "."),
                    f"SELECT t.* FROM {table} t WHERE (t.{column} IS NOT NULL AND NOT EXISTS "
                    f"(SELECT 1 FROM {dim} d WHERE d.{dim_key} = t.{column})){null_rule}")


# An entity_id must exist in the dimension its entity_kind names.
_ENTITY_RESOLVES = """
SELECT t.* FROM {table} t
WHERE t.entity_id IS NULL
   OR t.entity_kind NOT IN ('person', 'organization', 'location')
   OR (t.entity_kind = 'person'       AND t.entity_id NOT IN (SELECT person_id FROM dim_person))
   OR (t.entity_kind = 'organization' AND t.entity_id NOT IN (SELECT org_id FROM dim_organization))
   OR (t.entity_kind = 'location'     AND t.entity_id NOT IN (SELECT location_id FROM dim_location))
"""

# Offsets are 0-based, end-exclusive code points into article_text.body.
_SPAN_INSIDE = """
SELECT t.* EXCLUDE ({drop}), length(b.body) AS body_length FROM {table} t
LEFT JOIN article_text b USING (article_id)
WHERE b.body IS NULL OR NOT (0 <= t.char_start AND t.char_start < t.char_end AND t.char_end <= length(b.body))
"""

WAREHOUSE_CHECKS: list[SqlCheck] = [
    _unique("dim_article", "article_id"),
    _unique("article_text", "article_id"),
    _unique("dim_person", "person_id"),
    _unique("dim_organization", "org_id"),
    _unique("dim_location", "location_id"),
    _unique("fact_mention", "mention_id"),
    _unique("fact_quote", "quote_id"),
    _unique("fact_event", "event_id"),
    _fk("article_text", "article_id", "dim_article", "article_id", nullable=False),
    _fk("fact_mention", "article_id", "dim_article", "article_id", nullable=False),
    SqlCheck("fact_mention", "entity_id_resolves",
             "fact_mention.entity_id exists in dim_person / dim_organization / dim_location per entity_kind.",
             _ENTITY_RESOLVES.format(table="fact_mention")),
    _fk("fact_quote", "article_id", "dim_article", "article_id", nullable=False),
    _fk("fact_quote", "speaker_person_id", "dim_person", "person_id"),
    _fk("fact_quote", "event_id", "fact_event", "event_id"),
    _fk("fact_person_title", "person_id", "dim_person", "person_id", nullable=False),
    _fk("fact_person_title", "article_id", "dim_article", "article_id", nullable=False),
    _fk("fact_person_title", "org_id", "dim_organization", "org_id"),
    _fk("fact_event", "location_id", "dim_location", "location_id"),
    _fk("fact_event", "chair_person_id", "dim_person", "person_id"),
    _fk("fact_event", "organizer_org_id", "dim_organization", "org_id"),
    _fk("bridge_event_article", "event_id", "fact_event", "event_id", nullable=False),
    _fk("bridge_event_article", "article_id", "dim_article", "article_id", nullable=False),
    _fk("bridge_event_participant", "event_id", "fact_event", "event_id", nullable=False),
    _fk("ingest_rejection", "duplicate_of", "dim_article", "article_id"),
    SqlCheck("bridge_event_participant", "entity_id_resolves",
             "bridge_event_participant.entity_id exists in the dimension its entity_kind names.",
             _ENTITY_RESOLVES.format(table="bridge_event_participant")),
    SqlCheck("fact_mention", "offsets_match_surface",
             "0 <= char_start < char_end <= length(body), and the body at those offsets is the surface.",
             _SPAN_INSIDE.format(table="fact_mention", drop="sentence_idx")
             + " OR substring(b.body, t.char_start + 1, t.char_end - t.char_start) IS DISTINCT FROM t.surface"),
    SqlCheck("fact_quote", "offsets_inside_body", "0 <= char_start < char_end <= length(body) for every quote.",
             _SPAN_INSIDE.format(table="fact_quote", drop="sentence_idx, cue_verb")),
    SqlCheck("article_text", "body_is_nfc", "Every body is in Unicode NFC (offsets assume it).",
             "SELECT article_id, length(body) AS body_length FROM article_text WHERE body <> nfc_normalize(body)"),
]


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec(c.name, asset=c.asset, description=c.description) for c in WAREHOUSE_CHECKS],
    can_subset=True,
    description="Keys, foreign keys, offsets and NFC of the DuckDB warehouse, read-only after the build.",
)
def warehouse_integrity(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    selected = context.selected_asset_check_keys
    with warehouse.read_only() as con:
        for check in WAREHOUSE_CHECKS:
            key = dg.AssetCheckKey(dg.AssetKey(check.asset), check.name)
            if key not in selected:
                continue
            n_bad = con.execute(f"SELECT count(*) FROM ({check.bad_rows})").fetchone()[0]
            metadata: dict[str, object] = {"failing_rows": n_bad}
            if n_bad:
                sample = con.execute(f"SELECT * FROM ({check.bad_rows}) LIMIT 5").pl()
                metadata["sample"] = dg.MetadataValue.md(markdown_preview(sample))
            yield dg.AssetCheckResult(asset_key=check.asset, check_name=check.name, passed=n_bad == 0,
                                      metadata=metadata)


@dg.asset_check(asset="articles", description="Every normalized body is in Unicode NFC (offsets assume it).")
def articles_body_is_nfc(articles: pl.DataFrame) -> dg.AssetCheckResult:
    bad = articles.filter(~pl.col("body").map_elements(lambda b: unicodedata.is_normalized("NFC", b),
                                                       return_dtype=pl.Boolean))
    return dg.AssetCheckResult(passed=bad.height == 0, metadata={
        "failing_rows": bad.height, "failing_articles": ", ".join(bad["article_id"].head(10).to_list())})


ALL_CHECKS = [warehouse_integrity, articles_body_is_nfc]
