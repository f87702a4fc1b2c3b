"""Dagster resources: the inbox the articles come from and the DuckDB warehouse they go to.

The warehouse is rebuilt whole on every run and swapped in atomically, so a crash
never leaves a half-written file and readers never see one. Paths default to the
repository's ``seeds/`` and ``warehouse/news.duckdb``; the environment variables
``NEWS_INBOX_DIR`` / ``NEWS_WAREHOUSE_PATH`` override them (read when the
definitions load, so ``dagster dev`` and the headless CLI agree).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl

from pipelines.catalog import comment_statements
from pipelines.io import ParquetIOManager
from pipelines.resolve.refresh import ARTICLE_VERSION, STORED_REJECTION, State
from pipelines.schemas import EXTRACTION_TABLES, WAREHOUSE_TABLES, conform, empty
from pipelines.text.ingest import INPUT_LISTING
from pipelines.text.ingest import DEFAULT_MAX_BYTES

REPO_ROOT = Path(__file__).resolve().parents[1]
SQL_DIR = REPO_ROOT / "warehouse"


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
    con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
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
    needed = {"staging.inbox_listing", *(f"staging.extract_{n}" for n in EXTRACTION_TABLES), "main.dim_article"}
    if not needed <= have:
        return State.empty()  # a warehouse from before incremental refresh: rebuild it whole
    articles = con.execute("SELECT a.*, t.body FROM dim_article a JOIN article_text t USING (article_id)").pl()
    extraction = {n: conform(con.execute(f"SELECT * FROM staging.extract_{n}").pl(), schema)
                  for n, schema in EXTRACTION_TABLES.items()}
    rejections = con.execute("SELECT * FROM ingest_rejection").pl()
    listing = conform(con.execute("SELECT * FROM staging.inbox_listing").pl(), INPUT_LISTING)
    return State(conform(articles, ARTICLE_VERSION), extraction, conform(rejections, STORED_REJECTION), listing)


def _create_views(con: duckdb.DuckDBPyConnection) -> None:
    con.execute((SQL_DIR / "derived.sql").read_text(encoding="utf-8"))  # what the views read, built once
    con.execute((SQL_DIR / "views.sql").read_text(encoding="utf-8"))


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
                    "dim_article": con.execute("SELECT article_id, ingested_at FROM dim_article").pl(),
                    "ingest_rejection": con.execute(
                        "SELECT file_name, content_sha256, rejected_at FROM ingest_rejection").pl(),
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
                return conform(con.execute("SELECT * FROM staging.inbox_listing").pl(), INPUT_LISTING)
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
        directory = self._check_directory()
        missing = [t for t in WAREHOUSE_TABLES if t not in tables]
        if missing:
            raise ValueError(f"build_warehouse returned no frame for {missing}")
        tables = preserve_timestamps(tables, self.previous_timestamps())
        remove_stale_temp_files(self.target)
        tmp = directory / f".{self.target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            try:
                con = duckdb.connect(str(tmp))
            except duckdb.Error as exc:
                failure = storage_failure(exc, self.target)
                raise (failure or dg.Failure(description=f"Cannot create {tmp} in warehouse directory "
                                                         f"{directory}: {exc}")) from exc
            try:
                _create_schema(con)
                _insert_tables(con, tables)
                if staging:
                    _insert_staging(con, staging)
                _create_views(con)
                con.execute("CHECKPOINT")  # everything in the main file, no WAL to carry along
            finally:
                con.close()
            _fsync(tmp)
            # A WAL left by a crashed writer of the old file would be replayed onto the new one.
            Path(f"{self.target}.wal").unlink(missing_ok=True)
            os.replace(tmp, self.target)
            _fsync(directory)
        except BaseException as exc:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}.wal").unlink(missing_ok=True)
            failure = None if isinstance(exc, dg.Failure) else storage_failure(exc, self.target)
            if failure is not None:
                raise failure from exc
            raise
        return tables


def default_resources(inbox_dir: str | None = None, warehouse_path: str | None = None,
                      staging_dir: str | None = None) -> dict[str, object]:
    """The resources every entry point uses: env-var defaults, overridable by arguments (tests)."""
    warehouse_path = warehouse_path or default_warehouse_path()
    return {
        "inbox": InboxResource(path=inbox_dir or default_inbox_dir(), max_bytes=default_max_bytes()),
        "warehouse": WarehouseResource(path=warehouse_path),
        "io_manager": ParquetIOManager(base_dir=staging_dir or default_staging_dir(warehouse_path)),
    }
