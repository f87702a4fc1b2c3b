"""Staging on S3-compatible storage: the IO manager against a real S3 API (moto's server on
loopback, the same HTTP protocol as MinIO or AWS). Skipped when the s3 extra is not installed."""

import socket

import polars as pl
import pytest

import dagster as dg
from pipelines.io import ParquetIOManager

s3fs = pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")


@pytest.fixture(scope="module")
def endpoint():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_frames_round_trip_through_an_s3_bucket(endpoint, monkeypatch):
    import fsspec

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    # What FSSPEC_S3_ENDPOINT_URL sets when the process starts (fsspec reads it at import).
    monkeypatch.setitem(fsspec.config.conf, "s3", {"endpoint_url": endpoint})
    fsspec.filesystem("s3", skip_instance_cache=True).mkdir("staging-bucket")
    manager = ParquetIOManager(base_dir="s3://staging-bucket/news")
    frame = pl.DataFrame({"article_id": ["a"], "body": ["Thủ tướng Phạm Minh Chính phát biểu"]})

    manager.handle_output(dg.build_output_context(asset_key=dg.AssetKey("articles")), frame)
    shard = dg.build_output_context(step_key="extraction.extract_shard_1", name="result", run_id="r1")
    manager.handle_output(shard, {"quotes": frame})

    assert manager.load_input(dg.build_input_context(asset_key=dg.AssetKey("articles"))).equals(frame)
    assert manager.load_input(dg.build_input_context(upstream_output=shard))["quotes"].equals(frame)
    listed = fsspec.filesystem("s3", skip_instance_cache=True).find("staging-bucket/news")
    assert "staging-bucket/news/articles.parquet" in listed
