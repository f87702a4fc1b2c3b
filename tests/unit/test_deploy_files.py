"""The Kubernetes deployment files parse, and agree with the code on names and variables."""

from pathlib import Path

import yaml

from pipelines.scale_out import JOB_NAME, LOADER_RESOURCE, SCHEDULER_ENV

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "k8s"


def test_helm_values_and_dask_manifests_parse_and_match_the_code():
    values = yaml.safe_load((DEPLOY / "values.yaml").read_text())
    [deployment] = values["dagster-user-deployments"]["deployments"]
    assert deployment["dagsterApiGrpcArgs"] == ["-m", "pipelines.definitions"]
    assert values["runLauncher"]["type"] == "K8sRunLauncher"
    docs = list(yaml.safe_load_all((DEPLOY / "dask.yaml").read_text()))
    by_name = {d["metadata"]["name"]: d for d in docs}
    env = by_name["news-env"]["data"]
    assert env[SCHEDULER_ENV].startswith("tcp://dask-scheduler:")
    assert {"NEWS_INBOX_DIR", "NEWS_STAGING_DIR", "NEWS_WAREHOUSE_PATH", "NEWS_EXTRACT_SHARDS"} <= set(env)
    loader = by_name["dask-loader"]["spec"]["template"]["spec"]["containers"][0]["command"]
    assert f"{LOADER_RESOURCE}=1" in loader
    assert "--nthreads" in by_name["dask-worker"]["spec"]["template"]["spec"]["containers"][0]["command"]
    assert JOB_NAME in (Path(__file__).resolve().parents[2] / "docs" / "scale-out.md").read_text()
