"""Crash safety: a real run killed mid-write, a full disk, a read-only warehouse location."""

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

import pipelines.resources as resources
from pipelines import cli
from pipelines.resources import WarehouseResource, read_only_connection, remove_stale_temp_files
from tests.integration.conftest import REPO, SEEDS, make_inbox, materialize
from tests.integration.test_writer import T1, tables

COUNTED = ["dim_article", "fact_mention", "fact_quote", "ingest_rejection"]


def counts(path: Path) -> dict[str, int]:
    with read_only_connection(path) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED}


def big_inbox(root: Path, n: int) -> Path:
    """``n`` distinct articles made from the seeds (each gets a sentence of its own)."""
    inbox = root / f"big{n}"
    inbox.mkdir()
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for i in range(n):
        text = seeds[i % len(seeds)] + f"\nBài viết số {i} trong loạt bài về công tác đối ngoại năm 2017.\n"
        (inbox / f"a{i:04d}.txt").write_text(text, encoding="utf-8")
    return inbox


def temp_files(directory: Path) -> list[Path]:
    return sorted(directory.glob(".news.duckdb.tmp-*"))


def kill_during_write(inbox: Path, warehouse: Path, staging: Path) -> bool:
    """Run the CLI in a subprocess and SIGKILL it once its temporary warehouse file exists."""
    env = {**os.environ, "NEWS_INBOX_DIR": str(inbox), "NEWS_WAREHOUSE_PATH": str(warehouse),
           "NEWS_STAGING_DIR": str(staging)}
    proc = subprocess.Popen([sys.executable, "-m", "pipelines.cli"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if temp_files(warehouse.parent):
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(10)
                return True
            time.sleep(0.0005)
        return False  # finished (or hung) before we saw the temporary file
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def test_killed_run_leaves_old_warehouse_and_next_run_completes(tmp_path):
    warehouse = tmp_path / "wh" / "news.duckdb"
    warehouse.parent.mkdir()
    assert materialize(make_inbox(tmp_path), warehouse).success
    before = counts(warehouse)
    old_bytes = warehouse.read_bytes()

    for n in (30, 150, 600):  # a bigger inbox writes longer, if a small one finished too fast
        inbox = big_inbox(tmp_path, n)
        if kill_during_write(inbox, warehouse, tmp_path / "staging"):
            break
    else:
        pytest.fail("never caught the writer in the act")

    assert temp_files(warehouse.parent), "the killed writer's temporary file should still be there"
    assert warehouse.read_bytes() == old_bytes
    assert counts(warehouse) == before  # the previous warehouse opens and has its old rows

    result = materialize(inbox, warehouse)  # the next run completes ...
    assert result.success, cli.failures(result)
    # The refresh keeps the seeds' articles (no longer in this inbox) beside the n new ones.
    with read_only_connection(warehouse) as con:
        assert con.execute("SELECT count(*) FROM dim_article WHERE in_inbox").fetchone()[0] == n
    assert temp_files(warehouse.parent) == []  # ... and clears what the killed run left


def test_stale_temp_files_only_of_dead_writers_are_removed(tmp_path):
    target = tmp_path / "news.duckdb"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".news.duckdb.tmp-{dead.pid}-deadbeef"
    mine = tmp_path / f".news.duckdb.tmp-{os.getpid()}-cafebabe"
    stale.write_bytes(b"x")
    mine.write_bytes(b"x")
    (tmp_path / ".other.duckdb.tmp-1-x").write_bytes(b"x")
    assert remove_stale_temp_files(target) == [stale]
    assert mine.exists() and not stale.exists()


@pytest.mark.parametrize("error", [
    OSError(errno.ENOSPC, "No space left on device"),
    duckdb.IOException("IO Error: Could not write file \"x\": No space left on device"),
])
def test_disk_full_is_a_plain_failure_naming_the_path(tmp_path, monkeypatch, error):
    target = tmp_path / "news.duckdb"
    wh = WarehouseResource(path=str(target))
    wh.write(tables(["a1"], T1))
    before = target.read_bytes()

    def full(con, frames):
        raise error

    monkeypatch.setattr(resources, "_insert_tables", full)
    with pytest.raises(dg.Failure) as info:
        wh.write(tables(["a1", "a2"], T1))
    assert "Disk full" in info.value.description and str(target) in info.value.description
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["news.duckdb"]


def test_read_only_location_is_a_plain_failure_naming_the_path(tmp_path, monkeypatch):
    target = tmp_path / "news.duckdb"

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(target))

    monkeypatch.setattr(resources, "_fsync", read_only)
    with pytest.raises(dg.Failure) as info:
        WarehouseResource(path=str(target)).write(tables(["a1"], T1))
    assert "Read-only" in info.value.description and str(target) in info.value.description
    assert list(tmp_path.iterdir()) == []


def test_cli_reports_disk_full_without_a_traceback(tmp_path, monkeypatch, capsys):
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS, inbox)
    target = tmp_path / "wh" / "news.duckdb"
    target.parent.mkdir()
    monkeypatch.setenv("NEWS_INBOX_DIR", str(inbox))
    monkeypatch.setenv("NEWS_WAREHOUSE_PATH", str(target))
    monkeypatch.setenv("NEWS_STAGING_DIR", str(tmp_path / "staging"))

    def full(con, frames):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(resources, "_insert_tables", full)
    assert cli.main([]) == 1
    err = capsys.readouterr().err
    assert "Disk full" in err and str(target) in err
    assert "Traceback" not in err


