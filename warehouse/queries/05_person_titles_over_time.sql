-- Question: Which titles did each person hold, and when was each seen? An article's date is
--           its publication date, else the date of an event it reports; NULL when neither is known.
-- Columns: person, title, organization, first_seen, last_seen, articles, files
WITH article_date AS (
    SELECT a.article_id, a.file_name, coalesce(a.published_date, min(e.event_date)) AS d
    FROM dim_article a
    LEFT JOIN bridge_event_article b USING (article_id)
    LEFT JOIN fact_event e USING (event_id)
    GROUP BY a.article_id, a.file_name, a.published_date
)
SELECT p.canonical_name AS person,
       t.title,
       o.canonical_name AS organization,
       min(ad.d) AS first_seen,
       max(ad.d) AS last_seen,
       count(DISTINCT t.article_id) AS articles,
       list(DISTINCT ad.file_name ORDER BY ad.file_name) AS files
FROM fact_person_title t
JOIN dim_person p USING (person_id)
LEFT JOIN dim_organization o USING (org_id)
JOIN article_date ad USING (article_id)
GROUP BY p.canonical_name, t.title, o.canonical_name
ORDER BY person, first_seen NULLS LAST, title;
