-- What a write changes in the derived tables (derived_reset.sql), as temporary tables:
-- the distinct quote texts that leave and the ones that arrive, and the MinHash buckets of
-- the new ones. derived_apply.sql then applies it. On an empty set of derived tables every
-- text is new, so a build in one go and a refresh run the same statements.
--
-- Near-identical quotes (v_repeated_statements) are found per distinct quote text, not per
-- quote: a statement re-used by 25 articles is one text, compared once, and its 25 quotes are
-- paired only when the view expands the text pairs. Comparing all pairs of texts is quadratic,
-- so candidates come from MinHash LSH (word 3-shingles, 16 hashes, 8 bands of 2: a pair with
-- shingle-Jaccard 0.6 collides in some band with p > 0.97), then are scored by word Jaccard.

-- A text's words: lower case, every run of characters other than letters, marks and digits
-- a separator.
CREATE OR REPLACE TEMP MACRO quote_words(t) AS
    list_filter(string_split(trim(regexp_replace(lower(t), '[^\p{L}\p{M}\p{N}]+', ' ', 'g')), ' '), w -> w <> '');

-- quote_statement_now: quote_statement as it must be after this write.
CREATE OR REPLACE TEMP TABLE quote_statement_now AS
SELECT quote_id, md5_number_lower(quote_text) AS statement_id,
       ('0x' || substr(quote_id, 5))::UBIGINT AS quote_no,
       ('0x' || substr(article_id, 5))::UBIGINT AS article_no
FROM fact_quote
WHERE quote_text IS NOT NULL;

-- statement_gone: texts no quote uses any more.
CREATE OR REPLACE TEMP TABLE statement_gone AS
SELECT statement_id FROM quote_statement
EXCEPT
SELECT statement_id FROM quote_statement_now;

-- statement_words: each new distinct text, with its words and the size of its word set.
CREATE OR REPLACE TEMP TABLE statement_words AS
SELECT statement_id, quote_text, words, len(list_distinct(words)) AS n_words
FROM (
    SELECT md5_number_lower(quote_text) AS statement_id, quote_text, quote_words(quote_text) AS words
    FROM (SELECT DISTINCT quote_text FROM fact_quote WHERE quote_text IS NOT NULL)
    WHERE md5_number_lower(quote_text) NOT IN (SELECT statement_id FROM quote_statement)
);

-- statement_band_new: the LSH bucket of each new text in each band. A text shorter than 3
-- words is one shingle; a text without words has no bucket (it is never paired).
CREATE OR REPLACE TEMP TABLE statement_band_new AS
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

-- bucket_touched: the buckets a text joins or leaves; only their pairs can change.
CREATE OR REPLACE TEMP TABLE bucket_touched AS
SELECT band, bucket FROM statement_band_new
UNION
SELECT band, bucket FROM quote_minhash_band SEMI JOIN statement_gone USING (statement_id);

-- derived_delta_size: the largest touched bucket before and after. derived_apply.sql compares
-- all the texts of a bucket of up to 200 (two blocks of 100); past that the block cap decides,
-- and blocks shift as texts come and go, so the writer rebuilds the derived tables instead.
CREATE OR REPLACE TEMP TABLE derived_delta_size AS
WITH before AS (
    SELECT band, bucket, count(*) AS n FROM quote_minhash_band SEMI JOIN bucket_touched USING (band, bucket)
    GROUP BY band, bucket
),
leaving AS (
    SELECT band, bucket, count(*) AS n FROM quote_minhash_band SEMI JOIN statement_gone USING (statement_id)
    GROUP BY band, bucket
),
joining AS (
    SELECT band, bucket, count(*) AS n FROM statement_band_new GROUP BY band, bucket
)
SELECT (SELECT count(*) FROM quote_minhash_band) AS bands_before,
       coalesce(max(coalesce(b.n, 0)), 0) AS largest_before,
       coalesce(max(coalesce(b.n, 0) - coalesce(l.n, 0) + coalesce(j.n, 0)), 0) AS largest_after
FROM bucket_touched t
LEFT JOIN before b ON b.band = t.band AND b.bucket = t.bucket
LEFT JOIN leaving l ON l.band = t.band AND l.bucket = t.bucket
LEFT JOIN joining j ON j.band = t.band AND j.bucket = t.bucket;
