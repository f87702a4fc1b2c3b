-- Question: What has one person said, in date order? Dates are the event's, else the
--           article's publication date; quotes without either come last, in text order.
-- Columns: said_on, date_text, speaker_name, cue_verb, quote_kind, quote_text, event_title, source_name, file_name
-- Change the person on the next line (canonical name, or without accents: 'to lam').
SET VARIABLE person = 'Tô Lâm';

SELECT coalesce(q.event_date, q.published_date) AS said_on,
       e.date_text,
       q.speaker_name, q.cue_verb, q.quote_kind, q.quote_text, q.event_title, q.source_name, q.file_name
FROM v_quotes q
JOIN dim_person p ON p.person_id = q.speaker_person_id
LEFT JOIN fact_event e ON e.event_id = q.event_id
WHERE p.canonical_name = getvariable('person') OR p.name_ascii ILIKE getvariable('person')
ORDER BY said_on NULLS LAST, q.file_name, q.char_start;
