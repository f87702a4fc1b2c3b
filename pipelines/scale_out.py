"""Scale-out: the same assets, with their steps run by the workers of a Dask cluster.

Dagster's ``dagster-dask`` executor submits every step of a run to a Dask scheduler; the
extraction's shard ops (``pipelines.assets.extract``) are separate steps, so they spread
over the workers. Frames move between steps as Parquet in the staging area, which must
be storage every worker can reach (``NEWS_STAGING_DIR``: a shared path, or an
``s3://`` URL through fsspec). The warehouse step stays a single writer: the
``duckdb_writer`` pool when runs go through a Dagster instance's queue, and the
warehouse's lock file in any case.

Workers import ``pipelines.definitions`` and so need this package installed and the same
``NEWS_*`` environment (inbox, warehouse, staging, ``NEWS_EXTRACT_SHARDS``) as the process
that launches the run. See docs/scale-out.md for the choice of Dask and the deployment.

    NEWS_DASK_SCHEDULER=tcp://scheduler:8786 python -m pipelines.cli --dask
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import dask.distributed
from dagster._core.execution.context.system import PlanOrchestrationContext
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster._utils import iterate_with_context
from dagster._core.errors import raise_execution_interrupts
from dagster_dask.executor import DaskExecutor, get_dask_resource_requirements, query_on_dask_worker

from pipelines.assets.ingest import refresh_run_config

SCHEDULER_ENV = "NEWS_DASK_SCHEDULER"
JOB_NAME = "refresh_warehouse_on_dask"
LOADER_RESOURCE = "warehouse"  # Dask worker resource of the worker that holds the warehouse file


class _Sealed:
    """Hands an object to Dask without letting Dask look inside it.

    Dask (2025+) walks tuples passed to ``Client.submit`` looking for tasks; Dagster's run
    object is a named tuple holding ``@record``s that refuse iteration, so dagster-dask
    0.29's executor fails before any step runs. Sealing the arguments avoids the walk.
    """

    def __init__(self, *args):
        self.args = args


def _run_sealed(dependencies, sealed: _Sealed):
    return query_on_dask_worker(dependencies, *sealed.args)


def _has_loader(client: dask.distributed.Client) -> bool:
    workers = client.scheduler_info(n_workers=-1)["workers"].values()
    return any(LOADER_RESOURCE in (worker.get("resources") or {}) for worker in workers)


class ClusterDaskExecutor(DaskExecutor):
    """dagster-dask's executor on an existing cluster, with four changes:

    - sealed arguments (see ``_Sealed``);
    - steps submitted level by level without Dask dependencies, dealt round-robin over the
      workers, so the shards of a level spread instead of following their input's data (or
      the scheduler's first guess) to one worker (if a worker leaves, its steps wait for
      the cluster to change; re-execute the run);
    - task keys that include the run id, so two runs of the same job on one cluster do not
      share (and skip) each other's steps (dagster-io/dagster#21418);
    - steps that use the warehouse (ingest reads its state, the loader writes it, the checks
      and the report read it) ask for the Dask worker resource ``warehouse``, so they run
      where the warehouse file is: on the worker started with ``--resources warehouse=1``.
      Without such a worker they run anywhere (one machine, a shared disk).
    """

    def execute(self, plan_context: PlanOrchestrationContext, execution_plan: ExecutionPlan):
        if not plan_context.instance.is_persistent:
            raise dg.DagsterInvariantViolationError("Dask execution requires a persistent DagsterInstance")
        run = plan_context.dagster_run
        job = plan_context.reconstructable_job.get_definition()
        with dask.distributed.Client(self.cluster_configuration["address"]) as client:
            pin_loader = _has_loader(client)
            workers = sorted(client.scheduler_info(n_workers=-1)["workers"])
            # Level by level, each level submitted once the previous one is done, with no Dask
            # dependencies: a task that depends on a future is placed where that future's result
            # lives, which put every shard on the worker that ran the split. The steps of a level
            # (the shards, of equal size) are dealt round-robin over the workers, strictly: left
            # to itself the scheduler put three of four shards on one of two idle workers.
            for level in execution_plan.get_steps_to_execute_by_level():
                futures = []
                for i, step in enumerate(level):
                    resources = dict(get_dask_resource_requirements(step.tags))
                    if pin_loader and "warehouse" in job.get_node(step.node_handle).definition.required_resource_keys:
                        resources[LOADER_RESOURCE] = 1
                    placement = {} if resources else {"workers": [workers[i % len(workers)]]}
                    futures.append(client.submit(
                        _run_sealed, [],
                        _Sealed(plan_context.reconstructable_job, run, plan_context.run_config, [step.key],
                                plan_context.instance.get_ref(), execution_plan.known_state),
                        key=f"{step.key}-{run.run_id}", resources=resources or None, **placement))
                finished = dask.distributed.as_completed(futures, with_results=True)
                for _future, events in iterate_with_context(raise_execution_interrupts, finished):
                    yield from events


@dg.executor(name="dask_cluster", requirements=dg.multiple_process_executor_requirements(),
             config_schema={"address": dg.Field(dg.StringSource, description="The Dask scheduler, tcp://host:8786")})
def dask_cluster_executor(init_context: dg.InitExecutorContext) -> ClusterDaskExecutor:
    """Every step of a run on the workers of the Dask cluster at ``address``."""
    return ClusterDaskExecutor("existing", {"address": init_context.executor_config["address"]})

refresh_on_dask_job = dg.define_asset_job(
    JOB_NAME,
    selection=dg.AssetSelection.all(),
    executor_def=dask_cluster_executor,
    # The launchpad's default: $NEWS_DASK_SCHEDULER as the code location saw it. The address
    # travels in the run's config (workers re-resolve the config and need not know it).
    config={"execution": {"config": {"address": os.environ.get(SCHEDULER_ENV, "tcp://127.0.0.1:8786")}}},
    description="The refresh, with every step (the extraction shards in parallel) run by the workers of the Dask "
                f"cluster at ${SCHEDULER_ENV}. Same assets, same result as refresh_warehouse.",
)


def reconstructable_refresh_on_dask() -> dg.JobDefinition:
    """The job as the workers rebuild it: by importing this module's definitions."""
    from pipelines.definitions import defs

    return defs.resolve_job_def(JOB_NAME)


