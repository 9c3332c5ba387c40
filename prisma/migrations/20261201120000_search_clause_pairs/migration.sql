-- Phrases for similar spellings become pairs of neighbouring clauses.
--
-- 20261201110000_search_phrases cut long descriptions at sentence ends only, so a 200 to 300
-- character description stayed one long phrase, and those were most of the trigram index's
-- candidates that word_similarity then scored in vain. Now a description over 150 characters (a
-- fifth of them) gives one phrase per clause and its successor, cut at commas too: any stretch
-- of text within two neighbouring clauses ("Injection, panitumumab", or "visit. examples") is
-- still compared whole. On the bench terms the similar tier costs ~15% less, and of 1,620
-- searches only one text answers differently from the whole-description search of
-- 20261127080000 ("shell panel preiab" loses L0651 at 0.632), against 8 with sentences.
CREATE OR REPLACE FUNCTION "refgraph_search_phrases"(body text) RETURNS TABLE ("position" int, phrase text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT 1, body WHERE length(body) <= 150
  UNION ALL
  SELECT n::int, clause || coalesce(' ' || lead(clause) OVER (ORDER BY n), '')
  FROM regexp_split_to_table(body, '\s*(?:[,;:()\[\]]|\.(?=\s|$))\s*') WITH ORDINALITY AS s(clause, n)
  WHERE length(body) > 150 AND clause ~ '[[:alnum:]]'
$$;

-- The triggers of 20261201110000 call the function; the phrases already stored are rebuilt.
DELETE FROM search_phrase;
INSERT INTO search_phrase (kind, ref, "position", phrase)
SELECT d.kind, d.ref, s."position", s.phrase FROM search_document d, refgraph_search_phrases(d.body) s;
