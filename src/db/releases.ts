// Which release of a code system is in force on a date. Official releases win over refgraph's
// starter data as soon as one is loaded for the system.
import { Prisma, type PrismaClient } from '../generated/prisma/client.js';
import type { CodeSystemKind } from '../generated/prisma/enums.js';
import { watchedDataVersion } from './data-version.js';

export interface ReleaseRef {
  id: number;
  name: string;
  effectiveDate: Date;
}

/**
 * A release looked up once per data version: while a watcher holds the version, the answer cannot
 * change until the version does (without one, every call asks the database).
 */
async function remembered(key: string, find: () => Promise<ReleaseRef | null>): Promise<ReleaseRef | null> {
  const version = watchedDataVersion();
  if (version === undefined) return find();
  if (version !== memoVersion) {
    memo.clear();
    memoVersion = version;
  }
  const known = memo.get(key);
  if (known !== undefined) return known;
  const release = await find();
  if (memoVersion === version && memo.size < 1_000) memo.set(key, release);
  return release;
}

const memo = new Map<string, ReleaseRef | null>();
let memoVersion: string | undefined;

/** The release in force on `asOf` (the latest release when asOf is omitted), or null. */
export function releaseInForce(db: PrismaClient, kind: CodeSystemKind, asOf?: Date): Promise<ReleaseRef | null> {
  return remembered(
    `in force ${kind} ${asOf?.toISOString() ?? ''}`,
    async () => (await db.$queryRaw<ReleaseRef[]>(releaseInForceSql(kind, asOf)))[0] ?? null,
  );
}

/** The release of a code system with this name (e.g. 2025-10), or null. */
export function releaseNamed(db: PrismaClient, kind: CodeSystemKind, name: string): Promise<ReleaseRef | null> {
  return remembered(`named ${kind} ${name}`, () =>
    db.release.findFirst({ where: { name, system: { kind } }, select: { id: true, name: true, effectiveDate: true } }),
  );
}

/** The same question as SQL (id, name, effectiveDate; zero or one row), to embed in a bigger statement. */
export function releaseInForceSql(kind: CodeSystemKind, asOf?: Date): Prisma.Sql {
  return Prisma.sql`
    SELECT r.id, r.name, r.effective_date AS "effectiveDate"
    FROM release r JOIN code_system s ON s.id = r.system_id
    WHERE s.kind = ${kind}::"CodeSystemKind"
      AND (${asOf ?? null}::date IS NULL OR r.effective_date <= ${asOf ?? null}::date)
      AND (r.origin = 'OFFICIAL' OR NOT EXISTS (
        SELECT 1 FROM release o WHERE o.system_id = r.system_id AND o.origin = 'OFFICIAL'))
    ORDER BY r.effective_date DESC, r.id DESC
    LIMIT 1`;
}
