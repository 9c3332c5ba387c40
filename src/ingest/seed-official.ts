// The official files that ship in prisma/seed/official (manifest.json, SOURCES.md), loaded by
// `serve` on first start through the same loader as `refgraph ingest`, one release per file, one
// transaction each. A code system is seeded while every official release it holds came from
// these files (a fresh database, one with only the starter data, or a seed cut short by a stop);
// a system a steward has loaded releases of with `ingest` is left alone. Files already loaded
// (same sha256) are never loaded again.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { IngestError } from './errors.js';
import { sha256Of } from './content-hash.js';
import { loadBytes, officialReleases, SYSTEM_OF, type LoadProgress } from './load-release.js';
import { utcDate } from './parsers/common.js';
import type { IngestKind } from './records.js';
import { readSourceFile } from './source-file.js';
import type { LoadSummary } from './summary.js';

export const OFFICIAL_SEED_DIR = fileURLToPath(new URL('../../prisma/seed/official', import.meta.url));

export interface SeedFile {
  /** File name in prisma/seed/official. */
  file: string;
  kind: IngestKind;
  /** The file's name as its publisher gives it (a .gz here holds it unchanged). */
  published: string;
  /** sha256 of the published file. */
  sha256: string;
  /** Release name and effective date where the file gives none (place of service). */
  release?: string;
  effective?: string;
}

export function readSeedManifest(dir: string = OFFICIAL_SEED_DIR): SeedFile[] {
  return (JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: SeedFile[] }).files;
}

export interface SeedProgress {
  /** `loading` while files load; `done` once every file is in (or was already). */
  state: 'loading' | 'done';
  /** Files of the seed, and how many of them are in the database now. */
  files: number;
  filesDone: number;
  /** The file loading now, with its rows written so far. */
  current: { file: string; kind: IngestKind; phase: LoadProgress['phase']; done: number; total: number } | null;
  seconds: number;
}

export interface SeedOutcome {
  loaded: LoadSummary[];
  /** Files not loaded, with the reason (already loaded, or a system a steward manages). */
  skipped: { file: string; reason: string }[];
}

export interface SeedOptions {
  /** Aborting stops the running load before it commits (it is rolled back) and ends the seed with LoadAborted. */
  signal?: AbortSignal;
  onProgress?: (progress: SeedProgress) => void;
  dir?: string;
}

/** Load every file of the seed that the database lacks, oldest release of each system first. */
export async function seedOfficialData(
  databaseUrl: string,
  { signal, onProgress, dir = OFFICIAL_SEED_DIR }: SeedOptions = {},
): Promise<SeedOutcome> {
  const started = performance.now();
  const files = readSeedManifest(dir);
  const seedHashes = new Set(files.map((f) => f.sha256));
  const official = await officialReleases(databaseUrl);
  // A system with an official release that is not from the seed is managed with `ingest`.
  const managed = new Set(official.filter((r) => r.sha256 === null || !seedHashes.has(r.sha256)).map((r) => r.kind));
  const loadedHashes = new Set(official.map((r) => `${r.kind}:${r.sha256}`));

  const outcome: SeedOutcome = { loaded: [], skipped: [] };
  let filesDone = 0;
  const report = (current: SeedProgress['current']) =>
    onProgress?.({
      state: current ? 'loading' : 'done',
      files: files.length,
      filesDone,
      current,
      seconds: Math.round(performance.now() - started) / 1000,
    });

  for (const entry of files) {
    const system = SYSTEM_OF[entry.kind];
    if (managed.has(system)) {
      outcome.skipped.push({
        file: entry.file,
        reason: `${system} has official releases loaded with \`refgraph ingest\`; the seed leaves it alone`,
      });
    } else if (loadedHashes.has(`${system}:${entry.sha256}`)) {
      outcome.skipped.push({ file: entry.file, reason: 'already loaded' });
    } else {
      report({ file: entry.published, kind: entry.kind, phase: 'parse', done: 0, total: 1 });
      const source = await readSourceFile(path.join(dir, entry.file), entry.kind);
      const sha256 = sha256Of(source.bytes);
      if (sha256 !== entry.sha256) {
        throw new IngestError(
          { file: path.join(dir, entry.file) },
          `sha256 ${sha256} differs from ${entry.sha256} in manifest.json: the shipped file is damaged`,
        );
      }
      const summary = await loadBytes(databaseUrl, source.bytes, source.fileName, {
        kind: entry.kind,
        release: entry.release,
        effective: entry.effective ? effectiveDate(entry.effective) : undefined,
        // The seed's own order is oldest first, but a steward may have loaded a newer file of the seed already.
        backfill: true,
        archive: source.archive,
        signal,
        onProgress: (p) => report({ file: entry.published, kind: entry.kind, ...p }),
      });
      outcome.loaded.push(summary);
    }
    filesDone += 1;
  }
  report(null);
  return outcome;
}

function effectiveDate(value: string): Date {
  const [year, month, day] = value.split('-').map(Number);
  const date = utcDate(year!, month!, day!);
  if (!date) throw new Error(`manifest.json: "${value}" is not a date`);
  return date;
}
