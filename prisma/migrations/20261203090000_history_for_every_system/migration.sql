-- Release-by-release history for modifiers, places of service and taxonomies (issue 11), as
-- code_version gives it for HCPCS codes: one full snapshot per release that carried the entry.
-- The current-state tables (modifier, place_of_service, taxonomy) stay as they are: they hold the
-- newest values, the curated links point at them, and search_document's triggers index them.

CREATE TABLE "modifier_version" (
    "id" SERIAL NOT NULL,
    "modifier_id" INTEGER NOT NULL,
    "release_id" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "long_description" TEXT NOT NULL,
    "short_description" TEXT,
    "coverage_code" TEXT,
    "processing_note" TEXT,
    "add_date" DATE,
    "action_effective_date" DATE,
    "termination_date" DATE,
    "action_code" TEXT,
    CONSTRAINT "modifier_version_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "modifier_version_modifier_id_release_id_key" ON "modifier_version"("modifier_id", "release_id");
CREATE UNIQUE INDEX "modifier_version_release_id_code_key" ON "modifier_version"("release_id", "code");
ALTER TABLE "modifier_version" ADD CONSTRAINT "modifier_version_modifier_id_fkey" FOREIGN KEY ("modifier_id") REFERENCES "modifier"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "modifier_version" ADD CONSTRAINT "modifier_version_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "place_of_service_version" (
    "id" SERIAL NOT NULL,
    "release_id" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "assigned" BOOLEAN NOT NULL,
    CONSTRAINT "place_of_service_version_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "place_of_service_version_release_id_code_key" ON "place_of_service_version"("release_id", "code");
CREATE INDEX "place_of_service_version_code_idx" ON "place_of_service_version"("code");
ALTER TABLE "place_of_service_version" ADD CONSTRAINT "place_of_service_version_code_fkey" FOREIGN KEY ("code") REFERENCES "place_of_service"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "place_of_service_version" ADD CONSTRAINT "place_of_service_version_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "taxonomy_version" (
    "id" SERIAL NOT NULL,
    "release_id" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "grouping" TEXT NOT NULL,
    "classification" TEXT NOT NULL,
    "specialization" TEXT,
    "definition" TEXT,
    "notes" TEXT,
    "display_name" TEXT,
    "section" TEXT,
    CONSTRAINT "taxonomy_version_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "taxonomy_version_release_id_code_key" ON "taxonomy_version"("release_id", "code");
CREATE INDEX "taxonomy_version_code_idx" ON "taxonomy_version"("code");
ALTER TABLE "taxonomy_version" ADD CONSTRAINT "taxonomy_version_code_fkey" FOREIGN KEY ("code") REFERENCES "taxonomy"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "taxonomy_version" ADD CONSTRAINT "taxonomy_version_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The data version (response cache) moves when they change, as for every reference table.
CREATE TRIGGER "modifier_version_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "modifier_version" FOR EACH STATEMENT EXECUTE FUNCTION refgraph_bump_data_version();
CREATE TRIGGER "place_of_service_version_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "place_of_service_version" FOR EACH STATEMENT EXECUTE FUNCTION refgraph_bump_data_version();
CREATE TRIGGER "taxonomy_version_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "taxonomy_version" FOR EACH STATEMENT EXECUTE FUNCTION refgraph_bump_data_version();

-- What is loaded so far: each entry's current values are the version of the release it was last
-- loaded from (older releases' values were overwritten before this migration and are not known).
INSERT INTO "modifier_version" ("modifier_id", "release_id", "code", "long_description", "short_description", "coverage_code",
    "processing_note", "add_date", "action_effective_date", "termination_date", "action_code")
SELECT "id", "release_id", "code", "long_description", "short_description", "coverage_code", "processing_note", "add_date",
    "action_effective_date", "termination_date", "action_code"
FROM "modifier" WHERE "release_id" IS NOT NULL;
INSERT INTO "place_of_service_version" ("release_id", "code", "name", "description", "assigned")
SELECT "release_id", "code", "name", "description", "assigned" FROM "place_of_service" WHERE "release_id" IS NOT NULL;
INSERT INTO "taxonomy_version" ("release_id", "code", "grouping", "classification", "specialization", "definition", "notes", "display_name", "section")
SELECT "release_id", "code", "grouping", "classification", "specialization", "definition", "notes", "display_name", "section"
FROM "taxonomy" WHERE "release_id" IS NOT NULL;
