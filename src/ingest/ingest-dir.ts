// `ingest-dir`: find the files a folder holds that refgraph can load, and put them in load order:
// HCPCS first (benchmarks need its codes), OPPS last, each system's releases oldest first. One
// file per release: where a release comes in several formats (2019: CSV, XLSX, TXT), the
// original CMS workbook is taken, then the fixed-width text, then the CSV. A zip (as CMS publishes
// its files) or a .gz counts as the data file picked from it (source-file.ts).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { day } from './bulk.js';
import { IngestError } from './errors.js';
import { detectFormat, formatRank, parseFile, type FileFormat } from './parsers/detect.js';
import type { IngestKind, LoadedReleases, ParsedFile } from './records.js';
import { sha256Of } from './content-hash.js';
import { readSourceFile } from './source-file.js';
import { makesModifierRelease } from './writers/hcpcs.js';

export interface PlannedFile {
  path: string;
  kind: IngestKind;
  format: FileFormat;
  release: string;
  effectiveDate: string;
  /** Kept so that the file is not parsed a second time when loaded. */
  parsed: ParsedFile;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface DirectoryPlan {
  /** Files already loaded (same sha256): nothing to do, not even parsing them. */
  known: string[];
  files: PlannedFile[];
  skipped: SkippedFile[];
}

const KIND_ORDER: readonly IngestKind[] = ['hcpcs', 'modifiers', 'pos', 'nucc', 'mcd', 'opps'];

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** Look at every file under `dir` (recursively) and decide what to load, in which order. */
export async function planDirectory(
  dir: string,
  loaded: LoadedReleases = { sha256: new Set(), releases: new Set() },
): Promise<DirectoryPlan> {
  let paths: string[];
  try {
    paths = await listFiles(dir);
  } catch (error) {
    throw new IngestError(
      { file: dir },
      `cannot read the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  const known: string[] = [];
  const candidates: PlannedFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of paths) {
    try {
      const { bytes, fileName } = await readSourceFile(file);
      if (loaded.sha256.has(sha256Of(bytes))) {
        known.push(file);
        continue;
      }
      const { kind, format } = detectFormat(bytes, fileName);
      // Parsing tells the release for sure (some files say it only in their content).
      const parsed = await parseFile(bytes, fileName, kind);
      const { name, effectiveDate } = parsed.release;
      if (!effectiveDate) {
        skipped.push({
          path: file,
          reason: `a ${kind} file that gives no release date; load it with: refgraph ingest ${kind} ${file} --effective YYYY-MM-DD`,
        });
        continue;
      }
      const effective = day(effectiveDate)!;
      candidates.push({ path: file, kind, format, release: name ?? effective, effectiveDate: effective, parsed });
    } catch (error) {
      if (!(error instanceof IngestError)) throw error;
      skipped.push({ path: file, reason: `not recognised: ${error.reason}`.slice(0, 300) });
    }
  }

  candidates.sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      a.effectiveDate.localeCompare(b.effectiveDate) ||
      formatRank(a.format) - formatRank(b.format) ||
      a.path.localeCompare(b.path),
  );
  const files: PlannedFile[] = [];
  // `kind:release` → the planned file that writes it.
  const writer = new Map<string, PlannedFile>();
  for (const candidate of candidates) {
    const same = writer.get(`${candidate.kind}:${candidate.release}`);
    if (same) {
      skipped.push({
        path: candidate.path,
        reason:
          same.kind === candidate.kind
            ? `same ${candidate.kind} release "${candidate.release}" as ${same.path}, which is loaded instead`
            : `${candidate.kind} release "${candidate.release}" comes with the ${same.kind} file ${same.path}, which is loaded instead`,
      });
    } else if (loaded.releases.has(`${candidate.kind}:${candidate.release}`)) {
      skipped.push({
        path: candidate.path,
        reason: `${candidate.kind} release "${candidate.release}" is already loaded from another file`,
      });
    } else {
      files.push(candidate);
      for (const release of releasesWritten(candidate)) if (!writer.has(release)) writer.set(release, candidate);
    }
  }
  return { known, files, skipped };
}

/**
 * The `kind:release` names loading a file writes: its own, and for an HCPCS file that holds
 * modifier rows, the modifiers release of the same name (the loader's companion release).
 */
function releasesWritten(file: PlannedFile): string[] {
  const own = `${file.kind}:${file.release}`;
  return file.parsed.kind === 'hcpcs' && makesModifierRelease(file.parsed.modifiers)
    ? [own, `modifiers:${file.release}`]
    : [own];
}
