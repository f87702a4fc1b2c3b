"""Asset checks: keys, foreign keys, offsets and NFC text of the built warehouse.

Each warehouse check is one SQL query returning the offending rows (none = pass),
run read-only against the DuckDB file just written. They are declared as data so
adding one is one line, and run in a single step over one connection.

The checks on text and offsets (NFC bodies, spans inside the body) read every body, which
costs most of the step on a large warehouse. After a refresh that patched the previous
file (``WarehouseResource.refresh``), they look only at the articles the patch wrote
(``staging.write_scope``) -- but only when the file it patched had passed every check
(``staging.write_info.verified_parent``, from the mark :func:`mark_verified` leaves beside
the file): every other article's text and facts are that file's, unchanged. Keys and
foreign keys are always checked over whole tables (a patch can break a reference from a row
it did not write).
"""

import unicodedata
from dataclasses import dataclass

import dagster as dg
import polars as pl

from pipelines.assets.meta import markdown_preview
from pipelines.resources import WarehouseResource, file_stamp, generation, mark_verified, unmark_verified
from pipelines.schemas import query_frame


@dataclass(frozen=True)
class SqlCheck:
    asset: str
    name: str
    description: str
    bad_rows: str  # SELECT returning the rows that violate the rule
    # bad_rows reads {t} (its table) and {b} (article_text), or tests {in_scope}: scopable to some articles
    per_article: bool = False

    def sql(self, scoped: bool) -> str:
        if not self.per_article:
            return self.bad_rows
        in_scope = "article_id IN (SELECT article_id FROM staging.write_scope)" if scoped else "true"
        scope = f" WHERE {in_scope}" if scoped else ""
        return self.bad_rows.format(t=f"(SELECT * FROM {self.asset}{scope})",
                                    b=f"(SELECT * FROM article_text{scope})", in_scope=in_scope)


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

# Offsets are 0-based, end-exclusive code points into article_text.body. {{t}}/{{b}}: the
# fact table and article_text, or only their rows of the articles a patch wrote.
_SPAN_INSIDE = """
SELECT t.* EXCLUDE ({drop}), length(b.body) AS body_length FROM {{t}} t
LEFT JOIN {{b}} b USING (article_id)
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
             _SPAN_INSIDE.format(drop="sentence_idx")
             + " OR substring(b.body, t.char_start + 1, t.char_end - t.char_start) IS DISTINCT FROM t.surface",
             per_article=True),
    SqlCheck("fact_quote", "offsets_inside_body", "0 <= char_start < char_end <= length(body) for every quote.",
             _SPAN_INSIDE.format(drop="sentence_idx, cue_verb"), per_article=True),
    SqlCheck("article_text", "body_is_nfc", "Every body is in Unicode NFC (offsets assume it).",
             # CASE: DuckDB would normalize every body before filtering on the scope.
             "SELECT article_id, length(body) AS body_length FROM article_text "
             "WHERE CASE WHEN {in_scope} THEN body <> nfc_normalize(body) ELSE false END",
             per_article=True),
]


@dg.multi_asset_check(
    specs=[dg.AssetCheckSpec(c.name, asset=c.asset, description=c.description) for c in WAREHOUSE_CHECKS],
    can_subset=True,
    description="Keys, foreign keys, offsets and NFC of the DuckDB warehouse, read-only after the build.",
)
def warehouse_integrity(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    selected = context.selected_asset_check_keys
    stamp = file_stamp(warehouse.target) if warehouse.target.is_file() else None
    all_passed = True
    with warehouse.read_only() as con:
        generation_id, whole, verified_parent = generation(con)
        scoped = not whole and verified_parent
        scope_size = con.execute("SELECT count(*) FROM staging.write_scope").fetchone()[0] if scoped else None
        for check in WAREHOUSE_CHECKS:
            key = dg.AssetCheckKey(dg.AssetKey(check.asset), check.name)
            if key not in selected:
                continue
            bad_rows = check.sql(scoped)
            n_bad = con.execute(f"SELECT count(*) FROM ({bad_rows})").fetchone()[0]
            all_passed &= n_bad == 0
            metadata: dict[str, object] = {"failing_rows": n_bad}
            if check.per_article:
                metadata["checked"] = (f"the {scope_size} articles this refresh wrote (the rest passed before, "
                                       "unchanged)" if scoped else "all articles")
            if n_bad:
                sample = query_frame(con, f"SELECT * FROM ({bad_rows}) LIMIT 5")
                metadata["sample"] = dg.MetadataValue.md(markdown_preview(sample))
            yield dg.AssetCheckResult(asset_key=check.asset, check_name=check.name, passed=n_bad == 0,
                                      metadata=metadata)
    every_check = all(dg.AssetCheckKey(dg.AssetKey(c.asset), c.name) in selected for c in WAREHOUSE_CHECKS)
    if all_passed and every_check and stamp is not None:
        mark_verified(warehouse.target, generation_id, stamp)  # the next patch's checks may be scoped
    elif not all_passed:
        unmark_verified(warehouse.target)


@dg.asset_check(asset="articles", description="Every normalized body is in Unicode NFC (offsets assume it).")
def articles_body_is_nfc(articles: pl.DataFrame) -> dg.AssetCheckResult:
    bad = articles.filter(~pl.col("body").map_elements(lambda b: unicodedata.is_normalized("NFC", b),
                                                       return_dtype=pl.Boolean))
    return dg.AssetCheckResult(passed=bad.height == 0, metadata={
        "failing_rows": bad.height, "failing_articles": ", ".join(bad["article_id"].head(10).to_list())})


ALL_CHECKS = [warehouse_integrity, articles_body_is_nfc]
