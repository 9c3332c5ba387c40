-- CreateEnum
CREATE TYPE "CodeSystemKind" AS ENUM ('HCPCS', 'MODIFIER', 'PLACE_OF_SERVICE', 'TAXONOMY', 'OPPS', 'COVERAGE_DOCUMENT');
CREATE TYPE "ReleaseOrigin" AS ENUM ('OFFICIAL', 'STARTER');
CREATE TYPE "ModifierSource" AS ENUM ('HCPCS_LEVEL_II', 'CPT');
CREATE TYPE "PayerKind" AS ENUM ('COMMERCIAL', 'MEDICARE', 'MEDICAID');
CREATE TYPE "CoverageStatus" AS ENUM ('COVERED', 'NOT_COVERED', 'PRIOR_AUTH_REQUIRED', 'CONDITIONAL');
CREATE TYPE "CoverageScope" AS ENUM ('NATIONAL', 'REGIONAL');
CREATE TYPE "CodeRelationKind" AS ENUM ('CROSS_REFERENCE', 'REPLACED_BY', 'BILLED_WITH', 'ADD_ON', 'ALTERNATIVE', 'SEE_ALSO');
CREATE TYPE "RevisionAction" AS ENUM ('CREATE', 'REVISE', 'RETIRE');
CREATE TYPE "CoverageDocumentType" AS ENUM ('LCD', 'ARTICLE');

-- CreateTable
CREATE TABLE "code_system" (
    "id" SERIAL NOT NULL,
    "kind" "CodeSystemKind" NOT NULL,
    "name" TEXT NOT NULL,
    "publisher" TEXT NOT NULL,
    CONSTRAINT "code_system_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "release" (
    "id" SERIAL NOT NULL,
    "system_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "effective_date" DATE NOT NULL,
    "origin" "ReleaseOrigin" NOT NULL DEFAULT 'OFFICIAL',
    "source_file" TEXT,
    "sha256" TEXT,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "record_count" INTEGER NOT NULL DEFAULT 0,
    "summary" JSONB,
    CONSTRAINT "release_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "code" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "service_type" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "code_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "code_version" (
    "id" SERIAL NOT NULL,
    "code_id" INTEGER NOT NULL,
    "release_id" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "long_description" TEXT NOT NULL,
    "short_description" TEXT NOT NULL,
    "pricing_indicators" TEXT[],
    "multiple_pricing_indicator" TEXT,
    "cim_references" TEXT[],
    "mcm_references" TEXT[],
    "statute" TEXT,
    "lab_certifications" TEXT[],
    "cross_references" TEXT[],
    "coverage_code" TEXT,
    "asc_group" TEXT,
    "asc_effective_date" DATE,
    "processing_note" TEXT,
    "betos" TEXT,
    "types_of_service" TEXT[],
    "anesthesia_base_units" INTEGER,
    "add_date" DATE,
    "action_effective_date" DATE,
    "termination_date" DATE,
    "action_code" TEXT,
    "content_hash" TEXT NOT NULL,
    CONSTRAINT "code_version_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "modifier" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "source" "ModifierSource" NOT NULL,
    "long_description" TEXT NOT NULL,
    "short_description" TEXT,
    "coverage_code" TEXT,
    "processing_note" TEXT,
    "add_date" DATE,
    "action_effective_date" DATE,
    "termination_date" DATE,
    "action_code" TEXT,
    "release_id" INTEGER,
    "source_note" TEXT,
    CONSTRAINT "modifier_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "code_modifier" (
    "code_id" INTEGER NOT NULL,
    "modifier_id" INTEGER NOT NULL,
    "when_to_use" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "code_modifier_pkey" PRIMARY KEY ("code_id","modifier_id")
);

CREATE TABLE "place_of_service" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "assigned" BOOLEAN NOT NULL DEFAULT true,
    "release_id" INTEGER,
    CONSTRAINT "place_of_service_pkey" PRIMARY KEY ("code")
);

