// ingest-dir over a folder holding an HCPCS file and the modifiers file of the same month: the
// HCPCS file's modifier rows already make that modifiers release, so the folder loads without
// failing and says why the modifiers file was left out.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestDirectory } from '../../src/cli/ingest.js';
import { planDirectory } from '../../src/ingest/ingest-dir.js';
import { useTestDatabase, type TestDatabase } from '../support/database.js';
import { dataDir, dataFile } from './support.js';

const folder = mkdtempSync(path.join(tmpdir(), 'refgraph-ingest-dir-'));
const hcpcs = path.join(folder, 'HCPC2025_OCT_ANWEB_v4.csv');
const modifiers = path.join(folder, 'hcpcs_level2_modifiers_2025_oct.csv');
const reason = `modifiers release "2025-10" comes with the hcpcs file ${hcpcs}, which is loaded instead`;

let database: TestDatabase;

beforeAll(async () => {
  database = await useTestDatabase();
  if (!dataDir) return;
  copyFileSync(dataFile('hcpcs2025Csv'), hcpcs);
  copyFileSync(dataFile('modifiers'), modifiers);
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe.skipIf(!dataDir)('an HCPCS file and the modifiers file of the same release', () => {
  it('plans the HCPCS file only, naming it as the reason the modifiers file is skipped', async () => {
    const plan = await planDirectory(folder);
    expect(plan.files.map((file) => [path.basename(file.path), file.kind, file.release])).toEqual([
      ['HCPC2025_OCT_ANWEB_v4.csv', 'hcpcs', '2025-10'],
    ]);
    expect(plan.skipped).toEqual([{ path: modifiers, reason }]);
  });

  it('loads the folder: codes and their modifiers, one modifiers release, the skip reported', async () => {
    const lines: unknown[] = [];
    const summaries = await ingestDirectory(database.url, folder, {
      tty: false,
      write: (line: string) => lines.push(JSON.parse(line)),
    });
    expect(summaries.map((summary) => [summary.kind, summary.release, summary.status])).toEqual([
      ['hcpcs', '2025-10', 'loaded'],
    ]);
    expect(lines.at(-1)).toMatchObject({ files: 1, loaded: 1, skipped: [{ file: modifiers, reason }] });
    const releases = await database.db.release.findMany({
      where: { name: '2025-10' },
      select: { system: { select: { kind: true } }, sourceFile: true },
      orderBy: { id: 'asc' },
    });
    expect(releases).toEqual([
      { system: { kind: 'HCPCS' }, sourceFile: 'HCPC2025_OCT_ANWEB_v4.csv' },
      { system: { kind: 'MODIFIER' }, sourceFile: 'HCPC2025_OCT_ANWEB_v4.csv' },
    ]);
  }, 120_000);
});
