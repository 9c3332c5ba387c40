// HCPCS Level II modifiers CSV (derived from the Oct 2025 ANWEB xlsx: its RECID 7 rows).
import { describe, expect, it } from 'vitest';
import { parseHcpcsCsv } from '../../../src/ingest/parsers/hcpcs-csv.js';
import { parseModifiersCsv } from '../../../src/ingest/parsers/modifiers-csv.js';
import { readSharedFile, sharedDataDir } from '../../support/shared-data.js';
import { countLines, utc, withoutAt } from './helpers.js';

const dir = sharedDataDir();
const FILE = 'hcpcs/modifiers/hcpcs_level2_modifiers_2025_oct.csv';

describe.skipIf(!dir)('HCPCS modifiers CSV', () => {
  it('reads all 383 modifiers with their dates and release', () => {
    const bytes = readSharedFile(dir!, FILE);
    const parsed = parseModifiersCsv(bytes, FILE);
    const rows = countLines(bytes.toString('utf8'), /^[A-Z0-9]{2},/);
    expect(rows).toBe(383);
    expect(parsed.modifiers).toHaveLength(rows);
    expect(parsed.recordCount).toBe(rows);
    expect(parsed.release).toEqual({ name: '2025-10', effectiveDate: utc('2025-10-01') });
    expect(parsed.modifiers.filter((m) => m.terminationDate)).toHaveLength(20);

    const byCode = new Map(parsed.modifiers.map((m) => [m.code, m]));
    expect(byCode.get('TC')).toMatchObject({
      shortDescription: 'Technical component',
      coverageCode: 'C',
      addDate: utc('1984-01-01'),
    });
    expect(byCode.get('JW')?.longDescription).toBe('Drug amount discarded/not administered to any patient');
    expect(byCode.get('KX')?.longDescription).toBe('Requirements specified in the medical policy have been met');
    expect(byCode.get('A1')).toEqual({
      at: { file: FILE, line: 2 },
      code: 'A1',
      longDescription: 'Dressing for one wound',
      shortDescription: 'Dressing for one wound',
      coverageCode: 'C',
      processingNote: null,
      addDate: utc('2002-07-01'),
      actionEffectiveDate: utc('2002-07-01'),
      terminationDate: null,
      actionCode: 'N',
    });
    for (const cpt of ['25', '26', '50', '59', '76', '95']) expect(byCode.has(cpt)).toBe(false);
  });

  it('holds the same modifiers as the RECID 7 rows of the Oct 2025 ANWEB file', () => {
    const modifiers = parseModifiersCsv(readSharedFile(dir!, FILE), FILE).modifiers;
    const anweb = 'hcpcs/2025_oct/HCPC2025_OCT_ANWEB_v4.csv';
    const fromAnweb = parseHcpcsCsv(readSharedFile(dir!, anweb), anweb).modifiers;
    expect(modifiers.map(withoutAt)).toEqual(fromAnweb.map(withoutAt));
  });
});
