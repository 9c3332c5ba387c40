// Loads one official file as a release of its code system, in one transaction (on a pg client of
// its own, see sql.ts): advisory lock,
// sha256 check ("already loaded, nothing changed"), older-than-latest check (unless backfill),
// the Release row, the kind's writer (bulk statements), and the diff against the previous
// official release. Any error rolls everything back.
import { performance } from 'node:perf_hooks';
import type { CodeSystemKind } from '../generated/prisma/enums.js';
import { day } from './bulk.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { IngestError, LoadAborted } from './errors.js';
import { sha256Of } from './content-hash.js';
import type { LoadedReleases } from './records.js';
import { baseName } from './parsers/common.js';
import { detectFormat, parseFile } from './parsers/detect.js';
import type { IngestKind, ParsedFile } from './records.js';
import { readSourceFile } from './source-file.js';
import { createPgClient, pgSql, prismaSql, type Sql } from '../db/sql.js';
import { countsOf, type LoadSummary } from './summary.js';
import type { ReleaseRow, WriteContext, WriteResult } from './writers/context.js';
import { writeCoverageDocuments } from './writers/coverage-documents.js';
import { writeHcpcs } from './writers/hcpcs.js';
import { writeModifiers } from './writers/modifiers.js';
import { writeOpps } from './writers/opps.js';
import { writePlacesOfService } from './writers/places-of-service.js';
import { writeTaxonomies } from './writers/taxonomies.js';

export const INGEST_KINDS = [
  'hcpcs',
  'modifiers',
  'pos',
  'nucc',
  'opps',
  'mcd',
] as const satisfies readonly IngestKind[];

export const SYSTEM_OF: Readonly<Record<IngestKind, CodeSystemKind>> = {
  hcpcs: 'HCPCS',
  modifiers: 'MODIFIER',
  pos: 'PLACE_OF_SERVICE',
  nucc: 'TAXONOMY',
  opps: 'OPPS',
  mcd: 'COVERAGE_DOCUMENT',
};

/** Shared by every refgraph loader process: two loads never interleave. */
const INGEST_LOCK_KEY = 727_274_003;

export interface LoadProgress {
  phase: 'parse' | 'write';
  done: number;
  total: number;
}

export interface LoadOptions {
  /** The kind the caller expects; a file of another kind is an error. */
  kind?: IngestKind;
  /** Release name, overriding what the file says. */
  release?: string;
  /** Effective date, overriding what the file says. */
  effective?: Date;
  /** Accept a release older than the newest one loaded for the system. */
  backfill?: boolean;
  onProgress?: (progress: LoadProgress) => void;
  /** The file already parsed by the caller (ingest-dir parses to order files), so it is not parsed twice. */
  parsed?: ParsedFile;
  /** Where the file was downloaded from (recorded on the release). */
  sourceUrl?: string;
  /** The archive the file was picked from (reported in the summary). */
  archive?: string;
  /** Stops the load before it commits (the transaction is rolled back): serve's stop signal during the seed. */
  signal?: AbortSignal;
}

/**
 * Where to load: a database URL (the load then runs on a pg client of its own, the lean way the
 * CLI uses), or a Prisma client (tests and scripts that have one already).
 */
export type LoadTarget = string | PrismaClient;

/**
 * Read and load a file from disk: as published, gzip-compressed (`.gz`, the file inside is
 * loaded) or a zip as CMS publishes it (the data file inside is picked, see source-file.ts).
 */
export async function loadFile(target: LoadTarget, path: string, options: LoadOptions = {}): Promise<LoadSummary> {
  const source = await readSourceFile(path, options.kind);
  return loadBytes(target, source.bytes, source.fileName, { ...options, archive: source.archive ?? options.archive });
}

interface KnownRelease {
  name: string;
  effective: string;
  source_file: string | null;
}

async function releaseWithSha(db: Sql, system: CodeSystemKind, sha256: string): Promise<KnownRelease | undefined> {
  const rows = await db.query<KnownRelease>(
    `SELECT r.name, r.effective_date::text AS effective, r.source_file FROM release r JOIN code_system s ON s.id = r.system_id
     WHERE s.kind = $1::"CodeSystemKind" AND r.sha256 = $2 ORDER BY r.id LIMIT 1`,
    system,
    sha256,
  );
  return rows[0];
}

