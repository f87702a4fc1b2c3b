"""A small IO manager that stages Polars frames between steps as Parquet files.

The staging area is a local directory or any fsspec URL (``s3://bucket/prefix`` with
the ``s3`` extra, ``gs://``, ``memory://`` in tests), so steps that run on other
workers (the Dask executor, ``pipelines.scale_out``) exchange frames through shared
storage. Layout under ``base_dir``:

- an asset: ``<key path>.parquet``; a partitioned one ``<key path>/<first>..<last>.parquet``
  for the partition range the run covers (one day is ``<day>..<day>``). An unpartitioned
  reader of a partitioned asset (an asset check) asks for every partition and gets the
  slice staged last, i.e. the one its run produced;
- an op output inside a graph-backed asset (an extraction shard):
  ``ops/<run id>/<step key>/<output>.parquet``, or one file per table
  (``<output>/<table>.parquet``) when the op returns a dict of frames.

Files are written to a temporary name and renamed where the storage can rename, so
a crashed step never leaves a truncated file that a later run would read.
Deliberately not dagster-polars: it lags behind Dagster 1.13.
"""

from __future__ import annotations

import os
import posixpath
import uuid

import dagster as dg
import fsspec
import polars as pl

FRAMES_MANIFEST = "_tables.txt"  # lists the tables of a dict-of-frames output, in order
LATEST = "_latest.txt"  # names the partition range a partitioned asset staged last


def _location(context: dg.OutputContext | dg.InputContext) -> list[str]:
    """Path parts, relative to the base, of the frame an output stores (an input of an asset
    reads the same place)."""
    if context.has_asset_key:
        parts = list(context.asset_key.path)
        if context.has_asset_partitions:
            keys = context.asset_partition_key_range
            return [*parts, f"{keys.start}..{keys.end}"]
        return parts
    return ["ops", context.run_id, context.step_key, context.name]


class ParquetIOManager(dg.ConfigurableIOManager):
    """Stores Polars frames (or dicts of them) as Parquet under ``base_dir`` (a path or fsspec URL)."""

    base_dir: str

    def _fs(self) -> tuple[fsspec.AbstractFileSystem, str]:
        fs, root = fsspec.core.url_to_fs(os.path.expanduser(self.base_dir))
        return fs, root

    def _write(self, fs: fsspec.AbstractFileSystem, path: str, frame: pl.DataFrame) -> None:
        fs.makedirs(posixpath.dirname(path), exist_ok=True)
        tmp = posixpath.join(posixpath.dirname(path), f".{posixpath.basename(path)}.tmp-{uuid.uuid4().hex[:8]}")
        with fs.open(tmp, "wb") as handle:
            frame.write_parquet(handle)
        fs.mv(tmp, path)

    def handle_output(self, context: dg.OutputContext, obj: pl.DataFrame | dict[str, pl.DataFrame] | None) -> None:
        if obj is None:  # assets that write elsewhere (the warehouse) return nothing to stage
            return
        fs, root = self._fs()
        path = posixpath.join(root, *_location(context))
        try:
            if isinstance(obj, pl.DataFrame):
                self._write(fs, path + ".parquet", obj)
                if context.has_asset_key and context.has_asset_partitions:
                    with fs.open(posixpath.join(posixpath.dirname(path), LATEST), "w") as handle:
                        handle.write(posixpath.basename(path))
            elif isinstance(obj, dict) and all(isinstance(v, pl.DataFrame) for v in obj.values()):
                for name, frame in obj.items():
                    self._write(fs, posixpath.join(path, f"{name}.parquet"), frame)
                with fs.open(posixpath.join(path, FRAMES_MANIFEST), "w") as handle:
                    handle.write("\n".join(obj))
            else:
                raise TypeError(f"{'/'.join(_location(context))}: ParquetIOManager stores Polars frames "
                                f"or dicts of them, got {type(obj).__name__}")
        except OSError as exc:
            raise dg.Failure(description=f"Cannot write staging file {path}: {exc.strerror or exc}. "
                                         "Set NEWS_STAGING_DIR or NEWS_WAREHOUSE_PATH to a writable place.") from exc
        if context.has_asset_key:
            context.add_output_metadata({"path": dg.MetadataValue.path(fs.unstrip_protocol(path + ".parquet"))})

    def load_input(self, context: dg.InputContext) -> pl.DataFrame | dict[str, pl.DataFrame]:
        fs, root = self._fs()
        upstream = context.upstream_output
        # An op's output is where its step stored it; an asset's, where its partitions say.
        path = posixpath.join(root, *_location(upstream if upstream is not None and not upstream.has_asset_key
                                               else context))
        latest = posixpath.join(posixpath.dirname(path), LATEST)
        if context.has_asset_key and context.has_asset_partitions and not fs.isfile(path + ".parquet") \
                and fs.isfile(latest):
            with fs.open(latest, "r") as handle:
                staged = handle.read().strip()
            first, last = staged.split("..")
            keys = context.asset_partition_key_range
            if keys.start <= first and last <= keys.end:  # the request covers the staged slice
                path = posixpath.join(posixpath.dirname(path), staged)
        if fs.isfile(path + ".parquet"):
            with fs.open(path + ".parquet", "rb") as handle:
                return pl.read_parquet(handle)
        manifest = posixpath.join(path, FRAMES_MANIFEST)
        if fs.isfile(manifest):
            with fs.open(manifest, "r") as handle:
                names = handle.read().split("\n")
            frames = {}
            for name in names:
                with fs.open(posixpath.join(path, f"{name}.parquet"), "rb") as handle:
                    frames[name] = pl.read_parquet(handle)
            return frames
        what = context.asset_key.to_user_string() if context.has_asset_key else (upstream.step_key if upstream else "")
        raise dg.Failure(description=f"Staged frame {fs.unstrip_protocol(path)}.parquet is missing: "
                                     f"materialize {what} (for the same partitions) first.")


def discard_run_files(io_manager: ParquetIOManager, run_id: str) -> None:
    """Remove the op outputs a run staged (its extraction shards) once they are combined."""
    fs, root = io_manager._fs()
    path = posixpath.join(root, "ops", run_id)
    if fs.exists(path):
        fs.rm(path, recursive=True)
