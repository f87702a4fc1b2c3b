"""Fixtures shared by the unit tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.text.clean import clean_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="session")
def seed_bodies() -> tuple[str, ...]:
    """The bundled sample articles, cleaned as the pipeline cleans them: the real text the
    fast-path tests check their fast forms on (each module adds its own edge cases)."""
    return tuple(clean_text(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt")))