/** What every summary of a load starts with: which file, of which kind. */
type SummaryBase = Pick<LoadSummary, 'kind' | 'file' | 'sha256' | 'backfill'> & { system: CodeSystemKind };

/** One load under way: the file, what the caller asked for, and how it stops and reports. */
interface Load {
  fileName: string;
  options: LoadOptions;
  base: SummaryBase;
  /** performance.now() when the load began. */
  started: number;
  /** Throws LoadAborted once the caller's signal has fired. */
  stopped: () => void;
}

/** A parsed file ready to write: its release name and date, and the write progress counter. */
interface ParsedLoad {
  parsed: ParsedFile;
  name: string;
  /** YYYY-MM-DD. */
  effective: string;
  progress: (rows: number) => void;
}

/** Load a file's bytes; `fileName` is how errors and the Release row name it. */
export async function loadBytes(
  target: LoadTarget,
  bytes: Buffer,
  fileName: string,
  options: LoadOptions = {},
): Promise<LoadSummary> {
  const started = performance.now();
  const sha256 = sha256Of(bytes);
  const kind = kindOfFile(bytes, fileName, options.kind);
  const base: SummaryBase = {
    kind,
    system: SYSTEM_OF[kind],
    file: baseName(fileName),
    sha256,
    backfill: options.backfill ?? false,
  };
  const stopped = () => {
    if (options.signal?.aborted) throw new LoadAborted(baseName(fileName));
  };
  const load: Load = { fileName, options, base, started, stopped };
  stopped();
  return withConnection(target, async (db, transaction) => {
    // The cheap check first, so re-loading a file costs a hash and one query.
    const known = await releaseWithSha(db, base.system, sha256);
    if (known) return unchangedSummary(load, known);

    const ready = await parseForLoad(load, bytes);
    try {
      return await transaction((tx) => writeRelease(load, ready, stoppable(tx, stopped)));
    } catch (error) {
      if (error instanceof IngestError || error instanceof LoadAborted) throw error;
      throw new IngestError(
        { file: fileName },
        `the database rejected the load, nothing was written: ${(error as Error).message}`,
      );
    }
  });
}

/** The file's kind from its content; an error when the caller expected another kind. */
function kindOfFile(bytes: Buffer, fileName: string, expected: IngestKind | undefined): IngestKind {
  const detected = detectFormat(bytes, fileName);
  if (expected !== undefined && detected.kind !== expected) {
    throw new IngestError(
      { file: fileName },
      `expected a ${expected} file, but its content is a ${detected.kind} file (format ${detected.format})`,
    );
  }
  return detected.kind;
}

/** The summary of a file loaded before (same sha256): nothing written. */
function unchangedSummary(load: Load, known: KnownRelease): LoadSummary {
  return {
    ...load.base,
    status: 'unchanged',
    release: known.name,
    effectiveDate: known.effective,
    records: 0,
    previousRelease: null,
    added: 0,
    changed: 0,
    terminated: 0,
    unchanged: 0,
    removed: 0,
    descriptionChanged: 0,
    attributesChanged: 0,
    samples: {},
    extra: { loadedFrom: known.source_file },
    seconds: elapsed(load.started),
  };
}

/** Parse the file (unless the caller did), name its release, and report the parse and write phases. */
async function parseForLoad(load: Load, bytes: Buffer): Promise<ParsedLoad> {
  const { options, fileName } = load;
  options.onProgress?.({ phase: 'parse', done: 0, total: 1 });
  const parsed = options.parsed ?? (await parseFile(bytes, fileName, options.kind));
  load.stopped();
  const { name, effectiveDate } = releaseOf(parsed, options, fileName);
  const effective = day(effectiveDate)!;
  const total = rowsToWrite(parsed);
  let done = 0;
  options.onProgress?.({ phase: 'write', done, total });
  const progress = (rows: number) => {
    done += rows;
    options.onProgress?.({ phase: 'write', done, total });
  };
  return { parsed, name, effective, progress };
}

