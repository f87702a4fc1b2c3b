-- Question: How much does each outlet cover? Articles, volume, quotes, people and events
--           per outlet (articles whose outlet is not known are grouped together).
-- Columns: outlet, articles, total_chars, quotes, people, events, first_published, last_published
WITH a AS (
    SELECT article_id, coalesce(source_name, '(outlet unknown)') AS outlet, char_count, published_date
    FROM dim_article
)
SELECT a.outlet,
       count(DISTINCT a.article_id) AS articles,
       sum(a.char_count)::BIGINT AS total_chars,
       (SELECT count(*) FROM fact_quote q JOIN a x USING (article_id) WHERE x.outlet = a.outlet) AS quotes,
       (SELECT count(DISTINCT m.entity_id) FROM fact_mention m JOIN a x USING (article_id)
         WHERE x.outlet = a.outlet AND m.entity_kind = 'person') AS people,
       (SELECT count(DISTINCT b.event_id) FROM bridge_event_article b JOIN a x USING (article_id)
         WHERE x.outlet = a.outlet) AS events,
       min(a.published_date) AS first_published,
       max(a.published_date) AS last_published
FROM a
GROUP BY a.outlet
ORDER BY articles DESC, a.outlet;
