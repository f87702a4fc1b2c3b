"""The analyst views' semantics after their rewrite for speed (warehouse/derived_*.sql, views.sql).

Not timing tests: the shapes that keep the views fast at 100k articles must not change what
they answer. v_repeated_statements is checked against a brute-force comparison of all pairs,
and a pathological LSH bucket (hundreds of near-identical texts) must not yield all pairs.
"""

from datetime import date, datetime
from itertools import combinations
from pathlib import Path

import duckdb
import pytest

from pipelines.derived_tables import update_derived
from pipelines.resources import read_only_connection

REPO = Path(__file__).resolve().parents[2]
SQL = REPO / "warehouse"

BASE = ("Việt Nam luôn coi trọng quan hệ hợp tác toàn diện với các nước láng giềng và sẵn sàng "
        "phối hợp chặt chẽ trong mọi lĩnh vực vì hòa bình ổn định và phát triển của khu vực")

# Every pair of quotes in different articles with word-set Jaccard >= 0.8, by brute force:
# what v_repeated_statements must return, found without comparing all pairs.
BRUTE_FORCE = """
WITH w AS (
    SELECT quote_id, article_id,
           list_distinct(list_filter(string_split(trim(regexp_replace(lower(quote_text),
               '[^\\p{L}\\p{M}\\p{N}]+', ' ', 'g')), ' '), x -> x <> '')) AS words
    FROM fact_quote JOIN dim_article USING (article_id)
)
SELECT a.quote_id, b.quote_id,
       round(len(list_intersect(a.words, b.words)) / len(list_distinct(list_concat(a.words, b.words))), 3)
FROM w a JOIN w b ON a.quote_id < b.quote_id AND a.article_id <> b.article_id
WHERE len(a.words) > 0
  AND len(list_intersect(a.words, b.words)) / len(list_distinct(list_concat(a.words, b.words))) >= 0.8
ORDER BY ALL
"""
FROM_VIEW = "SELECT quote_id_a, quote_id_b, word_jaccard FROM v_repeated_statements ORDER BY ALL"


def _warehouse(path: Path, quotes: list[tuple[str, str, str | None, str]]) -> duckdb.DuckDBPyConnection:
    """A warehouse file holding ``quotes`` (quote_id, article_id, speaker_person_id, text), its
    articles, two people and one event, with the derived tables and views.sql built as the writer does."""
    con = duckdb.connect(str(path))
    con.execute((SQL / "schema.sql").read_text(encoding="utf-8"))
    articles = sorted({q[1] for q in quotes})
    now = datetime(2024, 1, 1)
    con.executemany(
        "INSERT INTO dim_article (article_id, file_name, source_name, title, published_date, content_sha256,"
        " char_count, sentence_count, ingested_at, is_current, in_inbox)"
        " VALUES (?, ?, 'Báo A', ?, ?, ?, 100, 3, ?, true, true)",
        [(a, f"{a}.txt", f"Bài {a}", date(2024, 1, 1 + i % 28), a, now) for i, a in enumerate(articles)])
    con.execute("INSERT INTO dim_person VALUES ('per_a', 'Tô Lâm', 'To Lam', ['Bộ trưởng Tô Lâm']),"
                " ('per_b', 'Bùi Thanh Sơn', 'Bui Thanh Son', ['Bùi Thanh Sơn'])")
    con.execute("INSERT INTO fact_event (event_id, event_type, title, event_date) "
                "VALUES ('evt_1', 'meeting', 'Hội đàm', DATE '2024-01-02')")
    con.executemany(
        "INSERT INTO fact_quote VALUES (?, ?, ?, ?, ?, ?, 'direct', 'khẳng định', 0, 0, 10)",
        [(qid, art, "evt_1" if art == articles[0] else None, spk, "ông X" if spk is None else None, text)
         for qid, art, spk, text in quotes])
    update_derived(con, rebuild=True)
    con.execute((SQL / "views.sql").read_text(encoding="utf-8"))
    return con


def test_repeated_statement_across_two_articles(tmp_path):
    con = _warehouse(tmp_path / "w.duckdb", [
        ("quo_1", "art_1", "per_a", BASE),
        ("quo_2", "art_2", "per_b", BASE + "."),              # same words, other speaker
        ("quo_3", "art_2", "per_b", BASE.replace("hòa bình", "hoà bình")),  # one word differs
        ("quo_4", "art_1", "per_a", BASE),                    # same article as quo_1: never paired with it
        ("quo_5", "art_3", None, "Hai bên nhất trí tăng cường trao đổi đoàn các cấp"),  # unrelated
    ])
    rows = con.execute("SELECT quote_id_a, quote_id_b, word_jaccard, jaro_winkler, speaker_a, speaker_b,"
                       " different_speakers, event_title_a, event_title_b FROM v_repeated_statements"
                       " ORDER BY ALL").fetchall()
    pairs = {(r[0], r[1]): r for r in rows}
    assert ("quo_1", "quo_4") not in pairs  # same article
    assert not [p for p in pairs if "quo_5" in p]
    a = pairs[("quo_1", "quo_2")]
    assert a[2] == 1.0 and 0.99 <= a[3] <= 1.0
    assert (a[4], a[5], a[6], a[7], a[8]) == ("Tô Lâm", "Bùi Thanh Sơn", True, "Hội đàm", None)
    assert 0.8 <= pairs[("quo_1", "quo_3")][2] < 1.0
    assert ("quo_2", "quo_3") not in pairs  # same article
    assert con.execute(BRUTE_FORCE).fetchall() == con.execute(FROM_VIEW).fetchall()


