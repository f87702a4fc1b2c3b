-- Question: Who said what about a topic? A text search over every quote, accents optional
--           ('phối hợp' and 'phoi hop' both match).
-- Columns: speaker_name, cue_verb, quote_kind, quote_text, source_name, file_name, event_title
-- Change the topic on the next line.
SET VARIABLE topic = 'phối hợp';

SELECT speaker_name, cue_verb, quote_kind, quote_text, source_name, file_name, event_title
FROM v_quotes
WHERE strip_accents(lower(quote_text)) LIKE '%' || strip_accents(lower(getvariable('topic'))) || '%'
ORDER BY speaker_name, file_name, char_start;