/** In the load's transaction: take the ingest lock, open the release, write its rows and store its summary. */
async function writeRelease(load: Load, ready: ParsedLoad, tx: Sql): Promise<LoadSummary> {
  const { base, options } = load;
  // A stop request is honoured between statements (tx is stoppable): the next one throws and the transaction rolls
  // back.
  await tx.execute('SET LOCAL statement_timeout = 0');
  await tx.query('SELECT pg_advisory_xact_lock($1)::text', INGEST_LOCK_KEY);
  // Another load of the same file may have committed while we waited for the lock.
  const loadedMeanwhile = await releaseWithSha(tx, base.system, base.sha256);
  if (loadedMeanwhile) return unchangedSummary(load, loadedMeanwhile);

  const file: ReleaseFile = {
    name: ready.name,
    effective: ready.effective,
    sourceFile: baseName(load.fileName),
    sha256: base.sha256,
    sourceUrl: options.sourceUrl ?? null,
  };
  const opened = await openNewRelease(tx, load, file, ready.parsed.recordCount);
  const written = new Set<number>([opened.context.system.id]);
  const ctx = writeContext(tx, opened.context, file, ready.progress, written);
  const result = await write(ctx, ready.parsed);
  await retireStarterReleases(tx, [...written]);
  const summary = loadedSummary(load, ready, ctx, result);
  const { seconds: _s, samples: _x, status: _t, ...stored } = summary;
  await tx.execute('UPDATE release SET summary = $2::jsonb WHERE id = $1', ctx.release.id, JSON.stringify(stored));
  load.stopped();
  return { ...summary, seconds: elapsed(load.started) };
}

/**
 * openRelease for the load's own system, refusing a release name taken by another file and, unless backfill, an older
 * release.
 */
async function openNewRelease(
  tx: Sql,
  load: Load,
  file: ReleaseFile,
  recordCount: number,
): Promise<Extract<OpenedRelease, { context: object }>> {
  const system = load.base.system;
  const at = { file: load.fileName };
  const opened = await openRelease(tx, system, file, recordCount);
  if (opened.sameName) {
    throw new IngestError(
      at,
      `${system} release "${file.name}" is already loaded from another file (${opened.sameName.source_file ?? 'unknown'}, sha256 ${opened.sameName.sha256?.slice(0, 12) ?? '?'}…); ` +
        `pass --release with another name to load this file as a separate release`,
      'release',
    );
  }
  const { latest } = opened;
  if (latest && file.effective < latest.effectiveDate && !load.options.backfill) {
    throw new IngestError(
      at,
      `release "${file.name}" (effective ${file.effective}) is older than ${system} release "${latest.name}" ` +
        `(effective ${latest.effectiveDate}) already loaded; pass --backfill to add it to the history`,
      'effective date',
    );
  }
  return opened;
}

/** What the writer gets; a companion release it opens adds its system to `written`. */
function writeContext(
  tx: Sql,
  opened: OpenedContext,
  file: ReleaseFile,
  progress: (rows: number) => void,
  written: Set<number>,
): WriteContext {
  return {
    ...opened,
    tx,
    progress,
    companion: async (kind, recordCount) => {
      const other = await openRelease(tx, kind, file, recordCount);
      if (other.sameName) return null;
      written.add(other.context.system.id);
      return { ...other.context, tx, progress, companion: async () => null };
    },
  };
}

/** The summary of a file just written (`seconds` is filled in once it is stored). */
function loadedSummary(load: Load, ready: ParsedLoad, ctx: WriteContext, result: WriteResult): LoadSummary {
  const { archive, sourceUrl } = load.options;
  return {
    ...load.base,
    status: 'loaded',
    release: ready.name,
    effectiveDate: ready.effective,
    records: ready.parsed.recordCount,
    previousRelease: ctx.previous?.name ?? null,
    ...countsOf(result.counts),
    samples: result.samples,
    extra: {
      ...(archive ? { pickedFrom: archive } : {}),
      ...(sourceUrl ? { url: sourceUrl } : {}),
      ...(result.extra ?? {}),
    },
    seconds: 0,
  };
}

