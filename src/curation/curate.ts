// Every steward's write runs through `curate`: one transaction that locks the row, changes it and
// appends a revision (who = API key name, when, why, and the row as it stands after the change).
// Coverage notes keep their revisions in coverage_note_revision; the curated links (relations,
// taxonomies, diagnoses, sites of service) in curation_revision. Rows are retired, never deleted.
import type { Prisma, PrismaClient } from '../generated/prisma/client.js';
import type { RevisionAction } from '../generated/prisma/enums.js';
import { prisma } from '../db/client.js';
import { advanceDataVersion, VERSION_WRITTEN_SQL } from '../db/data-version.js';
import { badField, badUserInput } from '../errors.js';

export type Tx = Prisma.TransactionClient;

/** Curated tables: Prisma model name → SQL table (for the row lock). */
const TABLES = {
  CoverageNote: 'coverage_note',
  CodeRelation: 'code_relation',
  CodeTaxonomy: 'code_taxonomy',
  CodeDiagnosis: 'code_diagnosis',
  CodeSiteOfService: 'code_site_of_service',
} as const;
export type CuratedEntity = keyof typeof TABLES;

export interface CuratedRow {
  id: number;
  createdAt: Date;
  retiredAt: Date | null;
}

/** Who made the rows that existed before stewardship (starter data, loads). */
const BASELINE_AUTHOR = 'refgraph (recorded before its first steward change)';

export interface CurateOptions<Row extends CuratedRow> {
  entity: CuratedEntity;
  action: RevisionAction;
  /** The row to revise or retire; absent for CREATE. */
  id?: number;
  changedBy: string;
  reason: string;
  /** Reads the row (after it is locked). */
  load?: (tx: Tx, id: number) => Promise<Row | null>;
  /** Writes the row and returns it as it now stands. */
  write: (tx: Tx, current: Row | null) => Promise<Row>;
  /** The fields a revision records. */
  snapshot: (row: Row) => Record<string, unknown>;
}

async function revisionCount(tx: Tx, entity: CuratedEntity, id: number): Promise<number> {
  return entity === 'CoverageNote'
    ? tx.coverageNoteRevision.count({ where: { noteId: id } })
    : tx.curationRevision.count({ where: { entity, entityId: id } });
}

async function appendRevision(
  tx: Tx,
  entity: CuratedEntity,
  id: number,
  revision: number,
  action: RevisionAction,
  changedBy: string,
  reason: string,
  snapshot: Record<string, unknown>,
  changedAt?: Date,
): Promise<void> {
  const common = {
    revision,
    action,
    changedBy,
    reason,
    snapshot: snapshot as Prisma.InputJsonObject,
    ...(changedAt ? { changedAt } : {}),
  };
  if (entity === 'CoverageNote') await tx.coverageNoteRevision.create({ data: { noteId: id, ...common } });
  else await tx.curationRevision.create({ data: { entity, entityId: id, ...common } });
}

/**
 * Runs one curated write in a transaction and returns the row's id. Once it commits, this process
 * holds the data version it wrote, so the steward's next read is not answered from a cache.
 */
export async function curate<Row extends CuratedRow>(options: CurateOptions<Row>): Promise<number> {
  const client: PrismaClient = prisma();
  const { id, version } = await client.$transaction(async (tx) => {
    let current: Row | null = null;
    let revisions = 0;
    if (options.action !== 'CREATE') {
      const id = options.id!;
      // Lock the row so concurrent stewards' revisions get consecutive numbers.
      await tx.$queryRawUnsafe(`SELECT 1 FROM "${TABLES[options.entity]}" WHERE id = $1 FOR UPDATE`, id);
      current = (await options.load?.(tx, id)) ?? null;
      if (!current) throw badUserInput('id', `does not name an existing ${options.entity}`);
      if (current.retiredAt)
        throw badUserInput('id', `names a retired ${options.entity}; retired rows do not change (create a new one)`);
      revisions = await revisionCount(tx, options.entity, id);
      if (revisions === 0) {
        // A row from before stewardship: record how it stood, so history and asOf reads start there.
        revisions = 1;
        await appendRevision(
          tx,
          options.entity,
          id,
          1,
          'CREATE',
          BASELINE_AUTHOR,
          'state before the first recorded change',
          options.snapshot(current),
          current.createdAt,
        );
      }
    }
    const row = await options.write(tx, current);
    await appendRevision(
      tx,
      options.entity,
      row.id,
      revisions + 1,
      options.action,
      options.changedBy,
      options.reason,
      options.snapshot(row),
    );
    const [written] = await tx.$queryRawUnsafe<{ version: string }[]>(VERSION_WRITTEN_SQL);
    return { id: row.id, version: written!.version };
  });
  advanceDataVersion(version);
  return id;
}

/** The id of the Code row for a HCPCS code, or a BAD_USER_INPUT naming `field`. */
export async function codeIdFor(tx: Tx, code: string, field = 'input.code'): Promise<number> {
  const row = await tx.code.findUnique({ where: { code }, select: { id: true } });
  if (!row) throw badField(field, `names no known HCPCS code (got "${code}")`);
  return row.id;
}

/** A date as YYYY-MM-DD for snapshots (null stays null). */
export function day(value: Date | null): string | null {
  return value ? value.toISOString().slice(0, 10) : null;
}
