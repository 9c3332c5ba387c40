-- Search in one SQL function whose plan Postgres keeps, over stored text-search vectors, with
-- similar spellings matched against short phrases instead of whole long descriptions.
--
-- Before: every search sent a 90-line statement that Postgres planned again each time (the
-- prepared statement never went generic), and planning cost ~5 ms, mostly pg_trgm estimating the
-- selectivity of `<%` over the histogram of body. Ranking a word tier parsed each matching
-- description again (to_tsvector in ts_rank: ~10 ms for the 1,352 matches of "injection"). And
-- word_similarity costs about the square of its target's length while the trigram index handed the
-- longest descriptions (up to 4,500 characters) to almost every text: that tier was ~90% of a
-- search ("pet tumor": 5.6 of 7.2 ms). Mean Postgres time per search over varied terms on the bench
-- database (npm run bench:search): 10-11 ms before, about 2 ms after; planning 0.

-- What the word and full-text tiers match and rank. Generated columns keep the vectors in step
-- with body without touching the source triggers of 20261127080000.
ALTER TABLE "search_document"
  ADD COLUMN "simple_vector" tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, "body")) STORED,
  ADD COLUMN "english_vector" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "body")) STORED;

DROP INDEX "search_document_english_idx";
DROP INDEX "search_document_simple_idx";
-- The similar tier reads phrases (below), not body, through trigrams.
DROP INDEX "search_document_trgm_idx";
-- fastupdate on: a load's new entries collect in the pending list and are merged in bulk by the
-- phrase trigger before its statement ends, so searches never read a long pending list (the reason
-- 20261127080000 turned it off) and replacing a release's 8,463 documents takes ~1.5 s, not ~10 s.
CREATE INDEX "search_document_simple_vector_idx" ON "search_document" USING gin ("simple_vector") WITH (fastupdate = on);
CREATE INDEX "search_document_english_vector_idx" ON "search_document" USING gin ("english_vector") WITH (fastupdate = on);

-- Phrases for similar spellings: a description of up to 150 characters (four fifths of them) is
-- one phrase, so its score is what it was; a longer one gives one phrase per clause and its
-- successor, cut at commas, semicolons, colons, brackets and sentence ends, so any stretch of text
-- within two neighbouring clauses ("Injection, panitumumab", or "visit. examples") is still
-- compared whole. Over 1,620 searches of the bench terms, one text answers differently from the
-- whole-description search ("shell panel preiab" loses L0651 at 0.632). A phrase carries its
-- document's HCPCS release, so only the phrases of the release in force are scored.
CREATE TABLE "search_phrase" (
    "kind" "CodeSystemKind" NOT NULL,
    "ref" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "phrase" TEXT NOT NULL,
    "release_id" INTEGER,

    CONSTRAINT "search_phrase_pkey" PRIMARY KEY ("kind","ref","position")
);

-- The phrases of one document's body.
CREATE FUNCTION "refgraph_search_phrases"(body text) RETURNS TABLE ("position" int, phrase text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT 1, body WHERE length(body) <= 150
  UNION ALL
  SELECT n::int, clause || coalesce(' ' || lead(clause) OVER (ORDER BY n), '')
  FROM regexp_split_to_table(body, '\s*(?:[,;:()\[\]]|\.(?=\s|$))\s*') WITH ORDINALITY AS s(clause, n)
  WHERE length(body) > 150 AND clause ~ '[[:alnum:]]'
$$;

-- Phrases follow their document through every insert, update and delete, whoever writes it (the
-- source triggers of 20261127080000 replace documents by delete and insert).
CREATE FUNCTION "refgraph_search_document_phrases"() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER "search_document_phrases_insert" AFTER INSERT ON "search_document"
  REFERENCING NEW TABLE AS new_docs FOR EACH STATEMENT EXECUTE FUNCTION refgraph_search_document_phrases();
CREATE TRIGGER "search_document_phrases_update" AFTER UPDATE ON "search_document"
  REFERENCING OLD TABLE AS old_docs NEW TABLE AS new_docs FOR EACH STATEMENT EXECUTE FUNCTION refgraph_search_document_phrases();
CREATE TRIGGER "search_document_phrases_delete" AFTER DELETE ON "search_document"
  REFERENCING OLD TABLE AS old_docs FOR EACH STATEMENT EXECUTE FUNCTION refgraph_search_document_phrases();

-- Phrases of what is already loaded; the index is built once, after them.
INSERT INTO search_phrase (kind, ref, "position", phrase, release_id)
SELECT d.kind, d.ref, s."position", s.phrase, d.release_id FROM search_document d, refgraph_search_phrases(d.body) s;
CREATE INDEX "search_phrase_trgm_idx" ON "search_phrase" USING gin ("phrase" gin_trgm_ops) WITH (fastupdate = on);

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
