"""Dagster resources: the inbox the articles come from and the DuckDB warehouse they go to.

Every write makes a new file beside the warehouse and swaps it in atomically, so a crash
never leaves a half-written file and readers never see one: a first build (or a large
batch) fills a fresh file; a refresh with a small batch copies the current file and
rewrites only the rows the batch changes (``pipelines.resolve.incremental``). Paths default
to the repository's ``seeds/`` and ``warehouse/news.duckdb``; the environment variables
``NEWS_INBOX_DIR`` / ``NEWS_WAREHOUSE_PATH`` override them (read when the
definitions load, so ``dagster dev`` and the headless CLI agree).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl

from pipelines.catalog import comment_statements
from pipelines.derived_tables import derived_sha, reads, update_derived
from pipelines.io import ParquetIOManager
from pipelines.resolve import build_from_state
from pipelines.resolve.incremental import Patch, patch_warehouse
from pipelines.resolve.refresh import ARTICLE_VERSION, STORED_REJECTION, State, merge_batch
from pipelines.schemas import EXTRACTION_TABLES, WAREHOUSE_TABLES, conform, empty, query_frame
from pipelines.text.ingest import INPUT_LISTING
from pipelines.text.ingest import DEFAULT_MAX_BYTES

REPO_ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = REPO_ROOT / "warehouse"
# A refresh whose batch holds at most this many articles, or this share of the current
# ones, patches a copy of the warehouse; a larger one builds it whole.
PATCH_MIN_ARTICLES = 2_000
PATCH_SHARE = 0.25
_STATE_TABLES = {"staging.inbox_listing", *(f"staging.extract_{n}" for n in EXTRACTION_TABLES), "main.dim_article"}


def default_inbox_dir() -> str:
    return os.environ.get("NEWS_INBOX_DIR") or str(REPO_ROOT / "seeds")


def default_warehouse_path() -> str:
    return os.environ.get("NEWS_WAREHOUSE_PATH") or str(REPO_ROOT / "warehouse" / "news.duckdb")


def default_staging_dir(warehouse_path: str | None = None) -> str:
    """Intermediate Parquet frames live next to the warehouse, in ``staging/``."""
    return os.environ.get("NEWS_STAGING_DIR") or str(Path(warehouse_path or default_warehouse_path()).parent / "staging")


def default_max_bytes() -> int:
    """Inputs larger than this are rejected as ``too_large`` (``NEWS_MAX_BYTES``, default 5 MB)."""
    value = os.environ.get("NEWS_MAX_BYTES", "")
    return int(value) if value.strip().isdigit() else DEFAULT_MAX_BYTES


class InboxResource(dg.ConfigurableResource):
    """The directory of raw article files (text in any encoding, HTML, JSON Lines)."""

    path: str
    max_bytes: int = DEFAULT_MAX_BYTES  # larger inputs are rejected as too_large

    def directory(self) -> Path:
        inbox = Path(self.path).expanduser()
        if not inbox.is_dir():
            raise dg.Failure(description=f"Inbox directory {inbox} does not exist or is not a directory. "
                                         "Set NEWS_INBOX_DIR to the folder holding the article files.")
        return inbox


@contextlib.contextmanager
def read_only_connection(path: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only view of the warehouse file as it is *now*.

    ``duckdb.connect(path)`` reuses an already open database instance for the same
    path in this process, which after an atomic swap is the *old* file; attaching
    from a fresh in-memory connection always opens the current file.
    """
    con = duckdb.connect()
    try:
        quoted = str(path).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS wh (READ_ONLY)")
        con.execute("USE wh")
        yield con
    finally:
        con.close()


# The three steps of a build; module-level so a test can make one of them fail.
def _create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_schema_sql())
    # Column descriptions from the catalog, readable by any client (duckdb_columns()).
    con.execute(";\n".join(comment_statements()))


def _insert_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, pl.DataFrame]) -> None:
    for name, schema in WAREHOUSE_TABLES.items():
        cols = ", ".join(f'"{c}"' for c in schema)
        # Oldest Arrow layout (large_string, not string_view) is what every DuckDB reads.
        con.register("_frame", tables[name].select(list(schema)).to_arrow(compat_level=pl.CompatLevel.oldest()))
        try:
            con.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM _frame")
        finally:
            con.unregister("_frame")


def _insert_staging(con: duckdb.DuckDBPyConnection, staging: dict[str, pl.DataFrame]) -> None:
    """The refresh state (``staging`` schema): created from the frames as they are."""
    con.execute("CREATE SCHEMA IF NOT EXISTS staging")
    for name, frame in staging.items():
        con.register("_frame", frame.to_arrow(compat_level=pl.CompatLevel.oldest()))
        try:
            con.execute(f"CREATE TABLE staging.{name} AS SELECT * FROM _frame")
        finally:
            con.unregister("_frame")


