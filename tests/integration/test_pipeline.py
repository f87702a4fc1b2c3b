"""End to end: seeds (+ two bad files) through every asset into a DuckDB warehouse."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines import cli
from pipelines.partitions import today
from pipelines.resources import read_only_connection
from tests.integration.conftest import make_inbox, materialize, snapshot

# Mirrors the evaluation's contract (../shared/eval/contract.py); kept here so the
# suite does not depend on files outside the repository.
REQUIRED = {
    "dim_article": "article_id file_name source_name title published_date content_sha256 char_count sentence_count ingested_at",
    "article_text": "article_id body",
    "dim_person": "person_id canonical_name name_ascii aliases",
    "dim_organization": "org_id canonical_name org_type",
    "dim_location": "location_id canonical_name",
    "fact_mention": "mention_id article_id entity_kind entity_id surface sentence_idx char_start char_end",
    "fact_person_title": "person_id article_id title org_id",
    "fact_quote": "quote_id article_id event_id speaker_person_id speaker_surface quote_text quote_kind cue_verb sentence_idx char_start char_end",
    "fact_event": "event_id event_type title event_date date_text date_precision location_id organizer_org_id chair_person_id article_count",
    "bridge_event_article": "event_id article_id",
    "bridge_event_participant": "event_id entity_kind entity_id role",
    "ingest_rejection": "file_name content_sha256 reason detail rejected_at",
    "v_quotes": "",
    "v_person_summary": "",
    "v_event_coverage": "",
    "v_repeated_statements": "",
}
TABLES = [t for t in REQUIRED if not t.startswith("v_")]
REPO = Path(__file__).resolve().parents[2]
VIEWS = [t for t in REQUIRED if t.startswith("v_")]


def test_run_succeeds(built):
    result = built["result"]
    assert result.success, cli.failures(result)


def test_contract_tables_and_views(built):
    with read_only_connection(built["warehouse"]) as con:
        cols: dict[str, set[str]] = {}
        for table, column in con.execute(
                "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
        ).fetchall():
            cols.setdefault(table, set()).add(column)
        for name, wanted in REQUIRED.items():
            assert name in cols, f"missing {name}"
            assert set(wanted.split()) <= cols[name], f"{name} lacks {set(wanted.split()) - cols[name]}"
        for view in VIEWS:  # every view must also run, not just exist
            con.execute(f"SELECT count(*) FROM {view}").fetchone()


def test_all_checks_ran_and_passed(built):
    evaluations = built["result"].get_asset_check_evaluations()
    assert len(evaluations) >= 20
    failed = [e.asset_check_key.to_user_string() for e in evaluations if not e.passed]
    assert not failed


def test_row_counts(built):
    with read_only_connection(built["warehouse"]) as con:
        count = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    assert count["dim_article"] == 2
    for table in ["article_text", "dim_person", "fact_quote", "fact_event"]:
        assert count[table] > 0, table


def test_bad_files_are_rejected_not_dropped(built):
    with read_only_connection(built["warehouse"]) as con:
        rows = dict(con.execute("SELECT file_name, reason FROM ingest_rejection").fetchall())
        files = {r[0] for r in con.execute("SELECT file_name FROM dim_article").fetchall()}
    assert set(rows) == {"zz_empty.txt", "zz_bad_utf8.txt"}
    assert all(rows.values())
    assert not files & set(rows)


def test_rerun_is_idempotent(built):
    before = snapshot(built["warehouse"], TABLES)
    result = materialize(built["inbox"], built["warehouse"])
    assert result.success
    after = snapshot(built["warehouse"], TABLES)
    for table in TABLES:
        assert after[table] == before[table], f"{table} changed on re-run"


def test_any_number_of_extraction_shards_gives_the_same_warehouse(built, tmp_path):
    """NEWS_EXTRACT_SHARDS shapes the job (one op per shard); 1 shard (a single output) and
    3 shards (uneven ones) must build the warehouse the default 4 shards build."""
    clockless = [t for t in TABLES if t not in ("dim_article", "ingest_rejection")]
    expected = snapshot(built["warehouse"], clockless)
    for shards in ("1", "3"):
        root = tmp_path / shards
        (root / "wh").mkdir(parents=True)
        env = {**os.environ, "NEWS_EXTRACT_SHARDS": shards, "NEWS_INBOX_DIR": str(make_inbox(root)),
               "NEWS_WAREHOUSE_PATH": str(root / "wh" / "news.duckdb"), "NEWS_STAGING_DIR": str(root / "staging")}
        done = subprocess.run([sys.executable, "-m", "pipelines.cli"], cwd=REPO, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
        assert snapshot(root / "wh" / "news.duckdb", clockless) == expected, f"{shards} shards"


def test_cli_reports_counts(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWS_INBOX_DIR", str(make_inbox(tmp_path, rejects=False)))
    monkeypatch.setenv("NEWS_WAREHOUSE_PATH", str(tmp_path / "news.duckdb"))
    monkeypatch.delenv("NEWS_STAGING_DIR", raising=False)
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    assert "dim_article" in out and str(tmp_path / "news.duckdb") in out
    # Staged per partition range: the seeds were just copied, so their ingest day is today.
    assert [p.name for p in (tmp_path / "staging" / "articles").glob("*.parquet")] == [f"{today()}..{today()}.parquet"]
    duckdb.connect(str(tmp_path / "news.duckdb"), read_only=True).close()


def test_cli_missing_inbox_fails_plainly(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWS_INBOX_DIR", str(tmp_path / "no-such-inbox"))
    monkeypatch.setenv("NEWS_WAREHOUSE_PATH", str(tmp_path / "news.duckdb"))
    assert cli.main([]) == 1
    assert "no-such-inbox" in capsys.readouterr().err
