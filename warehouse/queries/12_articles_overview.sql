-- Question: What does each article contain? Outlet, date, size, and how many people,
--           organizations, places, quotes and events were found in it.
-- Columns: file_name, outlet, title, published_date, char_count, people, organizations, places, quotes, events
SELECT a.file_name,
       a.source_name AS outlet,
       a.title,
       a.published_date,
       a.char_count,
       (SELECT count(DISTINCT entity_id) FROM fact_mention m
         WHERE m.article_id = a.article_id AND m.entity_kind = 'person') AS people,
       (SELECT count(DISTINCT entity_id) FROM fact_mention m
         WHERE m.article_id = a.article_id AND m.entity_kind = 'organization') AS organizations,
       (SELECT count(DISTINCT entity_id) FROM fact_mention m
         WHERE m.article_id = a.article_id AND m.entity_kind = 'location') AS places,
       (SELECT count(*) FROM fact_quote q WHERE q.article_id = a.article_id) AS quotes,
       (SELECT count(*) FROM bridge_event_article b WHERE b.article_id = a.article_id) AS events
FROM dim_article a
ORDER BY a.published_date NULLS LAST, a.file_name;