def staging_frames(state: State) -> dict[str, pl.DataFrame]:
    """What a refresh needs to remember, as frames to store in the ``staging`` schema."""
    return {"inbox_listing": state.listing,
            **{f"extract_{name}": frame for name, frame in state.extraction.items()}}


def load_state(con: duckdb.DuckDBPyConnection) -> State:
    """The refresh state kept in an open warehouse (an empty one if it holds none)."""
    have = {r[0] for r in con.execute(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables").fetchall()}
    if not _STATE_TABLES <= have:
        return State.empty()  # a warehouse from before incremental refresh: rebuild it whole
    articles = query_frame(con, "SELECT a.*, t.body FROM dim_article a JOIN article_text t USING (article_id)")
    extraction = {n: conform(query_frame(con, f"SELECT * FROM staging.extract_{n}"), schema)
                  for n, schema in EXTRACTION_TABLES.items()}
    rejections = query_frame(con, "SELECT * FROM ingest_rejection")
    listing = conform(query_frame(con, "SELECT * FROM staging.inbox_listing"), INPUT_LISTING)
    return State(conform(articles, ARTICLE_VERSION), extraction, conform(rejections, STORED_REJECTION), listing)


def _schema_sql() -> str:
    return (SQL_DIR / "schema.sql").read_text(encoding="utf-8")


def _schema_sha() -> str:
    """Hash of ``schema.sql``: a file built from another one is rebuilt whole, never patched."""
    return hashlib.sha256(_schema_sql().encode("utf-8")).hexdigest()[:16]


def _literal(value: object) -> str:
    """A SQL literal (query parameters would make DuckDB import pandas, a second's start-up)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + str(value).replace("'", "''") + "'"


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE "
                            f"table_schema = {_literal(schema)} AND table_name = {_literal(table)}").fetchone()[0])


def _record_scope(con: duckdb.DuckDBPyConnection, articles: Iterable[str] | None, verified_parent: bool) -> None:
    """Record what this write changed, for the asset checks (``pipelines.checks``):
    ``staging.write_info`` (a new generation id; whether it was built whole; whether the
    file it patched had passed the checks; which ``schema.sql`` and which derived-table
    scripts built its tables) and ``staging.write_scope`` (the articles whose text or facts a
    patch wrote: every other article's rows are byte for byte those of the previous
    generation)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS staging")
    con.execute("CREATE OR REPLACE TABLE staging.write_info (generation VARCHAR, whole BOOLEAN, "
                "verified_parent BOOLEAN, derived_sha VARCHAR, schema_sha VARCHAR)")
    row = [uuid.uuid4().hex, articles is None, verified_parent and articles is not None, derived_sha(),
           _schema_sha()]
    con.execute(f"INSERT INTO staging.write_info VALUES ({', '.join(map(_literal, row))})")
    con.execute("CREATE OR REPLACE TABLE staging.write_scope (article_id VARCHAR)")
    values = sorted(set(articles or ()))
    for i in range(0, len(values), 1_000):
        con.execute("INSERT INTO staging.write_scope VALUES " + ", ".join(f"({_literal(v)})" for v in values[i:i + 1_000]))


def generation(con: duckdb.DuckDBPyConnection) -> tuple[str | None, bool, bool]:
    """``(generation, whole, verified_parent)`` of an open warehouse (``(None, True, False)``
    for a file written before generations were recorded)."""
    if not _has_table(con, "staging", "write_info"):
        return None, True, False
    row = con.execute("SELECT generation, whole, verified_parent FROM staging.write_info").fetchone()
    return (row[0], bool(row[1]), bool(row[2])) if row else (None, True, False)


def _recorded(con: duckdb.DuckDBPyConnection, column: str) -> str | None:
    """``column`` of ``staging.write_info`` in the open warehouse (None: a file written before
    it was recorded)."""
    columns = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                         "table_schema = 'staging' AND table_name = 'write_info'").fetchall()}
    if column not in columns:
        return None
    row = con.execute(f"SELECT {column} FROM staging.write_info").fetchone()
    return row[0] if row else None


def _verified_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.verified")