/** What identifies the file a release comes from. */
interface ReleaseFile {
  name: string;
  /** YYYY-MM-DD. */
  effective: string;
  sourceFile: string;
  sha256: string;
  sourceUrl: string | null;
}

/** What the writers need to know about a release just opened. */
type OpenedContext = Omit<WriteContext, 'tx' | 'progress' | 'companion'>;

type OpenedRelease =
  | { sameName: { source_file: string | null; sha256: string | null }; latest?: undefined; context?: undefined }
  | { sameName?: undefined; latest: ReleaseRow | null; context: OpenedContext };

/**
 * Insert the Release row of `system` for `file` (unless that system has a release of that name
 * already: `sameName` then says from which file), with what the writers need to know about it.
 */
async function openRelease(
  tx: Sql,
  system: CodeSystemKind,
  file: ReleaseFile,
  recordCount: number,
): Promise<OpenedRelease> {
  const [systemRow] = await tx.query<{ id: number }>(
    `SELECT id FROM code_system WHERE kind = $1::"CodeSystemKind"`,
    system,
  );
  if (!systemRow) throw new Error(`code system ${system} is missing: run the migrations first`);
  const [sameName] = await tx.query<{ source_file: string | null; sha256: string | null }>(
    'SELECT source_file, sha256 FROM release WHERE system_id = $1 AND name = $2',
    systemRow.id,
    file.name,
  );
  if (sameName) return { sameName };
  const latest = await officialRelease(tx, systemRow.id, null);
  const previous = await officialRelease(tx, systemRow.id, file.effective);
  const [created] = await tx.query<{ id: number }>(
    `INSERT INTO release (system_id, name, effective_date, origin, source_file, sha256, record_count, source_url)
     VALUES ($1, $2, $3::date, 'OFFICIAL', $4, $5, $6, $7) RETURNING id`,
    systemRow.id,
    file.name,
    file.effective,
    file.sourceFile,
    file.sha256,
    recordCount,
    file.sourceUrl,
  );
  return {
    latest,
    context: {
      system: { id: systemRow.id, kind: system },
      release: { id: created!.id, name: file.name, effectiveDate: file.effective },
      previous,
      isNewest: !latest || file.effective >= latest.effectiveDate,
    },
  };
}

/**
 * refgraph's starter data stands in for a code system only until an official release of it is
 * loaded: then its release goes (and its code versions with it; current-state rows that still
 * point at it lose the link, ON DELETE SET NULL), so no starter release shows in `releases` or a
 * code's history. The curated facts (sites, modifier guidance, clinical context, payers) stay.
 */
async function retireStarterReleases(tx: Sql, systemIds: number[]): Promise<void> {
  const starter = `SELECT id FROM release WHERE system_id = ANY($1::int[]) AND origin = 'STARTER'`;
  for (const versions of ['code_version', 'modifier_version', 'place_of_service_version', 'taxonomy_version']) {
    await tx.execute(`DELETE FROM ${versions} WHERE release_id IN (${starter})`, systemIds);
  }
  await tx.execute(`DELETE FROM release WHERE id IN (${starter})`, systemIds);
}

/** `db`, with `check` run before every statement. */
function stoppable(db: Sql, check: () => void): Sql {
  return {
    query: (text, ...params) => {
      check();
      return db.query(text, ...params);
    },
    execute: (text, ...params) => {
      check();
      return db.execute(text, ...params);
    },
  };
}

type Transaction = <T>(fn: (tx: Sql) => Promise<T>) => Promise<T>;

/** A load may wait for another one and then write tens of thousands of rows. */
const TRANSACTION_TIMEOUT_MS = 10 * 60_000;

