-- The warehouse tables of the public contract (../shared/spec/warehouse_contract.md).
-- Names and types are fixed by the contract; keep in step with pipelines/schemas.py
-- (WAREHOUSE_TABLES). Keys are not declared as constraints; the asset checks
-- (pipelines/checks.py) enforce them instead, on every write:
--  * foreign keys: DuckDB FK constraints slow bulk inserts and forbid replacing rows;
--  * primary keys (each *_id column documented as one is NOT NULL and checked unique): a
--    PRIMARY KEY is an ART index that DuckDB rewrites whole at every checkpoint of a
--    changed table, 4.8 of the 23 s a refresh adding 20 articles took at 100k articles.
-- The writer runs this on a fresh file every full build; a file built from another
-- version of this script is rebuilt whole, never patched (pipelines/resources.py).

-- Dimensions ------------------------------------------------------------------

CREATE TABLE dim_article (
    article_id      VARCHAR NOT NULL,
    file_name       VARCHAR NOT NULL,
    source_name     VARCHAR,
    title           VARCHAR,
    published_date  DATE,
    url             VARCHAR,          -- from the input's metadata (HTML page, JSON record, front matter, sidecar)
    content_sha256  VARCHAR NOT NULL,
    char_count      INTEGER,
    sentence_count  INTEGER,
    ingested_at     TIMESTAMP NOT NULL,
    is_current      BOOLEAN NOT NULL,  -- false: an older version of a file that has changed since
    superseded_by   VARCHAR,           -- the article_id of the version that replaced it
    in_inbox        BOOLEAN NOT NULL   -- false: the input file has left the inbox (the article is kept)
);
COMMENT ON TABLE dim_article IS 'One row per distinct article (same normalized content twice = one row).';

CREATE TABLE article_text (
    article_id  VARCHAR NOT NULL,
    body        VARCHAR NOT NULL
);
COMMENT ON TABLE article_text IS 'Normalized body (NFC); every char_start/char_end indexes into it (0-based, end exclusive, code points).';

CREATE TABLE dim_person (
    person_id       VARCHAR NOT NULL,
    canonical_name  VARCHAR NOT NULL,
    name_ascii      VARCHAR,
    aliases         VARCHAR[]
);
COMMENT ON TABLE dim_person IS 'One row per real person across all articles; canonical_name has no titles.';

CREATE TABLE dim_organization (
    org_id          VARCHAR NOT NULL,
    canonical_name  VARCHAR NOT NULL,
    org_type        VARCHAR
);
COMMENT ON TABLE dim_organization IS 'Ministries, party bodies, forces, international organizations.';

CREATE TABLE dim_location (
    location_id     VARCHAR NOT NULL,
    canonical_name  VARCHAR NOT NULL
);
COMMENT ON TABLE dim_location IS 'Places: provinces, cities, countries.';

-- Facts and bridges -----------------------------------------------------------

CREATE TABLE fact_mention (
    mention_id    VARCHAR NOT NULL,
    article_id    VARCHAR NOT NULL,
    entity_kind   VARCHAR NOT NULL,  -- person / organization / location
    entity_id     VARCHAR,
    surface       VARCHAR NOT NULL,
    sentence_idx  INTEGER,
    char_start    INTEGER NOT NULL,
    char_end      INTEGER NOT NULL
);
COMMENT ON TABLE fact_mention IS 'Every occurrence of an entity in an article, title-only references included.';

CREATE TABLE fact_person_title (
    person_id   VARCHAR NOT NULL,
    article_id  VARCHAR NOT NULL,
    title       VARCHAR NOT NULL,
    org_id      VARCHAR
);
COMMENT ON TABLE fact_person_title IS 'Titles and positions a person is given in an article, as written.';

CREATE TABLE fact_quote (
    quote_id           VARCHAR NOT NULL,
    article_id         VARCHAR NOT NULL,
    event_id           VARCHAR,
    speaker_person_id  VARCHAR,
    speaker_surface    VARCHAR,
    quote_text         VARCHAR NOT NULL,
    quote_kind         VARCHAR NOT NULL,  -- direct / indirect
    cue_verb           VARCHAR,
    sentence_idx       INTEGER,
    char_start         INTEGER NOT NULL,
    char_end           INTEGER NOT NULL
);
COMMENT ON TABLE fact_quote IS 'Who said what; unresolved speakers keep a NULL speaker_person_id and their surface text.';

CREATE TABLE fact_event (
    event_id          VARCHAR NOT NULL,
    event_type        VARCHAR,
    title             VARCHAR,
    event_date        DATE,
    date_text         VARCHAR,
    date_precision    VARCHAR,
    location_id       VARCHAR,
    organizer_org_id  VARCHAR,
    chair_person_id   VARCHAR,
    article_count     INTEGER
);
COMMENT ON TABLE fact_event IS 'One row per real-world event, however many articles report it. A year is never invented.';

CREATE TABLE bridge_event_article (
    event_id    VARCHAR NOT NULL,
    article_id  VARCHAR NOT NULL
);
COMMENT ON TABLE bridge_event_article IS 'Which articles report which event.';

CREATE TABLE bridge_event_participant (
    event_id     VARCHAR NOT NULL,
    entity_kind  VARCHAR NOT NULL,
    entity_id    VARCHAR NOT NULL,
    role         VARCHAR  -- chair / organizer / attendee / speaker / mentioned
);
COMMENT ON TABLE bridge_event_participant IS 'Who took part in an event, and how.';

CREATE TABLE ingest_rejection (
    file_name       VARCHAR NOT NULL,
    content_sha256  VARCHAR,
    reason          VARCHAR NOT NULL,
    detail          VARCHAR,
    duplicate_of    VARCHAR,          -- reason 'duplicate': the article_id kept for the same text
    rejected_at     TIMESTAMP NOT NULL
);
COMMENT ON TABLE ingest_rejection IS 'Every input that could not become an article, with a human-readable reason; reason ''duplicate'' (not an error) names the kept article in duplicate_of.';
