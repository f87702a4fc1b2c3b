"""Cross-article people: one ``person_id`` per real person.

Per the annotation guide, the same full name in two articles is the same person.
A one-word name (``anh Vinh``) that the article never gives in full stays a
person of its own article: two articles' "Vinh" are rarely the same man.
Grouping is by name key, so the cost is linear in the number of mentions.
"""

from __future__ import annotations

import polars as pl

from pipelines.extract.names import to_ascii
from pipelines.resolve.ids import name_key, stable_id


def person_keys(names: pl.DataFrame) -> pl.DataFrame:
    """Map ``(article_id, name)`` pairs to ``(person_id, canonical_name)``.

    Full names are global; a one-word name stays a person of its own article
    (within an article, coreference has already tied it to a full name if the
    article gives one).
    """
    pairs = names.select("article_id", "name").unique().sort("article_id", "name")
    ids = [stable_id("per", name_key(name), article_id if len(name.split()) < 2 else None)
           for article_id, name in pairs.iter_rows()]
    return pairs.with_columns(pl.col("name").alias("canonical_name"), pl.Series("person_id", ids, dtype=pl.String))


def dim_person(keys: pl.DataFrame, mentions: pl.DataFrame, quotes: pl.DataFrame | None = None) -> pl.DataFrame:
    """One row per person, with every other way the articles name them as aliases
    (short forms, and titled forms such as ``Bộ trưởng Tô Lâm`` from quote speakers)."""
    named = mentions.filter(pl.col("entity_kind") == "person").select("article_id", "name", "surface")
    if quotes is not None:
        named = pl.concat([named, quotes.filter(pl.col("speaker_name").is_not_null()).select(
            "article_id", pl.col("speaker_name").alias("name"), pl.col("speaker_surface").alias("surface"))])
    surfaces = (
        named.join(keys, on=["article_id", "name"])
        .group_by("person_id")
        .agg(pl.col("surface").unique().sort().alias("surfaces"))
    )
    people = keys.group_by("person_id").agg(pl.col("canonical_name").first(), pl.col("name").unique().sort())
    people = people.join(surfaces, on="person_id", how="left")
    rows = []
    for person_id, canonical, names, surfaces in people.sort("person_id").iter_rows():
        # Bare titles and pronouns are references, not names: an alias shares a word with the name.
        words = set(canonical.split())
        aliases = sorted({a for a in {*names, *(surfaces or [])} if words & set(a.split())} - {canonical})
        rows.append({"person_id": person_id, "canonical_name": canonical, "name_ascii": to_ascii(canonical),
                     "aliases": aliases})
    return pl.DataFrame(rows, schema={"person_id": pl.String, "canonical_name": pl.String,
                                      "name_ascii": pl.String, "aliases": pl.List(pl.String)})
