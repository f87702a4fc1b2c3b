-- Tables derived from the facts once per build, so that views stay fast at scale.
-- Run by the writer after the contract tables are filled and before views.sql.

-- Near-identical quotes (v_repeated_statements) are found per distinct quote text, not per
-- quote: a statement re-used by 25 articles is one text, compared once, and its 25 quotes are
-- paired only when the view expands the text pairs. Comparing all pairs of texts is quadratic,
-- so candidates come from MinHash LSH (word 3-shingles, 16 hashes, 8 bands of 2: a pair with
-- shingle-Jaccard 0.6 collides in some band with p > 0.97), then are scored by word Jaccard.

-- statement_words (temporary): each distinct quote text, numbered, with its words (lower case,
-- punctuation to spaces) and the size of its word set.
CREATE OR REPLACE TEMP TABLE statement_words AS
SELECT row_number() OVER (ORDER BY quote_text) AS statement_id, quote_text, words,
       len(list_distinct(words)) AS n_words
FROM (
    SELECT quote_text,
           list_filter(string_split(trim(regexp_replace(lower(quote_text), '[^\p{L}\p{M}\p{N}]+', ' ', 'g')), ' '),
                       w -> w <> '') AS words
    FROM (SELECT DISTINCT quote_text FROM fact_quote WHERE quote_text IS NOT NULL)
);

-- statement_word (temporary): the word set of each distinct text, one row per word.
CREATE OR REPLACE TEMP TABLE statement_word AS
SELECT DISTINCT statement_id, unnest(words) AS word FROM statement_words;

-- quote_statement: each quote's distinct text, with integer numbers for the quote (in
-- quote_id order) and its article, so that v_repeated_statements joins and compares integers.
CREATE OR REPLACE TABLE quote_statement AS
SELECT q.quote_id, s.statement_id,
       row_number() OVER (ORDER BY q.quote_id) AS quote_no,
       dense_rank() OVER (ORDER BY q.article_id) AS article_no
FROM fact_quote q
JOIN statement_words s USING (quote_text);

-- quote_text_folded: each distinct quote text in lower case without accents, for accent-free
-- text search (warehouse/queries/01_...): strip_accents is slow, so it runs once per build.
CREATE OR REPLACE TABLE quote_text_folded AS
SELECT statement_id, strip_accents(lower(quote_text)) AS text_folded
FROM statement_words;

-- person_alias_folded: each alias of each person in lower case without accents, for finding
-- a person typed without accents (warehouse/queries/10_find_person.sql).
CREATE OR REPLACE TABLE person_alias_folded AS
SELECT DISTINCT person_id, strip_accents(lower(alias)) AS alias_folded
FROM (SELECT person_id, unnest(aliases) AS alias FROM dim_person);

-- quote_minhash_band: the LSH bucket of each distinct text in each band. A text shorter than
-- 3 words is one shingle; a text without words has no bucket (it is never paired).
CREATE OR REPLACE TABLE quote_minhash_band AS
WITH shingle AS (
    SELECT statement_id, array_to_string(words[i:i + 2], ' ') AS sh
    FROM statement_words, range(1, greatest(len(words) - 1, 1) + 1) t(i)
    WHERE len(words) > 0
),
minhash AS (
    SELECT s.statement_id, seed, min(hash(s.sh, seed)) AS h
    FROM shingle s, range(16) r(seed)
    GROUP BY s.statement_id, seed
)
SELECT statement_id, seed // 2 AS band, hash(list(h ORDER BY seed)) AS bucket
FROM minhash
GROUP BY statement_id, seed // 2;

