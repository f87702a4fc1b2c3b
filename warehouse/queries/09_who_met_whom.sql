-- Question: Who met whom, when and where? Every person taking part in an event, with the
--           event's type, date (as written when no full date is known), place and their role.
-- Columns: event_type, event_date, date_text, place, person, role, event_title
SELECT e.event_type, e.event_date, e.date_text,
       l.canonical_name AS place,
       p.canonical_name AS person,
       b.role,
       e.title AS event_title
FROM fact_event e
JOIN bridge_event_participant b USING (event_id)
JOIN dim_person p ON b.entity_kind = 'person' AND p.person_id = b.entity_id
LEFT JOIN dim_location l ON l.location_id = e.location_id
ORDER BY e.event_date NULLS LAST, e.date_text NULLS LAST, e.event_id, b.role, person;