def run_on_dask(scheduler: str, instance: dg.DagsterInstance, tags: dict[str, str], new_files_only: bool = True,
                asset_selection: list[dg.AssetKey] | None = None,
                log_level: str = "WARNING") -> dg.JobExecutionResult:
    """Run the refresh (or ``asset_selection``) through the Dask cluster at ``scheduler``.

    ``instance`` must be persistent and reachable by the workers (they write the steps'
    events to it): a shared DAGSTER_HOME, or a Postgres-backed instance in a deployment.
    """
    run_config = {**refresh_run_config(new_files_only, log_level), "execution": {"config": {"address": scheduler}}}
    return dg.execute_job(dg.reconstructable(reconstructable_refresh_on_dask), instance=instance, tags=tags,
                          run_config=run_config, asset_selection=asset_selection)


@contextlib.contextmanager
def loopback_cluster(workers: int, root: Path, env: dict[str, str], loader: bool = False) -> Iterator[dict]:
    """A Dask scheduler and ``workers`` single-threaded worker processes on 127.0.0.1, for tests
    and benchmarks (a deployment runs the same ``dask`` commands, see docs/scale-out.md).

    ``env`` is the workers' environment (the ``NEWS_*`` paths); with ``loader`` the first worker
    holds the ``warehouse`` resource. Yields ``address``, ``pids`` (worker address -> pid) and
    ``loader_pid``; logs go to ``root``.
    """
    from dask.distributed import Client

    dask_cli = str(Path(sys.executable).with_name("dask"))
    scheduler_file = root / f"scheduler-{uuid.uuid4().hex[:8]}.json"
    procs = [subprocess.Popen([dask_cli, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                               "--scheduler-file", str(scheduler_file)],
                              stdout=(root / f"{scheduler_file.stem}.log").open("w"), stderr=subprocess.STDOUT, env=env)]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        for i in range(workers):
            extra = ["--resources", f"{LOADER_RESOURCE}=1"] if loader and i == 0 else []
            procs.append(subprocess.Popen(
                [dask_cli, "worker", address, "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                 "--memory-limit", "0", "--name", f"worker-{i}", *extra],
                stdout=(root / f"{scheduler_file.stem}-worker-{i}.log").open("w"), stderr=subprocess.STDOUT, env=env))
        with Client(address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=120)
            # Warm, like long-lived workers: the definitions imported before the first step.
            client.run(importlib.import_module, "pipelines.definitions")
            pids = client.run(os.getpid)
            info = client.scheduler_info(n_workers=-1)["workers"]
        loader_pid = next((pids[a] for a, w in info.items() if LOADER_RESOURCE in (w.get("resources") or {})), None)
        yield {"address": address, "pids": pids, "loader_pid": loader_pid}
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
