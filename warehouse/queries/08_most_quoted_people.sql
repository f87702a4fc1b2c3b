-- Question: Who is quoted most, how (direct or reported speech), in how many articles and
--           events, and with which speech verbs?
-- Columns: speaker_name, quotes, direct, indirect, articles, events, cue_verbs
SELECT speaker_name,
       count(*) AS quotes,
       count(*) FILTER (WHERE quote_kind = 'direct') AS direct,
       count(*) FILTER (WHERE quote_kind = 'indirect') AS indirect,
       count(DISTINCT article_id) AS articles,
       count(DISTINCT event_id) AS events,
       list(DISTINCT cue_verb ORDER BY cue_verb) FILTER (WHERE cue_verb IS NOT NULL) AS cue_verbs
FROM v_quotes
GROUP BY speaker_name
ORDER BY quotes DESC, speaker_name;
