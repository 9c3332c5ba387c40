// Loading every kind of official file (real files from ../shared/data) into this file's own
// database: counts as the files hold them, what changed between releases, the current-state
// tables, benchmarks for known codes only, and "same file again changes nothing".
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/ingest/load-release.js';
import type { LoadSummary } from '../../src/ingest/summary.js';
import { useTestDatabase, type TestDatabase } from '../support/database.js';
import { csvRows, dataDir, dataFile, tableChecksums } from './support.js';

const ymd = (value: string) => `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;

describe.skipIf(!dataDir)('loading the official files', () => {
  let database: TestDatabase;
  const summaries: Record<string, LoadSummary> = {};

  beforeAll(async () => {
    database = await useTestDatabase();
    summaries.hcpcs = await loadFile(database.url, dataFile('hcpcs2025Csv'), { kind: 'hcpcs' });
    // The HCPCS file's modifiers are MODIFIER release 2025-10 already: the CSV of them needs a name of its own.
    await expect(loadFile(database.url, dataFile('modifiers'), { kind: 'modifiers' })).rejects.toThrow(
      /MODIFIER release "2025-10" is already loaded from another file \(HCPC2025_OCT_ANWEB_v4\.csv/,
    );
    summaries.modifiers = await loadFile(database.url, dataFile('modifiers'), {
      kind: 'modifiers',
      release: '2025-10-csv',
    });
    summaries.nucc240 = await loadFile(database.url, dataFile('nucc240'));
    summaries.nucc251 = await loadFile(database.url, dataFile('nucc251'));
    summaries.opps2023 = await loadFile(database.url, dataFile('opps2023'));
    summaries.opps2026 = await loadFile(database.url, dataFile('opps2026'));
    summaries.mcd = await loadFile(database.url, dataFile('mcd'));
  });

  it('loads as many HCPCS codes and modifiers as the file holds, each release recorded with its sha256', async () => {
    const rows = csvRows('hcpcs2025Csv');
    const codes = rows.filter((r) => r.RECID === '3').length;
    const modifiers = rows.filter((r) => r.RECID === '7').length;
    expect(summaries.hcpcs).toMatchObject({
      status: 'loaded',
      release: '2025-10',
      records: rows.length,
      added: codes,
      previousRelease: null,
    });
    const release = await database.db.release.findFirstOrThrow({
      where: { name: '2025-10', system: { kind: 'HCPCS' } },
    });
    expect(release).toMatchObject({
      origin: 'OFFICIAL',
      sourceFile: 'HCPC2025_OCT_ANWEB_v4.csv',
      sha256: summaries.hcpcs!.sha256,
      recordCount: rows.length,
    });
    expect(await database.db.codeVersion.count({ where: { releaseId: release.id } })).toBe(codes);
    expect(await database.db.modifier.count({ where: { source: 'HCPCS_LEVEL_II' } })).toBe(modifiers);
  });

  it('keeps the curated CPT modifier 26 and takes TC from the official file', async () => {
    const row = csvRows('modifiers').find((r) => r.modifier === 'TC')!;
    const tc = await database.db.modifier.findUniqueOrThrow({
      where: { code: 'TC' },
      include: { release: { include: { system: true } } },
    });
    expect(tc).toMatchObject({
      source: 'HCPCS_LEVEL_II',
      longDescription: row.long_description,
      shortDescription: row.short_description,
    });
    // Loaded from the HCPCS file first; the modifiers CSV of the same quarter found it unchanged.
    expect(tc.release).toMatchObject({ name: '2025-10-csv', origin: 'OFFICIAL', system: { kind: 'MODIFIER' } });
    expect(summaries.modifiers).toMatchObject({ status: 'loaded', records: 383, unchanged: 383, added: 0, changed: 0 });
    const cpt = await database.db.modifier.findUniqueOrThrow({ where: { code: '26' } });
    expect(cpt).toMatchObject({ source: 'CPT', releaseId: null, shortDescription: 'Professional component' });
    const terminated = csvRows('modifiers').filter((r) => r.termination_date !== '');
    expect(await database.db.modifier.count({ where: { terminationDate: { not: null } } })).toBe(terminated.length);
  });

  it('reports the NUCC changes from 24.0 to 25.1 that the two files show', async () => {
    const before = new Map(csvRows('nucc240').map((r) => [r.Code, r]));
    const after = csvRows('nucc251');
    const fields = ['Grouping', 'Classification', 'Specialization', 'Definition', 'Notes', 'Display Name', 'Section'];
    const added = after.filter((r) => !before.has(r.Code));
    const changed = after.filter(
      (r) => before.has(r.Code) && fields.some((f) => (before.get(r.Code)![f] ?? '').trim() !== (r[f] ?? '').trim()),
    );
    expect(summaries.nucc240).toMatchObject({
      status: 'loaded',
      release: '24.0',
      records: before.size,
      added: before.size,
    });
    expect(summaries.nucc251).toMatchObject({
      release: '25.1',
      effectiveDate: '2025-07-01',
      previousRelease: '24.0',
      removed: 0,
    });
    expect(summaries.nucc251!.added).toBe(added.length);
    expect(added.map((r) => r.Code).sort()).toEqual(expect.arrayContaining(['146E00000X', '2086P0122X']));
    expect(summaries.nucc251!.changed).toBe(changed.length);
    expect(summaries.nucc251!.unchanged).toBe(after.length - added.length - changed.length);
    expect(await database.db.taxonomy.count()).toBe(after.length);
    const release251 = await database.db.release.findFirstOrThrow({ where: { name: '25.1' } });
    expect(await database.db.taxonomy.count({ where: { releaseId: release251.id } })).toBe(after.length);
  });

  it('turns OPPS rows into benchmarks for known codes and counts the rows it skipped', async () => {
    const known = new Set(
      csvRows('hcpcs2025Csv')
        .filter((r) => r.RECID === '3')
        .map((r) => r.HCPC!.trim()),
    );
    for (const [key, file] of [
      ['opps2023', 'opps2023'],
      ['opps2026', 'opps2026'],
    ] as const) {
      const rows = csvRows(file);
      const unknown = rows.filter((r) => !known.has(r.hcpcs_code!));
      expect(summaries[key]).toMatchObject({ status: 'loaded', records: rows.length });
      expect(summaries[key]!.extra).toMatchObject({
        skippedUnknownCodes: unknown.length,
        benchmarks: rows.length - unknown.length,
      });
    }
    expect((summaries.opps2026!.extra as { skippedUnknownCodes: number }).skippedUnknownCodes).toBeGreaterThan(0);
    const g0008 = await database.db.benchmark.findMany({
      where: { code: { code: 'G0008' } },
      include: { release: true },
      orderBy: { release: { effectiveDate: 'asc' } },
    });
    expect(g0008.map((b) => [b.release.name, b.statusIndicator, b.apc, b.paymentRate?.toString()])).toEqual([
      ['2023-01', 'S', '5691', '42.37'],
      ['2026-04', 'S', null, '47.84'],
    ]);
    expect(summaries.opps2026).toMatchObject({ previousRelease: '2023-01' });
    // Figures as published, every decimal kept (282.278 is not 282.28).
    const precise = csvRows('opps2023').find(
      (r) => /\.\d{3,4}$/.test(r.payment_rate ?? '') && known.has(r.hcpcs_code!),
    )!;
    const stored = await database.db.benchmark.findFirstOrThrow({
      where: { code: { code: precise.hcpcs_code! }, release: { name: '2023-01' } },
    });
    expect(stored.paymentRate?.toString()).toBe(precise.payment_rate);
    expect(summaries.opps2026!.added + summaries.opps2026!.changed + summaries.opps2026!.unchanged).toBe(
      (summaries.opps2026!.extra as { benchmarks: number }).benchmarks,
    );
  });

  it('loads the coverage documents with their dates and contractors', async () => {
    const rows = csvRows('mcd');
    expect(summaries.mcd).toMatchObject({
      status: 'loaded',
      release: '2025-08',
      records: rows.length,
      added: rows.length,
    });
    expect(await database.db.coverageDocument.count()).toBe(rows.length);
    expect(await database.db.coverageDocument.count({ where: { type: 'LCD' } })).toBe(
      rows.filter((r) => r.document_type === 'LCD').length,
    );
    const row = rows.find((r) => r.document_type === 'LCD' && r.retirement_date !== 'N/A')!;
    const doc = await database.db.coverageDocument.findFirstOrThrow({
      where: { displayId: row.document_display_id, version: Number(row.document_version) },
    });
    const [m, d, y] = row.retirement_date!.split('/');
    expect(doc.retirementDate?.toISOString().slice(0, 10)).toBe(`${y}-${m}-${d}`);
    expect(doc.url).toBe(row.url);
    expect(doc.contractorName).toBe(row.contractor_name_type!.split('\n')[0]!.trim());
  });

  it('needs --effective for a place-of-service file, whose name and content give no date, and then loads it', async () => {
    await expect(loadFile(database.url, dataFile('posCsv'))).rejects.toThrow(
      /cms_bfd_clm_pos_cd\.csv, field release: .*--effective/,
    );
    const summary = await loadFile(database.url, dataFile('posCsv'), {
      effective: new Date('2024-10-01T00:00:00Z'),
      release: 'bfd-2024',
    });
    const rows = csvRows('posCsv');
    expect(summary).toMatchObject({ status: 'loaded', release: 'bfd-2024', records: rows.length });
    expect(await database.db.placeOfService.count()).toBe(rows.length);
    expect(await database.db.placeOfService.count({ where: { assigned: true } })).toBe(
      rows.filter((r) => r.assigned === 'Y').length,
    );
  });

  it('changes nothing when the same file is loaded again, and says so', async () => {
    const before = await tableChecksums(database.db);
    for (const file of ['hcpcs2025Csv', 'nucc251', 'opps2026'] as const) {
      const again = await loadFile(database.url, dataFile(file));
      expect(again).toMatchObject({ status: 'unchanged', added: 0, changed: 0 });
    }
    expect(await tableChecksums(database.db)).toEqual(before);
  });

  it('serialises two loads of the same file started at once: one loads it, the other finds it loaded', async () => {
    const effective = new Date('2017-02-02T00:00:00Z');
    const both = await Promise.all([
      loadFile(database.url, dataFile('posJson'), { effective, backfill: true }),
      loadFile(database.db, dataFile('posJson'), { effective, backfill: true }),
    ]);
    expect(both.map((s) => s.status).sort()).toEqual(['loaded', 'unchanged']);
    // A backfill keeps the current-state table at the newest release.
    const office = await database.db.placeOfService.findUniqueOrThrow({
      where: { code: '11' },
      include: { release: true },
    });
    expect(office.release?.name).toBe('bfd-2024');
  });

  it('reads the added date of a code exactly as the file gives it', async () => {
    const row = csvRows('hcpcs2025Csv').find((r) => r.HCPC === 'C9301')!; // a numeric cell in the xlsx
    const version = await database.db.codeVersion.findFirstOrThrow({
      where: { code: 'C9301', release: { name: '2025-10' } },
    });
    expect(version.addDate?.toISOString().slice(0, 10)).toBe(ymd(row['ADD DT']!));
  });
});
