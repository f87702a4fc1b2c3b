-- Apply the change derived_delta.sql found to the derived tables (derived_reset.sql).

-- quote_statement: each quote's distinct text, with integer numbers for the quote and its
-- article, so that v_repeated_statements joins and compares integers.
DELETE FROM quote_statement;
INSERT INTO quote_statement SELECT quote_id, statement_id, quote_no, article_no FROM quote_statement_now;

-- quote_text_folded: each distinct quote text in lower case without accents, for accent-free
-- text search (warehouse/queries/01_...): strip_accents is slow, so it runs once per text.
DELETE FROM quote_text_folded WHERE statement_id IN (SELECT statement_id FROM statement_gone);
INSERT INTO quote_text_folded SELECT statement_id, strip_accents(lower(quote_text)) FROM statement_words;

-- person_alias_folded: each alias of each person in lower case without accents, for finding
-- a person typed without accents (warehouse/queries/10_find_person.sql). Small: built whole.
DELETE FROM person_alias_folded;
INSERT INTO person_alias_folded
SELECT DISTINCT person_id, strip_accents(lower(alias)) FROM (SELECT person_id, unnest(aliases) AS alias FROM dim_person);

-- quote_minhash_band: the buckets of the texts in use.
DELETE FROM quote_minhash_band WHERE statement_id IN (SELECT statement_id FROM statement_gone);
INSERT INTO quote_minhash_band SELECT statement_id, band, bucket FROM statement_band_new;

-- bucket_member (temporary): every text of a touched bucket, with its words: the new texts
-- and the ones already there that they may pair with.
CREATE OR REPLACE TEMP TABLE bucket_member AS
SELECT statement_id, quote_text, words, n_words, true AS is_new FROM statement_words
UNION ALL
SELECT statement_id, quote_text, quote_words(quote_text), len(list_distinct(quote_words(quote_text))), false
FROM (
    SELECT DISTINCT s.statement_id, q.quote_text
    FROM quote_statement_now s
    JOIN fact_quote q USING (quote_id)
    WHERE s.statement_id IN (SELECT statement_id FROM quote_minhash_band SEMI JOIN bucket_touched USING (band, bucket))
      AND s.statement_id NOT IN (SELECT statement_id FROM statement_words)
);

-- bucket_member_word (temporary): the word set of each of them, one row per word.
CREATE OR REPLACE TEMP TABLE bucket_member_word AS
SELECT DISTINCT statement_id, unnest(words) AS word FROM bucket_member;

-- statement_pair: pairs of distinct texts (a <= b; a = b for a text with words) whose word
-- Jaccard is >= 0.8. The pairs of a leaving text leave; a new text is paired with the texts
-- of its buckets. Candidates share a band bucket, and two cuts keep the work linear:
--  * sizes: word Jaccard >= 0.8 needs the smaller word set to be >= 0.8 of the larger one
--    (lossless: no pair that could reach 0.8 is dropped);
--  * bucket cap: a bucket's texts are ranked by size and cut into blocks of 100; a text is
--    compared with its own block and the next one only, so a bucket of n texts yields at most
--    150 * n candidates instead of n^2 / 2 (texts of near-equal size, the only ones that can
--    match, sit in the same or adjacent blocks). Buckets of up to 200 texts are compared in
--    full: on the 100k generated corpus, whose paragraphs recur ~25 times, the largest holds
--    154 distinct texts and the cap drops no pair.
DELETE FROM statement_pair
WHERE statement_id_a IN (SELECT statement_id FROM statement_gone)
   OR statement_id_b IN (SELECT statement_id FROM statement_gone);
INSERT INTO statement_pair
WITH ranked AS (
    SELECT b.statement_id, b.band, b.bucket, m.n_words, m.is_new,
           (row_number() OVER (PARTITION BY b.band, b.bucket ORDER BY m.n_words, b.statement_id) - 1) // 100 AS blk
    FROM (SELECT * FROM quote_minhash_band SEMI JOIN bucket_touched USING (band, bucket)) b
    JOIN bucket_member m USING (statement_id)
),
candidate AS (
    SELECT DISTINCT least(a.statement_id, b.statement_id) AS statement_id_a,
                    greatest(a.statement_id, b.statement_id) AS statement_id_b
    FROM ranked a
    CROSS JOIN (VALUES (0), (1)) s(d)
    JOIN ranked b ON a.band = b.band AND a.bucket = b.bucket AND b.blk = a.blk + s.d
    WHERE a.statement_id <> b.statement_id
      AND (a.is_new OR b.is_new)
      AND 5 * least(a.n_words, b.n_words) >= 4 * greatest(a.n_words, b.n_words)
    UNION
    SELECT statement_id, statement_id FROM statement_words WHERE len(words) > 0
),
shared AS (  -- words the two texts have in common (a join, not list functions per pair)
    SELECT c.statement_id_a, c.statement_id_b, count(*) AS n_shared
    FROM candidate c
    JOIN bucket_member_word wa ON wa.statement_id = c.statement_id_a
    JOIN bucket_member_word wb ON wb.statement_id = c.statement_id_b AND wb.word = wa.word
    GROUP BY c.statement_id_a, c.statement_id_b
),
scored AS (  -- word Jaccard: shared words / words of either
    SELECT s.statement_id_a, s.statement_id_b, wa.quote_text AS text_a, wb.quote_text AS text_b,
           s.n_shared::DOUBLE / (wa.n_words + wb.n_words - s.n_shared) AS word_jaccard
    FROM shared s
    JOIN bucket_member wa ON wa.statement_id = s.statement_id_a
    JOIN bucket_member wb ON wb.statement_id = s.statement_id_b
)
SELECT statement_id_a, statement_id_b, word_jaccard, jaro_winkler_similarity(text_a, text_b) AS jaro_winkler
FROM scored
WHERE word_jaccard >= 0.8;

DROP TABLE bucket_member_word;
DROP TABLE bucket_member;
DROP TABLE bucket_touched;
DROP TABLE statement_band_new;
DROP TABLE statement_words;
DROP TABLE statement_gone;
DROP TABLE quote_statement_now;
DROP TABLE derived_delta_size;