# --- the checks still fail on a real violation, scoped to a patch or not ----------------------

def failed_checks(result) -> set[str]:
    return {e.asset_check_key.name for e in result.get_asset_check_evaluations() if not e.passed}


def check_metadata(result, name: str) -> dict:
    [evaluation] = [e for e in result.get_asset_check_evaluations() if e.asset_check_key.name == name]
    return {k: v.value if hasattr(v, "value") else v for k, v in evaluation.metadata.items()}


def test_scoped_checks_catch_a_bad_row_the_patch_wrote(tmp_path, monkeypatch):
    import pipelines.resolve.incremental as incremental
    from tests.integration.test_refresh import EXTRA_ARTICLES

    warehouse = tmp_path / "wh" / "news.duckdb"
    warehouse.parent.mkdir()
    inbox = make_inbox(tmp_path, rejects=False)
    assert materialize(inbox, warehouse).success
    assert materialize(inbox, warehouse).success  # a patch with nothing new, checks in full: marks the file
    (inbox / "extra.txt").write_text(EXTRA_ARTICLES[2], encoding="utf-8")
    resolve_facts = incremental.resolve_facts

    def broken(*args, **kwargs):  # a bug in resolution: mention offsets one past the surface
        out = resolve_facts(*args, **kwargs)
        out["fact_mention"] = out["fact_mention"].with_columns(out["fact_mention"]["char_start"] + 1)
        return out

    monkeypatch.setattr(incremental, "resolve_facts", broken)
    result = materialize(inbox, warehouse)
    assert "offsets_match_surface" in failed_checks(result)
    assert "articles this refresh wrote" in str(check_metadata(result, "offsets_match_surface")["checked"])


def test_checks_run_in_full_on_a_file_changed_outside_the_writer(tmp_path):
    from tests.integration.test_refresh import EXTRA_ARTICLES

    warehouse = tmp_path / "wh" / "news.duckdb"
    warehouse.parent.mkdir()
    inbox = make_inbox(tmp_path, rejects=False)
    assert materialize(inbox, warehouse).success
    assert materialize(inbox, warehouse).success
    con = duckdb.connect(str(warehouse))  # someone edits the file by hand: a body no longer NFC
    con.execute("UPDATE article_text SET body = 'Cu\u0309a ' || body WHERE article_id = (SELECT min(article_id) "
                "FROM article_text)")
    con.close()
    (inbox / "extra.txt").write_text(EXTRA_ARTICLES[2], encoding="utf-8")
    result = materialize(inbox, warehouse)
    assert "body_is_nfc" in failed_checks(result)
    assert check_metadata(result, "body_is_nfc")["checked"] == "all articles"
