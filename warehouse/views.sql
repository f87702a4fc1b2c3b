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
WITH article_date AS (
    SELECT a.article_id,
           coalesce(a.published_date, min(e.event_date)) AS d
    FROM dim_article a
    LEFT JOIN bridge_event_article b USING (article_id)
    LEFT JOIN fact_event e USING (event_id)
    GROUP BY a.article_id, a.published_date
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
counts AS (
    SELECT person_id,
           (SELECT count(*) FROM appearance x WHERE x.person_id = p.person_id) AS article_count,
           (SELECT count(*) FROM fact_mention m
             WHERE m.entity_kind = 'person' AND m.entity_id = p.person_id)      AS mention_count,
           (SELECT count(*) FROM fact_quote q WHERE q.speaker_person_id = p.person_id) AS quote_count,
           (SELECT list(DISTINCT t.title ORDER BY t.title) FROM fact_person_title t
             WHERE t.person_id = p.person_id)                                    AS titles
    FROM dim_person p
)
SELECT
    p.person_id,
    p.canonical_name,
    p.name_ascii,
    p.aliases,
    c.article_count,
    c.mention_count,
    c.quote_count,
    coalesce(c.titles, []::VARCHAR[]) AS titles,
    (SELECT min(s.d) FROM seen s WHERE s.person_id = p.person_id) AS first_seen,
    (SELECT max(s.d) FROM seen s WHERE s.person_id = p.person_id) AS last_seen
FROM dim_person p
JOIN counts c USING (person_id);
COMMENT ON VIEW v_person_summary IS 'Per person: articles, mentions, quotes, titles seen (list), first/last date (article published_date, else event dates).';

-- v_event_coverage: one row per event with its place, chair and organizer by
-- name, how widely it was covered (articles, distinct outlets) and who took part.
CREATE OR REPLACE VIEW v_event_coverage AS
WITH participant AS (
    SELECT bp.event_id, bp.role,
           coalesce(p.canonical_name, o.canonical_name, l.canonical_name, bp.entity_id) AS name
    FROM bridge_event_participant bp
    LEFT JOIN dim_person p       ON bp.entity_kind = 'person'       AND p.person_id = bp.entity_id
    LEFT JOIN dim_organization o ON bp.entity_kind = 'organization' AND o.org_id = bp.entity_id
    LEFT JOIN dim_location l     ON bp.entity_kind = 'location'     AND l.location_id = bp.entity_id
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
    coalesce((SELECT list(DISTINCT pt.name ORDER BY pt.name) FROM participant pt
              WHERE pt.event_id = e.event_id), []::VARCHAR[]) AS participant_names
FROM fact_event e
LEFT JOIN dim_location l      ON l.location_id = e.location_id
LEFT JOIN dim_person ch       ON ch.person_id = e.chair_person_id
LEFT JOIN dim_organization og ON og.org_id = e.organizer_org_id
LEFT JOIN coverage c          ON c.event_id = e.event_id;
COMMENT ON VIEW v_event_coverage IS 'Per event: date, place, chair, organizer, number of articles and distinct sources, participant names.';

-- v_repeated_statements: pairs of near-identical quotes in different articles:
-- the same statement re-used, or attributed to different people.
-- Comparing all pairs is quadratic, so candidates are found by MinHash/LSH in SQL:
-- each quote's word 3-shingles are hashed under 16 seeds, the minimum per seed is
-- kept, and the 16 minima are cut into 8 bands of 2; two quotes sharing any band
-- are a candidate pair (a pair with shingle-Jaccard 0.6 collides with p > 0.97).
-- Candidates are then scored by Jaccard on their word sets, kept at >= 0.8.
CREATE OR REPLACE VIEW v_repeated_statements AS
WITH norm AS (  -- lower case, punctuation to spaces, split into words
    SELECT quote_id, article_id,
           list_filter(string_split(trim(regexp_replace(lower(quote_text), '[^\p{L}\p{M}\p{N}]+', ' ', 'g')), ' '),
                       w -> w <> '') AS words
    FROM fact_quote
),
band AS (  -- MinHash LSH buckets, computed once per build (warehouse/derived.sql)
    SELECT quote_id, band, bucket FROM quote_minhash_band
),
candidate AS (
    SELECT DISTINCT a.quote_id AS quote_id_a, b.quote_id AS quote_id_b
    FROM band a
    JOIN band b ON a.band = b.band AND a.bucket = b.bucket AND a.quote_id < b.quote_id
),
scored AS (
    SELECT c.quote_id_a, c.quote_id_b,
           len(list_intersect(list_distinct(na.words), list_distinct(nb.words)))::DOUBLE
             / nullif(len(list_distinct(list_concat(na.words, nb.words))), 0) AS word_jaccard
    FROM candidate c
    JOIN norm na ON na.quote_id = c.quote_id_a
    JOIN norm nb ON nb.quote_id = c.quote_id_b
    WHERE na.article_id <> nb.article_id
)
SELECT
    s.quote_id_a,
    s.quote_id_b,
    round(s.word_jaccard, 3) AS word_jaccard,
    round(jaro_winkler_similarity(qa.quote_text, qb.quote_text), 3) AS jaro_winkler,
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
FROM scored s
JOIN v_quotes qa ON qa.quote_id = s.quote_id_a
JOIN v_quotes qb ON qb.quote_id = s.quote_id_b
WHERE s.word_jaccard >= 0.8;
COMMENT ON VIEW v_repeated_statements IS 'Pairs of near-identical quotes across different articles (MinHash-blocked, word Jaccard >= 0.8), with both speakers and events.';
