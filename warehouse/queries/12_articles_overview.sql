-- Question: What does each article contain? Outlet, date, size, and how many people,
--           organizations, places, quotes and events were found in it.
-- Columns: file_name, outlet, title, published_date, char_count, people, organizations, places, quotes, events
WITH mentions AS (  -- counted once per article, not by a subquery per article
    SELECT article_id,
           count(entity_id) FILTER (WHERE entity_kind = 'person')       AS people,
           count(entity_id) FILTER (WHERE entity_kind = 'organization') AS organizations,
           count(entity_id) FILTER (WHERE entity_kind = 'location')     AS places
    FROM (SELECT DISTINCT article_id, entity_kind, entity_id FROM fact_mention)
    GROUP BY article_id
),
quotes AS (SELECT article_id, count(*) AS quotes FROM fact_quote GROUP BY article_id),
events AS (SELECT article_id, count(*) AS events FROM bridge_event_article GROUP BY article_id)
SELECT a.file_name,
       a.source_name AS outlet,
       a.title,
       a.published_date,
       a.char_count,
       coalesce(m.people, 0)        AS people,
       coalesce(m.organizations, 0) AS organizations,
       coalesce(m.places, 0)        AS places,
       coalesce(q.quotes, 0)        AS quotes,
       coalesce(e.events, 0)        AS events
FROM dim_article a
LEFT JOIN mentions m USING (article_id)
LEFT JOIN quotes q   USING (article_id)
LEFT JOIN events e   USING (article_id)
ORDER BY a.published_date NULLS LAST, a.file_name;
