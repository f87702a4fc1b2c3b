"""The distributed path for real: a Dask scheduler and two Dask workers on loopback, each a
separate process, run the refresh through ``python -m pipelines.cli --dask``. The warehouse
it builds equals, row for row, the one an in-process run builds from the same inbox, the
extraction shards ran on both workers, and the steps that use the warehouse file ran on the
worker that holds it (the loader)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from pipelines.resources import read_only_connection
from pipelines.scale_out import loopback_cluster
from pipelines.schemas import WAREHOUSE_TABLES
from tests.integration.conftest import make_inbox, materialize

REPO = Path(__file__).resolve().parents[2]
FIXTURE_INPUTS = REPO / "tests" / "fixtures" / "inputs"
TIMESTAMPS = {"dim_article": ["ingested_at"], "ingest_rejection": ["rejected_at"]}  # the run's clock


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Scheduler + 2 single-threaded workers (the first one the loader), with the NEWS_*
    environment of the distributed run."""
    root = tmp_path_factory.mktemp("dask")
    inbox = make_inbox(root)
    for path in FIXTURE_INPUTS.glob("*"):
        if path.is_file():  # varied formats and encodings, and inputs that must be rejected
            shutil.copy(path, inbox / path.name)
    (root / "wh").mkdir()
    env = {**os.environ, "NEWS_INBOX_DIR": str(inbox), "NEWS_WAREHOUSE_PATH": str(root / "wh" / "news.duckdb"),
           "NEWS_STAGING_DIR": str(root / "staging"), "NEWS_AUTOMATION": "off"}
    env.pop("DAGSTER_HOME", None)
    with loopback_cluster(2, root, env, loader=True) as cluster:
        yield {"root": root, "inbox": inbox, "address": cluster["address"], "env": env,
               "worker_pids": set(cluster["pids"].values()), "loader_pid": cluster["loader_pid"]}


def _rows(warehouse: Path) -> dict[str, list[tuple]]:
    with read_only_connection(warehouse) as con:
        out = {}
        for table in WAREHOUSE_TABLES:
            exclude = TIMESTAMPS.get(table)
            columns = f"* EXCLUDE ({', '.join(exclude)})" if exclude else "*"
            out[table] = con.execute(f"SELECT {columns} FROM {table} ORDER BY ALL").fetchall()
    return out


def test_refresh_on_two_dask_workers_equals_the_local_build(cluster, tmp_path):
    env = {**cluster["env"], "NEWS_DASK_SCHEDULER": cluster["address"]}
    done = subprocess.run([sys.executable, "-m", "pipelines.cli", "--dask"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr[-4000:]
    run_id = next(line.split()[1] for line in done.stdout.splitlines() if line.startswith("run:"))

    # Where each step ran: the events the workers wrote to the run's instance.
    with dg.DagsterInstance.local_temp(tempdir=str(cluster["root"] / "staging" / "dagster_home")) as instance:
        starts = instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_START)
        pid_of = {r.dagster_event.step_key: r.dagster_event.pid for r in starts}
    shard_pids = {pid for step, pid in pid_of.items() if ".extract_shard_" in step}
    assert len([s for s in pid_of if ".extract_shard_" in s]) >= 2
    assert shard_pids <= cluster["worker_pids"] and len(shard_pids) == 2, (pid_of, cluster["worker_pids"])
    # The steps that use the warehouse file ran on the loader worker only.
    for step in ("ingest_inbox", "warehouse_tables", "warehouse_integrity", "warehouse_report"):
        assert pid_of[step] == cluster["loader_pid"], (step, pid_of, cluster["loader_pid"])

    local = tmp_path / "local" / "news.duckdb"
    local.parent.mkdir()
    assert materialize(cluster["inbox"], local).success
    distributed, expected = _rows(Path(env["NEWS_WAREHOUSE_PATH"])), _rows(local)
    assert sum(map(len, expected.values())) > 300
    for table in WAREHOUSE_TABLES:
        assert distributed[table] == expected[table], table
