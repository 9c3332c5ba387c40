-- The similar-spelling tier compares the text with phrases, not with whole long descriptions.
--
-- word_similarity costs about the square of the target's length, and the trigram index hands the
-- longest descriptions (up to 4,500 characters) to almost every text: they hold most trigrams.
-- On the bench database that tier was ~90% of a search's time ("pet tumor": 5.6 of 7.2 ms).
-- A description of up to 300 characters (95% of them) stays one phrase, so its score is what it
-- was; a longer one is cut at sentence ends, semicolons, colons and brackets, never at commas, so
-- "Injection, panitumumab, 10 mg" stays whole. A document scores its best phrase. Over 1,620
-- searches of the bench terms, 8 answers changed, all in the similar tier of long descriptions
-- (matches that only existed across a sentence break, such as "exsit" in "visit. examples").

CREATE TABLE "search_phrase" (
    "kind" "CodeSystemKind" NOT NULL,
    "ref" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "phrase" TEXT NOT NULL,

    CONSTRAINT "search_phrase_pkey" PRIMARY KEY ("kind","ref","position")
);

-- fastupdate off, as for search_document: loads are rare, searches are not.
CREATE INDEX "search_phrase_trgm_idx" ON "search_phrase" USING gin ("phrase" gin_trgm_ops) WITH (fastupdate = off);

-- The similar tier no longer reads body through trigrams.
DROP INDEX "search_document_trgm_idx";

-- The phrases of one document's body.
CREATE FUNCTION "refgraph_search_phrases"(body text) RETURNS TABLE ("position" int, phrase text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT 1, body WHERE length(body) <= 300
  UNION ALL
  SELECT n::int, p FROM regexp_split_to_table(body, '\s*(?:[;:()\[\]]|\.(?=\s|$))\s*') WITH ORDINALITY AS s(p, n)
  WHERE length(body) > 300 AND p ~ '[[:alnum:]]'
$$;

-- Phrases follow their document through every insert, update and delete, whoever writes it
-- (the source triggers of 20261127080000 replace documents by delete and insert).
CREATE FUNCTION "refgraph_search_document_phrases"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM search_phrase p USING old_docs o WHERE p.kind = o.kind AND p.ref = o.ref;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO search_phrase (kind, ref, "position", phrase)
    SELECT n.kind, n.ref, s."position", s.phrase FROM new_docs n, refgraph_search_phrases(n.body) s;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "search_document_phrases_insert" AFTER INSERT ON "search_document"
  REFERENCING NEW TABLE AS new_docs FOR EACH STATEMENT EXECUTE FUNCTION refgraph_search_document_phrases();
CREATE TRIGGER "search_document_phrases_update" AFTER UPDATE ON "search_document"
  REFERENCING OLD TABLE AS old_docs NEW TABLE AS new_docs FOR EACH STATEMENT EXECUTE FUNCTION refgraph_search_document_phrases();
CREATE TRIGGER "search_document_phrases_delete" AFTER DELETE ON "search_document"
  REFERENCING OLD TABLE AS old_docs FOR EACH STATEMENT EXECUTE FUNCTION refgraph_search_document_phrases();

-- Phrases of what is already loaded.
INSERT INTO search_phrase (kind, ref, "position", phrase)
SELECT d.kind, d.ref, s."position", s.phrase FROM search_document d, refgraph_search_phrases(d.body) s;

-- The same function as 20261201100000_search_fast but for the similar tier, which now reads
-- phrases and keeps each document's best score.
CREATE OR REPLACE FUNCTION "refgraph_search"(
  search_text text,
  code_text text,
  prefix_query text,
  max_hits int,
  systems text[],
  as_of date,
  hcpcs_release int
) RETURNS TABLE (kind text, ref text, code text, title text, "matchedOn" text, score float8)
LANGUAGE sql STABLE
SET plan_cache_mode = force_generic_plan
AS $$
  WITH docs AS NOT MATERIALIZED (
    SELECT d.* FROM search_document d
    WHERE d.kind::text = ANY (systems)
      AND (d.release_id IS NULL OR d.release_id = hcpcs_release)
      AND (as_of IS NULL OR d.add_date IS NULL OR d.add_date <= as_of)
  ),
  exact_code AS MATERIALIZED (
    SELECT d.kind, d.ref, d.code, d.title, 1 AS tier, 1::float8 AS score FROM docs d
    WHERE d.code = code_text
  ),
  -- A range rather than LIKE: a generic plan cannot read an index bound out of a LIKE parameter.
  -- Codes and code_text are upper-case letters and digits, so [A95, A96) is "starts with A95".
  code_prefix AS MATERIALIZED (
    SELECT d.kind, d.ref, d.code, d.title, 2, length(code_text)::float8 / length(d.code) FROM docs d
    WHERE d.code ~>=~ code_text AND d.code ~<~ (left(code_text, -1) || chr(ascii(right(code_text, 1)) + 1))
      AND d.code <> code_text
      AND (SELECT count(*) FROM exact_code) < max_hits
  ),
  word_prefix AS MATERIALIZED (
    SELECT d.kind, d.ref, d.code, d.title, 3, ts_rank(d.simple_vector, q)::float8 FROM docs d, to_tsquery('simple'::regconfig, prefix_query) q
    WHERE d.simple_vector @@ q
      AND (SELECT count(*) FROM (SELECT kind, ref FROM exact_code UNION SELECT kind, ref FROM code_prefix) found) < max_hits
  ),
  full_text AS MATERIALIZED (
    SELECT d.kind, d.ref, d.code, d.title, 4, ts_rank(d.english_vector, q)::float8 FROM docs d, websearch_to_tsquery('english'::regconfig, search_text) q
    WHERE d.english_vector @@ q
      AND (SELECT count(*) FROM (SELECT kind, ref FROM exact_code UNION SELECT kind, ref FROM code_prefix
                                 UNION SELECT kind, ref FROM word_prefix) found) < max_hits
  ),
  similar_spelling AS MATERIALIZED (
    SELECT d.kind, d.ref, d.code, d.title, 5, p.score
    FROM (SELECT p.kind, p.ref, max(word_similarity(search_text, p.phrase))::float8 AS score
          FROM search_phrase p WHERE search_text <% p.phrase GROUP BY p.kind, p.ref) p,
         -- OFFSET 0 keeps this a lookup by primary key per hit: as a join, the generic plan,
         -- which cannot know how few hits there are, hashes every document instead.
         LATERAL (SELECT * FROM docs d WHERE d.kind = p.kind AND d.ref = p.ref OFFSET 0) d
    WHERE (SELECT count(*) FROM (SELECT kind, ref FROM exact_code UNION SELECT kind, ref FROM code_prefix
                                 UNION SELECT kind, ref FROM word_prefix UNION SELECT kind, ref FROM full_text) found) < max_hits
  ),
  best AS (
    SELECT DISTINCT ON (kind, ref) * FROM (
      SELECT * FROM exact_code UNION ALL SELECT * FROM code_prefix UNION ALL SELECT * FROM word_prefix
      UNION ALL SELECT * FROM full_text UNION ALL SELECT * FROM similar_spelling
    ) hits
    ORDER BY kind, ref, tier, score DESC
  )
  -- kind sorts in the enum's order: codes, modifiers, places of service, taxonomies.
  SELECT kind::text, ref, code, title, (ARRAY['EXACT_CODE', 'CODE_PREFIX', 'WORD_PREFIX', 'FULL_TEXT', 'SIMILAR'])[tier], score
  FROM best
  ORDER BY tier, score DESC, best.kind, code
  LIMIT max_hits
$$;