def test_a_statement_reused_by_n_articles_gives_each_pair_once(tmp_path):
    n = 7
    con = _warehouse(tmp_path / "w.duckdb", [(f"quo_{i}", f"art_{i}", "per_a", BASE) for i in range(n)])
    rows = con.execute("SELECT quote_id_a, quote_id_b FROM v_repeated_statements").fetchall()
    assert sorted(rows) == sorted(combinations(sorted(f"quo_{i}" for i in range(n)), 2))
    # one distinct text, compared once: a single (text, text) pair in the derived table
    assert con.execute("SELECT count(*) FROM statement_pair").fetchone()[0] == 1


def test_pathological_bucket_does_not_compare_all_pairs(tmp_path):
    # n near-identical texts (the base plus one word of their own) share their MinHash bucket
    # in most bands; every pair of them is >= 0.8 similar, so only the bucket cap keeps the
    # candidates near-linear.
    n = 600
    con = _warehouse(tmp_path / "w.duckdb",
                     [(f"quo_{i:04d}", f"art_{i:04d}", None, f"{BASE} từ{i:04d}") for i in range(n)])
    biggest = con.execute("SELECT max(c) FROM (SELECT count(*) AS c FROM quote_minhash_band"
                          " GROUP BY band, bucket)").fetchone()[0]
    assert biggest > 400  # the test does build a pathological bucket
    pairs = con.execute("SELECT count(*) FROM statement_pair WHERE statement_id_a <> statement_id_b").fetchone()[0]
    all_pairs = n * (n - 1) // 2
    assert pairs <= 200 * n < all_pairs  # blocks of 100: each text meets at most ~150 others
    # every text still meets its neighbours in the bucket
    lonely = con.execute("""
        SELECT count(*) FROM quote_statement s
        WHERE NOT EXISTS (SELECT 1 FROM statement_pair p
                          WHERE s.statement_id IN (p.statement_id_a, p.statement_id_b)
                            AND p.statement_id_a <> p.statement_id_b)""").fetchone()[0]
    assert lonely == 0
    assert con.execute("SELECT count(*) FROM v_repeated_statements").fetchone()[0] == pairs


def test_views_on_the_seeds_match_their_plain_definitions(built):
    """On a real build: the LSH view finds exactly the brute-force pairs, and the aggregated
    views agree with per-row subqueries (their definitions before the rewrite)."""
    with read_only_connection(built["warehouse"]) as con:
        assert con.execute(BRUTE_FORCE).fetchall() == con.execute(FROM_VIEW).fetchall()
        plain_participants = con.execute("""
            SELECT e.event_id, coalesce((SELECT list(DISTINCT coalesce(p.canonical_name, o.canonical_name,
                                                                        l.canonical_name, bp.entity_id)
                                                      ORDER BY coalesce(p.canonical_name, o.canonical_name,
                                                                        l.canonical_name, bp.entity_id))
                      FROM bridge_event_participant bp
                      LEFT JOIN dim_person p ON bp.entity_kind = 'person' AND p.person_id = bp.entity_id
                      LEFT JOIN dim_organization o ON bp.entity_kind = 'organization' AND o.org_id = bp.entity_id
                      LEFT JOIN dim_location l ON bp.entity_kind = 'location' AND l.location_id = bp.entity_id
                      WHERE bp.event_id = e.event_id), []::VARCHAR[])
            FROM fact_event e ORDER BY 1""").fetchall()
        assert con.execute("SELECT event_id, participant_names FROM v_event_coverage ORDER BY 1").fetchall() \
            == plain_participants
        plain_people = con.execute("""
            SELECT p.person_id,
                   (SELECT count(*) FROM fact_mention m WHERE m.entity_kind = 'person' AND m.entity_id = p.person_id),
                   (SELECT count(*) FROM fact_quote q WHERE q.speaker_person_id = p.person_id),
                   coalesce((SELECT list(DISTINCT t.title ORDER BY t.title) FROM fact_person_title t
                             WHERE t.person_id = p.person_id), []::VARCHAR[])
            FROM dim_person p ORDER BY 1""").fetchall()
        assert con.execute("SELECT person_id, mention_count, quote_count, titles FROM v_person_summary"
                           " ORDER BY 1").fetchall() == plain_people


@pytest.mark.parametrize("topic", ["phối hợp", "phoi hop", "PHỐI HỢP"])
def test_topic_search_matches_accent_free_text(built, topic):
    """01_who_said_what_about_topic reads the folded texts built once; same rows as folding per query."""
    sql = (SQL / "queries" / "01_who_said_what_about_topic.sql").read_text(encoding="utf-8")
    sql = sql.replace("SET VARIABLE topic = 'phối hợp';", f"SET VARIABLE topic = '{topic}';")
    with read_only_connection(built["warehouse"]) as con:
        got = con.execute(sql).fetchall()
        want = con.execute(
            "SELECT speaker_name, cue_verb, quote_kind, quote_text, source_name, file_name, event_title FROM v_quotes"
            " WHERE strip_accents(lower(quote_text)) LIKE '%' || strip_accents(lower(?)) || '%'"
            " ORDER BY speaker_name, file_name, char_start", [topic]).fetchall()
    assert got == want and got
