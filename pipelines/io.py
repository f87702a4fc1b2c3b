"""A small IO manager that stages Polars frames between assets as Parquet files.

One file per asset under ``base_dir`` (``<key path>.parquet``), written to a
temporary name and renamed so a crashed step never leaves a truncated file that a
later run would read. Deliberately not dagster-polars: it lags behind Dagster 1.13.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import polars as pl


class ParquetIOManager(dg.ConfigurableIOManager):
    """Stores each asset's Polars frame as ``<base_dir>/<asset key path>.parquet``."""

    base_dir: str

    def _path(self, key: dg.AssetKey) -> Path:
        return Path(self.base_dir).expanduser().joinpath(*key.path).with_suffix(".parquet")

    def handle_output(self, context: dg.OutputContext, obj: pl.DataFrame | None) -> None:
        if obj is None:  # assets that write elsewhere (the warehouse) return nothing to stage
            return
        if not isinstance(obj, pl.DataFrame):
            raise TypeError(f"{context.asset_key.to_user_string()}: ParquetIOManager stores Polars frames, "
                            f"got {type(obj).__name__}")
        path = self._path(context.asset_key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
            obj.write_parquet(tmp)
            os.replace(tmp, path)
        except OSError as exc:
            raise dg.Failure(description=f"Cannot write staging file {path}: {exc.strerror or exc}. "
                                         "Set NEWS_STAGING_DIR or NEWS_WAREHOUSE_PATH to a writable place.") from exc
        context.add_output_metadata({"path": dg.MetadataValue.path(str(path))})

    def load_input(self, context: dg.InputContext) -> pl.DataFrame:
        path = self._path(context.asset_key)
        if not path.is_file():
            raise dg.Failure(description=f"Staged frame {path} is missing: materialize "
                                         f"{context.asset_key.to_user_string()} first.")
        return pl.read_parquet(path)
