"""The derived tables updated by delta (pipelines.derived_tables) equal the tables built whole.

A refresh applies only what changed in the distinct quote texts; whatever it changes, the
tables must end up row for row as a build from scratch of the same quotes leaves them.
"""

import random
from pathlib import Path

import pytest

from pipelines.derived_tables import TABLES, update_derived
from tests.integration.test_view_speed_shape import BASE, _warehouse

WORDS = ("hợp tác kinh tế thương mại đầu tư quốc phòng an ninh giáo dục văn hóa du lịch "
         "nông nghiệp khoa học công nghệ biển đảo hòa bình phát triển bền vững").split()


def _quotes(seed: int, n: int) -> list[tuple[str, str, str | None, str]]:
    """``n`` quotes over 12 articles: variants of a few statements (one or two words changed,
    so that some pairs are near-identical and some are not), repeats, and short texts."""
    rng = random.Random(seed)
    stems = [BASE, " ".join(rng.sample(WORDS, 18)), " ".join(rng.sample(WORDS, 12)), "Xin cảm ơn"]
    out = []
    for i in range(n):
        words = rng.choice(stems).split()
        for _ in range(rng.choice((0, 0, 1, 2, 6))):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
        out.append((f"quo_{seed:02x}{i:04x}", f"art_{rng.randrange(12):02x}", rng.choice(("per_a", "per_b", None)),
                    " ".join(words)))
    return out


def _tables(con) -> dict[str, list[tuple]]:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def _replace_quotes(con, quotes) -> None:
    con.execute("DELETE FROM fact_quote")
    con.executemany("INSERT INTO fact_quote VALUES (?, ?, NULL, ?, NULL, ?, 'direct', 'nói', 0, 0, 10)",
                    [(qid, art, spk, text) for qid, art, spk, text in quotes])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_delta_equals_a_build_from_scratch(tmp_path: Path, seed: int):
    before = _quotes(seed, 120)
    rng = random.Random(seed)
    kept = rng.sample(before, 90)  # 30 quotes leave, 40 arrive (some of their texts already known)
    after = kept + _quotes(seed + 10, 40)
    patched = _warehouse(tmp_path / "patched.duckdb", before)
    _replace_quotes(patched, after)
    assert update_derived(patched) == "updated"
    whole = _warehouse(tmp_path / "whole.duckdb", after)
    assert _tables(patched) == _tables(whole)
    # a second delta with nothing changed changes nothing
    assert update_derived(patched) == "updated"
    assert _tables(patched) == _tables(whole)


def test_a_delta_touching_a_bucket_past_the_exact_size_rebuilds(tmp_path: Path):
    # 250 near-identical texts share buckets: past 200 texts a bucket is compared in blocks,
    # which shift as texts come and go, so the delta is not applied; the tables are rebuilt.
    crowd = [(f"quo_{i:04x}", f"art_{i:04x}", None, f"{BASE} từ{i:04d}") for i in range(250)]
    patched = _warehouse(tmp_path / "patched.duckdb", crowd)
    after = crowd[5:] + [("quo_ffff", "art_ffff", None, f"{BASE} từmới")]
    _replace_quotes(patched, after)
    assert update_derived(patched) == "rebuilt"
    assert _tables(patched) == _tables(_warehouse(tmp_path / "whole.duckdb", after))


def test_a_delta_growing_a_large_bucket_within_the_exact_size_is_applied(tmp_path: Path):
    # 150 near-identical texts, then 30 more: a bucket of up to 200 is compared in full, so
    # the delta applies, and pairs the new texts with every old text of their buckets.
    crowd = [(f"quo_{i:04x}", f"art_{i:04x}", None, f"{BASE} từ{i:04d}") for i in range(180)]
    patched = _warehouse(tmp_path / "patched.duckdb", crowd[:150])
    _replace_quotes(patched, crowd)
    assert update_derived(patched) == "updated"
    assert _tables(patched) == _tables(_warehouse(tmp_path / "whole.duckdb", crowd))
