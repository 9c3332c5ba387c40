// `refgraph ingest <kind> <file>` and `refgraph ingest-dir <folder>`: load official files as
// releases. On a terminal a progress bar and a readable summary; otherwise one JSON line per file.
// Uses the embedded PostgreSQL already serving DATA_DIR when there is one (openDatabase reads its
// postmaster.pid), or DATABASE_URL.
import { SingleBar, Presets } from 'cli-progress';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { loadConfig, type Config } from '../config.js';
import { createPrismaClient, type Db } from '../db/client.js';
import { migrateDatabase, openDatabase } from '../db/connect.js';
import { loadStarterData } from '../db/starter-data.js';
import { DOWNLOAD_DEFAULTS, download, isUrl } from '../ingest/download.js';
import { planDirectory } from '../ingest/ingest-dir.js';
import {
  INGEST_KINDS,
  loadBytes,
  loadedReleases,
  loadFile,
  type LoadOptions,
  type LoadProgress,
} from '../ingest/load-release.js';
import { openSource } from '../ingest/source-file.js';
import { utcDate } from '../ingest/parsers/common.js';
import type { IngestKind } from '../ingest/records.js';
import { summaryLine, summaryText, type LoadSummary } from '../ingest/summary.js';

/** Where output goes; tests pass their own. */
export interface IngestOutput {
  tty: boolean;
  write(text: string): void;
}

const stdoutOutput = (): IngestOutput => ({
  tty: process.stdout.isTTY === true,
  write: (text) => process.stdout.write(text),
});

function positive(option: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isFinite(number) || number <= 0)
      throw new InvalidArgumentError(`${option} must be a positive number (got "${value}")`);
    return number;
  };
}

function parseEffective(value: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? utcDate(Number(match[1]), Number(match[2]), Number(match[3])) : null;
  if (!date) throw new InvalidArgumentError(`"${value}" is not a date in the form YYYY-MM-DD`);
  return date;
}