CREATE TABLE "code_site_of_service" (
    "id" SERIAL NOT NULL,
    "code_id" INTEGER NOT NULL,
    "setting" TEXT NOT NULL,
    "place_of_service_code" TEXT,
    "note" TEXT,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),
    CONSTRAINT "code_site_of_service_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "payer" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "PayerKind" NOT NULL,
    "website" TEXT,
    CONSTRAINT "payer_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "coverage_note" (
    "id" SERIAL NOT NULL,
    "code_id" INTEGER NOT NULL,
    "payer_id" INTEGER NOT NULL,
    "status" "CoverageStatus" NOT NULL,
    "scope" "CoverageScope" NOT NULL DEFAULT 'NATIONAL',
    "region" TEXT,
    "policy_id" TEXT,
    "policy_title" TEXT,
    "summary" TEXT NOT NULL,
    "effective_date" DATE,
    "source_url" TEXT NOT NULL,
    "last_reviewed" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),
    CONSTRAINT "coverage_note_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "coverage_note_revision" (
    "id" SERIAL NOT NULL,
    "note_id" INTEGER NOT NULL,
    "revision" INTEGER NOT NULL,
    "action" "RevisionAction" NOT NULL,
    "changed_by" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    CONSTRAINT "coverage_note_revision_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "code_relation" (
    "id" SERIAL NOT NULL,
    "code_id" INTEGER NOT NULL,
    "kind" "CodeRelationKind" NOT NULL,
    "related_system" TEXT NOT NULL,
    "related_code" TEXT NOT NULL,
    "note" TEXT,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),
    CONSTRAINT "code_relation_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "taxonomy" (
    "code" TEXT NOT NULL,
    "grouping" TEXT NOT NULL,
    "classification" TEXT NOT NULL,
    "specialization" TEXT,
    "definition" TEXT,
    "notes" TEXT,
    "display_name" TEXT,
    "section" TEXT,
    "release_id" INTEGER,
    CONSTRAINT "taxonomy_pkey" PRIMARY KEY ("code")
);

CREATE TABLE "code_taxonomy" (
    "id" SERIAL NOT NULL,
    "code_id" INTEGER NOT NULL,
    "taxonomy_code" TEXT NOT NULL,
    "note" TEXT,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),
    CONSTRAINT "code_taxonomy_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "diagnosis" (
    "code" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    CONSTRAINT "diagnosis_pkey" PRIMARY KEY ("code")
);

