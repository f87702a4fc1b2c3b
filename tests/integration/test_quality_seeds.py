"""The seeds stay at the pipeline issue's bars, scored by the vendored official scorer
against the project's own copy of the seeds gold (tests/fixtures/gold/seeds.json)."""

from pathlib import Path

import pytest

from evaluation.score import score

GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "gold" / "seeds.json"


@pytest.fixture(scope="module")
def result(built):
    return score(str(built["warehouse"]), str(GOLD))


def test_no_scorer_errors_and_no_missing_articles(result):
    assert result["errors"] == []
    assert result["missing_articles"] == []


@pytest.mark.parametrize("area,bar", [("people", 1.0), ("titles", 0.9), ("organizations", 0.8), ("quotes", 0.9)])
def test_f1_bars(result, area, bar):
    assert result[area]["f1"] >= bar, result[area]


def test_attribution_and_events(result):
    assert result["quote_attribution_acc"] >= 0.95
    assert result["event_acc"] >= 0.9, result["events"]
    assert result["events_wrongly_merged"] is False
    assert result["source_name"] == "2/2"
