-- One table that `search` reads (src/db/search.ts), kept in step with code versions, modifiers,
-- places of service and taxonomies by statement-level triggers. Searching one indexed table
-- instead of four (with per-row text expressions on the small ones) made a search about ten
-- times cheaper to plan and run (npm run bench).

CREATE TABLE "search_document" (
    "kind" "CodeSystemKind" NOT NULL,
    "ref" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "release_id" INTEGER,
    "add_date" DATE,

    CONSTRAINT "search_document_pkey" PRIMARY KEY ("kind","ref")
);

-- fastupdate off: a load's new entries go straight into the index instead of a pending list that
-- every search would scan until the next vacuum. Loads are rare; searches are not.
CREATE INDEX "search_document_english_idx" ON "search_document" USING gin (to_tsvector('english'::regconfig, "body")) WITH (fastupdate = off);
CREATE INDEX "search_document_simple_idx" ON "search_document" USING gin (to_tsvector('simple'::regconfig, "body")) WITH (fastupdate = off);
CREATE INDEX "search_document_trgm_idx" ON "search_document" USING gin ("body" gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX "search_document_code_idx" ON "search_document" ("code" text_pattern_ops);

-- The per-table search indexes of 20261127040000 are no longer read.
DROP INDEX "code_version_search_english_idx";
DROP INDEX "code_version_search_simple_idx";
DROP INDEX "code_version_search_trgm_idx";
DROP INDEX "modifier_search_english_idx";
DROP INDEX "modifier_search_simple_idx";
DROP INDEX "modifier_search_trgm_idx";
DROP INDEX "place_of_service_search_english_idx";
DROP INDEX "place_of_service_search_simple_idx";
DROP INDEX "place_of_service_search_trgm_idx";
DROP INDEX "taxonomy_search_english_idx";
DROP INDEX "taxonomy_search_simple_idx";
DROP INDEX "taxonomy_search_trgm_idx";

-- What each source row contributes; the backfill at the end says the same.
CREATE FUNCTION "refgraph_search_documents"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  doc_kind "CodeSystemKind" := TG_ARGV[0]::"CodeSystemKind";
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF TG_TABLE_NAME IN ('code_version', 'modifier') THEN
      DELETE FROM search_document d USING old_rows o WHERE d.kind = doc_kind AND d.ref = (to_jsonb(o) ->> 'id');
    ELSE
      DELETE FROM search_document d USING old_rows o WHERE d.kind = doc_kind AND d.ref = (to_jsonb(o) ->> 'code');
    END IF;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF TG_TABLE_NAME = 'code_version' THEN
      INSERT INTO search_document (kind, ref, code, title, body, release_id, add_date)
      SELECT doc_kind, n.id::text, n.code, n.long_description, n.long_description || ' ' || n.short_description, n.release_id, n.add_date
      FROM new_rows n;
    ELSIF TG_TABLE_NAME = 'modifier' THEN
      INSERT INTO search_document (kind, ref, code, title, body, release_id, add_date)
      SELECT doc_kind, n.id::text, n.code, n.long_description, n.long_description || ' ' || coalesce(n.short_description, ''), NULL, n.add_date
      FROM new_rows n;
    ELSIF TG_TABLE_NAME = 'place_of_service' THEN
      INSERT INTO search_document (kind, ref, code, title, body, release_id, add_date)
      SELECT doc_kind, n.code, n.code, n.name, n.name || ' ' || coalesce(n.description, ''), NULL, NULL
      FROM new_rows n;
    ELSE
      INSERT INTO search_document (kind, ref, code, title, body, release_id, add_date)
      SELECT doc_kind, n.code, n.code, coalesce(n.display_name, n.classification),
             n.classification || ' ' || coalesce(n.specialization, '') || ' ' || coalesce(n.display_name, ''), NULL, NULL
      FROM new_rows n;
    END IF;
  END IF;
  RETURN NULL;
END
$$;

DO $$
DECLARE
  source record;
BEGIN
  FOR source IN SELECT * FROM (VALUES ('code_version', 'HCPCS'), ('modifier', 'MODIFIER'), ('place_of_service', 'PLACE_OF_SERVICE'), ('taxonomy', 'TAXONOMY')) AS s(tbl, kind) LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refgraph_search_documents(%L)',
      source.tbl || '_search_insert', source.tbl, source.kind);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION refgraph_search_documents(%L)',
      source.tbl || '_search_update', source.tbl, source.kind);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION refgraph_search_documents(%L)',
      source.tbl || '_search_delete', source.tbl, source.kind);
  END LOOP;
END
$$;

-- Documents for what is already loaded.
INSERT INTO search_document (kind, ref, code, title, body, release_id, add_date)
SELECT 'HCPCS'::"CodeSystemKind", id::text, code, long_description, long_description || ' ' || short_description, release_id, add_date FROM code_version
UNION ALL
SELECT 'MODIFIER'::"CodeSystemKind", id::text, code, long_description, long_description || ' ' || coalesce(short_description, ''), NULL, add_date FROM modifier
UNION ALL
SELECT 'PLACE_OF_SERVICE'::"CodeSystemKind", code, code, name, name || ' ' || coalesce(description, ''), NULL, NULL FROM place_of_service
UNION ALL
SELECT 'TAXONOMY'::"CodeSystemKind", code, code, coalesce(display_name, classification),
       classification || ' ' || coalesce(specialization, '') || ' ' || coalesce(display_name, ''), NULL, NULL FROM taxonomy;

-- pg_trgm declares its similarity operators as cheap (cost 1), so over ~10,000 descriptions the
-- planner computes word_similarity for every row (0.6 s) rather than use the trigram index (a
-- few ms). Give them the cost of the work they do.
ALTER FUNCTION word_similarity_op(text, text) COST 100;
ALTER FUNCTION word_similarity_commutator_op(text, text) COST 100;
