"""Cross-article people: one ``person_id`` per real person.

Per the annotation guide, the same full name in two articles is the same person.
A one-word name (``Trump``, ``anh Vinh``) is the full name that shortens to it
when exactly one such full name is known; otherwise it stays a person of its own
article, since two articles' "Vinh" are rarely the same man. Grouping is by
name key, so the cost is linear in the number of mentions.
"""

from __future__ import annotations

import polars as pl

from pipelines.extract.names import short_forms, to_ascii
from pipelines.resolve.ids import name_key, stable_id


def person_keys(names: pl.DataFrame) -> pl.DataFrame:
    """Map ``(article_id, name)`` pairs to ``(person_id, canonical_name)``."""
    pairs = names.select("article_id", "name").unique()
    full = sorted({n for n in pairs["name"].to_list() if len(n.split()) >= 2})
    by_short: dict[str, set[str]] = {}
    for n in full:
        for form in short_forms(n) - {n}:
            by_short.setdefault(name_key(form), set()).add(n)
    rows = []
    for article_id, name in pairs.iter_rows():
        if len(name.split()) >= 2:
            canonical, scope = name, None
        else:
            owners = by_short.get(name_key(name), set())
            canonical, scope = (next(iter(owners)), None) if len(owners) == 1 else (name, article_id)
        rows.append({"article_id": article_id, "name": name, "canonical_name": canonical,
                     "person_id": stable_id("per", name_key(canonical), scope)})
    return pl.DataFrame(rows, schema={"article_id": pl.String, "name": pl.String, "canonical_name": pl.String,
                                      "person_id": pl.String})


def dim_person(keys: pl.DataFrame, mentions: pl.DataFrame) -> pl.DataFrame:
    """One row per person, with every other way the articles name them as aliases."""
    surfaces = (
        mentions.filter(pl.col("entity_kind") == "person")
        .join(keys, on=["article_id", "name"])
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
