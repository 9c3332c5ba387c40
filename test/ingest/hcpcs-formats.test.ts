// The 2019 HCPCS release in its three CMS formats (CSV, XLSX, fixed-width TXT) loads to the same
// data, except where the files themselves disagree (SOURCES.md: some ACT EFF DT blank in the
// workbook, two TOS values; and, found here, a few double spaces the workbook has where the
// fixed-width text breaks into 80-character pieces). The test finds those differences in the raw
// files and asserts that the loaded releases differ by exactly them.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { listChanges } from '../../src/db/release-diff.js';
import { loadFile } from '../../src/ingest/load-release.js';
import { prismaSql } from '../../src/db/sql.js';
import { useTestDatabase, type TestDatabase } from '../support/database.js';
import { csvRows, dataDir, dataFile } from './support.js';

interface Fields {
  long: string;
  actEff: string;
  tos: string[];
}

/**
 * Every code's long description (80-character pieces joined with a space, as the record layout
 * says), ACT EFF DT and TOS1..TOS5, straight from the fixed-width file.
 */
function txtFields(): Map<string, Fields> {
  const out = new Map<string, Fields>();
  for (const line of readFileSync(dataFile('hcpcs2019Txt')).toString('latin1').split('\r\n')) {
    const recid = /^[A-Z0-9 ]{5}[0-9]{5}([34])/.exec(line)?.[1];
    if (!recid) continue;
    const record = line.padEnd(320);
    const code = record.slice(0, 5).trim();
    const piece = record.slice(11, 91).trimEnd();
    if (recid === '4') {
      out.get(code)!.long += ` ${piece}`;
      continue;
    }
    const tos = [...record.slice(260, 265)].map((c) => c.trim()).filter((c) => c !== '');
    out.set(code, { long: piece, actEff: record.slice(276, 284).trim(), tos });
  }
  return out;
}

/** The same from the CSV export of the workbook (its one continuation row appended with a space). */
function csvFields(): Map<string, Fields> {
  const out = new Map<string, Fields>();
  for (const row of csvRows('hcpcs2019Csv')) {
    const code = row.HCPC!.trim();
    if (row.RECID === '4') {
      out.get(code)!.long += ` ${row['LONG DESCRIPTION']!.trim()}`;
    } else if (row.RECID === '3') {
      const tos = ['TOS1', 'TOS2', 'TOS3', 'TOS4', 'TOS5'].map((c) => (row[c] ?? '').trim()).filter((v) => v !== '');
      out.set(code, { long: row['LONG DESCRIPTION']!.trim(), actEff: row['ACT EFF DT'] ?? '', tos });
    }
  }
  return out;
}

describe.skipIf(!dataDir)('the 2019 release in CSV, XLSX and TXT', () => {
  let database: TestDatabase;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    database = await useTestDatabase();
    for (const [name, file] of [
      ['2019-csv', 'hcpcs2019Csv'],
      ['2019-xlsx', 'hcpcs2019Xlsx'],
      ['2019-txt', 'hcpcs2019Txt'],
    ] as const) {
      const summary = await loadFile(database.url, dataFile(file), { release: name });
      expect(summary).toMatchObject({ status: 'loaded', effectiveDate: '2019-01-01', records: 6800 });
      ids[name] = (await database.db.release.findFirstOrThrow({ where: { name, system: { kind: 'HCPCS' } } })).id;
    }
  });

  const differences = async (from: string, to: string) => {
    const changes = await listChanges(prismaSql(database.db), 'HCPCS', ids[from]!, ids[to]!, {
      limit: 100_000,
      inverted: false,
    });
    return changes.flatMap((c) =>
      c.changedFields.length ? c.changedFields.map((f) => `${c.code} ${f}`) : [`${c.code} ${c.kind}`],
    );
  };

  it('loads the same codes from each format', async () => {
    const codes = csvRows('hcpcs2019Csv').filter((r) => r.RECID === '3').length;
    for (const id of Object.values(ids))
      expect(await database.db.codeVersion.count({ where: { releaseId: id } })).toBe(codes);
    expect(codes).toBe(6440);
  });

  it('loads the CSV and the workbook it was exported from to identical data', async () => {
    expect(await differences('2019-csv', '2019-xlsx')).toEqual([]);
  });

  it('differs between the workbook and the fixed-width file exactly where the files disagree', async () => {
    const txt = txtFields();
    const expected: string[] = [];
    for (const [code, workbook] of csvFields()) {
      const fixed = txt.get(code)!;
      if (workbook.long !== fixed.long) expected.push(`${code} longDescription`);
      if (workbook.actEff !== fixed.actEff) expected.push(`${code} actionEffectiveDate`);
      if (workbook.tos.join() !== fixed.tos.join()) expected.push(`${code} typesOfService`);
    }
    const found = await differences('2019-xlsx', '2019-txt');
    expect(found.sort()).toEqual(expected.sort());

    // Long descriptions differ only by a double space the workbook has where the fixed-width file
    // splits the text into 80-character pieces (the piece boundary cannot carry it).
    const long = found.filter((d) => d.endsWith('longDescription')).map((d) => d.split(' ')[0]!);
    expect(long).toContain('G0417');
    const versions = await database.db.codeVersion.findMany({
      where: { code: { in: long }, releaseId: { in: [ids['2019-xlsx']!, ids['2019-txt']!] } },
    });
    for (const code of long) {
      const [a, b] = versions.filter((v) => v.code === code).map((v) => v.longDescription);
      expect(a).not.toBe(b);
      expect(a!.replace(/\s+/g, ' ')).toBe(b!.replace(/\s+/g, ' '));
    }

    // What SOURCES.md describes: blank action dates in the workbook, and two TOS values.
    const tos = found.filter((d) => d.endsWith('typesOfService'));
    expect(tos).toHaveLength(2);
    expect(tos).toContain('E0210 typesOfService');
    expect(found).toContain('A0130 actionEffectiveDate');
    const e0210 = await database.db.codeVersion.findMany({
      where: { code: 'E0210' },
      orderBy: { releaseId: 'asc' },
      select: { typesOfService: true },
    });
    expect(e0210.map((v) => v.typesOfService.includes('R'))).toEqual([true, true, false]);
    const a0130 = await database.db.codeVersion.findMany({
      where: { code: 'A0130' },
      orderBy: { releaseId: 'asc' },
      select: { actionEffectiveDate: true },
    });
    expect(a0130.map((v) => v.actionEffectiveDate === null)).toEqual([true, true, false]);
  });
});
