-- Question: Which statements are repeated across articles, possibly attributed to different
--           people? Near-identical quote pairs (word Jaccard >= 0.8), most similar first.
-- Columns: speaker_a, speaker_b, different_speakers, word_jaccard, quote_text_a, quote_text_b, event_title_a, event_title_b
SELECT speaker_a, speaker_b, different_speakers, word_jaccard,
       quote_text_a, quote_text_b, event_title_a, event_title_b
FROM v_repeated_statements
ORDER BY word_jaccard DESC, speaker_a, speaker_b, quote_text_a;
