-- What PostGraphile needs from a database Prisma made (bench database only; see NOTES.md):
-- unique constraints rather than unique indexes for lookups and one-to-one relations, and
-- Prisma's migration table hidden.
COMMENT ON TABLE "_prisma_migrations" IS E'@behavior -*';
ALTER TABLE "code" ADD CONSTRAINT "code_code_key_c" UNIQUE USING INDEX "code_code_key";
ALTER TABLE "code_version" ADD CONSTRAINT "code_version_release_id_code_key_c" UNIQUE USING INDEX "code_version_release_id_code_key";
ALTER TABLE "code_version" ADD CONSTRAINT "code_version_code_id_release_id_key_c" UNIQUE USING INDEX "code_version_code_id_release_id_key";
ALTER TABLE "payer" ADD CONSTRAINT "payer_slug_key_c" UNIQUE USING INDEX "payer_slug_key";
ALTER TABLE "modifier" ADD CONSTRAINT "modifier_code_key_c" UNIQUE USING INDEX "modifier_code_key";
ALTER TABLE "clinical_context" ADD CONSTRAINT "clinical_context_code_id_key_c" UNIQUE USING INDEX "clinical_context_code_id_key";
ALTER TABLE "benchmark" ADD CONSTRAINT "benchmark_code_id_release_id_key_c" UNIQUE USING INDEX "benchmark_code_id_release_id_key";
-- code_version has both a `code` column and a code_id foreign key, which simplified inflection
-- would also call `code`.
COMMENT ON CONSTRAINT "code_version_code_id_fkey" ON "code_version" IS E'@fieldName identity\n@foreignFieldName versions';
-- PostGraphile filters only indexed columns unless told; the search question filters on this one.
COMMENT ON COLUMN "code_version"."long_description" IS E'@behavior +filterBy +attribute:filterBy';
-- The varied list and the entities batch filter codes by prefix, range and list (`in`).
COMMENT ON COLUMN "code_version"."code" IS E'@behavior +filterBy +attribute:filterBy';
