"""Set-up of the UI test: a real browser (Debian's Chromium + ChromeDriver, driven by
Selenium) and a real `dagster dev` on a free loopback port with its own DAGSTER_HOME.

What is missing is installed here: Chromium and ChromeDriver with apt-get (as root), Selenium
with pip. When the browser cannot be had, the test is *skipped* with the reason, never passed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("NEWS_E2E_ARTIFACTS") or REPO / "tests" / "e2e" / "artifacts")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1600,1000"]


def _browser() -> tuple[str | None, str | None]:
    chromium = next((p for p in map(shutil.which, ["chromium", "chromium-browser", "google-chrome"]) if p), None)
    return chromium, shutil.which("chromedriver")


def _install_browser() -> str:
    """apt-get install chromium chromium-driver; returns what went wrong ('' when it worked)."""
    if not shutil.which("apt-get"):
        return "apt-get is not available on this machine"
    if os.geteuid() != 0:
        return "not root, so apt-get cannot install chromium (run: sudo apt-get install chromium chromium-driver)"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"]):
        try:
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        except subprocess.TimeoutExpired:
            return f"{' '.join(cmd)} timed out"
        if done.returncode != 0:
            return f"{' '.join(cmd)} failed: {(done.stderr or done.stdout).strip()[-300:]}"
    return ""


def require_browser(find=_browser, install=_install_browser) -> tuple[str, str]:
    """Chromium and ChromeDriver paths, installing them (and selenium) when missing; skips the
    test with the reason when they cannot be had. Never returns without a browser."""
    chromium, driver = find()
    if not (chromium and driver):
        problem = install()
        chromium, driver = find()
        if not (chromium and driver):
            pytest.skip(f"UI test skipped: no headless Chromium + ChromeDriver on this machine and they could "
                        f"not be installed ({problem or 'installed, but not found on PATH'}).")
    try:
        import selenium  # noqa: F401
    except ImportError:
        done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "selenium>=4.20,<5"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"UI test skipped: selenium could not be installed: {done.stderr.strip()[-300:]}")
    return chromium, driver


@pytest.fixture(scope="session")
def browser_paths() -> tuple[str, str]:
    return require_browser()


@pytest.fixture(scope="session")
def driver(browser_paths):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = browser_paths
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    browser.set_page_load_timeout(60)
    yield browser
    browser.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(base: str, query: str, timeout: float = 10) -> dict:
    request = urllib.request.Request(f"{base}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = json.load(response)
    if body.get("errors"):
        raise RuntimeError(body["errors"])
    return body["data"]


LOCATIONS = """{ workspaceOrError { ... on Workspace { locationEntries { name
  locationOrLoadError { __typename ... on PythonError { message } } } } } }"""


class DagsterDev:
    def __init__(self, root: Path, proc: subprocess.Popen, base: str, log: Path, warehouse: Path, inbox: Path):
        self.root, self.proc, self.base, self.log, self.warehouse, self.inbox = root, proc, base, log, warehouse, inbox
        self.location = ""

    def log_tail(self, n: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])

    def wait_loaded(self, timeout: float = 120) -> None:
        deadline, last = time.monotonic() + timeout, "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"dagster dev exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                entries = graphql(self.base, LOCATIONS, timeout=5)["workspaceOrError"]["locationEntries"]
            except Exception as exc:  # not listening yet
                last = repr(exc)
            else:
                loaded = [e for e in entries if (e["locationOrLoadError"] or {}).get("__typename") == "RepositoryLocation"]
                errors = [e for e in entries if (e["locationOrLoadError"] or {}).get("__typename") == "PythonError"]
                if errors:
                    raise AssertionError(f"code location failed to load: {errors[0]['locationOrLoadError']['message']}")
                if loaded:
                    self.location = loaded[0]["name"]
                    return
                last = f"locations: {entries}"
            time.sleep(1)
        raise AssertionError(f"dagster dev not ready after {timeout:.0f} s ({last}):\n{self.log_tail()}")

    def stop(self) -> None:
        """End the process group this fixture started (dagster dev and its children)."""
        if self.proc.poll() is None:
            for sig, wait in ((signal.SIGINT, 15), (signal.SIGKILL, 10)):
                try:
                    os.killpg(self.proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(timeout=wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        try:  # children left behind after the leader exited
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


@pytest.fixture(scope="module")
def dagster_dev(tmp_path_factory, browser_paths):
    """`dagster dev` over a copy of the seeds, a temporary warehouse and a fresh DAGSTER_HOME."""
    root = tmp_path_factory.mktemp("ui")
    home, inbox, wh = root / "dagster_home", root / "inbox", root / "wh"
    for d in (home, inbox, wh):
        d.mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster.yaml")
    with open(home / "dagster.yaml", "a", encoding="utf-8") as f:
        f.write("\ntelemetry:\n  enabled: false\n")
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        shutil.copy(seed, inbox / seed.name)
    port = _free_port()
    # The inbox sensor would start its own refresh as soon as the daemon is up; this test
    # launches the run itself, from the UI.
    env = {**os.environ, "NEWS_AUTOMATION": "off", "DAGSTER_HOME": str(home), "NEWS_INBOX_DIR": str(inbox),
           "NEWS_WAREHOUSE_PATH": str(wh / "news.duckdb"), "NEWS_STAGING_DIR": str(wh / "staging"),
           "DAGSTER_DISABLE_TELEMETRY": "1"}
    log = root / "dagster_dev.log"
    dagster = Path(sys.executable).with_name("dagster")
    with open(log, "w") as out:
        proc = subprocess.Popen([str(dagster), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
                                cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    server = DagsterDev(root, proc, f"http://127.0.0.1:{port}", log, wh / "news.duckdb", inbox)
    try:
        server.wait_loaded()
        yield server
    finally:
        server.stop()
        print(f"\ndagster dev log: {log}")
