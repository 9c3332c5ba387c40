-- Phrases carry their document's HCPCS release, so the similar tier scores only the phrases of the
-- release in force (and of the systems asked for).
--
-- search_document holds one document per code and release loaded: with the 2019 annual file loaded
-- beside October 2025, the trigram index hands the similar tier candidates from both releases, and
-- word_similarity scored them all before the release filter dropped half. Every release loaded
-- would add to every search. Filtering on the phrase row, before word_similarity, keeps the cost of
-- the tier to the release searched.

ALTER TABLE "search_phrase" ADD COLUMN "release_id" INTEGER;
-- Every HCPCS phrase row is rewritten: building the trigram index again afterwards is far cheaper
-- than inserting each new row version into it.
DROP INDEX "search_phrase_trgm_idx";
UPDATE search_phrase p SET release_id = d.release_id FROM search_document d WHERE d.kind = p.kind AND d.ref = p.ref AND d.release_id IS NOT NULL;
CREATE INDEX "search_phrase_trgm_idx" ON "search_phrase" USING gin ("phrase" gin_trgm_ops) WITH (fastupdate = off);

CREATE OR REPLACE FUNCTION "refgraph_search_document_phrases"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM search_phrase p USING old_docs o WHERE p.kind = o.kind AND p.ref = o.ref;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO search_phrase (kind, ref, "position", phrase, release_id)
    SELECT n.kind, n.ref, s."position", s.phrase, n.release_id FROM new_docs n, refgraph_search_phrases(n.body) s;
  END IF;
  RETURN NULL;
END
$$;

-- The same function as 20261201110000_search_phrases but for the scope of the similar tier.
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
          FROM search_phrase p
          -- Postgres tests the cheap conditions first: word_similarity runs only on phrases in scope.
          WHERE p.kind::text = ANY (systems) AND (p.release_id IS NULL OR p.release_id = hcpcs_release)
            AND search_text <% p.phrase
          GROUP BY p.kind, p.ref) p,
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