/** Run `fn` with SQL access to the target and a way to open one transaction on it. */
async function withConnection<T>(
  target: LoadTarget,
  fn: (db: Sql, transaction: Transaction) => Promise<T>,
): Promise<T> {
  if (typeof target !== 'string') {
    return fn(prismaSql(target), (inner) =>
      target.$transaction((tx) => inner(prismaSql(tx)), {
        timeout: TRANSACTION_TIMEOUT_MS,
        maxWait: TRANSACTION_TIMEOUT_MS,
      }),
    );
  }
  const client = createPgClient(target);
  await client.connect();
  const db = pgSql(client);
  try {
    return await fn(db, async (inner) => {
      await client.query('BEGIN');
      try {
        const result = await inner(db);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    });
  } finally {
    await client.end();
  }
}

/** The newest official release of a system, or the newest in force on `onOrBefore` (YYYY-MM-DD). */
async function officialRelease(db: Sql, systemId: number, onOrBefore: string | null): Promise<ReleaseRow | null> {
  const rows = await db.query<ReleaseRow>(
    `SELECT id, name, effective_date::text AS "effectiveDate" FROM release
     WHERE system_id = $1 AND origin = 'OFFICIAL' AND ($2::date IS NULL OR effective_date <= $2::date)
     ORDER BY effective_date DESC, id DESC LIMIT 1`,
    systemId,
    onOrBefore,
  );
  return rows[0] ?? null;
}

/** What a database holds already (for ingest-dir). */
export async function loadedReleases(databaseUrl: string): Promise<LoadedReleases> {
  const kindOf = Object.fromEntries(Object.entries(SYSTEM_OF).map(([kind, system]) => [system, kind]));
  const rows = await officialReleases(databaseUrl);
  return {
    sha256: new Set(rows.flatMap((r) => (r.sha256 ? [r.sha256] : []))),
    releases: new Set(rows.map((r) => `${kindOf[r.kind]}:${r.name}`)),
  };
}

/** Every official release loaded: its code system, name and the sha256 of its file. */
export async function officialReleases(
  databaseUrl: string,
): Promise<{ kind: CodeSystemKind; name: string; sha256: string | null }[]> {
  const client = createPgClient(databaseUrl);
  await client.connect();
  try {
    return await pgSql(client).query(
      `SELECT s.kind::text AS kind, r.name, r.sha256 FROM release r JOIN code_system s ON s.id = r.system_id WHERE r.origin = 'OFFICIAL'`,
    );
  } finally {
    await client.end();
  }
}

/** Release name and effective date: options first, then what the file says. */
export function releaseOf(
  parsed: ParsedFile,
  options: LoadOptions,
  fileName: string,
): { name: string; effectiveDate: Date } {
  const effectiveDate = options.effective ?? parsed.release.effectiveDate;
  if (!effectiveDate) {
    throw new IngestError(
      { file: fileName },
      `cannot tell which release this ${parsed.kind} file is: neither its name nor its content gives a date; ` +
        `pass --effective YYYY-MM-DD (and --release NAME)`,
      'release',
    );
  }
  const name = options.release ?? parsed.release.name ?? day(effectiveDate)!;
  return { name, effectiveDate };
}

function rowsToWrite(parsed: ParsedFile): number {
  switch (parsed.kind) {
    case 'hcpcs':
      return parsed.codes.length + parsed.modifiers.length;
    case 'modifiers':
      return parsed.modifiers.length;
    case 'pos':
      return parsed.places.length;
    case 'nucc':
      return parsed.taxonomies.length;
    case 'opps':
      return parsed.rates.length;
    case 'mcd':
      return parsed.documents.length;
  }
}

function write(ctx: WriteContext, parsed: ParsedFile): Promise<WriteResult> {
  switch (parsed.kind) {
    case 'hcpcs':
      return writeHcpcs(ctx, parsed.codes, parsed.modifiers);
    case 'modifiers':
      return writeModifiers(ctx, parsed.modifiers);
    case 'pos':
      return writePlacesOfService(ctx, parsed.places);
    case 'nucc':
      return writeTaxonomies(ctx, parsed.taxonomies);
    case 'opps':
      return writeOpps(ctx, parsed.rates);
    case 'mcd':
      return writeCoverageDocuments(ctx, parsed.documents);
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started) / 1000;
}
