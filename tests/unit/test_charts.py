"""Chart building on frames the seeds do not produce: dated events, unresolved speakers, empties."""

import datetime as dt

import polars as pl

from pipelines.reporting.charts import (ReportData, events_timeline_chart, html_page, network_chart, png_bytes,
                                        quotes_per_person_chart, render_charts)

QUOTES = pl.DataFrame({"speaker": ["Tô Lâm", "một lãnh đạo"], "direct": [2, 0], "indirect": [3, 1],
                       "quotes": [5, 1], "unresolved": [False, True]})
EVENTS = pl.DataFrame({
    "event_id": ["e1", "e2", "e3"], "event_type": ["meeting", "visit", "conference"],
    "title": ["a", "b", "c"], "date_text": ["26/2/2024", "3/3", None],
    "date_precision": ["day", "year_inferred", None], "place_name": ["Hà Nội", None, None],
    "chair_name": ["Tô Lâm", None, None], "organizer_name": [None, "Bộ Công an", None],
    "n_articles": [2, 1, 1], "n_sources": [2, 1, 0], "n_participants": [3, 1, 0],
    "plot_date": [dt.date(2024, 2, 26), dt.date(2024, 3, 3), None], "date_from_article": [False, True, False],
})
PEOPLE = pl.DataFrame({"name": ["Tô Lâm", "Bùi Thanh Sơn", "Nguyễn Minh Vũ"], "events": [3, 2, 1]})
LINKS = pl.DataFrame({"source": ["Bùi Thanh Sơn", "Nguyễn Minh Vũ"], "target": ["Tô Lâm", "Tô Lâm"],
                      "shared_events": [2, 1]})


def _is_png(data: bytes) -> bool:
    return data.startswith(b"\x89PNG") and len(data) > 3000


def test_each_chart_renders_with_dated_and_undated_data():
    assert _is_png(png_bytes(quotes_per_person_chart(QUOTES)))
    assert _is_png(png_bytes(events_timeline_chart(EVENTS)))
    assert _is_png(png_bytes(network_chart(PEOPLE, LINKS)))


def test_empty_warehouse_still_gives_three_charts_and_a_page():
    data = ReportData(QUOTES.clear(), EVENTS.clear(), PEOPLE.clear(), LINKS.clear())
    charts = render_charts(data)
    assert [c.name for c in charts] == ["quotes_per_person", "events_timeline", "people_network"]
    assert all(_is_png(c.png) for c in charts)
    page = html_page(charts, "x.duckdb", "2026-01-01 00:00")
    assert page.count("data:image/png;base64,") == 3 and "<script" not in page


def test_one_person_network():
    assert _is_png(png_bytes(network_chart(PEOPLE.head(1), LINKS.clear())))


LONG = "Nguyễn Thị Phương Thảo Hoàng Thị Minh Khai Đỗ Quang Thắng"  # longer than any label is cut to


def _drawn_extent_fits(fig) -> bool:
    """Whether everything drawn on ``fig`` (labels, titles, markers) lies inside the figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    drawn, (width, height) = fig.get_tightbbox(renderer), fig.get_size_inches()  # inches
    return drawn.x0 >= -0.01 and drawn.y0 >= -0.01 and drawn.x1 <= width + 0.01 and drawn.y1 <= height + 0.01


def test_long_labels_stay_inside_every_chart():
    # Margins come from measured label widths (no layout engine): long names must not be cut off.
    quotes = pl.concat([QUOTES, QUOTES.head(1).with_columns(speaker=pl.lit(LONG), quotes=pl.lit(9, dtype=pl.Int64))])
    events = EVENTS.with_columns(chair_name=pl.lit(LONG), place_name=pl.lit("Thành phố Hồ Chí Minh"))
    people = pl.DataFrame({"name": [LONG, *(f"{LONG} {i}" for i in range(11))], "events": list(range(12, 0, -1))})
    for fig in (quotes_per_person_chart(quotes), events_timeline_chart(events), network_chart(people, LINKS)):
        assert _drawn_extent_fits(fig)
