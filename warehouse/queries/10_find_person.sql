-- Question: Who is this person, typed without accents or by an alias? Their canonical name,
--           aliases, titles, how often they appear and when.
-- Columns: canonical_name, name_ascii, aliases, titles, article_count, mention_count, quote_count, first_seen, last_seen
-- Change the search on the next line (part of a name, accents optional).
SET VARIABLE who = 'lam';

-- person_alias_folded holds every alias already lower-cased and without accents (built once).
SELECT canonical_name, name_ascii, aliases, titles, article_count, mention_count, quote_count,
       first_seen, last_seen
FROM v_person_summary
WHERE name_ascii ILIKE '%' || strip_accents(getvariable('who')) || '%'
   OR person_id IN (SELECT person_id FROM person_alias_folded
                    WHERE alias_folded LIKE '%' || strip_accents(lower(getvariable('who'))) || '%')
ORDER BY article_count DESC, canonical_name;
