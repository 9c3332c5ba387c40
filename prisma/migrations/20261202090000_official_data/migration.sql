-- Official data in the box (issue 11).
--
-- 1. A release downloaded with `refgraph ingest <kind> https://...` records where it came from.
ALTER TABLE "release" ADD COLUMN "source_url" TEXT;

-- 2. The starter data is loaded once. Its releases disappear once official ones arrive (below, and
--    from now on in the loader), so whether it was loaded is recorded on its own.
CREATE TABLE "starter_data_load" (
    "id" SERIAL NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "starter_data_load_pkey" PRIMARY KEY ("id")
);
INSERT INTO "starter_data_load" ("loaded_at")
SELECT min("loaded_at") FROM "release" WHERE "origin" = 'STARTER' HAVING count(*) > 0;

-- 3. Modifiers from a HCPCS file now belong to a MODIFIER release of their own (same name, date,
--    file and sha256 as the HCPCS release), so every code system lists its own releases. Give the
--    modifiers loaded so far theirs.
INSERT INTO "release" ("system_id", "name", "effective_date", "origin", "source_file", "sha256", "loaded_at", "record_count")
SELECT m_system.id, h."name", h."effective_date", 'OFFICIAL', h."source_file", h."sha256", h."loaded_at",
       (SELECT count(*) FROM "modifier" m WHERE m."release_id" = h."id")
FROM "release" h
JOIN "code_system" h_system ON h_system.id = h."system_id" AND h_system."kind" = 'HCPCS'
CROSS JOIN "code_system" m_system
WHERE m_system."kind" = 'MODIFIER' AND h."origin" = 'OFFICIAL'
  AND EXISTS (SELECT 1 FROM "modifier" m WHERE m."release_id" = h."id")
  AND NOT EXISTS (SELECT 1 FROM "release" o WHERE o."system_id" = m_system.id AND o."name" = h."name");
UPDATE "modifier" m SET "release_id" = companion."id"
FROM "release" h
JOIN "code_system" h_system ON h_system.id = h."system_id" AND h_system."kind" = 'HCPCS'
JOIN "code_system" m_system ON m_system."kind" = 'MODIFIER'
JOIN "release" companion ON companion."system_id" = m_system.id AND companion."name" = h."name"
WHERE m."release_id" = h."id";

-- 4. Starter releases of systems that have official ones are superseded: remove them (their code
--    versions with them; current-state rows that pointed at them lose the link by ON DELETE SET NULL).
DELETE FROM "code_version" v USING "release" r
WHERE v."release_id" = r."id" AND r."origin" = 'STARTER'
  AND EXISTS (SELECT 1 FROM "release" o WHERE o."system_id" = r."system_id" AND o."origin" = 'OFFICIAL');
DELETE FROM "release" r
WHERE r."origin" = 'STARTER'
  AND EXISTS (SELECT 1 FROM "release" o WHERE o."system_id" = r."system_id" AND o."origin" = 'OFFICIAL');
