-- Question: Which organizations are most active? Mentions, articles, events they organized
--           or took part in, and people holding a title in them.
-- Columns: organization, org_type, mentions, articles, events_organized, events_participated, people_with_titles
SELECT o.canonical_name AS organization,
       o.org_type,
       (SELECT count(*) FROM fact_mention m
         WHERE m.entity_kind = 'organization' AND m.entity_id = o.org_id) AS mentions,
       (SELECT count(DISTINCT m.article_id) FROM fact_mention m
         WHERE m.entity_kind = 'organization' AND m.entity_id = o.org_id) AS articles,
       (SELECT count(*) FROM fact_event e WHERE e.organizer_org_id = o.org_id) AS events_organized,
       (SELECT count(DISTINCT b.event_id) FROM bridge_event_participant b
         WHERE b.entity_kind = 'organization' AND b.entity_id = o.org_id) AS events_participated,
       (SELECT count(DISTINCT t.person_id) FROM fact_person_title t WHERE t.org_id = o.org_id) AS people_with_titles
FROM dim_organization o
ORDER BY mentions DESC, events_organized DESC, organization;
