-- Question: Who said what about a topic? A text search over every quote, accents optional
--           ('phối hợp' and 'phoi hop' both match).
-- Columns: speaker_name, cue_verb, quote_kind, quote_text, source_name, file_name, event_title
-- Change the topic on the next line.
SET VARIABLE topic = 'phối hợp';

-- quote_text_folded holds every distinct quote text already lower-cased and without accents
-- (built once per build: strip_accents over every quote at query time takes seconds at 100k).
SELECT q.speaker_name, q.cue_verb, q.quote_kind, q.quote_text, q.source_name, q.file_name, q.event_title
FROM quote_text_folded f
JOIN quote_statement s USING (statement_id)
JOIN v_quotes q USING (quote_id)
WHERE f.text_folded LIKE '%' || strip_accents(lower(getvariable('topic'))) || '%'
ORDER BY q.speaker_name, q.file_name, q.char_start;
