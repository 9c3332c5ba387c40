// Medicare Coverage Database LCD / Article list (harvested CSV).
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { mcdReleaseHint, parseMcdCsv, splitContractor } from '../../../src/ingest/parsers/mcd-csv.js';
import { readSharedFile, sharedDataDir } from '../../support/shared-data.js';
import { utc } from './helpers.js';

const dir = sharedDataDir();
const FILE = 'coverage/mcd_lcd_lca_documents_2025-08.csv';

describe.skipIf(!dir)('MCD LCD/Article CSV', () => {
  it('reads 972 LCDs and 2,161 Articles', () => {
    const bytes = readSharedFile(dir!, FILE);
    const independent = parse(bytes, { columns: true }) as Record<string, string>[];
    const parsed = parseMcdCsv(bytes, FILE);
    expect(parsed.documents).toHaveLength(independent.length);
    expect(parsed.recordCount).toBe(3133);
    expect(parsed.documents.filter((d) => d.type === 'LCD')).toHaveLength(
      independent.filter((r) => r.document_type === 'LCD').length,
    );
    expect(parsed.documents.filter((d) => d.type === 'LCD')).toHaveLength(972);
    expect(parsed.documents.filter((d) => d.type === 'ARTICLE')).toHaveLength(2161);
    expect(parsed.release).toEqual({ name: '2025-08', effectiveDate: utc('2025-08-01') });
  });

  it('splits contractor name and type, reads dates and N/A', () => {
    const parsed = parseMcdCsv(readSharedFile(dir!, FILE), FILE);
    // The first record spans lines 2–3 (embedded newline in contractor_name_type).
    expect(parsed.documents[0]).toEqual({
      at: { file: FILE, line: 2 },
      displayId: 'L36668',
      documentId: 36668,
      type: 'LCD',
      version: 45,
      title: 'Urine Drug Testing',
      contractorName: 'Noridian Healthcare Solutions, LLC',
      contractorType: 'MAC - Part A, MAC - Part B',
      effectiveDate: utc('2025-08-14'),
      retirementDate: null,
      updatedOn: utc('2025-08-06'),
      note: null,
      url: 'https://www.cms.gov/medicare-coverage-database/view/lcd.aspx?lcdid=36668&ver=45',
    });
    expect(parsed.documents[1]?.at).toEqual({ file: FILE, line: 4 });
    expect(parsed.documents.filter((d) => d.retirementDate !== null)).toHaveLength(94);
    expect(parsed.documents.filter((d) => d.note === 'Retired')).toHaveLength(94);
    const types = new Set(parsed.documents.map((d) => d.contractorType));
    expect(types).toEqual(
      new Set([
        'MAC - Part A, MAC - Part B',
        'DME MAC',
        'MAC - Part B',
        'MAC - Part A',
        'HHH MAC',
        'HHH MAC, MAC - Part A, MAC - Part B',
        'HHH MAC, MAC - Part A',
      ]),
    );
    const dme = parsed.documents.find((d) => d.contractorName.includes(';'));
    expect(dme).toMatchObject({
      contractorName: 'CGS Administrators, LLC; Noridian Healthcare Solutions, LLC',
      contractorType: 'DME MAC',
    });
    const latest = Math.max(...parsed.documents.map((d) => d.updatedOn?.getTime() ?? 0));
    expect(new Date(latest)).toEqual(utc('2025-08-08'));
    // 12 display ids occur twice (two versions of the same document).
    const ids = new Map<string, number>();
    for (const d of parsed.documents) ids.set(d.displayId, (ids.get(d.displayId) ?? 0) + 1);
    expect([...ids.values()].filter((n) => n === 2)).toHaveLength(12);
  });
});

describe('MCD helpers', () => {
  const at = { file: 'x.csv', line: 2 };
  it('splitContractor', () => {
    expect(splitContractor('Palmetto GBA\n(HHH MAC)', at)).toEqual({ name: 'Palmetto GBA', type: 'HHH MAC' });
    expect(splitContractor('Palmetto GBA', at)).toEqual({ name: 'Palmetto GBA', type: null });
  });
  it('release hint from the file name, else from the latest update', () => {
    expect(mcdReleaseHint('documents_2025-08.csv')).toEqual({ name: '2025-08', effectiveDate: utc('2025-08-01') });
    expect(mcdReleaseHint('documents_latest.csv', utc('2025-08-08'))).toEqual({
      name: '2025-08',
      effectiveDate: utc('2025-08-01'),
    });
    expect(mcdReleaseHint('documents_latest.csv')).toEqual({});
  });
});
