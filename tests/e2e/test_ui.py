"""The Dagster UI as a user drives it, in headless Chromium: open the asset graph, see every
asset group, launch *Materialize all…* for the latest ingest day (the assets are partitioned
by ingest day, so Dagster asks which partitions: a backfill), wait for its run to succeed,
check the warehouse.

Run with `make ui-test` (also part of CI). Screenshots go to tests/e2e/artifacts/
(or $NEWS_E2E_ARTIFACTS).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

import pytest

from pipelines.resources import read_only_connection
from pipelines.schemas import WAREHOUSE_TABLES
from tests.e2e.conftest import ARTIFACTS, graphql

pytestmark = pytest.mark.e2e

GROUPS = {"ingest", "normalize", "extract", "warehouse", "report"}
ASSET_NODES = "{ assetNodes { assetKey { path } groupName } }"
RUNS = "{ runsOrError { ... on Runs { results { runId status } } } }"
TERMINAL = {"SUCCESS", "FAILURE", "CANCELED"}
# Ten days ago at noon in Hanoi: inside the dialog's default window (the last 90 days).
_NOON = (dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")) - dt.timedelta(days=10)).replace(hour=12, minute=0)
INGEST_DAY, INGEST_DAY_EPOCH = _NOON.date().isoformat(), _NOON.timestamp()


def _wait(driver, timeout: float = 30):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, timeout, poll_frequency=0.25)


def _dismiss_popups(driver) -> None:
    """Dagster's first-visit 'Join the community' dialog covers the page: skip it."""
    from selenium.webdriver.common.by import By
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        buttons = [b for b in driver.find_elements(By.XPATH, "//button[normalize-space()='Skip']") if b.is_displayed()]
        if buttons:
            buttons[0].click()
            return
        time.sleep(0.25)


def _body_text(driver) -> str:
    from selenium.webdriver.common.by import By
    return driver.find_element(By.TAG_NAME, "body").text


def _shot(driver, name: str) -> str:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    print(f"screenshot: {path}")
    return str(path)


def test_materialize_all_from_the_ui(driver, dagster_dev):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base = dagster_dev.base
    started = time.monotonic()
    by_group: dict[str, set[str]] = {}
    for node in graphql(base, ASSET_NODES)["assetNodes"]:
        by_group.setdefault(node["groupName"], set()).add("/".join(node["assetKey"]["path"]))
    assert set(by_group) == GROUPS

    # 1. The asset graph opens, with every group drawn.
    driver.get(f"{base}/asset-groups")
    materialize_all = "//button[starts-with(normalize-space(), 'Materialize all')]"
    _wait(driver, 60).until(lambda d: d.find_elements(By.XPATH, materialize_all))
    _dismiss_popups(driver)
    _wait(driver).until(lambda d: GROUPS <= set(_body_text(d).split()))
    _shot(driver, "01_asset_graph.png")

    # 2. Each group renders: its lineage graph draws its assets (the graph only draws what is
    #    in view, so one is enough there), and its list shows every one of them.
    for group, assets in sorted(by_group.items()):
        for view, expect in (("", "any"), ("/list", "all")):
            driver.get(f"{base}/locations/{dagster_dev.location}/asset-groups/{group}{view}")
            try:
                _wait(driver).until(lambda d: (assets <= set(_body_text(d).split())) if expect == "all"
                                    else bool(assets & set(_body_text(d).split())))
            except Exception:
                shot = _shot(driver, f"failed_group_{group}{view.replace('/', '_')}.png")
                missing = sorted(assets - set(_body_text(driver).split()))
                raise AssertionError(f"group {group} page {view or '/'}: assets not shown: {missing} ({shot})") from None
    _shot(driver, "02_group_report_list.png")
    print(f"groups checked after {time.monotonic() - started:.0f} s")

    # 3. Materialize all, from the global asset graph.
    assert graphql(base, RUNS)["runsOrError"]["results"] == []
    driver.get(f"{base}/asset-groups")
    button = _wait(driver, 60).until(lambda d: d.find_elements(By.XPATH, materialize_all))[0]
    _dismiss_popups(driver)
    _wait(driver).until(lambda d: button.is_enabled())
    # Partitioned assets: the launch dialog asks which ingest days; a user types one, as when
    # re-running a day. The inbox files are dated to that day (Asia/Ho_Chi_Minh) first.
    for path in dagster_dev.inbox.iterdir():
        os.utime(path, (INGEST_DAY_EPOCH, INGEST_DAY_EPOCH))
    button.click()
    _wait(driver).until(lambda d: "Partition selection" in _body_text(d))
    driver.find_element(By.XPATH, "//button[normalize-space()='Latest']").click()
    field = _wait(driver).until(lambda d: [i for i in d.find_elements(By.XPATH, "//input[@type='text']")
                                           if i.is_displayed() and i.get_attribute("value")])[0]
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(INGEST_DAY, Keys.ENTER)
    _wait(driver).until(lambda d: "1 partition" in _body_text(d) and field.get_attribute("value") == INGEST_DAY)
    _shot(driver, "03_launch_dialog.png")
    driver.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Launch')]").click()
    # The backfill daemon (part of dagster dev) turns the backfill into one run.
    deadline, runs = time.monotonic() + 120, []
    while not runs and time.monotonic() < deadline:
        time.sleep(1)
        runs = graphql(base, RUNS)["runsOrError"]["results"]
    assert len(runs) == 1, runs
    print(f"run launched after {time.monotonic() - started:.0f} s")
    run_id = runs[0]["runId"]

    # 4. Wait for the run to finish, as its page shows it; the API says how it ended.
    driver.get(f"{base}/runs/{run_id}")
    deadline, status = time.monotonic() + 600, runs[0]["status"]
    while status not in TERMINAL and time.monotonic() < deadline:
        time.sleep(2)
        status = {r["runId"]: r["status"] for r in graphql(base, RUNS)["runsOrError"]["results"]}[run_id]
    time.sleep(2)  # let the page catch up with the last events
    shot = _shot(driver, "04_run.png")
    print(f"run ended {status} after {time.monotonic() - started:.0f} s")
    assert status == "SUCCESS", f"run {run_id} ended {status} (screenshot {shot}):\n{dagster_dev.log_tail()}"

    # 5. The warehouse the UI built has its rows.
    with read_only_connection(dagster_dev.warehouse) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in WAREHOUSE_TABLES}
    print("row counts:", counts)
    assert counts["dim_article"] == counts["article_text"] == len(list(dagster_dev.inbox.glob("*.txt")))
    assert counts["ingest_rejection"] == 0
    assert all(n > 0 for t, n in counts.items() if t != "ingest_rejection"), counts
    assert (dagster_dev.warehouse.parent / "reports" / "report.html").is_file()

    # 6. The UI shows every table materialized; the warehouse group's list is the artifact.
    driver.get(f"{base}/locations/{dagster_dev.location}/asset-groups/warehouse/list")
    try:
        _wait(driver, 60).until(lambda d: by_group["warehouse"] <= set(_body_text(d).split())
                                and "Never materialized" not in _body_text(d))
    finally:
        _shot(driver, "05_warehouse_materialized.png")
    print(f"UI test took {time.monotonic() - started:.0f} s (after dagster dev was up)")
