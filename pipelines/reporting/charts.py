"""Charts of the warehouse for analysts: quotes per person, an events timeline, and who
appears with whom at events. Polars frames in, matplotlib figures and PNG bytes out;
:func:`build_report` writes the PNGs and one self-contained HTML page (images embedded
as base64), readable offline and mailable as one file.

Pure library: a DuckDB connection (read-only is enough) is the only input; no Dagster.
Matplotlib is used through its object API with the Agg canvas (no pyplot, no display),
so it is safe in a worker process or a thread.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import importlib.metadata
import io
import json
import math
import os
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from pipelines.reporting.workers import drawing_pool
from pipelines.schemas import query_frame

if TYPE_CHECKING:
    import duckdb
    from matplotlib.figure import Figure


def Figure(*args, **kwargs) -> Figure:  # noqa: N802 - matplotlib imported on first use (a second of start-up)
    from matplotlib.figure import Figure as _Figure

    return _Figure(*args, **kwargs)


def import_matplotlib() -> None:
    """Import what drawing a chart needs, ahead of the first chart (a drawing worker's start)."""
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401


MAX_PEOPLE = 20  # bars in the quotes chart
MAX_EVENTS = 30  # rows in the timeline
MAX_NODES = 30  # people in the network
MAX_LINK_LABELS = 15  # links of the network labelled with their number of shared events
DPI = 100
BLUE, ORANGE, GREY = "#4C72B0", "#DD8452", "#8C8C8C"

# --- data ------------------------------------------------------------------

QUOTES_PER_PERSON = """
SELECT coalesce(speaker_name, '(unknown speaker)') AS speaker,
       count(*) FILTER (WHERE quote_kind = 'direct')   AS direct,
       count(*) FILTER (WHERE quote_kind <> 'direct')  AS indirect,
       count(*)                                        AS quotes,
       speaker_person_id IS NULL                       AS unresolved
FROM v_quotes
GROUP BY ALL
ORDER BY quotes DESC, speaker
"""

# An event's date on the timeline: its own date, else the earliest publication date of
# an article reporting it (flagged), else none (drawn in the 'no date' panel). Only the
# columns drawn: v_event_coverage's participant list costs seconds on a large warehouse.
EVENTS = """
WITH first_report AS (
    SELECT b.event_id, min(a.published_date) AS published
    FROM bridge_event_article b JOIN dim_article a USING (article_id)
    GROUP BY b.event_id
)
SELECT e.event_id, e.event_type, e.title, e.date_text, e.date_precision,
       e.place_name, e.chair_name, e.organizer_name, e.n_articles, e.n_sources,
       coalesce(e.event_date, f.published) AS plot_date,
       e.event_date IS NULL AND f.published IS NOT NULL AS date_from_article
FROM v_event_coverage e
LEFT JOIN first_report f USING (event_id)
ORDER BY plot_date NULLS LAST, e.n_articles DESC, e.event_id
"""

# People who took part in the same event; weight = number of shared events.
CO_PARTICIPATION = """
WITH people AS (
    SELECT DISTINCT b.event_id, p.canonical_name AS name
    FROM bridge_event_participant b
    JOIN dim_person p ON b.entity_kind = 'person' AND p.person_id = b.entity_id
)
SELECT a.name AS source, b.name AS target, count(DISTINCT a.event_id) AS shared_events
FROM people a JOIN people b ON a.event_id = b.event_id AND a.name < b.name
GROUP BY ALL
ORDER BY shared_events DESC, source, target
"""

PEOPLE_AT_EVENTS = """
SELECT p.canonical_name AS name, count(DISTINCT b.event_id) AS events
FROM bridge_event_participant b
JOIN dim_person p ON b.entity_kind = 'person' AND p.person_id = b.entity_id
GROUP BY ALL
ORDER BY events DESC, name
"""


@dataclass(frozen=True)
class ReportData:
    quotes_per_person: pl.DataFrame
    events: pl.DataFrame
    people: pl.DataFrame  # network nodes: name, events
    links: pl.DataFrame  # network edges: source, target, shared_events


def load_report_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    """Everything the charts need, read from the warehouse's tables and views."""
    return ReportData(
        quotes_per_person=query_frame(con, QUOTES_PER_PERSON),
        events=query_frame(con, EVENTS),
        people=query_frame(con, PEOPLE_AT_EVENTS),
        links=query_frame(con, CO_PARTICIPATION),
    )


# --- figures ---------------------------------------------------------------

# Margins are set from measured label widths, not by matplotlib's constrained layout: that
# measures every artist several times over and made up half of a chart's drawing time.

def _text_widths(labels: list[str], size: float = 10.0) -> list[float]:
    """Widths in inches of ``labels`` at font ``size`` (points), as Agg draws them."""
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    renderer, prop = RendererAgg(1, 1, DPI), FontProperties(size=size)
    return [renderer.get_text_width_height_descent(label, prop, ismath=False)[0] / DPI for label in labels]


def _text_width(labels: list[str], size: float = 10.0) -> float:
    """Width in inches of the widest of ``labels``."""
    return max(_text_widths(labels, size), default=0.0)


def _margins(fig: Figure, left: float, right: float, top: float, bottom: float, **spacing: float) -> None:
    """Place the subplots ``left``/``right``/``top``/``bottom`` inches inside the figure's edges."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height,
                        bottom=bottom / height, **spacing)


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", color=GREY, fontsize=11, transform=ax.transAxes)
    ax.set_xticks([])
    ax.set_yticks([])


def _short(text: str | None, n: int = 48) -> str:
    text = (text or "").strip()
    return text if len(text) <= n else text[: n - 1] + "…"


def quotes_per_person_chart(df: pl.DataFrame, top: int = MAX_PEOPLE) -> Figure:
    """Horizontal stacked bars: direct and indirect quotes per speaker, most quoted on top."""
    df = df.head(top)
    fig = Figure(figsize=(8, max(2.5, 0.45 * df.height + 1.4)), dpi=DPI)
    ax = fig.add_subplot()
    ax.set_title("Quotes per person", loc="left", fontweight="bold")
    if df.height == 0:
        _empty(ax, "no quotes in the warehouse")
        _margins(fig, left=0.3, right=0.3, top=0.4, bottom=0.3)
        return fig
    rows = df.reverse()  # barh draws bottom-up
    labels = [f"{s} (unresolved)" if u else s for s, u in zip(rows["speaker"], rows["unresolved"])]
    _margins(fig, left=_text_width(labels) + 0.2, right=0.15, top=0.4, bottom=0.6)
    y = range(rows.height)
    ax.barh(y, rows["direct"], color=BLUE, label="direct")
    ax.barh(y, rows["indirect"], left=rows["direct"], color=ORANGE, label="indirect")
    for i, total in enumerate(rows["quotes"]):
        ax.text(total, i, f" {total}", va="center", fontsize=9)
    ax.set_yticks(list(y), labels)
    ax.set_xlabel("quotes")
    ax.set_xlim(0, max(rows["quotes"]) * 1.12 + 0.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(loc="lower right", frameon=False)
    return fig


def _event_label(row: dict) -> str:
    who = row["chair_name"] or row["organizer_name"] or ""
    parts = [row["event_type"] or "event", who, row["place_name"] or "", row["date_text"] or ""]
    return _short(" · ".join(p for p in parts if p), 60)


def _row_lines(ax, ys: list[int]) -> None:
    """A light horizontal line across ``ax`` at each of ``ys`` (one artist for all)."""
    ax.hlines(ys, 0, 1, transform=ax.get_yaxis_transform(), color="#eeeeee", zorder=0)


def events_timeline_chart(df: pl.DataFrame, top: int = MAX_EVENTS) -> Figure:
    """Events on a date axis (marker size = reporting articles); events whose date has no
    year, and which no dated article reports, sit in a separate 'no full date' panel:
    a year is never invented, not even for a picture."""
    df = df.head(top)
    height = max(2.8, 0.42 * df.height + 1.6)
    fig = Figure(figsize=(10, height), dpi=DPI)
    fig.suptitle("Events timeline", x=0.01, ha="left", fontweight="bold")
    if df.height == 0:
        _empty(fig.add_subplot(), "no events in the warehouse")
        _margins(fig, left=0.3, right=0.3, top=0.5, bottom=0.3)
        return fig
    ax_dated, ax_undated = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [4, 1]})
    rows = list(df.iter_rows(named=True))
    labels = [_event_label(r) for r in rows]
    _margins(fig, left=_text_width(labels) + 0.2, right=0.15, top=0.55, bottom=0.65, wspace=0.06)
    ys = list(range(len(rows)))[::-1]  # earliest on top
    sizes = [40 + 40 * (r["n_articles"] or 0) for r in rows]
    dated = [(y, r, s) for y, r, s in zip(ys, rows, sizes) if r["plot_date"] is not None]
    undated = [(y, r, s) for y, r, s in zip(ys, rows, sizes) if r["plot_date"] is None]
    # One collection per kind of mark, not one artist per event: drawing is per artist.
    if dated:
        ax_dated.scatter([r["plot_date"] for _, r, _ in dated], [y for y, _, _ in dated], s=[s for _, _, s in dated],
                         c=[ORANGE if r["date_from_article"] else BLUE for _, r, _ in dated], zorder=3)
        _row_lines(ax_dated, [y for y, _, _ in dated])
        days = [r["plot_date"] for _, r, _ in dated]
        pad = max((max(days) - min(days)).days * 0.08, 3)
        ax_dated.set_xlim(min(days) - dt.timedelta(days=pad), max(days) + dt.timedelta(days=pad))
        import matplotlib.dates as mdates

        locator = mdates.AutoDateLocator(maxticks=8)
        ax_dated.xaxis.set_major_locator(locator)
        ax_dated.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax_dated.set_title("blue: event date · orange: date of the first report", loc="right", fontsize=8,
                           color=GREY)
    else:
        ax_dated.text(0.5, 0.5, "no event has a full date\n(the texts give day and month only)",
                      ha="center", va="center", color=GREY, transform=ax_dated.transAxes)
        ax_dated.set_xticks([])
    if undated:
        ax_undated.scatter([0] * len(undated), [y for y, _, _ in undated], s=[s for _, _, s in undated],
                           facecolors="none", edgecolors=GREY, linewidths=1.5, zorder=3)
        _row_lines(ax_undated, [y for y, _, _ in undated])
    ax_undated.set_xticks([0], ["no full date"])
    ax_undated.set_xlim(-1, 1)
    ax_dated.set_yticks(ys, labels)
    ax_dated.set_ylim(-0.7, len(rows) - 0.3)
    for ax in (ax_dated, ax_undated):
        ax.spines[["top", "right"]].set_visible(False)
    return fig


def network_chart(people: pl.DataFrame, links: pl.DataFrame, top: int = MAX_NODES) -> Figure:
    """Who appears with whom at events: people on a circle (size = events attended), a line
    between two people per shared event (width = number of shared events)."""
    width, height, title_in, footnote_in = 8.0, 6.5, 0.4, 0.3  # inches
    fig = Figure(figsize=(width, height), dpi=DPI)
    ax = fig.add_subplot()
    _margins(fig, left=0.1, right=0.1, top=title_in, bottom=footnote_in)
    ax.set_title("Who appears with whom at events", loc="left", fontweight="bold")
    ax.set_aspect("equal")
    ax.axis("off")
    people = people.head(top)
    if people.height == 0:
        _empty(ax, "no people take part in events")
        return fig
    names = people["name"].to_list()
    n = len(names)
    pos = {name: (math.cos(math.pi / 2 - 2 * math.pi * i / n), math.sin(math.pi / 2 - 2 * math.pi * i / n))
           if n > 1 else (0.0, 0.0) for i, name in enumerate(names)}
    links = links.filter(pl.col("source").is_in(names) & pl.col("target").is_in(names))
    strongest = max(links["shared_events"].max() or 1, 1)
    # All lines in one collection and all people in one scatter: drawing is per artist.
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgb

    rows = list(links.iter_rows())
    ax.add_collection(LineCollection([[pos[src], pos[dst]] for src, dst, _ in rows],
                                     colors=[(*to_rgb(BLUE), 0.35 + 0.5 * w / strongest) for _, _, w in rows],
                                     linewidths=[1 + 4 * w / strongest for _, _, w in rows], zorder=1))
    # Numbers on the strongest links only: on a large warehouse hundreds of labels hide the lines.
    for src, dst, w in sorted(rows, key=lambda r: -r[2])[:MAX_LINK_LABELS]:
        if w > 1:
            (x0, y0), (x1, y1) = pos[src], pos[dst]
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, str(w), fontsize=8, ha="center", va="center",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"}, zorder=2)
    most = max(people["events"].max() or 1, 1)
    ax.scatter([pos[name][0] for name in names], [pos[name][1] for name in names],
               s=[200 + 900 * events / most for events in people["events"]], color=ORANGE, edgecolors="white", zorder=3)
    labels = [f"{_short(name, 32)} ({events})" for name, events in people.iter_rows()]
    half_w, half_h = (width - 0.2) / 2, (height - title_in - footnote_in) / 2  # inches
    radius = half_h - 0.6  # inches: room for a line of text above and below the circle
    for (name, events), label, label_w in zip(people.iter_rows(), labels, _text_widths(labels)):
        x, y = pos[name]
        # Labels point away from the centre, clear of the lines that meet inside the circle.
        norm = math.hypot(x, y) or 1.0
        ux, uy = (x / norm, y / norm) if n > 1 else (0.0, -1.0)
        off = 16 + 10 * events / most
        side = abs(ux) >= 0.3
        ax.annotate(label, (x, y), xytext=(ux * off, uy * off), textcoords="offset points",
                    ha=("left" if ux > 0 else "right") if side else "center",
                    va="center" if abs(uy) < 0.3 else ("bottom" if uy > 0 else "top"), fontsize=10, zorder=4)
        # A label beside the circle must end inside the figure: shrink the circle until it does.
        reach = off / 72 + label_w if side else label_w / 2
        radius = min(radius, (half_w - reach - 0.05) / max(abs(ux), 0.05))
    radius = max(radius, 0.8)
    ax.set_xlim(-half_w / radius, half_w / radius)
    ax.set_ylim(-half_h / radius, half_h / radius)
    ax.text(0.0, -0.04, f"(n) = events attended; line width = shared events (numbered on the {MAX_LINK_LABELS} "
            "strongest links)", transform=ax.transAxes,
            fontsize=8, color=GREY)
    return fig


def png_bytes(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, facecolor="white")
    return buf.getvalue()


# --- the report ------------------------------------------------------------

@dataclass(frozen=True)
class Chart:
    name: str  # file stem
    title: str
    caption: str
    png: bytes
    path: Path | None = None
    digest: str = ""  # of the data drawn (render_charts)

    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


def _drawn(frames: list[pl.DataFrame]) -> str:
    """A digest of exactly what a chart draws, with the chart code and matplotlib version."""
    h = hashlib.sha256(_CODE_VERSION.encode())
    for frame in frames:
        h.update(json.dumps(frame.columns).encode())
        h.update(frame.write_csv().encode())
    return h.hexdigest()


try:
    _CODE_VERSION = Path(__file__).read_text(encoding="utf-8") + importlib.metadata.version("matplotlib")
except (OSError, importlib.metadata.PackageNotFoundError):  # pragma: no cover
    _CODE_VERSION = str(dt.datetime.now())  # never reuse


def render_charts(data: ReportData, reuse: dict[str, tuple[str, bytes]] | None = None) -> list[Chart]:
    """The charts of ``data``. ``reuse`` maps a chart name to ``(digest, png)`` of an earlier
    rendering: a chart whose drawn data has that digest is not drawn again (same data, same
    picture); :attr:`Chart.digest` gives each chart's digest."""
    q, e = data.quotes_per_person, data.events
    shown = data.people.head(MAX_NODES)["name"].to_list()
    specs: list[tuple[str, str, str, list[pl.DataFrame]]] = [
        ("quotes_per_person", "Quotes per person",
         f"{int(q['quotes'].sum() or 0)} quotes by {q.height} speakers (top {MAX_PEOPLE} shown), direct and indirect.",
         [q.head(MAX_PEOPLE)]),
        ("events_timeline", "Events timeline",
         f"{e.height} events (first {MAX_EVENTS} shown); "
         f"{e.filter(pl.col('plot_date').is_null()).height} without a full date.",
         [e.head(MAX_EVENTS)]),
        ("people_network", "Who appears with whom",
         f"{data.people.height} people at events, {data.links.height} pairs who took part in the same event.",
         [data.people.head(MAX_NODES), data.links.filter(pl.col("source").is_in(shown) & pl.col("target").is_in(shown))]),
    ]
    digests = {name: _drawn(drawn) for name, _, _, drawn in specs}
    pngs = {name: old[1] for name, old in (reuse or {}).items() if digests.get(name) == old[0]}
    pngs |= _draw_pngs([name for name in digests if name not in pngs], data)
    return [Chart(name, title, caption, pngs[name], digest=digests[name]) for name, title, caption, _ in specs]


# How each chart is drawn from the report's data, by name (what a drawing worker is sent).
_FIGURES: dict[str, Callable[[ReportData], Figure]] = {
    "quotes_per_person": lambda data: quotes_per_person_chart(data.quotes_per_person),
    "events_timeline": lambda data: events_timeline_chart(data.events),
    "people_network": lambda data: network_chart(data.people, data.links),
}


def draw_png(name: str, data: ReportData) -> bytes:
    """The PNG of chart ``name`` of ``data``."""
    return png_bytes(_FIGURES[name](data))


def _draw_pngs(names: list[str], data: ReportData) -> dict[str, bytes]:
    """The PNGs of charts ``names``: on the drawing workers side by side when this process
    started them (:mod:`pipelines.reporting.workers`; they have matplotlib loaded already),
    else here one after another."""
    pool = drawing_pool()
    if pool is not None and names:
        try:
            futures = {name: pool.submit(draw_png, name, data) for name in names}
            return {name: future.result() for name, future in futures.items()}
        except (BrokenProcessPool, RuntimeError):  # a worker died, or the pool was shut down: draw here
            pass
    return {name: draw_png(name, data) for name in names}


def html_page(charts: list[Chart], warehouse: str, generated: str) -> str:
    """One self-contained page: every image inline, no script, no external resource."""
    sections = "\n".join(
        f'<section><h2>{html.escape(c.title)}</h2><p>{html.escape(c.caption)}</p>'
        f'<img alt="{html.escape(c.title)}" src="{c.data_uri()}"></section>' for c in charts)
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>News warehouse report</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1060px; margin: 2em auto; padding: 0 1em; color: #222; }}
img {{ max-width: 100%; border: 1px solid #ddd; }} section {{ margin-bottom: 2.5em; }}
.meta {{ color: #666; font-size: 0.9em; }}
</style></head>
<body>
<h1>News warehouse report</h1>
<p class="meta">Warehouse <code>{html.escape(warehouse)}</code>, generated {html.escape(generated)} UTC.</p>
{sections}
</body></html>
"""


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _previous_charts(out_dir: Path) -> dict[str, tuple[str, bytes]]:
    """The charts an earlier report left in ``out_dir``, with the digests of their data."""
    try:
        digests = json.loads((out_dir / CACHE_FILE).read_text(encoding="utf-8"))
        return {name: (digest, (out_dir / f"{name}.png").read_bytes()) for name, digest in digests.items()}
    except (OSError, ValueError, AttributeError):
        return {}


CACHE_FILE = ".charts.json"


def build_report(con: duckdb.DuckDBPyConnection, out_dir: Path, warehouse: str = "") -> tuple[list[Chart], Path]:
    """Render the charts from ``con``, write ``<name>.png`` and ``report.html`` into ``out_dir``.

    A chart whose data is what the PNG already in ``out_dir`` shows (a refresh that did not
    change it) is not drawn again."""
    out_dir.mkdir(parents=True, exist_ok=True)
    previous = _previous_charts(out_dir)
    charts = []
    for chart in render_charts(load_report_data(con), reuse=previous):
        path = out_dir / f"{chart.name}.png"
        if previous.get(chart.name, ("", b""))[1] != chart.png or not path.is_file():
            _write_atomic(path, chart.png)
        charts.append(Chart(chart.name, chart.title, chart.caption, chart.png, path, chart.digest))
    _write_atomic(out_dir / CACHE_FILE, json.dumps({c.name: c.digest for c in charts}).encode("utf-8"))
    generated = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")
    page = out_dir / "report.html"
    _write_atomic(page, html_page(charts, warehouse, generated).encode("utf-8"))
    return charts, page
