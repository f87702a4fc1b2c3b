"""Tests for evaluation/peer_underthesea.py (the underthesea NER peer baseline).

The scoring test needs no underthesea (a fake extractor is injected); the NER
test is skipped when underthesea is not installed.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # evaluation/ is not an installed package
    sys.path.insert(0, str(ROOT))

from evaluation import peer_underthesea as peer  # noqa: E402


def test_score_people_arithmetic_with_fake_extractor(tmp_path):
    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "a.txt").write_text("bài A", encoding="utf-8")
    (dev / "b.txt").write_text("bài B", encoding="utf-8")
    gold = {"articles": {
        "a.txt": {"people": [{"name": "Nguyễn Văn A", "titles": []}, {"name": "Trần Thị B", "titles": []}]},
        "b.txt": {"people": [{"name": "Lê Văn C", "titles": []}]},
        "c.txt": {"people": [{"name": "Phạm D", "titles": []}]},  # missing from dev: empty prediction
    }}
    gold_path = tmp_path / "gold.json"
    gold_path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")

    # decomposed (NFD) accents, extra spaces and case must not matter (norm = NFC + squeeze + casefold)
    import unicodedata
    fake = {
        "bài A": {unicodedata.normalize("NFD", "nguyễn  văn a"), "Hà Nội"},  # 1 tp, 1 fp
        "bài B": {"Lê Văn C", "LÊ VĂN C", "Ông X"},  # duplicates collapse: 1 tp, 1 fp
    }
    res = peer.score_people(dev, gold_path, extract=lambda text: fake[text])
    assert (res["tp"], res["pred"], res["gold"]) == (2, 4, 4)
    assert (res["p"], res["r"], res["f1"]) == (0.5, 0.5, 0.5)
    assert res["missing_articles"] == ["c.txt"]


def test_prf_matches_official_edge_cases():
    assert peer.prf(0, 0, 0) == {"tp": 0, "pred": 0, "gold": 0, "p": 1.0, "r": 1.0, "f1": 1.0}
    assert peer.prf(0, 0, 3)["p"] == 0.0
    assert peer.prf(1, 3, 2) == {"tp": 1, "pred": 3, "gold": 2, "p": 0.333, "r": 0.5, "f1": 0.4}


def test_per_spans_joins_bio():
    toks = [("Ông", "Nc", "B-NP", "O"), ("Nguyễn Văn", "Np", "B-NP", "B-PER"), ("A", "Np", "B-NP", "I-PER"),
            ("gặp", "V", "B-VP", "O"), ("Lan", "Np", "B-NP", "I-PER"), (".", "CH", "O", "O")]
    assert peer.per_spans(toks) == ["Nguyễn Văn A", "Lan"]


def test_cli_skips_missing_paths(tmp_path, capsys):
    missing = tmp_path / "nope"
    assert peer.main(["--dev", str(missing), "--gold", str(tmp_path / "g.json")]) == 0
    assert capsys.readouterr().out.strip() == f"skipped: {missing} not found"


def test_peer_people_finds_a_person():
    pytest.importorskip("underthesea")
    got = peer.peer_people("Thủ tướng Nguyễn Xuân Phúc đã tiếp Đại sứ Mỹ tại Hà Nội.")
    assert isinstance(got, set)
    assert "Nguyễn Xuân Phúc" in got
