-- Question: Where exactly is an entity mentioned? Keyword in context: each mention with the
--           60 characters before and after it, cut from the article body by its offsets
--           (line breaks shown as spaces).
-- Columns: entity, entity_kind, file_name, sentence_idx, before, surface, after
-- Change the entity on the next line (a person, organization or place, accents optional).
SET VARIABLE entity = 'Bộ Công an';

WITH entity AS (
    SELECT 'person' AS entity_kind, person_id AS entity_id, canonical_name AS name FROM dim_person
    UNION ALL SELECT 'organization', org_id, canonical_name FROM dim_organization
    UNION ALL SELECT 'location', location_id, canonical_name FROM dim_location
)
SELECT n.name AS entity,
       m.entity_kind,
       a.file_name,
       m.sentence_idx,
       replace(substring(t.body, greatest(m.char_start - 60, 0) + 1, m.char_start - greatest(m.char_start - 60, 0)),
               chr(10), ' ') AS before,
       m.surface,
       replace(substring(t.body, m.char_end + 1, 60), chr(10), ' ') AS after
FROM fact_mention m
JOIN entity n USING (entity_kind, entity_id)
JOIN article_text t USING (article_id)
JOIN dim_article a USING (article_id)
WHERE strip_accents(lower(n.name)) = strip_accents(lower(getvariable('entity')))
ORDER BY a.file_name, m.char_start;