def file_stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def mark_verified(target: Path, generation_id: str | None, stamp: list[int]) -> None:
    """Note beside ``target`` that the file with ``stamp`` (inode, size, mtime), generation
    ``generation_id``, passed every warehouse check. A later patch of exactly that file may
    have its checks on text and offsets scoped to the articles it wrote."""
    path = _verified_path(target)
    try:
        if generation_id is None or file_stamp(target) != stamp:
            path.unlink(missing_ok=True)
            return
        tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        tmp.write_text(json.dumps({"generation": generation_id, "stamp": stamp}), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only directory: the next checks run in full


def unmark_verified(target: Path) -> None:
    with contextlib.suppress(OSError):
        _verified_path(target).unlink(missing_ok=True)


def _was_verified(target: Path) -> bool:
    """Whether the current file is the one the last successful checks saw (same generation,
    and not touched since)."""
    try:
        mark = json.loads(_verified_path(target).read_text(encoding="utf-8"))
        if file_stamp(target) != mark["stamp"]:
            return False
        with read_only_connection(target) as con:
            return generation(con)[0] == mark["generation"]
    except (OSError, ValueError, KeyError, TypeError, duckdb.Error):
        return False


def _create_views(con: duckdb.DuckDBPyConnection, changed: set[str] | None = None) -> str:
    """Derived tables (:mod:`pipelines.derived_tables`), then the views; returns what became
    of the derived tables: ``"kept"`` after a patch that changed none of the tables they
    read, ``"updated"`` by delta after another patch, ``"rebuilt"`` on a new file or when
    they were built by other scripts or another DuckDB."""
    if changed is None:  # a new file
        update_derived(con, rebuild=True)
        mode = "rebuilt"
    else:
        same = _recorded(con, "derived_sha") == derived_sha()
        mode = "kept" if same and not reads(changed) else update_derived(con, rebuild=not same)
    con.execute((SQL_DIR / "views.sql").read_text(encoding="utf-8"))
    return mode


def preserve_timestamps(tables: dict[str, pl.DataFrame], previous: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """Keep ``ingested_at``/``rejected_at`` of rows the previous warehouse already had.

    A re-run over the same inbox must leave every row identical; only genuinely new
    articles and rejections get the timestamp of this run.
    """
    out = dict(tables)
    if "dim_article" in previous:
        prev = previous["dim_article"].unique("article_id", keep="first").rename({"ingested_at": "_prev"})
        out["dim_article"] = (tables["dim_article"].join(prev, on="article_id", how="left", maintain_order="left")
                              .with_columns(pl.coalesce("_prev", "ingested_at").alias("ingested_at")).drop("_prev"))
    if "ingest_rejection" in previous:
        keys = ["file_name", "content_sha256"]
        prev = previous["ingest_rejection"].unique(keys, keep="first").rename({"rejected_at": "_prev"})
        out["ingest_rejection"] = (tables["ingest_rejection"]
                                   .join(prev, on=keys, how="left", nulls_equal=True, maintain_order="left")
                                   .with_columns(pl.coalesce("_prev", "rejected_at").alias("rejected_at")).drop("_prev"))
    return out


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temp_files(target: Path) -> list[Path]:
    """Delete temporary builds of ``target`` left by writers that died (killed, power cut).

    A temp file is named ``.<target>.tmp-<pid>-<random>``; one whose process is gone is
    garbage (writers are serialized, so no live build is ever touched).
    """
    removed = []
    for tmp in target.parent.glob(f".{target.name}.tmp-*"):
        try:
            pid = int(tmp.name[len(f".{target.name}.tmp-"):].split("-", 1)[0].split(".", 1)[0])
        except ValueError:
            continue
        if pid != os.getpid() and not _pid_alive(pid):
            with contextlib.suppress(OSError):
                tmp.unlink()
                removed.append(tmp)
    return removed


_DISK_FULL = ("no space left on device", "disk full", "disk quota exceeded")
_READ_ONLY = ("read-only file system", "permission denied", "access is denied")


def storage_failure(exc: BaseException, target: Path) -> dg.Failure | None:
    """A plain failure naming ``target`` for a storage error (disk full, read-only), or None for others."""
    code = getattr(exc, "errno", None)
    text = str(exc).lower()
    directory = target.parent
    if code in (errno.ENOSPC, errno.EDQUOT) or any(s in text for s in _DISK_FULL):
        return dg.Failure(description=f"Disk full: cannot write the warehouse {target} (no space left in "
                                      f"{directory}). The previous warehouse is unchanged. Free some space, or set "
                                      "NEWS_WAREHOUSE_PATH to a disk with room.")
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or any(s in text for s in _READ_ONLY):
        return dg.Failure(description=f"Read-only location: cannot write the warehouse {target} ({directory} is "
                                      "read-only or not writable). The previous warehouse is unchanged. Fix the "
                                      "permissions, or set NEWS_WAREHOUSE_PATH to a writable place.")
    if isinstance(exc, (OSError, duckdb.IOException)):
        return dg.Failure(description=f"Cannot write the warehouse {target}: {exc}. The previous warehouse is "
                                      "unchanged.")
    return None


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file. One writer at a time (the ``duckdb_writer`` pool)."""

    path: str

    @property
    def target(self) -> Path:
        return Path(self.path).expanduser().resolve()

    @contextlib.contextmanager
    def read_only(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if not self.target.is_file():
            raise dg.Failure(description=f"Warehouse {self.target} does not exist yet: materialize the warehouse first.")
        with read_only_connection(self.target) as con:
            yield con

    def previous_timestamps(self) -> dict[str, pl.DataFrame]:
        """First-seen timestamps from the current warehouse file, if there is a readable one."""
        if not self.target.is_file():
            return {}
        try:
            with read_only_connection(self.target) as con:
                return {
                    "dim_article": query_frame(con, "SELECT article_id, ingested_at FROM dim_article"),
                    "ingest_rejection": query_frame(
                        con, "SELECT file_name, content_sha256, rejected_at FROM ingest_rejection"),
                }
        except duckdb.Error:
            return {}  # an unreadable or foreign file is replaced; nothing to preserve

    def _check_directory(self) -> Path:
        directory = self.target.parent
        if not directory.is_dir():
            raise dg.Failure(description=f"Warehouse directory {directory} does not exist. Create it, or set "
                                         "NEWS_WAREHOUSE_PATH to a file in an existing directory.")
        if not os.access(directory, os.W_OK | os.X_OK):
            raise dg.Failure(description=f"Warehouse directory {directory} is not writable: cannot build "
                                         f"{self.target.name} there. Fix its permissions or set NEWS_WAREHOUSE_PATH.")
        return directory

    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the warehouse's single-writer lock (an ``flock`` on ``<warehouse>.lock``).

        The Dagster pool keeps runs of one instance apart; the lock also keeps apart
        writers that share no instance (two ``make run``, a CLI run beside the UI). A
        second writer waits, then merges onto what the first one wrote.
        """
        self._check_directory()
        lock_path = Path(f"{self.target}.lock")
        with open(lock_path, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def load_state(self) -> State:
        """The refresh state of the current warehouse file (empty when there is none yet)."""
        if not self.target.is_file():
            return State.empty()
        try:
            with read_only_connection(self.target) as con:
                return load_state(con)
        except duckdb.Error:
            return State.empty()  # an unreadable or foreign file is rebuilt, never patched

    def previous_listing(self) -> pl.DataFrame:
        """The inbox listing the current warehouse was built from (empty when none)."""
        if not self.target.is_file():
            return empty(INPUT_LISTING)
        try:
            with read_only_connection(self.target) as con:
                return conform(query_frame(con, "SELECT * FROM staging.inbox_listing"), INPUT_LISTING)
        except duckdb.Error:
            return empty(INPUT_LISTING)

    def write(self, tables: dict[str, pl.DataFrame],
              staging: dict[str, pl.DataFrame] | None = None) -> dict[str, pl.DataFrame]:
        """Build a complete warehouse in a temporary file and swap it onto the target.

        The temporary file sits in the target's directory so ``os.replace`` is an
        atomic rename on one filesystem. Readers holding the old file keep reading
        it (its inode lives until they close); a crash before the rename leaves the
        old file untouched. Returns the tables as written (timestamps preserved).
        """
        missing = [t for t in WAREHOUSE_TABLES if t not in tables]
        if missing:
            raise ValueError(f"build_warehouse returned no frame for {missing}")
        self._check_directory()
        tables = preserve_timestamps(tables, self.previous_timestamps())

        def fill(con: duckdb.DuckDBPyConnection) -> tuple[None, None]:
            _create_schema(con)
            _insert_tables(con, tables)
            if staging:
                _insert_staging(con, staging)
            return None, None

        self._swap_in(fill)
        return tables

    def _swap_in(self, fill, copy_current: bool = False, verified_parent: bool = False) -> str:
        """Write a temporary file with ``fill(con)`` (on a copy of the current file with
        ``copy_current``), add the derived tables and views, and rename it onto the target.

        ``fill`` returns ``(articles, tables)`` it changed (``(None, None)``: everything).
        Returns what became of the derived tables (:func:`_create_views`).
        """
        directory = self._check_directory()
        remove_stale_temp_files(self.target)
        tmp = directory / f".{self.target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            if copy_current:
                shutil.copyfile(self.target, tmp)
            try:
                con = duckdb.connect(str(tmp))
            except duckdb.Error as exc:
                failure = storage_failure(exc, self.target)
                raise (failure or dg.Failure(description=f"Cannot create {tmp} in warehouse directory "
                                                         f"{directory}: {exc}")) from exc
            try:
                articles, changed = fill(con)
                derived = _create_views(con, changed)
                _record_scope(con, articles, verified_parent)
                con.execute("CHECKPOINT")  # everything in the main file, no WAL to carry along
            finally:
                con.close()
            _fsync(tmp)
            # A WAL left by a crashed writer of the old file would be replayed onto the new one.
            Path(f"{self.target}.wal").unlink(missing_ok=True)
            os.replace(tmp, self.target)
            _fsync(directory)
            return derived
        except BaseException as exc:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}.wal").unlink(missing_ok=True)
            failure = None if isinstance(exc, dg.Failure) else storage_failure(exc, self.target)
            if failure is not None:
                raise failure from exc
            raise

    def _can_patch(self, batch_articles: int) -> bool:
        """Whether the current file can take a refresh in place (on a copy): it holds the
        refresh state, was built by this ``schema.sql``, has no WAL, and the batch is small
        beside what it holds."""
        if not self.target.is_file() or Path(f"{self.target}.wal").exists():
            return False
        try:
            with read_only_connection(self.target) as con:
                have = {r[0] for r in con.execute(
                    "SELECT table_schema || '.' || table_name FROM information_schema.tables").fetchall()}
                if not _STATE_TABLES <= have or _recorded(con, "schema_sha") != _schema_sha():
                    return False
                current = con.execute("SELECT count(*) FROM dim_article WHERE is_current").fetchone()[0]
        except duckdb.Error:
            return False
        return current > 0 and batch_articles <= max(PATCH_MIN_ARTICLES, PATCH_SHARE * current)

    def refresh(self, articles: pl.DataFrame, extraction: dict[str, pl.DataFrame], rejections: pl.DataFrame,
                listing: pl.DataFrame, read: set[str], now: dt.datetime) -> Refreshed:
        """Merge a refresh batch into the warehouse and swap the result in (hold :meth:`writer_lock`).

        A small batch is applied to a copy of the current file, rewriting only the rows it
        changes (:mod:`pipelines.resolve.incremental`); the first build, a large batch or a
        file without refresh state is built whole (:func:`pipelines.resolve.build_from_state`).
        Both give the same rows.
        """
        if self._can_patch(articles.height):
            done: dict[str, Patch] = {}

            def fill(con: duckdb.DuckDBPyConnection) -> tuple[set[str], set[str]]:
                done["patch"] = patch_warehouse(con, articles, extraction, rejections, listing, read, now)
                return done["patch"].articles, done["patch"].tables

            derived = self._swap_in(fill, copy_current=True, verified_parent=_was_verified(self.target))
            with read_only_connection(self.target) as con:
                counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in WAREHOUSE_TABLES}
                previews = {t: query_frame(con, f"SELECT * FROM {t} LIMIT 5") for t in WAREHOUSE_TABLES}
            return Refreshed("patch", done["patch"].stats, counts, previews, derived)
        state = merge_batch(self.load_state(), articles, extraction, rejections, listing, read, now)
        written = self.write(build_from_state(state), staging_frames(state))
        return Refreshed("full", state.stats, {t: f.height for t, f in written.items()},
                         {t: f.head(5) for t, f in written.items()})


@dataclass
class Refreshed:
    """What :meth:`WarehouseResource.refresh` did: how (``patch`` or ``full``), the run's
    statistics, each table's row count and first rows as written, and what became of the
    derived tables (``kept``, ``updated`` or ``rebuilt``)."""

    mode: str
    stats: dict[str, int]
    counts: dict[str, int]
    previews: dict[str, pl.DataFrame]
    derived: str = "rebuilt"


def default_resources(inbox_dir: str | None = None, warehouse_path: str | None = None,
                      staging_dir: str | None = None) -> dict[str, object]:
    """The resources every entry point uses: env-var defaults, overridable by arguments (tests)."""
    warehouse_path = warehouse_path or default_warehouse_path()
    return {
        "inbox": InboxResource(path=inbox_dir or default_inbox_dir(), max_bytes=default_max_bytes()),
        "warehouse": WarehouseResource(path=warehouse_path),
        "io_manager": ParquetIOManager(base_dir=staging_dir or default_staging_dir(warehouse_path)),
    }
