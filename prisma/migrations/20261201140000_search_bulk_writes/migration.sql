-- Loads write search entries in bulk: the three GIN indexes of search collect a statement's new
-- entries in their pending list, and the phrase trigger merges that list into the index before
-- the statement ends.
--
-- With fastupdate off, every new vector and phrase went into the GIN trees one at a time:
-- replacing the 8,463 documents of October 2025 took ~10 s, most of it in the trigram index of
-- phrases (22,000 rows). Merged in bulk it takes ~1.5 s. Searches still never read a long pending
-- list, the reason 20261127080000 turned fastupdate off: the statement that fills it empties it.
ALTER INDEX "search_phrase_trgm_idx" SET (fastupdate = on);
ALTER INDEX "search_document_simple_vector_idx" SET (fastupdate = on);
ALTER INDEX "search_document_english_vector_idx" SET (fastupdate = on);

CREATE OR REPLACE FUNCTION "refgraph_search_document_phrases"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM search_phrase p USING old_docs o WHERE p.kind = o.kind AND p.ref = o.ref;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO search_phrase (kind, ref, "position", phrase, release_id)
    SELECT n.kind, n.ref, s."position", s.phrase, n.release_id FROM new_docs n, refgraph_search_phrases(n.body) s;
    BEGIN
      PERFORM gin_clean_pending_list('search_document_simple_vector_idx'::regclass),
              gin_clean_pending_list('search_document_english_vector_idx'::regclass),
              gin_clean_pending_list('search_phrase_trgm_idx'::regclass);
    EXCEPTION WHEN insufficient_privilege THEN
      -- Only the indexes' owner may merge the list; for another role autovacuum merges it later.
      NULL;
    END;
  END IF;
  RETURN NULL;
END
$$;
