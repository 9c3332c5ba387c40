-- Search (issue #4): full-text, word-prefix and trigram indexes over the texts `search` reads,
-- and a data version that the response cache keys on.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Codes: the expressions below must stay identical to those in src/db/search.ts, or Postgres
-- cannot use the indexes.
CREATE INDEX "code_version_search_english_idx" ON "code_version"
  USING gin (to_tsvector('english'::regconfig, "long_description" || ' ' || "short_description"));
CREATE INDEX "code_version_search_simple_idx" ON "code_version"
  USING gin (to_tsvector('simple'::regconfig, "long_description" || ' ' || "short_description"));
CREATE INDEX "code_version_search_trgm_idx" ON "code_version"
  USING gin (("long_description" || ' ' || "short_description") gin_trgm_ops);
-- Modifiers, places of service and taxonomies: small tables, but computing a tsvector per row
-- on each search costs more than the index.
CREATE INDEX "modifier_search_english_idx" ON "modifier"
  USING gin (to_tsvector('english'::regconfig, "long_description" || ' ' || coalesce("short_description", '')));
CREATE INDEX "modifier_search_simple_idx" ON "modifier"
  USING gin (to_tsvector('simple'::regconfig, "long_description" || ' ' || coalesce("short_description", '')));
CREATE INDEX "modifier_search_trgm_idx" ON "modifier"
  USING gin (("long_description" || ' ' || coalesce("short_description", '')) gin_trgm_ops);
CREATE INDEX "modifier_code_pattern_idx" ON "modifier" ("code" text_pattern_ops);
CREATE INDEX "place_of_service_search_english_idx" ON "place_of_service"
  USING gin (to_tsvector('english'::regconfig, "name" || ' ' || coalesce("description", '')));
CREATE INDEX "place_of_service_search_simple_idx" ON "place_of_service"
  USING gin (to_tsvector('simple'::regconfig, "name" || ' ' || coalesce("description", '')));
CREATE INDEX "place_of_service_search_trgm_idx" ON "place_of_service"
  USING gin (("name" || ' ' || coalesce("description", '')) gin_trgm_ops);
CREATE INDEX "taxonomy_search_english_idx" ON "taxonomy"
  USING gin (to_tsvector('english'::regconfig, "classification" || ' ' || coalesce("specialization", '') || ' ' || coalesce("display_name", '')));
CREATE INDEX "taxonomy_search_simple_idx" ON "taxonomy"
  USING gin (to_tsvector('simple'::regconfig, "classification" || ' ' || coalesce("specialization", '') || ' ' || coalesce("display_name", '')));
CREATE INDEX "taxonomy_search_trgm_idx" ON "taxonomy"
  USING gin (("classification" || ' ' || coalesce("specialization", '') || ' ' || coalesce("display_name", '')) gin_trgm_ops);
CREATE INDEX "taxonomy_code_pattern_idx" ON "taxonomy" ("code" text_pattern_ops);
-- Code prefixes (`search`, `codes(filter: {codePrefix})`) whatever the database collation.
CREATE INDEX "code_version_release_id_code_pattern_idx" ON "code_version" ("release_id", "code" text_pattern_ops);
CREATE INDEX "code_version_pricing_indicators_idx" ON "code_version" USING gin ("pricing_indicators");
CREATE INDEX "code_version_types_of_service_idx" ON "code_version" USING gin ("types_of_service");
-- "Codes with a note from payer X with status Y" and the coverage summary.
CREATE INDEX "coverage_note_code_id_payer_id_status_idx" ON "coverage_note" ("code_id", "payer_id", "status") WHERE "retired_at" IS NULL;

-- The data version: bumped (and announced with NOTIFY, which Postgres delivers only on commit)
-- by every statement that changes reference or curated data. The response cache keys on it, so
-- a new load or a steward's edit invalidates cached answers at once. API keys are left out:
-- using a key must not empty the cache.
CREATE SEQUENCE "refgraph_data_version";

CREATE FUNCTION "refgraph_bump_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('refgraph_data_version');
  PERFORM pg_notify('refgraph_data_changed', '');
  RETURN NULL;
END
$$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'code_system', 'release', 'code', 'code_version', 'modifier', 'code_modifier', 'place_of_service',
    'code_site_of_service', 'payer', 'coverage_note', 'coverage_note_revision', 'code_relation', 'taxonomy',
    'code_taxonomy', 'diagnosis', 'code_diagnosis', 'benchmark', 'clinical_context', 'coverage_document'
  ] LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION refgraph_bump_data_version()',
      t || '_data_version', t);
  END LOOP;
END
$$;
