-- Question: Which officials appear together at events, and how often?
--           One row per pair of people who took part in the same event.
-- Columns: person_a, person_b, shared_events, event_types, places, dates
WITH people AS (
    SELECT DISTINCT b.event_id, p.canonical_name AS name
    FROM bridge_event_participant b
    JOIN dim_person p ON b.entity_kind = 'person' AND p.person_id = b.entity_id
)
SELECT a.name AS person_a,
       b.name AS person_b,
       count(DISTINCT a.event_id) AS shared_events,
       list(DISTINCT e.event_type ORDER BY e.event_type) AS event_types,
       list(DISTINCT l.canonical_name ORDER BY l.canonical_name) FILTER (WHERE l.canonical_name IS NOT NULL) AS places,
       list(DISTINCT coalesce(CAST(e.event_date AS VARCHAR), e.date_text))
           FILTER (WHERE coalesce(CAST(e.event_date AS VARCHAR), e.date_text) IS NOT NULL) AS dates
FROM people a
JOIN people b ON a.event_id = b.event_id AND a.name < b.name
JOIN fact_event e ON e.event_id = a.event_id
LEFT JOIN dim_location l ON l.location_id = e.location_id
GROUP BY a.name, b.name
ORDER BY shared_events DESC, person_a, person_b;
