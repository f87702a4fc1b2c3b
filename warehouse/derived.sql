-- Tables derived from the facts once per build, so that views stay fast at scale.
-- Run by the writer after the contract tables are filled and before views.sql.

-- MinHash LSH signature of every quote (word 3-shingles, 16 hashes, 8 bands of 2):
-- v_repeated_statements compares only quotes that share a band bucket, never all pairs.
CREATE OR REPLACE TABLE quote_minhash_band AS
WITH norm AS (
    SELECT quote_id,
           list_filter(string_split(trim(regexp_replace(lower(quote_text), '[^\p{L}\p{M}\p{N}]+', ' ', 'g')), ' '),
                       w -> w <> '') AS words
    FROM fact_quote
),
shingle AS (  -- a quote shorter than 3 words is one shingle
    SELECT quote_id, array_to_string(words[i:i + 2], ' ') AS sh
    FROM norm, range(1, greatest(len(words) - 1, 1) + 1) t(i)
    WHERE len(words) > 0
),
minhash AS (
    SELECT s.quote_id, seed, min(hash(s.sh, seed)) AS h
    FROM shingle s, range(16) r(seed)
    GROUP BY s.quote_id, seed
)
SELECT quote_id, seed // 2 AS band, hash(list(h ORDER BY seed)) AS bucket
FROM minhash
GROUP BY quote_id, seed // 2;
COMMENT ON TABLE quote_minhash_band IS 'MinHash LSH buckets of each quote (8 bands), for v_repeated_statements.';
COMMENT ON COLUMN quote_minhash_band.quote_id IS 'The quote (fact_quote.quote_id)';
COMMENT ON COLUMN quote_minhash_band.band IS 'Band number, 0-7: two MinHash values each';
COMMENT ON COLUMN quote_minhash_band.bucket IS 'Hash of the band''s MinHash values: quotes sharing one are compared';
