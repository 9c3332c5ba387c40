-- Similar spellings of a single word, matched against the words of the documents instead of their
-- phrases.
--
-- Why: the similar tier scored every phrase whose trigrams pass word_similarity's threshold, and a
-- short word passes it on thousands of them: "prol" shares its first three trigrams with every phrase
-- holding a word that starts with "pro" (2,712 phrases, 67 ms, with word_similarity computed twice
-- on each). Those words set the mean and the p99 of search. For a text of one word, the best
-- stretch of a phrase is one of its words, so the score is the best word_similarity of the text
-- against the document's words: the ~13,600 distinct words are compared instead of ~22,700 phrases,
-- and a hit costs an index lookup. Over 5,160 varied search texts on the bench database: one-word
-- texts 2.40 ms mean, p99 21 ms, max 77 ms before; 1.25 ms, 4.3 ms and 17 ms after. Misspelled
-- single words find what their right spelling finds first as often as before (97 of 286 in the top
-- 20, 63 first). What changes is only what a stretch across two words gave: "ress" no longer
-- matches "Illness Respite" at 1.0 through "...ess" + "res...".
-- Texts of several words keep the phrase tier: their best stretch spans words, and per-word scores
-- lost misspelled pairs ("surgirgaft dual" no longer found Q4219) in the same comparison.

-- The distinct words (letters and digits, lower case, as pg_trgm cuts them) of every document.
CREATE TABLE "search_word" (
    "word" TEXT NOT NULL,

    CONSTRAINT "search_word_pkey" PRIMARY KEY ("word")
);
-- fastupdate off: a load adds few new words once the vocabulary is in (the first October 2025 file
-- adds its ~13,600 at once), so each goes straight into the index and no search reads a pending list.
CREATE INDEX "search_word_trgm_idx" ON "search_word" USING gin ("word" gin_trgm_ops) WITH (fastupdate = off);

-- Which documents hold a word, with what the tier sorts and filters by before it reads a document.
CREATE TABLE "search_word_document" (
    "word" TEXT NOT NULL,
    "kind" "CodeSystemKind" NOT NULL,
    "ref" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "release_id" INTEGER,

    CONSTRAINT "search_word_document_pkey" PRIMARY KEY ("word","kind","ref")
);
CREATE INDEX "search_word_document_kind_ref_idx" ON "search_word_document"("kind", "ref");

-- The distinct words of one document's body, cut as pg_trgm cuts text into words.
CREATE FUNCTION "refgraph_search_words"(body text) RETURNS SETOF text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
  SELECT DISTINCT w FROM regexp_split_to_table(lower(body), '[^[:alnum:]]+') w WHERE w <> ''
$$;

-- Words follow their document through every insert, update and delete, as phrases do. A word no
-- document holds any more stays in the vocabulary: it matches no document, and removing it here
-- would race a concurrent writer (a load adding a document with that word has not committed it,
-- so this statement would see the word as unheld and delete it for good).
CREATE FUNCTION "refgraph_search_document_words"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM search_word_document w USING old_docs o WHERE w.kind = o.kind AND w.ref = o.ref;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    WITH added AS (
      INSERT INTO search_word_document (word, kind, ref, code, release_id)
      SELECT w, n.kind, n.ref, n.code, n.release_id FROM new_docs n, refgraph_search_words(n.body) w
      RETURNING word
    )
    INSERT INTO search_word (word) SELECT DISTINCT word FROM added ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "search_document_words_insert" AFTER INSERT ON "search_document"
  REFERENCING NEW TABLE AS new_docs FOR EACH STATEMENT EXECUTE FUNCTION refgraph_search_document_words();
CREATE TRIGGER "search_document_words_update" AFTER UPDATE ON "search_document"
  REFERENCING OLD TABLE AS old_docs NEW TABLE AS new_docs FOR EACH STATEMENT EXECUTE FUNCTION refgraph_search_document_words();
CREATE TRIGGER "search_document_words_delete" AFTER DELETE ON "search_document"
  REFERENCING OLD TABLE AS old_docs FOR EACH STATEMENT EXECUTE FUNCTION refgraph_search_document_words();

-- Words of what is already loaded.
INSERT INTO search_word_document (word, kind, ref, code, release_id)
SELECT w, d.kind, d.ref, d.code, d.release_id FROM search_document d, refgraph_search_words(d.body) w;
INSERT INTO search_word (word) SELECT DISTINCT word FROM search_word_document;

-- The search of 20261201100000_search_fast, with the similar tier split in two: a text of one word
-- is scored against words (similar_word), a longer text against phrases (similar_phrase) as before.
-- The one-word tier sorts its hits by score, system and code before it reads their documents, and
-- reads only as many as can reach the page.
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
  found AS MATERIALIZED (
    SELECT kind, ref FROM exact_code UNION SELECT kind, ref FROM code_prefix
    UNION SELECT kind, ref FROM word_prefix UNION SELECT kind, ref FROM full_text
  ),
  -- The text as one word (letters and digits, lower case); no row when it holds several words.
  one_word AS MATERIALIZED (
    SELECT lower(substring(search_text FROM '[[:alnum:]]+')) AS word
    WHERE search_text ~ '^[^[:alnum:]]*[[:alnum:]]+[^[:alnum:]]*$'
  ),
  similar_word AS MATERIALIZED (
    SELECT d.kind, d.ref, d.code, d.title, 5, s.score
    FROM (SELECT e.kind, e.ref, e.code, max(v.similarity) AS score
          FROM (SELECT v.word, word_similarity(o.word, v.word)::float8 AS similarity
                FROM one_word o JOIN search_word v ON o.word <% v.word
                WHERE (SELECT count(*) FROM found) < max_hits) v,
               -- OFFSET 0, here and below, keeps these lookups by index: see similar_phrase.
               LATERAL (SELECT * FROM search_word_document e
                        WHERE e.word = v.word AND e.kind::text = ANY (systems)
                          AND (e.release_id IS NULL OR e.release_id = hcpcs_release) OFFSET 0) e
          WHERE NOT EXISTS (SELECT FROM found f WHERE f.kind = e.kind AND f.ref = e.ref)
          GROUP BY e.kind, e.ref, e.code
          ORDER BY score DESC, e.kind, e.code) s,
         LATERAL (SELECT * FROM docs d WHERE d.kind = s.kind AND d.ref = s.ref OFFSET 0) d
    LIMIT max_hits
  ),
  similar_phrase AS MATERIALIZED (
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
    WHERE (SELECT count(*) FROM found) < max_hits AND NOT EXISTS (SELECT FROM one_word)
  ),
  best AS (
    SELECT DISTINCT ON (kind, ref) * FROM (
      SELECT * FROM exact_code UNION ALL SELECT * FROM code_prefix UNION ALL SELECT * FROM word_prefix
      UNION ALL SELECT * FROM full_text UNION ALL SELECT * FROM similar_word
      UNION ALL SELECT * FROM similar_phrase
    ) hits
    ORDER BY kind, ref, tier, score DESC
  )
  -- kind sorts in the enum's order: codes, modifiers, places of service, taxonomies.
  SELECT kind::text, ref, code, title, (ARRAY['EXACT_CODE', 'CODE_PREFIX', 'WORD_PREFIX', 'FULL_TEXT', 'SIMILAR'])[tier], score
  FROM best
  ORDER BY tier, score DESC, best.kind, code
  LIMIT max_hits
$$;