-- statement_pair: pairs of distinct texts (a <= b; a = b for a text with words) whose word
-- Jaccard is >= 0.8. Candidates share a band bucket. Two cuts keep the work linear:
--  * sizes: word Jaccard >= 0.8 needs the smaller word set to be >= 0.8 of the larger one
--    (lossless: no pair that could reach 0.8 is dropped);
--  * bucket cap: a bucket's texts are ranked by size and cut into blocks of 100; a text is
--    compared with its own block and the next one only, so a bucket of n texts yields at most
--    150 * n candidates instead of n^2 / 2 (texts of near-equal size, the only ones that can
--    match, sit in the same or adjacent blocks). Buckets of up to 200 texts are compared in
--    full: on the 100k generated corpus, whose paragraphs recur ~25 times, the largest holds
--    154 distinct texts and the cap drops no pair.
CREATE OR REPLACE TABLE statement_pair AS
WITH ranked AS (
    SELECT b.statement_id, b.band, b.bucket, w.n_words,
           (row_number() OVER (PARTITION BY b.band, b.bucket ORDER BY w.n_words, b.statement_id) - 1) // 100 AS blk
    FROM quote_minhash_band b
    JOIN statement_words w USING (statement_id)
),
candidate AS (
    SELECT DISTINCT least(a.statement_id, b.statement_id) AS statement_id_a,
                    greatest(a.statement_id, b.statement_id) AS statement_id_b
    FROM ranked a
    CROSS JOIN (VALUES (0), (1)) s(d)
    JOIN ranked b ON a.band = b.band AND a.bucket = b.bucket AND b.blk = a.blk + s.d
    WHERE a.statement_id <> b.statement_id
      AND 5 * least(a.n_words, b.n_words) >= 4 * greatest(a.n_words, b.n_words)
    UNION
    SELECT statement_id, statement_id FROM statement_words WHERE len(words) > 0
),
shared AS (  -- words the two texts have in common (a join, not list functions per pair)
    SELECT c.statement_id_a, c.statement_id_b, count(*) AS n_shared
    FROM candidate c
    JOIN statement_word wa ON wa.statement_id = c.statement_id_a
    JOIN statement_word wb ON wb.statement_id = c.statement_id_b AND wb.word = wa.word
    GROUP BY c.statement_id_a, c.statement_id_b
),
scored AS (  -- word Jaccard: shared words / words of either
    SELECT s.statement_id_a, s.statement_id_b, wa.quote_text AS text_a, wb.quote_text AS text_b,
           s.n_shared::DOUBLE / (wa.n_words + wb.n_words - s.n_shared) AS word_jaccard
    FROM shared s
    JOIN statement_words wa ON wa.statement_id = s.statement_id_a
    JOIN statement_words wb ON wb.statement_id = s.statement_id_b
)
SELECT statement_id_a, statement_id_b, word_jaccard,
       jaro_winkler_similarity(text_a, text_b) AS jaro_winkler
FROM scored
WHERE word_jaccard >= 0.8;

DROP TABLE statement_word;
DROP TABLE statement_words;

COMMENT ON TABLE quote_statement IS 'Each quote''s distinct text (statement_id), for v_repeated_statements.';
COMMENT ON COLUMN quote_statement.quote_id IS 'The quote (fact_quote.quote_id)';
COMMENT ON COLUMN quote_statement.statement_id IS 'Number of its distinct quote_text in this build: equal texts, equal number';
COMMENT ON COLUMN quote_statement.quote_no IS 'Number of the quote in quote_id order (in this build)';
COMMENT ON COLUMN quote_statement.article_no IS 'Number of its article in article_id order (in this build): equal articles, equal number';
COMMENT ON TABLE quote_text_folded IS 'Each distinct quote text, lower case, accents removed: for text search without accents.';
COMMENT ON COLUMN quote_text_folded.statement_id IS 'The distinct quote text (quote_statement.statement_id)';
COMMENT ON COLUMN quote_text_folded.text_folded IS 'strip_accents(lower(quote_text))';
COMMENT ON TABLE person_alias_folded IS 'Each alias of each person, lower case, accents removed: for name search without accents.';
COMMENT ON COLUMN person_alias_folded.person_id IS 'The person (dim_person.person_id)';
COMMENT ON COLUMN person_alias_folded.alias_folded IS 'strip_accents(lower(alias)), one row per distinct value';
COMMENT ON TABLE quote_minhash_band IS 'MinHash LSH buckets of each distinct quote text (8 bands), for statement_pair.';
COMMENT ON COLUMN quote_minhash_band.statement_id IS 'The distinct quote text (quote_statement.statement_id)';
COMMENT ON COLUMN quote_minhash_band.band IS 'Band number, 0-7: two MinHash values each';
COMMENT ON COLUMN quote_minhash_band.bucket IS 'Hash of the band''s MinHash values: texts sharing one are compared';
COMMENT ON TABLE statement_pair IS 'Pairs of distinct quote texts with word Jaccard >= 0.8 (a <= b), for v_repeated_statements.';
COMMENT ON COLUMN statement_pair.statement_id_a IS 'The first text (quote_statement.statement_id)';
COMMENT ON COLUMN statement_pair.statement_id_b IS 'The second text, >= the first (equal: one text used by several quotes)';
COMMENT ON COLUMN statement_pair.word_jaccard IS 'Jaccard similarity of the two texts'' word sets (lower case, punctuation removed)';
COMMENT ON COLUMN statement_pair.jaro_winkler IS 'Jaro-Winkler similarity of the two texts as written';
