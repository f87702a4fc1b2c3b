-- The derived tables, empty: what the views read besides the contract tables, kept so that
-- views stay fast at scale. The writer runs this on a new warehouse, and whenever the
-- derived tables must be built again from scratch (another version of these scripts or of
-- DuckDB; a change the delta cannot apply exactly); derived_delta.sql and derived_apply.sql
-- then fill them as if every quote were new. See pipelines/derived_tables.py.
--
-- Every key here derives from content, so a table updated by a refresh holds the same rows
-- as one built in one go:
--  * statement_id: md5_number_lower(quote_text), 64 bits (two different texts share one with
--    probability ~n^2 / 2^65: 6e-10 for 150k distinct texts);
--  * quote_no, article_no: the 16 hex digits of quote_id / article_id as an integer, so they
--    sort as the ids do.

CREATE OR REPLACE TABLE quote_statement (
    quote_id      VARCHAR,
    statement_id  UBIGINT,
    quote_no      UBIGINT,
    article_no    UBIGINT
);
CREATE OR REPLACE TABLE quote_text_folded (statement_id UBIGINT, text_folded VARCHAR);
CREATE OR REPLACE TABLE person_alias_folded (person_id VARCHAR, alias_folded VARCHAR);
CREATE OR REPLACE TABLE quote_minhash_band (statement_id UBIGINT, band BIGINT, bucket UBIGINT);
CREATE OR REPLACE TABLE statement_pair (
    statement_id_a  UBIGINT,
    statement_id_b  UBIGINT,
    word_jaccard    DOUBLE,
    jaro_winkler    DOUBLE
);

COMMENT ON TABLE quote_statement IS 'Each quote''s distinct text (statement_id), for v_repeated_statements.';
COMMENT ON COLUMN quote_statement.quote_id IS 'The quote (fact_quote.quote_id)';
COMMENT ON COLUMN quote_statement.statement_id IS 'Number of its distinct quote_text: md5_number_lower(quote_text); equal texts, equal number';
COMMENT ON COLUMN quote_statement.quote_no IS 'quote_id''s 16 hex digits as an integer: sorts as quote_id does';
COMMENT ON COLUMN quote_statement.article_no IS 'article_id''s 16 hex digits as an integer: equal articles, equal number';
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
