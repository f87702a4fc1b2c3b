"""``query_frame`` (DuckDB -> Polars through the Arrow C stream) gives what ``.pl()`` gives."""

import duckdb
import polars as pl
import pytest

from pipelines.schemas import query_frame

ROWS = """
SELECT * FROM (VALUES
    (1, 'Hà Nội', DATE '2017-03-01', TIMESTAMP '2017-03-01 08:30:00', ['a', 'b'], {'k': 1}, true, 1.5, 12345678901),
    (2, NULL, NULL, NULL, [], NULL, NULL, NULL, NULL)
) t(id, name, day, seen_at, aliases, extra, flag, score, big)
"""


@pytest.mark.parametrize("sql", [ROWS, f"SELECT * FROM ({ROWS}) WHERE false", "SELECT 1 AS x WHERE false"])
def test_query_frame_is_the_polars_result(sql):
    con = duckdb.connect()
    fast, plain = query_frame(con, sql), con.execute(sql).pl()
    assert fast.schema == plain.schema and fast.equals(plain)


def test_query_frame_binds_parameters():
    con = duckdb.connect()
    assert query_frame(con, "SELECT ? AS day, ? AS n", ["2017-03-01", 3]).row(0) == ("2017-03-01", 3)
    assert query_frame(con, "SELECT 1 AS n").to_dicts() == [{"n": 1}]
    assert isinstance(query_frame(con, "SELECT 1 AS n"), pl.DataFrame)