CREATE TABLE "code_diagnosis" (
    "id" SERIAL NOT NULL,
    "code_id" INTEGER NOT NULL,
    "diagnosis_code" TEXT NOT NULL,
    "note" TEXT,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retired_at" TIMESTAMPTZ(3),
    CONSTRAINT "code_diagnosis_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "benchmark" (
    "id" SERIAL NOT NULL,
    "code_id" INTEGER NOT NULL,
    "release_id" INTEGER NOT NULL,
    "status_indicator" TEXT,
    "apc" TEXT,
    "relative_weight" DECIMAL(12,4),
    "payment_rate" DECIMAL(12,2),
    "national_copayment" DECIMAL(12,2),
    "minimum_copayment" DECIMAL(12,2),
    CONSTRAINT "benchmark_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "clinical_context" (
    "id" SERIAL NOT NULL,
    "code_id" INTEGER NOT NULL,
    "scenario" TEXT NOT NULL,
    "workflow" JSONB NOT NULL,
    "component_billing" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "clinical_context_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "coverage_document" (
    "id" SERIAL NOT NULL,
    "display_id" TEXT NOT NULL,
    "document_id" INTEGER NOT NULL,
    "type" "CoverageDocumentType" NOT NULL,
    "version" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "contractor_name" TEXT NOT NULL,
    "contractor_type" TEXT,
    "effective_date" DATE,
    "retirement_date" DATE,
    "updated_on" DATE,
    "note" TEXT,
    "url" TEXT NOT NULL,
    "release_id" INTEGER NOT NULL,
    CONSTRAINT "coverage_document_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "api_key" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "code_system_kind_key" ON "code_system"("kind");
CREATE UNIQUE INDEX "release_system_id_name_key" ON "release"("system_id", "name");
CREATE INDEX "release_system_id_effective_date_idx" ON "release"("system_id", "effective_date");
CREATE UNIQUE INDEX "code_code_key" ON "code"("code");
CREATE UNIQUE INDEX "code_version_code_id_release_id_key" ON "code_version"("code_id", "release_id");
CREATE UNIQUE INDEX "code_version_release_id_code_key" ON "code_version"("release_id", "code");
CREATE INDEX "code_version_release_id_betos_idx" ON "code_version"("release_id", "betos");
CREATE INDEX "code_version_release_id_coverage_code_idx" ON "code_version"("release_id", "coverage_code");
CREATE UNIQUE INDEX "modifier_code_key" ON "modifier"("code");
CREATE INDEX "code_modifier_modifier_id_idx" ON "code_modifier"("modifier_id");
CREATE INDEX "code_site_of_service_code_id_idx" ON "code_site_of_service"("code_id");
CREATE INDEX "code_site_of_service_place_of_service_code_idx" ON "code_site_of_service"("place_of_service_code");
CREATE UNIQUE INDEX "payer_slug_key" ON "payer"("slug");
CREATE INDEX "coverage_note_code_id_idx" ON "coverage_note"("code_id");
CREATE INDEX "coverage_note_payer_id_status_idx" ON "coverage_note"("payer_id", "status");
CREATE UNIQUE INDEX "coverage_note_revision_note_id_revision_key" ON "coverage_note_revision"("note_id", "revision");
CREATE INDEX "code_relation_code_id_idx" ON "code_relation"("code_id");
CREATE INDEX "code_taxonomy_code_id_idx" ON "code_taxonomy"("code_id");
CREATE INDEX "code_taxonomy_taxonomy_code_idx" ON "code_taxonomy"("taxonomy_code");
CREATE INDEX "code_diagnosis_code_id_idx" ON "code_diagnosis"("code_id");
CREATE INDEX "code_diagnosis_diagnosis_code_idx" ON "code_diagnosis"("diagnosis_code");
CREATE UNIQUE INDEX "benchmark_code_id_release_id_key" ON "benchmark"("code_id", "release_id");
CREATE INDEX "benchmark_release_id_idx" ON "benchmark"("release_id");
CREATE UNIQUE INDEX "clinical_context_code_id_key" ON "clinical_context"("code_id");
CREATE UNIQUE INDEX "coverage_document_type_document_id_version_contractor_name_key" ON "coverage_document"("type", "document_id", "version", "contractor_name");
CREATE INDEX "coverage_document_display_id_idx" ON "coverage_document"("display_id");
CREATE UNIQUE INDEX "api_key_prefix_key" ON "api_key"("prefix");
CREATE UNIQUE INDEX "api_key_hash_key" ON "api_key"("hash");

-- AddForeignKey
ALTER TABLE "release" ADD CONSTRAINT "release_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "code_system"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "code_version" ADD CONSTRAINT "code_version_code_id_fkey" FOREIGN KEY ("code_id") REFERENCES "code"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "code_version" ADD CONSTRAINT "code_version_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "modifier" ADD CONSTRAINT "modifier_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "code_modifier" ADD CONSTRAINT "code_modifier_code_id_fkey" FOREIGN KEY ("code_id") REFERENCES "code"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "code_modifier" ADD CONSTRAINT "code_modifier_modifier_id_fkey" FOREIGN KEY ("modifier_id") REFERENCES "modifier"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "place_of_service" ADD CONSTRAINT "place_of_service_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "code_site_of_service" ADD CONSTRAINT "code_site_of_service_code_id_fkey" FOREIGN KEY ("code_id") REFERENCES "code"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "code_site_of_service" ADD CONSTRAINT "code_site_of_service_place_of_service_code_fkey" FOREIGN KEY ("place_of_service_code") REFERENCES "place_of_service"("code") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "coverage_note" ADD CONSTRAINT "coverage_note_code_id_fkey" FOREIGN KEY ("code_id") REFERENCES "code"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "coverage_note" ADD CONSTRAINT "coverage_note_payer_id_fkey" FOREIGN KEY ("payer_id") REFERENCES "payer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "coverage_note_revision" ADD CONSTRAINT "coverage_note_revision_note_id_fkey" FOREIGN KEY ("note_id") REFERENCES "coverage_note"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "code_relation" ADD CONSTRAINT "code_relation_code_id_fkey" FOREIGN KEY ("code_id") REFERENCES "code"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "taxonomy" ADD CONSTRAINT "taxonomy_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "code_taxonomy" ADD CONSTRAINT "code_taxonomy_code_id_fkey" FOREIGN KEY ("code_id") REFERENCES "code"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "code_taxonomy" ADD CONSTRAINT "code_taxonomy_taxonomy_code_fkey" FOREIGN KEY ("taxonomy_code") REFERENCES "taxonomy"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "code_diagnosis" ADD CONSTRAINT "code_diagnosis_code_id_fkey" FOREIGN KEY ("code_id") REFERENCES "code"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "code_diagnosis" ADD CONSTRAINT "code_diagnosis_diagnosis_code_fkey" FOREIGN KEY ("diagnosis_code") REFERENCES "diagnosis"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "benchmark" ADD CONSTRAINT "benchmark_code_id_fkey" FOREIGN KEY ("code_id") REFERENCES "code"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "benchmark" ADD CONSTRAINT "benchmark_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "clinical_context" ADD CONSTRAINT "clinical_context_code_id_fkey" FOREIGN KEY ("code_id") REFERENCES "code"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "coverage_document" ADD CONSTRAINT "coverage_document_release_id_fkey" FOREIGN KEY ("release_id") REFERENCES "release"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Reference rows: the code systems refgraph knows (one per CodeSystemKind value).
INSERT INTO "code_system" ("kind", "name", "publisher") VALUES
    ('HCPCS', 'HCPCS Level II', 'CMS'),
    ('MODIFIER', 'HCPCS Level II modifiers', 'CMS'),
    ('PLACE_OF_SERVICE', 'Place of Service code set', 'CMS'),
    ('TAXONOMY', 'Health Care Provider Taxonomy', 'NUCC'),
    ('OPPS', 'OPPS Addendum B', 'CMS'),
    ('COVERAGE_DOCUMENT', 'Medicare Coverage Database (LCDs and articles)', 'CMS');
