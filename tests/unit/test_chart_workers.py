"""The report's drawing workers (pipelines.reporting.workers): same pictures as drawing in-process,
drawn in the workers, and a fallback when they are gone. Each case runs in a fresh interpreter,
as the CLI does: the workers must be forked before Polars, DuckDB or a test runner start threads."""

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SETUP = """
from pipelines.reporting.workers import drawing_pool, start_drawing_workers, stop_drawing_workers
start_drawing_workers()
import sys
import polars as pl
from tests.unit.test_charts import EVENTS, LINKS, PEOPLE, QUOTES
from pipelines.reporting.charts import ReportData, draw_png, render_charts
data = ReportData(QUOTES, EVENTS, PEOPLE, LINKS)
"""


def run_python(body: str) -> str:
    done = subprocess.run([sys.executable, "-c", SETUP + textwrap.dedent(body)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_workers_draw_the_same_charts_and_this_process_never_loads_matplotlib():
    out = run_python("""
        charts = render_charts(data)
        one_new = render_charts(data, reuse={c.name: (c.digest, c.png) for c in charts[:2]})  # draws one
        assert [c.png for c in one_new] == [c.png for c in charts]
        assert "matplotlib" not in sys.modules, "drawn here, not in the workers"
        workers = {pid for pid in drawing_pool()._processes}
        stop_drawing_workers()
        assert drawing_pool() is None
        assert [c.png for c in charts] == [draw_png(c.name, data) for c in charts]  # now drawn here
        print(len(charts), len(workers))
    """)
    assert out.split() == ["3", "2"]


def test_charts_are_drawn_here_when_a_worker_died():
    out = run_python("""
        import os, signal, time
        from concurrent.futures.process import BrokenProcessPool
        pid = next(iter(drawing_pool()._processes))
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        charts = render_charts(data)
        assert all(c.png.startswith(b"\\x89PNG") for c in charts)
        print("matplotlib" in sys.modules)
    """)
    assert out.split() == ["True"]
