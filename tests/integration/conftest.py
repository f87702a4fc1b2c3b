"""Shared helpers: run the whole pipeline on a temporary inbox and warehouse."""

import shutil
from pathlib import Path

import pytest

from pipelines.cli import run
from pipelines.resources import default_resources, read_only_connection

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"


def make_inbox(root: Path, rejects: bool = True) -> Path:
    """A copy of the seeds, plus (optionally) two files that must be rejected."""
    inbox = root / "inbox"
    inbox.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, inbox / seed.name)
    if rejects:
        (inbox / "zz_empty.txt").write_bytes(b"")
        (inbox / "zz_bad_utf8.txt").write_bytes("Hà Nội ".encode() + b"\xff\xfe\xc3(")
    return inbox


def materialize(inbox: Path, warehouse: Path):
    """One full in-process run (all assets and checks) into ``warehouse``."""
    resources = default_resources(inbox_dir=str(inbox), warehouse_path=str(warehouse),
                                  staging_dir=str(warehouse.parent / "staging"))
    return run(resources)


def snapshot(warehouse: Path, tables) -> dict[str, list[tuple]]:
    """Every row of every table, sorted, ids and timestamps included."""
    with read_only_connection(warehouse) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The pipeline run once per test module on seeds + two rejected files."""
    root = tmp_path_factory.mktemp("pipeline")
    inbox = make_inbox(root)
    warehouse = root / "wh" / "news.duckdb"
    warehouse.parent.mkdir()
    result = materialize(inbox, warehouse)
    return {"root": root, "inbox": inbox, "warehouse": warehouse, "result": result}
