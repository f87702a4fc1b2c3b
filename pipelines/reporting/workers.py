"""Worker processes that draw the report's charts, for a headless run (``pipelines.cli``).

Started when the program starts, they import matplotlib (half a second) while the pipeline
runs on the other core, and later draw the charts side by side: a refresh's report costs
the longest chart instead of the import plus all three charts one after another.

They are forked while the starting process holds nothing but the standard library, before
DuckDB, Polars or Dagster have started a thread: forking a process with threads is unsafe,
which is why a process that did not start them early (a step of a Dagster UI run, a test)
has none, and draws its charts itself. Importing this module imports nothing heavy.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor

_pool: ProcessPoolExecutor | None = None


def _prepare_worker() -> None:
    # Below the CLI's priority: their imports (a second of CPU each) take the core the pipeline
    # leaves idle, not a share of the one it runs on.
    os.nice(10)
    gc.enable()  # the CLI forks with the collector off (its start-up heap); the charts make cycles
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the CLI's to handle; it stops the workers
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    from pipelines.reporting import charts

    charts.import_matplotlib()


def _exit_with_parent(parent: int) -> None:
    """End this worker once its parent is gone. A parent killed outright (SIGKILL) cannot shut
    the pool down, and a worker waiting for work would otherwise wait forever, holding on to
    the parent's stdout and stderr (a caller reading them to the end would hang too)."""
    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(0)


def start_drawing_workers(workers: int = 2) -> None:
    """Fork ``workers`` drawing processes now (see the module's docstring for when that is safe)."""
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                    initializer=_prepare_worker)
        _pool.submit(int)  # a fork-context pool forks all its workers on its first task


def drawing_pool() -> Executor | None:
    """The workers started by :func:`start_drawing_workers` in this process, if any."""
    return _pool


def stop_drawing_workers() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None
