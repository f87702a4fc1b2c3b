"""The benchmark's throughput rounds (bench/run.py): medians, and the ratio paired by round."""

import pytest

from bench.run import throughput_figures


def _ours(aps: float, same: float) -> dict:
    return {"aps": aps, "mbps": aps / 100, "articles": 3706, "seconds": 3706 / aps, "normalize_s": 1.0,
            "pinned": "core 0", "same_n": {"aps": same}}


def _peer(aps: float) -> dict:
    return {"aps": aps, "articles": 100, "peer": "underthesea 9.5.0 ner (CRF), per sentence"}


def test_medians_and_ratio_of_pairs():
    # A slow minute slows both of its round's runs: the paired ratio sees through it.
    ours = [_ours(900, 950), _ours(600, 640), _ours(1000, 1100)]
    peer = [_peer(3.0), _peer(2.0), _peer(3.2)]
    f = throughput_figures(ours, peer)
    assert f["extract_aps"] == 900
    assert f["extract_n"] == 3706 and f["extract_mbps"] == 9.0
    assert f["peer_aps"] == 3.0
    assert f["ratio"] == pytest.approx(300)  # median of 300, 300, 312.5
    assert f["ours_same_aps"] == 950
    assert f["ratio_same"] == pytest.approx(320)  # median of 316.7, 320, 343.75
    assert f["extract_rounds"] == [900, 600, 1000] and f["peer_rounds"] == [3.0, 2.0, 3.2]


def test_no_peer_no_ratio():
    f = throughput_figures([_ours(700, 700)], [])
    assert f["extract_aps"] == 700
    assert "ratio" not in f and "peer_aps" not in f
