"""Parquet staging through fsspec: a local path or a URL (memory:// here, s3:// in a cluster)."""

import polars as pl
import pytest

import dagster as dg
from pipelines.io import ParquetIOManager, discard_run_files
from pipelines.partitions import ingest_days

FRAME = pl.DataFrame({"article_id": ["a", "b"], "body": ["Hà Nội", "Đà Nẵng"]})


@pytest.fixture(params=["local", "memory"])
def manager(request, tmp_path):
    base = str(tmp_path / "staging") if request.param == "local" else f"memory://staging-{tmp_path.name}"
    return ParquetIOManager(base_dir=base)


def _partitioned_output(day_range: dg.PartitionKeyRange) -> dg.OutputContext:
    return dg.build_output_context(asset_key=dg.AssetKey("articles"), partition_key=day_range.start,
                                   asset_partitions_def=ingest_days)


def test_asset_round_trip(manager):
    manager.handle_output(dg.build_output_context(asset_key=dg.AssetKey("articles")), FRAME)
    loaded = manager.load_input(dg.build_input_context(asset_key=dg.AssetKey("articles")))
    assert loaded.equals(FRAME)


def test_a_partition_is_staged_apart_and_a_wider_reader_gets_the_last_slice(manager):
    day = dg.PartitionKeyRange("2026-11-20", "2026-11-20")
    manager.handle_output(_partitioned_output(day), FRAME)
    same = dg.build_input_context(asset_key=dg.AssetKey("articles"), asset_partition_key_range=day,
                                  asset_partitions_def=ingest_days)
    assert manager.load_input(same).equals(FRAME)
    wider = dg.build_input_context(asset_key=dg.AssetKey("articles"),
                                   asset_partition_key_range=dg.PartitionKeyRange("2026-11-01", "2026-11-23"),
                                   asset_partitions_def=ingest_days)
    assert manager.load_input(wider).equals(FRAME)
    other = dg.build_input_context(asset_key=dg.AssetKey("articles"),
                                   asset_partition_key_range=dg.PartitionKeyRange("2026-11-21", "2026-11-21"),
                                   asset_partitions_def=ingest_days)
    with pytest.raises(dg.Failure, match="is missing"):
        manager.load_input(other)


def test_op_outputs_dicts_of_frames_and_their_cleanup(manager):
    shard = {"mentions": FRAME, "quotes": FRAME.head(1)}
    out = dg.build_output_context(step_key="extraction.extract_shard_0", name="result", run_id="run-1")
    manager.handle_output(out, shard)
    loaded = manager.load_input(dg.build_input_context(upstream_output=out))
    assert list(loaded) == ["mentions", "quotes"] and loaded["quotes"].equals(FRAME.head(1))
    discard_run_files(manager, "run-1")
    with pytest.raises(dg.Failure):
        manager.load_input(dg.build_input_context(upstream_output=out))


def test_anything_but_frames_is_refused(manager):
    with pytest.raises(TypeError, match="stores Polars frames"):
        manager.handle_output(dg.build_output_context(asset_key=dg.AssetKey("x")), [1, 2])
