"""The vendored scorer is the official one (checked only when ../shared is present)."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
OFFICIAL = REPO.parent / "shared" / "eval" / "score.py"


@pytest.mark.skipif(not OFFICIAL.exists(), reason="../shared/eval/score.py not present")
def test_vendored_scorer_matches_official():
    vendored = (REPO / "evaluation" / "score.py").read_text(encoding="utf-8")
    body = "".join(line for line in vendored.splitlines(keepends=True)[4:])
    assert body == OFFICIAL.read_text(encoding="utf-8")
