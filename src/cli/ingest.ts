// `refgraph ingest <kind> <file>` and `refgraph ingest-dir <folder>`: load official files as
// releases. On a terminal a progress bar and a readable summary; otherwise one JSON line per file.
// Uses the embedded PostgreSQL already serving DATA_DIR when there is one (openDatabase reads its
// postmaster.pid), or DATABASE_URL.
import { SingleBar, Presets } from 'cli-progress';
import { Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { loadConfig, type Config } from '../config.js';
import { createPrismaClient, type Db } from '../db/client.js';
import { migrateDatabase, openDatabase } from '../db/connect.js';
import { loadStarterData } from '../db/starter-data.js';
import { planDirectory } from '../ingest/ingest-dir.js';
import { INGEST_KINDS, loadedReleases, loadFile, type LoadOptions, type LoadProgress } from '../ingest/load-release.js';
import { utcDate } from '../ingest/parsers/common.js';
import type { IngestKind } from '../ingest/records.js';
import { summaryLine, summaryText, type LoadSummary } from '../ingest/summary.js';

/** Where output goes; tests pass their own. */
export interface IngestOutput {
  tty: boolean;
  write(text: string): void;
}

const stdoutOutput = (): IngestOutput => ({ tty: process.stdout.isTTY === true, write: (text) => process.stdout.write(text) });

function parseEffective(value: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? utcDate(Number(match[1]), Number(match[2]), Number(match[3])) : null;
  if (!date) throw new InvalidArgumentError(`"${value}" is not a date in the form YYYY-MM-DD`);
  return date;
}

/** Open the configured database (migrated), run `fn` with its URL, let go of it. */
async function withDatabaseUrl<T>(config: Config, fn: (databaseUrl: string) => Promise<T>): Promise<T> {
  // Logs go to stderr so that stdout carries only the summary.
  const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel, base: { service: 'refgraph' } }, pino.destination(2));
  const database = await openDatabase(config, logger);
  try {
    await migrateDatabase(database.url, logger);
    return await fn(database.url);
  } finally {
    await database.close();
  }
}

/**
 * For commands that read through Prisma: the configured database (migrated, starter data in
 * place) as a Prisma client. Loads themselves use only the URL (see src/ingest/sql.ts).
 */
export async function withDatabase<T>(config: Config, fn: (db: Db) => Promise<T>): Promise<T> {
  return withDatabaseUrl(config, async (url) => {
    const db = createPrismaClient(url, { poolSize: 2, statementTimeoutMs: config.statementTimeoutMs });
    try {
      await loadStarterData(db);
      return await fn(db);
    } finally {
      await db.$disconnect();
    }
  });
}

/** A progress bar on a terminal; nothing otherwise. */
function progressReporter(output: IngestOutput, label: string): { onProgress?: (p: LoadProgress) => void; stop(): void } {
  if (!output.tty) return { stop: () => {} };
  const bar = new SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {phase}`, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: ({ phase, done, total }) => {
      const label = { phase: phase === 'parse' ? 'reading the file' : 'writing' };
      if (!started) {
        bar.start(total, done, label);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, label);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function report(output: IngestOutput, summary: LoadSummary): void {
  output.write(output.tty ? summaryText(summary) : `${summaryLine(summary)}\n`);
}

/** Load one file and print its summary. */
export async function ingestFile(databaseUrl: string, file: string, options: LoadOptions, output: IngestOutput): Promise<LoadSummary> {
  const progress = progressReporter(output, file.split('/').pop() ?? file);
  try {
    const summary = await loadFile(databaseUrl, file, { ...options, onProgress: progress.onProgress });
    progress.stop();
    report(output, summary);
    return summary;
  } catch (error) {
    progress.stop();
    throw error;
  }
}

/** Load every file a folder holds that refgraph recognises, in release order. */
export async function ingestDirectory(databaseUrl: string, dir: string, output: IngestOutput, options: { backfill?: boolean } = {}): Promise<LoadSummary[]> {
  const started = performance.now();
  const plan = await planDirectory(dir, await loadedReleases(databaseUrl));
  const summaries: LoadSummary[] = [];
  for (const file of plan.known) {
    summaries.push(await ingestFile(databaseUrl, file, {}, output));
  }
  for (const file of plan.files) {
    summaries.push(await ingestFile(databaseUrl, file.path, { kind: file.kind, backfill: options.backfill, parsed: file.parsed }, output));
  }
  const seconds = Math.round(performance.now() - started) / 1000;
  const totals = {
    folder: dir,
    files: summaries.length,
    loaded: summaries.filter((s) => s.status === 'loaded').length,
    unchanged: summaries.filter((s) => s.status === 'unchanged').length,
    skipped: plan.skipped.map((s) => ({ file: s.path, reason: s.reason })),
    seconds,
  };
  if (output.tty) {
    const lines = [`${totals.files} files: ${totals.loaded} loaded, ${totals.unchanged} already loaded, in ${seconds.toFixed(2)} s`];
    for (const s of plan.skipped) lines.push(`  skipped ${s.path}: ${s.reason}`);
    output.write(`${lines.join('\n')}\n`);
  } else {
    output.write(`${JSON.stringify(totals)}\n`);
  }
  return summaries;
}

/** Registers `ingest` and `ingest-dir` on the program. */
export function registerIngestCommands(program: Command): void {
  program
    .command('ingest')
    .description('load an official file as a release of its code system (one transaction; same file again changes nothing)')
    .addArgument(program.createArgument('<kind>', 'what the file holds').choices(INGEST_KINDS))
    .argument('<file>', 'the file (CSV, XLSX, fixed-width TXT or JSON, as published)')
    .option('--release <name>', 'release name (default: from the file name or content, e.g. 2025-10)')
    .addOption(new Option('--effective <YYYY-MM-DD>', 'effective date (default: from the file name or content)').argParser(parseEffective))
    .option('--backfill', 'accept a release older than the newest one loaded (added to the history)', false)
    .action(async (kind: IngestKind, file: string, options: { release?: string; effective?: Date; backfill: boolean }) => {
      const config = loadConfig();
      await withDatabaseUrl(config, (url) =>
        ingestFile(url, file, { kind, release: options.release, effective: options.effective, backfill: options.backfill }, stdoutOutput()),
      );
    });

  program
    .command('ingest-dir')
    .description('load every file refgraph recognises in a folder (and its subfolders), oldest release first')
    .argument('<folder>')
    .option('--backfill', 'accept releases older than the newest one loaded (added to the history)', false)
    .action(async (folder: string, options: { backfill: boolean }) => {
      const config = loadConfig();
      await withDatabaseUrl(config, (url) => ingestDirectory(url, folder, stdoutOutput(), options));
    });
}
