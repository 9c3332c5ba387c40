-- Stewardship (issue #6): who changed a curated link (code relation, taxonomy, diagnosis, site of
-- service), when and why, with the row as it stood after the change. Coverage notes keep their
-- own table (coverage_note_revision); both are append-only. Every write also changes the curated
-- row itself, whose trigger bumps the data version the response cache keys on.

CREATE TABLE "curation_revision" (
    "id" SERIAL NOT NULL,
    "entity" TEXT NOT NULL,
    "entity_id" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,
    "action" "RevisionAction" NOT NULL,
    "changed_by" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    CONSTRAINT "curation_revision_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "curation_revision_entity_entity_id_revision_key" ON "curation_revision"("entity", "entity_id", "revision");