/** Open the configured database (migrated), run `fn` with its URL, let go of it. */
async function withDatabaseUrl<T>(config: Config, fn: (databaseUrl: string) => Promise<T>): Promise<T> {
  // Logs go to stderr so that stdout carries only the summary.
  const logger = pino(
    { level: config.logLevel === 'info' ? 'warn' : config.logLevel, base: { service: 'refgraph' } },
    pino.destination(2),
  );
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
 * place) as a Prisma client. Loads themselves use only the URL (see src/db/sql.ts).
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
function progressReporter(
  output: IngestOutput,
  label: string,
): { onProgress?: (p: LoadProgress) => void; stop(): void } {
  if (!output.tty) return { stop: () => {} };
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {phase}`,
      hideCursor: true,
      clearOnComplete: true,
    },
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

export interface DownloadLimits {
  maxBytes?: number;
  timeoutMs?: number;
  stallTimeoutMs?: number;
}

/** A byte count on a terminal. */
function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Download `url` (a progress bar on a terminal) and load the file, or the data file picked from
 * the zip it is; the release records the URL and the file's sha256.
 */
export async function ingestUrl(
  databaseUrl: string,
  url: string,
  options: LoadOptions,
  output: IngestOutput,
  limits: DownloadLimits = {},
): Promise<LoadSummary> {
  let bar: SingleBar | undefined;
  const downloaded = await download(url, {
    ...limits,
    onProgress: output.tty
      ? (received, total) => {
          if (!bar) {
            bar = new SingleBar(
              {
                format: `downloading [{bar}] {percentage}% | {got} of {size}`,
                hideCursor: true,
                clearOnComplete: true,
              },
              Presets.shades_classic,
            );
            bar.start(total ?? 0, 0, { got: megabytes(0), size: total ? megabytes(total) : 'unknown size' });
          }
          if (!total) bar.setTotal(received);
          bar.update(received, { got: megabytes(received) });
        }
      : undefined,
  }).finally(() => bar?.stop());
  const source = await openSource(downloaded.bytes, downloaded.fileName, options.kind);
  if (output.tty && source.archive) output.write(`picked ${source.fileName} from ${source.archive}\n`);
  return ingestBytes(
    databaseUrl,
    source.bytes,
    source.fileName,
    { ...options, archive: source.archive, sourceUrl: downloaded.url },
    output,
  );
}

/** Run a load with a progress bar (on a terminal) and print its summary. */
async function reported(
  output: IngestOutput,
  label: string,
  load: (onProgress?: (p: LoadProgress) => void) => Promise<LoadSummary>,
): Promise<LoadSummary> {
  const progress = progressReporter(output, label.split('/').pop() ?? label);
  try {
    const summary = await load(progress.onProgress);
    progress.stop();
    report(output, summary);
    return summary;
  } catch (error) {
    progress.stop();
    throw error;
  }
}

function ingestBytes(
  databaseUrl: string,
  bytes: Buffer,
  fileName: string,
  options: LoadOptions,
  output: IngestOutput,
): Promise<LoadSummary> {
  return reported(output, fileName, (onProgress) =>
    loadBytes(databaseUrl, bytes, fileName, { ...options, onProgress }),
  );
}

/** Load one file (as published, or a .gz or .zip holding it) and print its summary. */
export function ingestFile(
  databaseUrl: string,
  file: string,
  options: LoadOptions,
  output: IngestOutput,
): Promise<LoadSummary> {
  return reported(output, file, (onProgress) => loadFile(databaseUrl, file, { ...options, onProgress }));
}

/** Load every file a folder holds that refgraph recognises, in release order. */
export async function ingestDirectory(
  databaseUrl: string,
  dir: string,
  output: IngestOutput,
  options: { backfill?: boolean } = {},
): Promise<LoadSummary[]> {
  const started = performance.now();
  const plan = await planDirectory(dir, await loadedReleases(databaseUrl));
  const summaries: LoadSummary[] = [];
  for (const file of plan.known) {
    summaries.push(await ingestFile(databaseUrl, file, {}, output));
  }
  for (const file of plan.files) {
    summaries.push(
      await ingestFile(
        databaseUrl,
        file.path,
        { kind: file.kind, backfill: options.backfill, parsed: file.parsed },
        output,
      ),
    );
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
    const lines = [
      `${totals.files} files: ${totals.loaded} loaded, ${totals.unchanged} already loaded, in ${seconds.toFixed(2)} s`,
    ];
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
    .description(
      'load an official file as a release of its code system (one transaction; same file again changes nothing)',
    )
    .addArgument(program.createArgument('<kind>', 'what the file holds').choices(INGEST_KINDS))
    .argument(
      '<file>',
      'the file as published (CSV, XLSX, fixed-width TXT, JSON, or the CMS .zip holding one), or an https:// URL to download it from',
    )
    .option('--release <name>', 'release name (default: from the file name or content, e.g. 2025-10)')
    .addOption(
      new Option('--effective <YYYY-MM-DD>', 'effective date (default: from the file name or content)').argParser(
        parseEffective,
      ),
    )
    .option('--backfill', 'accept a release older than the newest one loaded (added to the history)', false)
    .addOption(
      new Option('--max-size <MB>', 'largest download accepted')
        .default(DOWNLOAD_DEFAULTS.maxBytes / 1024 / 1024)
        .argParser(positive('--max-size')),
    )
    .addOption(
      new Option('--timeout <seconds>', 'longest a download may take')
        .default(DOWNLOAD_DEFAULTS.timeoutMs / 1000)
        .argParser(positive('--timeout')),
    )
    .addOption(
      new Option('--stall-timeout <seconds>', 'longest wait for more bytes of a download')
        .default(DOWNLOAD_DEFAULTS.stallTimeoutMs / 1000)
        .argParser(positive('--stall-timeout')),
    )
    .action(
      async (
        kind: IngestKind,
        file: string,
        options: {
          release?: string;
          effective?: Date;
          backfill: boolean;
          maxSize: number;
          timeout: number;
          stallTimeout: number;
        },
      ) => {
        const config = loadConfig();
        const load = { kind, release: options.release, effective: options.effective, backfill: options.backfill };
        await withDatabaseUrl(config, (url) =>
          isUrl(file)
            ? ingestUrl(url, file, load, stdoutOutput(), {
                maxBytes: Math.round(options.maxSize * 1024 * 1024),
                timeoutMs: options.timeout * 1000,
                stallTimeoutMs: options.stallTimeout * 1000,
              })
            : ingestFile(url, file, load, stdoutOutput()),
        );
      },
    );

  program
    .command('ingest-dir')
    .description(
      'load every file refgraph recognises in a folder and its subfolders (looking into .zip and .gz files too), oldest release first',
    )
    .argument('<folder>')
    .option('--backfill', 'accept releases older than the newest one loaded (added to the history)', false)
    .action(async (folder: string, options: { backfill: boolean }) => {
      const config = loadConfig();
      await withDatabaseUrl(config, (url) => ingestDirectory(url, folder, stdoutOutput(), options));
    });
}
