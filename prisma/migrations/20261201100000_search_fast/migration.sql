-- Search in one function whose plan Postgres keeps, over stored text-search vectors.
--
-- Before: every search sent a 90-line statement that Postgres planned again each time (the
-- prepared statement never went generic), and planning cost ~5 ms, mostly pg_trgm estimating the
-- selectivity of `<%` by running word_similarity over the histogram of body. Ranking a word tier
-- parsed each matching description again (to_tsvector in ts_rank: ~10 ms for the 1,352 matches of
-- "injection"). Now the vectors are stored, and `refgraph_search` is planned once per connection.

-- What the word and full-text tiers match and rank. The expression indexes they replace computed
-- the same vectors; generated columns keep them in step with body without touching the triggers.
ALTER TABLE "search_document"
  ADD COLUMN "simple_vector" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "body")) STORED,
  ADD COLUMN "english_vector" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "body")) STORED;

DROP INDEX "search_document_english_idx";
DROP INDEX "search_document_simple_idx";
CREATE INDEX "search_document_simple_vector_idx" ON "search_document" USING gin ("simple_vector") WITH (fastupdate = off);
CREATE INDEX "search_document_english_vector_idx" ON "search_document" USING gin ("english_vector") WITH (fastupdate = off);

-- The ranked hits for one search (src/db/search.ts passes the text already read as a code and as
-- a word-prefix query, and the HCPCS release in force). Tiers, best first: exact code, code
-- prefix, every word as a word prefix, full text (English stemming), similar spelling (trigrams).
-- Each entity keeps its best tier; ties go to the higher score, then the system, then the code.
-- A tier runs only while the better tiers have found fewer than max_hits entities: its hits
-- could not reach the page otherwise.
--
-- The SET clause keeps Postgres from inlining the function into the caller's statement, where it
-- would be planned on every call again; with a generic plan it is planned once per connection.
-- Every tier reads an index with run-time keys, so one plan serves every text.
CREATE FUNCTION "refgraph_search"(
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
    SELECT d.kind, d.ref, d.code, d.title, 5, word_similarity(search_text, d.body)::float8 FROM docs d
    WHERE search_text <% d.body
      AND (SELECT count(*) FROM (SELECT kind, ref FROM exact_code UNION SELECT kind, ref FROM code_prefix
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
