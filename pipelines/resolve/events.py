"""Cross-article events: one row per real-world event, however many articles report it.

Two article events are one event when their type and day agree, their places
do not disagree, and their participants overlap (the same chair, or a shared
person). Undated events never merge: without a date, "the same meeting" cannot
be told from next year's. Candidates are blocked by (type, month, day), so
nothing compares all pairs.
"""

from __future__ import annotations

from collections import Counter

import polars as pl

from pipelines.resolve.ids import stable_id


class _UnionFind:
    def __init__(self, items):
        self.parent = {i: i for i in items}

    def find(self, i):
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _people(ev: dict) -> set[str]:
    return {p["name"] for p in ev["participants"] or [] if p["entity_kind"] == "person"} | (
        {ev["chair_name"]} if ev["chair_name"] else set())


def same_event(a: dict, b: dict) -> bool:
    if a["year"] is not None and b["year"] is not None and a["year"] != b["year"]:
        return False
    if a["location_name"] and b["location_name"] and a["location_name"] != b["location_name"]:
        return False
    if a["chair_name"] and b["chair_name"]:
        return a["chair_name"] == b["chair_name"]
    return bool(_people(a) & _people(b))


def cluster_events(events: pl.DataFrame) -> dict[str, str]:
    """Map each article event key to the key of its cluster's representative."""
    rows = {r["event_key"]: r for r in events.with_columns(pl.col("event_date").dt.year().alias("year"))
            .to_dicts()}
    uf = _UnionFind(rows)
    blocks: dict[tuple, list[str]] = {}
    for key, r in rows.items():
        if r["month"] is not None and r["day"] is not None:
            blocks.setdefault((r["event_type"], r["month"], r["day"]), []).append(key)
    for members in blocks.values():
        members.sort()
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if same_event(rows[a], rows[b]):
                    uf.union(a, b)
    return {k: uf.find(k) for k in rows}


def event_ids(events: pl.DataFrame) -> pl.DataFrame:
    """``(event_key, event_id)``: the id of a merged event derives from its earliest-keyed member."""
    clusters = cluster_events(events)
    return pl.DataFrame(
        {"event_key": list(clusters), "event_id": [stable_id("evt", rep) for rep in clusters.values()]},
        schema={"event_key": pl.String, "event_id": pl.String},
    )


def most_common(values: list) -> object:
    values = [v for v in values if v is not None]
    return Counter(values).most_common(1)[0][0] if values else None
