-- Analyst views of the public contract. The names are fixed by the contract; the
-- definitions are ours. The writer runs this after loading the tables, on every build.

-- v_quotes: one row per quote, with everything an analyst needs to read it in
-- context: who said it (resolved name, else the surface as written), in which
-- article (title, file, outlet, date) and at which event.
CREATE OR REPLACE VIEW v_quotes AS
SELECT
    q.quote_id,
    q.quote_kind,
    q.quote_text,
    q.cue_verb,
    q.speaker_person_id,
    coalesce(p.canonical_name, q.speaker_surface) AS speaker_name,
    q.speaker_surface,
    q.article_id,
    a.title            AS article_title,
    a.file_name,
    a.source_name,
    a.published_date,
    q.event_id,
    e.title            AS event_title,
    e.event_type,
    e.event_date,
    q.sentence_idx,
    q.char_start,
    q.char_end
FROM fact_quote q
JOIN dim_article a USING (article_id)
LEFT JOIN dim_person p ON p.person_id = q.speaker_person_id
LEFT JOIN fact_event e ON e.event_id = q.event_id;
COMMENT ON VIEW v_quotes IS 'One row per quote with speaker name, article title/file, source, published date and event title/date.';

-- v_person_summary: one row per person. An article's date is its published_date,
-- else the date of an event it reports (many articles carry no date line); events
-- the person took part in count towards first/last seen too.
CREATE OR REPLACE VIEW v_person_summary AS
WITH event_date AS (  -- the earliest date of the events each article reports
    SELECT b.article_id, min(e.event_date) AS d
    FROM bridge_event_article b
    JOIN fact_event e USING (event_id)
    GROUP BY b.article_id
),
article_date AS (
    SELECT a.article_id, coalesce(a.published_date, ed.d) AS d
    FROM dim_article a
    LEFT JOIN event_date ed USING (article_id)
),
appearance AS (  -- every (person, article) pair, whatever the evidence
    SELECT entity_id AS person_id, article_id FROM fact_mention WHERE entity_kind = 'person'
    UNION SELECT speaker_person_id, article_id FROM fact_quote WHERE speaker_person_id IS NOT NULL
    UNION SELECT person_id, article_id FROM fact_person_title
),
seen AS (  -- dates the person was seen: articles, then events they took part in
    SELECT ap.person_id, ad.d FROM appearance ap JOIN article_date ad USING (article_id)
    UNION ALL
    SELECT bp.entity_id, e.event_date
    FROM bridge_event_participant bp JOIN fact_event e USING (event_id)
    WHERE bp.entity_kind = 'person'
),
n_articles AS (SELECT person_id, count(*) AS article_count FROM appearance GROUP BY person_id),
n_mentions AS (
    SELECT entity_id AS person_id, count(*) AS mention_count
    FROM fact_mention WHERE entity_kind = 'person' GROUP BY entity_id
),
n_quotes AS (
    SELECT speaker_person_id AS person_id, count(*) AS quote_count
    FROM fact_quote WHERE speaker_person_id IS NOT NULL GROUP BY speaker_person_id
),
titles AS (
    SELECT person_id, list(DISTINCT title ORDER BY title) AS titles FROM fact_person_title GROUP BY person_id
),
span AS (SELECT person_id, min(d) AS first_seen, max(d) AS last_seen FROM seen GROUP BY person_id)
-- each count aggregated once over its table, then joined (no per-person subqueries)
SELECT
    p.person_id,
    p.canonical_name,
    p.name_ascii,
    p.aliases,
    coalesce(na.article_count, 0) AS article_count,
    coalesce(nm.mention_count, 0) AS mention_count,
    coalesce(nq.quote_count, 0)   AS quote_count,
    coalesce(t.titles, []::VARCHAR[]) AS titles,
    s.first_seen,
    s.last_seen
FROM dim_person p
LEFT JOIN n_articles na USING (person_id)
LEFT JOIN n_mentions nm USING (person_id)
LEFT JOIN n_quotes nq   USING (person_id)
LEFT JOIN titles t      USING (person_id)
LEFT JOIN span s        USING (person_id);
COMMENT ON VIEW v_person_summary IS 'Per person: articles, mentions, quotes, titles seen (list), first/last date (article published_date, else event dates).';

