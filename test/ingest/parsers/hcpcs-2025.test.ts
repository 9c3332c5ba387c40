// HCPCS Level II, October 2025 quarterly ANWEB file: the original xlsx and the CSV exported from it.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseHcpcsCsv } from '../../../src/ingest/parsers/hcpcs-csv.js';
import { parseHcpcsXlsx } from '../../../src/ingest/parsers/hcpcs-xlsx.js';
import type { ParsedFile } from '../../../src/ingest/records.js';
import { readSharedFile, sharedDataDir } from '../../support/shared-data.js';
import { countLines, utc, withoutAt } from './helpers.js';

type Hcpcs = Extract<ParsedFile, { kind: 'hcpcs' }>;

const dir = sharedDataDir();
const CSV = 'hcpcs/2025_oct/HCPC2025_OCT_ANWEB_v4.csv';
const XLSX = 'hcpcs/2025_oct/HCPC2025_OCT_ANWEB_v4.xlsx';

describe.skipIf(!dir)('HCPCS Oct 2025 ANWEB (CSV and XLSX)', () => {
  let csvText: string;
  let csv: Hcpcs;
  let xlsx: Hcpcs;

  beforeAll(async () => {
    const csvBytes = readSharedFile(dir!, CSV);
    csvText = csvBytes.toString('utf8');
    csv = parseHcpcsCsv(csvBytes, CSV);
    xlsx = await parseHcpcsXlsx(readSharedFile(dir!, XLSX), XLSX);
  });

  it('reads every code and modifier row the CSV holds', () => {
    // Counted from the raw text, independently of the parser: `CODE,SEQNUM,RECID,`
    const codeRows = countLines(csvText, /^[A-Z0-9]{5},\d{4},3,/);
    const modifierRows = countLines(csvText, /^ {3}[A-Z0-9]{2},\d{4},7,/);
    expect(codeRows).toBe(8463);
    expect(modifierRows).toBe(383);
    expect(csv.codes).toHaveLength(codeRows);
    expect(csv.modifiers).toHaveLength(modifierRows);
    expect(csv.recordCount).toBe(codeRows + modifierRows);
  });

  it('gives the xlsx the same records as the CSV exported from it', () => {
    expect(xlsx.recordCount).toBe(8846);
    expect(xlsx.codes.map(withoutAt)).toEqual(csv.codes.map(withoutAt));
    expect(xlsx.modifiers.map(withoutAt)).toEqual(csv.modifiers.map(withoutAt));
  });

  it('names the release from the file name', () => {
    for (const parsed of [csv, xlsx]) {
      expect(parsed.release).toEqual({ name: '2025-10', effectiveDate: utc('2025-10-01') });
    }
  });

  it('maps the A9597 check row', () => {
    for (const parsed of [csv, xlsx]) {
      const a9597 = parsed.codes.find((c) => c.code === 'A9597');
      expect(a9597).toEqual({
        at: expect.any(Object),
        code: 'A9597',
        longDescription:
          'Positron emission tomography radiopharmaceutical, diagnostic, for tumor identification, not otherwise classified',
        shortDescription: 'Pet, dx, for tumor id, noc',
        pricingIndicators: ['57'],
        multiplePricingIndicator: 'A',
        cimReferences: [],
        mcmReferences: [],
        statute: null,
        labCertifications: [],
        crossReferences: [],
        coverageCode: 'C',
        ascGroup: null,
        ascEffectiveDate: null,
        processingNote: null,
        betos: 'I1E',
        typesOfService: ['4'],
        anesthesiaBaseUnits: 0,
        addDate: utc('2017-01-01'),
        actionEffectiveDate: utc('2017-01-01'),
        terminationDate: null,
        actionCode: 'N',
      });
    }
    const line = csvText.split('\n').findIndex((l) => l.startsWith('A9597,')) + 1;
    expect(csv.codes.find((c) => c.code === 'A9597')?.at).toEqual({ file: CSV, line });
    expect(xlsx.codes.find((c) => c.code === 'A9597')?.at).toEqual({
      file: XLSX,
      sheet: 'HCPC2025_OCT_ANWEB',
      row: line,
    });
  });

  it('reads the cells stored as numbers in the xlsx as text', () => {
    const byCode = new Map(xlsx.codes.map((c) => [c.code, c]));
    expect(byCode.get('C1742')?.typesOfService[0]).toBe('2');
    expect(byCode.get('C9088')?.terminationDate).toEqual(utc('2025-09-30'));
    expect(byCode.get('C9301')?.addDate).toEqual(utc('2025-04-01'));
    expect(byCode.get('E0716')?.actionEffectiveDate).toEqual(utc('2024-10-01'));
    expect(byCode.get('E0716')?.terminationDate).toBeNull();
    expect(byCode.get('J9333')?.actionEffectiveDate).toEqual(utc('2025-10-01'));
    expect(byCode.get('L6034')?.addDate).toEqual(utc('2025-10-01'));
    expect(byCode.get('L6034')?.actionEffectiveDate).toEqual(utc('2025-10-01'));
  });

  it('trims right-aligned modifier codes and keeps Level II modifiers only', () => {
    const codes = new Set(csv.modifiers.map((m) => m.code));
    for (const m of [
      'TC',
      'JW',
      'JZ',
      'GA',
      'GZ',
      'KX',
      'XE',
      'XS',
      'XP',
      'XU',
      'Q0',
      'Q1',
      'Q5',
      'Q6',
      'GT',
      'GX',
      'GY',
      'CR',
      'LT',
      'RT',
    ]) {
      expect(codes.has(m), m).toBe(true);
    }
    for (const m of ['25', '26', '50', '59', '95']) expect(codes.has(m), m).toBe(false);
    const tc = csv.modifiers.find((m) => m.code === 'TC');
    expect(tc).toMatchObject({ shortDescription: 'Technical component', coverageCode: 'C', actionCode: 'N' });
    expect(tc?.longDescription.startsWith('Technical component; under certain circumstances')).toBe(true);
  });

  it('matches the documented distributions (first letters, terminations, action codes)', () => {
    const letters: Record<string, number> = {};
    for (const c of csv.codes) letters[c.code[0]!] = (letters[c.code[0]!] ?? 0) + 1;
    expect(letters).toEqual({
      A: 846,
      B: 51,
      C: 587,
      E: 671,
      G: 1978,
      H: 94,
      J: 1188,
      K: 175,
      L: 938,
      M: 424,
      P: 59,
      Q: 585,
      R: 3,
      S: 533,
      T: 114,
      U: 5,
      V: 212,
    });
    expect(csv.codes.filter((c) => c.terminationDate).length).toBe(1205);
    expect(csv.modifiers.filter((m) => m.terminationDate).length).toBe(20);
    const actions: Record<string, number> = {};
    for (const r of [...csv.codes, ...csv.modifiers]) actions[r.actionCode!] = (actions[r.actionCode!] ?? 0) + 1;
    expect(actions).toEqual({ A: 76, C: 10, D: 7, B: 2, P: 2, R: 1, S: 1, N: 8747 });
    expect(Math.max(...csv.codes.map((c) => c.longDescription.length))).toBe(4501);
    expect(Math.max(...csv.codes.map((c) => c.shortDescription.length))).toBeLessThanOrEqual(28);
  });
});
