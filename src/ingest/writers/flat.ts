// Writer for the tables that hold the current state of a code set (modifier, place of service,
// taxonomy, coverage document): upsert every record, but never over a row that came from a newer
// release. Coverage documents keep only that state, and what changed is found by comparing with
// what the table held; modifiers, places of service and taxonomies also keep one snapshot per
// release (writeVersioned), and what changed is the diff of two snapshots, as for HCPCS codes.
import {
  COUNT_KEY,
  diffReleases,
  emptyCounts,
  type ChangeKind,
  type ChangeSamples,
  type SnapshotSystem,
} from '../../db/release-diff.js';
import { writeChunks } from '../bulk.js';
import type { WriteContext, WriteResult } from './context.js';

export interface FlatColumn {
  column: string;
  /** Type in jsonb_to_recordset. */
  type: 'text' | 'date' | 'int' | 'boolean';
  /** Cast applied when writing (enum columns). */
  cast?: string;
}

export interface FlatTable {
  table: string;
  /** Columns that identify a row (the ON CONFLICT target). */
  key: readonly string[];
  columns: readonly FlatColumn[];
  /** Columns whose change is a description change. */
  descriptions: readonly string[];
  /** A value appearing here where there was none counts as a termination. */
  termination?: string;
  /** Extra INSERT columns with constant SQL values, e.g. the modifier source. */
  insertConstants?: Readonly<Record<string, string>>;
  /** Extra SET assignments on update. */
  updateConstants?: Readonly<Record<string, string>>;
  /** Extra condition for updating an existing row (e.g. never a curated CPT modifier). */
  updateWhere?: string;
}

type Row = Record<string, unknown>;

const SAMPLE_SIZE = 10;

/** Keeps the first SAMPLE_SIZE keys of each kind of change. */
function keepSample(samples: ChangeSamples, kind: ChangeKind, key: string): void {
  const list = samples[kind] ?? [];
  samples[kind] = list;
  if (list.length < SAMPLE_SIZE) list.push(key);
}

function comparable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value ?? null;
}

function keyOf(spec: FlatTable, row: Row): string {
  return spec.key.map((k) => String(comparable(row[k]))).join('|');
}

function classify(spec: FlatTable, before: Row | undefined, after: Row): ChangeKind | 'UNCHANGED' {
  if (!before) return 'ADDED';
  const differs = (column: string) => comparable(before[column]) !== comparable(after[column]);
  if (spec.termination && after[spec.termination] != null && before[spec.termination] == null) return 'TERMINATED';
  if (spec.descriptions.some(differs)) return 'DESCRIPTION_CHANGED';
  return spec.columns.some((c) => differs(c.column)) ? 'ATTRIBUTES_CHANGED' : 'UNCHANGED';
}

function upsertSql(spec: FlatTable): string {
  const t = spec.table;
  const constants = Object.entries(spec.insertConstants ?? {});
  const columns = [...spec.columns.map((c) => c.column), 'release_id', ...constants.map(([c]) => c)];
  const values = [
    ...spec.columns.map((c) => (c.cast ? `r.${c.column}::${c.cast}` : `r.${c.column}`)),
    '$2::int',
    ...constants.map(([, v]) => v),
  ];
  const sets = [
    ...spec.columns.filter((c) => !spec.key.includes(c.column)).map((c) => `${c.column} = EXCLUDED.${c.column}`),
    'release_id = EXCLUDED.release_id',
    ...Object.entries(spec.updateConstants ?? {}).map(([c, v]) => `${c} = ${v}`),
  ];
  return `
    INSERT INTO ${t} (${columns.join(', ')})
    SELECT ${values.join(', ')}
    FROM jsonb_to_recordset($1::jsonb) AS r(${spec.columns.map((c) => `${c.column} ${c.type}`).join(', ')})
    ON CONFLICT (${spec.key.join(', ')}) DO UPDATE SET ${sets.join(', ')}
    WHERE (${t}.release_id IS NULL OR (SELECT effective_date FROM release WHERE id = ${t}.release_id) <= $3::date)
      ${spec.updateWhere ? `AND ${spec.updateWhere}` : ''}`;
}

/**
 * Upsert `rows` (objects keyed by column name) into a current-state table. Not the newest
 * release of its system (a backfill): the table is left alone, since it holds the newest values.
 */
export async function writeFlat(ctx: WriteContext, spec: FlatTable, rows: readonly Row[]): Promise<WriteResult> {
  const counts = emptyCounts();
  const samples: ChangeSamples = {};
  if (!ctx.isNewest) {
    ctx.progress(rows.length);
    return { counts, samples, extra: { currentStateKept: true } };
  }

  const selected = spec.columns.map((c) => (c.cast ? `t.${c.column}::text AS ${c.column}` : `t.${c.column}`));
  const existing = await ctx.tx.query<Row & { same_system: boolean }>(
    `SELECT ${selected.join(', ')}, (r.system_id = $1 AND r.origin = 'OFFICIAL') AS same_system
     FROM ${spec.table} t LEFT JOIN release r ON r.id = t.release_id`,
    ctx.system.id,
  );
  const before = new Map(existing.map((row) => [keyOf(spec, row), row]));
  const seen = new Set<string>();
  for (const row of rows) {
    const key = keyOf(spec, row);
    seen.add(key);
    const kind = classify(spec, before.get(key), row);
    counts[COUNT_KEY[kind]]++;
    if (kind !== 'UNCHANGED') {
      keepSample(samples, kind, key);
    }
  }
  for (const [key, row] of before) {
    if (row.same_system && !seen.has(key)) {
      counts.removed++;
      keepSample(samples, 'REMOVED', key);
    }
  }
  await upsertCurrent(ctx, spec, rows);
  return { counts, samples };
}

/** The upsert alone: rows that came from a newer release are left as they are. */
function upsertCurrent(
  ctx: WriteContext,
  spec: FlatTable,
  rows: readonly Row[],
  progress?: (rows: number) => void,
): Promise<number> {
  return writeChunks(
    ctx.tx,
    upsertSql(spec),
    rows,
    [ctx.release.id, ctx.release.effectiveDate],
    progress ?? ctx.progress,
  );
}

export interface VersionTable {
  system: SnapshotSystem;
  /** INSERT ... SELECT from jsonb_to_recordset($1) with the release id as $2 (see writeChunks). */
  insert: string;
}

/**
 * A release of a code set kept release by release: the current-state table upserted (an older
 * release fills in only entries it alone carries), one version row per record, and what changed
 * against the previous release from the two snapshots.
 */
export async function writeVersioned(
  ctx: WriteContext,
  spec: FlatTable,
  versions: VersionTable,
  rows: readonly Row[],
): Promise<WriteResult> {
  await upsertCurrent(ctx, spec, rows, () => {});
  await writeChunks(ctx.tx, versions.insert, rows, [ctx.release.id], ctx.progress);
  const { counts, samples } = await diffReleases(ctx.tx, versions.system, ctx.previous?.id ?? null, ctx.release.id);
  return {
    counts,
    samples,
    ...(ctx.isNewest
      ? {}
      : { extra: { currentStateKept: 'a newer release is loaded: the current values stay its own' } }),
  };
}