-- v_event_coverage: one row per event with its place, chair and organizer by
-- name, how widely it was covered (articles, distinct outlets) and who took part.
CREATE OR REPLACE VIEW v_event_coverage AS
WITH entity AS (  -- every named entity, keyed by (kind, id): one equi-join, no per-kind OR
    SELECT 'person' AS entity_kind, person_id AS entity_id, canonical_name AS name FROM dim_person
    UNION ALL SELECT 'organization', org_id, canonical_name FROM dim_organization
    UNION ALL SELECT 'location', location_id, canonical_name FROM dim_location
),
participant AS (  -- aggregated once per event (a correlated list per event is quadratic)
    SELECT bp.event_id,
           list(DISTINCT coalesce(n.name, bp.entity_id) ORDER BY coalesce(n.name, bp.entity_id)) AS names
    FROM bridge_event_participant bp
    LEFT JOIN entity n USING (entity_kind, entity_id)
    GROUP BY bp.event_id
),
coverage AS (
    SELECT b.event_id,
           count(DISTINCT b.article_id)  AS n_articles,
           count(DISTINCT a.source_name) AS n_sources,
           list(DISTINCT a.source_name ORDER BY a.source_name)
               FILTER (WHERE a.source_name IS NOT NULL) AS sources
    FROM bridge_event_article b
    JOIN dim_article a USING (article_id)
    GROUP BY b.event_id
)
SELECT
    e.event_id,
    e.event_type,
    e.title,
    e.event_date,
    e.date_text,
    e.date_precision,
    l.canonical_name  AS place_name,
    ch.canonical_name AS chair_name,
    og.canonical_name AS organizer_name,
    coalesce(c.n_articles, 0) AS n_articles,
    coalesce(c.n_sources, 0)  AS n_sources,
    coalesce(c.sources, []::VARCHAR[]) AS sources,
    coalesce(pt.names, []::VARCHAR[]) AS participant_names
FROM fact_event e
LEFT JOIN dim_location l      ON l.location_id = e.location_id
LEFT JOIN dim_person ch       ON ch.person_id = e.chair_person_id
LEFT JOIN dim_organization og ON og.org_id = e.organizer_org_id
LEFT JOIN coverage c          ON c.event_id = e.event_id
LEFT JOIN participant pt      ON pt.event_id = e.event_id;
COMMENT ON VIEW v_event_coverage IS 'Per event: date, place, chair, organizer, number of articles and distinct sources, participant names.';

-- v_repeated_statements: pairs of near-identical quotes in different articles:
-- the same statement re-used, or attributed to different people.
-- Comparing all pairs is quadratic, so similar texts are found once, when a text arrives
-- (warehouse/derived_*.sql): each distinct quote text gets a MinHash LSH signature (word
-- 3-shingles, 16 hashes, 8 bands of 2); texts sharing a band bucket are candidates, scored
-- by Jaccard on their word sets and kept at >= 0.8 (statement_pair). Here each text pair
-- is expanded into the pairs of quotes that use those texts, in different articles, on
-- integer keys (quote_statement); the quotes' details are joined last, so a count or a
-- filter reads only what it needs. A statement re-used by n articles gives n(n-1)/2 pairs.
CREATE OR REPLACE VIEW v_repeated_statements AS
WITH statement_match AS (  -- each pair of similar texts in both orders, and each text with itself
    SELECT statement_id_a, statement_id_b, word_jaccard, jaro_winkler FROM statement_pair
    UNION ALL
    SELECT statement_id_b, statement_id_a, word_jaccard, jaro_winkler FROM statement_pair
    WHERE statement_id_a <> statement_id_b
),
quote_match AS (  -- each pair of quotes once: the smaller quote_id first (quote_no follows quote_id)
    SELECT qa.quote_no AS quote_no_a, qb.quote_no AS quote_no_b, m.word_jaccard, m.jaro_winkler
    FROM statement_match m
    JOIN quote_statement qa ON qa.statement_id = m.statement_id_a
    JOIN quote_statement qb ON qb.statement_id = m.statement_id_b
    WHERE qa.quote_no < qb.quote_no AND qa.article_no <> qb.article_no
)
SELECT
    qa.quote_id AS quote_id_a,
    qb.quote_id AS quote_id_b,
    round(m.word_jaccard, 3) AS word_jaccard,
    round(m.jaro_winkler, 3) AS jaro_winkler,
    qa.article_id AS article_id_a,
    qb.article_id AS article_id_b,
    qa.speaker_person_id AS speaker_person_id_a,
    qb.speaker_person_id AS speaker_person_id_b,
    qa.speaker_name  AS speaker_a,
    qb.speaker_name  AS speaker_b,
    qa.speaker_person_id IS DISTINCT FROM qb.speaker_person_id
        OR (qa.speaker_person_id IS NULL AND qa.speaker_name IS DISTINCT FROM qb.speaker_name)
        AS different_speakers,
    qa.event_id    AS event_id_a,
    qb.event_id    AS event_id_b,
    qa.event_title AS event_title_a,
    qb.event_title AS event_title_b,
    qa.quote_text  AS quote_text_a,
    qb.quote_text  AS quote_text_b
FROM quote_match m  -- subqueries, not a CTE: a CTE used twice is materialized whole
JOIN (SELECT s.quote_no, v.* FROM quote_statement s JOIN v_quotes v USING (quote_id)) qa ON qa.quote_no = m.quote_no_a
JOIN (SELECT s.quote_no, v.* FROM quote_statement s JOIN v_quotes v USING (quote_id)) qb ON qb.quote_no = m.quote_no_b;
COMMENT ON VIEW v_repeated_statements IS 'Pairs of near-identical quotes across different articles (MinHash-blocked, word Jaccard >= 0.8), with both speakers and events.';
